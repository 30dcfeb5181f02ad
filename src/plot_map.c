/*
 * plot_map.c — the two plots of a plane: a heatmap (cells coloured by value,
 * a colour bar, outlined rectangles such as a package's blocks) and a
 * scatter (points in classes, the highlighted ones joined in x order, the
 * ordinary ones binned into a density above PLOT_SCATTER_MAX points).
 * Drawn by PLplot inside plot_render (plot.c).
 */
#include "plot.h"

#include <math.h>
#include <plplot.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 20

/* blue - cyan - yellow - red, as the thermal map */
static void heat_palette(void)
{
    PLFLT pos[4] = {0, 0.35, 0.7, 1}, r[4] = {0.1, 0, 1, 0.85}, g[4] = {0.1, 0.8, 0.9, 0},
          b[4] = {0.6, 0.9, 0, 0};
    plscmap1n(256);
    plscmap1l(1, 4, pos, r, g, b, NULL);
}

static void fill4(double x0, double x1, double y0, double y1)
{
    PLFLT x[4] = {x0, x1, x1, x0}, y[4] = {y0, y0, y1, y1};
    plfill(4, x, y);
}

static void z_range(const plot *p, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t k = 0; k < p->nx * p->ny; k++)
        if (isfinite(p->z[k])) {
            *lo = fmin(*lo, p->z[k]);
            *hi = fmax(*hi, p->z[k]);
        }
    if (!isfinite(*lo)) {
        *lo = 0;
        *hi = 1;
    }
    if (*hi - *lo < 1e-9 * fmax(1, fabs(*lo)))
        *hi = *lo + fmax(1e-6, 1e-6 * fabs(*lo));
}

static void ticks(const plot *p)
{
    char buf[PLOT_LABEL * 2];
    double x0 = p->xedge[0], x1 = p->xedge[p->nx], y0 = p->yedge[0], y1 = p->yedge[p->ny];
    plcol0(PLOT_COL_TEXT);
    plschr(0, 0.7);
    for (size_t i = 0; p->xtick && i < p->nx; i++)
        plmtex("b", 1.2, ((p->xedge[i] + p->xedge[i + 1]) / 2 - x0) / (x1 - x0), 0.5,
               plot_text(p->xtick[i], buf, sizeof buf));
    for (size_t j = 0; p->ytick && j < p->ny; j++)
        plmtex("lv", 0.8, ((p->yedge[j] + p->yedge[j + 1]) / 2 - y0) / (y1 - y0), 1.0,
               plot_text(p->ytick[j], buf, sizeof buf));
    plschr(0, 0.8);
}

static void cells(const plot *p, double lo, double hi)
{
    bool grid = p->xtick || p->ytick; /* few, labelled cells: values written in them */
    char buf[32];
    for (size_t j = 0; j < p->ny; j++)
        for (size_t i = 0; i < p->nx; i++) {
            double v = p->z[j * p->nx + i];
            double x0 = p->xedge[i], x1 = p->xedge[i + 1], y0 = p->yedge[j], y1 = p->yedge[j + 1];
            if (isfinite(v)) {
                plcol1((v - lo) / (hi - lo));
            } else {
                plcol0(PLOT_COL_LIGHT);
            }
            fill4(x0, x1, y0, y1);
            if (grid && p->value_labels && p->nx * p->ny <= 196) {
                snprintf(buf, sizeof buf, isfinite(v) ? "%.4g" : "none", v);
                plcol0(PLOT_COL_TEXT);
                plschr(0, 0.55);
                plptex((x0 + x1) / 2, (y0 + y1) / 2, 1, 0, 0.5, buf);
                plschr(0, 0.8);
            }
        }
}

static void rects(const plot *p)
{
    char buf[PLOT_LABEL * 2];
    plschr(0, 0.5);
    for (size_t k = 0; k < p->nrects; k++) {
        const plot_rect *r = &p->rect[k];
        PLFLT x[5] = {r->x0, r->x1, r->x1, r->x0, r->x0}, y[5] = {r->y0, r->y0, r->y1, r->y1,
                                                                 r->y0};
        plcol0(PLOT_COL_WHITE);
        plline(5, x, y);
        plptex((r->x0 + r->x1) / 2, (r->y0 + r->y1) / 2, 1, 0, 0.5,
               plot_text(r->label, buf, sizeof buf));
    }
    plschr(0, 0.8);
}

static void colorbar(const plot *p, double lo, double hi)
{
    PLFLT clev[LEVELS + 1];
    for (int l = 0; l <= LEVELS; l++)
        clev[l] = lo + (hi - lo) * l / LEVELS;
    char zl[PLOT_LABEL * 2];
    plcol0(PLOT_COL_TEXT);
    plot_colorbar(clev, LEVELS + 1, plot_text(p->zlabel, zl, sizeof zl), 0.04, 0.8);
}

void plot_colorbar(const double *lev, int n, const char *label, double width, double height)
{
    PLFLT cw, ch;
    PLINT lab[1] = {PL_COLORBAR_LABEL_RIGHT};
    const char *labels[1] = {label};
    PLFLT tick[1] = {0};
    PLINT sub[1] = {0};
    PLINT nv[1] = {n};
    const PLFLT *vals[1] = {lev};
    const char *axo[1] = {"bcvtm"};
    plcolorbar(&cw, &ch, PL_COLORBAR_SHADE | PL_COLORBAR_SHADE_LABEL, PL_POSITION_RIGHT, 0.02, 0,
               width, height, 0, 1, 1, 0, 0, 0, 0, 1, lab, labels, 1, axo, tick, sub, nv, vals);
}

void plot_draw_heatmap(const plot *p)
{
    double lo, hi;
    z_range(p, &lo, &hi);
    heat_palette();
    pladv(0);
    plvpor(0.12, 0.74, 0.14, 0.88);
    const char *xo = p->xtick ? "bc" : "bcnst", *yo = p->ytick ? "bc" : "bcnstv";
    plot_frame(p, p->xedge[0], p->xedge[p->nx], p->yedge[0], p->yedge[p->ny], xo, yo);
    cells(p, lo, hi);
    rects(p);
    plcol0(PLOT_COL_TEXT);
    plbox(xo, 0, 0, yo, 0, 0); /* the frame again, over the cells */
    ticks(p);
    colorbar(p, lo, hi);
}

/* ----------------------------------------------------------------- scatter */

typedef struct xy {
    double x, y;
} xy;

static int by_x(const void *a, const void *b)
{
    const xy *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

static void ranges(const plot *p, double *x0, double *x1, double *y0, double *y1)
{
    *x0 = *y0 = INFINITY;
    *x1 = *y1 = -INFINITY;
    for (size_t i = 0; i < p->n; i++)
        if (isfinite(p->x[i]) && isfinite(p->y[0][i])) {
            *x0 = fmin(*x0, p->x[i]);
            *x1 = fmax(*x1, p->x[i]);
            *y0 = fmin(*y0, p->y[0][i]);
            *y1 = fmax(*y1, p->y[0][i]);
        }
    if (!isfinite(*x0)) {
        *x0 = *y0 = 0;
        *x1 = *y1 = 1;
    }
    double dx = *x1 - *x0 > 0 ? *x1 - *x0 : fmax(1, fabs(*x0)),
           dy = *y1 - *y0 > 0 ? *y1 - *y0 : fmax(1, fabs(*y0));
    *x0 -= 0.05 * dx;
    *x1 += 0.05 * dx;
    *y0 -= 0.05 * dy;
    *y1 += 0.05 * dy;
}

/* The ordinary points as cells shaded by log(1 + count). */
static void density(const plot *p, double x0, double x1, double y0, double y1)
{
    enum { B = PLOT_DENSITY_BINS };
    double count[B * B] = {0};
    double mx = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (p->pt[i] == PLOT_PT_FRONT || !isfinite(p->x[i]) || !isfinite(p->y[0][i]))
            continue;
        int a = (int)((p->x[i] - x0) / (x1 - x0) * B), b = (int)((p->y[0][i] - y0) / (y1 - y0) * B);
        a = a < 0 ? 0 : a >= B ? B - 1 : a;
        b = b < 0 ? 0 : b >= B ? B - 1 : b;
        count[b * B + a] += 1;
        mx = fmax(mx, count[b * B + a]);
    }
    PLFLT pos[2] = {0, 1}, r[2] = {0.85, 0.2}, g[2] = {0.88, 0.3}, bl[2] = {0.95, 0.55};
    plscmap1n(64);
    plscmap1l(1, 2, pos, r, g, bl, NULL);
    for (int b = 0; b < B; b++)
        for (int a = 0; a < B; a++)
            if (count[b * B + a] > 0) {
                plcol1(log1p(count[b * B + a]) / log1p(mx));
                fill4(x0 + (x1 - x0) * a / B, x0 + (x1 - x0) * (a + 1) / B,
                      y0 + (y1 - y0) * b / B, y0 + (y1 - y0) * (b + 1) / B);
            }
}

static void points_of(const plot *p, unsigned char cls, int col, int code, double scale)
{
    PLFLT px[256], py[256];
    size_t k = 0;
    plcol0(col);
    plssym(0, scale);
    for (size_t i = 0; i <= p->n; i++) {
        if (k == 256 || (i == p->n && k)) {
            plpoin((PLINT)k, px, py, code);
            k = 0;
        }
        if (i < p->n && p->pt[i] == cls && isfinite(p->x[i]) && isfinite(p->y[0][i])) {
            px[k] = p->x[i];
            py[k++] = p->y[0][i];
        }
    }
    plssym(0, 1);
}

static void front_line(const plot *p)
{
    size_t k = 0;
    xy *f = malloc(p->n * sizeof *f);
    if (!f)
        return;
    for (size_t i = 0; i < p->n; i++)
        if (p->pt[i] == PLOT_PT_FRONT && isfinite(p->x[i]) && isfinite(p->y[0][i]))
            f[k++] = (xy){p->x[i], p->y[0][i]};
    qsort(f, k, sizeof *f, by_x);
    plcol0(PLOT_COL_DOWN);
    for (size_t i = 1; i < k; i++) {
        PLFLT x[2] = {f[i - 1].x, f[i].x}, y[2] = {f[i - 1].y, f[i].y};
        plline(2, x, y);
    }
    free(f);
}

void plot_draw_scatter(const plot *p)
{
    double x0, x1, y0, y1;
    ranges(p, &x0, &x1, &y0, &y1);
    size_t ordinary = 0;
    for (size_t i = 0; i < p->n; i++)
        ordinary += p->pt[i] != PLOT_PT_FRONT;
    bool binned = ordinary > PLOT_SCATTER_MAX;
    pladv(0);
    plvpor(0.10, 0.66, 0.14, 0.88);
    plot_frame(p, x0, x1, y0, y1, "bcnst", "bcnstv");
    const char *names[4];
    int cols[4], kinds[4];
    size_t n = 0;
    if (binned) {
        density(p, x0, x1, y0, y1);
        names[n] = "other points (binned density)";
        cols[n] = PLOT_COL_GREY;
        kinds[n++] = 0;
    } else {
        points_of(p, PLOT_PT_OTHER, PLOT_COL_LIGHT, 4, 0.6);
        points_of(p, PLOT_PT_FEASIBLE, plot_color(0), 4, 0.6);
        names[n] = "infeasible";
        cols[n] = PLOT_COL_LIGHT;
        kinds[n++] = 2;
        names[n] = "feasible";
        cols[n] = plot_color(0);
        kinds[n++] = 2;
    }
    front_line(p);
    points_of(p, PLOT_PT_FRONT, PLOT_COL_DOWN, 4, 1.1);
    names[n] = "Pareto front";
    cols[n] = PLOT_COL_DOWN;
    kinds[n++] = 2;
    plcol0(PLOT_COL_TEXT);
    plbox("bcnst", 0, 0, "bcnstv", 0, 0);
    plot_legend(p, names, cols, kinds, n);
}
