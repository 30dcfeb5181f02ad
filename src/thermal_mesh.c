/*
 * thermal_mesh.c — where the grid lines of a package go.
 *
 * The grid is a tensor product of three 1-D meshes.  In x and y a uniform
 * grid (refine off) has nx x ny equal cells.  The refined grid (the
 * default) puts a line at every block edge, so that each block covers whole
 * cells, and grades the cells around each edge: the target cell size at a
 * point x is
 *   h(x) = min(H, min over edges e of h_e + (r - 1) |x - x_e|),
 * H = package size / nx (the largest cell), h_e = (width of the narrowest
 * block with an edge at x_e) / EDGE_CELLS, bounded below by the user's
 * smallest cell, and r = GROWTH the ratio of neighbouring cells.  Between
 * two consecutive lines the cells equidistribute the integral of 1 / h(x)
 * (the usual mesh equidistribution, e.g. Huang & Russell, Adaptive Moving
 * Mesh Methods, 2011, ch. 2), so sizes vary smoothly.
 *
 * Through the thickness, a layer that holds blocks (heat enters at its
 * bottom face, the junction plane of a flip-chip die) is graded from that
 * face by the same rule with one edge at z = 0, its first cell FACE_RATIO
 * times thinner; a layer without blocks has uniform cells no taller than the
 * largest cell is wide, and one whose `cells` the user gives that many.
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cells across the narrowest block at its edges: 8 cells resolve the steep
 * temperature gradient at the edge of a hot spot (a 0.5 mm 1 kW/cm2 spot
 * is within 1 K of its Fourier-series peak, tests/test_thermal.c). */
#define EDGE_CELLS 8.0
/* The first cell above a heated face is this many times thinner than the
 * cells at the edge of the narrowest block on it, so that heat crosses the
 * half-cell between the face and the cell centre one-dimensionally, as the
 * face temperature assumes (src/thermal_face.c).  Measured on the hot spot
 * of tests/test_thermal.c (first cell = edge cell / ratio):
 *   ratio 1: spot mean +0.91 K, peak +0.21 K against the series;
 *   ratio 2: +0.66 / +0.06 K;  ratio 4: +0.56 / -0.01 K (11 z-cells).
 * Thin cells slow the multigrid down (PFMG coarsens one direction per
 * level, and a thin die under a coarse lid mixes directions): on
 * thermal-th5-51t-hotspots ratio 4 needs 17 z-cells and ~100 PCG
 * iterations a solve, ratio 2 14 z-cells and ~55, for a hot-spot peak
 * 0.09 K higher (84.06 against 83.97 C).  2 is the compromise. */
#define FACE_RATIO 2.0
/* Neighbouring cells differ by at most this ratio (a common bound for
 * second-order accuracy of finite volumes on stretched grids). */
#define GROWTH 1.25
/* Through the thickness of a layer without blocks, as many uniform cells
 * as it takes to make none taller than the largest cell is wide: one cell
 * through a thick lid or sink base conducts sideways only at its mid-plane
 * and under-spreads (measured on bench/hotspot-60mm.yaml, a 6.9 mm copper
 * sink under 20 mm tiles, against its series solution: worst block mean
 * 0.38 K off with one cell, 0.20 K with 2, 0.13 K with 8; on
 * thermal-th5-51t-hotspots the hot-spot peak falls 0.48 K from 1 to 3/2/2
 * cells in the sink base, lid and substrate, a further 0.18 K at 6/4/4). */
#define MAX_LAYER_CELLS 64.0
/* Samples of 1/h per smallest cell when integrating it. */
#define SAMPLES_PER_CELL 4.0
#define MAX_SAMPLES 200000

typedef struct edge {
    double x, h;   /* position, target cell size there */
} edge;

static double target(const edge *e, size_t ne, double H, double x)
{
    double h = H;
    for (size_t i = 0; i < ne; i++)
        h = fmin(h, e[i].h + (GROWTH - 1) * fabs(x - e[i].x));
    return h;
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *p = a, *q = b;
    return p->x < q->x ? -1 : p->x > q->x ? 1 : (p->h > q->h) - (p->h < q->h);
}

/* Lines of [a, b] (both ends excluded) appended to out (n so far). */
static int fill_interval(const edge *e, size_t ne, double H, double a, double b,
                         double *out, int *n, int cap)
{
    double hmin = fmin(target(e, ne, H, a), target(e, ne, H, b));
    int ns = (int)fmin(MAX_SAMPLES, ceil((b - a) / hmin * SAMPLES_PER_CELL));
    ns = ns < 1 ? 1 : ns;
    double *cum = malloc((size_t)(ns + 1) * sizeof *cum);
    if (!cum)
        return -1;
    cum[0] = 0;
    double ds = (b - a) / ns, prev = 1 / target(e, ne, H, a);
    for (int s = 1; s <= ns; s++) {
        double cur = 1 / target(e, ne, H, a + s * ds);
        cum[s] = cum[s - 1] + 0.5 * (prev + cur) * ds;
        prev = cur;
    }
    int cells = (int)ceil(cum[ns] - 1e-6);
    cells = cells < 1 ? 1 : cells;
    int s = 0;
    for (int c = 1; c < cells; c++) {
        double want = cum[ns] * c / cells;
        while (s < ns && cum[s + 1] < want)
            s++;
        double f = cum[s + 1] > cum[s] ? (want - cum[s]) / (cum[s + 1] - cum[s]) : 0;
        if (*n >= cap) {
            free(cum);
            return -1;
        }
        out[(*n)++] = a + (s + f) * ds;
    }
    free(cum);
    return 0;
}

/* Lines of [0, L] through the given edges (positions inside [0, L]), lines
 * closer than hmin merged: *lines (malloc'd) holds *n + 1 values. */
static int mesh_axis(edge *e, size_t ne, double L, double H, double hmin,
                     double **lines, int *n)
{
    qsort(e, ne, sizeof *e, cmp_edge);
    /* the breakpoints: 0, the edges (a line within hmin of the previous one
     * is merged into it), L */
    double *bp = malloc((ne + 2) * sizeof *bp);
    if (!bp)
        return -1;
    size_t nb = 0;
    bp[nb++] = 0;
    for (size_t i = 0; i < ne; i++)
        if (e[i].x - bp[nb - 1] >= hmin && L - e[i].x >= hmin)
            bp[nb++] = e[i].x;
    bp[nb++] = L;
    /* a generous bound on the cell count: every interval at its smallest cell */
    int cap = (int)fmin(1e8, ceil(L / hmin) + 2.0 * (double)nb + 2);
    double *out = malloc((size_t)(cap + 1) * sizeof *out);
    int cnt = 0, rc = out ? 0 : -1;
    for (size_t i = 0; rc == 0 && i + 1 < nb; i++) {
        out[cnt++] = bp[i];
        rc = fill_interval(e, ne, H, bp[i], bp[i + 1], out, &cnt, cap);
    }
    free(bp);
    if (rc) {
        free(out);
        return -1;
    }
    out[cnt] = L;
    *lines = out;
    *n = cnt;
    return 0;
}

static int uniform_axis(double L, int cells, double **lines, int *n)
{
    double *out = malloc((size_t)(cells + 1) * sizeof *out);
    if (!out)
        return -1;
    for (int i = 0; i <= cells; i++)
        out[i] = L * i / cells;
    out[cells] = L;
    *lines = out;
    *n = cells;
    return 0;
}

double cp_thermal_min_cell(const cp_thermal_spec *t)
{
    return t->min_cell_m > 0 ? t->min_cell_m : CP_THERMAL_DEFAULT_MIN_CELL_M;
}

static double edge_size(double w, double H, double hmin)
{
    return fmin(H, fmax(hmin, w / EDGE_CELLS));
}

/* The two edges of a feature [a, c] along an axis of length L. */
static void add_edges(edge *e, size_t *ne, double a, double c, double L, double H,
                      double hmin)
{
    double h = edge_size(c - a, H, hmin);
    e[(*ne)++] = (edge){fmin(fmax(a, 0), L), h};
    e[(*ne)++] = (edge){fmin(fmax(c, 0), L), h};
}

static int plane_axis(const cp_thermal_spec *t, int axis, double **lines, int *n)
{
    double L = axis ? t->size_y_m : t->size_x_m;
    int cells = axis ? t->ny : t->nx;
    if (!t->refine)
        return uniform_axis(L, cells, lines, n);
    double H = L / cells, hmin = cp_thermal_min_cell(t);
    edge *e = malloc((2 * (t->nblocks + t->nlayers * CP_MAX_PARTS) + 1) * sizeof *e);
    if (!e)
        return -1;
    size_t ne = 0;
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        add_edges(e, &ne, axis ? B->y0_m : B->x0_m, axis ? B->y1_m : B->x1_m, L, H, hmin);
    }
    for (size_t l = 0; l < t->nlayers; l++)
        for (size_t p = 0; p < t->layer[l].nparts; p++) {
            const cp_tpart *P = &t->layer[l].part[p];
            add_edges(e, &ne, axis ? P->y0_m : P->x0_m, axis ? P->y1_m : P->x1_m, L, H, hmin);
        }
    int rc = mesh_axis(e, ne, L, H, hmin, lines, n);
    free(e);
    return rc;
}

/* Cells of layer l through its thickness: the user's count (uniform), or
 * graded from the heated (bottom) face of a layer that holds blocks. */
static int layer_axis(const cp_thermal_spec *t, size_t l, double **lines, int *n)
{
    const cp_tlayer *L = &t->layer[l];
    double feat = INFINITY;
    for (size_t b = 0; b < t->nblocks; b++)
        if (t->block[b].layer == (int)l)
            feat = fmin(feat, fmin(t->block[b].x1_m - t->block[b].x0_m,
                                   t->block[b].y1_m - t->block[b].y0_m));
    if (L->cells > 0 || !t->refine)
        return uniform_axis(L->thickness_m, L->cells > 0 ? L->cells : 1, lines, n);
    if (!isfinite(feat)) { /* cells no taller than the largest cell is wide */
        double H = fmin(t->size_x_m / t->nx, t->size_y_m / t->ny);
        int cells = L->channels.on ? 1 : (int)fmin(MAX_LAYER_CELLS,
                                                   ceil(L->thickness_m / H - 1e-9));
        return uniform_axis(L->thickness_m, cells > 1 ? cells : 1, lines, n);
    }
    double H = L->thickness_m, hmin = fmin(cp_thermal_min_cell(t), H);
    edge e[1] = {{0, edge_size(feat / FACE_RATIO, H, hmin)}};
    return mesh_axis(e, 1, H, H, hmin, lines, n);
}

void cp_thermal_mesh_free(cp_thermal_mesh *m)
{
    free(m->xe);
    free(m->ye);
    free(m->dz);
    memset(m, 0, sizeof *m);
}

int cp_thermal_mesh_build(const cp_thermal_spec *t, cp_thermal_mesh *m, cp_error *err)
{
    memset(m, 0, sizeof *m);
    if (plane_axis(t, 0, &m->xe, &m->nx) || plane_axis(t, 1, &m->ye, &m->ny))
        goto oom;
    size_t cap = 0;
    for (size_t l = 0; l < t->nlayers; l++) {
        double *z;
        int nz;
        if (layer_axis(t, l, &z, &nz))
            goto oom;
        double *dz = realloc(m->dz, (cap + (size_t)nz) * sizeof *dz);
        if (!dz) {
            free(z);
            goto oom;
        }
        m->dz = dz;
        m->layer_k0[l] = (int)cap;
        for (int k = 0; k < nz; k++)
            m->dz[cap + (size_t)k] = z[k + 1] - z[k];
        cap += (size_t)nz;
        free(z);
    }
    m->layer_k0[t->nlayers] = (int)cap;
    m->nz = (int)cap;
    return 0;
oom:
    cp_thermal_mesh_free(m);
    return cp_fail(err, "thermal", 0, 0, "out of memory for the grid lines");
}

/* A block or part must be resolved: on the refined grid, no narrower than
 * the smallest cell allowed (its edges are grid lines); on a uniform grid,
 * no smaller than a cell (it would cover no cell centre).  Fills why with
 * what it is, its size, the cell size and the fix. */
int cp_thermal_rect_resolution(const cp_thermal_spec *t, const char *what,
                               const char *name, double x0, double y0, double x1,
                               double y1, char *why, size_t len)
{
    double w = x1 - x0, h = y1 - y0;
    const double slack = 1 - 1e-9; /* w == dx up to rounding is one cell */
    if (t->refine) {
        double hmin = cp_thermal_min_cell(t);
        if (w >= hmin * slack && h >= hmin * slack)
            return 0;
        snprintf(why, len, "%s '%s' (%.4g x %.4g mm) is narrower than the smallest "
                           "grid cell allowed (thermal.grid.min_cell_mm = %.4g) and "
                           "cannot be resolved: set thermal.grid.min_cell_mm <= %.4g",
                 what, name, w * 1e3, h * 1e3, hmin * 1e3, fmin(w, h) * 1e3);
        return -1;
    }
    double dx = t->size_x_m / t->nx, dy = t->size_y_m / t->ny;
    if (w >= dx * slack && h >= dy * slack)
        return 0;
    double nx = ceil(t->size_x_m / w * slack), ny = ceil(t->size_y_m / h * slack);
    snprintf(why, len, "%s '%s' (%.4g x %.4g mm) is smaller than a grid cell "
                       "(%.4g x %.4g mm) and would have no temperature: set "
                       "thermal.grid to nx >= %.0f, ny >= %.0f, or refine: true",
             what, name, w * 1e3, h * 1e3, dx * 1e3, dy * 1e3, fmax(nx, t->nx),
             fmax(ny, t->ny));
    return -1;
}

int cp_thermal_block_resolution(const cp_thermal_spec *t, size_t b, char *why, size_t len)
{
    const cp_tblock *B = &t->block[b];
    return cp_thermal_rect_resolution(t, "block", B->name, B->x0_m, B->y0_m, B->x1_m,
                                      B->y1_m, why, len);
}
