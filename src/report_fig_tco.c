/*
 * report_fig_tco.c — the report's section on a TCO comparison (B against A):
 * the waterfall from A's total to B's, component by component (capex parts,
 * discounted energy, service and GPU idle cost: cp_tco_eval's total is their
 * sum, so the last bar is B's total); the tornado of cp_tco_findings_eval;
 * the expected failures per year of both (cp_rel_expected).  Formatting only.
 */
#include "report_doc.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define NPARTS 8

typedef struct part {
    const char *name;
    size_t off;
} part;

static const part parts[NPARTS] = {
    {"switches", offsetof(cp_tco, capex_switches)},
    {"transceivers", offsetof(cp_tco, capex_optics)},
    {"laser modules", offsetof(cp_tco, capex_lasers)},
    {"cabling", offsetof(cp_tco, capex_cabling)},
    {"spares", offsetof(cp_tco, capex_spares)},
    {"energy", offsetof(cp_tco, energy_usd)},
    {"service", offsetof(cp_tco, service_usd)},
    {"GPU idle", offsetof(cp_tco, gpu_idle_usd)},
};

static double get(const cp_tco *t, size_t k)
{
    return *(const double *)((const char *)t + parts[k].off);
}

static void pair_name(const cp_report_tco_in *in, char *buf, size_t len)
{
    snprintf(buf, len, "%s vs %s", in->a->fabric.name, in->b->fabric.name);
}

static int cost_table(cp_report *rep, const cp_report_tco_in *in, cp_error *err)
{
    const char *head[4] = {"US$ M (discounted)", in->a->fabric.name, in->b->fabric.name,
                           "B - A"};
    if (rep_table(rep, "Total cost of ownership", 4, head, err))
        return -1;
    for (size_t k = 0; k <= NPARTS; k++) {
        char c[4][REP_CELL];
        double a = k < NPARTS ? get(in->ta, k) : in->ta->total_usd;
        double b = k < NPARTS ? get(in->tb, k) : in->tb->total_usd;
        snprintf(c[0], REP_CELL, "%s", k < NPARTS ? parts[k].name : "total");
        snprintf(c[1], REP_CELL, "%.3f", a / 1e6);
        snprintf(c[2], REP_CELL, "%.3f", b / 1e6);
        snprintf(c[3], REP_CELL, "%+.3f", (b - a) / 1e6);
        const char *cells[4] = {c[0], c[1], c[2], c[3]};
        if (rep_row(rep, cells, err))
            return -1;
    }
    return 0;
}

static int waterfall(cp_report *rep, const cp_report_tco_in *in, const char *src, cp_error *err)
{
    plot p = {.kind = PLOT_WATERFALL, .nseries = 1};
    snprintf(p.title, sizeof p.title, "TCO from %s to %s", in->a->fabric.name,
             in->b->fabric.name);
    snprintf(p.xlabel, sizeof p.xlabel, "component (B - A)");
    snprintf(p.ylabel, sizeof p.ylabel, "TCO over %g years (US$ M, discounted)",
             in->a->rel.years);
    plot_label(p.cat[0], "TCO A");
    p.v[0][0] = in->ta->total_usd / 1e6;
    p.absolute[0] = 1;
    for (size_t k = 0; k < NPARTS; k++) {
        plot_label(p.cat[k + 1], parts[k].name);
        p.v[0][k + 1] = (get(in->tb, k) - get(in->ta, k)) / 1e6;
    }
    plot_label(p.cat[NPARTS + 1], "TCO B");
    p.v[0][NPARTS + 1] = in->tb->total_usd / 1e6;
    p.absolute[NPARTS + 1] = 1;
    p.ncat = NPARTS + 2;
    char caption[512];
    snprintf(caption, sizeof caption,
             "From A (%s, US$ %.2f M) to B (%s, US$ %.2f M): each bar is B's cost of a "
             "component less A's (capex parts, discounted energy, service and GPU idle "
             "time from expected failures); B - A = US$ %+.2f M.",
             in->a->fabric.name, in->ta->total_usd / 1e6, in->b->fabric.name,
             in->tb->total_usd / 1e6, (in->tb->total_usd - in->ta->total_usd) / 1e6);
    return rep_figure(rep, &p, "tco-waterfall", caption, src, err);
}

static int tornado(cp_report *rep, const cp_report_tco_in *in, const char *src, cp_error *err)
{
    const cp_tco_findings *x = in->x;
    if (x->nbars == 0)
        return 0;
    plot p = {.kind = PLOT_HBARS, .nseries = 2, .nref = 1};
    snprintf(p.title, sizeof p.title, "Tornado: TCO(B) - TCO(A), one parameter at a time");
    snprintf(p.xlabel, sizeof p.xlabel, "TCO(B) - TCO(A) (US$ M; < 0 favours B)");
    snprintf(p.ylabel, sizeof p.ylabel, "parameter (low / high value)");
    plot_label(p.series[0], "at the low value");
    plot_label(p.series[1], "at the high value");
    p.base = (in->tb->total_usd - in->ta->total_usd) / 1e6;
    p.ref[0] = 0;
    plot_label(p.ref_label[0], "break-even (B = A)");
    p.ncat = x->nbars < PLOT_MAX_CATS ? x->nbars : PLOT_MAX_CATS;
    for (size_t i = 0; i < p.ncat; i++) {
        const cp_tornado_bar *b = &x->bars[i];
        snprintf(p.cat[i], PLOT_LABEL, "%s %.3g / %.3g", b->input, b->low_value,
                 b->high_value);
        p.v[0][i] = b->low_delta / 1e6;
        p.v[1][i] = b->high_delta / 1e6;
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Each uncertain input alone at the ends of its range in the data, the others at "
             "their likely values; bars start at the base difference, US$ %+.2f M, and are "
             "sorted by swing.",
             p.base);
    return rep_figure(rep, &p, "tco-tornado", caption, src, err);
}

static int timeline(cp_report *rep, const cp_report_tco_in *in, const char *src, cp_error *err)
{
    if (!in->ea || !in->eb)
        return 0;
    int years = (int)ceil(in->a->rel.years);
    years = years > CP_MAX_YEARS ? CP_MAX_YEARS : years < 1 ? 1 : years;
    double x[CP_MAX_YEARS];
    for (int y = 0; y < years; y++)
        x[y] = y + 1;
    plot p = {.kind = PLOT_LINES, .nseries = 2, .n = (size_t)years, .x = x};
    p.y[0] = in->ea->year_failures;
    p.y[1] = in->eb->year_failures;
    snprintf(p.title, sizeof p.title, "Expected failures per year");
    snprintf(p.xlabel, sizeof p.xlabel, "year of service");
    snprintf(p.ylabel, sizeof p.ylabel, "component failures (per year)");
    plot_label(p.series[0], in->a->fabric.name);
    plot_label(p.series[1], in->b->fabric.name);
    double fa = 0, fb = 0;
    for (int y = 0; y < years; y++) {
        fa += in->ea->year_failures[y];
        fb += in->eb->year_failures[y];
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Expected component failures in each year of service (the renewal model's "
             "expected values, all classes): %s %.0f and %s %.0f over %g years, with %.0f "
             "and %.0f job interruptions.",
             in->a->fabric.name, fa, in->b->fabric.name, fb, in->a->rel.years,
             in->ea->interruptions, in->eb->interruptions);
    return rep_figure(rep, &p, "reliability-timeline", caption, src, err);
}

int cp_report_add_tco(cp_report *rep, const cp_report_tco_in *in, cp_error *err)
{
    if (!in || !in->a || !in->b || !in->ta || !in->tb || !in->x)
        return cp_fail(err, "report", 0, 0, "a TCO comparison needs both cases and results");
    char heading[640], src[2 * CP_NAME_MAX + 8];
    pair_name(in, src, sizeof src);
    snprintf(heading, sizeof heading, "TCO: %s (B) against %s (A)", in->b->fabric.name,
             in->a->fabric.name);
    if (rep_section(rep, heading, err) || cost_table(rep, in, err) ||
        waterfall(rep, in, src, err) || tornado(rep, in, src, err) ||
        timeline(rep, in, src, err))
        return -1;
    return 0;
}
