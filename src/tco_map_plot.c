/*
 * tco_map_plot.c — the break-even map drawn by PLplot: TCO(B) - TCO(A) in
 * $M as filled shades (blue: B cheaper, red: A cheaper) over the two inputs,
 * and the break-even line (the zero contour) in black.  SVG (built-in
 * driver) or PNG (cairo driver).
 *
 * As thermal_map.c: drawn into memory by plot_to_memory (src/plot.c) and
 * handed to the caller, who writes it (the library touches no file).
 */
#include "internal.h"
#include "plot.h"

#include <math.h>
#include <plplot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 20

const char *cp_tco_map_format(const char *path)
{
    return cp_thermal_map_format(path); /* the same two image formats */
}

typedef struct view {
    const cp_tco_map *m;
    const char *a, *b;
    PLFLT **z;                   /* [nx][ny] in $M */
    double zmax;                 /* symmetric colour range: -zmax .. zmax */
    bool xlog, ylog;             /* geometric axes, drawn in log10 */
} view;

static double ax(double x, bool lg) { return lg ? log10(x) : x; }

static void draw(const view *v)
{
    const cp_tco_map *m = v->m;
    PLFLT clev[LEVELS + 1];
    for (int l = 0; l <= LEVELS; l++)
        clev[l] = -v->zmax + 2 * v->zmax * l / LEVELS;
    /* blue (B cheaper) - white (even) - red (A cheaper) */
    PLFLT pos[3] = {0, 0.5, 1}, r[3] = {0.1, 1, 0.8}, g[3] = {0.3, 1, 0.1}, bl[3] = {0.8, 1, 0.1};
    plscmap1n(256);
    plscmap1l(1, 3, pos, r, g, bl, NULL);
    double x0 = ax(m->xv[0], v->xlog), x1 = ax(m->xv[m->nx - 1], v->xlog);
    double y0 = ax(m->yv[0], v->ylog), y1 = ax(m->yv[m->ny - 1], v->ylog);
    pladv(0);
    plvpor(0.12, 0.78, 0.12, 0.88);
    plwind(x0, x1, y0, y1);
    plshades((PLFLT_MATRIX)v->z, (PLINT)m->nx, (PLINT)m->ny, NULL, x0, x1, y0, y1, clev,
             LEVELS + 1, 0, 0, 0, plfill, 1, NULL, NULL);
    PLFLT zero[1] = {0};
    PLcGrid cg = {NULL, NULL, NULL, 0, 0, 0};
    PLFLT *xg = malloc(m->nx * sizeof *xg), *yg = malloc(m->ny * sizeof *yg);
    if (xg && yg) {
        for (size_t i = 0; i < m->nx; i++)
            xg[i] = ax(m->xv[i], v->xlog);
        for (size_t j = 0; j < m->ny; j++)
            yg[j] = ax(m->yv[j], v->ylog);
        cg = (PLcGrid){xg, yg, NULL, (PLINT)m->nx, (PLINT)m->ny, 0};
        plcol0(15);
        plwidth(2);
        plcont((PLFLT_MATRIX)v->z, (PLINT)m->nx, (PLINT)m->ny, 1, (PLINT)m->nx, 1,
               (PLINT)m->ny, zero, 1, pltr1, &cg);
        plwidth(1);
    }
    free(xg);
    free(yg);
    plcol0(15);
    plbox(v->xlog ? "bcnstl" : "bcnst", 0, 0, v->ylog ? "bcnstlv" : "bcnstv", 0, 0);
    char title[300];
    snprintf(title, sizeof title, "TCO %s - %s ($M); black: break-even", v->b, v->a);
    pllab(m->x.name, m->y.name, title);
    plot_colorbar(clev, LEVELS + 1, "$M (< 0: B cheaper)", 0.05, 0.76);
}

static void draw_fn(const void *ctx) { draw(ctx); }

int cp_tco_map_plot(const cp_tco_map *m, const char *a_name, const char *b_name,
                    const char *format, char **data, size_t *len, cp_error *err)
{
    *data = NULL;
    *len = 0;
    const char *dev = !format ? NULL
                      : !strcmp(format, "png") ? "pngcairo"
                      : !strcmp(format, "svg") ? "svg" : NULL;
    if (!dev)
        return cp_fail(err, "map", 0, 0, "the map plot must be svg or png, not '%s'",
                       format ? format : "(none)");
    if (!plot_device_available(dev))
        return cp_fail(err, "map", 0, 0, "PLplot has no '%s' driver here (for PNG install "
                       "plplot-driver-cairo; SVG is built in)", dev);
    view v = {m, a_name, b_name, malloc(m->nx * sizeof *v.z), 0, m->xlog, m->ylog};
    PLFLT *zc = malloc(m->nx * m->ny * sizeof *zc);
    if (!v.z || !zc) {
        free(v.z);
        free(zc);
        return cp_fail(err, "map", 0, 0, "out of memory for the map");
    }
    for (size_t i = 0; i < m->nx; i++) {
        v.z[i] = zc + i * m->ny;
        for (size_t j = 0; j < m->ny; j++) {
            v.z[i][j] = m->diff[j * m->nx + i] / 1e6;
            v.zmax = fmax(v.zmax, fabs(v.z[i][j]));
        }
    }
    if (!(v.zmax > 0) || !isfinite(v.zmax))
        v.zmax = 1;
    char *buf = NULL;
    size_t n = 0;
    int rc = plot_to_memory(dev, 900, 720, draw_fn, &v, "map", "map", &buf, &n, err);
    free(v.z);
    free(zc);
    if (rc) {
        free(buf);
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}
