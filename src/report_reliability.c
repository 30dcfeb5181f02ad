/*
 * report_reliability.c — fleet reliability and TCO: tables and JSON.
 */
#include "json_writer.h"

#include <math.h>
#include <stdio.h>

static void row(FILE *f, const char *label, cp_stat s, double scale, const char *unit)
{
    fprintf(f, "  %-34s %14.4g +/- %-10.3g %s\n", label, s.mean * scale, s.ci95 * scale, unit);
}

int cp_report_reliability(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s)
{
    const cp_job *j = &rel->job;
    char cost[64] = "", jobs[96];
    if (j->checkpoint_cost_h > 0)
        snprintf(cost, sizeof cost, ", %.3g min to write", j->checkpoint_cost_h * 60);
    if (j->nsizes)
        snprintf(jobs, sizeof jobs, "%zu job sizes, %s", j->nsizes,
                 j->placement == CP_PLACE_SCATTERED ? "scattered" : "contiguous");
    else
        snprintf(jobs, sizeof jobs, "one job of %g GPUs", j->gpus > 0 ? j->gpus : j->cluster_gpus);
    fprintf(f, "%s: %g replicas x %g years, %s workload '%s' (%s; %g spare GPUs; checkpoint "
               "every %.0f min%s%s, restart %.0f min), %g technicians\n\n",
            rel->name, s->replicas, rel->years, cp_profile_key(j->profile), j->name, jobs,
            j->spare_gpus, j->checkpoint_h * 60, j->checkpoint_auto ? " (optimum of the largest job)" : "",
            cost, j->restart_h * 60, rel->svc.technicians);
    fprintf(f, "  %-28s %12s %10s %12s %14s  %s\n", "component class", "units", "FIT",
            "failures", "per year", "strikes");
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        char slow[48] = ""; /* path_faults: slowdown: what the traffic model gave it */
        if (j->path_slowdown && j->profile == CP_PROFILE_TRAINING && c->slowdown >= 1)
            snprintf(slow, sizeof slow, isfinite(c->slowdown) ? ", slows x%.4f"
                                                              : ", partitions", c->slowdown);
        fprintf(f, "  %-28.28s %12.0f %10.1f %12.1f %14.2f  %s%s%s\n", c->name, c->units,
                c->fail_per_h * 1e9, s->failures[k].mean, s->failures[k].mean / rel->years,
                cp_rel_scope_key(c->scope), c->spares > 0 ? " (spares)" : "", slow);
    }
    fprintf(f, "\n  %-34s %14s     %-10s\n", "", "mean", "95 % CI");
    row(f, "failures per year", s->failures_per_year, 1, "");
    row(f, "job interruptions", s->interruptions, 1, "over the life");
    row(f, "job interruptions per day", s->interruptions_per_day, 1, "");
    row(f, "drains for a switch replacement", s->drains, 1, "over the life");
    row(f, "stops without enough spare GPUs", s->spare_waits, 1, "waited for the repair");
    if (j->profile == CP_PROFILE_CLOUD)
        row(f, "GPU-hours degraded (weighted)", s->degraded_gpu_h, 1, "over the life");
    row(f, "GPU-hours lost per year", s->lost_gpu_h_per_year, 1, "restarts + stranded");
    row(f, "GPU-hours stranded (life)", s->stranded_gpu_h, 1, "cut off until repaired");
    row(f, "goodput (useful GPU-hours)", s->goodput, 100, "%");
    row(f, "link-hours down", s->link_down_h, 1, "");
    row(f, "switch port-hours drained", s->port_drain_h, 1, "");
    row(f, "service cost per year", s->service_usd_per_year, 1, "$");
    row(f, "GPU idle cost over the life", s->gpu_idle_usd, 1, "$");
    row(f, "technician utilisation", s->tech_utilization, 100, "%");
    row(f, "wait for a technician", s->queue_wait_h, 1, "h in total");
    fprintf(f, "\n  year   failures      interruptions   service $   GPU-hours lost\n");
    for (int y = 0; y < CP_MAX_YEARS && y < (int)ceil(rel->years); y++)
        fprintf(f, "  %4d %10.1f %18.2f %14.0f %16.4g\n", y + 1, s->year_failures[y].mean,
                s->year_interruptions[y].mean, s->year_service_usd[y].mean,
                s->year_lost_gpu_h[y].mean);
    return ferror(f) ? -1 : 0;
}

static void stat_put(jw *w, struct fy_node *m, const char *key, cp_stat s)
{
    struct fy_node *x = jw_map(w);
    jw_put(w, x, "mean", jw_num(w, s.mean));
    jw_put(w, x, "ci95", jw_num(w, s.ci95));
    jw_put(w, m, key, x);
}

int cp_report_reliability_json(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = jw_map(&w), *cls = jw_seq(&w), *years = jw_seq(&w);
    jw_put(&w, root, "name", jw_str(&w, rel->name));
    jw_put(&w, root, "replicas", jw_num(&w, s->replicas));
    jw_put(&w, root, "years", jw_num(&w, rel->years));
    jw_put(&w, root, "checkpoint_min", jw_num(&w, rel->job.checkpoint_h * 60));
    jw_put(&w, root, "checkpoint_cost_min", jw_num(&w, rel->job.checkpoint_cost_h * 60));
    jw_put(&w, root, "checkpoint_optimum", jw_bool(&w, rel->job.checkpoint_auto));
    jw_put(&w, root, "workload", jw_str(&w, rel->job.name));
    jw_put(&w, root, "profile", jw_str(&w, cp_profile_key(rel->job.profile)));
    jw_put(&w, root, "spare_gpus", jw_num(&w, rel->job.spare_gpus));
    for (size_t k = 0; k < rel->nclasses; k++) {
        struct fy_node *c = jw_map(&w);
        jw_put(&w, c, "name", jw_str(&w, rel->cls[k].name));
        jw_put(&w, c, "kind", jw_str(&w, cp_rel_kind_key(rel->cls[k].kind)));
        jw_put(&w, c, "units", jw_num(&w, rel->cls[k].units));
        jw_put(&w, c, "fit", jw_num(&w, rel->cls[k].fail_per_h * 1e9));
        jw_put(&w, c, "scope", jw_str(&w, cp_rel_scope_key(rel->cls[k].scope)));
        stat_put(&w, c, "failures", s->failures[k]);
        jw_push(&w, cls, c);
    }
    jw_put(&w, root, "classes", cls);
    stat_put(&w, root, "failures_per_year", s->failures_per_year);
    stat_put(&w, root, "interruptions", s->interruptions);
    stat_put(&w, root, "interruptions_per_day", s->interruptions_per_day);
    stat_put(&w, root, "drains", s->drains);
    stat_put(&w, root, "spare_waits", s->spare_waits);
    stat_put(&w, root, "degraded_gpu_h", s->degraded_gpu_h);
    stat_put(&w, root, "lost_gpu_h_per_year", s->lost_gpu_h_per_year);
    stat_put(&w, root, "stranded_gpu_h", s->stranded_gpu_h);
    stat_put(&w, root, "goodput", s->goodput);
    stat_put(&w, root, "link_down_h", s->link_down_h);
    stat_put(&w, root, "service_usd_per_year", s->service_usd_per_year);
    stat_put(&w, root, "gpu_idle_usd", s->gpu_idle_usd);
    for (int y = 0; y < CP_MAX_YEARS && y < (int)ceil(rel->years); y++) {
        struct fy_node *m = jw_map(&w);
        jw_put(&w, m, "year", jw_num(&w, y + 1));
        stat_put(&w, m, "failures", s->year_failures[y]);
        stat_put(&w, m, "interruptions", s->year_interruptions[y]);
        stat_put(&w, m, "service_usd", s->year_service_usd[y]);
        stat_put(&w, m, "lost_gpu_h", s->year_lost_gpu_h[y]);
        jw_push(&w, years, m);
    }
    jw_put(&w, root, "timeline", years);
    int rc = jw_emit(&w, root, f);
    return rc || ferror(f) ? -1 : 0;
}

static void money(FILE *f, const char *label, double a, double b)
{
    fprintf(f, "  %-32s %16.0f %16.0f %+16.0f\n", label, a, b, b - a);
}

/* the break-even lines: a root, or "no flip" with the range searched */
/* year by year: interruptions, GPU-hours lost, goodput (expected values) */
static struct fy_node *timeline_json(jw *w, const cp_tco *t)
{
    struct fy_node *s = jw_seq(w);
    for (size_t y = 0; y < t->nyears; y++) {
        struct fy_node *m = jw_map(w);
        jw_put(w, m, "year", jw_num(w, (double)(y + 1)));
        jw_put(w, m, "interruptions", jw_num(w, t->year_interruptions[y]));
        jw_put(w, m, "lost_gpu_h", jw_num(w, t->year_lost_gpu_h[y]));
        jw_put(w, m, "goodput", jw_num(w, t->year_goodput[y]));
        jw_push(w, s, m);
    }
    return s;
}

static void timeline_table(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                           const cp_tco_findings *x)
{
    fprintf(f, "\nPer year, by workload (expected values; A = %s, B = %s):\n", a->fabric.name,
            b->fabric.name);
    fprintf(f, "  %-14s %4s %12s %12s %14s %14s %9s %9s\n", "workload", "year",
            "interr. A", "interr. B", "GPU-h lost A", "GPU-h lost B", "goodput A",
            "goodput B");
    for (size_t k = 0; k < x->nworkloads; k++)
        for (size_t y = 0; y < x->workload_tco[k][0].nyears; y++) {
            const cp_tco *ta = &x->workload_tco[k][0], *tb = &x->workload_tco[k][1];
            fprintf(f, "  %-14s %4zu %12.1f %12.1f %14.4g %14.4g %8.3f%% %8.3f%%\n",
                    y ? "" : x->workload[k], y + 1, ta->year_interruptions[y],
                    tb->year_interruptions[y], ta->year_lost_gpu_h[y], tb->year_lost_gpu_h[y],
                    100 * ta->year_goodput[y], 100 * tb->year_goodput[y]);
        }
}

static void flips(FILE *f, const cp_tco_findings *x)
{
    fprintf(f, "\nWhere the answer flips (all else as above):\n");
    for (int i = 0; i < CP_TCO_FLIPS; i++) {
        char now[32] = "-";
        if (!isnan(x->now[i]))
            snprintf(now, sizeof now, "%.4g", x->now[i]);
        if (x->flips[i])
            fprintf(f, "  %-34s %12.4g   (now %s)\n", cp_tco_param_name(x->param[i]),
                    x->root[i], now);
        else
            fprintf(f, "  %-34s %12s   (now %s; no flip in [%g, %g])\n",
                    cp_tco_param_name(x->param[i]), "-", now, x->lo[i], x->hi[i]);
    }
}

int cp_report_tco(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                  const cp_tco *tb, const cp_tco_findings *x)
{
    fprintf(f, "TCO over %g years at %.0f %% discount: %s (A) vs %s (B), US$\n\n",
            a->rel.years, 100 * a->eco.discount_rate, a->fabric.name, b->fabric.name);
    fprintf(f, "  %-32s %16s %16s %16s\n", "", "A", "B", "B - A");
    money(f, "switches", ta->capex_switches, tb->capex_switches);
    money(f, "transceivers", ta->capex_optics, tb->capex_optics);
    money(f, "laser modules (ELS)", ta->capex_lasers, tb->capex_lasers);
    money(f, "cabling", ta->capex_cabling, tb->capex_cabling);
    money(f, "spares", ta->capex_spares, tb->capex_spares);
    money(f, "capex", ta->capex, tb->capex);
    money(f, "energy (discounted)", ta->energy_usd, tb->energy_usd);
    money(f, "service (discounted)", ta->service_usd, tb->service_usd);
    money(f, "GPU idle from failures (disc.)", ta->gpu_idle_usd, tb->gpu_idle_usd);
    money(f, "total", ta->total_usd, tb->total_usd);
    fprintf(f, "\n  network energy per year (MWh)  %16.0f %16.0f\n", ta->energy_kwh_per_year / 1e3,
            tb->energy_kwh_per_year / 1e3);
    fprintf(f, "  carbon over the life (t CO2e)  %16.0f %16.0f\n", ta->carbon_t, tb->carbon_t);
    fprintf(f, "  job interruptions per year     %16.1f %16.1f\n", ta->interruptions_per_year,
            tb->interruptions_per_year);
    fprintf(f, "  GPU-hours lost per year        %16.0f %16.0f\n", ta->lost_gpu_h_per_year,
            tb->lost_gpu_h_per_year);
    if (x->simulated)
        fprintf(f, "  total with simulated failures  %16.0f %16.0f   (+/- %.0f, %.0f: 95 %% CI "
                   "of %g replicas)\n", x->sim_total[0].mean, x->sim_total[1].mean,
                x->sim_total[0].ci95, x->sim_total[1].ci95, x->replicas);
    fprintf(f, "\nFailures: expected values of the simulation's renewal model%s (no crew "
               "queueing).\n", x->weibull ? ", Weibull shapes included" : ", constant rates");
    double d = tb->total_usd - ta->total_usd;
    if (d == 0)
        fprintf(f, "\nNo winner over %g years: the totals are equal\n", a->rel.years);
    else
        fprintf(f, "\nWinner over %g years: %s, by $%.1f M (%.1f %% of the loser's TCO)\n",
                a->rel.years, d < 0 ? b->fabric.name : a->fabric.name, fabs(d) / 1e6,
                100 * fabs(d) / fmax(ta->total_usd, tb->total_usd));
    if (x->nworkloads > 1) {
        fprintf(f, "\nBy workload (the same failures priced for what the cluster runs):\n");
        fprintf(f, "  %-14s %-10s %16s %16s %16s  %s\n", "workload", "profile", "A", "B",
                "B - A", "winner");
        for (size_t k = 0; k < x->nworkloads; k++) {
            double wa = x->workload_tco[k][0].total_usd, wb = x->workload_tco[k][1].total_usd;
            fprintf(f, "  %-14s %-10s %16.0f %16.0f %+16.0f  %s\n", x->workload[k],
                    cp_profile_key(x->profile[k]), wa, wb, wb - wa,
                    wb < wa ? b->fabric.name : wa < wb ? a->fabric.name : "equal");
        }
        timeline_table(f, a, b, x);
    }
    flips(f, x);
    fprintf(f, "\nSensitivity (TCO B - A in $M at each end; negative favours B):\n");
    for (size_t i = 0; i < x->nbars; i++) {
        const cp_tornado_bar *t = &x->bars[i];
        fprintf(f, "  %-34s %10.4g -> %+9.2f   %10.4g -> %+9.2f\n", t->input,
                t->low_value, t->low_delta / 1e6, t->high_value, t->high_delta / 1e6);
    }
    return ferror(f) ? -1 : 0;
}

int cp_report_tco_json(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                       const cp_tco *tb, const cp_tco_findings *x, const cp_unc_result *u)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = jw_map(&w), *opts = jw_seq(&w), *flips = jw_seq(&w),
                   *bars = jw_seq(&w);
    const cp_tco *t[2] = {ta, tb};
    const cp_tco_case *c[2] = {a, b};
    for (int i = 0; i < 2; i++) {
        struct fy_node *m = jw_map(&w);
        jw_put(&w, m, "name", jw_str(&w, c[i]->fabric.name));
        jw_put(&w, m, "capex_usd", jw_num(&w, t[i]->capex));
        jw_put(&w, m, "energy_usd", jw_num(&w, t[i]->energy_usd));
        jw_put(&w, m, "service_usd", jw_num(&w, t[i]->service_usd));
        jw_put(&w, m, "gpu_idle_usd", jw_num(&w, t[i]->gpu_idle_usd));
        jw_put(&w, m, "total_usd", jw_num(&w, t[i]->total_usd));
        jw_put(&w, m, "carbon_t", jw_num(&w, t[i]->carbon_t));
        jw_put(&w, m, "interruptions_per_year", jw_num(&w, t[i]->interruptions_per_year));
        jw_put(&w, m, "timeline", timeline_json(&w, t[i]));
        jw_push(&w, opts, m);
    }
    jw_put(&w, root, "options", opts);
    const char *winner = tb->total_usd < ta->total_usd   ? b->fabric.name
                         : tb->total_usd > ta->total_usd ? a->fabric.name
                                                         : NULL;
    jw_put(&w, root, "winner", winner ? jw_str(&w, winner) : jw_num(&w, NAN));
    struct fy_node *wls = jw_seq(&w);
    for (size_t k = 0; k < x->nworkloads; k++) {
        struct fy_node *m = jw_map(&w);
        double wa = x->workload_tco[k][0].total_usd, wb = x->workload_tco[k][1].total_usd;
        jw_put(&w, m, "workload", jw_str(&w, x->workload[k]));
        jw_put(&w, m, "profile", jw_str(&w, cp_profile_key(x->profile[k])));
        jw_put(&w, m, "total_usd_a", jw_num(&w, wa));
        jw_put(&w, m, "total_usd_b", jw_num(&w, wb));
        jw_put(&w, m, "difference_usd", jw_num(&w, wb - wa));
        jw_put(&w, m, "timeline_a", timeline_json(&w, &x->workload_tco[k][0]));
        jw_put(&w, m, "timeline_b", timeline_json(&w, &x->workload_tco[k][1]));
        jw_push(&w, wls, m);
    }
    jw_put(&w, root, "workloads", wls);
    jw_put(&w, root, "failure_model", jw_str(&w, x->weibull ? "renewal (Weibull)"
                                                            : "renewal (exponential)"));
    if (x->simulated) {
        struct fy_node *sim = jw_map(&w);
        jw_put(&w, sim, "replicas", jw_num(&w, x->replicas));
        stat_put(&w, sim, "total_a_usd", x->sim_total[0]);
        stat_put(&w, sim, "total_b_usd", x->sim_total[1]);
        jw_put(&w, root, "simulated", sim);
    }
    jw_put(&w, root, "difference_usd", jw_num(&w, tb->total_usd - ta->total_usd));
    for (int i = 0; i < CP_TCO_FLIPS; i++) {
        struct fy_node *m = jw_map(&w);
        jw_put(&w, m, "parameter", jw_str(&w, cp_tco_param_name(x->param[i])));
        jw_put(&w, m, "flips", jw_bool(&w, x->flips[i]));
        jw_put(&w, m, "break_even", jw_num(&w, x->flips[i] ? x->root[i] : NAN));
        jw_put(&w, m, "current", jw_num(&w, x->now[i]));
        jw_put(&w, m, "search_low", jw_num(&w, x->lo[i]));
        jw_put(&w, m, "search_high", jw_num(&w, x->hi[i]));
        jw_push(&w, flips, m);
    }
    jw_put(&w, root, "break_even", flips);
    for (size_t i = 0; i < x->nbars; i++) {
        struct fy_node *m = jw_map(&w);
        jw_put(&w, m, "input", jw_str(&w, x->bars[i].input));
        jw_put(&w, m, "low", jw_num(&w, x->bars[i].low_value));
        jw_put(&w, m, "high", jw_num(&w, x->bars[i].high_value));
        jw_put(&w, m, "delta_low_usd", jw_num(&w, x->bars[i].low_delta));
        jw_put(&w, m, "delta_high_usd", jw_num(&w, x->bars[i].high_delta));
        jw_push(&w, bars, m);
    }
    jw_put(&w, root, "tornado", bars);
    if (u)
        jw_put(&w, root, "uncertainty", cp_unc_json(&w, a, b, u));
    int rc = jw_emit(&w, root, f);
    return rc || ferror(f) ? -1 : 0;
}
