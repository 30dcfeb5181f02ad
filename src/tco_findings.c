/*
 * tco_findings.c — what a TCO comparison reports beyond the two totals:
 * where the answer flips (break-even of one parameter, GSL's Brent solver on
 * TCO(b) - TCO(a) over a search range) and the tornado (one uncertain input
 * at a time to the low and high ends of its range in the data, bars sorted by
 * swing).
 *
 * A flip exists only where the difference changes sign inside the range; a
 * range whose ends give the same sign (or identical totals) has none, and
 * says so.  The solver's status is checked at every step; GSL's error handler
 * is left as the program set it.
 */
#include "internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ITER 200
#define REL_TOL 1e-9

/* Search ranges of the flips: up to 1e6 FIT (a 114-year MTBF down to one of
 * 1000 h), 0.1-2000 h switch response, 0-5 $/kWh (ten times the dearest
 * retail electricity). */
static const cp_tco_param flip_param[CP_TCO_FLIPS] = {CP_TP_ENGINE_FIT, CP_TP_SWITCH_MTTR,
                                                      CP_TP_ELECTRICITY};
static const double flip_lo[CP_TCO_FLIPS] = {0, 0.1, 0}, flip_hi[CP_TCO_FLIPS] = {1e6, 2000, 5};

typedef struct pair {
    const cp_tco_case *a, *b;
    cp_tco_param p;
    const cp_unc_input *in; /* the tornado's input (NULL: p) */
    cp_tco_case *wa, *wb;   /* work copies */
    int failed;
    cp_error *err;
} pair;

static int pair_open(pair *x, const cp_tco_case *a, const cp_tco_case *b, cp_error *err)
{
    *x = (pair){a, b, 0, NULL, malloc(sizeof *x->wa), malloc(sizeof *x->wb), 0, err};
    if (x->wa && x->wb)
        return 0;
    free(x->wa);
    free(x->wb);
    return cp_fail(err, b->fabric.name, 0, 0, "out of memory");
}

static void pair_close(pair *x)
{
    free(x->wa);
    free(x->wb);
}

/* TCO(b) - TCO(a) with p = v in both; an evaluation error is kept in x and
 * a finite 0 returned, so the solver never sees a non-finite value */
static double diff_at(double v, void *ctx)
{
    pair *x = ctx;
    if (x->failed)
        return 0;
    memcpy(x->wa, x->a, sizeof *x->wa);
    memcpy(x->wb, x->b, sizeof *x->wb);
    if (x->in) {
        cp_unc_apply(x->wa, x->in, v);
        cp_unc_apply(x->wb, x->in, v);
    } else {
        cp_tco_apply(x->wa, x->p, v);
        cp_tco_apply(x->wb, x->p, v);
    }
    cp_tco ta, tb;
    if (cp_tco_eval(x->wa, NULL, &ta, x->err) || cp_tco_eval(x->wb, NULL, &tb, x->err)) {
        x->failed = 1;
        return 0;
    }
    return tb.total_usd - ta.total_usd;
}

static int solver_fail(pair *x, int status, const char *what)
{
    return cp_fail(x->err, x->b->fabric.name, 0, 0, "break-even of %s: %s (%s)",
                   cp_tco_param_name(x->p), what, gsl_strerror(status));
}

static int brent(pair *x, double lo, double hi, double *root)
{
    gsl_function F = {diff_at, x};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return cp_fail(x->err, x->b->fabric.name, 0, 0, "out of memory for the root finder");
    int rc = -1, status = gsl_root_fsolver_set(s, &F, lo, hi);
    if (status != GSL_SUCCESS)
        solver_fail(x, status, "the solver rejects the bracket");
    for (int i = 0; status == GSL_SUCCESS && i < MAX_ITER && rc != 0; i++) {
        status = gsl_root_fsolver_iterate(s);
        if (x->failed)
            break;
        if (status != GSL_SUCCESS) {
            solver_fail(x, status, "an iteration failed");
            break;
        }
        double xl = gsl_root_fsolver_x_lower(s), xu = gsl_root_fsolver_x_upper(s);
        *root = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(xl, xu, REL_TOL * (hi - lo) * 1e-3, REL_TOL) == GSL_SUCCESS)
            rc = 0;
    }
    if (rc != 0 && status == GSL_SUCCESS && !x->failed)
        cp_fail(x->err, x->b->fabric.name, 0, 0, "break-even of %s: no convergence in %d "
                "iterations (bracket %g..%g)", cp_tco_param_name(x->p), MAX_ITER,
                gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s));
    gsl_root_fsolver_free(s);
    return rc;
}

int cp_tco_break_even(const cp_tco_case *a, const cp_tco_case *b, cp_tco_param p,
                      double lo, double hi, bool *flips, double *root, cp_error *err)
{
    *flips = false;
    *root = NAN;
    if (!(isfinite(lo) && isfinite(hi) && lo < hi))
        return cp_fail(err, b->fabric.name, 0, 0, "break-even of %s: the range %g..%g is "
                       "not an interval", cp_tco_param_name(p), lo, hi);
    pair x;
    if (pair_open(&x, a, b, err))
        return -1;
    x.p = p;
    double flo = diff_at(lo, &x), fhi = diff_at(hi, &x);
    int rc = x.failed ? -1 : 0;
    if (rc == 0 && !(flo == 0 && fhi == 0)) { /* equal at both ends: no flip */
        if (flo == 0 || fhi == 0) {           /* equal exactly at one end */
            *flips = true;
            *root = flo == 0 ? lo : hi;
        } else if ((flo < 0) != (fhi < 0)) {
            rc = brent(&x, lo, hi, root);
            *flips = rc == 0;
        }
    }
    pair_close(&x);
    return rc;
}

static int by_swing(const void *p, const void *q)
{
    const cp_tornado_bar *a = p, *b = q;
    double sa = fabs(a->high_delta - a->low_delta), sb = fabs(b->high_delta - b->low_delta);
    if (sa != sb)
        return (sa < sb) - (sa > sb);
    return strcmp(a->input, b->input); /* stable for ties */
}

/* current value of p: from b, or from a when b lacks it (engine FIT) */
static double now_of(const cp_tco_case *a, const cp_tco_case *b, cp_tco_param p)
{
    double v = cp_tco_param_now(b, p);
    return isnan(v) ? cp_tco_param_now(a, p) : v;
}

/* Each uncertain input of a or b to the ends of its range in the data
 * (cp_dist_ends), all others at their point values. */
int cp_tco_tornado(const cp_tco_case *a, const cp_tco_case *b, cp_tornado_bar *out,
                   size_t *n, cp_error *err)
{
    pair x;
    *n = 0;
    cp_unc_set *in = malloc(sizeof *in);
    if (!in)
        return cp_fail(err, b->fabric.name, 0, 0, "out of memory");
    if (cp_unc_merge(a, b, in, NULL, NULL, err) || pair_open(&x, a, b, err)) {
        free(in);
        return -1;
    }
    for (size_t i = 0; i < in->n && !x.failed; i++) {
        cp_tornado_bar *bar = &out[(*n)++];
        x.in = &in->in[i];
        cp_strlcpy(bar->input, x.in->name, sizeof bar->input);
        cp_dist_ends(&x.in->dist, &bar->low_value, &bar->high_value);
        bar->low_delta = diff_at(bar->low_value, &x);
        bar->high_delta = diff_at(bar->high_value, &x);
    }
    int rc = x.failed ? -1 : 0;
    pair_close(&x);
    free(in);
    if (rc == 0)
        qsort(out, *n, sizeof *out, by_swing);
    return rc;
}

static bool weibull(const cp_tco_case *c)
{
    for (size_t k = 0; k < c->rel.nclasses; k++)
        if (c->rel.cls[k].shape != 1)
            return true;
    return false;
}

/* the TCO of both options pricing each workload of A that B has too */
static int by_workload(const cp_tco_case *a, const cp_tco_case *b, cp_tco_findings *x,
                       cp_error *err)
{
    cp_tco_case *c[2] = {malloc(sizeof **c), malloc(sizeof **c)};
    int rc = c[0] && c[1] ? 0 : cp_fail(err, a->fabric.name, 0, 0, "out of memory");
    cp_tco_workloads wl;
    cp_tco_common_workloads(a, b, &wl);
    for (size_t k = 0; rc == 0 && k < wl.n; k++) {
        for (int i = 0; rc == 0 && i < 2; i++) {
            *c[i] = i ? *b : *a;
            rc = cp_tco_case_workload(c[i], wl.name[k], err) ||
                 cp_tco_eval(c[i], NULL, &x->workload_tco[k][i], err);
        }
        if (rc == 0) {
            cp_strlcpy(x->workload[k], wl.name[k], CP_NAME_MAX);
            x->profile[k] = c[0]->rel.job.profile;
            x->nworkloads++;
        }
    }
    free(c[0]);
    free(c[1]);
    return rc;
}

int cp_tco_findings_eval(const cp_tco_case *a, const cp_tco_case *b, cp_tco_findings *x,
                         cp_error *err)
{
    memset(x, 0, sizeof *x);
    for (int i = 0; i < CP_TCO_FLIPS; i++) {
        x->param[i] = flip_param[i];
        x->lo[i] = flip_lo[i];
        x->hi[i] = flip_hi[i];
        x->now[i] = now_of(a, b, flip_param[i]);
        if (cp_tco_break_even(a, b, flip_param[i], flip_lo[i], flip_hi[i], &x->flips[i],
                              &x->root[i], err))
            return -1;
    }
    x->weibull = weibull(a) || weibull(b);
    return cp_tco_tornado(a, b, x->bars, &x->nbars, err) || by_workload(a, b, x, err) ? -1 : 0;
}
