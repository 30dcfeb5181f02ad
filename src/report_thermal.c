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
    const cp_boundary *bc[2] = {&t->top, &t->bottom};
    fprintf(f, "Cooling:");
    for (int i = 0; i < 2; i++) {
        if (i == 0 && r->has_sink)
            fprintf(f, " top heat sink at %.1f C", bc[i]->ambient_c);
        else if (bc[i]->h_w_per_m2k > 0)
            fprintf(f, "%s %s h %.4g W/m2K at %.1f C", i ? "," : "", i ? "bottom" : "top",
                    bc[i]->h_w_per_m2k, bc[i]->ambient_c);
        else
            fprintf(f, "%s %s adiabatic", i ? "," : "", i ? "bottom" : "top");
    }
    fputc('\n', f);
    if (t->coolant.flow_m3_per_s > 0)
        fprintf(f, "Coolant: %s at %.3g L/min along +%c, inlet %.1f C, outlet %.2f C "
                   "(rise %.2f K)\n", t->coolant.fluid.name,
                t->coolant.flow_m3_per_s * 60e3, t->coolant.axis ? 'y' : 'x',
                t->top.ambient_c, r->coolant_outlet_c, r->coolant_rise_k);
    if (r->has_sink)
        fprintf(f, "Heat sink: %d fan(s) deliver %.3g m3/min through it at %.4g Pa; sink "
                   "%.4g K/W there (top h %.4g W/m2K), fans %.3g W\n", t->sink.fans,
                r->sink.flow_m3_per_s * 60, r->sink.dp_pa, r->sink.r_k_per_w,
                1.0 / (r->sink.r_k_per_w * t->size_x_m * t->size_y_m), r->sink.fan_w);
    for (size_t i = 0; i < r->ncavities; i++) {
        const cp_cavity_result *cv = &r->cavity[i];
        const cp_channels *c = &t->layer[cv->layer].channels;
        const cp_channel_flow *fl = &cv->flow;
        fprintf(f, "Channels in '%s': %.0f of %.0f x %.0f um every %.0f um along +%c, "
                   "%s %.3g L/min (%.3g m/s, Re %.0f), h %.4g W/m2K (Nu %.2f)\n",
                t->layer[cv->layer].name, fl->channels, c->width_m * 1e6,
                t->layer[cv->layer].thickness_m * 1e6, c->pitch_m * 1e6,
                c->axis ? 'y' : 'x', c->fluid.name, c->flow_m3_per_s * 60e3,
                fl->velocity_m_per_s, fl->reynolds, fl->h_w_per_m2k, fl->nusselt);
        fprintf(f, "  inlet %.1f C, outlet %.2f C (rise %.2f K, %.1f W); pressure drop "
                   "%.3g kPa, pump %.3g W (hydraulic %.3g W)\n",
                c->inlet_c, cv->outlet_c, cv->rise_k, cv->heat_w, fl->dp_pa / 1e3,
                fl->pump_w, fl->hydraulic_w);
    }
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
    double out = r->heat_out_top_w + r->heat_out_bottom_w + r->heat_out_channels_w;
    fprintf(f, "\nHottest point (cell or heated face) %.2f C.  Heat in %.3f W, out %.3f W "
               "(top %.3f, bottom %.3f", r->max_c, r->total_power_w, out, r->heat_out_top_w,
            r->heat_out_bottom_w);
    if (r->ncavities)
        fprintf(f, ", channels %.3f", r->heat_out_channels_w);
    fprintf(f, "); balance %.2e relative\n",
            r->total_power_w > 0 ? fabs(out - r->total_power_w) / r->total_power_w : 0);
    if (r->ncavities || r->has_sink)
        fprintf(f, "Cooling power at the wall: %.3g W (pumps %.3g W, fans %.3g W)\n",
                r->cooling_w, r->pump_w, r->has_sink ? r->sink.fan_w : 0.0);
    if (r->switch_wall_w > 0)
        fprintf(f, "Switch wall power with this cooling: %.1f W (cooling %.1f W: the rest of "
                   "the box at its share + the package's); the design's estimate %.1f W "
                   "(cooling %.1f W)\n", r->switch_wall_w, r->switch_cooling_w,
                r->design_wall_w, r->design_cooling_w);
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
    jw_put(&w, root, "heat_out_w", jw_num(&w, r->heat_out_top_w + r->heat_out_bottom_w +
                                               r->heat_out_channels_w));
    if (r->ncavities) {
        struct fy_node *cav = jw_seq(&w);
        for (size_t i = 0; i < r->ncavities; i++) {
            const cp_cavity_result *cv = &r->cavity[i];
            const cp_channel_flow *fl = &cv->flow;
            struct fy_node *m = jw_map(&w);
            jw_put(&w, m, "layer", jw_str(&w, t->layer[cv->layer].name));
            jw_put(&w, m, "channels", jw_num(&w, fl->channels));
            jw_put(&w, m, "hydraulic_diameter_um", jw_num(&w, fl->hydraulic_diameter_m * 1e6));
            jw_put(&w, m, "velocity_m_per_s", jw_num(&w, fl->velocity_m_per_s));
            jw_put(&w, m, "reynolds", jw_num(&w, fl->reynolds));
            jw_put(&w, m, "nusselt", jw_num(&w, fl->nusselt));
            jw_put(&w, m, "h_w_per_m2k", jw_num(&w, fl->h_w_per_m2k));
            jw_put(&w, m, "inlet_c", jw_num(&w, t->layer[cv->layer].channels.inlet_c));
            jw_put(&w, m, "outlet_c", jw_num(&w, cv->outlet_c));
            jw_put(&w, m, "rise_k", jw_num(&w, cv->rise_k));
            jw_put(&w, m, "heat_w", jw_num(&w, cv->heat_w));
            jw_put(&w, m, "pressure_drop_pa", jw_num(&w, fl->dp_pa));
            jw_put(&w, m, "hydraulic_w", jw_num(&w, fl->hydraulic_w));
            jw_put(&w, m, "pump_w", jw_num(&w, fl->pump_w));
            jw_push(&w, cav, m);
        }
        jw_put(&w, root, "cavities", cav);
        jw_put(&w, root, "pump_w", jw_num(&w, r->pump_w));
    }
    if (r->has_sink) {
        struct fy_node *m = jw_map(&w);
        jw_put(&w, m, "airflow_m3_per_min", jw_num(&w, r->sink.flow_m3_per_s * 60));
        jw_put(&w, m, "pressure_pa", jw_num(&w, r->sink.dp_pa));
        jw_put(&w, m, "resistance_k_per_w", jw_num(&w, r->sink.r_k_per_w));
        jw_put(&w, m, "fan_w", jw_num(&w, r->sink.fan_w));
        jw_put(&w, root, "heat_sink", m);
    }
    if (r->ncavities || r->has_sink)
        jw_put(&w, root, "cooling_w", jw_num(&w, r->cooling_w));
    if (r->switch_wall_w > 0) {
        jw_put(&w, root, "switch_wall_w", jw_num(&w, r->switch_wall_w));
        jw_put(&w, root, "switch_cooling_w", jw_num(&w, r->switch_cooling_w));
        jw_put(&w, root, "design_wall_w", jw_num(&w, r->design_wall_w));
        jw_put(&w, root, "design_cooling_w", jw_num(&w, r->design_cooling_w));
    }
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
