/*
 * tco_map.c — where the answer flips over two uncertain inputs: TCO(B) -
 * TCO(A) on an nx x ny grid, each input from the low to the high end of its
 * range in the data (cp_dist_ends; geometric steps for loguniform and
 * lognormal inputs, whose ranges span factors), every other input at its
 * point value.  Points are independent and written by index (OpenMP), so the
 * map does not depend on the number of threads.
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static bool log_axis(const cp_dist *d, double lo)
{
    return (d->kind == CP_DIST_LOGUNIFORM || d->kind == CP_DIST_LOGNORMAL) && lo > 0;
}

static bool axis(const cp_dist *d, size_t n, double *v)
{
    double lo, hi;
    cp_dist_ends(d, &lo, &hi);
    bool lg = log_axis(d, lo);
    for (size_t i = 0; i < n; i++) {
        double t = (double)i / (double)(n - 1);
        v[i] = lg ? lo * pow(hi / lo, t) : lo + t * (hi - lo);
    }
    v[n - 1] = hi; /* the end exactly, not lo + 1.0 x (hi - lo) rounded */
    return lg;
}

/* point k of the grid: x and y at their grid values, in both options */
static void set_point(size_t k, cp_tco_case *wa, cp_tco_case *wb, const void *ctx)
{
    const cp_tco_map *m = ctx;
    double x = m->xv[k % m->nx], y = m->yv[k / m->nx];
    cp_unc_apply(wa, &m->x, x);
    cp_unc_apply(wb, &m->x, x);
    cp_unc_apply(wa, &m->y, y);
    cp_unc_apply(wb, &m->y, y);
}


int cp_tco_map_eval(const cp_tco_case *a, const cp_tco_case *b, const char *x,
                    const char *y, size_t nx, size_t ny, cp_tco_map *m, cp_error *err)
{
    memset(m, 0, sizeof *m);
    if (nx < 2 || ny < 2 || nx > CP_MAP_MAX_STEPS || ny > CP_MAP_MAX_STEPS ||
        nx * ny > CP_UNC_MAX_RUNS)
        return cp_fail(err, b->fabric.name, 0, 0, "map: %zu x %zu points; expected 2..%d "
                       "steps per axis and at most %d points", nx, ny, CP_MAP_MAX_STEPS,
                       CP_UNC_MAX_RUNS);
    cp_unc_set *s = malloc(sizeof *s);
    if (!s)
        return cp_fail(err, b->fabric.name, 0, 0, "out of memory");
    int ix = -1, iy = -1;
    int rc = cp_unc_merge(a, b, s, NULL, NULL, err);
    if (rc == 0 && ((ix = cp_unc_find(s, x, err)) < 0 || (iy = cp_unc_find(s, y, err)) < 0))
        rc = -1;
    if (rc == 0 && ix == iy)
        rc = cp_fail(err, b->fabric.name, 0, 0, "map: the two inputs must differ (both "
                     "are '%s')", x);
    if (rc == 0) {
        m->x = s->in[ix];
        m->y = s->in[iy];
    }
    free(s);
    if (rc)
        return -1;
    m->nx = nx, m->ny = ny;
    m->xv = malloc(nx * sizeof *m->xv);
    m->yv = malloc(ny * sizeof *m->yv);
    m->diff = malloc(nx * ny * sizeof *m->diff);
    if (!m->xv || !m->yv || !m->diff) {
        cp_tco_map_free(m);
        return cp_fail(err, b->fabric.name, 0, 0, "out of memory for a %zu x %zu map", nx, ny);
    }
    m->xlog = axis(&m->x.dist, nx, m->xv);
    m->ylog = axis(&m->y.dist, ny, m->yv);
    if (cp_tco_runs(a, b, NULL, m->nx * m->ny, set_point, m, m->diff, err)) {
        cp_tco_map_free(m);
        return -1;
    }
    return 0;
}

void cp_tco_map_free(cp_tco_map *m)
{
    free(m->xv);
    free(m->yv);
    free(m->diff);
    m->xv = m->yv = m->diff = NULL;
}
