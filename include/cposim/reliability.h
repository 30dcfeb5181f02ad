/*
 * cposim/reliability.h — fleet failures and service.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_RELIABILITY_H
#define CPOSIM_RELIABILITY_H

#include "cposim/fabric.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ reliability
 * Fleet failures and service (src/reliability.c): every component class of
 * a sized fabric fails as a renewal process (Weibull, exponential when the
 * shape is 1, Arrhenius-accelerated), is repaired by a limited crew, takes
 * links or whole switches down, and may interrupt an AI training job that
 * then restarts from its last checkpoint.  Replicas are independent and
 * seeded by their index, and they are reduced in fixed blocks, so results do
 * not depend on threads or ranks.
 *
 * The pipeline: cp_rel_load (parse rates, service, job) -> cp_rel_classes_build
 * (failure classes of a sized fabric, src/rel_classes.c) -> cp_rel_simulate or
 * cp_rel_run_block (Monte Carlo) / cp_rel_expected (expected values of the same
 * renewal model). */
typedef struct cp_failure {
    char name[CP_NAME_MAX];
    double fit;                  /* failures per 1e9 h at ref_temp_c */
    double ref_temp_c;
    double activation_ev;
    double weibull_shape;
} cp_failure;

typedef enum cp_service_kind {
    CP_SVC_MODULE = 0,           /* hot-swap a pluggable */
    CP_SVC_ELS,                  /* swap an external laser module */
    CP_SVC_SWITCH,               /* drain and replace the switch */
    CP_SVC_ENGINE,               /* detachable optical engine */
    CP_SVC_CABLE,                /* clean or replace a cable */
    CP_SVC_NODE,                 /* a GPU server: by the server team, not the network crew */
    CP_SVC_COUNT
} cp_service_kind;

/* What a failure class is: the key that models select classes by (a class's
 * name is a display label only). */
typedef enum cp_rel_kind {
    CP_REL_SWITCH = 0,           /* switch hardware: ASIC, board, control plane */
    CP_REL_MODULE,               /* switch-side pluggable transceivers */
    CP_REL_NIC_MODULE,           /* NIC-side pluggable transceivers */
    CP_REL_ENGINE,               /* co-packaged optical engines (without lasers) */
    CP_REL_ELS_LASER,            /* lasers of external (front-panel) laser modules */
    CP_REL_EMBEDDED_LASER,       /* lasers inside the package */
    CP_REL_CABLE_OPTICAL,        /* optical cabling of one link */
    CP_REL_CABLE_COPPER,         /* copper cable of one link */
    CP_REL_LINK_FLAP,            /* flaps of one link (transient) */
    CP_REL_GPU_NODE,             /* a GPU server fault (per GPU; strands its server) */
    CP_REL_KIND_COUNT
} cp_rel_kind;

const char *cp_rel_kind_key(cp_rel_kind k); /* "switch", "module", ... (JSON) */

#define CP_MAX_CLASSES 64
#define CP_MAX_YEARS 10
#define CP_MAX_TECHNICIANS 256

/* Where a failure strikes, for the workloads on the fabric (see the
 * placement in src/placement.c): the GPUs behind the failed part lose their
 * links until the repair; a fault in the network path of a job that spans
 * leaves (or pods) disturbs its traffic but strands no GPU. */
typedef enum cp_rel_scope {
    CP_SCOPE_NONE = 0,           /* no workload sees it */
    CP_SCOPE_GPU,                /* links of some GPUs under one leaf */
    CP_SCOPE_LEAF,               /* a leaf switch: every GPU under it */
    CP_SCOPE_LEAF_PATH,          /* a leaf's uplinks: jobs spanning leaves, with GPUs under it */
    CP_SCOPE_POD,                /* a tier-1 switch: jobs spanning leaves in its pod */
    CP_SCOPE_POD_PATH,           /* a pod's uplinks: jobs spanning pods, with GPUs in it */
    CP_SCOPE_TOP                 /* a top-tier switch: jobs spanning pods */
} cp_rel_scope;
const char *cp_rel_scope_key(cp_rel_scope s); /* "gpu", "leaf", "leaf_path", ... */

typedef struct cp_rel_class {
    char name[CP_NAME_MAX];      /* display label, never a key */
    char rate[CP_NAME_MAX];      /* key of reliability.rates its rate comes from */
    cp_rel_kind kind;
    int tier;                    /* fabric tier of a switch-side class, else -1 */
    int group;                   /* port group of the tier's design, else -1 */
    double units;
    double fail_per_h;           /* per unit at operating temperature */
    double shape;
    cp_service_kind service;
    int level;                   /* link level it takes down (-1: several) */
    double links_per_event;      /* links down while it is repaired */
    double ports_per_event;      /* switch ports drained */
    double gpus_per_event;       /* GPUs cut off until the repair */
    cp_rel_scope scope;          /* what the failure itself takes down */
    bool replace_switch;         /* then the whole switch is drained and replaced
                                  * (a co-packaged part that is not field-replaceable) */
    bool transient;              /* a link flap: down for seconds, no repair, no cost */
    bool server_side;            /* a GPU server fault: down for response_h[CP_SVC_NODE],
                                  * outside the network crew, no network cost */
    double path_share;           /* path scopes: share of the path's links it takes down */
    double spares;               /* failures a group absorbs (spare lasers) */
    double group_units;          /* units per group (lasers per ELS module) */
    double parts_usd;            /* replacement part per event */
    double slowdown;             /* what one event does to a training job's step time
                                  * (the traffic model's, cp_traffic_rel_slowdowns):
                                  * >= 1, INFINITY when it partitions the job, 0 unknown */
} cp_rel_class;

typedef struct cp_service {
    double response_h[CP_SVC_COUNT];        /* by service kind: detection + dispatch + spare */
    double hands_on_h[CP_SVC_COUNT];        /* technician time by service kind */
    double technicians;          /* 1..CP_MAX_TECHNICIANS */
    double labour_usd_per_h;
    double visit_usd;            /* truck roll per event */
} cp_service;

/* The workload the cluster runs (src/workload.c).  Jobs of the sizes in
 * `size` fill the cluster (less its spare GPUs), each size taking its share
 * of the GPUs, and are placed contiguously (in GPU order, largest first, so
 * a job fills whole leaves and pods) or scattered (whole servers drawn at
 * random).
 * What a failure does depends on the profile:
 *  - training: a synchronous job.  A hard fault at its GPUs (their links or
 *    leaf) interrupts it: it loses the work since its last checkpoint and
 *    restarts after restart_h on spare GPUs if enough are free, otherwise
 *    when the repair is done.  A fault in its path beyond its GPUs, or a
 *    flap, interrupts it with probability path_interrupt and it restarts in
 *    place.  A switch drained for replacement stops its jobs after a
 *    checkpoint (no work lost).  Checkpoints fall every checkpoint_h of run
 *    time after a (re)start and take checkpoint_cost_h to write.
 *  - inference: replicas; a hard fault at a replica's GPUs takes the
 *    replica's capacity away until it restarts (on spares, or after the
 *    repair); nothing else is lost.
 *  - cloud: tenants; GPUs cut off are unavailable until the repair (or a
 *    spare after restart_h); a fault in a tenant's path (its leaf's uplinks
 *    or its pod's spine: tenants' traffic leaves their leaf) degrades its
 *    GPUs by the share of the path's links that are down, priced per
 *    degraded GPU-hour.
 * An interruption while a job is down extends the window and loses nothing
 * more (the same hours are never lost twice). */
typedef enum cp_profile {
    CP_PROFILE_TRAINING = 0, CP_PROFILE_INFERENCE, CP_PROFILE_CLOUD, CP_PROFILE_COUNT
} cp_profile;
const char *cp_profile_key(cp_profile p); /* "training", "inference", "cloud" */

typedef enum cp_placement_kind { CP_PLACE_CONTIGUOUS = 0, CP_PLACE_SCATTERED } cp_placement_kind;

#define CP_MAX_JOB_SIZES 64
typedef struct cp_job_size {
    double gpus;                 /* GPUs of one job */
    double share;                /* share of the cluster's GPUs in jobs of this size */
    double checkpoint_cost_h;    /* time to write one checkpoint (the job waits) */
} cp_job_size;

typedef struct cp_job {
    char name[CP_NAME_MAX];      /* the workload's name (a key of reliability.workloads) */
    cp_profile profile;
    cp_placement_kind placement;
    size_t nsizes;
    cp_job_size size[CP_MAX_JOB_SIZES]; /* none: one job of `gpus` */
    double gpus;                 /* one job's GPUs when no sizes (0: the whole cluster) */
    double cluster_gpus;         /* GPUs of the fabric (set by the class builder) */
    double spare_gpus;           /* GPUs held free to restart jobs on */
    double spare_share;          /* or this share of the cluster's GPUs (cp_rel_use_workload) */
    double checkpoint_h;         /* work between checkpoints (0: work is never lost) */
    double checkpoint_cost_h;    /* time to write one checkpoint, when no sizes give it */
    bool checkpoint_auto;        /* each job checkpoints at the optimum for its own
                                  * failure rate (Young/Daly, cp_checkpoint_optimum) */
    double restart_h;            /* detect + restart + reload */
    double path_interrupt;       /* training: P(a path fault or flap interrupts a job) */
    bool path_slowdown;          /* training (path_faults: slowdown): a fault in a job's
                                  * path slows it by its class's slowdown (cp_rel_class,
                                  * from the traffic model) until the repair, losing
                                  * GPUs x hours x (1 - 1/slowdown); one that partitions
                                  * the job interrupts it with path_interrupt as before */
    double gpu_hour_usd;         /* what a lost GPU-hour costs */
    double degraded_usd_per_gpu_h; /* cloud: SLA cost of a degraded GPU-hour */
} cp_job;

/* What the placement needs of a sized fabric (set by the class builder):
 * GPUs fill leaves in order (rails: GPU i of a server on rail i), leaves
 * form pods under the tier-1 switches, as in the fabric graph. */
typedef struct cp_rel_geometry {
    double gpus;
    double nics_per_gpu;         /* NIC ports per GPU in each plane */
    double leaves;               /* leaf switches of one plane */
    double endpoints_per_leaf;   /* GPU-facing ports of a leaf */
    double planes;
    double leaves_per_pod;       /* leaves under one group of tier-1 switches */
    double rails;                /* rail topology: GPUs per server on separate leaves, else 0 */
    double gpus_per_node;        /* GPUs of one server (scattered jobs get whole servers), 0: 1 */
} cp_rel_geometry;

typedef struct cp_rel_spec {
    char name[CP_NAME_MAX];
    size_t nclasses;
    cp_rel_class cls[CP_MAX_CLASSES];
    cp_service svc;
    cp_job job;                  /* the workload */
    cp_rel_geometry geo;
    double years;
    double replicas;
    unsigned long seed;
} cp_rel_spec;

/* What the `reliability:` section gives the class builder besides the spec:
 * the failure entry and operating temperature of each key of `rates`
 * (switch, engine, els_laser, embedded_laser, fiber, copper, module_<G>g),
 * part prices, redundancy. */
#define CP_MAX_RATES 16
#define CP_MAX_WORKLOADS 4
typedef struct cp_rel_rate {
    char key[CP_NAME_MAX];       /* key of `rates` (a data key of the scenario) */
    cp_failure failure;          /* the catalog entry, with inline overrides */
    double temp_c;               /* operating temperature (ref_temp_c by default) */
} cp_rel_rate;

typedef struct cp_rel_inputs {
    size_t nrates;
    cp_rel_rate rate[CP_MAX_RATES];
    double parts_fraction[CP_SVC_COUNT];    /* by service kind: share of the part's price per event */
    double cable_usd;            /* price of one cable (patch cord) */
    double gpus_per_node;        /* GPUs a server fault strands (service.gpus_per_node, 8) */
    bool detachable_engines;     /* CPO engines are field-replaceable */
    double spare_lasers_per_els; /* failures an ELS module absorbs */
    size_t nworkloads;           /* reliability.workloads in order (or the one `job`) */
    cp_job workload[CP_MAX_WORKLOADS];
} cp_rel_inputs;

/* One replica's totals (all doubles, fixed size, so replicas reduce field by
 * field).  Hours are clipped to the horizon. */
typedef struct cp_rel_replica {
    double failures[CP_MAX_CLASSES];
    double interruptions;        /* unplanned stops of jobs (training, inference) */
    double drains;               /* planned stops: a switch drained for replacement */
    double spare_waits;          /* stops that found too few spare GPUs and waited */
    double lost_gpu_h;           /* GPU-hours lost by the jobs, <= GPUs x T */
    double degraded_gpu_h;       /* cloud: GPU-hours at reduced bandwidth (weighted) */
    double stranded_gpu_h;       /* GPUs cut off from the fabric until repaired */
    double link_down_h;          /* link-hours unavailable */
    double port_drain_h;         /* switch port-hours drained */
    double service_usd;
    double tech_busy_h;
    double queue_wait_h;
    double events;
    double year_failures[CP_MAX_YEARS];
    double year_interruptions[CP_MAX_YEARS];
    double year_service_usd[CP_MAX_YEARS];
    double year_lost_gpu_h[CP_MAX_YEARS];
} cp_rel_replica;

typedef struct cp_stat {
    double mean, ci95;           /* mean and half-width of its 95 % interval */
} cp_stat;

typedef struct cp_rel_summary {
    double replicas;
    cp_stat failures[CP_MAX_CLASSES];
    cp_stat failures_per_year, interruptions, interruptions_per_day, drains, spare_waits,
        degraded_gpu_h, lost_gpu_h,
        lost_gpu_h_per_year, stranded_gpu_h, goodput, link_down_h, port_drain_h, service_usd,
        service_usd_per_year, gpu_idle_usd, tech_utilization, queue_wait_h, events;
    cp_stat year_failures[CP_MAX_YEARS], year_interruptions[CP_MAX_YEARS],
        year_service_usd[CP_MAX_YEARS], year_lost_gpu_h[CP_MAX_YEARS];
    cp_stat score;               /* the per-replica score of cp_rel_simulate (0: none) */
} cp_rel_summary;

/* Streaming statistics of replicas: count, mean and sum of squared deviations
 * per field (Welford; blocks merge by Chan et al. 1979), the last slot for a
 * caller's score.  Replicas are never all kept in memory. */
#define CP_REL_NSTAT (sizeof(cp_rel_replica) / sizeof(double) + 1)
typedef struct cp_rel_acc {
    double n;
    double mean[CP_REL_NSTAT];
    double m2[CP_REL_NSTAT];
} cp_rel_acc;

/* A caller's statistic of one replica (e.g. its TCO), reduced with the rest. */
typedef double (*cp_rel_score_fn)(const cp_rel_replica *rep, void *ctx);

/* Limits checked before a run (memory of one replica's event list per
 * thread, total work): see cp_rel_estimate. */
#define CP_REL_MAX_EVENTS_PER_REPLICA 5e6
#define CP_REL_MAX_EVENTS_TOTAL 2e9
#define CP_REL_BYTES_PER_EVENT 96.0  /* event, stranding and job intervals, sweep edges */

typedef struct cp_rel_cost {
    double events_per_replica;   /* expected, from the renewal counts */
    double events_total;
    double bytes_per_thread;
} cp_rel_cost;

/* Arrhenius acceleration exp(Ea/k (1/Tref - 1/T)). */
double cp_arrhenius(double ea_ev, double tref_c, double t_c);
/* Renewal function M(t) = E[failures in [0, t]] of one unit with Weibull
 * lifetimes of mean 1/fail_per_h and the given shape, renewed at once
 * (repair time neglected), at t[0..n) (ascending, hours).  Shape 1 gives
 * fail_per_h * t exactly; otherwise M = F + M * dF is solved on a grid
 * (Riemann-Stieltjes, Xie 1989). */
int cp_renewal_mean(double fail_per_h, double shape, const double *t, size_t n, double *m,
                    cp_error *err);
/* Expected events and memory of a run; -1 with both figures and the limit in
 * err when beyond CP_REL_MAX_EVENTS_PER_REPLICA or CP_REL_MAX_EVENTS_TOTAL. */
int cp_rel_estimate(const cp_rel_spec *rel, cp_rel_cost *out, cp_error *err);
/* Runs replicas first, first + stride, ... (count of them) into out[0..count);
 * 0, or -1 (out of memory, limits) with err. */
int cp_rel_run(const cp_rel_spec *rel, size_t first, size_t stride, size_t count,
               cp_rel_replica *out, cp_error *err);
/* Replicas per block: depends on the replica count only. */
size_t cp_rel_block_size(size_t replicas);
/* Runs replicas [first, first + count) on OpenMP threads and accumulates them
 * in index order into acc (cleared first); score may be NULL. */
int cp_rel_run_block(const cp_rel_spec *rel, size_t first, size_t count,
                     cp_rel_score_fn score, void *ctx, cp_rel_acc *acc, cp_error *err);
void cp_rel_acc_add(cp_rel_acc *acc, const cp_rel_replica *rep, double score);
void cp_rel_acc_merge(cp_rel_acc *into, const cp_rel_acc *from);
void cp_rel_summarize(const cp_rel_spec *rel, const cp_rel_acc *acc, cp_rel_summary *out);
/* All rel->replicas replicas block by block in this process, summarised. */
int cp_rel_simulate(const cp_rel_spec *rel, cp_rel_score_fn score, void *ctx,
                    cp_rel_summary *out, cp_error *err);
void cp_rel_reduce(const cp_rel_spec *rel, const cp_rel_replica *reps, size_t n,
                   cp_rel_summary *out);
/* Expected values of the same model without simulation: renewal counts
 * (Weibull shapes included), no crew queueing, job losses from the closed
 * form of the job model week by week (see rel_expected.c). */
int cp_rel_expected(const cp_rel_spec *rel, cp_rel_replica *out, cp_error *err);
/* Checkpointing (src/rel_checkpoint.c): the share of time a job works
 * usefully with failures at lambda per hour, tau_h of work between
 * checkpoints that take cost_h to write, and restart_h to restart,
 *   lambda tau e^(-lambda R) / (e^(lambda (tau + C)) - 1),
 * and the tau that maximises it (Young/Daly for lambda C << 1; 0 when C = 0,
 * +inf when lambda = 0). */
double cp_checkpoint_useful(double lambda, double tau_h, double cost_h, double restart_h);
int cp_checkpoint_optimum(double lambda, double cost_h, double *tau_h, cp_error *err);
/* With job.checkpoint_auto, sets job.checkpoint_h to the optimum for the
 * job's mean interruption rate over the horizon (expected-value model);
 * otherwise leaves it.  The class builder calls it (the interval a report
 * shows); the expected values and the simulation work out the interval for
 * the rates they are given, so a change of rates needs no call. */
int cp_rel_checkpoint_resolve(cp_rel_spec *rel, cp_error *err);
/* With job.path_slowdown, every network class needs its slowdown (set by
 * cp_traffic_rel_slowdowns or by hand): 0, or -1 naming the first without. */
int cp_rel_check_slowdowns(const cp_rel_spec *rel, cp_error *err);
/* Parses the `reliability:` section of a fabric scenario: service, job,
 * simulation into out (no classes), rates and the builder's inputs into in. */
int cp_rel_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_rel_spec *out, cp_rel_inputs *in, cp_error *err);
/* The failure classes of a sized fabric (src/rel_classes.c): per tier its
 * switches, and per port group of its design the modules (pluggable groups)
 * or engines and lasers (CPO groups); NIC modules; cables per link level. */
int cp_rel_classes_build(const cp_fabric_spec *f, const cp_fabric_result *r,
                         const cp_rel_inputs *in, cp_rel_spec *rel, cp_error *err);
/* Makes workload k of in (in->workload order) the spec's: checks it fits the
 * fabric and resolves an `auto` checkpoint interval.  The class builder
 * takes the first. */
int cp_rel_use_workload(cp_rel_spec *rel, const cp_rel_inputs *in, size_t k, cp_error *err);
/* A workload's job sizes from a job trace (src/job_trace.c): CSV rows
 * gpus,duration_h[,checkpoint_cost_min], one per job; each size takes the
 * share of the GPU-hours its jobs ran and their GPU-hour-weighted checkpoint
 * cost (o->checkpoint_cost_h where a row has none); more than
 * CP_MAX_JOB_SIZES sizes are binned two per octave.  Fills o->size, nsizes. */
int cp_job_trace_load(const char *path, cp_job *o, cp_error *err);



#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_RELIABILITY_H */
