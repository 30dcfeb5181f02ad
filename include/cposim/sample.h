/*
 * cposim/sample.h — distributions, designs of experiments and global
 * sensitivity, shared by sweeps and the TCO uncertainty analysis.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_SAMPLE_H
#define CPOSIM_SAMPLE_H

#include "cposim/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------- designs and sensitivity
 * Shared by sweeps and the uncertainty analysis (src/sample.c,
 * src/sensitivity.c). */
typedef enum cp_dist_kind {
    CP_DIST_FIXED = 0,           /* value */
    CP_DIST_UNIFORM,             /* lo .. hi */
    CP_DIST_LOGUNIFORM,          /* lo .. hi, uniform in log */
    CP_DIST_TRIANGULAR,          /* lo, value (likely), hi */
    CP_DIST_LOGNORMAL,           /* value = median, error_factor = x95 / x50 */
    CP_DIST_NORMAL               /* value = mean, sd */
} cp_dist_kind;

typedef struct cp_dist {
    cp_dist_kind kind;
    double value, lo, hi, error_factor, sd;
} cp_dist;

const char *cp_dist_name(cp_dist_kind k);
/* 0 when the parameters make a distribution; what names it in the error. */
int cp_dist_check(const cp_dist *d, const char *what, cp_error *err);
/* Quantile at u in (0, 1) (in [0, 1] for bounded kinds). */
double cp_dist_quantile(const cp_dist *d, double u);
double cp_dist_mean(const cp_dist *d);

typedef enum cp_doe_kind {
    CP_DOE_GRID = 0,             /* full factorial, levels[] per input, ends included */
    CP_DOE_RANDOM,               /* plain Monte Carlo (MT19937) */
    CP_DOE_LHS,                  /* Latin hypercube */
    CP_DOE_SOBOL                 /* Sobol sequence (at most 40 inputs) */
} cp_doe_kind;

/* n points of the dim-dimensional unit cube, row-major in out[n * dim]. */
int cp_doe_unit(cp_doe_kind kind, size_t dim, size_t n, unsigned long seed,
                const size_t *levels, double *out, cp_error *err);
/* (dim + 2) blocks of n points: A, B, then A with column i from B. */
int cp_saltelli_design(size_t dim, size_t n, double *out, cp_error *err);
/* The same with A and B from another base design of 2 dim columns (e.g.
 * CP_DOE_LHS past the Sobol generator's 40 dimensions). */
int cp_saltelli_design_from(cp_doe_kind base, size_t dim, size_t n, unsigned long seed,
                            double *out, cp_error *err);
/* First-order and total Sobol indices from the outputs f[(dim + 2) * n] of
 * a Saltelli design, in its block order. */
int cp_sobol_indices(size_t dim, size_t n, const double *f, double *s1, double *st,
                     cp_error *err);
double cp_spearman(const double *x, const double *y, size_t n);
int cp_quantiles(const double *x, size_t n, const double *p, size_t np, double *q,
                 cp_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_SAMPLE_H */
