/*
 * plot.c — draws a plot (plot.h) with PLplot into memory: bars (grouped or
 * stacked), a waterfall, horizontal bars (tornado, value against a limit)
 * and lines here; the heatmap and the scatter in plot_map.c.
 *
 * PLplot writes into an open_memstream buffer (no file is touched, no file
 * name is interpreted), an unknown device is refused before plsdev (PLplot
 * would prompt and exit), and PLplot's fatal errors jump back through plsexit
 * instead of ending the process (plot_to_memory, also used by the thermal
 * map).  PLplot keeps one global stream state: figures are drawn one at a
 * time.
 */
#include "plot.h"

#include <math.h>
#include <plplot.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_W 900
#define PAGE_H 520

void plot_label(char *dst, const char *s)
{
    snprintf(dst, PLOT_LABEL, "%s", s ? s : "");
}

/* PLplot reads '#' as the start of an escape sequence (#u, #d, #(nnn)):
 * a literal one is written twice. */
const char *plot_text(const char *s, char *buf, size_t len)
{
    size_t at = 0;
    for (; s && *s && at + 3 < len; s++) {
        if (*s == '#')
            buf[at++] = '#';
        buf[at++] = *s;
    }
    buf[at] = '\0';
    return buf;
}

int plot_color(size_t s) { return 1 + (int)(s % 9); }

/* Okabe-Ito colours (distinguishable with colour-blindness), then greys. */
void plot_palette(void)
{
    static const int rgb[16][3] = {
        {255, 255, 255}, {0, 114, 178},   {230, 159, 0},   {0, 158, 115},
        {204, 121, 167}, {86, 180, 233},  {213, 94, 0},    {240, 228, 66},
        {120, 120, 200}, {160, 110, 60},  {215, 215, 215}, {140, 140, 140},
        {0, 150, 90},    {200, 40, 40},   {255, 255, 255}, {0, 0, 0}};
    plscmap0n(16);
    for (int i = 0; i < 16; i++)
        plscol0(i, rgb[i][0], rgb[i][1], rgb[i][2]);
}

/* Window, box and labels in the current viewport. */
void plot_frame(const plot *p, double x0, double x1, double y0, double y1, const char *xopt,
                const char *yopt)
{
    char t[200], xl[200], yl[200];
    plwind(x0, x1, y0, y1);
    plcol0(PLOT_COL_TEXT);
    plschr(0, 0.8);
    plbox(xopt, 0, 0, yopt, 0, 0);
    plschr(0, 0.9);
    pllab(plot_text(p->xlabel, xl, sizeof xl), plot_text(p->ylabel, yl, sizeof yl), "");
    plschr(0, 1.1);
    plmtex("t", 2.0, 0.5, 0.5, plot_text(p->title, t, sizeof t));
    plschr(0, 0.8);
}

/* kind: 0 colour box, 1 line, 2 symbol */
void plot_legend(const plot *p, const char *const *names, const int *colors, const int *kind,
                 size_t n)
{
    (void)p;
    if (n == 0)
        return;
    PLINT opt[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3], tcol[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    PLINT bcol[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3], bpat[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    PLINT lcol[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3], lsty[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    PLINT snum[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    PLFLT bsc[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3], bw[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    PLFLT lw[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3], ssc[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    char text[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3][PLOT_LABEL * 2];
    const char *tx[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3], *sym[PLOT_MAX_SERIES + PLOT_MAX_REFS + 3];
    size_t cap = sizeof opt / sizeof *opt;
    if (n > cap)
        n = cap;
    for (size_t i = 0; i < n; i++) {
        opt[i] = kind[i] == 0 ? PL_LEGEND_COLOR_BOX
                 : kind[i] == 1 ? PL_LEGEND_LINE : PL_LEGEND_SYMBOL;
        tcol[i] = PLOT_COL_TEXT;
        bcol[i] = lcol[i] = colors[i];
        bpat[i] = 0;
        bsc[i] = 0.8;
        bw[i] = lw[i] = 1.5;
        lsty[i] = 1;
        ssc[i] = 1.0;
        snum[i] = 1;
        sym[i] = "o"; /* as the points (plpoin code 4) */
        tx[i] = plot_text(names[i], text[i], sizeof text[i]);
    }
    PLFLT w, h;
    plschr(0, 0.8);
    pllegend(&w, &h, PL_LEGEND_BACKGROUND | PL_LEGEND_BOUNDING_BOX,
             PL_POSITION_RIGHT | PL_POSITION_OUTSIDE, 0.02, 0.0, 0.05, 0,
             PLOT_COL_TEXT, 1, (PLINT)n, 1, (PLINT)n, opt, 0.6, 0.8, 1.6, 0.0, tcol, tx, bcol,
             bpat, bsc, bw, lcol, lsty, lw, lcol, ssc, snum, sym);
}

/* Category labels under (or left of) the axis. */
static void cat_labels(const plot *p, bool left)
{
    char buf[PLOT_LABEL * 2];
    plschr(0, p->ncat > 12 ? 0.6 : 0.75);
    for (size_t c = 0; c < p->ncat; c++) {
        double pos = (c + 0.5) / (double)p->ncat;
        if (left)
            plmtex("lv", 0.8, 1 - pos, 1.0, plot_text(p->cat[c], buf, sizeof buf));
        else
            plmtex("b", c % 2 && p->ncat > 4 ? 2.4 : 1.2, pos, 0.5,
                   plot_text(p->cat[c], buf, sizeof buf));
    }
    plschr(0, 0.8);
}

static void rect(double x0, double x1, double y0, double y1, int col)
{
    PLFLT x[5] = {x0, x1, x1, x0, x0}, y[5] = {y0, y0, y1, y1, y0};
    plcol0(col);
    plfill(4, x, y);
    plcol0(PLOT_COL_TEXT);
    plwidth(0.5);
    plline(5, x, y);
    plwidth(1);
}

static void ref_lines(const plot *p, double lo, double hi, bool vertical)
{
    for (size_t k = 0; k < p->nref; k++) {
        PLFLT a[2] = {lo, hi}, b[2] = {p->ref[k], p->ref[k]};
        plcol0(PLOT_COL_DOWN);
        pllsty(2);
        if (vertical)
            plline(2, b, a);
        else
            plline(2, a, b);
        pllsty(1);
    }
}

static void legend_refs(const plot *p, const char **names, int *cols, int *kinds, size_t *n)
{
    for (size_t k = 0; k < p->nref && *n < PLOT_MAX_SERIES + PLOT_MAX_REFS; k++) {
        names[*n] = p->ref_label[k];
        cols[*n] = PLOT_COL_DOWN;
        kinds[(*n)++] = 1;
    }
}

static double fin(double v) { return isfinite(v) ? v : 0; }

/* y range of the bars (log10 units when log_y). */
static void bar_range(const plot *p, double *lo, double *hi)
{
    double mn = 0, mx = 0, pos = INFINITY;
    for (size_t c = 0; c < p->ncat; c++) {
        double sum = 0;
        for (size_t s = 0; s < p->nseries; s++) {
            double v = fin(p->v[s][c]);
            sum += v;
            mn = fmin(mn, v);
            mx = fmax(mx, p->stacked ? sum : v);
            if (v > 0)
                pos = fmin(pos, v);
        }
    }
    for (size_t k = 0; k < p->nref; k++)
        mx = fmax(mx, p->ref[k]);
    if (p->log_y) {
        *lo = isfinite(pos) ? floor(log10(pos)) : 0;
        *hi = mx > 0 ? ceil(log10(mx) + 0.05) : 1;
        if (*hi <= *lo)
            *hi = *lo + 1;
        return;
    }
    *lo = mn < 0 ? mn * 1.1 : 0;
    *hi = mx > 0 ? mx * 1.12 : 1;
}

static void draw_bars(const plot *p)
{
    double lo, hi;
    bar_range(p, &lo, &hi);
    pladv(0);
    plvpor(0.09, 0.66, 0.16, 0.88);
    plot_frame(p, -0.5, (double)p->ncat - 0.5, lo, hi, "bc", p->log_y ? "bcnstvl" : "bcnstv");
    cat_labels(p, false);
    double width = 0.7, w = p->stacked ? width : width / (double)p->nseries;
    char buf[64];
    for (size_t c = 0; c < p->ncat; c++) {
        double sum = 0;
        for (size_t s = 0; s < p->nseries; s++) {
            double v = fin(p->v[s][c]);
            double x0 = (double)c - width / 2 + (p->stacked ? 0 : (double)s * w);
            if (p->log_y) {
                if (v > 0)
                    rect(x0, x0 + w, lo, log10(v), plot_color(s));
            } else if (p->stacked) {
                rect(x0, x0 + w, sum, sum + v, plot_color(s));
            } else {
                rect(x0, x0 + w, 0, v, plot_color(s));
            }
            sum += v;
            if (p->value_labels && !p->stacked && v != 0) {
                if (p->value_decimals != 0)
                    snprintf(buf, sizeof buf, "%.*f", p->value_decimals > 0 ? p->value_decimals : 0, v);
                else
                    snprintf(buf, sizeof buf, "%.3g", v);
                plcol0(PLOT_COL_TEXT);
                plschr(0, 0.55);
                double at = p->log_y ? log10(v) : v;
                plptex(x0 + w / 2, at + (v < 0 ? -0.04 : 0.025) * (hi - lo), 1, 0, 0.5, buf);
                plschr(0, 0.8);
            }
        }
        if (p->value_labels && p->stacked) {
            snprintf(buf, sizeof buf, "%.1f", sum);
            plcol0(PLOT_COL_TEXT);
            plptex((double)c, sum + 0.03 * (hi - lo), 1, 0, 0.5, buf);
        }
    }
    ref_lines(p, -0.5, (double)p->ncat - 0.5, false);
    const char *names[PLOT_MAX_SERIES + PLOT_MAX_REFS];
    int cols[PLOT_MAX_SERIES + PLOT_MAX_REFS], kinds[PLOT_MAX_SERIES + PLOT_MAX_REFS];
    size_t n = 0;
    for (size_t k = 0; k < p->nseries; k++) {
        size_t i = p->stacked ? p->nseries - 1 - k : k; /* stacked: top series first */
        names[n] = p->series[i];
        cols[n] = plot_color(i);
        kinds[n++] = 0;
    }
    legend_refs(p, names, cols, kinds, &n);
    if (p->nseries > 1 || p->nref)
        plot_legend(p, names, cols, kinds, n);
}

/* Levels of a waterfall: before[c] and after[c] of each bar. */
static void waterfall_levels(const plot *p, double *before, double *after)
{
    double level = 0;
    for (size_t c = 0; c < p->ncat; c++) {
        double v = fin(p->v[0][c]);
        before[c] = p->absolute[c] ? NAN : level;
        level = p->absolute[c] ? v : level + v;
        after[c] = level;
    }
}

static void draw_waterfall(const plot *p)
{
    double before[PLOT_MAX_CATS], after[PLOT_MAX_CATS];
    waterfall_levels(p, before, after);
    double mn = INFINITY, mx = -INFINITY;
    for (size_t c = 0; c < p->ncat; c++) {
        mn = fmin(mn, fmin(after[c], isnan(before[c]) ? after[c] : before[c]));
        mx = fmax(mx, fmax(after[c], isnan(before[c]) ? after[c] : before[c]));
    }
    for (size_t k = 0; k < p->nref; k++) {
        mn = fmin(mn, p->ref[k]);
        mx = fmax(mx, p->ref[k]);
    }
    double pad = 0.08 * (mx - mn > 0 ? mx - mn : 1);
    double lo = mn >= 0 && !p->nref ? 0 : mn - pad, hi = mx + pad;
    pladv(0);
    plvpor(0.09, 0.66, 0.18, 0.88);
    plot_frame(p, -0.5, (double)p->ncat - 0.5, lo, hi, "bc", "bcnstv");
    cat_labels(p, false);
    char buf[64];
    for (size_t c = 0; c < p->ncat; c++) {
        bool abs_bar = p->absolute[c];
        double y0 = abs_bar ? lo : before[c], y1 = after[c];
        int col = abs_bar ? plot_color(0) : y1 >= y0 ? PLOT_COL_UP : PLOT_COL_DOWN;
        rect((double)c - 0.35, (double)c + 0.35, fmin(y0, y1), fmax(y0, y1), col);
        if (c + 1 < p->ncat) { /* connector to the next bar */
            PLFLT x[2] = {(double)c + 0.35, (double)c + 0.65}, y[2] = {y1, y1};
            plcol0(PLOT_COL_GREY);
            plline(2, x, y);
        }
        snprintf(buf, sizeof buf, abs_bar ? "%.2f" : "%+.2f", abs_bar ? y1 : y1 - y0);
        plcol0(PLOT_COL_TEXT);
        plschr(0, 0.6);
        plptex((double)c, fmax(y0, y1) + 0.025 * (hi - lo), 1, 0, 0.5, buf);
        plschr(0, 0.8);
    }
    ref_lines(p, -0.5, (double)p->ncat - 0.5, false);
    const char *names[PLOT_MAX_SERIES + PLOT_MAX_REFS] = {"level", "increase", "decrease"};
    int cols[PLOT_MAX_SERIES + PLOT_MAX_REFS] = {plot_color(0), PLOT_COL_UP, PLOT_COL_DOWN};
    int kinds[PLOT_MAX_SERIES + PLOT_MAX_REFS] = {0, 0, 0};
    size_t n = 3;
    legend_refs(p, names, cols, kinds, &n);
    plot_legend(p, names, cols, kinds, n);
}

static void draw_hbars(const plot *p)
{
    double mn = p->base, mx = p->base;
    for (size_t c = 0; c < p->ncat; c++) {
        for (size_t s = 0; s < p->nseries; s++) {
            mn = fmin(mn, fin(p->v[s][c]));
            mx = fmax(mx, fin(p->v[s][c]));
        }
        if (p->has_marker && isfinite(p->marker[c])) {
            mn = fmin(mn, p->marker[c]);
            mx = fmax(mx, p->marker[c]);
        }
    }
    for (size_t k = 0; k < p->nref; k++) {
        mn = fmin(mn, p->ref[k]);
        mx = fmax(mx, p->ref[k]);
    }
    double pad = 0.06 * (mx - mn > 0 ? mx - mn : 1);
    pladv(0);
    plvpor(0.36, 0.70, 0.12, 0.88);
    /* category 0 on top; the category axis is named above its labels */
    plot q = *p;
    q.ylabel[0] = '\0';
    plot_frame(&q, mn - pad, mx + pad, (double)p->ncat - 0.5, -0.5, "bcnst", "bc");
    char yl[200];
    plschr(0, 0.9);
    plmtex("t", 1.0, 0.0, 1.0, plot_text(p->ylabel, yl, sizeof yl));
    plschr(0, 0.8);
    cat_labels(p, true);
    double h = 0.7 / (double)(p->nseries ? p->nseries : 1);
    for (size_t c = 0; c < p->ncat; c++) {
        for (size_t s = 0; s < p->nseries; s++) {
            double y0 = (double)c - 0.35 + (double)s * h;
            double v = fin(p->v[s][c]);
            rect(fmin(p->base, v), fmax(p->base, v), y0, y0 + h, plot_color(s));
        }
        if (p->has_marker && isfinite(p->marker[c])) {
            PLFLT x[2] = {p->marker[c], p->marker[c]}, y[2] = {c - 0.45, c + 0.45};
            plcol0(PLOT_COL_DOWN);
            plwidth(2.5);
            plline(2, x, y);
            plwidth(1);
        }
    }
    ref_lines(p, -0.5, (double)p->ncat - 0.5, true);
    const char *names[PLOT_MAX_SERIES + PLOT_MAX_REFS + 1];
    int cols[PLOT_MAX_SERIES + PLOT_MAX_REFS + 1], kinds[PLOT_MAX_SERIES + PLOT_MAX_REFS + 1];
    size_t n = 0;
    for (size_t s = 0; s < p->nseries; s++) {
        names[n] = p->series[s];
        cols[n] = plot_color(s);
        kinds[n++] = 0;
    }
    if (p->has_marker) {
        names[n] = p->marker_label;
        cols[n] = PLOT_COL_DOWN;
        kinds[n++] = 1;
    }
    legend_refs(p, names, cols, kinds, &n);
    plot_legend(p, names, cols, kinds, n);
}

static int on_plexit(PLCHAR_VECTOR msg);
/* A fatal error while drawing: back to plot_to_memory, which reports it. */
static void plot_fatal(const char *msg)
{
    on_plexit(msg);
}

/* Lines on linear or logarithmic axes (log_x, log_y: PLplot draws
 * log10 of the values with decades labelled; values <= 0 are left out). */
static double axis_value(double v, bool log_axis)
{
    return !log_axis ? v : v > 0 ? log10(v) : NAN;
}

static void draw_lines(const plot *p)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = p->log_y ? INFINITY : 0, y1 = -INFINITY;
    size_t n_pts = p->n;
    double *xs = malloc((p->nseries + 1) * (n_pts ? n_pts : 1) * sizeof *xs);
    double *ys[PLOT_MAX_SERIES];
    if (!xs)
        plot_fatal("out of memory for a line plot"); /* jumps back: the figure fails */
    for (size_t s = 0; s < p->nseries; s++)
        ys[s] = xs + (s + 1) * n_pts;
    for (size_t i = 0; i < n_pts; i++) {
        xs[i] = axis_value(p->x[i], p->log_x);
        if (isfinite(xs[i])) {
            x0 = fmin(x0, xs[i]);
            x1 = fmax(x1, xs[i]);
        }
        for (size_t s = 0; s < p->nseries; s++) {
            ys[s][i] = axis_value(p->y[s][i], p->log_y);
            if (isfinite(ys[s][i])) {
                y0 = fmin(y0, ys[s][i]);
                y1 = fmax(y1, ys[s][i]);
            }
        }
    }
    if (!(x1 >= x0))
        x0 = 0, x1 = 1;
    if (!(y1 >= y0))
        y0 = 0, y1 = 1;
    double xpad = x1 > x0 ? 0.04 * (x1 - x0) : 0.5;
    x0 -= xpad;
    x1 += xpad;
    if (!(y1 > y0))
        y1 = y0 + 1;
    if (p->log_y) /* room below the lowest line too */
        y0 -= 0.04 * (y1 - y0);
    pladv(0);
    plvpor(0.09, 0.66, 0.14, 0.88);
    plot_frame(p, x0, x1, y0, y1 + 0.08 * (y1 - y0), p->log_x ? "bcnstl" : "bcnst",
               p->log_y ? "bcnstvl" : "bcnstv");
    const char *names[PLOT_MAX_SERIES + PLOT_MAX_REFS];
    int cols[PLOT_MAX_SERIES + PLOT_MAX_REFS], kinds[PLOT_MAX_SERIES + PLOT_MAX_REFS];
    size_t n = 0;
    for (size_t s = 0; s < p->nseries; s++) {
        plcol0(plot_color(s));
        plwidth(2);
        plline((PLINT)n_pts, xs, ys[s]);
        plwidth(1);
        plpoin((PLINT)n_pts, xs, ys[s], 4);
        names[n] = p->series[s];
        cols[n] = plot_color(s);
        kinds[n++] = 1;
    }
    plot q = *p; /* reference lines on the same axis as the lines */
    for (size_t r = 0; r < q.nref; r++)
        q.ref[r] = axis_value(q.ref[r], p->log_y);
    ref_lines(&q, x0, x1, false);
    legend_refs(&q, names, cols, kinds, &n);
    plot_legend(p, names, cols, kinds, n);
    free(xs);
}

/* ------------------------------------------------- PLplot, held in check
 * Shared with thermal_map.c.  PLplot's fatal errors jump back here; its
 * non-fatal ones are written into g_plmsg (static: PLplot keeps the
 * pointers). */

static jmp_buf g_fatal;
static char g_fatal_msg[256];
static PLINT g_plerr;
static char g_plmsg[1024];

static int on_plexit(PLCHAR_VECTOR msg)
{
    snprintf(g_fatal_msg, sizeof g_fatal_msg, "%s", msg ? msg : "");
    longjmp(g_fatal, 1);
}

bool plot_device_available(const char *dev)
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

int plot_to_memory(const char *dev, int width, int height, void (*fn)(const void *ctx),
                   const void *ctx, const char *file, const char *what, char **buf, size_t *n,
                   cp_error *err)
{
    *buf = NULL;
    *n = 0;
    /* PLplot writes into this memory stream and closes it in plend() */
    FILE *mem = open_memstream(buf, n);
    if (!mem)
        return cp_fail(err, file, 0, 0, "out of memory for the %s", what);
    volatile int stage = 0; /* 1: drawing, 2: tidying after a fatal error, 3: tidied */
    g_fatal_msg[0] = g_plmsg[0] = '\0';
    g_plerr = 0;
    plsexit(on_plexit);
    if (setjmp(g_fatal) == 0) {
        stage = 1;
        plsError(&g_plerr, g_plmsg);
        plsdev(dev);
        plsfile(mem);
        plspage(0, 0, width, height, 0, 0);
        plot_palette();
        plinit();
        fn(ctx);
        plend();
    } else if (stage == 1) {
        stage = 2;
        plend(); /* what plexit() does before exit(); a second fatal error stops it */
        stage = 3;
    }
    plsexit(NULL);
    if (stage == 2) /* PLplot may still hold the stream: leave its buffer to it */
        *buf = NULL;
    int rc = 0;
    if (stage >= 2)
        rc = cp_fail(err, file, 0, 0, "PLplot failed drawing the %s: %s", what, g_fatal_msg);
    else if (g_plerr)
        rc = cp_fail(err, file, 0, 0, "PLplot: %s", g_plmsg[0] ? g_plmsg : "error");
    else if (*n == 0)
        rc = cp_fail(err, file, 0, 0, "PLplot wrote no %s (driver %s missing?)", what, dev);
    if (rc) {
        free(*buf); /* NULL, or what PLplot wrote before it failed */
        *buf = NULL;
        *n = 0;
    }
    return rc;
}

static void draw(const plot *p)
{
    switch (p->kind) {
    case PLOT_BARS: draw_bars(p); break;
    case PLOT_WATERFALL: draw_waterfall(p); break;
    case PLOT_HBARS: draw_hbars(p); break;
    case PLOT_HEATMAP: plot_draw_heatmap(p); break;
    case PLOT_SCATTER: plot_draw_scatter(p); break;
    case PLOT_LINES: draw_lines(p); break;
    }
}

static int check(const plot *p, cp_error *err)
{
    if (p->nseries > PLOT_MAX_SERIES || p->ncat > PLOT_MAX_CATS || p->nref > PLOT_MAX_REFS ||
        p->nrects > PLOT_MAX_RECTS)
        return cp_fail(err, "report", 0, 0, "figure '%s': too many series or categories",
                       p->title);
    if ((p->kind == PLOT_BARS || p->kind == PLOT_WATERFALL || p->kind == PLOT_HBARS) &&
        (p->ncat == 0 || (p->kind != PLOT_WATERFALL && p->nseries == 0)))
        return cp_fail(err, "report", 0, 0, "figure '%s' has no data", p->title);
    if (p->kind == PLOT_HEATMAP && (p->nx == 0 || p->ny == 0 || !p->z || !p->xedge || !p->yedge))
        return cp_fail(err, "report", 0, 0, "figure '%s' has no cells", p->title);
    if ((p->kind == PLOT_SCATTER || p->kind == PLOT_LINES) && (p->n == 0 || !p->x || !p->y[0]))
        return cp_fail(err, "report", 0, 0, "figure '%s' has no points", p->title);
    return 0;
}

static void draw_fn(const void *ctx) { draw(ctx); }

int plot_render(const plot *p, const char *format, char **data, size_t *len, cp_error *err)
{
    *data = NULL;
    *len = 0;
    const char *dev = !format ? NULL
                      : !strcmp(format, "png") ? "pngcairo"
                      : !strcmp(format, "svg") ? "svg" : NULL;
    if (!dev)
        return cp_fail(err, "report", 0, 0, "a figure must be svg or png, not '%s'",
                       format ? format : "(none)");
    if (check(p, err))
        return -1;
    if (!plot_device_available(dev))
        return cp_fail(err, "report", 0, 0, "PLplot has no '%s' driver here (for PNG install "
                                             "plplot-driver-cairo; SVG is built in)", dev);
    return plot_to_memory(dev, PAGE_W, PAGE_H, draw_fn, p, "report", "figure", data, len, err);
}

bool cp_report_png_available(void) { return plot_device_available("pngcairo"); }
