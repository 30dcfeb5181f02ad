/*
 * report_fabric.c — fabric sizing results: table, side-by-side comparison
 * and JSON.  Formatting only.
 */
#include "json_writer.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>

static const char *topo_name(cp_topology t)
{
    static const char *const n[] = {"single", "leaf-spine", "fat-tree-3", "rail-optimized"};
    return n[t];
}

void cp_report_fabric(FILE *out, const cp_fabric_spec *f, const cp_fabric_result *r)
{
    fprintf(out, "%s%s%s\n", f->name, f->title[0] ? " — " : "", f->title);
    fprintf(out, "%.0f GPUs x %g NIC x %g Gb/s, %g plane(s), %s: %.0f endpoints "
                 "(max %.0f per plane), %d switch hops\n\n",
            f->gpus, f->nics_per_gpu, f->link_gbps, f->planes, topo_name(f->topology),
            r->endpoints, r->max_endpoints, r->hops);
    fprintf(out, "  %-8s %-30s %6s %5s %5s %6s %10s %10s %10s %10s %8s %8s %10s\n", "tier",
            "switch", "radix", "down", "up", "over", "switches", "free ports", "modules",
            "CPO ports", "engines", "lasers", "power kW");
    for (size_t i = 0; i < r->ntiers; i++) {
        const cp_fabric_tier_result *t = &r->tier[i];
        char over[16] = "-";
        if (t->oversubscription > 0)
            snprintf(over, sizeof over, "%.2f", t->oversubscription);
        fprintf(out, "  %-8s %-30.30s %6.0f %5.0f %5.0f %6s %10.0f %10.0f %10.0f %10.0f %8.0f "
                     "%8.0f %10.1f\n",
                f->tier[i].name, f->tier[i].design.name, t->radix, t->down, t->up, over,
                t->switches, t->ports_free, t->modules, t->cpo_ports, t->engines,
                t->lasers, t->power_w / 1e3);
    }
    fprintf(out, "\n  %-22s %10s %8s %-8s %12s\n", "links", "count", "reach m", "media",
            "fibres");
    for (size_t l = 0; l < r->ntiers; l++)
        fprintf(out, "  %-22s %10.0f %8.1f %-8s %12.0f\n",
                l == 0 ? "GPU - leaf" : l == 1 ? "leaf - spine/agg" : "agg - core",
                r->level[l].links, r->level[l].reach_m,
                r->level[l].optical ? "optical" : "copper", r->level[l].fibers);
    fprintf(out, "\nTotals: %.0f switches, %.0f links (%.0f optical, %.0f optical ends), "
                 "%.0f transceivers (%.0f at NICs), %.0f CPO ports, %.0f engines, "
                 "%.0f lasers, %.0f fibres\n",
            r->switches, r->links, r->optical_links, r->optical_ends, r->modules,
            r->nic_modules, r->cpo_ports, r->engines, r->lasers, r->fibers);
    fprintf(out, "Lasers: %.0f at switch ends, %.0f at NICs\n", r->switch_lasers,
            r->lasers - r->switch_lasers);
    fprintf(out, "Per GPU: %.2f transceivers, %.2f optical ends, %.1f lasers, %.1f W of "
                 "network\n",
            r->modules / f->gpus, r->optical_ends / f->gpus, r->lasers / f->gpus,
            r->network_w_per_gpu);
    fprintf(out, "Power: network %.2f MW (optics %.2f MW), GPUs + hosts %.2f MW, "
                 "cluster %.2f MW; optics are %.1f %% of the cluster\n",
            r->network_w / 1e6, r->optics_w / 1e6, r->gpu_w / 1e6, r->cluster_w / 1e6,
            100 * r->optics_share);
    fprintf(out, "Bisection bandwidth %.1f Tb/s\n", r->bisection_tbps);
    if (r->capex_usd > 0)
        fprintf(out, "Capex at catalog prices: $%.1f M (switches, transceivers, laser "
                     "modules; cabling in `cposim tco`)\n", r->capex_usd / 1e6);
    for (size_t i = 0; i < r->nwarn; i++) {
        const cp_warning *x = &r->warn[i];
        if (x->code == CP_WARN_BEYOND_REACH)
            fprintf(out, "! links below tier '%s' (%.0f m) are longer than the reach of the "
                         "optics facing them (%.0f m): they need longer-reach optics\n",
                    f->tier[x->group].name, x->value, x->limit);
        else if (x->code == CP_WARN_FABRIC_OVERSIZED)
            fprintf(out, "! %.0f endpoints per plane fit %s (up to %.0f): this topology "
                         "builds more tiers than the load needs\n", x->value,
                    x->group == 0 ? "one leaf switch" : "a 2-tier leaf-spine of these switches",
                    x->limit);
    }
}

void cp_report_fabric_compare(FILE *out, const cp_fabric_spec *f,
                              const cp_fabric_result *r, size_t n)
{
    static const struct { const char *label; size_t off; double scale; int prec; } rows[] = {
        {"GPUs", 0, 0, 0},
        {"switches", offsetof(cp_fabric_result, switches), 1, 0},
        {"optical links", offsetof(cp_fabric_result, optical_links), 1, 0},
        {"transceivers", offsetof(cp_fabric_result, modules), 1, 0},
        {"CPO ports", offsetof(cp_fabric_result, cpo_ports), 1, 0},
        {"engines", offsetof(cp_fabric_result, engines), 1, 0},
        {"lasers", offsetof(cp_fabric_result, lasers), 1, 0},
        {"switch lasers", offsetof(cp_fabric_result, switch_lasers), 1, 0},
        {"network MW", offsetof(cp_fabric_result, network_w), 1e-6, 3},
        {"optics MW", offsetof(cp_fabric_result, optics_w), 1e-6, 3},
        {"cluster MW", offsetof(cp_fabric_result, cluster_w), 1e-6, 3},
        {"network W/GPU", offsetof(cp_fabric_result, network_w_per_gpu), 1, 1},
        {"capex $M", offsetof(cp_fabric_result, capex_usd), 1e-6, 1},
        {"optics share %", offsetof(cp_fabric_result, optics_share), 100, 2},
    };
    fprintf(out, "%-16s", "");
    for (size_t j = 0; j < n; j++)
        fprintf(out, " %24.24s", f[j].name);
    fprintf(out, "   delta vs first\n");
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
        fprintf(out, "%-16s", rows[i].label);
        double base = i == 0 ? f[0].gpus : *(const double *)((const char *)&r[0] + rows[i].off) * rows[i].scale;
        for (size_t j = 0; j < n; j++) {
            double v = i == 0 ? f[j].gpus : *(const double *)((const char *)&r[j] + rows[i].off) * rows[i].scale;
            fprintf(out, " %24.*f", rows[i].prec, v);
        }
        for (size_t j = 1; j < n; j++) {
            double v = i == 0 ? f[j].gpus : *(const double *)((const char *)&r[j] + rows[i].off) * rows[i].scale;
            fprintf(out, "   %+.*f", rows[i].prec, v - base);
            if (base != 0)
                fprintf(out, " (%+.1f%%)", 100 * (v - base) / fabs(base));
        }
        fputc('\n', out);
    }
    for (size_t j = 1; j < n; j++)
        fprintf(out, "\n%s vs %s: %.2f MW saved (%.1f %% of network power), %.0f fewer "
                     "lasers, %.0f fewer transceivers\n",
                f[j].name, f[0].name, (r[0].network_w - r[j].network_w) / 1e6,
                100 * (1 - r[j].network_w / r[0].network_w), r[0].lasers - r[j].lasers,
                r[0].modules - r[j].modules);
}

static struct fy_node *one(jw *w, const cp_fabric_spec *f, const cp_fabric_result *r)
{
    struct fy_node *m = jw_map(w), *tiers = jw_seq(w), *levels = jw_seq(w);
    jw_put(w, m, "name", jw_str(w, f->name));
    jw_put(w, m, "topology", jw_str(w, topo_name(f->topology)));
    jw_put(w, m, "gpus", jw_num(w, f->gpus));
    jw_put(w, m, "endpoints", jw_num(w, r->endpoints));
    jw_put(w, m, "switches", jw_num(w, r->switches));
    jw_put(w, m, "links", jw_num(w, r->links));
    jw_put(w, m, "optical_links", jw_num(w, r->optical_links));
    jw_put(w, m, "transceivers", jw_num(w, r->modules));
    jw_put(w, m, "nic_transceivers", jw_num(w, r->nic_modules));
    jw_put(w, m, "cpo_ports", jw_num(w, r->cpo_ports));
    jw_put(w, m, "engines", jw_num(w, r->engines));
    jw_put(w, m, "lasers", jw_num(w, r->lasers));
    jw_put(w, m, "switch_lasers", jw_num(w, r->switch_lasers));
    jw_put(w, m, "fibers", jw_num(w, r->fibers));
    jw_put(w, m, "network_w", jw_num(w, r->network_w));
    jw_put(w, m, "optics_w", jw_num(w, r->optics_w));
    jw_put(w, m, "cluster_w", jw_num(w, r->cluster_w));
    jw_put(w, m, "network_w_per_gpu", jw_num(w, r->network_w_per_gpu));
    jw_put(w, m, "optics_share", jw_num(w, r->optics_share));
    jw_put(w, m, "bisection_tbps", jw_num(w, r->bisection_tbps));
    jw_put(w, m, "hops", jw_num(w, r->hops));
    jw_put(w, m, "capex_usd", jw_num(w, r->capex_usd));
    for (size_t i = 0; i < r->ntiers; i++) {
        const cp_fabric_tier_result *t = &r->tier[i];
        struct fy_node *x = jw_map(w), *lv = jw_map(w);
        jw_put(w, x, "name", jw_str(w, f->tier[i].name));
        jw_put(w, x, "switch", jw_str(w, f->tier[i].design.name));
        jw_put(w, x, "radix", jw_num(w, t->radix));
        jw_put(w, x, "down", jw_num(w, t->down));
        jw_put(w, x, "up", jw_num(w, t->up));
        jw_put(w, x, "oversubscription", jw_num(w, t->oversubscription));
        jw_put(w, x, "switches", jw_num(w, t->switches));
        jw_put(w, x, "ports_used", jw_num(w, t->ports_used));
        jw_put(w, x, "ports_free", jw_num(w, t->ports_free));
        jw_put(w, x, "transceivers", jw_num(w, t->modules));
        jw_put(w, x, "cpo_ports", jw_num(w, t->cpo_ports));
        jw_put(w, x, "engines", jw_num(w, t->engines));
        jw_put(w, x, "lasers", jw_num(w, t->lasers));
        jw_put(w, x, "laser_modules", jw_num(w, t->laser_modules));
        jw_put(w, x, "power_w", jw_num(w, t->power_w));
        jw_put(w, x, "optics_power_w", jw_num(w, t->optics_power_w));
        struct fy_node *gs = jw_seq(w);
        for (size_t g = 0; g < t->ngroups; g++) {
            const cp_fabric_group_use *u = &t->grp[g];
            struct fy_node *gm = jw_map(w);
            jw_put(w, gm, "name", jw_str(w, f->tier[i].design.group[g].name));
            jw_put(w, gm, "media", jw_str(w, cp_media_name(f->tier[i].design.group[g].media)));
            jw_put(w, gm, "down_ports", jw_num(w, u->down_ports));
            jw_put(w, gm, "up_ports", jw_num(w, u->up_ports));
            jw_put(w, gm, "optical_ports", jw_num(w, u->optical_ports));
            jw_put(w, gm, "transceivers", jw_num(w, u->modules));
            jw_put(w, gm, "cpo_ports", jw_num(w, u->cpo_ports));
            jw_put(w, gm, "engines", jw_num(w, u->engines));
            jw_put(w, gm, "lasers", jw_num(w, u->lasers));
            jw_put(w, gm, "laser_modules", jw_num(w, u->laser_modules));
            jw_put(w, gm, "optics_power_w", jw_num(w, u->optics_power_w));
            jw_push(w, gs, gm);
        }
        jw_put(w, x, "port_groups", gs);
        jw_push(w, tiers, x);
        jw_put(w, lv, "links", jw_num(w, r->level[i].links));
        jw_put(w, lv, "reach_m", jw_num(w, r->level[i].reach_m));
        jw_put(w, lv, "optical", jw_bool(w, r->level[i].optical));
        jw_put(w, lv, "fibers", jw_num(w, r->level[i].fibers));
        jw_put(w, lv, "lane_gbps", jw_num(w, r->level[i].lane_gbps));
        jw_put(w, lv, "beyond_reach", jw_bool(w, r->level[i].beyond_reach));
        jw_push(w, levels, lv);
    }
    jw_put(w, m, "tiers", tiers);
    jw_put(w, m, "levels", levels);
    return m;
}

int cp_report_fabric_json(FILE *out, const cp_fabric_spec *f, const cp_fabric_result *r,
                          size_t n)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root;
    if (n == 1) {
        root = one(&w, f, r);
    } else {
        root = jw_map(&w);
        struct fy_node *s = jw_seq(&w);
        for (size_t j = 0; j < n; j++)
            jw_push(&w, s, one(&w, &f[j], &r[j]));
        jw_put(&w, root, "fabrics", s);
    }
    return jw_emit(&w, root, out);
}
