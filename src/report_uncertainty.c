/*
 * report_uncertainty.c — the TCO answer as a probability (table and JSON),
 * and the break-even map as CSV.  Formatting only: every figure comes from
 * cp_tco_uncertainty or cp_tco_map_eval.
 */
#include "internal.h"
#include "json_writer.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* drivers listed for each workload after the first (JSON has them all) */
#define DRIVERS_SHOWN 8

static const char *design_name(cp_unc_design d)
{
    static const char *const n[] = {"Latin hypercube", "Sobol sequence", "plain Monte Carlo",
                                    "Saltelli design"};
    return d <= CP_UNC_SALTELLI ? n[d] : "?";
}

static const char *design_key(cp_unc_design d)
{
    static const char *const n[] = {"lhs", "sobol", "random", "saltelli"};
    return d <= CP_UNC_SALTELLI ? n[d] : "?";
}

/* "triangular 1000 / 1500 / 2000", "lognormal median 300, EF 5", ... */
static void describe(const cp_dist *d, char *buf, size_t len)
{
    switch (d->kind) {
    case CP_DIST_TRIANGULAR:
        snprintf(buf, len, "triangular %g / %g / %g", d->lo, d->value, d->hi);
        return;
    case CP_DIST_UNIFORM:
    case CP_DIST_LOGUNIFORM:
        snprintf(buf, len, "%s %g .. %g", cp_dist_name(d->kind), d->lo, d->hi);
        return;
    case CP_DIST_LOGNORMAL:
        snprintf(buf, len, "lognormal median %g, EF %g", d->value, d->error_factor);
        return;
    case CP_DIST_NORMAL:
        snprintf(buf, len, "normal %g, sd %g", d->value, d->sd);
        return;
    default:
        snprintf(buf, len, "fixed %g", d->value);
    }
}

static size_t shared(const cp_unc_result *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->inputs.n; i++)
        n += r->in_a[i] && r->in_b[i];
    return n;
}

static void output_table(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                         const cp_unc_result *r, const cp_unc_output *o, size_t max)
{
    fprintf(f, "\n  P(%s wins)  %.4f   (95 %% interval %.4f .. %.4f, Wilson: sampling "
               "error of %zu runs)\n", b->fabric.name, o->p_b_wins, o->p_lo, o->p_hi,
            r->opts.design == CP_UNC_SALTELLI ? 2 * r->opts.samples : r->runs);
    fprintf(f, "  %s B - A ($M):  point %+.1f   mean %+.1f   P5 %+.1f   P50 %+.1f   "
               "P95 %+.1f   (min %+.1f, max %+.1f)\n", o->name, o->point / 1e6, o->mean / 1e6,
            o->p5 / 1e6, o->p50 / 1e6, o->p95 / 1e6, o->min / 1e6, o->max / 1e6);
    fprintf(f, "\nDrivers of B - A (Spearman rank correlation; > 0: a higher value favours "
               "%s):\n  %-30s %6s", a->fabric.name, "input", "rho");
    if (o->sobol)
        fprintf(f, " %6s %6s", "S1", "ST");
    fprintf(f, "  %-4s %-36s %s\n", "in", "range", "reason");
    size_t shown = r->inputs.n < max ? r->inputs.n : max;
    for (size_t k = 0; k < shown; k++) {
        size_t i = o->order[k];
        const cp_unc_input *in = &r->inputs.in[i];
        char d[96];
        describe(&in->dist, d, sizeof d);
        fprintf(f, "  %-30s %+6.3f", in->name, isnan(o->rho[i]) ? 0 : o->rho[i]);
        if (o->sobol)
            fprintf(f, " %6.3f %6.3f", o->s1[i], o->st[i]);
        fprintf(f, "  %-4s %-36s %.60s%s\n", r->in_a[i] && r->in_b[i] ? "A,B"
                                             : r->in_a[i]             ? "A"
                                                                      : "B",
                d, in->why, strlen(in->why) > 60 ? "..." : "");
    }
}

/* the profile of workload `name` of case c, or "" */
static const char *profile_of(const cp_tco_case *c, const char *name)
{
    for (size_t k = 0; k < c->in.nworkloads; k++)
        if (strcmp(c->in.workload[k].name, name) == 0)
            return cp_profile_key(c->in.workload[k].profile);
    return "";
}

/* one line per workload: who wins, how likely, the spread, the top driver */
static void workload_table(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                           const cp_unc_result *r)
{
    fprintf(f, "\nBy workload (B = %s; B - A in $M; driver: largest |Spearman rho|):\n",
            b->fabric.name);
    fprintf(f, "  %-12s %-10s %9s %9s %17s %9s %9s %9s  %s\n", "workload", "profile", "point",
            "P(B wins)", "95 % interval", "P5", "P50", "P95", "top driver (rho)");
    for (size_t i = 0; i < r->noutputs; i++) {
        const cp_unc_output *o = &r->out[i];
        char drv[96] = "-";
        if (r->inputs.n && !isnan(o->rho[o->order[0]]))
            snprintf(drv, sizeof drv, "%s (%+.2f)", r->inputs.in[o->order[0]].name,
                     o->rho[o->order[0]]);
        fprintf(f, "  %-12s %-10s %+9.1f %9.4f   %6.4f .. %6.4f %+9.1f %+9.1f %+9.1f  %s\n",
                o->name, profile_of(a, o->name), o->point / 1e6, o->p_b_wins, o->p_lo, o->p_hi,
                o->p5 / 1e6, o->p50 / 1e6, o->p95 / 1e6, drv);
    }
}

int cp_report_uncertainty(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                          const cp_unc_result *r)
{
    fprintf(f, "\nUncertainty: %zu samples, %s", r->opts.samples, design_name(r->opts.design));
    if (r->opts.design == CP_UNC_LHS || r->opts.design == CP_UNC_RANDOM)
        fprintf(f, " (seed %lu)", r->opts.seed);
    fprintf(f, ", %zu uncertain inputs (%zu in both options: the same value in both), "
               "%zu model runs per option%s\n", r->inputs.n, shared(r), r->runs,
            r->noutputs > 1 ? " and workload" : "");
    if (r->inputs.n == 0)
        fprintf(f, "  no figure the options use carries a range: every run is the point "
                   "answer\n");
    if (r->noutputs > 1)
        workload_table(f, a, b, r);
    for (size_t i = 0; i < r->noutputs; i++) {
        if (r->noutputs > 1)
            fprintf(f, "\nWorkload %s (%s):", r->out[i].name, profile_of(a, r->out[i].name));
        output_table(f, a, b, r, &r->out[i], i == 0 ? r->inputs.n : DRIVERS_SHOWN);
        if (i > 0 && r->inputs.n > DRIVERS_SHOWN)
            fprintf(f, "  ... %zu more (all in --json)\n", r->inputs.n - DRIVERS_SHOWN);
    }
    return ferror(f) ? -1 : 0;
}

static struct fy_node *input_json(jw *w, const cp_unc_result *r, const cp_unc_output *o,
                                  size_t i)
{
    const cp_unc_input *in = &r->inputs.in[i];
    struct fy_node *m = jw_map(w);
    double lo, hi;
    cp_dist_ends(&in->dist, &lo, &hi);
    jw_put(w, m, "input", jw_str(w, in->name));
    jw_put(w, m, "spearman", jw_num(w, o->rho[i]));
    if (o->sobol) {
        jw_put(w, m, "sobol_first", jw_num(w, o->s1[i]));
        jw_put(w, m, "sobol_total", jw_num(w, o->st[i]));
    }
    jw_put(w, m, "dist", jw_str(w, cp_dist_name(in->dist.kind)));
    jw_put(w, m, "value", jw_num(w, in->dist.value));
    jw_put(w, m, "low", jw_num(w, lo));
    jw_put(w, m, "high", jw_num(w, hi));
    if (in->dist.kind == CP_DIST_LOGNORMAL)
        jw_put(w, m, "error_factor", jw_num(w, in->dist.error_factor));
    if (in->dist.kind == CP_DIST_NORMAL)
        jw_put(w, m, "sd", jw_num(w, in->dist.sd));
    jw_put(w, m, "reason", jw_str(w, in->why));
    char at[CP_TEXT_MAX + 32];
    snprintf(at, sizeof at, "%s:%d:%d", in->file, in->line, in->col);
    jw_put(w, m, "where", jw_str(w, at));
    jw_put(w, m, "in_a", jw_bool(w, r->in_a[i]));
    jw_put(w, m, "in_b", jw_bool(w, r->in_b[i]));
    return m;
}

struct fy_node *cp_unc_json(jw *w, const cp_tco_case *a, const cp_tco_case *b,
                            const cp_unc_result *r)
{
    struct fy_node *root = jw_map(w), *outs = jw_seq(w);
    jw_put(w, root, "a", jw_str(w, a->fabric.name));
    jw_put(w, root, "b", jw_str(w, b->fabric.name));
    jw_put(w, root, "samples", jw_num(w, (double)r->opts.samples));
    jw_put(w, root, "design", jw_str(w, design_key(r->opts.design)));
    jw_put(w, root, "seed", jw_num(w, (double)r->opts.seed));
    jw_put(w, root, "runs_per_option", jw_num(w, (double)r->runs));
    jw_put(w, root, "inputs", jw_num(w, (double)r->inputs.n));
    for (size_t k = 0; k < r->noutputs; k++) {
        const cp_unc_output *o = &r->out[k];
        struct fy_node *m = jw_map(w), *drivers = jw_seq(w);
        jw_put(w, m, "output", jw_str(w, o->name));
        if (*profile_of(a, o->name))
            jw_put(w, m, "profile", jw_str(w, profile_of(a, o->name)));
        jw_put(w, m, "point_difference_usd", jw_num(w, o->point));
        jw_put(w, m, "p_b_wins", jw_num(w, o->p_b_wins));
        jw_put(w, m, "p_b_wins_low", jw_num(w, o->p_lo));
        jw_put(w, m, "p_b_wins_high", jw_num(w, o->p_hi));
        jw_put(w, m, "mean_usd", jw_num(w, o->mean));
        jw_put(w, m, "p5_usd", jw_num(w, o->p5));
        jw_put(w, m, "p50_usd", jw_num(w, o->p50));
        jw_put(w, m, "p95_usd", jw_num(w, o->p95));
        jw_put(w, m, "min_usd", jw_num(w, o->min));
        jw_put(w, m, "max_usd", jw_num(w, o->max));
        for (size_t i = 0; i < r->inputs.n; i++)
            jw_push(w, drivers, input_json(w, r, o, o->order[i]));
        jw_put(w, m, "drivers", drivers);
        jw_push(w, outs, m);
    }
    jw_put(w, root, "outputs", outs);
    return root;
}

int cp_report_tco_map_csv(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                          const cp_tco_map *m)
{
    cp_csv_field(f, m->x.name);
    fputc(',', f);
    cp_csv_field(f, m->y.name);
    fputs(",difference_usd,winner\n", f);
    for (size_t j = 0; j < m->ny; j++)
        for (size_t i = 0; i < m->nx; i++) {
            double d = m->diff[j * m->nx + i];
            fprintf(f, "%.17g,%.17g,%.17g,", m->xv[i], m->yv[j], d);
            cp_csv_field(f, d < 0 ? b->fabric.name : d > 0 ? a->fabric.name : "");
            fputc('\n', f);
        }
    return ferror(f) ? -1 : 0;
}
