/*
 * pareto.c — the non-dominated set of points under m objectives, all
 * minimised.  Two objectives: sort by the first (ties by the second) and
 * keep each point whose second beats every earlier one, O(n log n)
 * (Kung, Luccio & Preparata, JACM 22, 1975).  More: pairwise, O(n^2 m).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>

typedef struct ix {
    const double *o;
    size_t i;
} ix;

static int cmp2(const void *a, const void *b)
{
    const ix *x = a, *y = b;
    if (x->o[0] != y->o[0])
        return x->o[0] < y->o[0] ? -1 : 1;
    if (x->o[1] != y->o[1])
        return x->o[1] < y->o[1] ? -1 : 1;
    return x->i < y->i ? -1 : x->i > y->i;
}

static bool finite_row(const double *o, size_t m)
{
    for (size_t k = 0; k < m; k++)
        if (!isfinite(o[k]))
            return false;
    return true;
}

/* a dominates b: no worse in every objective, better in one */
static bool dominates(const double *a, const double *b, size_t m)
{
    bool better = false;
    for (size_t k = 0; k < m; k++) {
        if (a[k] > b[k])
            return false;
        better |= a[k] < b[k];
    }
    return better;
}

size_t cp_pareto(const double *obj, size_t n, size_t m, unsigned char *front)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        front[i] = 0;
    if (m == 0 || n == 0)
        return 0;
    if (m <= 2) {
        ix *v = malloc(n * sizeof *v);
        size_t k = 0;
        if (!v)
            return 0;
        for (size_t i = 0; i < n; i++)
            if (finite_row(obj + i * m, m))
                v[k++] = (ix){obj + i * m, i};
        if (m == 1) {
            double best = INFINITY;
            for (size_t i = 0; i < k; i++)
                best = fmin(best, v[i].o[0]);
            for (size_t i = 0; i < k; i++)
                if (v[i].o[0] == best)
                    front[v[i].i] = 1, count++;
            free(v);
            return count;
        }
        qsort(v, k, sizeof *v, cmp2);
        double best2 = INFINITY, prev0 = NAN, prev1 = NAN;
        for (size_t i = 0; i < k; i++) {
            bool same = v[i].o[0] == prev0 && v[i].o[1] == prev1; /* duplicates stay */
            if (v[i].o[1] < best2 || (same && front[v[i - 1].i])) {
                front[v[i].i] = 1, count++;
                best2 = fmin(best2, v[i].o[1]);
            }
            prev0 = v[i].o[0], prev1 = v[i].o[1];
        }
        free(v);
        return count;
    }
    for (size_t i = 0; i < n; i++) {
        if (!finite_row(obj + i * m, m))
            continue;
        bool dominated = false;
        for (size_t j = 0; j < n && !dominated; j++)
            dominated = j != i && finite_row(obj + j * m, m) &&
                        dominates(obj + j * m, obj + i * m, m);
        if (!dominated)
            front[i] = 1, count++;
    }
    return count;
}
