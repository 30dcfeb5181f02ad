/*
 * cposim/tco.h — total cost of ownership, break-even, tornado.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_TCO_H
#define CPOSIM_TCO_H

#include "cposim/reliability.h"

#ifdef __cplusplus
extern "C" {
#endif

/* -------------------------------------------------------------------- TCO
 * Capex + discounted energy, service and GPU idle cost over the service
 * life (src/tco.c), break-even by root finding, tornado sensitivity
 * (src/tco_findings.c). */
typedef struct cp_economics {
    double electricity_usd_per_kwh;
    double pue;
    double carbon_kg_per_kwh;
    double discount_rate;
    double years;
    double fiber_usd_per_link;
    double copper_usd_per_link;
    double spares_fraction;      /* spare modules / lasers bought up front */
} cp_economics;

/* Capex of a sized fabric at catalog prices, port group by port group: the
 * one place capex is computed (fabric report and TCO). */
typedef struct cp_capex {
    double switches_usd;         /* switches without pluggables or ELS */
    double optics_usd;           /* pluggable transceivers, switch and NIC ends */
    double lasers_usd;           /* ELS laser modules */
    double cabling_usd;          /* fibre and copper links (needs economics) */
    double spares_usd;           /* spare modules and lasers (needs economics) */
    double total_usd;
} cp_capex;

/* eco may be NULL: no cabling or spares. */
void cp_fabric_capex(const cp_fabric_spec *f, const cp_fabric_result *r,
                     const cp_economics *eco, cp_capex *out);

/* Everything a TCO needs for one design option. */
typedef struct cp_tco_case {
    cp_fabric_spec fabric;
    cp_fabric_result fr;
    cp_rel_spec rel;
    cp_economics eco;
} cp_tco_case;

/* A fabric scenario with its reliability (and, when economics, its
 * economics) section: loaded, sized and its failure classes built. */
int cp_tco_case_load(const char *path, const cp_catalog *cat, const char *const *sets,
                     size_t nsets, bool economics, cp_tco_case *out, cp_error *err);

typedef struct cp_tco {
    double capex_switches, capex_optics, capex_lasers, capex_cabling, capex_spares,
        capex;
    double energy_kwh_per_year, energy_usd, carbon_t;
    double service_usd, gpu_idle_usd;
    double interruptions_per_year, lost_gpu_h_per_year;
    double total_usd;            /* capex + discounted opex */
} cp_tco;

int cp_economics_load(const char *path, const char *const *sets, size_t nsets,
                      cp_economics *out, cp_error *err);
/* TCO with the expected-value reliability (rep == NULL: cp_rel_expected, the
 * same renewal model as the simulation), or with one simulated replica.
 * Service and GPU idle are discounted year by year. */
int cp_tco_eval(const cp_tco_case *c, const cp_rel_replica *rep, cp_tco *out, cp_error *err);
/* cp_rel_score_fn over a cp_tco_case: the replica's TCO total (NaN on error). */
double cp_tco_score(const cp_rel_replica *rep, void *tco_case);

typedef enum cp_tco_param {
    CP_TP_ENGINE_FIT = 0,        /* CPO engine failure rate (FIT at its temperature) */
    CP_TP_SWITCH_MTTR,           /* switch replacement response time, h */
    CP_TP_ELECTRICITY,           /* $/kWh */
    CP_TP_MODULE_FIT,            /* pluggable module rate multiplier */
    CP_TP_LASER_FIT,             /* ELS laser rate multiplier */
    CP_TP_GPU_HOUR,              /* $/GPU-hour */
    CP_TP_CHECKPOINT,            /* checkpoint interval multiplier */
    CP_TP_CPO_PRICE,             /* CPO switch price multiplier */
    CP_TP_PUE,
    CP_TP_COUNT
} cp_tco_param;

const char *cp_tco_param_name(cp_tco_param p);
/* Sets a parameter on a case (absolute for FIT, MTTR, $/kWh, PUE, $/GPU-h;
 * a multiplier for the others). */
void cp_tco_apply(cp_tco_case *c, cp_tco_param p, double value);
/* True when p changes anything in the case (e.g. engine FIT without engines). */
bool cp_tco_param_applies(const cp_tco_case *c, cp_tco_param p);
/* Current value of an absolute parameter in the case (engine FIT: of its
 * first engine class; NaN when it has none). */
double cp_tco_param_now(const cp_tco_case *c, cp_tco_param p);
/* Where TCO(b) - TCO(a) changes sign for p in [lo, hi] (GSL Brent).  Returns
 * 0 with *flips false when it does not change sign there (identical totals
 * included), 0 with *flips true and *root, or -1 with err when the totals
 * cannot be evaluated or the solver fails or does not converge. */
int cp_tco_break_even(const cp_tco_case *a, const cp_tco_case *b, cp_tco_param p,
                      double lo, double hi, bool *flips, double *root, cp_error *err);

typedef struct cp_tornado_bar {
    cp_tco_param param;
    double low_value, high_value;
    double low_delta, high_delta; /* TCO(b) - TCO(a) at each end */
} cp_tornado_bar;

/* Bars of the parameters that apply to a or b, sorted by swing, largest
 * first, into out[CP_TP_COUNT]; *n their count. */
int cp_tco_tornado(const cp_tco_case *a, const cp_tco_case *b, cp_tornado_bar *out,
                   size_t *n, cp_error *err);

/* What `cposim tco` reports beyond the two TCOs (src/tco_findings.c). */
#define CP_TCO_FLIPS 3
typedef struct cp_tco_findings {
    cp_tco_param param[CP_TCO_FLIPS]; /* engine FIT, switch MTTR, electricity */
    bool flips[CP_TCO_FLIPS];         /* a root in [lo, hi] */
    double root[CP_TCO_FLIPS], now[CP_TCO_FLIPS], lo[CP_TCO_FLIPS], hi[CP_TCO_FLIPS];
    size_t nbars;
    cp_tornado_bar bars[CP_TP_COUNT];
    bool weibull;                     /* some class has a shape != 1 */
    bool simulated;                   /* sim_total below is filled */
    double replicas;
    cp_stat sim_total[2];             /* TCO with simulated failures, A and B */
} cp_tco_findings;

/* Break-even of engine FIT, switch MTTR and electricity in fixed search
 * ranges, "now" from whichever case has the parameter, and the tornado. */
int cp_tco_findings_eval(const cp_tco_case *a, const cp_tco_case *b, cp_tco_findings *x,
                         cp_error *err);

/* Reports return 0, or -1 when the stream or the JSON document fails. */
int cp_report_reliability(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s);
int cp_report_reliability_json(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s);
int cp_report_tco(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                  const cp_tco *tb, const cp_tco_findings *x);
int cp_report_tco_json(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                       const cp_tco *tb, const cp_tco_findings *x);


#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_TCO_H */
