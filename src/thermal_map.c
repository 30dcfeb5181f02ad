/*
 * thermal_map.c — temperature map of one layer, drawn by PLplot: filled
 * contours of the layer's hottest z-cell per column, block outlines, a
 * colour bar.  SVG (built-in driver) or PNG (cairo driver).
 *
 * The map is drawn into memory and handed to the caller, who writes it: the
 * library touches no file, so PLplot never interprets a file name ("%n" is
 * its family-member number) and never fails to open one (it then called
 * exit(1)).  For the errors PLplot still treats as fatal (out of memory), an
 * exit handler returns control here instead of letting it end the process,
 * and its non-fatal messages come back in the error instead of on stderr.
 */
#include "thermal_internal.h"

#include <math.h>
#include <plplot.h>
#include <setjmp.h>
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

/* PLplot's fatal errors jump back to cp_thermal_map; its non-fatal ones are
 * written into g_plmsg (static: PLplot keeps the pointers).  One map is
 * drawn at a time: PLplot itself keeps one global stream state. */
static jmp_buf g_fatal;
static char g_fatal_msg[256];
static PLINT g_plerr;
static char g_plmsg[1024];

static int on_plexit(PLCHAR_VECTOR msg)
{
    snprintf(g_fatal_msg, sizeof g_fatal_msg, "%s", msg ? msg : "");
    longjmp(g_fatal, 1);
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
    PLFLT ticks[1] = {0};
    PLINT sub[1] = {0};
    PLINT nv[1] = {LEVELS + 1};
    const PLFLT *vals[1] = {clev};
    const char *axo[1] = {"bcvtm"};
    plcolorbar(&cw, &ch, PL_COLORBAR_SHADE | PL_COLORBAR_SHADE_LABEL, PL_POSITION_RIGHT,
               0.02, 0, 0.05, 0.8, 0, 1, 1, 0, 0, 0, 0, 1, lab, labels, 1, axo, ticks,
               sub, nv, vals);
}

static int to_memory(const cp_thermal_grid *g, const cp_thermal_spec *t, int layer,
                     const char *dev, PLFLT **z, double lo, double hi, char **buf,
                     size_t *n, cp_error *err)
{
    /* PLplot writes into this memory stream and closes it in plend() */
    FILE *mem = open_memstream(buf, n);
    if (!mem)
        return cp_fail(err, "thermal", 0, 0, "out of memory for the map");
    volatile int stage = 0; /* 1: drawing, 2: tidying after a fatal error, 3: tidied */
    g_fatal_msg[0] = g_plmsg[0] = '\0';
    g_plerr = 0;
    plsexit(on_plexit);
    if (setjmp(g_fatal) == 0) {
        stage = 1;
        plsError(&g_plerr, g_plmsg);
        plsdev(dev);
        plsfile(mem);
        plspage(0, 0, 900, 760, 0, 0);
        plscolbg(255, 255, 255);
        plscol0(15, 0, 0, 0);       /* text and frame: black */
        plscol0(14, 255, 255, 255); /* block outlines: white */
        plinit();
        draw(g, t, layer, z, lo, hi);
        plend();
    } else if (stage == 1) {
        stage = 2;
        plend(); /* what plexit() does before exit(); a second fatal error stops it */
        stage = 3;
    }
    plsexit(NULL);
    if (stage == 2) /* PLplot may still hold the stream: leave its buffer to it */
        *buf = NULL;
    if (stage >= 2)
        return cp_fail(err, "thermal", 0, 0, "PLplot failed drawing the map: %s",
                       g_fatal_msg);
    if (g_plerr)
        return cp_fail(err, "thermal", 0, 0, "PLplot: %s", g_plmsg[0] ? g_plmsg : "error");
    if (*n == 0)
        return cp_fail(err, "thermal", 0, 0, "PLplot wrote no map (driver %s missing?)", dev);
    return 0;
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
    if (!device_available(dev))
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
            double v = -INFINITY;
            for (int k = g->layer_k0[layer]; k < g->layer_k0[layer + 1]; k++)
                v = fmax(v, g->t[CP_IDX(g, i, j, k)]);
            z[i][j] = v;
            lo = fmin(lo, v);
            hi = fmax(hi, v);
        }
    }
    if (hi - lo < 1e-6)
        hi = lo + 1e-6;
    char *buf = NULL;
    size_t n = 0;
    int rc = to_memory(g, t, layer, dev, z, lo, hi, &buf, &n, err);
    free(z);
    free(zc);
    if (rc) {
        free(buf); /* NULL, or what PLplot wrote before it failed */
        return -1;
    }
    *data = buf;
    *len = n;
    return 0;
}
