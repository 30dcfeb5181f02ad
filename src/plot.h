/*
 * plot.h — the figures of the HTML report, described as plain data and drawn
 * by PLplot into memory (src/plot.c, src/plot_map.c).  Inside libcposim, not
 * installed.  A builder (src/report_fig_*.c) fills a plot from model results;
 * plot_render draws it as SVG or PNG.  Arrays given by pointer belong to the
 * builder and must live until plot_render returns.
 */
#ifndef CPOSIM_PLOT_H
#define CPOSIM_PLOT_H

#include "internal.h"

#define PLOT_MAX_SERIES 10
#define PLOT_MAX_CATS 48
#define PLOT_MAX_REFS 4
/* outlines a figure draws (a thermal map's blocks: the first this many) */
#define PLOT_MAX_RECTS 256
#define PLOT_LABEL 64
/* Above this many points a scatter draws the ordinary ones as a binned
 * density (PLOT_DENSITY_BINS squared cells) and only the highlighted ones
 * as points: 10,000 point symbols are ~3 MB of SVG. */
#define PLOT_SCATTER_MAX 1500
#define PLOT_DENSITY_BINS 48

typedef enum plot_kind {
    PLOT_BARS = 0,               /* categories x series, grouped or stacked */
    PLOT_WATERFALL,              /* series 0: absolute bars and deltas, left to right */
    PLOT_HBARS,                  /* horizontal bars from `base` to each value */
    PLOT_HEATMAP,                /* z over cells, colour bar, outlined rectangles */
    PLOT_SCATTER,                /* x, y points in classes (other, feasible, front) */
    PLOT_LINES                   /* series of y over a shared x */
} plot_kind;

typedef struct plot_rect {
    double x0, y0, x1, y1;
    char label[PLOT_LABEL];
} plot_rect;

/* Scatter point classes. */
enum { PLOT_PT_OTHER = 0, PLOT_PT_FEASIBLE, PLOT_PT_FRONT };

typedef struct plot {
    plot_kind kind;
    char title[160], xlabel[96], ylabel[96], zlabel[64];
    /* bars, waterfall, hbars: v[series][category] */
    size_t ncat, nseries;
    char cat[PLOT_MAX_CATS][PLOT_LABEL];
    char series[PLOT_MAX_SERIES][PLOT_LABEL];
    double v[PLOT_MAX_SERIES][PLOT_MAX_CATS];
    unsigned char absolute[PLOT_MAX_CATS]; /* waterfall: a level, not a step */
    bool stacked, log_y, value_labels;
    bool log_x;                            /* lines: decades on x (log_y too) */
    int value_decimals;                    /* of value labels (0: 3 significant digits, < 0: none) */
    double base;                           /* hbars: where the bars start */
    bool has_marker;                       /* hbars: a mark per category (NaN: none) */
    double marker[PLOT_MAX_CATS];
    char marker_label[PLOT_LABEL];
    size_t nref;                           /* reference lines: horizontal (hbars: vertical) */
    double ref[PLOT_MAX_REFS];
    char ref_label[PLOT_MAX_REFS][PLOT_LABEL];
    /* heatmap: z[j * nx + i] on cells [xedge[i], xedge[i+1]] x [yedge[j], yedge[j+1]];
     * NaN draws an empty (grey) cell.  xtick/ytick: labels of the cells
     * (a categorical axis), NULL for a numeric one. */
    size_t nx, ny;
    const double *xedge, *yedge, *z;
    const char *const *xtick, *const *ytick;
    size_t nrects;
    plot_rect rect[PLOT_MAX_RECTS];
    /* scatter: n points x, y[0], class pt[] (PLOT_PT_*); lines: y[series] over x */
    size_t n;
    const double *x, *y[PLOT_MAX_SERIES];
    const unsigned char *pt;
} plot;

/* "svg" or "png" (PLplot's svg and pngcairo drivers) of p into *data
 * (malloc'd, the caller frees it), *len bytes.  PLplot's fatal errors come
 * back as errors; it never exits the process and touches no file. */
int plot_render(const plot *p, const char *format, char **data, size_t *len, cp_error *err);

/* PLplot lists the device (ask first: for an unknown one it prompts on
 * stdin and exits). */
bool plot_device_available(const char *dev);
/* Runs fn(ctx) on a fresh PLplot stream of device dev, a width x height
 * page with the palette of plot_palette, into *buf (malloc'd, *n bytes);
 * no file is touched and PLplot's fatal errors come back as errors (file
 * and what name them: "thermal", "map").  0, or -1 with err and *buf NULL. */
int plot_to_memory(const char *dev, int width, int height, void (*fn)(const void *ctx),
                   const void *ctx, const char *file, const char *what, char **buf, size_t *n,
                   cp_error *err);

/* Copies at most PLOT_LABEL - 1 bytes of s into a label. */
void plot_label(char *dst, const char *s);

/* plot_map.c: the heatmap and the scatter, called by plot_render. */
void plot_draw_heatmap(const plot *p);
void plot_draw_scatter(const plot *p);
/* shared drawing helpers (plot.c) */
const char *plot_text(const char *s, char *buf, size_t len);
void plot_palette(void);
/* A shaded colour bar right of the plot for the n contour levels lev[0..n),
 * labelled `label`, of the given width and height (shares of the viewport). */
void plot_colorbar(const double *lev, int n, const char *label, double width, double height);
void plot_frame(const plot *p, double x0, double x1, double y0, double y1, const char *xopt,
                const char *yopt);
void plot_legend(const plot *p, const char *const *names, const int *colors, const int *kind,
                 size_t n);

#define PLOT_COL_TEXT 15
#define PLOT_COL_GREY 11
#define PLOT_COL_UP 12
#define PLOT_COL_DOWN 13
#define PLOT_COL_WHITE 14
#define PLOT_COL_LIGHT 10
/* series colour s (cmap0 index) */
int plot_color(size_t s);

#endif
