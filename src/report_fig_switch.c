/*
 * report_fig_switch.c — the report's section on switch designs: a table of
 * the headline figures, the power breakdown as stacked bars (each bar's
 * total is the wall power of cp_design_eval), pJ/bit per design, and each
 * port group's optical lane budget as a waterfall (cp_link_budget_eval)
 * against the receiver's sensitivity.  Formatting only.
 */
#include "report_doc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *design_label(const cp_design *d) { return d->name; }

static int summary_table(cp_report *rep, const cp_design *d, const cp_result *r, size_t n,
                         cp_error *err)
{
    static const char *const head[] = {"design",          "capacity (Tb/s)",
                                       "ports",           "wall power (W)",
                                       "system (pJ/bit)", "optics (pJ/bit)",
                                       "I/O (pJ/bit)",    "worst lane margin (dB)"};
    if (rep_table(rep, "Headline figures", 8, head, err))
        return -1;
    for (size_t i = 0; i < n; i++) {
        char c[8][REP_CELL];
        snprintf(c[0], REP_CELL, "%s", design_label(&d[i]));
        snprintf(c[1], REP_CELL, "%.1f", r[i].capacity_tbps);
        snprintf(c[2], REP_CELL, "%g", r[i].ports);
        snprintf(c[3], REP_CELL, "%.1f", r[i].total_w);
        snprintf(c[4], REP_CELL, "%.2f", r[i].system_pj_per_bit);
        snprintf(c[5], REP_CELL, "%.2f", r[i].optics_pj_per_bit);
        snprintf(c[6], REP_CELL, "%.2f", r[i].io_pj_per_bit);
        snprintf(c[7], REP_CELL, "%.2f", r[i].worst_margin_db);
        const char *cells[8] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]};
        if (rep_row(rep, cells, err))
            return -1;
    }
    return 0;
}

/* Names of the designs, for a caption's source. */
static void sources(const cp_design *d, size_t n, char *buf, size_t len)
{
    size_t at = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && at + 1 < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", i ? ", " : "", d[i].name);
}

static int power_figure(cp_report *rep, const cp_design *d, const cp_result *r, size_t n,
                        const char *src, cp_error *err)
{
    static const char *const series[] = {"ASIC core",   "host SerDes + retimers",
                                         "optics",      "lasers",
                                         "board",       "cooling",
                                         "conversion"};
    plot p = {.kind = PLOT_BARS, .stacked = true, .value_labels = true};
    snprintf(p.title, sizeof p.title, "Power breakdown at the wall");
    snprintf(p.xlabel, sizeof p.xlabel, "design");
    snprintf(p.ylabel, sizeof p.ylabel, "power (W)");
    p.nseries = 7;
    for (size_t s = 0; s < p.nseries; s++)
        plot_label(p.series[s], series[s]);
    p.ncat = n < PLOT_MAX_CATS ? n : PLOT_MAX_CATS;
    char caption[1024];
    size_t at = (size_t)snprintf(caption, sizeof caption,
                                 "Wall power of each design by part, stacked; the number "
                                 "on a bar is its wall total:");
    for (size_t c = 0; c < p.ncat; c++) {
        plot_label(p.cat[c], design_label(&d[c]));
        const cp_result *x = &r[c];
        double v[7] = {x->asic_w, x->serdes_w, x->optics_w, x->lasers_w,
                       x->board_w, x->cooling_w, x->conversion_w};
        for (size_t s = 0; s < 7; s++)
            p.v[s][c] = v[s];
        if (at < sizeof caption)
            at += (size_t)snprintf(caption + at, sizeof caption - at, "%s %s %.1f W",
                                   c ? ";" : "", d[c].name, x->total_w);
    }
    if (at < sizeof caption)
        snprintf(caption + at, sizeof caption - at, ".");
    return rep_figure(rep, &p, "power-breakdown", caption, src, err);
}

static int pj_figure(cp_report *rep, const cp_design *d, const cp_result *r, size_t n,
                     const char *src, cp_error *err)
{
    plot p = {.kind = PLOT_BARS, .value_labels = true, .nseries = 3};
    snprintf(p.title, sizeof p.title, "Energy per bit");
    snprintf(p.xlabel, sizeof p.xlabel, "design");
    snprintf(p.ylabel, sizeof p.ylabel, "energy per bit (pJ/bit)");
    plot_label(p.series[0], "optics + lasers");
    plot_label(p.series[1], "I/O (optics + host SerDes)");
    plot_label(p.series[2], "system (wall / capacity)");
    p.ncat = n < PLOT_MAX_CATS ? n : PLOT_MAX_CATS;
    for (size_t c = 0; c < p.ncat; c++) {
        plot_label(p.cat[c], design_label(&d[c]));
        p.v[0][c] = r[c].optics_pj_per_bit;
        p.v[1][c] = r[c].io_pj_per_bit;
        p.v[2][c] = r[c].system_pj_per_bit;
    }
    return rep_figure(rep, &p, "energy-per-bit",
                      "Energy per bit of each design: optics and lasers, I/O (optics with "
                      "the host SerDes and retimers), and the whole system at the wall.",
                      src, err);
}

static int budget_figure(cp_report *rep, const cp_design *d, const cp_result *r, size_t g,
                         cp_error *err)
{
    const cp_port_group *pg = &d->group[g];
    cp_link_budget b;
    cp_link_budget_eval(pg, &b);
    plot p = {.kind = PLOT_WATERFALL, .nseries = 1, .nref = 2};
    snprintf(p.title, sizeof p.title, "Optical lane budget: %s, group %s (%s)", d->name,
             pg->name, pg->link.name);
    snprintf(p.xlabel, sizeof p.xlabel, "from the %s to the receiver",
             pg->media == CP_MEDIA_CPO ? "laser" : "transmitter");
    snprintf(p.ylabel, sizeof p.ylabel, "optical power (dBm; steps in dB)");
    p.ncat = b.nsteps;
    for (size_t i = 0; i < b.nsteps; i++) {
        plot_label(p.cat[i], b.step[i].name);
        p.v[0][i] = b.step[i].db;
        p.absolute[i] = b.step[i].level;
    }
    p.ref[0] = b.sensitivity_oma_dbm;
    plot_label(p.ref_label[0], "Rx sensitivity (OMA)");
    p.ref[1] = b.sensitivity_oma_dbm + b.penalties_db + b.required_margin_db;
    plot_label(p.ref_label[1], "+ penalties + required margin");
    char caption[512], slug[96];
    snprintf(caption, sizeof caption,
             "Lane budget of port group %s (%s, %s): the received OMA is %.2f dBm against a "
             "sensitivity of %.2f dBm with %.2f dB of penalties and %.2f dB required margin, "
             "leaving %.2f dB (the model's link margin: %.2f dB).",
             pg->name, cp_media_name(pg->media), pg->link.name, b.rx_oma_dbm,
             b.sensitivity_oma_dbm, b.penalties_db, b.required_margin_db, b.margin_db,
             r->group[g].link.margin_db);
    snprintf(slug, sizeof slug, "lane-budget-%s-%s", d->name, pg->name);
    return rep_figure(rep, &p, slug, caption, d->name, err);
}

int cp_report_add_switch(cp_report *rep, const cp_design *d, const cp_result *r, size_t n,
                         cp_error *err)
{
    if (n == 0)
        return cp_fail(err, "report", 0, 0, "no design to report");
    char heading[640], src[1024];
    if (n == 1)
        snprintf(heading, sizeof heading, "Switch design %s%s%s", d->name,
                 d->title[0] ? ": " : "", d->title);
    else
        snprintf(heading, sizeof heading, "Comparison of %zu switch designs", n);
    sources(d, n, src, sizeof src);
    if (rep_section(rep, heading, err) || summary_table(rep, d, r, n, err) ||
        power_figure(rep, d, r, n, src, err) || pj_figure(rep, d, r, n, src, err))
        return -1;
    for (size_t i = 0; i < n; i++)
        for (size_t g = 0; g < d[i].ngroups; g++)
            if (budget_figure(rep, &d[i], &r[i], g, err))
                return -1;
    return 0;
}
