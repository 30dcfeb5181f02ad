/*
 * report_json.c — machine-readable results: JSON (emitted by libfyaml from a
 * document tree) and CSV.  Key names are a stable interface: add, never
 * rename.
 */
#include "cposim.h"

#include <libfyaml.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jw {
    struct fy_document *doc;
    int failed;
} jw;

static struct fy_node *str(jw *w, const char *s)
{
    /* a double-quoted YAML scalar stays a string in JSON */
    char buf[2 * CP_TEXT_MAX + 8];
    size_t at = 0;
    buf[at++] = '"';
    for (const char *p = s; *p && at < sizeof buf - 8; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            buf[at++] = '\\', buf[at++] = (char)c;
        else if (c < 0x20)
            at += (size_t)snprintf(buf + at, sizeof buf - at, "\\x%02x", c);
        else
            buf[at++] = (char)c;
    }
    buf[at++] = '"';
    buf[at] = '\0';
    /* the document takes ownership of the copy (libfyaml keeps pointers
     * into the source text of a built node) */
    char *copy = strdup(buf);
    struct fy_node *n = copy ? fy_node_build_from_malloc_string(w->doc, copy, at) : NULL;
    if (!n)
        free(copy);
    w->failed |= !n;
    return n;
}

static struct fy_node *num(jw *w, double x)
{
    struct fy_node *n = isfinite(x) ? fy_node_create_scalarf(w->doc, "%.10g", x)
                                    : fy_node_create_scalar(w->doc, "null", 4);
    w->failed |= !n;
    return n;
}

static void put(jw *w, struct fy_node *map, const char *key, struct fy_node *v)
{
    if (!v || fy_node_mapping_append(map, fy_node_create_scalar(w->doc, key, strlen(key)), v))
        w->failed = 1;
}

static struct fy_node *map(jw *w)
{
    struct fy_node *m = fy_node_create_mapping(w->doc);
    w->failed |= !m;
    return m;
}

static struct fy_node *seq(jw *w)
{
    struct fy_node *s = fy_node_create_sequence(w->doc);
    w->failed |= !s;
    return s;
}

static struct fy_node *power(jw *w, const cp_result *r)
{
    struct fy_node *m = map(w);
    put(w, m, "total", num(w, r->total_w));
    put(w, m, "asic", num(w, r->asic_w));
    put(w, m, "serdes", num(w, r->serdes_w));
    put(w, m, "optics", num(w, r->optics_w + r->lasers_w));
    put(w, m, "optics_excl_lasers", num(w, r->optics_w));
    put(w, m, "lasers", num(w, r->lasers_w));
    put(w, m, "board", num(w, r->board_w));
    put(w, m, "cooling", num(w, r->cooling_w));
    put(w, m, "conversion", num(w, r->conversion_w));
    put(w, m, "optics_per_port", num(w, r->optics_w_per_port));
    put(w, m, "io_per_port", num(w, r->io_w_per_port));
    return m;
}

static struct fy_node *link_node(jw *w, const cp_design *d, const cp_result *r, size_t i)
{
    const cp_group_result *g = &r->group[i];
    const cp_port_group *pg = &d->group[i];
    struct fy_node *m = map(w);
    put(w, m, "group", str(w, pg->name));
    put(w, m, "media", str(w, cp_media_name(pg->media)));
    put(w, m, "ports", num(w, pg->count));
    put(w, m, "speed_gbps", num(w, pg->speed_gbps));
    put(w, m, "link", str(w, pg->link.name));
    put(w, m, "margin_db", num(w, g->link.margin_db));
    put(w, m, "ber", num(w, g->link.ber));
    put(w, m, "tx_oma_dbm", num(w, g->link.tx_oma_dbm));
    put(w, m, "rx_oma_dbm", num(w, g->link.rx_oma_dbm));
    put(w, m, "channel_loss_db", num(w, g->link.channel_loss_db));
    put(w, m, "laser_min_dbm", num(w, g->link.laser_min_dbm));
    put(w, m, "electrical_loss_db", num(w, g->channel.loss_db));
    put(w, m, "serdes", str(w, g->channel.serdes_index >= 0
                                   ? d->serdes[g->channel.serdes_index].name : "none"));
    put(w, m, "serdes_margin_db", num(w, g->channel.budget_margin_db));
    put(w, m, "retimers", num(w, g->channel.retimers));
    put(w, m, "engines", num(w, g->engines));
    put(w, m, "lasers", num(w, g->lasers));
    put(w, m, "laser_modules", num(w, g->laser_modules));
    put(w, m, "optics_w_per_port", num(w, g->optics_w_per_port));
    put(w, m, "io_w_per_port", num(w, g->io_w_per_port));
    return m;
}

static struct fy_node *design(jw *w, const cp_design *d, const cp_result *r)
{
    struct fy_node *m = map(w);
    put(w, m, "name", str(w, d->name));
    put(w, m, "title", str(w, d->title));
    put(w, m, "capacity_tbps", num(w, r->capacity_tbps));
    put(w, m, "ports", num(w, r->ports));
    put(w, m, "port_speed_gbps", num(w, r->port_speed_gbps));
    put(w, m, "power_w", power(w, r));
    struct fy_node *pj = map(w);
    put(w, pj, "optics", num(w, r->optics_pj_per_bit));
    put(w, pj, "io", num(w, r->io_pj_per_bit));
    put(w, pj, "system", num(w, r->system_pj_per_bit));
    put(w, m, "pj_per_bit", pj);
    struct fy_node *links = seq(w);
    for (size_t i = 0; i < r->ngroups; i++)
        w->failed |= fy_node_sequence_append(links, link_node(w, d, r, i)) != 0;
    put(w, m, "links", links);
    struct fy_node *den = map(w);
    put(w, den, "rack_units", num(w, d->sys.rack_units));
    put(w, den, "ports_per_ru", num(w, r->ports_per_ru));
    put(w, den, "fibers", num(w, r->fibers));
    put(w, den, "mpo", num(w, r->mpo));
    put(w, m, "density", den);
    struct fy_node *warns = seq(w);
    for (size_t i = 0; i < r->nwarn; i++) {
        struct fy_node *wm = map(w);
        put(w, wm, "group", str(w, r->warn[i].group >= 0 ? d->group[r->warn[i].group].name : ""));
        put(w, wm, "message", str(w, cp_warning_text(r->warn[i].code)));
        put(w, wm, "value", num(w, r->warn[i].value));
        put(w, wm, "limit", num(w, r->warn[i].limit));
        w->failed |= fy_node_sequence_append(warns, wm) != 0;
    }
    put(w, m, "warnings", warns);
    return m;
}

static struct fy_node *comparison(jw *w, const cp_design *d, const cp_result *r, size_t n)
{
    struct fy_node *s = seq(w);
    for (size_t j = 1; j < n; j++) {
        struct fy_node *m = map(w);
        double o0 = r[0].optics_w + r[0].lasers_w, o = r[j].optics_w + r[j].lasers_w;
        put(w, m, "baseline", str(w, d[0].name));
        put(w, m, "design", str(w, d[j].name));
        put(w, m, "delta_total_w", num(w, r[j].total_w - r[0].total_w));
        put(w, m, "optics_saving_pct", num(w, 100.0 * (1 - o / o0)));
        put(w, m, "system_saving_pct", num(w, 100.0 * (1 - r[j].total_w / r[0].total_w)));
        w->failed |= fy_node_sequence_append(s, m) != 0;
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
        root = map(&w);
        struct fy_node *ds = seq(&w);
        for (size_t j = 0; j < n; j++)
            w.failed |= fy_node_sequence_append(ds, design(&w, &d[j], &r[j])) != 0;
        put(&w, root, "designs", ds);
        put(&w, root, "comparison", comparison(&w, d, r, n));
    }
    int rc = -1;
    if (!w.failed && fy_document_set_root(w.doc, root) == 0)
        rc = fy_emit_document_to_fp(w.doc, FYECF_MODE_JSON_TP | FYECF_INDENT_2 |
                                               FYECF_WIDTH_INF, f);
    fy_document_destroy(w.doc);
    return rc;
}

static void csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f); /* RFC 4180: a quote is doubled */
        fputc(*s, f);
    }
    fputc('"', f);
}

void cp_report_csv(FILE *f, const cp_design *d, const cp_result *r, size_t n)
{
    fprintf(f, "name,capacity_tbps,ports,port_speed_gbps,total_w,asic_w,serdes_w,"
               "optics_w,lasers_w,board_w,cooling_w,conversion_w,optics_w_per_port,"
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
        csv_text(f, d[j].name);
        for (size_t k = 0; k < sizeof v / sizeof *v; k++)
            fprintf(f, ",%.10g", v[k]);
        fprintf(f, ",%zu\n", x->nwarn);
    }
}
