/*
 * thermal_map.c — temperature map of one layer, drawn by PLplot: filled
 * contours of the layer's hottest z-cell (or heated face) per column,
 * drawn at the cell centres of the grid, block outlines, a
 * colour bar.  SVG (built-in driver) or PNG (cairo driver).
 *
 * The map is drawn into memory (plot_to_memory, src/plot.c) and handed to
 * the caller, who writes it: the library touches no file, so PLplot never
 * interprets a file name ("%n" is its family-member number) and never fails
 * to open one (it then called exit(1)).  For the errors PLplot still treats
 * as fatal (out of memory), an exit handler returns control instead of
 * letting it end the process, and its non-fatal messages come back in the
 * error instead of on stderr.
 */
#include "plot.h"
#include "thermal_internal.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 24

const char *cp_thermal_map_format(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".png") == 0)
        return "png";
    if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
        return "svg";
    return NULL;
}

static void outlines(const cp_thermal_spec *t, int layer)
{
    plcol0(14);
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        if (B->layer != layer)
            continue;
        PLFLT x[5] = {B->x0_m * 1e3, B->x1_m * 1e3, B->x1_m * 1e3, B->x0_m * 1e3, B->x0_m * 1e3};
        PLFLT y[5] = {B->y0_m * 1e3, B->y0_m * 1e3, B->y1_m * 1e3, B->y1_m * 1e3, B->y0_m * 1e3};
        plline(5, x, y);
        plptex((x[0] + x[1]) / 2, (y[0] + y[2]) / 2, 1, 0, 0.5, B->name);
    }
}

static void draw(const cp_thermal_grid *g, const cp_thermal_spec *t, int layer,
                 PLFLT **z, double lo, double hi)
{
    PLFLT clev[LEVELS + 1];
    for (int l = 0; l <= LEVELS; l++)
        clev[l] = lo + (hi - lo) * l / LEVELS;
    /* blue - cyan - yellow - red */
    PLFLT pos[4] = {0, 0.35, 0.7, 1}, r[4] = {0.1, 0, 1, 0.85}, gr[4] = {0.1, 0.8, 0.9, 0},
          bl[4] = {0.6, 0.9, 0, 0};
    plscmap1n(256);
    plscmap1l(1, 4, pos, r, gr, bl, NULL);
    PLFLT xmax = t->size_x_m * 1e3, ymax = t->size_y_m * 1e3;
    pladv(0);
    plvpor(0.11, 0.80, 0.10, 0.90);
    plwind(0, xmax, 0, ymax);
    /* cell centres of the (possibly non-uniform) grid */
    PLFLT *xc = malloc((size_t)g->nx * sizeof *xc), *yc = malloc((size_t)g->ny * sizeof *yc);
    if (xc && yc) {
        for (int i = 0; i < g->nx; i++)
            xc[i] = (g->xe[i] + g->xe[i + 1]) / 2 * 1e3;
        for (int j = 0; j < g->ny; j++)
            yc[j] = (g->ye[j] + g->ye[j + 1]) / 2 * 1e3;
        PLcGrid cg = {xc, yc, NULL, g->nx, g->ny, 0};
        plshades((PLFLT_MATRIX)z, g->nx, g->ny, NULL, xc[0], xc[g->nx - 1], yc[0],
                 yc[g->ny - 1], clev, LEVELS + 1, 0, 0, 0, plfill, 1, pltr1, &cg);
    }
    free(xc);
    free(yc);
    plcol0(15);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    outlines(t, layer);
    plcol0(15);
    char title[200];
    snprintf(title, sizeof title, "layer %s: %.1f .. %.1f C", t->layer[layer].name, lo, hi);
    pllab("x (mm)", "y (mm)", title);
    plot_colorbar(clev, LEVELS + 1, "C", 0.05, 0.8);
}

typedef struct map_ctx {
    const cp_thermal_grid *g;
    const cp_thermal_spec *t;
    int layer;
    PLFLT **z;
    double lo, hi;
} map_ctx;

static void draw_map(const void *ctx)
{
    const map_ctx *m = ctx;
    draw(m->g, m->t, m->layer, m->z, m->lo, m->hi);
}

int cp_thermal_map(const cp_thermal_grid *g, const cp_thermal_spec *t, int layer,
                   const char *format, char **data, size_t *len, cp_error *err)
{
    *data = NULL;
    *len = 0;
    const char *dev = !format ? NULL
                      : !strcmp(format, "png") ? "pngcairo"
                      : !strcmp(format, "svg") ? "svg" : NULL;
    if (!dev)
        return cp_fail(err, "thermal", 0, 0, "the map must be svg or png, not '%s'",
                       format ? format : "(none)");
    if (layer < 0 || (size_t)layer >= t->nlayers)
        return cp_fail(err, "thermal", 0, 0, "no layer %d in the stack", layer);
    if (!plot_device_available(dev))
        return cp_fail(err, "thermal", 0, 0, "PLplot has no '%s' driver here (for PNG "
                                             "install plplot-driver-cairo; SVG is built in)",
                       dev);
    PLFLT **z = malloc((size_t)g->nx * sizeof *z);
    PLFLT *zc = malloc((size_t)g->nx * (size_t)g->ny * sizeof *zc);
    if (!z || !zc) {
        free(z);
        free(zc);
        return cp_fail(err, "thermal", 0, 0, "out of memory for the map");
    }
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < g->nx; i++) {
        z[i] = zc + (size_t)i * (size_t)g->ny;
        for (int j = 0; j < g->ny; j++) {
            double v = cp_thermal_column_max(g, layer, i, j);
            z[i][j] = v;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    if (hi - lo < 1e-6)
        hi = lo + 1e-6;
    /* PLplot draws into memory (plot.c), in a page of 900 x 760 */
    map_ctx m = {g, t, layer, z, lo, hi};
    int rc = plot_to_memory(dev, 900, 760, draw_map, &m, "thermal", "map", data, len, err);
    free(z);
    free(zc);
    return rc;
}
