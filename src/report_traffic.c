/*
 * report_traffic.c — a job's collective on the fabric, healthy and in each
 * failure case: table and JSON.  Formatting only.
 */
#include "json_writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

/* "switch spine 0", "ports leaf 0:0-1", "links L1 0-1", "plane 1" */
static void outage_name(const cp_fabric_spec *f, const cp_outage *o, char *buf, size_t len)
{
    double n = o->count > 1 ? o->count : 1;
    const char *tier = o->level < f->ntiers ? f->tier[o->level].name : "?";
    char span[48];
    double from = o->kind == CP_OUT_PORT ? o->port : o->index;
    if (n > 1)
        snprintf(span, sizeof span, "%.0f-%.0f", from, from + n - 1);
    else
        snprintf(span, sizeof span, "%.0f", from);
    switch (o->kind) {
    case CP_OUT_SWITCH:
        snprintf(buf, len, "switch %s %.0f", tier, o->index);
        break;
    case CP_OUT_PORT:
        snprintf(buf, len, "port%s %s %.0f:%s", n > 1 ? "s" : "", tier, o->index, span);
        break;
    case CP_OUT_PLANE:
        snprintf(buf, len, "plane %.0f", o->index);
        break;
    default:
        snprintf(buf, len, "link%s L%zu %s", n > 1 ? "s" : "", o->level, span);
        break;
    }
}

/* GPU-hours one event costs the job running slowed: GPUs x hours x (1 - 1/s) */
static double event_gpu_h(const cp_traffic_result *r, const cp_traffic_event *e)
{
    const cp_traffic_case_result *c = &r->cs[e->case_index];
    return r->gpus * e->hours * (1 - 1 / fmax(c->slowdown, 1));
}

void cp_report_traffic_events(FILE *out, const cp_fabric_spec *f, const cp_rel_spec *rel,
                              const cp_traffic_event *ev, size_t nev,
                              const cp_traffic_result *r)
{
    fprintf(out, "\nReliability events (one of each failure class, where the job placed from "
                 "GPU 0 meets it):\n  %-28s %-14s %-22s %7s %12s %9s %12s\n", "class", "kind",
            "takes out", "hours", "step s", "slowdown", "GPU-h/event");
    for (size_t i = 0; i < nev; i++) {
        const cp_traffic_event *e = &ev[i];
        const cp_rel_class *c = &rel->cls[e->cls];
        const cp_traffic_case_result *cr = &r->cs[e->case_index];
        char what[96];
        outage_name(f, &e->out, what, sizeof what);
        fprintf(out, "  %-28.28s %-14s %-22.22s %7.2f ", c->name, cp_rel_kind_key(c->kind), what,
                e->hours);
        if (cr->partitioned)
            fprintf(out, "%12s %9s %12s\n", "partitioned", "-", "stops job");
        else
            fprintf(out, "%12.6f %9.4f %12.4g\n", cr->step_s, cr->slowdown, event_gpu_h(r, e));
    }
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

static struct fy_node *events_json(jw *w, const cp_fabric_spec *f, const cp_rel_spec *rel,
                                   const cp_traffic_event *ev, size_t nev,
                                   const cp_traffic_result *r)
{
    struct fy_node *seq = jw_seq(w);
    for (size_t i = 0; i < nev; i++) {
        const cp_traffic_event *e = &ev[i];
        const cp_rel_class *c = &rel->cls[e->cls];
        const cp_traffic_case_result *cr = &r->cs[e->case_index];
        char what[96];
        struct fy_node *m = jw_map(w);
        outage_name(f, &e->out, what, sizeof what);
        jw_put(w, m, "class", jw_str(w, c->name));
        jw_put(w, m, "kind", jw_str(w, cp_rel_kind_key(c->kind)));
        jw_put(w, m, "takes_out", jw_str(w, what));
        jw_put(w, m, "hours", jw_num(w, e->hours));
        jw_put(w, m, "partitioned", jw_bool(w, cr->partitioned));
        jw_put(w, m, "step_s", jw_num(w, cr->step_s));
        jw_put(w, m, "slowdown", jw_num(w, cr->partitioned ? INFINITY : cr->slowdown));
        jw_put(w, m, "slowed_gpu_h_per_event",
               jw_num(w, cr->partitioned ? NAN : event_gpu_h(r, e)));
        jw_push(w, seq, m);
    }
    return seq;
}

/* one fabric's run: fabric, job, cases */
static struct fy_node *run_json(jw *wp, const cp_fabric_spec *f, const cp_traffic_spec *t,
                                const cp_traffic_result *r)
{
    jw w = *wp;
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
    wp->failed |= w.failed;
    return root;
}

int cp_report_traffic_json(FILE *out, const cp_fabric_spec *f, const cp_traffic_spec *t,
                           const cp_traffic_result *r, const cp_rel_spec *rel,
                           const cp_traffic_event *ev, size_t nev)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = run_json(&w, f, t, r);
    if (ev && rel)
        jw_put(&w, root, "events", events_json(&w, f, rel, ev, nev, r));
    return jw_emit(&w, root, out);
}

/* the case of that name in r, or NULL */
static const cp_traffic_case_result *case_named(const cp_traffic_result *r, const char *name)
{
    for (size_t c = 0; c < r->ncases; c++)
        if (strcmp(r->cs[c].name, name) == 0)
            return &r->cs[c];
    return NULL;
}

/* true when no earlier fabric (or earlier case of this one) has the name */
static bool first_of(const cp_traffic_result *const *r, size_t i, size_t c)
{
    for (size_t j = 0; j <= i; j++)
        for (size_t k = 0; k < (j == i ? c : r[j]->ncases); k++)
            if (strcmp(r[j]->cs[k].name, r[i]->cs[c].name) == 0)
                return false;
    return true;
}

void cp_report_traffic_compare(FILE *out, const cp_fabric_spec *const *f,
                               const cp_traffic_spec *const *t,
                               const cp_traffic_result *const *r, size_t n)
{
    fprintf(out, "Step time (s) and slowdown of each fabric's traffic job, by case:\n");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %c: %s: %s of %g MB over %.0f GPUs (%s); non-blocking %.6f s\n",
                (int)('A' + i % 26), f[i]->name, cp_collective_key(t[i]->collective),
                t[i]->message_bytes / 1e6, r[i]->gpus,
                t[i]->placement == CP_PLACE_SCATTERED ? "scattered" : "contiguous",
                r[i]->ideal_s);
    fprintf(out, "\n  %-34s", "case");
    for (size_t i = 0; i < n; i++)
        fprintf(out, " %12c %8s", (int)('A' + i % 26), "slowdown");
    fputc('\n', out);
    for (size_t i = 0; i < n; i++)
        for (size_t c = 0; c < r[i]->ncases; c++) {
            if (!first_of(r, i, c))
                continue;
            fprintf(out, "  %-34.34s", r[i]->cs[c].name);
            for (size_t j = 0; j < n; j++) {
                const cp_traffic_case_result *x = case_named(r[j], r[i]->cs[c].name);
                if (!x)
                    fprintf(out, " %12s %8s", "-", "-");
                else if (x->partitioned)
                    fprintf(out, " %12s %8s", "partitioned", "-");
                else
                    fprintf(out, " %12.6f %8.4f", x->step_s, x->slowdown);
            }
            fputc('\n', out);
        }
}

int cp_report_traffic_compare_json(FILE *out, const cp_fabric_spec *const *f,
                                   const cp_traffic_spec *const *t,
                                   const cp_traffic_result *const *r, size_t n)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = jw_map(&w), *seq = jw_seq(&w);
    for (size_t i = 0; i < n; i++)
        jw_push(&w, seq, run_json(&w, f[i], t[i], r[i]));
    jw_put(&w, root, "fabrics", seq);
    return jw_emit(&w, root, out);
}
