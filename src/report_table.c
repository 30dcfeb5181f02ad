/*
 * report_table.c — human-readable tables for a terminal: one design (eval)
 * or several side by side with deltas (compare).  Formatting only.
 */
#include "cposim.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

static double share(double part, double total)
{
    return total > 0 ? 100.0 * part / total : 0;
}

static void line(FILE *f, const char *label, double w, double total,
                 double ports, const char *why)
{
    fprintf(f, "  %-26s %10.1f %9.2f %6.1f %%  %s\n", label, w, w / ports,
            share(w, total), why);
}

static const char *serdes_name(const cp_design *d, const cp_group_result *g)
{
    return g->channel.serdes_index >= 0 ? d->serdes[g->channel.serdes_index].name
                                        : "none";
}

static void groups(FILE *f, const cp_design *d, const cp_result *r)
{
    fprintf(f, "\nPort groups\n  %-10s %-9s %11s %8s %-18s %7s %8s %9s %7s %6s\n",
            "group", "media", "ports", "loss dB", "host SerDes", "ch. mgn",
            "link mgn", "BER", "engines", "lasers");
    for (size_t i = 0; i < r->ngroups; i++) {
        const cp_port_group *pg = &d->group[i];
        const cp_group_result *g = &r->group[i];
        char ports[32];
        snprintf(ports, sizeof ports, "%gx%gG", pg->count, pg->speed_gbps);
        fprintf(f, "  %-10s %-9s %11s %8.1f %-18s %7.1f %8.2f %9.2e %7.0f %6.0f\n",
                pg->name, cp_media_name(pg->media), ports, g->channel.loss_db,
                serdes_name(d, g), g->channel.budget_margin_db, g->link.margin_db,
                g->link.ber, g->engines, g->lasers);
    }
    fprintf(f, "\nOptical lanes (per group): Tx OMA, channel loss, Rx OMA, penalties, min. laser\n");
    for (size_t i = 0; i < r->ngroups; i++) {
        const cp_group_result *g = &r->group[i];
        fprintf(f, "  %-10s %-14s Tx %5.2f dBm  chan %4.2f dB  Rx %5.2f dBm  pen %4.2f dB  %s %5.2f dBm",
                d->group[i].name, d->group[i].link.name, g->link.tx_oma_dbm,
                g->link.channel_loss_db, g->link.rx_oma_dbm, g->link.penalties_db,
                d->group[i].media == CP_MEDIA_CPO ? "laser min" : "Tx OMA min",
                g->link.laser_min_dbm);
        if (d->group[i].media == CP_MEDIA_CPO)
            fprintf(f, " (%.2f W el.)", g->link.laser_min_w_elec);
        fputc('\n', f);
    }
}

static void warnings(FILE *f, const cp_design *d, const cp_result *r)
{
    if (r->nwarn == 0)
        return;
    fprintf(f, "\nWarnings\n");
    for (size_t i = 0; i < r->nwarn; i++) {
        const cp_warning *w = &r->warn[i];
        fprintf(f, "  ! %s%s%s: %s — %.2f vs %.2f\n",
                w->group >= 0 ? "group '" : "", w->group >= 0 ? d->group[w->group].name : "design",
                w->group >= 0 ? "'" : "", cp_warning_text(w->code), w->value, w->limit);
    }
}

void cp_report_table(FILE *f, const cp_design *d, const cp_result *r)
{
    fprintf(f, "%s%s%s\n", d->name, d->title[0] ? " — " : "", d->title);
    fprintf(f, "Capacity %.1f Tb/s, %g ports", r->capacity_tbps, r->ports);
    if (r->port_speed_gbps > 0)
        fprintf(f, " x %gG", r->port_speed_gbps);
    fprintf(f, ", %g RU%s%s\n\n", d->sys.rack_units, d->has_asic ? ", ASIC " : "",
            d->has_asic ? d->asic.name : "");
    fprintf(f, "  %-26s %10s %9s %8s\n", "Power", "W", "W/port", "share");
    double t = r->total_w, p = r->ports;
    line(f, "ASIC core", r->asic_w, t, p, "logic and memory, without SerDes");
    line(f, "Host SerDes + retimers", r->serdes_w, t, p, "sized by the electrical channel");
    line(f, "Optics excl. lasers", r->optics_w, t, p, "modules/engines: DSP, drivers, TIAs, tuning");
    line(f, "Lasers", r->lasers_w, t, p, "ELS or module lasers, electrical");
    line(f, "Board (CPU, mgmt)", r->board_w, t, p, "");
    line(f, "Cooling (fans/pumps)", r->cooling_w, t, p, "share of the DC load");
    line(f, "Conversion losses", r->conversion_w, t, p, "PSU and VRM");
    line(f, "Wall total", r->total_w, t, p, "");
    fprintf(f, "\n  optics per port   %7.2f W  %6.2f pJ/bit   (modules or engines + lasers)\n",
            r->optics_w_per_port, r->optics_pj_per_bit);
    fprintf(f, "  I/O per port      %7.2f W  %6.2f pJ/bit   (optics + host SerDes)\n",
            r->io_w_per_port, r->io_pj_per_bit);
    fprintf(f, "  system            %7.2f W  %6.2f pJ/bit   (wall power / capacity)\n",
            r->total_w / r->ports, r->system_pj_per_bit);
    groups(f, d, r);
    double els = 0, cages = 0;
    for (size_t i = 0; i < r->ngroups; i++) {
        if (d->group[i].media == CP_MEDIA_CPO)
            els += r->group[i].cages;
        else
            cages += r->group[i].cages;
    }
    fprintf(f, "\nDensity: radix %g, %.1f ports/RU, %.0f module cages + %.0f ELS slots "
               "(faceplate %g per RU), %.0f fibres (%.0f MPO-%g)\n"
               "Worst optical lane margin %.2f dB\n",
            r->ports, r->ports_per_ru, cages, els, d->sys.faceplate_cages_per_ru,
            r->fibers, r->mpo, d->sys.fibers_per_mpo, r->worst_margin_db);
    warnings(f, d, r);
}

typedef struct row {
    const char *label;
    size_t off;
    int prec;
} row;

#define ROW(l, m, f) {l, offsetof(cp_result, m), f}

void cp_report_compare(FILE *f, const cp_design *d, const cp_result *r, size_t n)
{
    static const row rows[] = {
        ROW("capacity Tb/s", capacity_tbps, 1),
        ROW("ports", ports, 0),
        ROW("ASIC core W", asic_w, 1),
        ROW("host SerDes W", serdes_w, 1),
        ROW("optics excl. lasers W", optics_w, 1),
        ROW("lasers W", lasers_w, 1),
        ROW("board W", board_w, 1),
        ROW("cooling W", cooling_w, 1),
        ROW("conversion W", conversion_w, 1),
        ROW("wall total W", total_w, 1),
        ROW("optics W/port", optics_w_per_port, 2),
        ROW("I/O W/port", io_w_per_port, 2),
        ROW("optics pJ/bit", optics_pj_per_bit, 2),
        ROW("I/O pJ/bit", io_pj_per_bit, 2),
        ROW("system pJ/bit", system_pj_per_bit, 2),
        ROW("worst margin dB", worst_margin_db, 2),
        ROW("ports/RU", ports_per_ru, 1),
        ROW("fibres", fibers, 0),
    };
    fprintf(f, "%-22s", "");
    for (size_t j = 0; j < n; j++)
        fprintf(f, " %22.22s", d[j].name);
    for (size_t j = 1; j < n; j++)
        fprintf(f, "   %-16s", j == 1 ? "delta vs first" : "");
    fputc('\n', f);
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        fprintf(f, "%-22s", rows[i].label);
        double base = *(const double *)((const char *)&r[0] + rows[i].off);
        for (size_t j = 0; j < n; j++) {
            fprintf(f, "          %12.*f", rows[i].prec,
                    *(const double *)((const char *)&r[j] + rows[i].off));
        }
        for (size_t j = 1; j < n; j++) {
            double v = *(const double *)((const char *)&r[j] + rows[i].off);
            if (base != 0 && isfinite(base))
                fprintf(f, "   %+9.1f %+6.1f%%", v - base, 100.0 * (v - base) / fabs(base));
            else
                fprintf(f, "   %+9.1f        ", v - base);
        }
        fputc('\n', f);
    }
    for (size_t j = 1; j < n; j++) {
        double opt0 = r[0].optics_w + r[0].lasers_w, opt = r[j].optics_w + r[j].lasers_w;
        fprintf(f, "\n%s vs %s: optics power saving %.1f %%, system power saving %.1f %% (%.0f W)\n",
                d[j].name, d[0].name, 100.0 * (1 - opt / opt0),
                100.0 * (1 - r[j].total_w / r[0].total_w), r[0].total_w - r[j].total_w);
    }
    for (size_t j = 0; j < n; j++)
        if (r[j].nwarn)
            fprintf(f, "note: %s has %zu warning(s); see `cposim eval`\n", d[j].name,
                    r[j].nwarn);
}
