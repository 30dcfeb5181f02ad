/*
 * tco_uncertainty.c — the TCO answer as a probability.
 *
 * The uncertain inputs of A and B (tco_inputs.c) are sampled together: a
 * design of the unit cube (Latin hypercube by default, src/sample.c) mapped
 * through each input's quantile function, so an input both options use takes
 * the same value in both (common random numbers: the difference carries no
 * noise from sampling it twice).  Each run sets every input in copies of A
 * and B and evaluates the model; runs depend on their index only and are
 * written by index, so any number of OpenMP threads gives the same figures.
 *
 * Outputs: the TCO difference d = B - A pricing the cases' own workload, or
 * (opts.by_workload) one per workload both options have, each priced with
 * the same sampled inputs (a workload figure such as gpu_hour_usd moves every
 * workload by the same multiple of its own point value).  Per output:
 *   P(B wins) = share of runs with d < 0, with the Wilson score interval
 *   (Wilson, JASA 22, 1927) for the sampling error of that share:
 *     (p + z^2/2n  +/-  z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), z = 1.96;
 *   mean, P5, P50, P95 (GSL quantiles of the sorted sample);
 *   Spearman rank correlation of d with each input (sensitivity.c);
 *   with the Saltelli design, first and total Sobol indices as well
 *   (statistics of d over its A and B blocks, which are independent points;
 *   A and B from a 2 x inputs Sobol sequence, or from a Latin hypercube
 *   beyond the sequence's 40 dimensions).
 */
#include "internal.h"
#include "rel_internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define Z95_2 1.959963984540054      /* two-sided 95 % normal quantile */

void cp_tco_common_workloads(const cp_tco_case *a, const cp_tco_case *b, cp_tco_workloads *w)
{
    w->n = 0;
    for (size_t k = 0; k < a->in.nworkloads && w->n < CP_MAX_WORKLOADS; k++)
        for (size_t m = 0; m < b->in.nworkloads; m++)
            if (strcmp(a->in.workload[k].name, b->in.workload[m].name) == 0) {
                cp_strlcpy(w->name[w->n++], a->in.workload[k].name, CP_NAME_MAX);
                break;
            }
}

_Static_assert(CP_UNC_MAX_OUTPUTS >= CP_MAX_WORKLOADS, "one output per workload");

static size_t nout_of(const cp_tco_workloads *w) { return w && w->n ? w->n : 1; }

/* One run of the model: for each output, fresh copies of a and b pricing its
 * workload, the run's inputs set (set == NULL: the point values), both TCOs;
 * diff[i] = B - A. */
static int model(const cp_tco_case *a, const cp_tco_case *b, const cp_tco_workloads *w,
                 cp_tco_run_set set, size_t k, const void *ctx, cp_tco_case *wa,
                 cp_tco_case *wb, cp_placement_cache *cache, double *diff, cp_error *err)
{
    for (size_t i = 0; i < nout_of(w); i++) {
        memcpy(wa, a, sizeof *wa);
        memcpy(wb, b, sizeof *wb);
        if (w && w->n && (cp_tco_case_workload(wa, w->name[i], err) ||
                          cp_tco_case_workload(wb, w->name[i], err)))
            return -1;
        if (set)
            set(k, wa, wb, ctx);
        cp_tco ta, tb;
        if (cp_tco_eval_in(wa, NULL, cache, &ta, err) ||
            cp_tco_eval_in(wb, NULL, cache, &tb, err))
            return -1;
        diff[i] = tb.total_usd - ta.total_usd;
    }
    return 0;
}

static int check_opts(const cp_tco_case *b, const cp_unc_opts *o, cp_error *err)
{
    if (o->samples < 1 || o->samples > CP_UNC_MAX_SAMPLES)
        return cp_fail(err, b->fabric.name, 0, 0, "uncertainty: %zu samples; expected 1..%d",
                       o->samples, CP_UNC_MAX_SAMPLES);
    if (o->design > CP_UNC_SALTELLI)
        return cp_fail(err, b->fabric.name, 0, 0, "uncertainty: unknown design %d",
                       (int)o->design);
    return 0;
}

static size_t runs_of(const cp_unc_opts *o, size_t dim)
{
    return o->design == CP_UNC_SALTELLI ? o->samples * (dim + 2) : o->samples;
}

int cp_tco_unc_estimate(const cp_tco_case *a, const cp_tco_case *b, const cp_unc_opts *o,
                        size_t *runs, cp_error *err)
{
    cp_unc_set *s = malloc(sizeof *s);
    if (!s)
        return cp_fail(err, b->fabric.name, 0, 0, "out of memory");
    int rc = check_opts(b, o, err) || cp_unc_merge(a, b, s, NULL, NULL, err) ? -1 : 0;
    size_t dim = s->n;
    free(s);
    if (rc)
        return -1;
    if (o->design == CP_UNC_SALTELLI && (dim == 0 || o->samples < 2))
        return cp_fail(err, b->fabric.name, 0, 0, "uncertainty: Sobol indices need at least "
                       "one uncertain input and 2 samples (the options have %zu inputs)", dim);
    *runs = runs_of(o, dim);
    if (*runs > CP_UNC_MAX_RUNS)
        return cp_fail(err, b->fabric.name, 0, 0, "uncertainty: %zu samples x %zu runs each "
                       "= %zu model runs per option, more than %d; use fewer samples",
                       o->samples, *runs / o->samples, *runs, CP_UNC_MAX_RUNS);
    return 0;
}

#define SOBOL_MAX_DIM 40 /* GSL's gsl_qrng_sobol; a Saltelli design takes 2 x inputs */

static int unit_design(const cp_unc_opts *o, size_t dim, size_t runs, double *u, cp_error *err)
{
    if (dim == 0)
        return 0;
    if (o->design == CP_UNC_SALTELLI)
        /* past the Sobol sequence's dimensions the A and B halves come from a
         * Latin hypercube: the estimators need only independent A and B */
        return cp_saltelli_design_from(2 * dim <= SOBOL_MAX_DIM ? CP_DOE_SOBOL : CP_DOE_LHS,
                                       dim, o->samples, o->seed, u, err);
    cp_doe_kind k = o->design == CP_UNC_SOBOL ? CP_DOE_SOBOL
                    : o->design == CP_UNC_RANDOM ? CP_DOE_RANDOM : CP_DOE_LHS;
    return cp_doe_unit(k, dim, runs, o->seed, NULL, u, err);
}

int cp_tco_runs(const cp_tco_case *a, const cp_tco_case *b, const cp_tco_workloads *w,
                size_t runs, cp_tco_run_set set, const void *ctx, double *out, cp_error *err)
{
    long failed = -1;
    int oom = 0;
#pragma omp parallel
    {
        cp_tco_case *wa = malloc(sizeof *wa), *wb = malloc(sizeof *wb);
        cp_placement_cache *cache = cp_placement_cache_new(); /* the jobs, built once */
        cp_error e = {0};
        if (!wa || !wb || !cache) {
#pragma omp atomic write
            oom = 1;
        }
#pragma omp for schedule(dynamic, 4)
        for (size_t k = 0; k < runs; k++) {
            int stop;
#pragma omp atomic read
            stop = oom;
            if (stop || !wa || !wb || !cache)
                continue;
            if (model(a, b, w, set, k, ctx, wa, wb, cache, out + k * nout_of(w), &e)) {
#pragma omp critical(cp_tco_runs_fail)
                if (failed < 0 || (long)k < failed) {
                    failed = (long)k;
                    *err = e;
                }
            }
        }
        free(wa);
        free(wb);
        cp_placement_cache_free(cache);
    }
    if (oom)
        return cp_fail(err, b->fabric.name, 0, 0, "out of memory for the work copies");
    return failed >= 0 ? -1 : 0;
}

/* run k of a sample: every uncertain input at its sampled value */
static void set_sample(size_t k, cp_tco_case *wa, cp_tco_case *wb, const void *ctx)
{
    const cp_unc_result *r = ctx;
    const size_t dim = r->inputs.n;
    for (size_t i = 0; i < dim; i++) {
        cp_unc_apply(wa, &r->inputs.in[i], r->x[k * dim + i]);
        cp_unc_apply(wb, &r->inputs.in[i], r->x[k * dim + i]);
    }
}

static double wilson(double p, double n, int side)
{
    double z = Z95_2, z2 = z * z;
    double c = (p + z2 / (2 * n)) / (1 + z2 / n);
    double h = z / (1 + z2 / n) * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
    return side < 0 ? fmax(0, c - h) : fmin(1, c + h);
}

/* |rho| descending, NaN (a constant) last, ties by index: an insertion sort
 * of at most CP_UNC_MAX_INPUTS indices */
static bool before(const double *rho, size_t p, size_t q)
{
    double a = isnan(rho[p]) ? -1 : fabs(rho[p]), b = isnan(rho[q]) ? -1 : fabs(rho[q]);
    return a > b || (a == b && p < q);
}

static void order_by_rho(const double *rho, size_t *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t v = i, j = i;
        for (; j > 0 && before(rho, v, order[j - 1]); j--)
            order[j] = order[j - 1];
        order[j] = v;
    }
}

/* statistics of output o over the first n runs (Saltelli: its A and B blocks) */
static int summarize(cp_unc_result *r, size_t o, size_t n, cp_error *err)
{
    cp_unc_output *s = &r->out[o];
    const size_t dim = r->inputs.n;
    double *d = malloc(n * sizeof *d), *col = malloc(n * sizeof *col);
    if (!d || !col) {
        free(d);
        free(col);
        return cp_fail(err, "uncertainty", 0, 0, "out of memory");
    }
    double wins = 0, sum = 0;
    s->min = INFINITY, s->max = -INFINITY;
    for (size_t k = 0; k < n; k++) {
        d[k] = r->diff[k * r->noutputs + o];
        wins += d[k] < 0;
        sum += d[k];
        s->min = fmin(s->min, d[k]);
        s->max = fmax(s->max, d[k]);
    }
    s->p_b_wins = wins / (double)n;
    s->p_lo = wilson(s->p_b_wins, (double)n, -1);
    s->p_hi = wilson(s->p_b_wins, (double)n, +1);
    s->mean = sum / (double)n;
    static const double p[3] = {0.05, 0.5, 0.95};
    double q[3];
    int rc = cp_quantiles(d, n, p, 3, q, err);
    s->p5 = q[0], s->p50 = q[1], s->p95 = q[2];
    for (size_t i = 0; i < dim; i++) {
        for (size_t k = 0; k < n; k++)
            col[k] = r->x[k * dim + i];
        s->rho[i] = s->min == s->max ? NAN : cp_spearman(col, d, n);
    }
    order_by_rho(s->rho, s->order, dim);
    free(d);
    free(col);
    return rc;
}

/* first and total Sobol indices of output o from the whole Saltelli design */
static void sobol(cp_unc_result *r, size_t o)
{
    cp_unc_output *s = &r->out[o];
    const size_t dim = r->inputs.n, n = r->opts.samples;
    double *f = malloc(r->runs * sizeof *f);
    if (!f)
        return;
    for (size_t k = 0; k < r->runs; k++)
        f[k] = r->diff[k * r->noutputs + o];
    s->sobol = cp_sobol_indices(dim, n, f, s->s1, s->st, NULL) == 0; /* constant: none */
    free(f);
}

int cp_tco_uncertainty(const cp_tco_case *a, const cp_tco_case *b, const cp_unc_opts *o,
                       cp_unc_result *r, cp_error *err)
{
    memset(r, 0, sizeof *r);
    r->opts = *o;
    if (cp_tco_unc_estimate(a, b, o, &r->runs, err) ||
        cp_unc_merge(a, b, &r->inputs, r->in_a, r->in_b, err))
        return -1;
    const size_t dim = r->inputs.n, runs = r->runs;
    cp_tco_workloads wl = {0};
    if (o->by_workload)
        cp_tco_common_workloads(a, b, &wl);
    const size_t nout = nout_of(&wl);
    r->noutputs = nout;
    r->x = malloc((dim ? runs * dim : 1) * sizeof *r->x);
    r->diff = malloc(runs * nout * sizeof *r->diff);
    cp_tco_case *wa = malloc(sizeof *wa), *wb = malloc(sizeof *wb);
    if (!r->x || !r->diff || !wa || !wb) {
        free(wa);
        free(wb);
        cp_unc_result_free(r);
        return cp_fail(err, b->fabric.name, 0, 0, "out of memory for %zu runs", runs);
    }
    double point[CP_UNC_MAX_OUTPUTS];
    int rc = model(a, b, &wl, NULL, 0, NULL, wa, wb, NULL, point, err) ||
                     unit_design(o, dim, runs, r->x, err) ? -1 : 0;
    free(wa);
    free(wb);
    for (size_t k = 0; rc == 0 && k < runs * dim; k++) /* unit point -> input value */
        r->x[k] = cp_dist_quantile(&r->inputs.in[k % dim].dist, r->x[k]);
    if (rc == 0)
        rc = cp_tco_runs(a, b, &wl, r->runs, set_sample, r, r->diff, err);
    size_t nstat = o->design == CP_UNC_SALTELLI ? 2 * o->samples : runs;
    for (size_t i = 0; rc == 0 && i < nout; i++) {
        cp_strlcpy(r->out[i].name, wl.n ? wl.name[i] : *a->rel.job.name ? a->rel.job.name : "tco",
                   sizeof r->out[i].name);
        r->out[i].point = point[i];
        rc = summarize(r, i, nstat, err);
        if (rc == 0 && o->design == CP_UNC_SALTELLI)
            sobol(r, i);
    }
    if (rc)
        cp_unc_result_free(r);
    return rc;
}

void cp_unc_result_free(cp_unc_result *r)
{
    free(r->x);
    free(r->diff);
    r->x = r->diff = NULL;
}
