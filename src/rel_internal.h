/* rel_internal.h — constants and helpers shared by the reliability files. */
#ifndef CPOSIM_REL_INTERNAL_H
#define CPOSIM_REL_INTERNAL_H

#include "cposim.h"

#include <math.h>

#define CP_HOURS_PER_YEAR 8760.0
#define CP_BOLTZMANN_EV 8.617333262e-5 /* CODATA 2018, eV/K */
/* units of one class: the Monte Carlo draws unit indices as 32-bit */
#define CP_REL_MAX_UNITS 4e9
/* Weibull shapes the models accept: the catalog's range of weibull_shape */
#define CP_REL_SHAPE_MIN 0.1
#define CP_REL_SHAPE_MAX 10.0

/* year of an instant, the last year collecting anything beyond */
static inline int cp_rel_year(double t_h)
{
    int y = (int)(t_h / CP_HOURS_PER_YEAR);
    return y < 0 ? 0 : y >= CP_MAX_YEARS ? CP_MAX_YEARS - 1 : y;
}

/* GPUs of the fabric: set by the class builder, else the job's */
static inline double cp_rel_cluster_gpus(const cp_rel_spec *rel)
{
    return rel->job.cluster_gpus > 0 ? rel->job.cluster_gpus : rel->job.gpus;
}

/* pods of one plane: leaves under one group of tier-1 switches */
static inline double cp_rel_pods(const cp_rel_geometry *g)
{
    return ceil(fmax(g->leaves, 1) / fmax(g->leaves_per_pod, 1) - 1e-9);
}

/* ------------------------------------------------------------ events
 * A failure of unit `unit` of class `cls` at t hours (src/event_sort.c). */
typedef struct cp_rel_event {
    double t;
    unsigned cls;
    unsigned unit;
} cp_rel_event;

/* growable work arrays of the sort, kept per thread across replicas */
typedef struct cp_event_sort_buf {
    cp_rel_event *tmp;
    unsigned *key;               /* bucket of each event */
    size_t *count;               /* per bucket, then its end */
    size_t captmp, capkey, capcount;
} cp_event_sort_buf;

/* e[0..n) with times in [0, T] in time order, ties by class, then as
 * given; 0, or -1 when out of memory */
int cp_event_sort(cp_rel_event *e, size_t n, double T, cp_event_sort_buf *b);
void cp_event_sort_free(cp_event_sort_buf *b);

/* ------------------------------------------------------------ placement
 * The jobs of a workload on the fabric (src/placement.c): which job holds
 * each GPU, which jobs have GPUs under each leaf (and how many) and in each
 * pod, which jobs span pods.  Built once per run
 * from the spec (deterministic: the same in every replica and process). */
#define CP_NO_JOB 0xffffffffu

typedef struct cp_pjob {
    double gpus;
    double leaves, pods;         /* distinct leaves and pods it spans (one plane) */
    double checkpoint_cost_h;
    double tau_h;                /* its checkpoint interval (auto: its own optimum) */
} cp_pjob;

typedef struct cp_placement {
    size_t njobs, ngpus, nleaves, npods;
    cp_pjob *job;
    unsigned *gpu_job;           /* [ngpus]: job, or CP_NO_JOB (spare or unused) */
    size_t *leaf_row;            /* [nleaves + 1] CSR: leaf -> (job, GPUs there) */
    unsigned *leaf_job, *leaf_gpus;
    size_t *pod_row;             /* [npods + 1] CSR: pod -> jobs with GPUs in it */
    unsigned *pod_job;
    size_t nwide;                /* jobs spanning pods */
    unsigned *wide;
} cp_placement;

/* the geometry of a sized fabric (leaves, pods, rails) the placement needs */
void cp_rel_geometry_of(const cp_fabric_spec *f, const cp_fabric_result *r,
                        double gpus_per_node, cp_rel_geometry *g);
/* 0, or -1 with err (sizes that do not fit, out of memory) */
int cp_placement_build(const cp_rel_spec *rel, cp_placement *pl, cp_error *err);
void cp_placement_free(cp_placement *pl);
/* placements kept across evaluations (src/placement_cache.c), one per thread */
typedef struct cp_placement_cache cp_placement_cache;
cp_placement_cache *cp_placement_cache_new(void);   /* NULL when out of memory */
void cp_placement_cache_free(cp_placement_cache *c);
/* *pl: rel's placement, from the cache or built into it (owned by the cache,
 * valid until a later call); 0, or -1 with err */
int cp_placement_cached(cp_placement_cache *c, const cp_rel_spec *rel, cp_placement **pl,
                        cp_error *err);
/* cp_rel_expected with a cache of placements (NULL: none) */
int cp_rel_expected_in(const cp_rel_spec *rel, cp_placement_cache *cache, cp_rel_replica *o,
                       cp_error *err);
/* the leaf (one plane) and pod of a GPU */
size_t cp_gpu_leaf(const cp_rel_geometry *g, size_t gpu);
/* where unit u of a class strikes: its first GPU (GPU scope), leaf or pod
 * (in one plane), 0 for the top tier */
size_t cp_rel_unit_place(const cp_rel_spec *rel, const cp_rel_class *c, double unit);

/* Per-job rates from the expected failure counts (src/workload_rates.c):
 * per hour, hits that strand some of its GPUs, path hits (already times
 * path_interrupt for training), drains of its leaves for a switch
 * replacement; mean repair hours of each kind. */
typedef struct cp_job_rates {
    double strand, path, drain;
    double strand_repair_h, drain_repair_h;
    double strand_gpus;          /* mean GPUs of the job stranded per strand hit */
    double degraded;             /* cloud: degraded GPU-hours per hour */
    double slowed;               /* training with path_slowdown: hours of the job's
                                  * time lost per hour running slowed */
} cp_job_rates;
/* expected failures per hour of each class, horizon mean (rel_expected.c) */
int cp_rel_mean_rates(const cp_rel_spec *rel, double *per_h, cp_error *err);

#endif
