/*
 * unit_cost.c — cost of a good engine, package and switch from part, assembly
 * and test costs and the yields of the process Monte Carlo (src/yield.c).
 *
 * Every started unit is paid for, good or not (a scrapped package loses its
 * ASIC, substrate and every engine on it; nothing is salvaged), so the cost
 * of a good unit is the expected cost of a started one over its yield:
 *   good engine   = (engine + engine test) / engine die yield
 *   started pkg   = ASIC + substrate + assembly + test
 *                   + n (good engine + attach + (attaches - 1) rework)
 *   good package  = started pkg / package yield
 *   CPO switch    = good package + rest of the switch (board, chassis, ELS)
 * A pluggable switch's package holds the ASIC alone (yield ASIC x substrate)
 * and its modules are bought at their market price, which holds the module
 * maker's yield: a bad module scraps only itself.
 * Per port, R&D amortised over the shipped volume V:
 *   cost per port(V) = (switch + R&D / V) / ports,
 * and CPO's is below the pluggable one's above
 *   V* = (R&D_cpo - R&D_plug) / (switch_plug - switch_cpo)
 * when the CPO switch costs less to build (else never).
 */
#include "internal.h"

#include <math.h>
#include <string.h>

int cp_unit_cost_eval(const cp_mfg *m, const cp_yield_spec *s, const cp_yield_result *y,
                      double ports, double volume, cp_unit_cost *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    const cp_package_parts *p = &m->parts;
    if (!(ports >= 1) || !(volume >= 1) || !(y->package_yield > 0) ||
        !(p->engine_die_yield > 0) || !(p->asic_yield * p->substrate_yield > 0))
        return cp_fail(err, "cost", 0, 0, "ports %g, volume %g, package yield %g: expected "
                       "at least one port and unit, and a yield above 0",
                       ports, volume, y->package_yield);
    double attach = m->process.attach_cost_usd +
                    (y->attaches_per_engine - 1.0) * m->process.rework_cost_usd;
    double base = p->asic_usd + p->substrate_usd + p->package_assembly_usd + p->package_test_usd;
    out->good_engine_usd = (p->engine_usd + p->engine_test_usd) / p->engine_die_yield;
    out->started_package_usd = base + s->engines * (out->good_engine_usd + attach);
    out->good_package_usd = out->started_package_usd / y->package_yield;
    out->cpo_switch_usd = out->good_package_usd + p->switch_other_usd;
    out->rd_per_switch_usd = p->rd_usd / volume;
    out->cpo_port_usd = (out->cpo_switch_usd + p->rd_usd / volume) / ports;
    out->pluggable_switch_usd = base / (p->asic_yield * p->substrate_yield) +
                                p->pluggable_other_usd + ports * p->module_usd;
    out->pluggable_port_usd = (out->pluggable_switch_usd + p->pluggable_rd_usd / volume) / ports;
    double dc = out->pluggable_switch_usd - out->cpo_switch_usd;
    double drd = p->rd_usd - p->pluggable_rd_usd;
    if (dc > 0)
        out->crossover_volume = drd > 0 ? drd / dc : 1.0;
    else
        out->crossover_volume = 0; /* never cheaper per port */
    return 0;
}

int cp_yield_spec_of(const cp_design *d, const cp_result *r, const cp_mfg *m,
                     cp_yield_spec *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    for (size_t g = 0; g < d->ngroups; g++) {
        const cp_port_group *pg = &d->group[g];
        if (pg->media != CP_MEDIA_CPO)
            continue;
        if (!r->group[g].link.closes)
            return cp_fail(err, d->name, 0, 0, "port group '%s': the lane budget does not "
                           "close at nominal coupling (margin %.2f dB): every package fails",
                           pg->name, r->group[g].link.margin_db);
        *out = (cp_yield_spec){
            .engines = ceil(r->group[g].engines),
            .lanes = pg->engine.lanes,
            .spare_lanes = m->spare_lanes,
            .lanes_per_laser = pg->engine.lanes_per_laser,
            .margin_db = r->group[g].link.margin_db,
            .coupling = {m->parts.chip_mfd_um, m->parts.fiber_mfd_um, m->parts.wavelength_um,
                         m->process.gap_index},
            .process = m->process,
            .asic_yield = m->parts.asic_yield,
            .substrate_yield = m->parts.substrate_yield,
            .engine_bond_yield = m->parts.engine_bond_yield,
            .packages = m->packages,
            .seed = m->seed};
        double draws = out->packages * out->engines * (out->lanes + out->spare_lanes);
        if (draws > CP_YIELD_MAX_LANE_DRAWS)
            return cp_fail(err, m->file, m->line, m->col, "%g packages x %g engines x %g "
                           "lanes is %g lane draws, more than %g (about a minute on 2 cores); "
                           "expected fewer packages", out->packages, out->engines,
                           out->lanes + out->spare_lanes, draws, CP_YIELD_MAX_LANE_DRAWS);
        return 0;
    }
    return cp_fail(err, d->name, 0, 0, "the design has no CPO port group: nothing is "
                   "fibre-attached on the package");
}

int cp_cost_volume_curve(const cp_mfg *m, const cp_yield_spec *s, const cp_yield_result *y,
                         double ports, double lo, double hi, size_t n, cp_cost_curve *out,
                         cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2 || n > CP_CURVE_MAX || !(lo >= 1) || !(hi > lo) || !(hi <= 1e12))
        return cp_fail(err, "cost", 0, 0, "cost curve: %zu points over volumes %g..%g; "
                       "expected 2..%d points, 1 <= low < high", n, lo, hi, CP_CURVE_MAX);
    for (size_t i = 0; i < n; i++) {
        cp_unit_cost c;
        double v = lo * pow(hi / lo, (double)i / (double)(n - 1));
        if (cp_unit_cost_eval(m, s, y, ports, v, &c, err))
            return -1;
        out->volume[i] = v;
        out->cpo_port_usd[i] = c.cpo_port_usd;
        out->pluggable_port_usd[i] = c.pluggable_port_usd;
    }
    out->n = n;
    return 0;
}
