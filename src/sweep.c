/*
 * sweep.c — a design of experiments over a base scenario: the points of the
 * design (grid of lists and ranges, or random / Latin hypercube / Sobol
 * points mapped through ranges, lists and distributions), one evaluation per
 * point (the scenario loaded with the point's --set values, then the model
 * chain), and the run that keeps them in the results store.
 *
 * A point is keyed by a 64-bit FNV-1a hash of its inputs (command, scenario,
 * each path and the bits of its value), so a resumed sweep skips
 * exactly the points already committed.  Points run on OpenMP threads in
 * chunks; each chunk is written in one transaction, in design order.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Points per transaction: a chunk starts at CHUNK_MIN and doubles while a
 * chunk takes less than CHUNK_S seconds, so a kill loses at most about that
 * much work and fast models do not pay a commit per few hundred points. */
#define CHUNK_MIN 256
#define CHUNK 8192
#define CHUNK_S 0.25

static size_t levels(const cp_sweep_param *p)
{
    return p->nvalues ? p->nvalues : p->range ? (p->steps ? p->steps : 1) : 1;
}

size_t cp_sweep_count(const cp_sweep_spec *s)
{
    if (s->design != CP_DOE_GRID)
        return s->points;
    size_t n = 1;
    for (size_t i = 0; i < s->nparams; i++) {
        size_t m = levels(&s->param[i]);
        if (m && n > ((size_t)1 << 40) / m)
            return 0; /* beyond any store */
        n *= m;
    }
    return n;
}

/* Value of a parameter at unit coordinate u (grid: u = k / (m - 1)). */
static double value_at(const cp_sweep_param *p, double u, bool grid)
{
    if (p->nvalues) {
        size_t m = p->nvalues;
        size_t k = grid ? (size_t)llround(u * (double)(m - 1)) : (size_t)(u * (double)m);
        return p->values[k < m ? k : m - 1];
    }
    if (p->range)
        return p->log_scale ? p->from * pow(p->to / p->from, u)
                            : p->from + u * (p->to - p->from);
    return cp_dist_quantile(&p->dist, u);
}

int cp_sweep_values(const cp_sweep_spec *s, double *values, cp_error *err)
{
    size_t n = cp_sweep_count(s), d = s->nparams;
    size_t lv[CP_SWEEP_MAX_PARAMS];
    for (size_t j = 0; j < d; j++)
        lv[j] = levels(&s->param[j]);
    if (cp_doe_unit(s->design, d, n, s->seed, lv, values, err))
        return -1;
    bool grid = s->design == CP_DOE_GRID;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            values[i * d + j] = value_at(&s->param[j], values[i * d + j], grid);
    return 0;
}

static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

unsigned long long cp_sweep_point_hash(const cp_sweep_spec *s, const char *scenario,
                                       const double *values)
{
    char buf[CP_TEXT_MAX + 64];
    unsigned long long h = 14695981039346656037ULL;
    snprintf(buf, sizeof buf, "%d|%s|", (int)s->command, scenario);
    h = fnv(h, buf);
    for (size_t j = 0; j < s->nparams; j++) {
        h = fnv(h, s->param[j].path);
        if (values) { /* the value's bits: exact, and no printf per point */
            unsigned long long bits;
            memcpy(&bits, &values[j], sizeof bits);
            for (int b = 0; b < 8; b++) {
                h ^= (bits >> (8 * b)) & 0xff;
                h *= 1099511628211ULL;
            }
            h = fnv(h, ";");
            continue;
        } else { /* the spec: the design and everything that defines a point */
            const cp_sweep_param *p = &s->param[j];
            snprintf(buf, sizeof buf, "#%zu:%d:%.17g:%.17g:%zu:%d:%d;", p->nvalues, p->range,
                     p->from, p->to, p->steps, p->log_scale, p->has_dist);
            h = fnv(h, buf);
            for (size_t k = 0; k < p->nvalues; k++) {
                snprintf(buf, sizeof buf, "%.17g,", p->values[k]);
                h = fnv(h, buf);
            }
            snprintf(buf, sizeof buf, "%d:%.17g:%.17g:%.17g:%.17g:%.17g", (int)p->dist.kind,
                     p->dist.value, p->dist.lo, p->dist.hi, p->dist.error_factor, p->dist.sd);
        }
        h = fnv(h, buf);
    }
    if (!values) {
        snprintf(buf, sizeof buf, "|%d|%zu|%lu|", (int)s->design, s->points, s->seed);
        h = fnv(h, buf);
        for (size_t k = 0; k < s->noutputs; k++)
            h = fnv(fnv(h, s->output[k].output), ",");
    }
    return h;
}

static bool feasible_of(const cp_sweep_spec *s, const double *m)
{
    for (size_t c = 0; c < s->nconstraints; c++) {
        double v = m[s->noutputs + c];
        if (!(v >= s->constraint[c].min && v <= s->constraint[c].max))
            return false;
    }
    return true;
}

/* A point's values as --set lines ("path=value", 17 digits: exact). */
typedef struct point_sets {
    char buf[CP_SWEEP_MAX_PARAMS][CP_TEXT_MAX + 32];
    const char *set[CP_SWEEP_MAX_PARAMS];
} point_sets;

static void sets_of(const cp_sweep_spec *s, const double *values, point_sets *ps)
{
    for (size_t j = 0; j < s->nparams; j++) {
        snprintf(ps->buf[j], sizeof ps->buf[j], "%s=%.17g", s->param[j].path, values[j]);
        ps->set[j] = ps->buf[j];
    }
}

/* Id of measure k: the outputs, then the constrained outputs. */
static int measure_id(const cp_sweep_spec *s, size_t k)
{
    return k < s->noutputs ? s->output[k].id : s->constraint[k - s->noutputs].id;
}

/* Checks the measures m, then fills outputs and feasibility. */
static int finish(const cp_sweep_spec *s, const char *where, const double *m, double *outputs,
                  bool *feasible, cp_error *err)
{
    for (size_t k = 0; k < s->noutputs + s->nconstraints; k++)
        if (!isfinite(m[k]))
            return cp_fail(err, where, 0, 0, "output '%s' is not a finite number",
                           k < s->noutputs ? s->output[k].output
                                           : s->constraint[k - s->noutputs].output);
    memcpy(outputs, m, s->noutputs * sizeof *m);
    *feasible = feasible_of(s, m);
    return 0;
}

static void measure_eval(const cp_sweep_spec *s, const cp_result *r, double *m)
{
    for (size_t k = 0; k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_eval(measure_id(s, k), r);
}

int cp_sweep_point(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                   const double *values, double *outputs, bool *feasible, cp_error *err)
{
    point_sets ps;
    sets_of(s, values, &ps);
    double m[CP_SWEEP_MAX_OUTPUTS + CP_SWEEP_MAX_RULES];
    int rc;
    if (s->command == CP_SWEEP_FABRIC) {
        cp_fabric_spec *f = malloc(sizeof *f);
        cp_fabric_result *r = malloc(sizeof *r);
        rc = !f || !r ? cp_fail(err, scenario, 0, 0, "out of memory")
             : cp_fabric_load(scenario, cat, ps.set, s->nparams, f, err) ||
                       cp_fabric_eval(f, r, err) ? -1 : 0;
        for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
            m[k] = cp_metric_fabric(measure_id(s, k), r);
        free(f);
        free(r);
    } else {
        cp_design *d = malloc(sizeof *d);
        cp_result *r = malloc(sizeof *r);
        rc = !d || !r ? cp_fail(err, scenario, 0, 0, "out of memory")
             : cp_scenario_load(scenario, cat, ps.set, s->nparams, d, err);
        if (rc == 0) {
            cp_design_eval(d, r);
            measure_eval(s, r, m);
        }
        free(d);
        free(r);
    }
    return rc ? -1 : finish(s, scenario, m, outputs, feasible, err);
}

/* The fast path of eval sweeps: when each parameter's --set path lands in
 * exactly one number of the loaded design (found by loading the design at
 * two values of it and comparing the structs), a point is the base design
 * with those numbers written in, and no YAML is parsed per point.  It is
 * used only after it reproduced the full load bit for bit on probe points. */
typedef struct fastpath {
    bool on;
    cp_design base;
    size_t off[CP_SWEEP_MAX_PARAMS];  /* byte offset of the double, or NONE */
} fastpath;
#define NONE ((size_t)-1)

static int load_at(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                   const double *values, cp_design *d)
{
    point_sets ps;
    sets_of(s, values, &ps);
    cp_error e;
    return cp_scenario_load(scenario, cat, ps.set, s->nparams, d, &e);
}

/* the one aligned double where a and b differ, holding va in a and vb in b */
static size_t the_field(const cp_design *a, const cp_design *b, double va, double vb)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t found = NONE;
    for (size_t o = 0; o + sizeof(double) <= sizeof *a; o += sizeof(double)) {
        if (memcmp(x + o, y + o, sizeof(double)) == 0)
            continue;
        double p, q;
        memcpy(&p, x + o, sizeof p);
        memcpy(&q, y + o, sizeof q);
        if (found != NONE || p != va || q != vb)
            return NONE;
        found = o;
    }
    return found;
}

static void apply(const fastpath *fp, size_t np, const double *values, cp_design *d)
{
    memcpy(d, &fp->base, sizeof *d);
    for (size_t j = 0; j < np; j++)
        if (fp->off[j] != NONE)
            memcpy((unsigned char *)d + fp->off[j], &values[j], sizeof(double));
}

static bool same_result(const cp_design *a, const cp_design *b)
{
    cp_result *ra = calloc(1, sizeof *ra), *rb = calloc(1, sizeof *rb); /* unused groups zero */
    bool same = ra && rb;
    if (same) {
        cp_design_eval(a, ra);
        cp_design_eval(b, rb);
        same = memcmp(ra, rb, sizeof *ra) == 0;
    }
    free(ra);
    free(rb);
    return same;
}

static void probe(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                  const double *values, size_t n, fastpath *fp)
{
    size_t d = s->nparams;
    fp->on = false;
    if (s->command != CP_SWEEP_EVAL || s->full_load || n < 2)
        return;
    cp_design *alt = malloc(sizeof *alt), *full = malloc(sizeof *full);
    double *v = malloc(d * sizeof *v);
    bool ok = alt && full && v && load_at(s, cat, scenario, values, &fp->base) == 0;
    for (size_t j = 0; ok && j < d; j++) {
        fp->off[j] = NONE;
        size_t other = 1;
        while (other < n && values[other * d + j] == values[j])
            other++;
        if (other == n)
            continue; /* one value for every point: already in the base */
        memcpy(v, values, d * sizeof *v);
        v[j] = values[other * d + j];
        ok = load_at(s, cat, scenario, v, alt) == 0;
        if (ok)
            fp->off[j] = the_field(&fp->base, alt, values[j], v[j]);
        ok = ok && fp->off[j] != NONE;
    }
    /* the fast path must reproduce full loads: first, middle and last points */
    size_t probes[3] = {0, n / 2, n - 1};
    for (int k = 0; ok && k < 3; k++) {
        const double *pv = values + probes[k] * d;
        ok = load_at(s, cat, scenario, pv, full) == 0;
        if (ok) {
            apply(fp, d, pv, alt);
            ok = same_result(full, alt);
        }
    }
    fp->on = ok;
    free(alt);
    free(full);
    free(v);
}

static int fast_point(const cp_sweep_spec *s, const fastpath *fp, const double *values,
                      double *outputs, bool *feasible, cp_error *err)
{
    cp_design *d = malloc(sizeof *d);
    cp_result *r = malloc(sizeof *r);
    double m[CP_SWEEP_MAX_OUTPUTS + CP_SWEEP_MAX_RULES];
    int rc = d && r ? 0 : cp_fail(err, s->file, 0, 0, "out of memory");
    if (rc == 0) {
        apply(fp, s->nparams, values, d);
        cp_design_eval(d, r);
        measure_eval(s, r, m);
    }
    free(d);
    free(r);
    return rc ? -1 : finish(s, s->file, m, outputs, feasible, err);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

typedef struct keyed {
    unsigned long long hash;
    size_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* dup[i] = 1 when an earlier point of the design has the same inputs */
static int mark_duplicates(const unsigned long long *h, size_t n, unsigned char *dup)
{
    keyed *k = malloc(n * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){h[i], i};
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++)
        dup[k[i].idx] = i > 0 && k[i].hash == k[i - 1].hash;
    free(k);
    return 0;
}

typedef struct chunk {
    size_t n;
    size_t seq[CHUNK];
    unsigned long long hash[CHUNK];
    double out[CHUNK][CP_SWEEP_MAX_OUTPUTS];
    bool ok[CHUNK], feasible[CHUNK];
    char *msg[CHUNK];            /* a failed point's message (heap), else NULL */
    cp_sweep_row rows[CHUNK];
} chunk;

static void run_chunk(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                      const fastpath *fp, const double *values, chunk *c)
{
    /* a point of the fast path costs about a microsecond, less than its row
     * in the store: threads would only wait for the writer */
    #pragma omp parallel for schedule(dynamic, 4) if (!fp->on)
    for (size_t i = 0; i < c->n; i++) {
        cp_error e = {0};
        const double *v = values + c->seq[i] * s->nparams;
        c->ok[i] = (fp->on ? fast_point(s, fp, v, c->out[i], &c->feasible[i], &e)
                           : cp_sweep_point(s, cat, scenario, v, c->out[i], &c->feasible[i],
                                            &e)) == 0;
        c->msg[i] = NULL;
        if (!c->ok[i]) {
            char buf[sizeof e.msg + sizeof e.file + 32];
            c->msg[i] = strdup(cp_error_format(&e, buf, sizeof buf));
        }
    }
}

static int write_chunk(const cp_sweep_spec *s, cp_store *st, const double *values,
                       chunk *c, cp_sweep_stats *stats, cp_error *err)
{
    cp_sweep_row *rows = c->rows;
    for (size_t i = 0; i < c->n; i++) {
        rows[i] = (cp_sweep_row){c->hash[i], c->seq[i], values + c->seq[i] * s->nparams,
                                 c->out[i], c->ok[i], c->ok[i] && c->feasible[i],
                                 c->ok[i] ? NULL : c->msg[i] ? c->msg[i] : "out of memory"};
        stats->failed += !c->ok[i];
        stats->feasible += c->ok[i] && c->feasible[i];
    }
    int rc = cp_store_put(st, rows, c->n, err);
    for (size_t i = 0; i < c->n; i++) {
        free(c->msg[i]);
        c->msg[i] = NULL;
    }
    if (rc)
        return -1;
    stats->computed += c->n;
    return 0;
}

int cp_sweep_run(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                 cp_store *st, cp_sweep_progress cb, void *ctx, cp_sweep_stats *stats,
                 cp_error *err)
{
    cp_sweep_stats local = {0};
    stats = stats ? stats : &local;
    memset(stats, 0, sizeof *stats);
    size_t n = cp_sweep_count(s), d = s->nparams;
    stats->total = n;
    double *values = malloc(n * d * sizeof *values);
    unsigned long long *hash = malloc(n * sizeof *hash), *done = NULL;
    unsigned char *dup = malloc(n);
    chunk *c = malloc(sizeof *c);
    fastpath *fp = malloc(sizeof *fp);
    size_t ndone = 0;
    int rc = -1;
    if (!values || !hash || !dup || !c || !fp) {
        cp_fail(err, s->file, 0, 0, "out of memory for %zu points", n);
        goto out;
    }
    if (cp_sweep_values(s, values, err) || cp_store_done(st, &done, &ndone, err))
        goto out;
    for (size_t i = 0; i < n; i++)
        hash[i] = cp_sweep_point_hash(s, scenario, values + i * d);
    if (mark_duplicates(hash, n, dup)) {
        cp_fail(err, s->file, 0, 0, "out of memory for %zu points", n);
        goto out;
    }
    probe(s, cat, scenario, values, n, fp);
    stats->fast = fp->on;
    c->n = 0;
    size_t limit = CHUNK_MIN;
    double t0 = seconds();
    for (size_t i = 0; i <= n; i++) {
        if (i < n) {
            if (dup[i] || (ndone && bsearch(&hash[i], done, ndone, sizeof *done, cmp_u64))) {
                stats->skipped++;
                continue;
            }
            c->seq[c->n] = i;
            c->hash[c->n++] = hash[i];
        }
        if (c->n == limit || (i == n && c->n > 0)) {
            run_chunk(s, cat, scenario, fp, values, c);
            if (write_chunk(s, st, values, c, stats, err))
                goto out;
            c->n = 0;
            double t1 = seconds();
            if (t1 - t0 < CHUNK_S / 2 && limit < CHUNK)
                limit *= 2;
            t0 = t1;
            if (cb && cb(stats->skipped + stats->computed, n, ctx)) {
                rc = 0;
                goto out;
            }
        }
    }
    rc = 0;
out:
    free(values);
    free(hash);
    free(dup);
    free(c);
    free(fp);
    free(done);
    return rc;
}
