/*
 * thermal_trace.c — power traces for transients: CSV rows
 * "time_s,block,power_w", an optional header, '#' comments.  Every bad row
 * is reported as file:line:col.
 */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stable insertion sort by time: rows at one time apply in file order. */
static void sort_events(cp_trace_event *ev, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        cp_trace_event e = ev[i];
        size_t j = i;
        while (j > 0 && ev[j - 1].time_s > e.time_s) {
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = e;
    }
}

static int field_number(const char *path, int line, const char *start,
                        const char *s, const char *what, double *out, cp_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == s || (*end && *end != ',' && *end != '\n' && *end != '\r') || errno ||
        !isfinite(v) || v < 0)
        return cp_fail(err, path, line, (int)(s - start) + 1,
                       "%s must be a number >= 0", what);
    *out = v;
    return 0;
}

static int parse_row(const char *path, int line, char *row, const cp_thermal_spec *t,
                     cp_trace_event *ev, cp_error *err)
{
    char *c1 = strchr(row, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c1 || !c2)
        return cp_fail(err, path, line, 1, "expected time_s,block,power_w");
    if (field_number(path, line, row, row, "time_s", &ev->time_s, err))
        return -1;
    char name[CP_NAME_MAX];
    size_t len = (size_t)(c2 - c1 - 1);
    if (len >= sizeof name)
        len = sizeof name - 1;
    memcpy(name, c1 + 1, len);
    name[len] = '\0';
    ev->block = -1;
    for (size_t b = 0; b < t->nblocks; b++)
        if (strcmp(t->block[b].name, name) == 0)
            ev->block = (int)b;
    if (ev->block < 0)
        return cp_fail(err, path, line, (int)(c1 - row) + 2,
                       "unknown block '%s'", name);
    return field_number(path, line, row, c2 + 1, "power_w", &ev->power_w, err);
}

int cp_trace_load(const char *path, const cp_thermal_spec *t, cp_trace *out,
                  cp_error *err)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "r");
    if (!f)
        return cp_fail(err, path, 0, 0, "cannot open: %s", strerror(errno));
    char row[512];
    int line = 0, rc = 0;
    size_t cap = 0;
    while (rc == 0 && fgets(row, sizeof row, f)) {
        line++;
        if (row[0] == '#' || row[0] == '\n' || strncmp(row, "time_s", 6) == 0)
            continue;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            cp_trace_event *ne = realloc(out->ev, cap * sizeof *ne);
            if (!ne) {
                rc = cp_fail(err, path, line, 1, "out of memory");
                break;
            }
            out->ev = ne;
        }
        rc = parse_row(path, line, row, t, &out->ev[out->n], err);
        if (rc == 0)
            out->n++;
    }
    fclose(f);
    if (rc) {
        cp_trace_free(out);
        return -1;
    }
    sort_events(out->ev, out->n);
    return 0;
}

void cp_trace_free(cp_trace *tr)
{
    free(tr->ev);
    tr->ev = NULL;
    tr->n = 0;
}
