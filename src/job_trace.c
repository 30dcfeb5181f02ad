/*
 * job_trace.c — a workload's job sizes from a job trace: CSV rows
 * "gpus,duration_h[,checkpoint_cost_min]" (one per job; an optional header
 * line starting with "gpus", '#' comments, blank lines, LF or CR LF, an
 * optional UTF-8 byte order mark).  Every bad row is reported as
 * file:line:col.
 *
 * The trace becomes the mix the placement fills the cluster with: each job
 * size takes the share of the trace's GPU-hours (gpus x duration) that jobs
 * of that size ran, and the GPU-hour-weighted mean of their checkpoint costs
 * (a row without one takes the workload's checkpoint_cost_min).  A trace
 * with more distinct sizes than CP_MAX_JOB_SIZES is binned at two bins per
 * octave of size (sizes within a factor sqrt 2), each bin at the
 * duration-weighted mean size of its jobs, rounded.
 */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JOB_MAX_GPUS 1e8         /* as a workload's `gpus` */
#define JOB_MAX_DURATION_H 1e6   /* ~114 years */
#define JOB_MAX_COST_MIN 1e4     /* as checkpoint_cost_min */

typedef struct job_row {
    double gpus, duration_h, cost_min; /* cost_min < 0: the workload's */
} job_row;

/* field at s (its column col in the row): a number in [lo, hi], then ',' or
 * the end; *next after the comma (NULL at the end) */
static int field(const char *path, int line, const char *row, const char *s, const char *what,
                 double lo, double hi, bool whole, double *out, const char **next,
                 cp_error *err)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t')
        end++;
    if (end == s || (*end && *end != ',') || errno || !isfinite(v) || v < lo || v > hi ||
        (whole && v != floor(v)))
        return cp_fail(err, path, line, (int)(s - row) + 1, "%s must be a %s in [%g, %g]",
                       what, whole ? "whole number" : "number", lo, hi);
    *out = v;
    *next = *end == ',' ? end + 1 : NULL;
    return 0;
}

static int parse_row(const char *path, int line, const char *row, job_row *r, cp_error *err)
{
    const char *s = row, *next;
    if (field(path, line, row, s, "gpus", 1, JOB_MAX_GPUS, true, &r->gpus, &next, err))
        return -1;
    if (!next)
        return cp_fail(err, path, line, (int)strlen(row) + 1,
                       "expected gpus,duration_h[,checkpoint_cost_min]");
    s = next;
    if (field(path, line, row, s, "duration_h", 0, JOB_MAX_DURATION_H, false, &r->duration_h,
              &next, err))
        return -1;
    if (!(r->duration_h > 0))
        return cp_fail(err, path, line, (int)(s - row) + 1, "duration_h must be above 0");
    r->cost_min = -1;
    if (next && field(path, line, row, next, "checkpoint_cost_min", 0, JOB_MAX_COST_MIN, false,
                      &r->cost_min, &next, err))
        return -1;
    if (next)
        return cp_fail(err, path, line, (int)(next - row),
                       "a fourth field; expected gpus,duration_h[,checkpoint_cost_min]");
    return 0;
}

typedef struct rows_ctx {
    job_row *r;
    size_t n, cap;
} rows_ctx;

static int job_row_fn(void *ctx, const char *path, int line, const char *row, cp_error *err)
{
    rows_ctx *x = ctx;
    if (x->n == x->cap) {
        size_t nc = x->cap ? 2 * x->cap : 256;
        job_row *nr = realloc(x->r, nc * sizeof *nr);
        if (!nr)
            return cp_fail(err, path, line, 1, "out of memory");
        x->r = nr;
        x->cap = nc;
    }
    if (parse_row(path, line, row, &x->r[x->n], err))
        return -1;
    x->n++;
    return 0;
}

static int read_rows(const char *path, job_row **rows, size_t *n, cp_error *err)
{
    rows_ctx x = {NULL, 0, 0};
    int lines;
    int rc = cp_csv_each(path, "gpus", "jobs", job_row_fn, &x, &lines, err);
    if (rc == 0 && x.n == 0)
        rc = cp_fail(err, path, lines, 0, "no jobs; expected rows gpus,duration_h"
                                          "[,checkpoint_cost_min]");
    if (rc) {
        free(x.r);
        return -1;
    }
    *rows = x.r;
    *n = x.n;
    return 0;
}

static int by_gpus(const void *a, const void *b)
{
    const job_row *x = a, *y = b;
    return (x->gpus > y->gpus) - (x->gpus < y->gpus);
}

/* the bin of a size: its own, or (binned) two per octave */
static double bin_of(double gpus, bool binned)
{
    return binned ? floor(2 * log2(gpus) + 1e-9) : gpus;
}

int cp_job_trace_load(const char *path, cp_job *o, cp_error *err)
{
    job_row *r;
    size_t n;
    if (read_rows(path, &r, &n, err))
        return -1;
    qsort(r, n, sizeof *r, by_gpus);
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || r[i].gpus != r[i - 1].gpus;
    bool binned = distinct > CP_MAX_JOB_SIZES;
    double total = 0;
    for (size_t i = 0; i < n; i++)
        total += r[i].gpus * r[i].duration_h;
    o->nsizes = 0;
    for (size_t i = 0; i < n;) {
        double key = bin_of(r[i].gpus, binned), gh = 0, h = 0, cost = 0;
        size_t j = i;
        for (; j < n && bin_of(r[j].gpus, binned) == key; j++) {
            double w = r[j].gpus * r[j].duration_h;
            gh += w;
            h += r[j].duration_h;
            cost += w * (r[j].cost_min >= 0 ? r[j].cost_min / 60 : o->checkpoint_cost_h);
        }
        if (o->nsizes >= CP_MAX_JOB_SIZES) { /* not reached: 2 bins per octave of 1e8 */
            free(r);
            return cp_fail(err, path, 0, 0, "more than %d job sizes", CP_MAX_JOB_SIZES);
        }
        o->size[o->nsizes++] = (cp_job_size){fmax(round(gh / h), 1), gh / total, cost / gh};
        i = j;
    }
    free(r);
    return 0;
}
