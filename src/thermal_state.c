/*
 * thermal_state.c — a grid's temperatures saved to a file and read back, so
 * that a transient may start where a steady or transient run ended.
 *
 * The file is text, one keyword per line, values separated by blanks:
 *   cposim-thermal-state 1
 *   grid NX NY NZ
 *   x_edges_m  (NX + 1 values)     y_edges_m (NY + 1)     dz_m (NZ)
 *   time_s T
 *   temperatures_c (NX NY NZ values, k-major: (k NY + j) NX + i)
 *   fluid_c (the coolant and channel fluid temperatures, if any)
 * Numbers are written with 17 significant digits, so a state read back is
 * the state saved, bit for bit.  A state fits only the grid it came from:
 * the same cells (counts and edges to 1e-9 relative) and the same fluids;
 * anything else is an error at its line and column.
 */
#include "thermal_internal.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATE_MAGIC "cposim-thermal-state"
#define STATE_VERSION 1
/* A state of more than this is not one cposim wrote for a grid it could
 * hold (CP_DEFAULT_MAX_MEMORY_GB of cells at ~25 bytes per value). */
#define STATE_MAX_BYTES (8.0 * 1e9)

static void put_row(FILE *f, const char *key, const double *v, size_t n)
{
    fputs(key, f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, " %.17g", v[i]);
    fputc('\n', f);
}

int cp_thermal_state_write(const cp_thermal_grid *g, const cp_thermal_spec *t, double time_s,
                           FILE *f)
{
    fprintf(f, "%s %d\ngrid %d %d %d\n", STATE_MAGIC, STATE_VERSION, g->nx, g->ny, g->nz);
    put_row(f, "x_edges_m", g->xe, (size_t)g->nx + 1);
    put_row(f, "y_edges_m", g->ye, (size_t)g->ny + 1);
    put_row(f, "dz_m", g->dz, (size_t)g->nz);
    fprintf(f, "time_s %.17g\ntemperatures_c\n", time_s);
    for (size_t c = 0; c < g->n; c++)
        fprintf(f, "%.17g\n", g->t[c]);
    if (g->nfl) {
        double *x = malloc(g->nfl * sizeof *x);
        if (!x)
            return -1;
        cp_thermal_fluid_get(g, t, x);
        fputs("fluid_c\n", f);
        for (size_t i = 0; i < g->nfl; i++)
            fprintf(f, "%.17g\n", x[i]);
        free(x);
    }
    return ferror(f) ? -1 : 0;
}

/* A cursor over the file's text that knows its line and column. */
typedef struct cur {
    const char *path, *s;
    int line, col;
    cp_error *err;
} cur;

static void skip_blank(cur *c, bool newlines)
{
    while (*c->s == ' ' || *c->s == '\t' || *c->s == '\r' || (newlines && *c->s == '\n')) {
        if (*c->s == '\n') {
            c->line++;
            c->col = 1;
        } else {
            c->col++;
        }
        c->s++;
    }
}

static int fail_at(cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail_at(cur *c, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cp_fail(c->err, c->path, c->line, c->col, "%s", msg);
}

/* The next word must be `want` (at the start of a line). */
static int word(cur *c, const char *want)
{
    skip_blank(c, true);
    size_t n = strcspn(c->s, " \t\r\n");
    if (n != strlen(want) || strncmp(c->s, want, n) != 0) {
        char got[48];
        snprintf(got, sizeof got, "%.*s", (int)(n < 40 ? n : 40), c->s);
        return fail_at(c, "expected '%s', found '%s'", want, n ? got : "the end of the file");
    }
    c->s += n;
    c->col += (int)n;
    return 0;
}

static int number(cur *c, bool newlines, double *v)
{
    skip_blank(c, newlines);
    char *end;
    errno = 0;
    *v = strtod(c->s, &end);
    if (end == c->s || errno == ERANGE || !isfinite(*v) ||
        (*end && !strchr(" \t\r\n", *end))) {
        char got[48];
        size_t n = strcspn(c->s, " \t\r\n");
        snprintf(got, sizeof got, "%.*s", (int)(n < 40 ? n : 40), c->s);
        return fail_at(c, "expected a finite number, found '%s'", n ? got : "nothing");
    }
    c->col += (int)(end - c->s);
    c->s = end;
    return 0;
}

/* A row `key v...` of n values equal to want[] (1e-9 relative): the grid. */
static int edges(cur *c, const char *key, const double *want, size_t n)
{
    if (word(c, key))
        return -1;
    for (size_t i = 0; i < n; i++) {
        double v;
        int line = c->line, col = c->col;
        if (number(c, false, &v))
            return -1;
        if (!(fabs(v - want[i]) <= 1e-9 * fmax(fabs(want[i]), 1e-6))) {
            c->line = line;
            c->col = col + 1;
            return fail_at(c, "the state's grid lines (%s) differ from this scenario's: "
                           "it was saved from another grid; save it with the same "
                           "thermal.grid and stack", key);
        }
    }
    return 0;
}

static int values(cur *c, double *v, size_t n, bool temperature)
{
    for (size_t i = 0; i < n; i++) {
        if (number(c, true, &v[i]))
            return -1;
        if (temperature && v[i] < -273.15)
            return fail_at(c, "a temperature below absolute zero");
    }
    return 0;
}

static int parse(cur *c, cp_thermal_grid *g, const cp_thermal_spec *t, double *time_s,
                 double *temps, double *fluid)
{
    double v[3];
    if (word(c, STATE_MAGIC) || number(c, false, &v[0]))
        return -1;
    if (v[0] != STATE_VERSION)
        return fail_at(c, "unknown state version %g (this cposim reads version %d)", v[0],
                       STATE_VERSION);
    if (word(c, "grid"))
        return -1;
    int line = c->line, col = c->col + 1; /* the counts, for the message */
    if (number(c, false, &v[0]) || number(c, false, &v[1]) || number(c, false, &v[2]))
        return -1;
    if (v[0] != g->nx || v[1] != g->ny || v[2] != g->nz) {
        c->line = line;
        c->col = col;
        char got[64], want[64];
        snprintf(got, sizeof got, "%g x %g x %g", v[0], v[1], v[2]);
        snprintf(want, sizeof want, "%d x %d x %d", g->nx, g->ny, g->nz);
        return fail_at(c, "the state is of a grid of %s cells, this scenario's is %s: save "
                          "it with the same thermal.grid and stack", got, want);
    }
    if (edges(c, "x_edges_m", g->xe, (size_t)g->nx + 1) ||
        edges(c, "y_edges_m", g->ye, (size_t)g->ny + 1) ||
        edges(c, "dz_m", g->dz, (size_t)g->nz) || word(c, "time_s") ||
        number(c, false, time_s) || word(c, "temperatures_c") ||
        values(c, temps, g->n, true))
        return -1;
    skip_blank(c, true);
    if (g->nfl && (word(c, "fluid_c") || values(c, fluid, g->nfl, true)))
        return -1;
    skip_blank(c, true);
    if (*c->s)
        return fail_at(c, "text after the state's last value%s",
                       g->nfl ? "" : " (a fluid this scenario does not have?)");
    (void)t;
    return 0;
}

static char *slurp(const char *path, cp_error *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return cp_fail(err, path, 0, 0, "cannot read the state: %s", strerror(errno)), NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 65536 > cap) {
            if ((double)cap > STATE_MAX_BYTES)
                break;
            cap = cap ? 2 * cap : 1 << 20;
            char *nb = realloc(buf, cap + 1);
            if (!nb)
                break;
            buf = nb;
        }
        size_t k = fread(buf + len, 1, cap - len, f);
        len += k;
        if (k == 0)
            break;
    }
    bool bad = ferror(f) || !feof(f) || !buf;
    fclose(f);
    if (bad) {
        free(buf);
        return cp_fail(err, path, 0, 0, "cannot read the state (larger than %.0f GB, or "
                       "out of memory)", STATE_MAX_BYTES / 1e9), NULL;
    }
    buf[len] = '\0';
    if (strlen(buf) != len) {
        free(buf);
        return cp_fail(err, path, 0, 0, "not a state file (binary data)"), NULL;
    }
    return buf;
}

int cp_thermal_state_read(cp_thermal_grid *g, const cp_thermal_spec *t, const char *path,
                          double *time_s, cp_error *err)
{
    char *buf = slurp(path, err);
    if (!buf)
        return -1;
    double *temps = malloc(g->n * sizeof *temps);
    double *fluid = malloc((g->nfl ? g->nfl : 1) * sizeof *fluid);
    cur c = {path, buf, 1, 1, err};
    int rc = temps && fluid ? parse(&c, g, t, time_s, temps, fluid)
                            : cp_fail(err, path, 0, 0, "out of memory");
    if (rc == 0) { /* only a state read whole replaces the grid's */
        memcpy(g->t, temps, g->n * sizeof *temps);
        if (g->nfl)
            cp_thermal_fluid_set(g, t, fluid);
    }
    free(temps);
    free(fluid);
    free(buf);
    return rc;
}
