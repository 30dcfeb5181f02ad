/* workload.h — the workload pass of one replica (src/workload.c) and the
 * per-job rates of the expected values (src/workload_rates.c). */
#ifndef CPOSIM_WORKLOAD_H
#define CPOSIM_WORKLOAD_H

#include "rel_internal.h"

#include <gsl/gsl_rng.h>

typedef enum cp_impact_kind {
    CP_IMPACT_FAULT = 0,         /* a failure, down until its repair */
    CP_IMPACT_FLAP,              /* a link flap: down for seconds */
    CP_IMPACT_DRAIN              /* a leaf drained and replaced (planned) */
} cp_impact_kind;

typedef struct cp_wl_impact {
    double t, end;
    unsigned cls;
    unsigned kind;               /* cp_impact_kind */
    size_t place;                /* first GPU, leaf or pod (cp_rel_unit_place) */
} cp_wl_impact;

typedef struct cp_wl_jobstate {
    double t0, t1;               /* open loss window */
    double resume;               /* last (re)start: checkpoints count from here */
    double lost_h;               /* closed windows, hours */
    bool open;
} cp_wl_jobstate;

typedef struct cp_wl_hold {
    double end, gpus;
} cp_wl_hold;

/* the spare GPUs in use (src/spare_pool.c): holds in order of end per
 * class, the others in a min-heap on end */
typedef struct cp_spare_fifo {
    cp_wl_hold *h;
    size_t head, n, cap;
} cp_spare_fifo;

typedef struct cp_spare_pool {
    cp_spare_fifo fifo[CP_MAX_CLASSES];
    unsigned long long active;   /* bit k: fifo[k] holds some */
    cp_wl_hold *heap;
    size_t nheap, capheap;
    double busy;                 /* GPUs held */
} cp_spare_pool;

void cp_spare_pool_reset(cp_spare_pool *p);
void cp_spare_pool_free(cp_spare_pool *p);
/* take `need` spare GPUs (of `spares`) for an impact of class cls from t
 * to end if free (*got), releasing the holds that ended by t first; -1
 * when out of memory */
int cp_spare_take(cp_spare_pool *p, double spares, unsigned cls, double t, double end,
                  double need, bool *got);

/* per thread, reused across replicas */
typedef struct cp_wl_state {
    cp_wl_jobstate *js;
    size_t cap;
    cp_spare_pool pool;
} cp_wl_state;

int cp_wl_state_init(cp_wl_state *st, const cp_placement *pl);
void cp_wl_state_free(cp_wl_state *st);
int cp_wl_apply(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st,
                const cp_wl_impact *im, gsl_rng *rng, cp_rel_replica *o);
/* ask the cache for what cp_wl_apply will read of a later impact (at 1M
 * GPUs the job of a GPU is a cache miss per impact otherwise) */
void cp_wl_prefetch(const cp_rel_spec *rel, const cp_placement *pl, const cp_wl_impact *im);
void cp_wl_finish(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st,
                  cp_rel_replica *o);
void cp_wl_idle_add(cp_rel_replica *o, double a, double b, double gpus);

/* Expected values: each job's rates (src/workload_rates.c) from the
 * expected failures per hour of each class (per_h[k], all units), and the
 * GPU-hours lost per hour by the workload. */
int cp_wl_job_rates(const cp_rel_spec *rel, const cp_placement *pl, const double *per_h,
                    size_t j, cp_job_rates *out);
/* Erlang's loss formula B(c, a): share of arrivals that find all c busy */
double cp_erlang_b(double c, double a);
/* the checkpoint intervals of the jobs: given, or each job's optimum */
int cp_wl_intervals(const cp_rel_spec *rel, cp_placement *pl, const double *per_h,
                    cp_error *err);

#endif
