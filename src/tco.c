/*
 * tco.c — total cost of ownership of a fabric option over its service life:
 *   capex (switches, transceivers, laser modules, cabling, spares)
 *   + sum over years y = 1..N of (energy + service + GPU idle) / (1 + r)^y,
 * energy = network wall power x 8760 h x PUE x $/kWh; service and GPU idle
 * year by year from the reliability model (expected values of the renewal
 * model, or one simulated replica), so a Weibull shape moves them between
 * years as well as in total.  Parameters of the break-even and tornado
 * (tco_findings.c) select failure classes by kind.
 */
#include "internal.h"
#include "rel_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOURS_PER_YEAR CP_HOURS_PER_YEAR

static double annuity(double r, double years)
{
    /* sum_{y=1..Y} (1 + r)^-y, whole and a final part-year */
    double s = 0;
    for (int y = 1; y <= (int)floor(years); y++)
        s += pow(1 + r, -y);
    double part = years - floor(years);
    return s + part * pow(1 + r, -ceil(years));
}

static void capex(const cp_tco_case *c, cp_tco *t)
{
    cp_capex k;
    cp_fabric_capex(&c->fabric, &c->fr, &c->eco, &k);
    t->capex_switches = k.switches_usd;
    t->capex_optics = k.optics_usd;
    t->capex_lasers = k.lasers_usd;
    t->capex_cabling = k.cabling_usd;
    t->capex_spares = k.spares_usd;
    t->capex = k.total_usd;
}

/* sum_y x[y] (1 + r)^-(y+1): a partial last year holds its part already */
static double discounted(const double *x, double r, double years)
{
    double s = 0;
    for (int y = 0; y < CP_MAX_YEARS && y < (int)ceil(years); y++)
        s += x[y] * pow(1 + r, -(y + 1));
    return s;
}

int cp_tco_eval(const cp_tco_case *c, const cp_rel_replica *rep, cp_tco *t, cp_error *err)
{
    return cp_tco_eval_in(c, rep, NULL, t, err);
}

int cp_tco_eval_in(const cp_tco_case *c, const cp_rel_replica *rep, cp_placement_cache *cache,
                   cp_tco *t, cp_error *err)
{
    memset(t, 0, sizeof *t);
    capex(c, t);
    cp_rel_replica exp_rep;
    if (!rep) {
        if (cp_rel_expected_in(&c->rel, cache, &exp_rep, err))
            return -1;
        rep = &exp_rep;
    }
    const cp_economics *e = &c->eco;
    double years = c->rel.years;
    double ann = annuity(e->discount_rate, years);
    t->energy_kwh_per_year = c->fr.network_w * HOURS_PER_YEAR * e->pue / 1000;
    t->energy_usd = t->energy_kwh_per_year * e->electricity_usd_per_kwh * ann;
    t->carbon_t = t->energy_kwh_per_year * years * e->carbon_kg_per_kwh / 1000;
    t->service_usd = discounted(rep->year_service_usd, e->discount_rate, years);
    t->lost_gpu_h_per_year = rep->lost_gpu_h / years;
    t->interruptions_per_year = rep->interruptions / years;
    t->gpu_idle_usd = discounted(rep->year_lost_gpu_h, e->discount_rate, years) *
                          c->rel.job.gpu_hour_usd +
                      rep->degraded_gpu_h / years * ann * c->rel.job.degraded_usd_per_gpu_h;
    t->total_usd = t->capex + t->energy_usd + t->service_usd + t->gpu_idle_usd;
    t->nyears = (size_t)fmin(ceil(years - 1e-9), CP_MAX_YEARS);
    for (size_t y = 0; y < t->nyears; y++) {
        double gpu_h = cp_rel_cluster_gpus(&c->rel) *
                       fmin(HOURS_PER_YEAR, (years - (double)y) * HOURS_PER_YEAR);
        t->year_interruptions[y] = rep->year_interruptions[y];
        t->year_lost_gpu_h[y] = rep->year_lost_gpu_h[y];
        t->year_goodput[y] = gpu_h > 0 ? 1 - rep->year_lost_gpu_h[y] / gpu_h : NAN;
    }
    if (!isfinite(t->total_usd))
        return cp_fail(err, c->fabric.name, 0, 0, "the TCO is not finite (capex %g, energy "
                       "%g, service %g, GPU idle %g $)", t->capex, t->energy_usd,
                       t->service_usd, t->gpu_idle_usd);
    return 0;
}

double cp_tco_score(const cp_rel_replica *rep, void *tco_case)
{
    cp_tco t;
    return cp_tco_eval(tco_case, rep, &t, NULL) ? NAN : t.total_usd;
}

const char *cp_tco_param_name(cp_tco_param p)
{
    static const char *const n[CP_TP_COUNT] = {
        "CPO engine FIT", "switch replacement response (h)", "electricity ($/kWh)",
        "pluggable module FIT (x)", "ELS laser FIT (x)", "GPU-hour ($)",
        "checkpoint interval (x)", "CPO switch price (x)", "PUE"};
    return p < CP_TP_COUNT ? n[p] : "?";
}

/* the classes a failure-rate parameter acts on */
static bool acts_on(cp_tco_param p, cp_rel_kind k)
{
    switch (p) {
    case CP_TP_ENGINE_FIT:
        return k == CP_REL_ENGINE;
    case CP_TP_MODULE_FIT:
        return k == CP_REL_MODULE || k == CP_REL_NIC_MODULE;
    case CP_TP_LASER_FIT:
        return k == CP_REL_ELS_LASER;
    default:
        return false;
    }
}

static bool has_cpo_tier(const cp_tco_case *c)
{
    for (size_t i = 0; i < c->fabric.ntiers; i++)
        if (cp_design_is_cpo(&c->fabric.tier[i].design))
            return true;
    return false;
}

bool cp_tco_param_applies(const cp_tco_case *c, cp_tco_param p)
{
    switch (p) {
    case CP_TP_ENGINE_FIT:
    case CP_TP_MODULE_FIT:
    case CP_TP_LASER_FIT:
        for (size_t k = 0; k < c->rel.nclasses; k++)
            if (acts_on(p, c->rel.cls[k].kind) && c->rel.cls[k].units > 0)
                return true;
        return false;
    case CP_TP_CPO_PRICE:
        return has_cpo_tier(c);
    default:
        return p < CP_TP_COUNT;
    }
}

double cp_tco_param_now(const cp_tco_case *c, cp_tco_param p)
{
    switch (p) {
    case CP_TP_ENGINE_FIT:
        for (size_t k = 0; k < c->rel.nclasses; k++)
            if (c->rel.cls[k].kind == CP_REL_ENGINE)
                return c->rel.cls[k].fail_per_h * 1e9;
        return NAN;
    case CP_TP_SWITCH_MTTR:
        return c->rel.svc.response_h[CP_SVC_SWITCH];
    case CP_TP_ELECTRICITY:
        return c->eco.electricity_usd_per_kwh;
    case CP_TP_GPU_HOUR:
        return c->rel.job.gpu_hour_usd;
    case CP_TP_PUE:
        return c->eco.pue;
    default:
        return 1; /* multipliers */
    }
}

void cp_tco_apply(cp_tco_case *c, cp_tco_param p, double v)
{
    cp_rel_spec *rel = &c->rel;
    switch (p) {
    case CP_TP_ENGINE_FIT:
        for (size_t k = 0; k < rel->nclasses; k++)
            if (acts_on(p, rel->cls[k].kind))
                rel->cls[k].fail_per_h = v * 1e-9;
        break;
    case CP_TP_SWITCH_MTTR:
        rel->svc.response_h[CP_SVC_SWITCH] = v;
        break;
    case CP_TP_ELECTRICITY:
        c->eco.electricity_usd_per_kwh = v;
        break;
    case CP_TP_MODULE_FIT:
    case CP_TP_LASER_FIT:
        for (size_t k = 0; k < rel->nclasses; k++)
            if (acts_on(p, rel->cls[k].kind))
                rel->cls[k].fail_per_h *= v;
        break;
    case CP_TP_GPU_HOUR:
        rel->job.gpu_hour_usd = v;
        break;
    case CP_TP_CHECKPOINT:
        rel->job.checkpoint_h *= v;
        break;
    case CP_TP_CPO_PRICE:
        for (size_t i = 0; i < c->fabric.ntiers; i++)
            if (cp_design_is_cpo(&c->fabric.tier[i].design))
                c->fabric.tier[i].design.sys.price_usd *= v;
        break;
    case CP_TP_PUE:
        c->eco.pue = v;
        break;
    default:
        break;
    }
}
