/*
 * sample.c — designs over uncertain or swept inputs, shared by sweeps and
 * the uncertainty analysis: points of the unit cube (full grid, plain Monte
 * Carlo, Latin hypercube, Sobol low-discrepancy sequence) mapped through each
 * input's distribution by its quantile function.
 *
 *   Latin hypercube (McKay, Beckman & Conover, Technometrics 21, 1979): in
 *   each dimension the n strata [k/n, (k+1)/n) are each hit once, in a random
 *   order, at a uniform position inside the stratum.
 *   Sobol sequence: GSL's gsl_qrng_sobol (Bratley & Fox, ACM TOMS 14, 1988),
 *   up to 40 dimensions; its first point is the centre of the cube.
 *   Lognormal with an error factor EF = x95 / x50 (the convention of
 *   reliability data handbooks, e.g. NUREG/CR-6928): sigma = ln(EF) / 1.6449.
 */
#include "internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_qrng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define Z95 1.6448536269514722 /* standard normal 95th percentile */
#define SOBOL_MAX_DIM 40       /* GSL's gsl_qrng_sobol limit */

const char *cp_dist_name(cp_dist_kind k)
{
    static const char *const n[] = {"fixed", "uniform", "loguniform", "triangular",
                                    "lognormal", "normal"};
    return k <= CP_DIST_NORMAL ? n[k] : "?";
}

int cp_dist_check(const cp_dist *d, const char *what, cp_error *err)
{
    bool ok = true;
    switch (d->kind) {
    case CP_DIST_FIXED:
        ok = isfinite(d->value);
        break;
    case CP_DIST_UNIFORM:
        ok = isfinite(d->lo) && isfinite(d->hi) && d->lo <= d->hi;
        break;
    case CP_DIST_LOGUNIFORM:
        ok = d->lo > 0 && isfinite(d->hi) && d->lo <= d->hi;
        break;
    case CP_DIST_TRIANGULAR:
        ok = isfinite(d->lo) && isfinite(d->hi) && d->lo <= d->value && d->value <= d->hi &&
             d->lo < d->hi;
        break;
    case CP_DIST_LOGNORMAL:
        ok = d->value > 0 && isfinite(d->value) && d->error_factor >= 1 &&
             isfinite(d->error_factor);
        break;
    case CP_DIST_NORMAL:
        ok = isfinite(d->value) && d->sd >= 0 && isfinite(d->sd);
        break;
    default:
        ok = false;
    }
    if (!ok)
        return cp_fail(err, what, 0, 0, "%s: a %s distribution needs %s", what,
                       cp_dist_name(d->kind),
                       d->kind == CP_DIST_LOGUNIFORM ? "0 < low <= high"
                       : d->kind == CP_DIST_TRIANGULAR ? "low <= likely <= high, low < high"
                       : d->kind == CP_DIST_LOGNORMAL ? "a median > 0 and an error factor >= 1"
                       : d->kind == CP_DIST_NORMAL ? "a finite mean and sd >= 0"
                                                   : "finite low <= high");
    return 0;
}

double cp_dist_quantile(const cp_dist *d, double u)
{
    switch (d->kind) {
    case CP_DIST_FIXED:
        return d->value;
    case CP_DIST_UNIFORM:
        return d->lo + u * (d->hi - d->lo);
    case CP_DIST_LOGUNIFORM:
        return d->lo * pow(d->hi / d->lo, u);
    case CP_DIST_TRIANGULAR: {
        double a = d->lo, c = d->value, b = d->hi, fc = (c - a) / (b - a);
        return u < fc ? a + sqrt(u * (b - a) * (c - a))
                      : b - sqrt((1 - u) * (b - a) * (b - c));
    }
    case CP_DIST_LOGNORMAL:
        return d->value * exp(log(d->error_factor) / Z95 * gsl_cdf_ugaussian_Pinv(u));
    case CP_DIST_NORMAL:
        return d->value + d->sd * gsl_cdf_ugaussian_Pinv(u);
    }
    return NAN;
}

double cp_dist_mean(const cp_dist *d)
{
    switch (d->kind) {
    case CP_DIST_FIXED:
    case CP_DIST_NORMAL:
        return d->value;
    case CP_DIST_UNIFORM:
        return (d->lo + d->hi) / 2;
    case CP_DIST_LOGUNIFORM:
        return d->hi > d->lo ? (d->hi - d->lo) / log(d->hi / d->lo) : d->lo;
    case CP_DIST_TRIANGULAR:
        return (d->lo + d->value + d->hi) / 3;
    case CP_DIST_LOGNORMAL: {
        double s = log(d->error_factor) / Z95;
        return d->value * exp(s * s / 2);
    }
    }
    return NAN;
}

static int lhs(gsl_rng *rng, size_t dim, size_t n, double *out)
{
    size_t *perm = malloc(n * sizeof *perm);
    if (!perm)
        return -1;
    for (size_t j = 0; j < dim; j++) {
        for (size_t i = 0; i < n; i++)
            perm[i] = i;
        gsl_ran_shuffle(rng, perm, n, sizeof *perm);
        for (size_t i = 0; i < n; i++)
            out[i * dim + j] = ((double)perm[i] + gsl_rng_uniform_pos(rng)) / (double)n;
    }
    free(perm);
    return 0;
}

int cp_doe_unit(cp_doe_kind kind, size_t dim, size_t n, unsigned long seed,
                const size_t *levels, double *out, cp_error *err)
{
    if (dim == 0 || n == 0)
        return cp_fail(err, "design", 0, 0, "a design needs at least one input and one point");
    if (kind == CP_DOE_GRID) {
        size_t total = 1;
        for (size_t j = 0; j < dim; j++) {
            if (levels[j] == 0 || total > SIZE_MAX / levels[j])
                return cp_fail(err, "design", 0, 0, "grid levels must be >= 1 and their "
                               "product must fit in memory");
            total *= levels[j];
        }
        if (total != n)
            return cp_fail(err, "design", 0, 0, "a grid of these levels has %zu points, "
                           "not %zu", total, n);
        for (size_t i = 0; i < n; i++) { /* last input varies fastest */
            size_t rest = i;
            for (size_t j = dim; j-- > 0;) {
                size_t m = levels[j], k = rest % m;
                rest /= m;
                out[i * dim + j] = m == 1 ? 0.5 : (double)k / (double)(m - 1);
            }
        }
        return 0;
    }
    if (kind == CP_DOE_SOBOL) {
        if (dim > SOBOL_MAX_DIM)
            return cp_fail(err, "design", 0, 0, "a Sobol design takes at most %d inputs, "
                           "not %zu; use lhs", SOBOL_MAX_DIM, dim);
        gsl_qrng *q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dim);
        if (!q)
            return cp_fail(err, "design", 0, 0, "out of memory for the Sobol sequence");
        for (size_t i = 0; i < n; i++)
            gsl_qrng_get(q, out + i * dim);
        gsl_qrng_free(q);
        return 0;
    }
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return cp_fail(err, "design", 0, 0, "out of memory for the random generator");
    gsl_rng_set(rng, seed);
    int rc = 0;
    if (kind == CP_DOE_LHS)
        rc = lhs(rng, dim, n, out);
    else
        for (size_t i = 0; i < n * dim; i++)
            out[i] = gsl_rng_uniform_pos(rng);
    gsl_rng_free(rng);
    return rc ? cp_fail(err, "design", 0, 0, "out of memory for a %zu-point design", n) : 0;
}
