/*
 * cposim/sweep.h — designs, sensitivity, named outputs and sweeps with their results store.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_SWEEP_H
#define CPOSIM_SWEEP_H

#include "cposim/tco.h"
#include "cposim/thermal.h"
#include "cposim/yield.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named outputs of a result, by their JSON key (src/metrics.c). */
typedef enum cp_metric_set {
    CP_METRICS_EVAL = 0,         /* cposim eval --json */
    CP_METRICS_FABRIC,           /* cposim fabric --json */
    CP_METRICS_THERMAL,          /* cposim thermal --json (steady state) */
    CP_METRICS_RELIABILITY,      /* cposim reliability --json: NAME.mean, NAME.ci95 */
    CP_METRICS_TCO,              /* cposim tco --json: options.0|1.NAME, difference_usd */
    CP_METRICS_YIELD,            /* cposim yield --json: package_yield, cpo_port_usd, ... */
    CP_METRICS_COMPLY            /* cposim comply: failed, pass, worst_margin.QUANTITY */
} cp_metric_set;
/* Id of a name (e.g. "power_w.total", "links.0.margin_db", "network_w",
 * "blocks.2.max_c", "goodput.mean", "difference_usd"), or -1 with err
 * listing the names. */
int cp_metric_id(cp_metric_set set, const char *name, cp_error *err);
double cp_metric_eval(int id, const cp_result *r);
double cp_metric_fabric(int id, const cp_fabric_result *r);
double cp_metric_thermal(int id, const cp_thermal_result *r);
double cp_metric_reliability(int id, const cp_rel_summary *r);
/* a and b: the two options of `cposim tco A --vs B` */
double cp_metric_tco(int id, const cp_tco *a, const cp_tco *b);
double cp_metric_yield(int id, const cp_yield_result *y, const cp_unit_cost *c);
/* checks, failed, pass (1 when none failed, else 0), worst_margin.QUANTITY
 * (the least margin of that quantity's checks; NaN without one, so a sweep
 * asking for it fails the point rather than pass it) */
double cp_metric_comply(int id, const cp_compliance *c, const cp_requirements *q);

/* Pareto front of n points with m objectives, all to be minimised (negate
 * one to maximise), row-major in obj[n * m]; rows with a NaN are never on
 * it.  front[i] = 1 for a non-dominated point.  Returns the front's size. */
size_t cp_pareto(const double *obj, size_t n, size_t m, unsigned char *front);

/* ----------------------------------------------------------------- sweeps
 * A design of experiments over --set paths of a base scenario
 * (src/sweep_spec.c, src/sweep.c), each point evaluated by the model chain
 * and kept in a SQLite results store (src/store.c) keyed by a hash of its
 * inputs, so that a killed sweep resumes with no point lost or repeated. */
#define CP_SWEEP_MAX_PARAMS 16
#define CP_SWEEP_MAX_VALUES 64
#define CP_SWEEP_MAX_OUTPUTS 32
#define CP_SWEEP_MAX_RULES 8
#define CP_SWEEP_MAX_POINTS 1e8  /* points of one design */

/* The command each point runs, and the JSON its outputs are named after:
 * eval and fabric (the fast chains), thermal (a steady state with the
 * electro-thermal coupling; a runaway or unconverged point fails with its
 * cause), reliability (the scenario's Monte Carlo replicas) and tco (both
 * options with expected-value reliability; --set values apply to both). */
typedef enum cp_sweep_cmd {
    CP_SWEEP_EVAL = 0,
    CP_SWEEP_FABRIC,
    CP_SWEEP_THERMAL,
    CP_SWEEP_RELIABILITY,
    CP_SWEEP_TCO,
    CP_SWEEP_YIELD,              /* the package yield Monte Carlo and cost of a good unit */
    CP_SWEEP_COMPLY              /* data/requirements.yaml, with the thermal steady state
                                  * when the scenario has a thermal section */
} cp_sweep_cmd;
const char *cp_sweep_cmd_name(cp_sweep_cmd c);

typedef struct cp_sweep_param {
    char path[CP_TEXT_MAX];      /* a --set path of the base scenario */
    size_t nvalues;              /* a list of values ... */
    double values[CP_SWEEP_MAX_VALUES];
    bool range;                  /* ... or a range from..to ... */
    double from, to;
    bool log_scale;
    size_t steps;                /* points of the range on a grid */
    bool has_dist;               /* ... or a distribution (random designs) */
    cp_dist dist;
} cp_sweep_param;

typedef struct cp_sweep_rule {   /* a constraint, or an objective */
    char output[CP_NAME_MAX];
    int id;                      /* cp_metric_id */
    double min, max;             /* constraint: min <= value <= max */
    bool maximize;               /* objective */
} cp_sweep_rule;

typedef struct cp_sweep_spec {
    char name[CP_NAME_MAX];
    char file[CP_TEXT_MAX];      /* the spec file */
    cp_sweep_cmd command;
    char scenario[CP_TEXT_MAX];  /* base scenario: a file (relative to the spec) or preset */
    char vs[CP_TEXT_MAX];        /* tco: option B, the same way ("" otherwise) */
    cp_doe_kind design;
    size_t points;               /* random designs; grids have the product of levels */
    unsigned long seed;
    size_t nparams;
    cp_sweep_param param[CP_SWEEP_MAX_PARAMS];
    size_t noutputs;
    cp_sweep_rule output[CP_SWEEP_MAX_OUTPUTS];
    size_t nconstraints;
    cp_sweep_rule constraint[CP_SWEEP_MAX_RULES];
    size_t nobjectives;
    cp_sweep_rule objective[CP_SWEEP_MAX_RULES];
    bool full_load;              /* load the scenario for every point (no fast path) */
    unsigned long long spec_hash; /* of the inputs that define the points */
} cp_sweep_spec;

int cp_sweep_load(const char *path, cp_sweep_spec *out, cp_error *err);
/* Where the spec's scenarios were found (the caller resolves preset names). */
typedef struct cp_sweep_base {
    const char *scenario;        /* path of the base scenario (tco: option A) */
    const char *vs;              /* tco: path of option B; NULL otherwise */
} cp_sweep_base;
/* Number of points the design has. */
size_t cp_sweep_count(const cp_sweep_spec *s);
/* Parameter values of every point, row-major in values[count * nparams]. */
int cp_sweep_values(const cp_sweep_spec *s, double *values, cp_error *err);
/* Hash of one point's inputs (command, scenario, path=value list). */
unsigned long long cp_sweep_point_hash(const cp_sweep_spec *s, const cp_sweep_base *b,
                                       const double *values);

/* One point: loads the scenario with the point's --set values, evaluates,
 * fills outputs[noutputs] and *feasible.  A failing point returns -1 with
 * err (it is recorded, the sweep goes on). */
int cp_sweep_point(const cp_sweep_spec *s, const cp_catalog *cat, const cp_sweep_base *b,
                   const double *values, double *outputs, bool *feasible, cp_error *err);

typedef struct cp_store cp_store;
/* Opens or creates the store for this sweep; an existing store of another
 * sweep (a different spec hash) is refused. */
int cp_store_open(const char *path, const cp_sweep_spec *s, const char *spec_text,
                  cp_store **out, cp_error *err);
void cp_store_close(cp_store *st);
/* Hashes of the points already stored, sorted ascending. */
int cp_store_done(cp_store *st, unsigned long long **hashes, size_t *n, cp_error *err);

typedef struct cp_sweep_row {
    unsigned long long hash;
    size_t seq;                  /* index in the design */
    const double *values;        /* nparams */
    const double *outputs;       /* noutputs */
    bool ok, feasible;
    const char *error;           /* when !ok */
} cp_sweep_row;

/* Writes rows in one transaction (all or none). */
int cp_store_put(cp_store *st, const cp_sweep_row *rows, size_t n, cp_error *err);

/* A whole store read back, in design order (seq), for summaries, exports
 * and reports. */
typedef struct cp_sweep_table {
    char name[CP_NAME_MAX], command[16], scenario[CP_TEXT_MAX], vs[CP_TEXT_MAX], version[32];
    size_t nparams, noutputs, nrows, nobjectives;
    char (*param)[CP_TEXT_MAX];  /* [nparams] paths */
    char (*output)[CP_NAME_MAX]; /* [noutputs] names */
    cp_sweep_rule objective[CP_SWEEP_MAX_RULES]; /* id = index into outputs */
    unsigned long long *hash;    /* [nrows] */
    size_t *seq;
    unsigned char *ok, *feasible;
    double *values;              /* [nrows * nparams] */
    double *outputs;             /* [nrows * noutputs], NaN when failed */
    char **error;                /* [nrows], NULL when ok */
} cp_sweep_table;

int cp_store_read(const char *path, cp_sweep_table *t, cp_error *err);
void cp_sweep_table_free(cp_sweep_table *t);

/* What a sweep found: counts, the range of each output, the best feasible
 * point per objective, the Pareto front of the feasible points and the
 * rank correlation of each output with each parameter (src/sweep_analysis.c). */
typedef struct cp_sweep_summary {
    size_t rows, ok, failed, feasible;
    double out_min[CP_SWEEP_MAX_OUTPUTS], out_median[CP_SWEEP_MAX_OUTPUTS],
        out_max[CP_SWEEP_MAX_OUTPUTS];
    long best[CP_SWEEP_MAX_RULES];           /* row per objective, -1: none feasible */
    size_t pareto;                           /* points on the front */
    unsigned char *front;                    /* [rows] */
    double rho[CP_SWEEP_MAX_PARAMS][CP_SWEEP_MAX_OUTPUTS]; /* Spearman, NaN: constant */
} cp_sweep_summary;

int cp_sweep_summarize(const cp_sweep_table *t, cp_sweep_summary *s, cp_error *err);
void cp_sweep_summary_free(cp_sweep_summary *s);

/* Progress: called after each committed chunk with points done and total;
 * returning non-zero stops the sweep (what is committed stays). */
typedef int (*cp_sweep_progress)(size_t done, size_t total, void *ctx);

typedef struct cp_sweep_stats {
    size_t total, skipped, computed, failed, feasible;
    bool fast;                   /* points set into the loaded design, no YAML per point */
} cp_sweep_stats;

/* Processes that share a sweep's points, e.g. the ranks of mpirun (the
 * library makes no MPI call: the program passes its collectives in).  Rank 0
 * reads and writes the store; in each chunk rank r computes the points
 * r, r + size, ... and the results are gathered to rank 0, which commits
 * them in design order, so the store does not depend on the rank count.
 * Both callbacks are collective (every rank calls them, in the same order)
 * and return 0, or -1 when the communication failed. */
typedef struct cp_sweep_comm {
    int rank, size;
    void *ctx;
    /* buf[bytes] from rank 0 to every rank */
    int (*bcast)(void *ctx, void *buf, size_t bytes);
    /* every rank's send[bytes] to rank 0: there recv[r] (malloc'd, the
     * caller frees) and recv_bytes[r] for each rank r; elsewhere unused */
    int (*gather)(void *ctx, const void *send, size_t bytes, void **recv,
                  size_t *recv_bytes);
} cp_sweep_comm;

/* Runs the points not yet in the store, committing in chunks: eval, fabric
 * and tco points on OpenMP threads, thermal and reliability points one after
 * another (their models use the threads).  comm NULL: this process alone.  st is rank 0's
 * store (NULL on the other ranks); cb and stats are used on rank 0 (stats
 * may be NULL). */
int cp_sweep_run(const cp_sweep_spec *s, const cp_catalog *cat, const cp_sweep_base *b,
                 cp_store *st, const cp_sweep_comm *comm, cp_sweep_progress cb, void *ctx,
                 cp_sweep_stats *stats, cp_error *err);

void cp_report_sweep(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s);
int cp_report_sweep_json(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s);
/* RFC 4180 rows: hash, seq, status, feasible, pareto, parameters, outputs, error */
int cp_report_sweep_csv(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s);


#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_SWEEP_H */
