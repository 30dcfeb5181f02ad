/*
 * thermal_grid.c — the finite-volume discretisation of a package stack.
 *
 * Cells are cuboids dx x dy x dz(k); the conductance between neighbours is
 * the series (harmonic) combination of the two half-cells,
 *   G = A / (d1 / (2 k1) + d2 / (2 k2)),
 * and a convective boundary adds h in series with the half-cell:
 *   G_b = A / (d / (2 k) + 1 / h)
 * (Patankar, Numerical Heat Transfer and Fluid Flow, 1980, sec. 4.2).
 * Block power is spread over the cells it overlaps, by area, in the lowest
 * z-cell of its layer (flip-chip: the active side faces the substrate).
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool in_block(const cp_tblock *b, double x, double y)
{
    return x >= b->x0_m && x < b->x1_m && y >= b->y0_m && y < b->y1_m;
}

/* Material of cell (i, j) on layer l: a die where a block of the layer is. */
static const cp_material *cell_material(const cp_thermal_spec *t, int l,
                                        double x, double y)
{
    const cp_tlayer *L = &t->layer[l];
    if (L->has_dies)
        for (size_t b = 0; b < t->nblocks; b++)
            if (t->block[b].layer == l && in_block(&t->block[b], x, y))
                return &L->die_mat;
    return &L->mat;
}

static double series(double d1, double k1, double d2, double k2)
{
    return 1.0 / (d1 / (2 * k1) + d2 / (2 * k2));
}

static double boundary(double d, double k, double h)
{
    return h > 0 ? 1.0 / (d / (2 * k) + 1.0 / h) : 0.0;
}

static int alloc_arrays(cp_thermal_grid *g)
{
    size_t n = g->n, a = (size_t)g->nx * (size_t)g->ny;
    g->dz = calloc((size_t)g->nz, sizeof *g->dz);
    g->klayer = calloc((size_t)g->nz, sizeof *g->klayer);
    g->gx = calloc(n, sizeof(double));
    g->gy = calloc(n, sizeof(double));
    g->gz = calloc(n, sizeof(double));
    g->cap = calloc(n, sizeof(double));
    g->q = calloc(n, sizeof(double));
    g->t = calloc(n, sizeof(double));
    g->work = calloc(n, sizeof(double));
    g->gtop = calloc(a, sizeof(double));
    g->gbot = calloc(a, sizeof(double));
    return g->dz && g->klayer && g->gx && g->gy && g->gz && g->cap && g->q &&
                   g->t && g->work && g->gtop && g->gbot ? 0 : -1;
}

/* Per-cell conductivities (kxy, kz) are computed on the fly from the layer
 * and the floorplan; two passes of one column keep memory at the arrays. */
static void fill_conductances(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    const double dx = g->dx, dy = g->dy;
    for (int k = 0; k < g->nz; k++) {
        int l = g->klayer[k];
        double dz = g->dz[k];
        for (int j = 0; j < g->ny; j++) {
            double y = (j + 0.5) * dy;
            for (int i = 0; i < g->nx; i++) {
                double x = (i + 0.5) * dx;
                size_t c = CP_IDX(g, i, j, k);
                const cp_material *m = cell_material(t, l, x, y);
                g->cap[c] = m->c_j_per_m3k * dx * dy * dz;
                if (i + 1 < g->nx) {
                    const cp_material *mx = cell_material(t, l, x + dx, y);
                    g->gx[c] = dy * dz * series(dx, m->k_xy_w_per_mk, dx, mx->k_xy_w_per_mk);
                }
                if (j + 1 < g->ny) {
                    const cp_material *my = cell_material(t, l, x, y + dy);
                    g->gy[c] = dx * dz * series(dy, m->k_xy_w_per_mk, dy, my->k_xy_w_per_mk);
                }
                if (k + 1 < g->nz) {
                    const cp_material *mz = cell_material(t, g->klayer[k + 1], x, y);
                    g->gz[c] = dx * dy * series(dz, m->k_z_w_per_mk, g->dz[k + 1],
                                                mz->k_z_w_per_mk);
                } else {
                    g->gtop[(size_t)j * g->nx + i] =
                        dx * dy * boundary(dz, m->k_z_w_per_mk, t->top.h_w_per_m2k);
                }
                if (k == 0)
                    g->gbot[(size_t)j * g->nx + i] =
                        dx * dy * boundary(dz, m->k_z_w_per_mk, t->bottom.h_w_per_m2k);
            }
        }
    }
}

static double overlap(double a0, double a1, double b0, double b1)
{
    double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

void cp_thermal_map_power(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    memset(g->q, 0, g->n * sizeof *g->q);
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        double area = (B->x1_m - B->x0_m) * (B->y1_m - B->y0_m);
        int k = g->layer_k0[B->layer];
        int i0 = (int)floor(B->x0_m / g->dx), i1 = (int)ceil(B->x1_m / g->dx);
        int j0 = (int)floor(B->y0_m / g->dy), j1 = (int)ceil(B->y1_m / g->dy);
        for (int j = j0 < 0 ? 0 : j0; j < j1 && j < g->ny; j++)
            for (int i = i0 < 0 ? 0 : i0; i < i1 && i < g->nx; i++) {
                double a = overlap(B->x0_m, B->x1_m, i * g->dx, (i + 1) * g->dx) *
                           overlap(B->y0_m, B->y1_m, j * g->dy, (j + 1) * g->dy);
                g->q[CP_IDX(g, i, j, k)] += g->power[b] * a / area;
            }
    }
}

void cp_thermal_apply(const cp_thermal_grid *g, const double *x, double *y)
{
    const size_t sx = 1, sy = (size_t)g->nx, sz = (size_t)g->nx * g->ny;
    for (int k = 0; k < g->nz; k++)
        for (int j = 0; j < g->ny; j++)
            for (int i = 0; i < g->nx; i++) {
                size_t c = CP_IDX(g, i, j, k);
                double s = 0;
                if (i > 0) s += g->gx[c - sx] * (x[c] - x[c - sx]);
                if (i + 1 < g->nx) s += g->gx[c] * (x[c] - x[c + sx]);
                if (j > 0) s += g->gy[c - sy] * (x[c] - x[c - sy]);
                if (j + 1 < g->ny) s += g->gy[c] * (x[c] - x[c + sy]);
                if (k > 0) s += g->gz[c - sz] * (x[c] - x[c - sz]);
                if (k + 1 < g->nz) s += g->gz[c] * (x[c] - x[c + sz]);
                else s += g->gtop[c - (size_t)k * sz] * x[c];
                if (k == 0) s += g->gbot[c] * x[c];
                y[c] = s;
            }
}

void cp_thermal_rhs(const cp_thermal_grid *g, double *b)
{
    size_t a = (size_t)g->nx * g->ny, top = (size_t)(g->nz - 1) * a;
    memcpy(b, g->q, g->n * sizeof *b);
    for (size_t c = 0; c < a; c++) {
        b[top + c] += g->gtop[c] * g->tamb_top;
        b[c] += g->gbot[c] * g->tamb_bot;
    }
}

/* A block narrower than a cell may cover no cell centre, and then has no
 * temperature (it printed NaN and "pass").  A block at least one cell wide
 * and high always covers a centre: any half-open interval of length dx
 * holds one point (i + 1/2) dx.  Fills why with the grid a block needs. */
int cp_thermal_block_resolution(const cp_thermal_spec *t, size_t b, char *why, size_t len)
{
    const cp_tblock *B = &t->block[b];
    double dx = t->size_x_m / t->nx, dy = t->size_y_m / t->ny;
    double w = B->x1_m - B->x0_m, h = B->y1_m - B->y0_m;
    const double slack = 1 - 1e-9; /* w == dx up to rounding is one cell */
    if (w >= dx * slack && h >= dy * slack)
        return 0;
    double nx = ceil(t->size_x_m / w * slack), ny = ceil(t->size_y_m / h * slack);
    snprintf(why, len, "block '%s' (%.4g x %.4g mm) is smaller than a grid cell "
                       "(%.4g x %.4g mm) and would have no temperature: set "
                       "thermal.grid to nx >= %.0f, ny >= %.0f",
             B->name, w * 1e3, h * 1e3, dx * 1e3, dy * 1e3, fmax(nx, t->nx),
             fmax(ny, t->ny));
    return -1;
}

/* Peak memory per cell, measured with /usr/bin/time on the 7-layer
 * thermal-bailly-51t-coldplate stack (nz = 7), less the 25 MB the process
 * takes without a grid:
 *   PFMG-PCG  64^2..384^2: 221-228 bytes per cell (grid arrays, HYPRE matrix,
 *             vectors and multigrid levels) -> 240;
 *   CHOLMOD   128^2: 1600, 256^2: 2000, 384^2: 2150 bytes per cell (the
 *             factor's fill grows with log n on these thin stacks)
 *             -> 240 + 120 log2(cells), 10-40 % above the measurements. */
#define PFMG_BYTES_PER_CELL 240.0
#define CHOLMOD_BYTES_PER_CELL(n) (240.0 + 120.0 * log2(n))
/* auto picks CHOLMOD for transients of small grids (thermal.c) */
#define AUTO_CHOLMOD_CELLS 40000

void cp_thermal_estimate(const cp_thermal_spec *t, cp_thermal_size *out)
{
    double nz = 0;
    for (size_t l = 0; l < t->nlayers; l++)
        nz += t->layer[l].cells;
    out->cells = (double)t->nx * t->ny * nz;
    bool chol = t->solver == CP_SOLVER_CHOLMOD ||
                (t->solver == CP_SOLVER_AUTO && out->cells <= AUTO_CHOLMOD_CELLS);
    out->solver = chol ? CP_SOLVER_CHOLMOD : CP_SOLVER_PFMG;
    out->bytes = out->cells * (chol ? fmax(CHOLMOD_BYTES_PER_CELL(fmax(out->cells, 2)),
                                           PFMG_BYTES_PER_CELL)
                                    : PFMG_BYTES_PER_CELL);
    out->steps = t->dt_s > 0 ? ceil(t->t_end_s / t->dt_s - 1e-9) : 0;
}

int cp_thermal_check_memory(const cp_thermal_spec *t, cp_error *err)
{
    cp_thermal_size z;
    cp_thermal_estimate(t, &z);
    double gb = t->max_memory_gb > 0 ? t->max_memory_gb : CP_DEFAULT_MAX_MEMORY_GB;
    if (z.bytes > gb * 1e9)
        return cp_fail(err, "thermal", 0, 0,
                       "a grid of %d x %d x %.0f = %.4g cells needs about %.3g GB with %s; "
                       "the limit is %g GB: use a coarser thermal.grid, or raise the "
                       "limit (cposim --max-memory GB)", t->nx, t->ny,
                       z.cells / ((double)t->nx * t->ny), z.cells, z.bytes / 1e9,
                       z.solver == CP_SOLVER_CHOLMOD ? "CHOLMOD" : "PFMG-PCG", gb);
    return 0;
}

int cp_thermal_check_steps(const cp_thermal_spec *t, cp_error *err)
{
    cp_thermal_size z;
    cp_thermal_estimate(t, &z);
    double steps = t->max_steps > 0 ? t->max_steps : CP_THERMAL_DEFAULT_MAX_STEPS;
    if (z.steps > steps)
        return cp_fail(err, "thermal", 0, 0,
                       "a transient of %.4g steps (t_end_s %g / dt_s %g) is more than "
                       "max_steps = %g: use a larger dt_s, or raise "
                       "thermal.transient.max_steps", z.steps, t->t_end_s, t->dt_s, steps);
    return 0;
}

int cp_thermal_check_size(const cp_thermal_spec *t, cp_error *err)
{
    return cp_thermal_check_steps(t, err) || cp_thermal_check_memory(t, err) ? -1 : 0;
}

int cp_thermal_grid_create(const cp_thermal_spec *t, cp_thermal_grid **out,
                           cp_error *err)
{
    char why[256];
    for (size_t b = 0; b < t->nblocks; b++)
        if (cp_thermal_block_resolution(t, b, why, sizeof why))
            return cp_fail(err, "thermal", 0, 0, "%s", why);
    if (cp_thermal_check_memory(t, err))
        return -1;
    cp_thermal_grid *g = calloc(1, sizeof *g);
    if (!g)
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    g->nx = t->nx;
    g->ny = t->ny;
    for (size_t l = 0; l < t->nlayers; l++) {
        g->layer_k0[l] = g->nz;
        g->nz += t->layer[l].cells;
    }
    g->layer_k0[t->nlayers] = g->nz;
    g->n = (size_t)g->nx * (size_t)g->ny * (size_t)g->nz;
    g->dx = t->size_x_m / g->nx;
    g->dy = t->size_y_m / g->ny;
    g->tamb_top = t->top.ambient_c;
    g->tamb_bot = t->bottom.ambient_c;
    if (alloc_arrays(g)) {
        cp_thermal_grid_free(g);
        return cp_fail(err, "thermal", 0, 0, "out of memory for %zu cells", g->n);
    }
    for (size_t l = 0; l < t->nlayers; l++)
        for (int k = g->layer_k0[l]; k < g->layer_k0[l + 1]; k++) {
            g->klayer[k] = (int)l;
            g->dz[k] = t->layer[l].thickness_m / t->layer[l].cells;
        }
    fill_conductances(g, t);
    g->nblocks = t->nblocks;
    cp_thermal_block_powers(t, NULL, g->power); /* fixed blocks; the rest 0 */
    cp_thermal_map_power(g, t);
    cp_thermal_set_uniform(g, t->top.ambient_c);
    *out = g;
    return 0;
}

void cp_thermal_grid_free(cp_thermal_grid *g)
{
    if (!g)
        return;
    cp_solver_free(g->solver);
    free(g->dz);
    free(g->klayer);
    free(g->gx);
    free(g->gy);
    free(g->gz);
    free(g->cap);
    free(g->q);
    free(g->t);
    free(g->work);
    free(g->gtop);
    free(g->gbot);
    free(g);
}

size_t cp_thermal_unknowns(const cp_thermal_grid *g) { return g->n; }
const double *cp_thermal_temps(const cp_thermal_grid *g) { return g->t; }
int cp_thermal_nz(const cp_thermal_grid *g) { return g->nz; }

void cp_thermal_layer_cells(const cp_thermal_grid *g, int layer, int *k0, int *k1)
{
    *k0 = g->layer_k0[layer];
    *k1 = g->layer_k0[layer + 1];
}

void cp_thermal_set_uniform(cp_thermal_grid *g, double temp_c)
{
    for (size_t c = 0; c < g->n; c++)
        g->t[c] = temp_c;
}
