/*
 * thermal_map.c — temperature map of one layer, drawn by PLplot: filled
 * contours of the layer's hottest z-cell per column, block outlines, a
 * colour bar.  SVG (built-in driver) or PNG (cairo driver) by extension.
 */
#include "thermal_internal.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 24

static const char *device_for(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".png") == 0)
        return "pngcairo";
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

/* PLplot prompts on stdin and exits for an unknown device: ask first. */
static bool device_available(const char *dev)
{
    PLCHAR_VECTOR menu_a[64], name_a[64];
    PLCHAR_VECTOR *menu = menu_a, *names = name_a;
    int n = 64; /* in: room in the arrays; out: devices listed */
    plgDevs(&menu, &names, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], dev) == 0)
            return true;
    return false;
}

int cp_thermal_map(const cp_thermal_grid *g, const cp_thermal_spec *t, int layer,
                   const char *path, cp_error *err)
{
    const char *dev = device_for(path);
    if (!dev)
        return cp_fail(err, path, 0, 0, "the map must be a .svg or .png file");
    if (!device_available(dev))
        return cp_fail(err, path, 0, 0, "PLplot has no '%s' driver here (for PNG "
                                        "install plplot-driver-cairo; SVG is built in)",
                       dev);
    PLFLT **z;
    plAlloc2dGrid(&z, g->nx, g->ny);
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < g->nx; i++)
        for (int j = 0; j < g->ny; j++) {
            double v = -INFINITY;
            for (int k = g->layer_k0[layer]; k < g->layer_k0[layer + 1]; k++)
                v = fmax(v, g->t[CP_IDX(g, i, j, k)]);
            z[i][j] = v;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    if (hi - lo < 1e-6)
        hi = lo + 1e-6;
    PLFLT clev[LEVELS + 1];
    for (int l = 0; l <= LEVELS; l++)
        clev[l] = lo + (hi - lo) * l / LEVELS;
    plsdev(dev);
    plsfnam(path);
    plspage(0, 0, 900, 760, 0, 0);
    plscolbg(255, 255, 255);
    plscol0(15, 0, 0, 0);       /* text and frame: black */
    plscol0(14, 255, 255, 255); /* block outlines: white */
    plinit();
    /* blue - cyan - yellow - red */
    PLFLT pos[4] = {0, 0.35, 0.7, 1}, r[4] = {0.1, 0, 1, 0.85}, gr[4] = {0.1, 0.8, 0.9, 0},
          bl[4] = {0.6, 0.9, 0, 0};
    plscmap1n(256);
    plscmap1l(1, 4, pos, r, gr, bl, NULL);
    PLFLT xmax = t->size_x_m * 1e3, ymax = t->size_y_m * 1e3;
    pladv(0);
    plvpor(0.11, 0.80, 0.10, 0.90);
    plwind(0, xmax, 0, ymax);
    plshades((PLFLT_MATRIX)z, g->nx, g->ny, NULL, 0, xmax, 0, ymax, clev, LEVELS + 1,
             0, 0, 0, plfill, 1, NULL, NULL);
    plcol0(15);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    outlines(t, layer);
    plcol0(15);
    char title[200];
    snprintf(title, sizeof title, "layer %s: %.1f .. %.1f C", t->layer[layer].name, lo, hi);
    pllab("x (mm)", "y (mm)", title);
    PLFLT cw, ch;
    PLINT lab[1] = {PL_COLORBAR_LABEL_RIGHT};
    const char *labels[1] = {"C"};
    PLINT axn[1] = {0};
    PLFLT ticks[1] = {0};
    PLINT sub[1] = {0};
    PLINT nv[1] = {LEVELS + 1};
    const PLFLT *vals[1] = {clev};
    const char *axo[1] = {"bcvtm"};
    plcolorbar(&cw, &ch, PL_COLORBAR_SHADE | PL_COLORBAR_SHADE_LABEL, PL_POSITION_RIGHT,
               0.02, 0, 0.05, 0.8, 0, 1, 1, 0, 0, 0, 0, 1, lab, labels, 1, axo, ticks,
               sub, nv, vals);
    (void)axn;
    plend();
    plFree2dGrid(z, g->nx, g->ny);
    FILE *f = fopen(path, "r");
    if (!f)
        return cp_fail(err, path, 0, 0, "PLplot did not write the map (driver %s "
                                        "missing?)", dev);
    fclose(f);
    return 0;
}
