/*
 * thermal_grid.c — the finite-volume discretisation of a package stack.
 *
 * Cells are cuboids dx x dy x dz(k); the conductance between neighbours is
 * the series (harmonic) combination of the two half-cells,
 *   G = A / (d1 / (2 k1) + d2 / (2 k2)),
 * and a convective boundary adds h in series with the half-cell:
 *   G_b = A / (d / (2 k) + 1 / h)
 * (Patankar, Numerical Heat Transfer and Fluid Flow, 1980, sec. 4.2).
 * Cell sizes come from src/thermal_mesh.c; block power enters at the
 * bottom face of its layer (src/thermal_face.c).
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static double series(double d1, double k1, double d2, double k2)
{
    return 1.0 / (d1 / (2 * k1) + d2 / (2 * k2));
}

static double boundary(double d, double k, double h)
{
    return h > 0 ? 1.0 / (d / (2 * k) + 1.0 / h) : 0.0;
}

static bool layer_heated(const cp_thermal_spec *t, size_t l)
{
    for (size_t b = 0; b < t->nblocks; b++)
        if (t->block[b].layer == (int)l)
            return true;
    return false;
}

static int alloc_arrays(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    size_t n = g->n, a = (size_t)g->nx * (size_t)g->ny;
    g->dx = calloc((size_t)g->nx, sizeof *g->dx);
    g->dy = calloc((size_t)g->ny, sizeof *g->dy);
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
    g->tcool = calloc(a, sizeof(double));
    bool ok = g->tcool && g->dx && g->dy && g->klayer && g->gx && g->gy && g->gz &&
              g->cap && g->q && g->t && g->work && g->gtop && g->gbot;
    for (size_t l = 0; ok && l < t->nlayers; l++)
        if (layer_heated(t, l)) {
            g->qface[l] = calloc(a, sizeof(double));
            g->gup[l] = calloc(a, sizeof(double));
            g->gdn[l] = calloc(a, sizeof(double));
            ok = g->qface[l] && g->gup[l] && g->gdn[l];
        }
    return ok ? 0 : -1;
}

/* First cell whose centre is at or after x (xe ascending). */
static int first_centre(const double *xe, int n, double x)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if ((xe[mid] + xe[mid + 1]) / 2 < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The columns whose centres lie in [x0, x1) x [y0, y1) take material mat. */
static void paint(const cp_thermal_grid *g, double x0, double y0, double x1, double y1,
                  const cp_material *mat, const cp_material **m)
{
    int i0 = first_centre(g->xe, g->nx, x0), i1 = first_centre(g->xe, g->nx, x1);
    int j0 = first_centre(g->ye, g->ny, y0), j1 = first_centre(g->ye, g->ny, y1);
    for (int j = j0; j < j1; j++)
        for (int i = i0; i < i1; i++)
            m[(size_t)j * g->nx + i] = mat;
}

/* Material of each column of layer l: the layer's fill, its parts in order
 * (a later part wins), and its die material where a block of the layer
 * covers the column's centre. */
void cp_thermal_layer_materials(const cp_thermal_grid *g, const cp_thermal_spec *t, int l,
                                const cp_material **m)
{
    const cp_tlayer *L = &t->layer[l];
    const cp_material *fill = L->channels.on ? &g->chmat[l] : &L->mat;
    for (size_t c = 0; c < (size_t)g->nx * g->ny; c++)
        m[c] = fill;
    for (size_t p = 0; p < L->nparts; p++) {
        const cp_tpart *P = &L->part[p];
        paint(g, P->x0_m, P->y0_m, P->x1_m, P->y1_m, &P->mat, m);
    }
    if (!L->has_dies)
        return;
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        if (B->layer == l)
            paint(g, B->x0_m, B->y0_m, B->x1_m, B->y1_m, &L->die_mat, m);
    }
}

/* Conductances of z-cell k from the materials of its layer (m) and of the
 * layer of k + 1 (mz). */
static void fill_plane(cp_thermal_grid *g, const cp_thermal_spec *t, int k,
                       const cp_material **m, const cp_material **mz)
{
    double dz = g->dz[k];
    const cp_tlayer *L = &t->layer[g->klayer[k]];
    /* across a layer's channels, its walls and fluid in series */
    double kx_across = L->channels.on && L->channels.axis == 1 ? g->ch_across[g->klayer[k]] : 0;
    double ky_across = L->channels.on && L->channels.axis == 0 ? g->ch_across[g->klayer[k]] : 0;
    for (int j = 0; j < g->ny; j++) {
        double dy = g->dy[j];
        for (int i = 0; i < g->nx; i++) {
            double dx = g->dx[i];
            size_t col = (size_t)j * g->nx + i, c = CP_IDX(g, i, j, k);
            const cp_material *M = m[col];
            g->cap[c] = M->c_j_per_m3k * dx * dy * dz;
            if (i + 1 < g->nx)
                g->gx[c] = dy * dz * (kx_across > 0 ? series(dx, kx_across, g->dx[i + 1],
                                                             kx_across)
                                      : series(dx, M->k_xy_w_per_mk, g->dx[i + 1],
                                               m[col + 1]->k_xy_w_per_mk));
            if (j + 1 < g->ny)
                g->gy[c] = dx * dz * (ky_across > 0 ? series(dy, ky_across, g->dy[j + 1],
                                                             ky_across)
                                      : series(dy, M->k_xy_w_per_mk, g->dy[j + 1],
                                               m[col + (size_t)g->nx]->k_xy_w_per_mk));
            if (k + 1 < g->nz)
                g->gz[c] = dx * dy * series(dz, M->k_z_w_per_mk, g->dz[k + 1],
                                            mz[col]->k_z_w_per_mk);
            else
                g->gtop[col] = dx * dy * boundary(dz, M->k_z_w_per_mk, g->h_top);
            if (k == 0)
                g->gbot[col] = dx * dy * boundary(dz, M->k_z_w_per_mk, t->bottom.h_w_per_m2k);
        }
    }
}

/* The heated face of layer l (the bottom of its first z-cell k): from the
 * face up to the centre of cell k, A 2 k / dz; down to the centre of cell
 * k - 1 (its material mb), or to the bottom ambient through h. */
static void fill_face(cp_thermal_grid *g, const cp_thermal_spec *t, int l,
                      const cp_material **m, const cp_material **mb)
{
    int k = g->layer_k0[l];
    for (int j = 0; j < g->ny; j++)
        for (int i = 0; i < g->nx; i++) {
            size_t col = (size_t)j * g->nx + i;
            double A = g->dx[i] * g->dy[j];
            g->gup[l][col] = A * 2 * m[col]->k_z_w_per_mk / g->dz[k];
            g->gdn[l][col] = k > 0 ? A * 2 * mb[col]->k_z_w_per_mk / g->dz[k - 1]
                                   : A * t->bottom.h_w_per_m2k;
        }
}

/* Per-column materials of the layer of each z-cell, two planes at a time. */
static int fill_conductances(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    size_t a = (size_t)g->nx * g->ny;
    const cp_material **m = malloc(a * sizeof *m), **mz = malloc(a * sizeof *mz);
    if (!m || !mz) {
        free(m);
        free(mz);
        return -1;
    }
    cp_thermal_layer_materials(g, t, 0, m);
    for (int k = 0; k < g->nz; k++) {
        int l = g->klayer[k];
        if (k + 1 < g->nz && g->klayer[k + 1] != l)
            cp_thermal_layer_materials(g, t, g->klayer[k + 1], mz);
        else
            memcpy(mz, m, a * sizeof *m);
        if (g->layer_k0[l] == k && g->gup[l]) {
            /* m is this layer; the layer below (if any) is rebuilt for it */
            const cp_material **mb = NULL;
            if (k > 0) {
                mb = malloc(a * sizeof *mb);
                if (!mb) {
                    free(m);
                    free(mz);
                    return -1;
                }
                cp_thermal_layer_materials(g, t, g->klayer[k - 1], mb);
            }
            fill_face(g, t, l, m, mb);
            free(mb);
        }
        fill_plane(g, t, k, m, mz);
        const cp_material **sw = m;
        m = mz;
        mz = sw;
    }
    free(m);
    free(mz);
    return 0;
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
                if (g->gfl) s += g->gfl[c] * x[c];
                y[c] = s;
            }
}

void cp_thermal_rhs(const cp_thermal_grid *g, double *b)
{
    size_t a = (size_t)g->nx * g->ny, top = (size_t)(g->nz - 1) * a;
    memcpy(b, g->q, g->n * sizeof *b);
    for (size_t c = 0; c < a; c++) {
        b[top + c] += g->gtop[c] * g->tcool[c];
        b[c] += g->gbot[c] * g->tamb_bot;
    }
    if (g->gfl)
        for (size_t c = 0; c < g->n; c++)
            b[c] += g->gfl[c] * g->tfl[c];
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
    cp_thermal_mesh m;
    cp_error err;
    if (cp_thermal_mesh_build(t, &m, &err) == 0) {
        out->nx = m.nx;
        out->ny = m.ny;
        out->nz = m.nz;
        cp_thermal_mesh_free(&m);
    } else { /* out of memory for the lines: the grid would not fit either */
        out->nx = out->ny = out->nz = INT32_MAX / 2;
    }
    out->cells = (double)out->nx * out->ny * out->nz;
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
                       "a grid of %d x %d x %d = %.4g cells needs about %.3g GB with %s; "
                       "the limit is %g GB: use a coarser thermal.grid, or raise the "
                       "limit (cposim --max-memory GB)", z.nx, z.ny, z.nz, z.cells,
                       z.bytes / 1e9, z.solver == CP_SOLVER_CHOLMOD ? "CHOLMOD" : "PFMG-PCG",
                       gb);
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

static void take_mesh(cp_thermal_grid *g, cp_thermal_mesh *m)
{
    g->nx = m->nx;
    g->ny = m->ny;
    g->nz = m->nz;
    g->xe = m->xe;
    g->ye = m->ye;
    g->dz = m->dz;
    memcpy(g->layer_k0, m->layer_k0, sizeof g->layer_k0);
    m->xe = m->ye = m->dz = NULL;
}

int cp_thermal_grid_create(const cp_thermal_spec *t, cp_thermal_grid **out,
                           cp_error *err)
{
    char why[320];
    for (size_t b = 0; b < t->nblocks; b++)
        if (cp_thermal_block_resolution(t, b, why, sizeof why))
            return cp_fail(err, "thermal", 0, 0, "%s", why);
    for (size_t l = 0; l < t->nlayers; l++)
        for (size_t p = 0; p < t->layer[l].nparts; p++) {
            const cp_tpart *P = &t->layer[l].part[p];
            if (cp_thermal_rect_resolution(t, "part", P->name, P->x0_m, P->y0_m, P->x1_m,
                                           P->y1_m, why, sizeof why))
                return cp_fail(err, "thermal", 0, 0, "%s", why);
        }
    if (cp_thermal_check_memory(t, err))
        return -1;
    cp_thermal_mesh m;
    if (cp_thermal_mesh_build(t, &m, err))
        return -1;
    cp_thermal_grid *g = calloc(1, sizeof *g);
    if (!g) {
        cp_thermal_mesh_free(&m);
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    }
    take_mesh(g, &m);
    g->n = (size_t)g->nx * (size_t)g->ny * (size_t)g->nz;
    g->tamb_top = t->top.ambient_c;
    g->tamb_bot = t->bottom.ambient_c;
    g->h_top = t->top.h_w_per_m2k;
    if (t->sink.on) { /* the sink's resistance at its fans' airflow */
        if (cp_heatsink_eval(&t->sink, &g->sink, err)) {
            cp_thermal_grid_free(g);
            return -1;
        }
        g->has_sink = true;
        g->h_top = 1.0 / (g->sink.r_k_per_w * t->size_x_m * t->size_y_m);
    }
    if (alloc_arrays(g, t)) {
        cp_thermal_grid_free(g);
        return cp_fail(err, "thermal", 0, 0, "out of memory for %zu cells", g->n);
    }
    for (int i = 0; i < g->nx; i++)
        g->dx[i] = g->xe[i + 1] - g->xe[i];
    for (int j = 0; j < g->ny; j++)
        g->dy[j] = g->ye[j + 1] - g->ye[j];
    for (size_t l = 0; l < t->nlayers; l++)
        for (int k = g->layer_k0[l]; k < g->layer_k0[l + 1]; k++)
            g->klayer[k] = (int)l;
    for (size_t c = 0; c < (size_t)g->nx * g->ny; c++)
        g->tcool[c] = g->tamb_top;
    for (size_t l = 0; l < t->nlayers; l++)
        if (t->layer[l].channels.on)
            cp_channel_material(&t->layer[l], &g->chmat[l], &g->ch_across[l]);
    if (fill_conductances(g, t)) {
        cp_thermal_grid_free(g);
        return cp_fail(err, "thermal", 0, 0, "out of memory for %zu cells", g->n);
    }
    if (cp_thermal_channels_setup(g, t, err) || cp_thermal_fluid_setup(g, t, err)) {
        cp_thermal_grid_free(g);
        return -1;
    }
    g->nblocks = t->nblocks;
    g->power = calloc(t->nblocks ? t->nblocks : 1, sizeof *g->power);
    if (!g->power) {
        cp_thermal_grid_free(g);
        return cp_fail(err, "thermal", 0, 0, "out of memory for %zu blocks", t->nblocks);
    }
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
    free(g->xe);
    free(g->ye);
    free(g->dx);
    free(g->dy);
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
    free(g->tcool);
    free(g->gfl);
    free(g->tfl);
    free(g->power);
    free(g->flx);
    free(g->flg);
    cp_anderson_free(g->fl_aa);
    for (int l = 0; l < CP_MAX_LAYERS; l++) {
        free(g->qface[l]);
        free(g->gup[l]);
        free(g->gdn[l]);
    }
    free(g);
}

size_t cp_thermal_unknowns(const cp_thermal_grid *g) { return g->n; }

void cp_thermal_plane(const cp_thermal_grid *g, int *nx, int *ny, const double **xe,
                      const double **ye)
{
    *nx = g->nx;
    *ny = g->ny;
    *xe = g->xe;
    *ye = g->ye;
}
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

int cp_thermal_spec_set_blocks(cp_thermal_spec *t, size_t n)
{
    cp_tblock *b = realloc(t->block, (n ? n : 1) * sizeof *b);
    if (!b)
        return -1;
    for (size_t i = t->nblocks; i < n; i++)
        memset(&b[i], 0, sizeof b[i]);
    t->block = b;
    t->nblocks = n;
    return 0;
}

void cp_thermal_spec_free(cp_thermal_spec *t)
{
    free(t->block);
    t->block = NULL;
    t->nblocks = 0;
}
