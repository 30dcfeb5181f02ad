/*
 * tco_map_plot.c — the break-even map drawn by PLplot: TCO(B) - TCO(A) in
 * $M as filled shades (blue: B cheaper, red: A cheaper) over the two inputs,
 * and the break-even line (the zero contour) in black.  SVG (built-in
 * driver) or PNG (cairo driver).
 *
 * As thermal_map.c: drawn into memory and handed to the caller, who writes
 * it (the library touches no file); PLplot's fatal errors jump back here
 * through its exit handler instead of ending the process, and its non-fatal
 * messages come back in the error.  One plot at a time: PLplot keeps one
 * global stream state.
 */
#include "internal.h"

#include <math.h>
#include <plplot.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LEVELS 20

const char *cp_tco_map_format(const char *path)
{
    size_t n = strlen(path);
    if (n > 4 && strcmp(path + n - 4, ".png") == 0)
        return "png";
    if (n > 4 && strcmp(path + n - 4, ".svg") == 0)
        return "svg";
    return NULL;
}

static jmp_buf g_fatal;
static char g_fatal_msg[256];
static PLINT g_plerr;
static char g_plmsg[1024];

static int on_plexit(PLCHAR_VECTOR msg)
{
    snprintf(g_fatal_msg, sizeof g_fatal_msg, "%s", msg ? msg : "");
    longjmp(g_fatal, 1);
}

static bool device_available(const char *dev)
{
    PLCHAR_VECTOR menu_a[64], name_a[64];
    PLCHAR_VECTOR *menu = menu_a, *names = name_a;
    int n = 64;
    plgDevs(&menu, &names, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], dev) == 0)
            return true;
    return false;
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
    PLFLT cw, ch;
    PLINT lab[1] = {PL_COLORBAR_LABEL_RIGHT};
    const char *labels[1] = {"$M (< 0: B cheaper)"};
    PLFLT ticks[1] = {0};
    PLINT sub[1] = {0};
    PLINT nv[1] = {LEVELS + 1};
    const PLFLT *vals[1] = {clev};
    const char *axo[1] = {"bcvtm"};
    plcolorbar(&cw, &ch, PL_COLORBAR_SHADE | PL_COLORBAR_SHADE_LABEL, PL_POSITION_RIGHT,
               0.02, 0, 0.05, 0.76, 0, 1, 1, 0, 0, 0, 0, 1, lab, labels, 1, axo, ticks,
               sub, nv, vals);
}

static int to_memory(const view *v, const char *dev, char **buf, size_t *n, cp_error *err)
{
    FILE *mem = open_memstream(buf, n); /* PLplot closes it in plend() */
    if (!mem)
        return cp_fail(err, "map", 0, 0, "out of memory for the map");
    volatile int stage = 0; /* 1: drawing, 2: tidying after a fatal error, 3: tidied */
    g_fatal_msg[0] = g_plmsg[0] = '\0';
    g_plerr = 0;
    plsexit(on_plexit);
    if (setjmp(g_fatal) == 0) {
        stage = 1;
        plsError(&g_plerr, g_plmsg);
        plsdev(dev);
        plsfile(mem);
        plspage(0, 0, 900, 720, 0, 0);
        plscolbg(255, 255, 255);
        plscol0(15, 0, 0, 0);
        plinit();
        draw(v);
        plend();
    } else if (stage == 1) {
        stage = 2;
        plend();
        stage = 3;
    }
    plsexit(NULL);
    if (stage == 2)
        *buf = NULL;
    if (stage >= 2)
        return cp_fail(err, "map", 0, 0, "PLplot failed drawing the map: %s", g_fatal_msg);
    if (g_plerr)
        return cp_fail(err, "map", 0, 0, "PLplot: %s", g_plmsg[0] ? g_plmsg : "error");
    if (*n == 0)
        return cp_fail(err, "map", 0, 0, "PLplot wrote no map (driver %s missing?)", dev);
    return 0;
}

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
    if (!device_available(dev))
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
    int rc = to_memory(&v, dev, &buf, &n, err);
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
