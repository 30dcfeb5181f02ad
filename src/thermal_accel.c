/*
 * thermal_accel.c — Anderson acceleration of a fixed-point iteration
 * x <- F(x) (Walker & Ni, Anderson acceleration for fixed-point iterations,
 * SIAM J. Numer. Anal. 49(4), 2011, Algorithm AA with the least-squares
 * problem solved by modified Gram-Schmidt QR).  With f = F(x) - x and the
 * differences dF, dG of the last m residuals and images,
 *   gamma = argmin || f - dF gamma ||_2,   x_next = F(x) - dG gamma.
 * For an affine map this is GMRES on its residual: the coolant of a
 * microchannel cavity, which otherwise needs as many solves as it takes a
 * temperature error to be washed out along the channels, settles in a few
 * (src/thermal_channel.c).  Columns of dF that are (nearly) dependent on the
 * earlier ones are left out, which keeps the small least-squares problem
 * well conditioned.
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A column whose part orthogonal to the earlier ones is below this fraction
 * of its norm is dropped (Walker & Ni's condition-number safeguard). */
#define DROP_TOL 1e-8

struct cp_anderson {
    size_t n;
    int depth, m, head;        /* history kept, stored, newest slot */
    long k;                    /* steps taken */
    double *df, *dg;           /* [depth][n] differences, a ring */
    double *f_prev, *g_prev;   /* [n] */
    double *q;                 /* [depth][n] Gram-Schmidt scratch */
};

cp_anderson *cp_anderson_new(size_t n, int depth)
{
    cp_anderson *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->n = n;
    a->depth = depth;
    a->df = malloc((size_t)depth * n * sizeof *a->df);
    a->dg = malloc((size_t)depth * n * sizeof *a->dg);
    a->q = malloc((size_t)depth * n * sizeof *a->q);
    a->f_prev = malloc(n * sizeof *a->f_prev);
    a->g_prev = malloc(n * sizeof *a->g_prev);
    if (!a->df || !a->dg || !a->q || !a->f_prev || !a->g_prev) {
        cp_anderson_free(a);
        return NULL;
    }
    return a;
}

void cp_anderson_free(cp_anderson *a)
{
    if (!a)
        return;
    free(a->df);
    free(a->dg);
    free(a->q);
    free(a->f_prev);
    free(a->g_prev);
    free(a);
}

void cp_anderson_reset(cp_anderson *a)
{
    a->k = 0;
    a->m = 0;
    a->head = 0;
}

static double dot(const double *x, const double *y, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* g holds F(x) on entry and the next iterate on return. */
void cp_anderson_step(cp_anderson *a, const double *x, double *g)
{
    const size_t n = a->n;
    double *f = a->q + (size_t)(a->depth - 1) * n; /* reuse the last slot as f */
    if (a->k > 0) { /* the newest differences into the ring */
        a->head = (a->head + 1) % a->depth;
        double *df = a->df + (size_t)a->head * n, *dg = a->dg + (size_t)a->head * n;
        for (size_t i = 0; i < n; i++) {
            double fi = g[i] - x[i];
            df[i] = fi - a->f_prev[i];
            dg[i] = g[i] - a->g_prev[i];
        }
        if (a->m < a->depth - 1) /* one slot of q is f's */
            a->m++;
    }
    for (size_t i = 0; i < n; i++) {
        a->f_prev[i] = g[i] - x[i];
        a->g_prev[i] = g[i];
    }
    a->k++;
    if (a->m == 0)
        return; /* plain iteration */
    memcpy(f, a->f_prev, n * sizeof *f);
    /* QR of dF (newest first) by modified Gram-Schmidt; z = Q^T f */
    double R[CP_ANDERSON_MAX][CP_ANDERSON_MAX] = {{0}}, z[CP_ANDERSON_MAX] = {0};
    int col[CP_ANDERSON_MAX], kept = 0;
    for (int j = 0; j < a->m; j++) {
        int slot = ((a->head - j) % a->depth + a->depth) % a->depth;
        const double *v0 = a->df + (size_t)slot * n;
        double *v = a->q + (size_t)kept * n;
        memcpy(v, v0, n * sizeof *v);
        double norm0 = sqrt(dot(v, v, n));
        for (int i = 0; i < kept; i++) {
            const double *qi = a->q + (size_t)i * n;
            R[i][kept] = dot(qi, v, n);
            for (size_t c = 0; c < n; c++)
                v[c] -= R[i][kept] * qi[c];
        }
        double rr = sqrt(dot(v, v, n));
        if (!(rr > DROP_TOL * norm0) || !(norm0 > 0))
            continue;
        for (size_t c = 0; c < n; c++)
            v[c] /= rr;
        R[kept][kept] = rr;
        z[kept] = dot(v, f, n);
        col[kept++] = slot;
    }
    double gamma[CP_ANDERSON_MAX];
    for (int i = kept - 1; i >= 0; i--) { /* R gamma = z */
        double s = z[i];
        for (int j = i + 1; j < kept; j++)
            s -= R[i][j] * gamma[j];
        gamma[i] = s / R[i][i];
    }
    for (int j = 0; j < kept; j++) {
        const double *dg = a->dg + (size_t)col[j] * n;
        for (size_t c = 0; c < n; c++)
            g[c] -= gamma[j] * dg[c];
    }
}
