/*
 * report_traffic.c — a job's collective on the fabric, healthy and in each
 * failure case: table and JSON.  Formatting only.
 */
#include "json_writer.h"

#include <math.h>
#include <stdio.h>

static const char *level_name(size_t l)
{
    static const char *const n[] = {"GPU - leaf", "leaf - spine/agg", "agg - core"};
    return l < 3 ? n[l] : "?";
}

/* "leaf 12", "NIC 5" */
static void end_name(const cp_fabric_spec *f, int tier, double index, char *buf, size_t len)
{
    if (tier < 0)
        snprintf(buf, len, "NIC %.0f", index);
    else
        snprintf(buf, len, "%s %.0f", f->tier[tier].name, index);
}

static void case_row(FILE *out, const cp_traffic_case_result *c)
{
    if (c->partitioned) {
        fprintf(out, "  %-28.28s %12s %9s %13s %10s %10.0f %9.0f\n", c->name, "partitioned",
                "-", "-", "-", c->links_down, c->classes);
        return;
    }
    fprintf(out, "  %-28.28s %12.6f %9.4f %13.4g %10.1f %10.0f %9.0f\n", c->name, c->step_s,
            c->slowdown, c->min_rate_gbps, c->gpu_rate_gbps, c->links_down, c->classes);
}

void cp_report_traffic(FILE *out, const cp_fabric_spec *f, const cp_traffic_spec *t,
                       const cp_traffic_result *r)
{
    fprintf(out, "%s%s%s\n", f->name, f->title[0] ? " — " : "", f->title);
    fprintf(out, "job: %s of %g MB over %.0f GPUs (%s), alpha %g us, %s flows\n",
            cp_collective_key(t->collective), t->message_bytes / 1e6, r->gpus,
            t->placement == CP_PLACE_SCATTERED ? "scattered" : "contiguous", t->alpha_s * 1e6,
            t->per_flow ? "per-GPU-pair" : "leaf-pair aggregated");
    fprintf(out, "%.0f steps; %.0f Gb/s per GPU; on a non-blocking fabric %.6f s\n\n",
            r->phases, r->gpu_gbps, r->ideal_s);
    fprintf(out, "  %-28s %12s %9s %13s %10s %10s %9s\n", "case", "step s", "slowdown",
            "slowest Gb/s", "GPU Gb/s", "links down", "classes");
    for (size_t c = 0; c < r->ncases; c++)
        case_row(out, &r->cs[c]);
    fprintf(out, "\nLink utilisation (busy share of the step, over the links that carried "
                 "traffic):\n  %-28s %-18s %8s %8s %8s\n", "case", "level", "links",
            "mean %", "max %");
    for (size_t c = 0; c < r->ncases; c++)
        for (size_t l = 0; l < f->ntiers; l++) {
            const cp_traffic_level_use *u = &r->cs[c].level[l];
            if (u->used > 0)
                fprintf(out, "  %-28.28s %-18s %8.0f %8.1f %8.1f\n", l ? "" : r->cs[c].name,
                        level_name(l), u->used, 100 * u->mean_util, 100 * u->max_util);
        }
    for (size_t c = 0; c < r->ncases; c++) {
        if (r->cs[c].nworst == 0)
            continue;
        fprintf(out, "\nBusiest links, %s:\n", r->cs[c].name);
        for (size_t i = 0; i < r->cs[c].nworst; i++) {
            const cp_traffic_link *k = &r->cs[c].worst[i];
            char a[CP_NAME_MAX + 24], b[CP_NAME_MAX + 24];
            end_name(f, k->from_tier, k->from_index, a, sizeof a);
            end_name(f, k->to_tier, k->to_index, b, sizeof b);
            fprintf(out, "  level %zu link %-8.0f %-18s -> %-18s %6.1f %%\n", k->level, k->index,
                    a, b, 100 * k->util);
        }
    }
}

static struct fy_node *case_json(jw *w, const cp_fabric_spec *f, const cp_traffic_case_result *c)
{
    struct fy_node *m = jw_map(w), *lv = jw_seq(w), *wl = jw_seq(w);
    jw_put(w, m, "name", jw_str(w, c->name));
    jw_put(w, m, "partitioned", jw_bool(w, c->partitioned));
    jw_put(w, m, "step_s", jw_num(w, c->step_s));
    jw_put(w, m, "slowdown", jw_num(w, c->slowdown));
    jw_put(w, m, "slowest_flow_gbps", jw_num(w, c->min_rate_gbps));
    jw_put(w, m, "gpu_gbps", jw_num(w, c->gpu_rate_gbps));
    jw_put(w, m, "links_down", jw_num(w, c->links_down));
    jw_put(w, m, "flow_classes", jw_num(w, c->classes));
    for (size_t l = 0; l < f->ntiers; l++) {
        struct fy_node *u = jw_map(w);
        jw_put(w, u, "level", jw_num(w, (double)l));
        jw_put(w, u, "links_used", jw_num(w, c->level[l].used));
        jw_put(w, u, "mean_util", jw_num(w, c->level[l].mean_util));
        jw_put(w, u, "max_util", jw_num(w, c->level[l].max_util));
        jw_push(w, lv, u);
    }
    for (size_t i = 0; i < c->nworst; i++) {
        const cp_traffic_link *k = &c->worst[i];
        char a[CP_NAME_MAX + 24], b[CP_NAME_MAX + 24];
        struct fy_node *u = jw_map(w);
        end_name(f, k->from_tier, k->from_index, a, sizeof a);
        end_name(f, k->to_tier, k->to_index, b, sizeof b);
        jw_put(w, u, "level", jw_num(w, (double)k->level));
        jw_put(w, u, "index", jw_num(w, k->index));
        jw_put(w, u, "from", jw_str(w, a));
        jw_put(w, u, "to", jw_str(w, b));
        jw_put(w, u, "util", jw_num(w, k->util));
        jw_push(w, wl, u);
    }
    jw_put(w, m, "levels", lv);
    jw_put(w, m, "busiest_links", wl);
    return m;
}

int cp_report_traffic_json(FILE *out, const cp_fabric_spec *f, const cp_traffic_spec *t,
                           const cp_traffic_result *r)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = jw_map(&w), *job = jw_map(&w), *cs = jw_seq(&w);
    jw_put(&w, root, "fabric", jw_str(&w, f->name));
    jw_put(&w, job, "collective", jw_str(&w, cp_collective_key(t->collective)));
    jw_put(&w, job, "gpus", jw_num(&w, r->gpus));
    jw_put(&w, job, "placement",
           jw_str(&w, t->placement == CP_PLACE_SCATTERED ? "scattered" : "contiguous"));
    jw_put(&w, job, "message_bytes", jw_num(&w, t->message_bytes));
    jw_put(&w, job, "alpha_s", jw_num(&w, t->alpha_s));
    jw_put(&w, job, "steps", jw_num(&w, r->phases));
    jw_put(&w, job, "gpu_gbps", jw_num(&w, r->gpu_gbps));
    jw_put(&w, job, "nonblocking_step_s", jw_num(&w, r->ideal_s));
    jw_put(&w, root, "job", job);
    for (size_t c = 0; c < r->ncases; c++)
        jw_push(&w, cs, case_json(&w, f, &r->cs[c]));
    jw_put(&w, root, "cases", cs);
    return jw_emit(&w, root, out);
}
