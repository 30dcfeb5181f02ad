/*
 * report_fig_fabric.c — the report's section on sized fabrics: per tier the
 * switches, switch-side transceivers, CPO engines and lasers (and the NIC
 * ends), the power per tier split into optics and the rest, and with
 * several fabrics their network power side by side.  Formatting only.
 */
#include "report_doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The NIC ends (modules or copper) are counted at fabric level: the network
 * power beyond the tiers' own (cp_fabric_eval adds nothing else). */
static double nic_w(const cp_fabric_result *r)
{
    double tiers = 0;
    for (size_t l = 0; l < r->ntiers; l++)
        tiers += r->tier[l].power_w;
    return r->network_w - tiers;
}

static int counts_figure(cp_report *rep, const cp_fabric_spec *f, const cp_fabric_result *r,
                         cp_error *err)
{
    plot p = {.kind = PLOT_BARS, .log_y = true, .value_labels = true, .value_decimals = -1,
              .nseries = 4};
    snprintf(p.title, sizeof p.title, "Parts per tier: %s", f->name);
    snprintf(p.xlabel, sizeof p.xlabel, "tier");
    snprintf(p.ylabel, sizeof p.ylabel, "count (log scale)");
    plot_label(p.series[0], "switches");
    plot_label(p.series[1], "pluggable transceivers");
    plot_label(p.series[2], "CPO engines");
    plot_label(p.series[3], "lasers");
    for (size_t l = 0; l < r->ntiers; l++) {
        const cp_fabric_tier_result *t = &r->tier[l];
        plot_label(p.cat[l], f->tier[l].name);
        p.v[0][l] = t->switches;
        p.v[1][l] = t->modules;
        p.v[2][l] = t->engines;
        p.v[3][l] = t->lasers;
    }
    p.ncat = r->ntiers;
    if (r->nic_modules > 0) {
        plot_label(p.cat[p.ncat], "NIC ends");
        p.v[1][p.ncat] = r->nic_modules;
        p.v[3][p.ncat] = r->nic_modules * f->nic_lasers_per_module;
        p.ncat++;
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Switches, pluggable transceivers (switch side, and the NIC ends), CPO engines "
             "and lasers of each tier over all planes, for %g GPUs: %g switches, %g "
             "transceivers, %g CPO engines, %g lasers in all.",
             f->gpus, r->switches, r->modules, r->engines, r->lasers);
    char slug[CP_NAME_MAX + 16];
    snprintf(slug, sizeof slug, "parts-%s", f->name);
    return rep_figure(rep, &p, slug, caption, f->name, err);
}

static int power_figure(cp_report *rep, const cp_fabric_spec *f, const cp_fabric_result *r,
                        cp_error *err)
{
    plot p = {.kind = PLOT_BARS, .stacked = true, .value_labels = true, .nseries = 2};
    snprintf(p.title, sizeof p.title, "Network power per tier: %s", f->name);
    snprintf(p.xlabel, sizeof p.xlabel, "tier");
    snprintf(p.ylabel, sizeof p.ylabel, "wall power (kW)");
    plot_label(p.series[0], "switches without optics");
    plot_label(p.series[1], "optics + lasers");
    for (size_t l = 0; l < r->ntiers; l++) {
        const cp_fabric_tier_result *t = &r->tier[l];
        plot_label(p.cat[l], f->tier[l].name);
        p.v[0][l] = (t->power_w - t->optics_power_w) / 1e3;
        p.v[1][l] = t->optics_power_w / 1e3;
    }
    p.ncat = r->ntiers;
    double nic = nic_w(r);
    if (nic > 0) {
        plot_label(p.cat[p.ncat], "NIC ends");
        p.v[1][p.ncat++] = nic / 1e3;
    }
    char caption[512];
    snprintf(caption, sizeof caption,
             "Wall power of each tier's switches (optics and lasers apart) and of the NIC-side "
             "optics or copper ends; the bars add up to the network power, %.1f kW (%.1f W per "
             "GPU; optics are %.1f %% of the cluster's %.2f MW).",
             r->network_w / 1e3, r->network_w_per_gpu, 100 * r->optics_share,
             r->cluster_w / 1e6);
    char slug[CP_NAME_MAX + 16];
    snprintf(slug, sizeof slug, "power-%s", f->name);
    return rep_figure(rep, &p, slug, caption, f->name, err);
}

static int tier_table(cp_report *rep, const cp_fabric_spec *f, const cp_fabric_result *r,
                      cp_error *err)
{
    static const char *const head[] = {"tier",    "switch",      "switches",
                                       "transceivers", "CPO engines", "lasers",
                                       "power (kW)"};
    char caption[CP_NAME_MAX + 32];
    snprintf(caption, sizeof caption, "Tiers of %s", f->name);
    if (rep_table(rep, caption, 7, head, err))
        return -1;
    for (size_t l = 0; l < r->ntiers; l++) {
        const cp_fabric_tier_result *t = &r->tier[l];
        char c[7][REP_CELL];
        snprintf(c[0], REP_CELL, "%s", f->tier[l].name);
        snprintf(c[1], REP_CELL, "%s", f->tier[l].design.name);
        snprintf(c[2], REP_CELL, "%g", t->switches);
        snprintf(c[3], REP_CELL, "%g", t->modules);
        snprintf(c[4], REP_CELL, "%g", t->engines);
        snprintf(c[5], REP_CELL, "%g", t->lasers);
        snprintf(c[6], REP_CELL, "%.1f", t->power_w / 1e3);
        const char *cells[7] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        if (rep_row(rep, cells, err))
            return -1;
    }
    return 0;
}

static int compare_figure(cp_report *rep, const cp_fabric_spec *f, const cp_fabric_result *r,
                          size_t n, cp_error *err)
{
    plot p = {.kind = PLOT_BARS, .stacked = true, .value_labels = true, .nseries = 2};
    snprintf(p.title, sizeof p.title, "Network power of %zu fabrics", n);
    snprintf(p.xlabel, sizeof p.xlabel, "fabric");
    snprintf(p.ylabel, sizeof p.ylabel, "wall power (kW)");
    plot_label(p.series[0], "switches without optics");
    plot_label(p.series[1], "optics + lasers (both ends)");
    char src[1024] = "";
    size_t at = 0;
    p.ncat = n < PLOT_MAX_CATS ? n : PLOT_MAX_CATS;
    for (size_t i = 0; i < p.ncat; i++) {
        plot_label(p.cat[i], f[i].name);
        p.v[0][i] = (r[i].network_w - r[i].optics_w) / 1e3;
        p.v[1][i] = r[i].optics_w / 1e3;
        if (at < sizeof src)
            at += (size_t)snprintf(src + at, sizeof src - at, "%s%s", i ? ", " : "", f[i].name);
    }
    return rep_figure(rep, &p, "fabric-power-comparison",
                      "Network power of each fabric, its optics and lasers (switch and NIC "
                      "ends) apart; the number on a bar is the network power.",
                      src, err);
}

int cp_report_add_fabric(cp_report *rep, const cp_fabric_spec *f, const cp_fabric_result *r,
                         size_t n, cp_error *err)
{
    if (n == 0)
        return cp_fail(err, "report", 0, 0, "no fabric to report");
    for (size_t i = 0; i < n; i++) {
        char heading[640];
        snprintf(heading, sizeof heading, "Fabric %s%s%s", f[i].name,
                 f[i].title[0] ? ": " : "", f[i].title);
        if (rep_section(rep, heading, err) || tier_table(rep, &f[i], &r[i], err) ||
            counts_figure(rep, &f[i], &r[i], err) || power_figure(rep, &f[i], &r[i], err))
            return -1;
    }
    if (n > 1 && (rep_section(rep, "Fabric comparison", err) ||
                  compare_figure(rep, f, r, n, err)))
        return -1;
    return 0;
}
