/*
 * traffic_heatmap.c — how busy the links between switches are, tier by tier,
 * as a heatmap image (PLplot, through the report's plot machinery:
 * src/plot.c, src/plot_map.c).
 *
 * Columns are the switches of a tier above the leaves (plane 0 first),
 * rows are groups of their down ports (to the tier below, in node order),
 * one band of rows per tier; a cell is the busiest link among its switches'
 * ports, either direction, as a share of the step (%).  A large fabric's
 * switches are binned (at most HEAT_COLS columns, HEAT_ROWS rows per tier),
 * so a hot link still shows.  GPU links are not drawn: the aggregated model
 * pools them per leaf (the table has their use).  Returns the image; the
 * caller writes it (the library touches no file).
 */
#include "plot.h"
#include "traffic_internal.h"

#include <stdlib.h>
#include <string.h>

#define HEAT_COLS 160
#define HEAT_ROWS 8

typedef struct heat {
    double *xedge, *yedge, *z;
    char (*label)[PLOT_LABEL];
    const char **ytick;
    size_t nx, ny;
} heat;

static void heat_free(heat *h)
{
    free(h->xedge), free(h->yedge), free(h->z), free(h->label), free(h->ytick);
}

static size_t ceil_div(size_t a, size_t b)
{
    return b ? (a + b - 1) / b : 0;
}

/* rows per tier (down ports binned) and the cells of each */
static int heat_build(const cp_traffic_net *n, const cp_fabric_spec *f, const double *util,
                      heat *h)
{
    size_t most = 0, rows = 0, bin[CP_MAX_TIERS + 2] = {0}, nrow[CP_MAX_TIERS + 2] = {0},
           maxdown[CP_MAX_TIERS + 2] = {0};
    for (size_t t = 2; t <= n->ntiers; t++) { /* node tiers: 1 = leaves */
        size_t first = n->tier_first[t], down = 0;
        for (size_t v = first; v < n->tier_first[t + 1]; v++)
            down = n->mid[v] - n->row[v] > down ? n->mid[v] - n->row[v] : down;
        most = n->tier_first[t + 1] - first > most ? n->tier_first[t + 1] - first : most;
        maxdown[t] = down;
        bin[t] = down ? ceil_div(down, HEAT_ROWS) : 1;
        nrow[t] = ceil_div(down, bin[t]);
        rows += nrow[t];
    }
    size_t per = ceil_div(most, HEAT_COLS);
    h->nx = ceil_div(most, per), h->ny = rows;
    h->xedge = malloc((h->nx + 1) * sizeof *h->xedge);
    h->yedge = malloc((h->ny + 1) * sizeof *h->yedge);
    h->z = malloc((h->nx * h->ny > 0 ? h->nx * h->ny : 1) * sizeof *h->z);
    h->label = malloc((h->ny ? h->ny : 1) * sizeof *h->label);
    h->ytick = malloc((h->ny ? h->ny : 1) * sizeof *h->ytick);
    if (!h->xedge || !h->yedge || !h->z || !h->label || !h->ytick)
        return -1;
    for (size_t i = 0; i <= h->nx; i++)
        h->xedge[i] = (double)(i * per < most ? i * per : most);
    for (size_t k = 0; k < h->nx * h->ny; k++)
        h->z[k] = NAN;
    size_t row = 0;
    for (size_t t = 2; t <= n->ntiers; t++) {
        size_t first = n->tier_first[t], count = n->tier_first[t + 1] - first;
        for (size_t j = 0; j < nrow[t]; j++) {
            size_t down = maxdown[t], hi = (j + 1) * bin[t];
            snprintf(h->label[row + j], PLOT_LABEL, "%s %zu-%zu", f->tier[t - 1].name,
                     j * bin[t], (hi < down ? hi : down) - 1);
            h->ytick[row + j] = h->label[row + j];
        }
        for (size_t s = 0; s < count; s++) {
            size_t v = first + s;
            for (size_t k = n->row[v]; k < n->mid[v]; k++) {
                size_t j = row + (k - n->row[v]) / bin[t], i = s / per;
                double u = 100 * fmax(util[k], util[n->rev[k]]);
                double *z = &h->z[j * h->nx + i];
                *z = isnan(*z) ? u : fmax(*z, u);
            }
        }
        row += nrow[t];
    }
    for (size_t j = 0; j <= h->ny; j++)
        h->yedge[j] = (double)j;
    return 0;
}

int cp_traffic_heatmap(const cp_fabric_spec *f, const cp_fabric_result *r,
                       const cp_traffic_spec *t, size_t which, const char *format,
                       char **data, size_t *len, cp_error *err)
{
    *data = NULL, *len = 0;
    if (!format || (strcmp(format, "svg") != 0 && strcmp(format, "png") != 0))
        return cp_fail(err, "heatmap", 0, 0, "the heatmap is svg or png, not '%s'",
                       format ? format : "(none)");
    if (f->ntiers < 2)
        return cp_fail(err, f->name, 0, 0, "a single-tier fabric has no links between "
                       "switches to draw");
    if (which > t->ncases)
        return cp_fail(err, f->name, 0, 0, "case %zu of %zu", which, t->ncases);
    cp_traffic_spec *one = malloc(sizeof *one);
    cp_traffic_result *res = malloc(sizeof *res);
    cp_traffic_net *n = NULL;
    double *util = NULL;
    heat h = {0};
    int rc = one && res ? 0 : cp_fail(err, f->name, 0, 0, "out of memory");
    if (rc == 0) {
        *one = *t;
        one->ncases = which ? 1 : 0;
        if (which)
            one->cs[0] = t->cs[which - 1];
        rc = tr_run_keep(f, r, one, res, &util, &n, err);
    }
    const cp_traffic_case_result *c = rc == 0 ? &res->cs[one->ncases] : NULL;
    if (rc == 0 && c->partitioned)
        rc = cp_fail(err, f->name, 0, 0, "case '%s' partitions the job: no link use to draw",
                     c->name);
    if (rc == 0 && heat_build(n, f, util, &h))
        rc = cp_fail(err, f->name, 0, 0, "out of memory for the heatmap");
    plot *p = rc == 0 ? calloc(1, sizeof *p) : NULL;
    if (rc == 0 && !p)
        rc = cp_fail(err, f->name, 0, 0, "out of memory for the heatmap");
    if (rc == 0) {
        p->kind = PLOT_HEATMAP;
        snprintf(p->title, sizeof p->title, "%.60s: link use, %.60s", f->name, c->name);
        snprintf(p->xlabel, sizeof p->xlabel, "switch of the tier (plane 0 first)");
        p->ylabel[0] = 0; /* the rows name their tier and down ports */
        snprintf(p->zlabel, sizeof p->zlabel, "busiest link, %% of the step");
        p->nx = h.nx, p->ny = h.ny, p->xedge = h.xedge, p->yedge = h.yedge, p->z = h.z;
        p->ytick = h.ytick;
        rc = plot_render(p, format, data, len, err);
    }
    free(p);
    heat_free(&h);
    free(util);
    cp_traffic_net_free(n);
    free(one);
    free(res);
    return rc;
}
