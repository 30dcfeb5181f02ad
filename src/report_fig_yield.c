/* report_fig_yield.c — figures of the manufacturing model: package yield vs
 * placement sigma, cost per port vs shipped volume (drawn by src/plot.c). */
#include "plot.h"

#include <math.h>
#include <stdio.h>

int cp_yield_curve_figure(const cp_yield_curve *c, const char *title, const char *format,
                          char **data, size_t *len, cp_error *err)
{
    double y[3][CP_CURVE_MAX];
    for (size_t i = 0; i < c->n; i++)
        y[0][i] = 100 * c->yield[i], y[1][i] = 100 * c->lo[i], y[2][i] = 100 * c->hi[i];
    plot p = {.kind = PLOT_LINES, .nseries = 3, .n = c->n, .x = c->sigma_um};
    for (int k = 0; k < 3; k++)
        p.y[k] = y[k];
    snprintf(p.title, sizeof p.title, "%s", title);
    snprintf(p.xlabel, sizeof p.xlabel, "fibre placement sigma per axis (um)");
    snprintf(p.ylabel, sizeof p.ylabel, "package yield (%%)");
    snprintf(p.series[0], PLOT_LABEL, "yield");
    snprintf(p.series[1], PLOT_LABEL, "95 %% low");
    snprintf(p.series[2], PLOT_LABEL, "95 %% high");
    return plot_render(&p, format, data, len, err);
}

int cp_cost_curve_figure(const cp_cost_curve *c, const char *title, const char *format,
                         char **data, size_t *len, cp_error *err)
{
    plot p = {.kind = PLOT_LINES, .nseries = 2, .n = c->n, .x = c->volume, .log_x = true,
              .log_y = true};
    p.y[0] = c->cpo_port_usd;
    p.y[1] = c->pluggable_port_usd;
    snprintf(p.title, sizeof p.title, "%s", title);
    snprintf(p.xlabel, sizeof p.xlabel, "switches shipped");
    snprintf(p.ylabel, sizeof p.ylabel, "cost per port (USD, log scale)");
    snprintf(p.series[0], PLOT_LABEL, "CPO (R&D amortised)");
    snprintf(p.series[1], PLOT_LABEL, "pluggable");
    return plot_render(&p, format, data, len, err);
}
