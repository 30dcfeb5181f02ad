/*
 * sensitivity.c — global sensitivity of a model output to its inputs, for
 * sweeps and the uncertainty analysis:
 *   Sobol indices from a Saltelli design: matrices A and B of n points each
 *   (the two halves of a 2d-dimensional Sobol sequence) and, per input i,
 *   A_B^i = A with column i from B.  First order (Saltelli et al., Comput.
 *   Phys. Commun. 181, 2010, eq. (b)):  S_i = mean(f_B (f_ABi - f_A)) / V;
 *   total (Jansen 1999):  ST_i = mean((f_A - f_ABi)^2) / (2 V),
 *   V the variance of f over A and B together.
 *   Rank correlation: Spearman's rho (GSL gsl_stats_spearman).
 */
#include "internal.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int cp_saltelli_design_from(cp_doe_kind base, size_t dim, size_t n, unsigned long seed,
                            double *out, cp_error *err)
{
    double *ab = malloc(2 * dim * n * sizeof *ab);
    if (!ab)
        return cp_fail(err, "design", 0, 0, "out of memory for a Saltelli design");
    if (cp_doe_unit(base, 2 * dim, n, seed, NULL, ab, err)) {
        free(ab);
        return -1;
    }
    double *A = out, *B = out + n * dim;
    for (size_t k = 0; k < n; k++)
        for (size_t j = 0; j < dim; j++) {
            A[k * dim + j] = ab[k * 2 * dim + j];
            B[k * dim + j] = ab[k * 2 * dim + dim + j];
        }
    for (size_t i = 0; i < dim; i++) {
        double *ABi = out + (2 + i) * n * dim;
        memcpy(ABi, A, n * dim * sizeof *A);
        for (size_t k = 0; k < n; k++)
            ABi[k * dim + i] = B[k * dim + i];
    }
    free(ab);
    return 0;
}

int cp_saltelli_design(size_t dim, size_t n, double *out, cp_error *err)
{
    return cp_saltelli_design_from(CP_DOE_SOBOL, dim, n, 0, out, err);
}

int cp_sobol_indices(size_t dim, size_t n, const double *f, double *s1, double *st,
                     cp_error *err)
{
    const double *fA = f, *fB = f + n;
    double mean = 0, var = 0;
    for (size_t k = 0; k < 2 * n; k++)
        mean += f[k];
    mean /= (double)(2 * n);
    for (size_t k = 0; k < 2 * n; k++)
        var += (f[k] - mean) * (f[k] - mean);
    var /= (double)(2 * n - 1);
    if (!(var > 0) || !isfinite(var))
        return cp_fail(err, "sensitivity", 0, 0, "the output does not vary (variance %g): "
                       "no sensitivity to apportion", var);
    for (size_t i = 0; i < dim; i++) {
        const double *fABi = f + (2 + i) * n;
        double a = 0, b = 0;
        for (size_t k = 0; k < n; k++) {
            a += fB[k] * (fABi[k] - fA[k]);
            b += (fA[k] - fABi[k]) * (fA[k] - fABi[k]);
        }
        s1[i] = a / (double)n / var;
        st[i] = b / (double)n / (2 * var);
    }
    return 0;
}

double cp_spearman(const double *x, const double *y, size_t n)
{
    double *work = malloc(2 * n * sizeof *work);
    if (!work || n < 2) {
        free(work);
        return NAN;
    }
    double rho = gsl_stats_spearman(x, 1, y, 1, n, work);
    free(work);
    return rho;
}

int cp_quantiles(const double *x, size_t n, const double *p, size_t np, double *q,
                 cp_error *err)
{
    double *s = malloc(n * sizeof *s);
    if (!s || n == 0) {
        free(s);
        return cp_fail(err, "statistics", 0, 0, "no sample to take quantiles of");
    }
    memcpy(s, x, n * sizeof *s);
    gsl_sort(s, 1, n);
    for (size_t i = 0; i < np; i++)
        q[i] = gsl_stats_quantile_from_sorted_data(s, 1, n, p[i]);
    free(s);
    return 0;
}
