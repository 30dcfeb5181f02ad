/*
 * traffic_heatmap.c — how busy the links between switches are, tier by tier:
 * the grid (cp_traffic_link_use) and its picture (cp_traffic_heatmap, the
 * report's PLplot heatmap: src/plot.c, src/plot_map.c).
 *
 * Columns are the switches of the tiers above the leaves (plane 0 first),
 * rows are groups of their down ports (to the tier below, in node order),
 * one band of rows per tier; a cell is the busiest link among its switches'
 * ports, either direction, as a share of the step.  A large fabric's
 * switches are binned (at most HEAT_COLS columns, HEAT_ROWS rows per tier),
 * so a hot link still shows.  GPU links are not drawn: the aggregated model
 * pools them per leaf (the table has their use).  The picture is returned;
 * the caller writes it (the library touches no file).
 */
#include "plot.h"
#include "traffic_internal.h"

#include <stdlib.h>
#include <string.h>

#define HEAT_COLS 160
#define HEAT_ROWS 8

void cp_traffic_heat_free(cp_traffic_heat *h)
{
    free(h->xedge), free(h->z), free(h->row);
    memset(h, 0, sizeof *h);
}

static size_t ceil_div(size_t a, size_t b)
{
    return b ? (a + b - 1) / b : 0;
}

/* the rows of node tier t (2 = the tier above the leaves): its most down
 * ports, binned */
typedef struct band {
    size_t down, bin, rows;
} band;

static int heat_alloc(cp_traffic_heat *h)
{
    h->xedge = malloc((h->nx + 1) * sizeof *h->xedge);
    h->z = malloc((h->nx * h->ny > 0 ? h->nx * h->ny : 1) * sizeof *h->z);
    h->row = malloc((h->ny ? h->ny : 1) * sizeof *h->row);
    return h->xedge && h->z && h->row ? 0 : -1;
}

static int heat_build(const cp_traffic_net *n, const cp_fabric_spec *f, const double *util,
                      cp_traffic_heat *h)
{
    band b[CP_MAX_TIERS + 2] = {{0}};
    size_t most = 0;
    h->ny = 0;
    for (size_t t = 2; t <= n->ntiers; t++) { /* node tiers: 1 = leaves */
        size_t first = n->tier_first[t], last = n->tier_first[t + 1];
        for (size_t v = first; v < last; v++)
            b[t].down = n->mid[v] - n->row[v] > b[t].down ? n->mid[v] - n->row[v] : b[t].down;
        most = last - first > most ? last - first : most;
        b[t].bin = b[t].down ? ceil_div(b[t].down, HEAT_ROWS) : 1;
        b[t].rows = ceil_div(b[t].down, b[t].bin);
        h->ny += b[t].rows;
    }
    size_t per = most ? ceil_div(most, HEAT_COLS) : 1;
    h->nx = ceil_div(most, per);
    if (heat_alloc(h))
        return -1;
    for (size_t i = 0; i <= h->nx; i++)
        h->xedge[i] = (double)(i * per < most ? i * per : most);
    for (size_t k = 0; k < h->nx * h->ny; k++)
        h->z[k] = NAN;
    size_t row = 0;
    for (size_t t = 2; t <= n->ntiers; t++) {
        size_t first = n->tier_first[t], count = n->tier_first[t + 1] - first;
        for (size_t j = 0; j < b[t].rows; j++) {
            size_t hi = (j + 1) * b[t].bin;
            snprintf(h->row[row + j], CP_NAME_MAX, "%.40s %zu-%zu", f->tier[t - 1].name,
                     j * b[t].bin, (hi < b[t].down ? hi : b[t].down) - 1);
        }
        for (size_t s = 0; s < count; s++)
            for (size_t k = n->row[first + s]; k < n->mid[first + s]; k++) {
                size_t j = row + (k - n->row[first + s]) / b[t].bin;
                double u = fmax(util[k], util[n->rev[k]]), *z = &h->z[j * h->nx + s / per];
                *z = isnan(*z) ? u : fmax(*z, u);
            }
        row += b[t].rows;
    }
    return 0;
}

int cp_traffic_link_use(const cp_fabric_spec *f, const cp_fabric_result *r,
                        const cp_traffic_spec *t, size_t which, cp_traffic_heat *out,
                        cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (f->ntiers < 2)
        return cp_fail(err, f->name, 0, 0, "a single-tier fabric has no links between "
                       "switches");
    if (which > t->ncases)
        return cp_fail(err, f->name, 0, 0, "case %zu of %zu", which, t->ncases);
    cp_traffic_spec *one = malloc(sizeof *one);
    cp_traffic_result *res = malloc(sizeof *res);
    cp_traffic_net *n = NULL;
    double *util = NULL;
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
        rc = cp_fail(err, f->name, 0, 0, "case '%s' partitions the job: no link use",
                     c->name);
    if (rc == 0 && heat_build(n, f, util, out))
        rc = cp_fail(err, f->name, 0, 0, "out of memory for the link use");
    if (rc == 0)
        snprintf(out->title, sizeof out->title, "%.60s: link use, %.60s", f->name, c->name);
    else
        cp_traffic_heat_free(out);
    free(util);
    cp_traffic_net_free(n);
    free(one);
    free(res);
    return rc;
}

int cp_traffic_heatmap(const cp_traffic_heat *h, const char *format, char **data, size_t *len,
                       cp_error *err)
{
    *data = NULL, *len = 0;
    if (!format || (strcmp(format, "svg") != 0 && strcmp(format, "png") != 0))
        return cp_fail(err, "heatmap", 0, 0, "the heatmap is svg or png, not '%s'",
                       format ? format : "(none)");
    plot *p = calloc(1, sizeof *p);
    double *yedge = malloc((h->ny + 1) * sizeof *yedge), *z = malloc(
        (h->nx * h->ny > 0 ? h->nx * h->ny : 1) * sizeof *z);
    const char **ytick = malloc((h->ny ? h->ny : 1) * sizeof *ytick);
    int rc = p && yedge && z && ytick ? 0 : cp_fail(err, "heatmap", 0, 0, "out of memory");
    if (rc == 0) {
        for (size_t j = 0; j <= h->ny; j++)
            yedge[j] = (double)j;
        for (size_t j = 0; j < h->ny; j++)
            ytick[j] = h->row[j];
        for (size_t k = 0; k < h->nx * h->ny; k++)
            z[k] = 100 * h->z[k];
        p->kind = PLOT_HEATMAP;
        cp_strlcpy(p->title, h->title, sizeof p->title);
        snprintf(p->xlabel, sizeof p->xlabel, "switch of the tier (plane 0 first)");
        snprintf(p->zlabel, sizeof p->zlabel, "busiest link, %% of the step");
        p->nx = h->nx, p->ny = h->ny, p->xedge = h->xedge, p->yedge = yedge, p->z = z;
        p->ytick = ytick;
        rc = plot_render(p, format, data, len, err);
    }
    free(p), free(yedge), free(z), free(ytick);
    return rc;
}
