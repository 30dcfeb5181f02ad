/*
 * tco.c — total cost of ownership of a fabric option over its service life:
 *   capex (switches, transceivers, laser modules, cabling, spares)
 *   + sum over years y = 1..N of (energy + service + GPU idle) / (1 + r)^y,
 * energy = network wall power x 8760 h x PUE x $/kWh; service and GPU idle
 * from the reliability model.  Break-even values come from GSL's Brent
 * solver on TCO(b) - TCO(a); the tornado varies one parameter at a time.
 */
#include "internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOURS_PER_YEAR 8760.0

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

void cp_tco_eval(const cp_tco_case *c, const cp_rel_replica *rep, cp_tco *t)
{
    memset(t, 0, sizeof *t);
    capex(c, t);
    cp_rel_replica exp_rep;
    if (!rep) {
        cp_rel_expected(&c->rel, &exp_rep);
        rep = &exp_rep;
    }
    const cp_economics *e = &c->eco;
    double years = c->rel.years;
    double ann = annuity(e->discount_rate, years);
    t->energy_kwh_per_year = c->fr.network_w * HOURS_PER_YEAR * e->pue / 1000;
    t->energy_usd = t->energy_kwh_per_year * e->electricity_usd_per_kwh * ann;
    t->carbon_t = t->energy_kwh_per_year * years * e->carbon_kg_per_kwh / 1000;
    t->service_usd = rep->service_usd / years * ann;
    t->lost_gpu_h_per_year = rep->lost_gpu_h / years;
    t->interruptions_per_year = rep->interruptions / years;
    t->gpu_idle_usd = t->lost_gpu_h_per_year * c->rel.gpu_hour_usd * ann;
    t->total_usd = t->capex + t->energy_usd + t->service_usd + t->gpu_idle_usd;
}

const char *cp_tco_param_name(cp_tco_param p)
{
    static const char *const n[CP_TP_COUNT] = {
        "CPO engine FIT", "switch replacement response (h)", "electricity ($/kWh)",
        "pluggable module FIT (x)", "ELS laser FIT (x)", "GPU-hour ($)",
        "checkpoint interval (x)", "CPO switch price (x)", "PUE"};
    return p < CP_TP_COUNT ? n[p] : "?";
}

static bool has(const char *s, const char *sub) { return strstr(s, sub) != NULL; }

void cp_tco_apply(cp_tco_case *c, cp_tco_param p, double v)
{
    cp_rel_spec *rel = &c->rel;
    switch (p) {
    case CP_TP_ENGINE_FIT:
        for (size_t k = 0; k < rel->nclasses; k++)
            if (has(rel->cls[k].name, "CPO engines"))
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
            if (has(rel->cls[k].name, p == CP_TP_MODULE_FIT ? "modules" : "ELS lasers"))
                rel->cls[k].fail_per_h *= v;
        break;
    case CP_TP_GPU_HOUR:
        rel->gpu_hour_usd = v;
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

typedef struct pair {
    const cp_tco_case *a, *b;
    cp_tco_param p;
    cp_tco_case *wa, *wb; /* work copies */
} pair;

static double diff_at(double v, void *ctx)
{
    pair *x = ctx;
    memcpy(x->wa, x->a, sizeof *x->wa);
    memcpy(x->wb, x->b, sizeof *x->wb);
    cp_tco_apply(x->wa, x->p, v);
    cp_tco_apply(x->wb, x->p, v);
    cp_tco ta, tb;
    cp_tco_eval(x->wa, NULL, &ta);
    cp_tco_eval(x->wb, NULL, &tb);
    return tb.total_usd - ta.total_usd;
}

int cp_tco_break_even(const cp_tco_case *a, const cp_tco_case *b, cp_tco_param p,
                      double lo, double hi, double *root)
{
    pair x = {a, b, p, malloc(sizeof *x.wa), malloc(sizeof *x.wb)};
    int rc = -1;
    if (!x.wa || !x.wb)
        goto out;
    double flo = diff_at(lo, &x), fhi = diff_at(hi, &x);
    if (!(flo * fhi <= 0))
        goto out;
    gsl_function F = {diff_at, &x};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    gsl_root_fsolver_set(s, &F, lo, hi);
    for (int i = 0; i < 200; i++) {
        gsl_root_fsolver_iterate(s);
        *root = gsl_root_fsolver_root(s);
        if (gsl_root_test_interval(gsl_root_fsolver_x_lower(s), gsl_root_fsolver_x_upper(s),
                                   0, 1e-9) == GSL_SUCCESS)
            break;
    }
    gsl_set_error_handler(old);
    gsl_root_fsolver_free(s);
    rc = 0;
out:
    free(x.wa);
    free(x.wb);
    return rc;
}

static int by_swing(const void *p, const void *q)
{
    const cp_tornado_bar *a = p, *b = q;
    double sa = fabs(a->high_delta - a->low_delta), sb = fabs(b->high_delta - b->low_delta);
    return (sa < sb) - (sa > sb);
}

/* low/high ends: absolute values around the case, or multipliers */
static void ends(const cp_tco_case *c, cp_tco_param p, double *lo, double *hi)
{
    switch (p) {
    case CP_TP_ENGINE_FIT: {
        double base = 0;
        for (size_t k = 0; k < c->rel.nclasses; k++)
            if (has(c->rel.cls[k].name, "CPO engines"))
                base = c->rel.cls[k].fail_per_h * 1e9;
        *lo = base / 5, *hi = base * 5;
        return;
    }
    case CP_TP_SWITCH_MTTR:
        *lo = c->rel.svc.response_h[CP_SVC_SWITCH] / 2;
        *hi = c->rel.svc.response_h[CP_SVC_SWITCH] * 3;
        return;
    case CP_TP_ELECTRICITY:
        *lo = c->eco.electricity_usd_per_kwh / 2, *hi = c->eco.electricity_usd_per_kwh * 2;
        return;
    case CP_TP_GPU_HOUR:
        *lo = c->rel.gpu_hour_usd / 2, *hi = c->rel.gpu_hour_usd * 2;
        return;
    case CP_TP_PUE:
        *lo = 1.1, *hi = 1.6;
        return;
    case CP_TP_CPO_PRICE:
        *lo = 0.75, *hi = 1.25;
        return;
    default:
        *lo = 0.5, *hi = 2;
        return;
    }
}

size_t cp_tco_tornado(const cp_tco_case *a, const cp_tco_case *b, cp_tornado_bar *out)
{
    pair x = {a, b, 0, malloc(sizeof *x.wa), malloc(sizeof *x.wb)};
    size_t n = 0;
    if (x.wa && x.wb)
        for (int p = 0; p < CP_TP_COUNT; p++) {
            cp_tornado_bar *bar = &out[n++];
            bar->param = (cp_tco_param)p;
            x.p = (cp_tco_param)p;
            ends(b, bar->param, &bar->low_value, &bar->high_value);
            bar->low_delta = diff_at(bar->low_value, &x);
            bar->high_delta = diff_at(bar->high_value, &x);
        }
    free(x.wa);
    free(x.wb);
    qsort(out, n, sizeof *out, by_swing);
    return n;
}
