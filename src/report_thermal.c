/*
 * report_thermal.c — thermal results: the per-block table for a terminal
 * and the JSON object.  Formatting only.
 */
#include "json_writer.h"

#include <math.h>
#include <stdio.h>

static const char *src_name(cp_power_src s)
{
    static const char *const names[] = {"fixed", "asic", "serdes", "engine", "laser"};
    return names[s];
}

void cp_report_thermal(FILE *f, const cp_thermal_spec *t, const cp_thermal_result *r,
                       size_t unknowns)
{
    fprintf(f, "Package %.1f x %.1f mm, grid %d x %d x %d cells in %zu layers "
               "(%zu unknowns, %s, smallest cell %.3g mm), solver %s\n",
            t->size_x_m * 1e3, t->size_y_m * 1e3, r->grid_nx, r->grid_ny, r->grid_nz,
            t->nlayers, unknowns, t->refine ? "refined at block edges" : "uniform",
            r->min_cell_m * 1e3, r->solver ? r->solver : "?");
    fprintf(f, "Cooling: top h %.4g W/m2K at %.1f C, bottom h %.4g W/m2K at %.1f C\n",
            t->top.h_w_per_m2k, t->top.ambient_c, t->bottom.h_w_per_m2k,
            t->bottom.ambient_c);
    if (t->coolant.flow_m3_per_s > 0)
        fprintf(f, "Coolant: %s at %.3g L/min along +%c, inlet %.1f C, outlet %.2f C "
                   "(rise %.2f K)\n", t->coolant.fluid.name,
                t->coolant.flow_m3_per_s * 60e3, t->coolant.axis ? 'y' : 'x',
                t->top.ambient_c, r->coolant_outlet_c, r->coolant_rise_k);
    fputc('\n', f);
    fprintf(f, "  %-12s %-7s %-9s %-7s %8s %9s %8s %8s %7s %8s  %s\n", "block", "kind",
            "layer", "power", "W", "W/cm2", "Tmax C", "Tmean C", "limit", "margin", "");
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        const cp_block_temp *x = &r->block[b];
        char lim[16] = "-", mgn[16] = "-";
        if (B->limit_c > 0) {
            snprintf(lim, sizeof lim, "%.0f", B->limit_c);
            snprintf(mgn, sizeof mgn, "%+.1f", x->margin_k);
        }
        fprintf(f, "  %-12s %-7s %-9s %-7s %8.2f %9.2f %8.2f %8.2f %7s %8s  %s\n", B->name,
                B->kind, t->layer[B->layer].name, src_name(B->src), x->power_w,
                x->flux_w_per_cm2, x->max_c, x->mean_c, lim, mgn,
                B->limit_c > 0 ? (x->pass ? "pass" : "FAIL") : "");
    }
    double out = r->heat_out_top_w + r->heat_out_bottom_w;
    fprintf(f, "\nHottest point (cell or heated face) %.2f C.  Heat in %.3f W, out %.3f W "
               "(top %.3f, bottom %.3f); balance %.2e relative\n",
            r->max_c, r->total_power_w, out, r->heat_out_top_w, r->heat_out_bottom_w,
            r->total_power_w > 0 ? fabs(out - r->total_power_w) / r->total_power_w : 0);
    if (t->coupled)
        fprintf(f, "Electro-thermal: %d iteration(s), %s; ASIC %.1f W (with leakage), "
                   "engines %.1f W, on-package lasers %.1f W\n",
                r->iterations, r->runaway ? "THERMAL RUNAWAY" :
                r->converged ? "converged" : "NOT converged",
                r->asic_w, r->engines_w, r->lasers_w);
    fprintf(f, "Set-up %.3f s, solve %.3f s (%d PCG iterations in the last solve)\n",
            r->setup_s, r->solve_s, r->linear_iterations);
    if (r->runaway)
        fprintf(f, "\n! thermal runaway: power rises with temperature faster than the "
                   "cooling removes it (leakage or laser efficiency); no steady state\n");
    for (size_t b = 0; b < t->nblocks; b++)
        if (!r->block[b].pass)
            fprintf(f, "! %s exceeds its %.0f C limit by %.1f K\n", t->block[b].name,
                    t->block[b].limit_c, -r->block[b].margin_k);
}

int cp_report_thermal_json(FILE *f, const cp_design *d, const cp_thermal_spec *t,
                           const cp_thermal_result *r, size_t unknowns)
{
    jw w = {fy_document_create(NULL), 0};
    if (!w.doc)
        return -1;
    struct fy_node *root = jw_map(&w), *blocks = jw_seq(&w);
    jw_put(&w, root, "name", jw_str(&w, d->name));
    jw_put(&w, root, "unknowns", jw_num(&w, (double)unknowns));
    jw_put(&w, root, "grid_nx", jw_num(&w, r->grid_nx));
    jw_put(&w, root, "grid_ny", jw_num(&w, r->grid_ny));
    jw_put(&w, root, "grid_nz", jw_num(&w, r->grid_nz));
    jw_put(&w, root, "min_cell_mm", jw_num(&w, r->min_cell_m * 1e3));
    if (t->coolant.flow_m3_per_s > 0) {
        jw_put(&w, root, "coolant_outlet_c", jw_num(&w, r->coolant_outlet_c));
        jw_put(&w, root, "coolant_rise_k", jw_num(&w, r->coolant_rise_k));
    }
    jw_put(&w, root, "solver", jw_str(&w, r->solver ? r->solver : ""));
    jw_put(&w, root, "max_c", jw_num(&w, r->max_c));
    jw_put(&w, root, "worst_margin_k", jw_num(&w, r->worst_margin_k));
    jw_put(&w, root, "total_power_w", jw_num(&w, r->total_power_w));
    jw_put(&w, root, "heat_out_w", jw_num(&w, r->heat_out_top_w + r->heat_out_bottom_w));
    jw_put(&w, root, "iterations", jw_num(&w, r->iterations));
    jw_put(&w, root, "converged", jw_bool(&w, r->converged));
    jw_put(&w, root, "runaway", jw_bool(&w, r->runaway));
    jw_put(&w, root, "solve_s", jw_num(&w, r->solve_s));
    for (size_t b = 0; b < t->nblocks; b++) {
        struct fy_node *m = jw_map(&w);
        const cp_block_temp *x = &r->block[b];
        jw_put(&w, m, "name", jw_str(&w, t->block[b].name));
        jw_put(&w, m, "kind", jw_str(&w, t->block[b].kind));
        jw_put(&w, m, "layer", jw_str(&w, t->layer[t->block[b].layer].name));
        jw_put(&w, m, "power_w", jw_num(&w, x->power_w));
        jw_put(&w, m, "flux_w_per_cm2", jw_num(&w, x->flux_w_per_cm2));
        jw_put(&w, m, "max_c", jw_num(&w, x->max_c));
        jw_put(&w, m, "mean_c", jw_num(&w, x->mean_c));
        jw_put(&w, m, "limit_c", jw_num(&w, t->block[b].limit_c > 0 ? t->block[b].limit_c : NAN));
        jw_put(&w, m, "margin_k", jw_num(&w, x->margin_k));
        jw_put(&w, m, "pass", jw_bool(&w, x->pass));
        jw_push(&w, blocks, m);
    }
    jw_put(&w, root, "blocks", blocks);
    return jw_emit(&w, root, f);
}
