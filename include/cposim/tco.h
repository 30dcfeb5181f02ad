/*
 * cposim/tco.h — total cost of ownership, break-even, tornado.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_TCO_H
#define CPOSIM_TCO_H

#include "cposim/reliability.h"
#include "cposim/sample.h"

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

/* ------------------------------------------------------- uncertain inputs
 * Every figure a TCO depends on that carries a range or distribution next to
 * its value and source in the data (`range: [low, likely, high]`, or `dist:`
 * uniform | loguniform | lognormal with error_factor | normal with sd; with
 * range_source or range_assumption), found where the scenario takes it
 * (src/tco_inputs.c): economics, the job, service times, the failure entry of
 * each key of reliability.rates, the price of each switch design, pluggable
 * transceiver and ELS laser module.  Each has a stable name (engine_fit,
 * switch_replacement_h, electricity_usd_per_kwh, ...).  The tornado takes each
 * to the ends of its range (cp_dist_ends), the uncertainty analysis samples
 * them all, the map grids two: one source of truth, in the data. */
#define CP_UNC_MAX_INPUTS 40     /* the Sobol sequence's limit */

typedef enum cp_unc_target {
    CP_UT_ECONOMICS = 0,         /* a field of cp_economics (arg: its index) */
    CP_UT_GPU_HOUR,              /* rel.gpu_hour_usd */
    CP_UT_CHECKPOINT,            /* rel.job.checkpoint_h (given in minutes) */
    CP_UT_RESTART,               /* rel.job.restart_h (given in minutes) */
    CP_UT_PATH_INTERRUPT,        /* rel.job.path_interrupt (at most 1) */
    CP_UT_SPARE_SHARE,           /* rel.job.spare_share (and its spare GPUs) */
    CP_UT_DEGRADED_PRICE,        /* rel.job.degraded_usd_per_gpu_h */
    CP_UT_LABOUR,                /* rel.svc.labour_usd_per_h */
    CP_UT_RESPONSE,              /* rel.svc.response_h[arg] */
    CP_UT_HANDS_ON,              /* rel.svc.hands_on_h[arg] */
    CP_UT_RATE,                  /* failure rate of the classes of rate key `key` */
    CP_UT_SWITCH_PRICE,          /* price of the tiers' switch design `key` */
    CP_UT_MODULE_PRICE,          /* price of transceiver `key`, switch and NIC side */
    CP_UT_LASER_PRICE            /* price of the ELS modules of laser `key` */
} cp_unc_target;

/* economics fields an input may act on (arg of CP_UT_ECONOMICS) */
typedef enum cp_eco_field {
    CP_ECO_ELECTRICITY = 0, CP_ECO_PUE, CP_ECO_DISCOUNT, CP_ECO_FIBER, CP_ECO_COPPER,
    CP_ECO_SPARES, CP_ECO_COUNT
} cp_eco_field;

typedef struct cp_unc_input {
    char name[CP_NAME_MAX];      /* stable key, e.g. engine_fit */
    cp_unc_target target;
    int arg;                     /* service kind or economics field */
    char key[CP_NAME_MAX];       /* rate key, switch design, module or laser name */
    cp_dist dist;                /* in the figure's units; value = the point value */
    char why[CP_TEXT_MAX];       /* the range's source key or assumption */
    char file[CP_TEXT_MAX];      /* where the figure is written */
    int line, col;
} cp_unc_input;

typedef struct cp_unc_set {
    size_t n;
    cp_unc_input in[CP_UNC_MAX_INPUTS];
} cp_unc_set;

/* Low and high ends of a distribution: its bounds, or P5 and P95 of a
 * lognormal (median / EF, median x EF) or normal one. */
void cp_dist_ends(const cp_dist *d, double *lo, double *hi);

/* Everything a TCO needs for one design option. */
typedef struct cp_tco_case {
    cp_fabric_spec fabric;
    cp_fabric_result fr;
    cp_rel_spec rel;
    cp_economics eco;
    cp_unc_set unc;              /* its uncertain inputs (none: a point answer) */
    cp_rel_inputs in;            /* the parsed reliability inputs (its workloads) */
} cp_tco_case;

/* Prices the workload of that name (a key of reliability.workloads): its
 * profile, jobs, spares and prices; -1 naming the workloads there are. */
int cp_tco_case_workload(cp_tco_case *c, const char *name, cp_error *err);
/* When a workload of c prices path faults as slowdowns (path_faults:
 * slowdown), each failure class's slowdown from the traffic model: the
 * `traffic:` job of the scenario at path on c's fabric, one event of each
 * class (cp_traffic_rel_slowdowns).  Otherwise nothing. */
int cp_tco_case_slowdowns(cp_tco_case *c, const char *path, const char *const *sets,
                          size_t nsets, cp_error *err);

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
    /* the timeline of the priced workload, year by year (a partial last year
     * holds its part): interruptions, GPU-hours lost, useful share of the
     * GPU-hours there are */
    size_t nyears;
    double year_interruptions[CP_MAX_YEARS], year_lost_gpu_h[CP_MAX_YEARS],
        year_goodput[CP_MAX_YEARS];
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
    char input[CP_NAME_MAX];     /* name of the uncertain input */
    double low_value, high_value; /* the ends of its range (cp_dist_ends) */
    double low_delta, high_delta; /* TCO(b) - TCO(a) at each end */
} cp_tornado_bar;

/* Bars of the uncertain inputs of a and b (cp_unc_merge), sorted by swing,
 * largest first, into out[CP_UNC_MAX_INPUTS]; *n their count. */
int cp_tco_tornado(const cp_tco_case *a, const cp_tco_case *b, cp_tornado_bar *out,
                   size_t *n, cp_error *err);

/* What `cposim tco` reports beyond the two TCOs (src/tco_findings.c). */
#define CP_TCO_FLIPS 3
typedef struct cp_tco_findings {
    cp_tco_param param[CP_TCO_FLIPS]; /* engine FIT, switch MTTR, electricity */
    bool flips[CP_TCO_FLIPS];         /* a root in [lo, hi] */
    double root[CP_TCO_FLIPS], now[CP_TCO_FLIPS], lo[CP_TCO_FLIPS], hi[CP_TCO_FLIPS];
    size_t nbars;
    cp_tornado_bar bars[CP_UNC_MAX_INPUTS];
    bool weibull;                     /* some class has a shape != 1 */
    bool simulated;                   /* sim_total below is filled */
    double replicas;
    cp_stat sim_total[2];             /* TCO with simulated failures, A and B */
    size_t nworkloads;                /* the answer for each workload both options have */
    char workload[CP_MAX_WORKLOADS][CP_NAME_MAX];
    cp_profile profile[CP_MAX_WORKLOADS];
    cp_tco workload_tco[CP_MAX_WORKLOADS][2]; /* A and B pricing that workload (timeline too) */
} cp_tco_findings;

/* Break-even of engine FIT, switch MTTR and electricity in fixed search
 * ranges, "now" from whichever case has the parameter, and the tornado. */
int cp_tco_findings_eval(const cp_tco_case *a, const cp_tco_case *b, cp_tco_findings *x,
                         cp_error *err);

/* Parses the uncertain inputs of a fabric scenario (src/tco_inputs.c): no
 * model runs; a bad range is an error at its file:line:col. */
int cp_unc_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_unc_set *out, cp_error *err);
/* The inputs that act on a or b (a rate key with classes, a price of a part
 * they use), by name, b's first (its range where both have one); in_a[i],
 * in_b[i] (may be NULL) say which option input i acts on. */
int cp_unc_merge(const cp_tco_case *a, const cp_tco_case *b, cp_unc_set *out,
                 bool *in_a, bool *in_b, cp_error *err);
/* Index of the input named name in s, or -1 with err listing the names. */
int cp_unc_find(const cp_unc_set *s, const char *name, cp_error *err);
/* Sets the figure of input `in` to value in case c (when c has it): the
 * case's figures scale by value / the point value, so what the case derived
 * from the figure (an Arrhenius-scaled rate, minutes in hours) follows. */
void cp_unc_apply(cp_tco_case *c, const cp_unc_input *in, double value);

/* --------------------------------------------------------- uncertainty
 * The answer as a probability (src/tco_uncertainty.c): the uncertain inputs
 * of A and B sampled together (an input both have takes the same value in
 * both: common random numbers), the model run per sample for both options,
 * and the statistics of each output difference B - A.  Today the one output
 * is the TCO; a model with more outputs (e.g. one per workload profile) adds
 * them without touching the sampler. */
typedef enum cp_unc_design {
    CP_UNC_LHS = 0,              /* Latin hypercube (default) */
    CP_UNC_SOBOL,                /* Sobol sequence */
    CP_UNC_RANDOM,               /* plain Monte Carlo */
    CP_UNC_SALTELLI              /* Saltelli design: Sobol indices as well */
} cp_unc_design;

#define CP_UNC_MAX_SAMPLES 100000
#define CP_UNC_MAX_RUNS 2000000  /* model runs per option, Saltelli included */
#define CP_UNC_MAX_OUTPUTS 4

typedef struct cp_unc_opts {
    size_t samples;              /* 1..CP_UNC_MAX_SAMPLES; Saltelli: base points */
    cp_unc_design design;
    unsigned long seed;          /* LHS and random designs */
    bool by_workload;            /* one output per workload both options have
                                  * (false: the TCO of the cases' own workload) */
} cp_unc_opts;

typedef struct cp_unc_output {
    char name[CP_NAME_MAX];      /* "tco" */
    double point;                /* B - A with every input at its point value */
    double p_b_wins;             /* share of samples with B - A < 0 */
    double p_lo, p_hi;           /* its 95 % Wilson score interval (sampling error) */
    double mean, p5, p50, p95, min, max;
    double rho[CP_UNC_MAX_INPUTS]; /* Spearman of B - A with each input (NaN: constant) */
    size_t order[CP_UNC_MAX_INPUTS]; /* inputs by |rho|, largest first */
    bool sobol;                  /* s1, st filled (Saltelli design) */
    double s1[CP_UNC_MAX_INPUTS], st[CP_UNC_MAX_INPUTS];
} cp_unc_output;

typedef struct cp_unc_result {
    cp_unc_opts opts;
    cp_unc_set inputs;           /* of A and B (cp_unc_merge) */
    bool in_a[CP_UNC_MAX_INPUTS], in_b[CP_UNC_MAX_INPUTS];
    size_t runs;                 /* model runs per option */
    size_t noutputs;
    cp_unc_output out[CP_UNC_MAX_OUTPUTS];
    double *x;                   /* [runs * inputs.n] sampled values */
    double *diff;                /* [runs * noutputs] B - A per run */
} cp_unc_result;

/* Model runs per option the design needs; -1 with err beyond the limits. */
int cp_tco_unc_estimate(const cp_tco_case *a, const cp_tco_case *b, const cp_unc_opts *o,
                        size_t *runs, cp_error *err);
/* Samples, runs (OpenMP over samples, each run by its index: the same figures
 * for any number of threads) and summarises; free with cp_unc_result_free. */
int cp_tco_uncertainty(const cp_tco_case *a, const cp_tco_case *b, const cp_unc_opts *o,
                       cp_unc_result *r, cp_error *err);
void cp_unc_result_free(cp_unc_result *r);

/* The winner over a grid of two uncertain inputs, each from the low to the
 * high end of its range (log-spaced for loguniform and lognormal ones), all
 * other inputs at their point values. */
#define CP_MAP_MAX_STEPS 1001
typedef struct cp_tco_map {
    cp_unc_input x, y;
    size_t nx, ny;
    bool xlog, ylog;             /* geometric steps */
    double *xv, *yv;             /* [nx], [ny] */
    double *diff;                /* [ny * nx], row j at yv[j]: TCO(b) - TCO(a) */
} cp_tco_map;

int cp_tco_map_eval(const cp_tco_case *a, const cp_tco_case *b, const char *x,
                    const char *y, size_t nx, size_t ny, cp_tco_map *m, cp_error *err);
void cp_tco_map_free(cp_tco_map *m);
/* "svg" or "png" from a path's extension, else NULL. */
const char *cp_tco_map_format(const char *path);
/* The map drawn by PLplot into memory (*data, *len; free()): the caller
 * writes it. */
int cp_tco_map_plot(const cp_tco_map *m, const char *a_name, const char *b_name,
                    const char *format, char **data, size_t *len, cp_error *err);

/* Reports return 0, or -1 when the stream or the JSON document fails. */
int cp_report_reliability(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s);
int cp_report_reliability_json(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s);
int cp_report_tco(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                  const cp_tco *tb, const cp_tco_findings *x);
/* u (may be NULL): the uncertainty analysis, under "uncertainty" */
int cp_report_tco_json(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                       const cp_tco *tb, const cp_tco_findings *x, const cp_unc_result *u);
int cp_report_uncertainty(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                          const cp_unc_result *r);
/* x, y, B - A (US$), winner: one row per grid point (RFC 4180) */
int cp_report_tco_map_csv(FILE *f, const cp_tco_case *a, const cp_tco_case *b,
                          const cp_tco_map *m);


#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_TCO_H */
