/*
 * report_fig_sweep.c — the report's section on a sweep's results store: a
 * summary, a heatmap of the first objective over the first two parameters
 * of a grid (each cell the best feasible value over the other parameters),
 * the points over the first two objectives with the Pareto front of
 * cp_sweep_summarize, and the rank correlation of each output with each
 * parameter.  Formatting only: the front and the correlations come from the
 * summary.
 */
#include "report_doc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Units from the name's suffix (cposim's names carry their units). */
static const char *unit_of(const char *name)
{
    static const struct {
        const char *suffix, *unit;
    } u[] = {{"_dbm", "dBm"},       {"_db", "dB"},     {"_pj_per_bit", "pJ/bit"},
             {"pj_per_bit.", "pJ/bit"}, {"_w", "W"},  {"power_w.", "W"},
             {"_kw", "kW"},         {"_mm", "mm"},     {"_m", "m"},
             {"_c", "°C"},          {"_k", "K"},       {"_gbps", "Gb/s"},
             {"_tbps", "Tb/s"},     {"_usd", "US$"},   {"_per_gpu", "W/GPU"},
             {"_h", "h"}};
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof u / sizeof *u; i++) {
        size_t k = strlen(u[i].suffix);
        if (u[i].suffix[k - 1] == '.' ? strstr(name, u[i].suffix) != NULL
                                      : n > k && strcmp(name + n - k, u[i].suffix) == 0)
            return u[i].unit;
    }
    return "-";
}

/* "engine.lanes_per_laser (-)": the last two parts of a path, and its unit. */
static void axis_label(char *dst, size_t len, const char *path)
{
    const char *last = strrchr(path, '.'), *from = path;
    for (const char *c = path; last && c < last; c++)
        if (*c == '.')
            from = c + 1;
    snprintf(dst, len, "%s (%s)", from, unit_of(path));
}

typedef struct levels {
    size_t n;
    double v[PLOT_MAX_CATS];
} levels;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Distinct values of parameter j; false when more than PLOT_MAX_CATS. */
static bool distinct(const cp_sweep_table *t, size_t j, levels *l)
{
    l->n = 0;
    for (size_t i = 0; i < t->nrows; i++) {
        double v = t->values[i * t->nparams + j];
        bool seen = false;
        for (size_t k = 0; k < l->n && !seen; k++)
            seen = l->v[k] == v;
        if (seen)
            continue;
        if (l->n == PLOT_MAX_CATS)
            return false;
        l->v[l->n++] = v;
    }
    qsort(l->v, l->n, sizeof *l->v, cmp_double);
    return true;
}

static size_t index_of(const levels *l, double v)
{
    size_t k = 0;
    while (k + 1 < l->n && l->v[k] != v)
        k++;
    return k;
}

static void source(const char *db, const cp_sweep_table *t, char *buf, size_t len)
{
    snprintf(buf, len, "sweep %s, results store %s (run with cposim %s)", t->name, db,
             t->version[0] ? t->version : "?");
}

/* The objective the heatmap and the best points are about. */
static void objective(const cp_sweep_table *t, size_t *out, bool *maximize)
{
    *out = t->nobjectives ? (size_t)t->objective[0].id : 0;
    *maximize = t->nobjectives ? t->objective[0].maximize : false;
}

typedef struct heat {
    levels lx, ly;
    double xe[PLOT_MAX_CATS + 1], ye[PLOT_MAX_CATS + 1];
    double z[PLOT_MAX_CATS * PLOT_MAX_CATS];
    char xt[PLOT_MAX_CATS][24], yt[PLOT_MAX_CATS][24];
    const char *xtp[PLOT_MAX_CATS], *ytp[PLOT_MAX_CATS];
    plot p;
} heat;

/* A full grid: every combination of the parameters' levels, once. */
static bool is_grid(const cp_sweep_table *t, levels *l)
{
    double combos = 1;
    for (size_t j = 0; j < t->nparams; j++) {
        if (!distinct(t, j, &l[j]))
            return false;
        combos *= (double)l[j].n;
    }
    return t->nparams >= 2 && combos == (double)t->nrows;
}

static void fill_heat(heat *h, const cp_sweep_table *t, size_t ox, size_t oy, size_t k,
                      bool maximize)
{
    for (size_t c = 0; c < h->lx.n * h->ly.n; c++)
        h->z[c] = NAN;
    for (size_t i = 0; i < t->nrows; i++) {
        double v = t->outputs[i * t->noutputs + k];
        if (!t->ok[i] || !t->feasible[i] || !isfinite(v))
            continue;
        size_t a = index_of(&h->lx, t->values[i * t->nparams + ox]);
        size_t b = index_of(&h->ly, t->values[i * t->nparams + oy]);
        double *z = &h->z[b * h->lx.n + a];
        if (isnan(*z) || (maximize ? v > *z : v < *z))
            *z = v;
    }
    for (size_t a = 0; a <= h->lx.n; a++)
        h->xe[a] = (double)a;
    for (size_t b = 0; b <= h->ly.n; b++)
        h->ye[b] = (double)b;
    for (size_t a = 0; a < h->lx.n; a++) {
        snprintf(h->xt[a], sizeof h->xt[a], "%.4g", h->lx.v[a]);
        h->xtp[a] = h->xt[a];
    }
    for (size_t b = 0; b < h->ly.n; b++) {
        snprintf(h->yt[b], sizeof h->yt[b], "%.4g", h->ly.v[b]);
        h->ytp[b] = h->yt[b];
    }
}

static int heatmap(cp_report *rep, const cp_sweep_table *t, const char *src, cp_error *err)
{
    levels *l = calloc(t->nparams ? t->nparams : 1, sizeof *l);
    heat *h = calloc(1, sizeof *h);
    int rc = 0;
    if (!l || !h) {
        rc = cp_fail(err, "report", 0, 0, "out of memory");
    } else if (is_grid(t, l)) {
        size_t k;
        bool maximize;
        objective(t, &k, &maximize);
        h->lx = l[0];
        h->ly = l[1];
        fill_heat(h, t, 0, 1, k, maximize);
        plot *p = &h->p;
        p->kind = PLOT_HEATMAP;
        p->value_labels = true;
        p->nx = h->lx.n;
        p->ny = h->ly.n;
        p->xedge = h->xe;
        p->yedge = h->ye;
        p->z = h->z;
        p->xtick = h->xtp;
        p->ytick = h->ytp;
        snprintf(p->title, sizeof p->title, "%s %s over the other parameters",
                 maximize ? "Highest" : "Lowest", t->output[k]);
        axis_label(p->xlabel, sizeof p->xlabel, t->param[0]);
        axis_label(p->ylabel, sizeof p->ylabel, t->param[1]);
        axis_label(p->zlabel, sizeof p->zlabel, t->output[k]);
        char caption[1024];
        snprintf(caption, sizeof caption,
                 "Each cell: the %s value of %s over the other parameters' levels, feasible "
                 "points only (grey: none feasible); x is %s, y is %s (%zu x %zu levels of "
                 "a %zu-point grid).",
                 maximize ? "highest" : "lowest", t->output[k], t->param[0], t->param[1],
                 h->lx.n, h->ly.n, t->nrows);
        rc = rep_figure(rep, p, "sweep-heatmap", caption, src, err);
    } else {
        rc = rep_para(rep, "No heatmap: the points are not a full grid of at most 48 levels "
                           "per parameter (a random, LHS or Sobol design).", err);
    }
    free(l);
    free(h);
    return rc;
}

static int pareto(cp_report *rep, const cp_sweep_table *t, const cp_sweep_summary *s,
                  const char *src, cp_error *err)
{
    if (t->nobjectives < 2)
        return rep_para(rep, "No Pareto front: the sweep has fewer than two objectives.", err);
    size_t kx = (size_t)t->objective[0].id, ky = (size_t)t->objective[1].id;
    double *x = malloc(t->nrows * sizeof *x), *y = malloc(t->nrows * sizeof *y);
    unsigned char *pt = malloc(t->nrows);
    if (!x || !y || !pt) {
        free(x);
        free(y);
        free(pt);
        return cp_fail(err, "report", 0, 0, "out of memory");
    }
    for (size_t i = 0; i < t->nrows; i++) {
        x[i] = t->outputs[i * t->noutputs + kx];
        y[i] = t->outputs[i * t->noutputs + ky];
        pt[i] = s->front[i] ? PLOT_PT_FRONT : t->feasible[i] ? PLOT_PT_FEASIBLE : PLOT_PT_OTHER;
    }
    plot p = {.kind = PLOT_SCATTER, .n = t->nrows, .x = x, .pt = pt};
    p.y[0] = y;
    snprintf(p.title, sizeof p.title, "Pareto front: %s %s vs %s %s",
             t->objective[0].maximize ? "max" : "min", t->output[kx],
             t->objective[1].maximize ? "max" : "min", t->output[ky]);
    axis_label(p.xlabel, sizeof p.xlabel, t->output[kx]);
    axis_label(p.ylabel, sizeof p.ylabel, t->output[ky]);
    size_t ordinary = t->nrows - s->pareto;
    char caption[1024];
    snprintf(caption, sizeof caption,
             "%zu points (%zu feasible); the %zu on the Pareto front of the feasible points "
             "over %s objectives in red, joined in x order.%s",
             s->rows, s->feasible, s->pareto, t->nobjectives > 2 ? "all" : "both",
             ordinary > PLOT_SCATTER_MAX
                 ? "  Thinned: with this many points the others are drawn as a binned "
                   "density (48 x 48 cells, darker = more points), not one by one."
                 : "  Grey: infeasible; blue: feasible.");
    int rc = rep_figure(rep, &p, "sweep-pareto", caption, src, err);
    free(x);
    free(y);
    free(pt);
    return rc;
}

static int sensitivity(cp_report *rep, const cp_sweep_table *t, const cp_sweep_summary *s,
                       const char *src, cp_error *err)
{
    plot p = {.kind = PLOT_BARS, .value_labels = true, .value_decimals = 2};
    snprintf(p.title, sizeof p.title, "Rank correlation of each output with each parameter");
    snprintf(p.xlabel, sizeof p.xlabel, "output");
    snprintf(p.ylabel, sizeof p.ylabel, "Spearman rank correlation (-)");
    p.nseries = t->nparams < PLOT_MAX_SERIES ? t->nparams : PLOT_MAX_SERIES;
    p.ncat = t->noutputs < PLOT_MAX_CATS ? t->noutputs : PLOT_MAX_CATS;
    for (size_t j = 0; j < p.nseries; j++) {
        const char *last = strrchr(t->param[j], '.');
        plot_label(p.series[j], last ? last + 1 : t->param[j]);
    }
    for (size_t k = 0; k < p.ncat; k++) {
        plot_label(p.cat[k], t->output[k]);
        for (size_t j = 0; j < p.nseries; j++)
            p.v[j][k] = isfinite(s->rho[j][k]) ? s->rho[j][k] : 0;
    }
    p.nref = 1;
    p.ref[0] = 0;
    plot_label(p.ref_label[0], "no correlation");
    return rep_figure(rep, &p, "sweep-sensitivity",
                      "Spearman rank correlation of each output with each parameter over the "
                      "points that ran (a constant output has none: 0); +1 rises with the "
                      "parameter, -1 falls.",
                      src, err);
}

static int summary(cp_report *rep, const cp_sweep_table *t, const cp_sweep_summary *s,
                   cp_error *err)
{
    char para[1024];
    snprintf(para, sizeof para,
             "Sweep %s: %s of %s over %zu parameter%s; %zu points, %zu ran, %zu failed, %zu "
             "feasible, %zu on the Pareto front.",
             t->name, t->command, t->scenario, t->nparams, t->nparams == 1 ? "" : "s", s->rows,
             s->ok, s->failed, s->feasible, s->pareto);
    static const char *const head[] = {"output", "min", "median", "max"};
    if (rep_para(rep, para, err) || rep_table(rep, "Outputs over the points", 4, head, err))
        return -1;
    for (size_t k = 0; k < t->noutputs; k++) {
        char c[4][REP_CELL];
        snprintf(c[0], REP_CELL, "%s", t->output[k]);
        snprintf(c[1], REP_CELL, "%.6g", s->out_min[k]);
        snprintf(c[2], REP_CELL, "%.6g", s->out_median[k]);
        snprintf(c[3], REP_CELL, "%.6g", s->out_max[k]);
        const char *cells[4] = {c[0], c[1], c[2], c[3]};
        if (rep_row(rep, cells, err))
            return -1;
    }
    return 0;
}

int cp_report_add_sweep(cp_report *rep, const char *db, const cp_sweep_table *t,
                        const cp_sweep_summary *s, cp_error *err)
{
    if (t->nrows == 0)
        return cp_fail(err, db, 0, 0, "the results store holds no point");
    char heading[640], src[CP_TEXT_MAX + CP_NAME_MAX + 64];
    snprintf(heading, sizeof heading, "Sweep %s (%s)", t->name, db);
    source(db, t, src, sizeof src);
    if (rep_section(rep, heading, err) || summary(rep, t, s, err) ||
        heatmap(rep, t, src, err) || pareto(rep, t, s, src, err) ||
        sensitivity(rep, t, s, src, err))
        return -1;
    return 0;
}
