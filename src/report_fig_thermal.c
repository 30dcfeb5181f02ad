/*
 * report_fig_thermal.c — the report's section on a solved package: the
 * temperature map of one layer (the hottest z-cell of each column, merged
 * into at most MAP_CELLS x MAP_CELLS cells by their maximum so that hot
 * spots survive and the SVG stays small: 128 x 128 cells drawn one by one
 * are ~4 MB), the blocks outlined with their limits, and each block's max
 * and mean temperature against its limit.  Formatting only.
 */
#include "report_doc.h"
#include "thermal_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAP_CELLS 64

typedef struct coarse {
    size_t nx, ny;
    double *xe, *ye, *z;
} coarse;

static void coarse_free(coarse *c)
{
    free(c->xe);
    free(c->ye);
    free(c->z);
}

static int coarsen(const cp_thermal_grid *g, const cp_thermal_spec *t, int layer, coarse *c,
                   cp_error *err)
{
    int f = (int)ceil((double)(g->nx > g->ny ? g->nx : g->ny) / MAP_CELLS);
    f = f < 1 ? 1 : f;
    c->nx = (size_t)((g->nx + f - 1) / f);
    c->ny = (size_t)((g->ny + f - 1) / f);
    c->xe = malloc((c->nx + 1) * sizeof *c->xe);
    c->ye = malloc((c->ny + 1) * sizeof *c->ye);
    c->z = malloc(c->nx * c->ny * sizeof *c->z);
    if (!c->xe || !c->ye || !c->z) {
        coarse_free(c);
        return cp_fail(err, "report", 0, 0, "out of memory for the thermal map");
    }
    (void)t;
    for (size_t i = 0; i <= c->nx; i++)
        c->xe[i] = g->xe[(int)fmin((double)i * f, g->nx)] * 1e3;
    for (size_t j = 0; j <= c->ny; j++)
        c->ye[j] = g->ye[(int)fmin((double)j * f, g->ny)] * 1e3;
    for (size_t k = 0; k < c->nx * c->ny; k++)
        c->z[k] = -INFINITY;
    for (int j = 0; j < g->ny; j++)
        for (int i = 0; i < g->nx; i++) {
            double *z = &c->z[(size_t)(j / f) * c->nx + (size_t)(i / f)];
            *z = fmax(*z, cp_thermal_column_max(g, layer, i, j));
        }
    return 0;
}

static int map_figure(cp_report *rep, const cp_design *d, const cp_thermal_spec *t,
                      const cp_thermal_grid *g, const cp_thermal_result *tr, int layer,
                      cp_error *err)
{
    coarse c = {0};
    if (coarsen(g, t, layer, &c, err))
        return -1;
    plot *p = calloc(1, sizeof *p);
    if (!p) {
        coarse_free(&c);
        return cp_fail(err, "report", 0, 0, "out of memory");
    }
    p->kind = PLOT_HEATMAP;
    snprintf(p->title, sizeof p->title, "Temperature of layer %s: %s", t->layer[layer].name,
             d->name);
    snprintf(p->xlabel, sizeof p->xlabel, "x (mm)");
    snprintf(p->ylabel, sizeof p->ylabel, "y (mm)");
    snprintf(p->zlabel, sizeof p->zlabel, "temperature (°C)");
    p->nx = c.nx;
    p->ny = c.ny;
    p->xedge = c.xe;
    p->yedge = c.ye;
    p->z = c.z;
    for (size_t b = 0; b < t->nblocks && p->nrects < PLOT_MAX_RECTS; b++) {
        const cp_tblock *B = &t->block[b];
        if (B->layer != layer)
            continue;
        plot_rect *r = &p->rect[p->nrects++];
        *r = (plot_rect){B->x0_m * 1e3, B->y0_m * 1e3, B->x1_m * 1e3, B->y1_m * 1e3, ""};
        if (B->limit_c > 0)
            snprintf(r->label, sizeof r->label, "%.40s ≤%g", B->name, B->limit_c);
        else
            plot_label(r->label, B->name);
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Hottest z-cell or heated face of each column of layer %s (grid %d x %d, drawn as %zu x %zu "
             "cells, each the maximum of the cells it covers); blocks outlined with their "
             "limit in °C.  Hottest point (cell or heated face) %.2f °C; %.1f W in the package.",
             t->layer[layer].name, g->nx, g->ny, c.nx, c.ny, tr->max_c, tr->total_power_w);
    int rc = rep_figure(rep, p, "thermal-map", caption, d->name, err);
    free(p);
    coarse_free(&c);
    return rc;
}

static int blocks_figure(cp_report *rep, const cp_design *d, const cp_thermal_spec *t,
                         const cp_thermal_result *tr, cp_error *err)
{
    plot *p = calloc(1, sizeof *p);
    if (!p)
        return cp_fail(err, "report", 0, 0, "out of memory");
    p->kind = PLOT_HBARS;
    p->nseries = 2;
    p->has_marker = true;
    snprintf(p->title, sizeof p->title, "Block temperatures against their limits: %s", d->name);
    snprintf(p->xlabel, sizeof p->xlabel, "temperature (°C)");
    snprintf(p->ylabel, sizeof p->ylabel, "block");
    plot_label(p->series[0], "mean");
    plot_label(p->series[1], "max");
    plot_label(p->marker_label, "limit");
    p->base = t->top.ambient_c;
    size_t worst = 0;
    p->ncat = t->nblocks < PLOT_MAX_CATS ? t->nblocks : PLOT_MAX_CATS;
    for (size_t b = 0; b < p->ncat; b++) {
        plot_label(p->cat[b], t->block[b].name);
        p->v[0][b] = tr->block[b].mean_c;
        p->v[1][b] = tr->block[b].max_c;
        p->marker[b] = t->block[b].limit_c > 0 ? t->block[b].limit_c : NAN;
        if (tr->block[b].margin_k < tr->block[worst].margin_k)
            worst = b;
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Mean and maximum temperature of each block (bars from the coolant or ambient "
             "at %.1f °C) and its limit (red mark)%s.  Least margin: %s, %.1f K.",
             t->top.ambient_c, t->nblocks > p->ncat ? "; the first blocks only" : "",
             t->block[worst].name, tr->block[worst].margin_k);
    int rc = rep_figure(rep, p, "block-temperatures", caption, d->name, err);
    free(p);
    return rc;
}

static int block_table(cp_report *rep, const cp_thermal_spec *t, const cp_thermal_result *tr,
                       cp_error *err)
{
    static const char *const head[] = {"block", "power (W)", "max (°C)", "mean (°C)",
                                       "limit (°C)", "margin (K)"};
    if (rep_table(rep, "Block temperatures", 6, head, err))
        return -1;
    for (size_t b = 0; b < t->nblocks; b++) {
        char c[6][REP_CELL];
        snprintf(c[0], REP_CELL, "%s", t->block[b].name);
        snprintf(c[1], REP_CELL, "%.2f", tr->block[b].power_w);
        snprintf(c[2], REP_CELL, "%.2f", tr->block[b].max_c);
        snprintf(c[3], REP_CELL, "%.2f", tr->block[b].mean_c);
        snprintf(c[4], REP_CELL, t->block[b].limit_c > 0 ? "%g" : "none", t->block[b].limit_c);
        snprintf(c[5], REP_CELL, isfinite(tr->block[b].margin_k) ? "%+.1f" : "-",
                 tr->block[b].margin_k);
        const char *cells[6] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        if (rep_row(rep, cells, err))
            return -1;
    }
    return 0;
}

int cp_report_add_thermal(cp_report *rep, const cp_design *d, const cp_thermal_spec *t,
                          const cp_thermal_grid *g, const cp_thermal_result *tr, int layer,
                          cp_error *err)
{
    if (layer < 0 || (size_t)layer >= t->nlayers)
        return cp_fail(err, "report", 0, 0, "no layer %d in the stack", layer);
    char heading[640], para[512];
    snprintf(heading, sizeof heading, "Package thermal: %s%s%s", d->name,
             d->title[0] ? ": " : "", d->title);
    snprintf(para, sizeof para,
             "Steady state with %s (%d electro-thermal iteration%s, %s); hottest cell %.2f "
             "°C, %.1f W dissipated.%s",
             tr->solver ? tr->solver : "the solver", tr->iterations,
             tr->iterations == 1 ? "" : "s", tr->converged ? "converged" : "NOT converged",
             tr->max_c, tr->total_power_w, tr->runaway ? "  Thermal runaway." : "");
    if (rep_section(rep, heading, err) || rep_para(rep, para, err) ||
        map_figure(rep, d, t, g, tr, layer, err) || blocks_figure(rep, d, t, tr, err) ||
        block_table(rep, t, tr, err))
        return -1;
    return 0;
}
