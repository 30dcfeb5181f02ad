/*
 * report_json.c — machine-readable results: JSON (emitted by libfyaml from a
 * document tree) and CSV.  Key names are a stable interface: add, never
 * rename.  A name means one number in every format: "optics" is the
 * optics with their lasers (power_w.optics, optics_per_port, pj_per_bit),
 * and the part without them is "optics_excl_lasers" (CSV
 * optics_excl_lasers_w, the table's "Optics excl. lasers").
 */
#include "json_writer.h"

#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct fy_node *power(jw *w, const cp_result *r)
{
    struct fy_node *m = jw_map(w);
    jw_put(w, m, "total", jw_num(w, r->total_w));
    jw_put(w, m, "asic", jw_num(w, r->asic_w));
    jw_put(w, m, "serdes", jw_num(w, r->serdes_w));
    jw_put(w, m, "optics", jw_num(w, r->optics_w + r->lasers_w));
    jw_put(w, m, "optics_excl_lasers", jw_num(w, r->optics_w));
    jw_put(w, m, "lasers", jw_num(w, r->lasers_w));
    jw_put(w, m, "board", jw_num(w, r->board_w));
    jw_put(w, m, "cooling", jw_num(w, r->cooling_w));
    jw_put(w, m, "conversion", jw_num(w, r->conversion_w));
    jw_put(w, m, "optics_per_port", jw_num(w, r->optics_w_per_port));
    jw_put(w, m, "io_per_port", jw_num(w, r->io_w_per_port));
    return m;
}

static struct fy_node *link_node(jw *w, const cp_design *d, const cp_result *r, size_t i)
{
    const cp_group_result *g = &r->group[i];
    const cp_port_group *pg = &d->group[i];
    struct fy_node *m = jw_map(w);
    jw_put(w, m, "group", jw_str(w, pg->name));
    jw_put(w, m, "media", jw_str(w, cp_media_name(pg->media)));
    jw_put(w, m, "ports", jw_num(w, pg->count));
    jw_put(w, m, "speed_gbps", jw_num(w, pg->speed_gbps));
    jw_put(w, m, "link", jw_str(w, pg->link.name));
    jw_put(w, m, "margin_db", jw_num(w, g->link.margin_db));
    jw_put(w, m, "ber", jw_num(w, g->link.ber));
    jw_put(w, m, "tx_oma_dbm", jw_num(w, g->link.tx_oma_dbm));
    jw_put(w, m, "rx_oma_dbm", jw_num(w, g->link.rx_oma_dbm));
    jw_put(w, m, "channel_loss_db", jw_num(w, g->link.channel_loss_db));
    jw_put(w, m, "laser_min_dbm", jw_num(w, g->link.laser_min_dbm));
    jw_put(w, m, "electrical_loss_db", jw_num(w, g->channel.loss_db));
    jw_put(w, m, "serdes", jw_str(w, g->channel.serdes_index >= 0
                                   ? d->serdes[g->channel.serdes_index].name : "none"));
    jw_put(w, m, "serdes_margin_db", jw_num(w, g->channel.budget_margin_db));
    jw_put(w, m, "retimers", jw_num(w, g->channel.retimers));
    jw_put(w, m, "engines", jw_num(w, g->engines));
    jw_put(w, m, "lasers", jw_num(w, g->lasers));
    jw_put(w, m, "laser_modules", jw_num(w, g->laser_modules));
    jw_put(w, m, "optics_w_per_port", jw_num(w, g->optics_w_per_port));
    jw_put(w, m, "io_w_per_port", jw_num(w, g->io_w_per_port));
    return m;
}

static struct fy_node *design(jw *w, const cp_design *d, const cp_result *r)
{
    struct fy_node *m = jw_map(w);
    jw_put(w, m, "name", jw_str(w, d->name));
    jw_put(w, m, "title", jw_str(w, d->title));
    jw_put(w, m, "capacity_tbps", jw_num(w, r->capacity_tbps));
    jw_put(w, m, "ports", jw_num(w, r->ports));
    jw_put(w, m, "port_speed_gbps", jw_num(w, r->port_speed_gbps));
    jw_put(w, m, "power_w", power(w, r));
    struct fy_node *pj = jw_map(w);
    jw_put(w, pj, "optics", jw_num(w, r->optics_pj_per_bit));
    jw_put(w, pj, "io", jw_num(w, r->io_pj_per_bit));
    jw_put(w, pj, "system", jw_num(w, r->system_pj_per_bit));
    jw_put(w, m, "pj_per_bit", pj);
    jw_put(w, m, "worst_margin_db", jw_num(w, r->worst_margin_db));
    struct fy_node *links = jw_seq(w);
    for (size_t i = 0; i < r->ngroups; i++)
        jw_push(w, links, link_node(w, d, r, i));
    jw_put(w, m, "links", links);
    struct fy_node *den = jw_map(w);
    jw_put(w, den, "rack_units", jw_num(w, d->sys.rack_units));
    jw_put(w, den, "ports_per_ru", jw_num(w, r->ports_per_ru));
    jw_put(w, den, "fibers", jw_num(w, r->fibers));
    jw_put(w, den, "mpo", jw_num(w, r->mpo));
    jw_put(w, m, "density", den);
    struct fy_node *warns = jw_seq(w);
    for (size_t i = 0; i < r->nwarn; i++) {
        struct fy_node *wm = jw_map(w);
        jw_put(w, wm, "group", jw_str(w, r->warn[i].group >= 0 ? d->group[r->warn[i].group].name : ""));
        jw_put(w, wm, "message", jw_str(w, cp_warning_text(r->warn[i].code)));
        jw_put(w, wm, "value", jw_num(w, r->warn[i].value));
        jw_put(w, wm, "limit", jw_num(w, r->warn[i].limit));
        jw_push(w, warns, wm);
    }
    jw_put(w, m, "warnings", warns);
    return m;
}

static struct fy_node *comparison(jw *w, const cp_design *d, const cp_result *r, size_t n)
{
    struct fy_node *s = jw_seq(w);
    for (size_t j = 1; j < n; j++) {
        struct fy_node *m = jw_map(w);
        double o0 = r[0].optics_w + r[0].lasers_w, o = r[j].optics_w + r[j].lasers_w;
        jw_put(w, m, "baseline", jw_str(w, d[0].name));
        jw_put(w, m, "design", jw_str(w, d[j].name));
        jw_put(w, m, "delta_total_w", jw_num(w, r[j].total_w - r[0].total_w));
        jw_put(w, m, "optics_saving_pct", jw_num(w, 100.0 * (1 - o / o0)));
        jw_put(w, m, "system_saving_pct", jw_num(w, 100.0 * (1 - r[j].total_w / r[0].total_w)));
        jw_push(w, s, m);
    }
    return s;
}

int cp_report_json(FILE *f, const cp_design *d, const cp_result *r, size_t n)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root;
    if (n == 1) {
        root = design(&w, d, r);
    } else {
        root = jw_map(&w);
        struct fy_node *ds = jw_seq(&w);
        for (size_t j = 0; j < n; j++)
            jw_push(&w, ds, design(&w, &d[j], &r[j]));
        jw_put(&w, root, "designs", ds);
        jw_put(&w, root, "comparison", comparison(&w, d, r, n));
    }
    return jw_emit(&w, root, f);
}

void cp_report_csv(FILE *f, const cp_design *d, const cp_result *r, size_t n)
{
    fprintf(f, "name,capacity_tbps,ports,port_speed_gbps,total_w,asic_w,serdes_w,"
               "optics_excl_lasers_w,lasers_w,board_w,cooling_w,conversion_w,optics_w_per_port,"
               "io_w_per_port,optics_pj_per_bit,io_pj_per_bit,system_pj_per_bit,"
               "worst_margin_db,warnings\n");
    for (size_t j = 0; j < n; j++) {
        const cp_result *x = &r[j];
        const double v[] = {x->capacity_tbps, x->ports, x->port_speed_gbps,
                            x->total_w, x->asic_w, x->serdes_w, x->optics_w,
                            x->lasers_w, x->board_w, x->cooling_w, x->conversion_w,
                            x->optics_w_per_port, x->io_w_per_port,
                            x->optics_pj_per_bit, x->io_pj_per_bit,
                            x->system_pj_per_bit, x->worst_margin_db};
        cp_csv_field(f, d[j].name);
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            fprintf(f, ",%.10g", v[k]);
        fprintf(f, ",%zu\n", x->nwarn);
    }
}
