/*
 * thermal_face.c — the heated faces and what is reported on them.
 *
 * A block heats the bottom face of its layer (flip-chip: the active side,
 * the junction plane, faces the substrate).  On a column of the grid that
 * face is a node F between the centre of the layer's first z-cell (c,
 * conductance G_up = A 2 k / dz) and the centre of the cell below (b,
 * G_dn = A 2 k_b / dz_b) or the bottom ambient (G_dn = h A).  Eliminating
 * F from  G_up (T_F - T_c) + G_dn (T_F - T_b) = q  leaves the series
 * conductance between c and b (the grid's gz, or gbot) and puts the face
 * heat q G_up / (G_up + G_dn) into c and q G_dn / (G_up + G_dn) into b (or
 * straight into the ambient); afterwards
 *   T_F = (q + G_up T_c + G_dn T_b) / (G_up + G_dn),
 * which is exact in one dimension, where a cell centre is dz / 2 short of
 * the face (Patankar 1980, sec. 4.2 and 4.4-3, half-cell boundary nodes).
 *
 * Block temperatures are taken on that face: the max over the block's
 * outline of the face temperature interpolated between column centres (an
 * edge next to a hotter block counts), the mean weighted by the area of the
 * block in each column.
 * Overlapping blocks are independent sources: their powers add.
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

double cp_thermal_overlap(double a0, double a1, double b0, double b1)
{
    double lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;
    return hi > lo ? hi - lo : 0;
}

/* Last cell whose lower edge is at or before x (0 if none). */
static int cell_at(const double *e, int n, double x)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (e[mid] <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

/* The cells [i0, i1) x [j0, j1) a block touches. */
static void block_cells(const cp_thermal_grid *g, const cp_tblock *B, int *i0, int *i1,
                        int *j0, int *j1)
{
    *i0 = cell_at(g->xe, g->nx, B->x0_m);
    *i1 = cell_at(g->xe, g->nx, B->x1_m) + 1;
    *j0 = cell_at(g->ye, g->ny, B->y0_m);
    *j1 = cell_at(g->ye, g->ny, B->y1_m) + 1;
}

void cp_thermal_map_power(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    size_t a = (size_t)g->nx * g->ny;
    memset(g->q, 0, g->n * sizeof *g->q);
    for (int l = 0; l < CP_MAX_LAYERS; l++)
        if (g->qface[l])
            memset(g->qface[l], 0, a * sizeof *g->qface[l]);
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        double area = (B->x1_m - B->x0_m) * (B->y1_m - B->y0_m);
        double *qf = g->qface[B->layer];
        int i0, i1, j0, j1;
        block_cells(g, B, &i0, &i1, &j0, &j1);
        for (int j = j0; j < j1; j++)
            for (int i = i0; i < i1; i++) {
                double ov = cp_thermal_overlap(B->x0_m, B->x1_m, g->xe[i], g->xe[i + 1]) *
                            cp_thermal_overlap(B->y0_m, B->y1_m, g->ye[j], g->ye[j + 1]);
                qf[(size_t)j * g->nx + i] += g->power[b] * ov / area;
            }
    }
    g->q_bottom_direct = 0;
    for (int l = 0; l < CP_MAX_LAYERS; l++) {
        if (!g->qface[l])
            continue;
        int k = g->layer_k0[l];
        for (size_t c = 0; c < a; c++) {
            double q = g->qface[l][c], up = g->gup[l][c], dn = g->gdn[l][c];
            double q_up = q * up / (up + dn);
            g->q[(size_t)k * a + c] += q_up;
            if (k > 0)
                g->q[(size_t)(k - 1) * a + c] += q - q_up;
            else
                g->q_bottom_direct += q - q_up;
        }
    }
}

double cp_thermal_face_temp(const cp_thermal_grid *g, int layer, int i, int j)
{
    size_t a = (size_t)g->nx * g->ny, c = (size_t)j * g->nx + i;
    int k = g->layer_k0[layer];
    double tc = g->t[(size_t)k * a + c];
    if (!g->qface[layer])
        return tc; /* no block heats this layer: the first cell */
    double up = g->gup[layer][c], dn = g->gdn[layer][c];
    double tb = k > 0 ? g->t[(size_t)(k - 1) * a + c] : g->tamb_bot;
    return (g->qface[layer][c] + up * tc + dn * tb) / (up + dn);
}

double cp_thermal_column_max(const cp_thermal_grid *g, int layer, int i, int j)
{
    double v = g->qface[layer] ? cp_thermal_face_temp(g, layer, i, j) : -INFINITY;
    for (int k = g->layer_k0[layer]; k < g->layer_k0[layer + 1]; k++)
        v = fmax(v, g->t[CP_IDX(g, i, j, k)]);
    return v;
}

/* v if it is larger than m, or NaN (a NaN stays). */
static double nan_max(double m, double v)
{
    return v > m || isnan(v) ? v : m;
}

/* Position of x among the cell centres of an axis: the cell c whose centre
 * is at or before x and the weight w of the next one (0 outside the
 * centres: the face is taken as flat beyond the outermost centre). */
static void centre_at(const double *e, int n, double x, int *c, double *w)
{
    int i = cell_at(e, n, x);
    double xc = 0.5 * (e[i] + e[i + 1]);
    if (x < xc)
        i--;
    if (i < 0 || i >= n - 1) {
        *c = i < 0 ? 0 : n - 1;
        *w = 0;
        return;
    }
    double a = 0.5 * (e[i] + e[i + 1]), b = 0.5 * (e[i + 1] + e[i + 2]);
    *c = i;
    *w = (x - a) / (b - a);
}

/* The face temperature at (x, y), bilinear between column centres. */
static double face_at(const cp_thermal_grid *g, int layer, double x, double y)
{
    int i, j;
    double u, v;
    centre_at(g->xe, g->nx, x, &i, &u);
    centre_at(g->ye, g->ny, y, &j, &v);
    double f00 = cp_thermal_face_temp(g, layer, i, j);
    double f10 = u > 0 ? cp_thermal_face_temp(g, layer, i + 1, j) : f00;
    double f01 = v > 0 ? cp_thermal_face_temp(g, layer, i, j + 1) : f00;
    double f11 = u > 0 && v > 0 ? cp_thermal_face_temp(g, layer, i + 1, j + 1)
                 : u > 0 ? f10 : f01;
    return (1 - v) * ((1 - u) * f00 + u * f10) + v * ((1 - u) * f01 + u * f11);
}

/* Max and area-weighted mean of the face temperature over block B.  The
 * max is that of the face temperature interpolated bilinearly between
 * column centres, over the block's whole outline: an edge or corner next to
 * a hotter neighbour is part of the block, and half a cell from the nearest
 * centre.  A bilinear patch peaks at a corner of its part of the block, so
 * the column centres inside the block and the points where the block's
 * edges cross the rows and columns of centres (and its corners) are every
 * candidate. */
static void block_face(const cp_thermal_grid *g, const cp_tblock *B, double *max_c,
                       double *mean_c)
{
    int i0, i1, j0, j1, l = B->layer;
    block_cells(g, B, &i0, &i1, &j0, &j1);
    double mx = -INFINITY, sum = 0, wsum = 0;
    for (int j = j0; j < j1; j++)
        for (int i = i0; i < i1; i++) {
            double ov = cp_thermal_overlap(B->x0_m, B->x1_m, g->xe[i], g->xe[i + 1]) *
                        cp_thermal_overlap(B->y0_m, B->y1_m, g->ye[j], g->ye[j + 1]);
            if (!(ov > 0))
                continue;
            double v = cp_thermal_face_temp(g, l, i, j);
            double xc = 0.5 * (g->xe[i] + g->xe[i + 1]), yc = 0.5 * (g->ye[j] + g->ye[j + 1]);
            if (xc > B->x0_m && xc < B->x1_m && yc > B->y0_m && yc < B->y1_m)
                mx = nan_max(mx, v);
            sum += ov * v;
            wsum += ov;
        }
    const double xs[2] = {B->x0_m, B->x1_m}, ys[2] = {B->y0_m, B->y1_m};
    for (int s = 0; s < 2; s++) {
        mx = nan_max(mx, face_at(g, l, xs[s], ys[0]));
        mx = nan_max(mx, face_at(g, l, xs[s], ys[1]));
        for (int i = i0; i < i1; i++) { /* the edges y = y0, y1 at the centres' x */
            double xc = 0.5 * (g->xe[i] + g->xe[i + 1]);
            if (xc > B->x0_m && xc < B->x1_m)
                mx = nan_max(mx, face_at(g, l, xc, ys[s]));
        }
        for (int j = j0; j < j1; j++) { /* the edges x = x0, x1 at the centres' y */
            double yc = 0.5 * (g->ye[j] + g->ye[j + 1]);
            if (yc > B->y0_m && yc < B->y1_m)
                mx = nan_max(mx, face_at(g, l, xs[s], yc));
        }
    }
    *max_c = mx;
    *mean_c = wsum > 0 ? sum / wsum : NAN;
}

static double field_max(const cp_thermal_grid *g)
{
    double mx = -INFINITY;
    for (size_t c = 0; c < g->n; c++)
        mx = nan_max(mx, g->t[c]);
    for (int l = 0; l < CP_MAX_LAYERS; l++)
        if (g->qface[l])
            for (int j = 0; j < g->ny; j++)
                for (int i = 0; i < g->nx; i++)
                    mx = nan_max(mx, cp_thermal_face_temp(g, l, i, j));
    return mx;
}

void cp_thermal_block_stats(const cp_thermal_grid *g, const cp_thermal_spec *t,
                            cp_thermal_result *out)
{
    if (!out->block || out->nblocks != t->nblocks) {
        free(out->block);
        out->block = calloc(t->nblocks ? t->nblocks : 1, sizeof *out->block);
        if (!out->block) {
            out->nblocks = 0;
            return;
        }
    }
    out->nblocks = t->nblocks;
    out->grid_nx = g->nx;
    out->grid_ny = g->ny;
    out->grid_nz = g->nz;
    out->min_cell_m = INFINITY;
    for (int i = 0; i < g->nx; i++)
        out->min_cell_m = fmin(out->min_cell_m, g->dx[i]);
    for (int j = 0; j < g->ny; j++)
        out->min_cell_m = fmin(out->min_cell_m, g->dy[j]);
    out->total_power_w = out->asic_w = out->engines_w = out->lasers_w = 0;
    out->max_c = field_max(g);
    out->worst_margin_k = INFINITY;
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        cp_block_temp *bt = &out->block[b];
        block_face(g, B, &bt->max_c, &bt->mean_c);
        double pw = g->power[b];
        bt->power_w = pw;
        bt->flux_w_per_cm2 = pw / ((B->x1_m - B->x0_m) * (B->y1_m - B->y0_m) * 1e4);
        bt->margin_k = B->limit_c > 0 ? B->limit_c - bt->max_c : INFINITY;
        /* NaN is never a pass: not `!(margin < 0)`, which NaN satisfies */
        bt->pass = isfinite(bt->max_c) && bt->margin_k >= 0;
        if (!(bt->margin_k >= out->worst_margin_k)) /* NaN stays */
            out->worst_margin_k = bt->margin_k;
        out->total_power_w += pw;
        if (B->src == CP_SRC_ASIC)
            out->asic_w += pw;
        else if (B->src == CP_SRC_ENGINE)
            out->engines_w += pw;
        else if (B->src == CP_SRC_LASER)
            out->lasers_w += pw;
    }
    cp_thermal_channels_stats(g, t, out);
    out->has_sink = g->has_sink;
    if (g->has_sink)
        out->sink = g->sink;
    out->cooling_w = out->pump_w + (g->has_sink ? g->sink.fan_w : 0);
    out->coolant_outlet_c = cp_thermal_coolant_outlet(g, t);
    out->coolant_rise_k = out->coolant_outlet_c - g->tamb_top;
    size_t a = (size_t)g->nx * g->ny, top = (size_t)(g->nz - 1) * a;
    out->heat_out_top_w = 0;
    out->heat_out_bottom_w = g->q_bottom_direct;
    for (size_t c = 0; c < a; c++) {
        out->heat_out_top_w += g->gtop[c] * (g->t[top + c] - g->tcool[c]);
        out->heat_out_bottom_w += g->gbot[c] * (g->t[c] - g->tamb_bot);
    }
}

double cp_thermal_probe_temp(const cp_thermal_grid *g, const cp_thermal_spec *t, size_t p)
{
    const cp_probe *P = &t->probe[p];
    int i = cell_at(g->xe, g->nx, P->x_m), j = cell_at(g->ye, g->ny, P->y_m);
    if (g->qface[P->layer])
        return cp_thermal_face_temp(g, P->layer, i, j);
    int k = (g->layer_k0[P->layer] + g->layer_k0[P->layer + 1]) / 2;
    return g->t[CP_IDX(g, i, j, k)];
}

void cp_thermal_result_free(cp_thermal_result *r)
{
    free(r->block);
    r->block = NULL;
    r->nblocks = 0;
}
