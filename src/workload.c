/*
 * workload.c — what the failures of one replica cost the jobs of a workload
 * (the profiles of cp_job in cposim/reliability.h).
 *
 * Input: the impacts of the replica in time order — a failure (at its time,
 * repaired at `end`), a flap, or a switch drained for replacement (at the
 * start of its service, back at `end`).  Each impact finds the jobs it
 * touches through the placement: the job of each GPU it cuts off, the jobs
 * under a leaf, the jobs spanning leaves (or pods) whose traffic crosses the
 * failed part.
 *
 * Spares.  A stop that cuts GPUs off restarts on spare GPUs when enough are
 * free; they are held until the repair.  Otherwise the job waits for the
 * repair, then restarts.  The pool is an Erlang loss system (a job that finds
 * too few spares does not queue for them), so the share of stops that wait
 * is Erlang's B for Poisson stops whatever the repair-time distribution.
 *
 * Training jobs follow the busy-window model of each job (reliability.c
 * before: a stop opens a loss window from the last checkpoint, or from the
 * stop itself for a drain, to the restart; a stop inside an open window
 * extends it).  Windows are closed in time order, so a job's lost hours
 * never overlap and never exceed the horizon.
 */
#include "internal.h"
#include "rel_internal.h"
#include "workload.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *cp_profile_key(cp_profile p)
{
    static const char *const n[CP_PROFILE_COUNT] = {"training", "inference", "cloud"};
    return p < CP_PROFILE_COUNT ? n[p] : "?";
}

/* GPU-hours in [a, b) at a rate, split over the years */
void cp_wl_idle_add(cp_rel_replica *o, double a, double b, double gpus)
{
    while (a < b) {
        int y = cp_rel_year(a);
        double yb = y == CP_MAX_YEARS - 1 ? b : fmin(b, (y + 1) * CP_HOURS_PER_YEAR);
        o->year_lost_gpu_h[y] += gpus * (yb - a);
        o->lost_gpu_h += gpus * (yb - a);
        a = yb;
    }
}

int cp_wl_state_init(cp_wl_state *st, const cp_placement *pl)
{
    if (st->cap < pl->njobs) {
        cp_wl_jobstate *n = realloc(st->js, pl->njobs * sizeof *n);
        if (!n)
            return -1;
        st->js = n;
        st->cap = pl->njobs;
    }
    memset(st->js, 0, pl->njobs * sizeof *st->js);
    cp_spare_pool_reset(&st->pool);
    return 0;
}

void cp_wl_state_free(cp_wl_state *st)
{
    free(st->js);
    cp_spare_pool_free(&st->pool);
    memset(st, 0, sizeof *st);
}

/* close job j's open loss window */
static void close_window(const cp_placement *pl, cp_wl_jobstate *s, size_t j, double T,
                         cp_rel_replica *o)
{
    if (!s->open)
        return;
    double a = fmin(s->t0, T), b = fmin(s->t1, T);
    cp_wl_idle_add(o, a, b, pl->job[j].gpus);
    s->lost_h += b - a;
    s->resume = s->t1;
    s->open = false;
}

/* a stop of job j at t until `until`; from the last checkpoint when work is
 * lost, else from t */
static void stop_job(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st, size_t j,
                     double t, double until, bool lose_work, cp_rel_replica *o)
{
    cp_wl_jobstate *s = &st->js[j];
    double T = rel->years * CP_HOURS_PER_YEAR;
    if (s->open && t < s->t1) {
        s->t1 = fmax(s->t1, until);
        return;
    }
    close_window(pl, s, j, T, o);
    const cp_pjob *pj = &pl->job[j];
    double from = t, period = pj->tau_h + pj->checkpoint_cost_h;
    if (lose_work && rel->job.profile == CP_PROFILE_TRAINING && pj->tau_h > 0)
        from = s->resume + floor((t - s->resume) / period) * period;
    s->t0 = from;
    s->t1 = until;
    s->open = true;
}

/* a job loses `need` of its GPUs at t until `end`: it stops (training,
 * inference) or loses those GPUs (cloud) until it restarts on spares or
 * the repair is done */
static int strand(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st, size_t j,
                  double need, const cp_wl_impact *im, cp_rel_replica *o)
{
    const cp_job *w = &rel->job;
    double T = rel->years * CP_HOURS_PER_YEAR;
    bool got = false;
    if (w->spare_gpus > 0 &&
        cp_spare_take(&st->pool, w->spare_gpus, im->cls, im->t, im->end, need, &got))
        return -1;
    double back = got ? im->t + w->restart_h : im->end + w->restart_h;
    o->spare_waits += !got;
    bool planned = im->kind == CP_IMPACT_DRAIN;
    if (planned) {
        o->drains++; /* it writes a checkpoint first: that time is lost, no work */
        double c = pl->job[j].checkpoint_cost_h;
        if (c > 0 && w->profile == CP_PROFILE_TRAINING)
            cp_wl_idle_add(o, fmin(im->t, T), fmin(im->t + c, T), pl->job[j].gpus);
    } else {
        o->interruptions++;
        o->year_interruptions[cp_rel_year(im->t)]++;
    }
    if (w->profile == CP_PROFILE_CLOUD) { /* the tenant moves to spares, or waits */
        double until = got ? im->t + w->restart_h : im->end;
        cp_wl_idle_add(o, fmin(im->t, T), fmin(until, T), need);
        return 0;
    }
    stop_job(rel, pl, st, j, im->t, back, !planned, o);
    return 0;
}

/* training with path_faults: slowdown: job j runs at 1/slow of its speed
 * from the fault to its repair, which costs its GPUs x those hours x
 * (1 - 1/slow); the part of it the job is down anyway is not lost twice */
static void slow_job(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st,
                     size_t j, double slow, const cp_wl_impact *im, cp_rel_replica *o)
{
    const cp_wl_jobstate *s = &st->js[j];
    double T = rel->years * CP_HOURS_PER_YEAR, a = im->t, b = fmin(im->end, T);
    if (s->open && a < s->t1)
        a = s->t1;
    if (b > a && slow > 1)
        cp_wl_idle_add(o, a, b, pl->job[j].gpus * (1 - 1 / slow));
}

/* a fault in job j's path (or a flap): training may stop and restart in
 * place; cloud tenants run degraded; inference rides it out */
static void path_hit(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st, size_t j,
                     double gpus_here, double share, const cp_wl_impact *im, gsl_rng *rng,
                     cp_rel_replica *o)
{
    const cp_job *w = &rel->job;
    if (im->kind == CP_IMPACT_DRAIN)
        return; /* traffic is moved off a drained switch before it goes down */
    if (w->profile == CP_PROFILE_CLOUD) {
        double T = rel->years * CP_HOURS_PER_YEAR;
        o->degraded_gpu_h += gpus_here * share * fmax(fmin(im->end, T) - im->t, 0);
        return;
    }
    double slow = rel->cls[im->cls].slowdown;
    if (w->profile == CP_PROFILE_TRAINING && w->path_slowdown && isfinite(slow)) {
        slow_job(rel, pl, st, j, slow, im, o);
        return;
    }
    if (w->profile != CP_PROFILE_TRAINING || gsl_rng_uniform(rng) >= w->path_interrupt)
        return;
    o->interruptions++;
    o->year_interruptions[cp_rel_year(im->t)]++;
    stop_job(rel, pl, st, j, im->t, im->t + w->restart_h, true, o);
}

void cp_wl_prefetch(const cp_rel_spec *rel, const cp_placement *pl, const cp_wl_impact *im)
{
    if (im->kind != CP_IMPACT_DRAIN && rel->cls[im->cls].scope == CP_SCOPE_GPU &&
        im->place < pl->ngpus)
        __builtin_prefetch(&pl->gpu_job[im->place]);
}

int cp_wl_apply(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st,
                const cp_wl_impact *im, gsl_rng *rng, cp_rel_replica *o)
{
    const cp_rel_class *c = &rel->cls[im->cls];
    cp_rel_scope scope = im->kind == CP_IMPACT_DRAIN ? CP_SCOPE_LEAF : c->scope;
    bool hard = im->kind != CP_IMPACT_FLAP;
    /* a cloud tenant's traffic (storage, services, other tenants) leaves
     * its leaf and stays in its pod; a job's own traffic crosses a leaf's
     * uplinks or a pod's spine only when it spans leaves */
    bool cloud = rel->job.profile == CP_PROFILE_CLOUD;
    size_t at = im->place;
    switch (scope) {
    case CP_SCOPE_GPU: {
        size_t n = (size_t)fmax(ceil(c->gpus_per_event - 1e-9), 1);
        for (size_t i = 0; i < n && at + i < pl->ngpus; i++) {
            unsigned j = pl->gpu_job[at + i];
            if (j == CP_NO_JOB)
                continue;
            size_t k = 1; /* the job's GPUs among these (they are consecutive) */
            while (i + 1 < n && at + i + 1 < pl->ngpus && pl->gpu_job[at + i + 1] == j)
                i++, k++;
            if (!hard) {
                path_hit(rel, pl, st, j, 0, 0, im, rng, o);
                continue;
            }
            if (strand(rel, pl, st, j, (double)k, im, o))
                return -1;
        }
        return 0;
    }
    case CP_SCOPE_LEAF:
    case CP_SCOPE_LEAF_PATH: {
        bool path = scope == CP_SCOPE_LEAF_PATH;
        for (size_t k = pl->leaf_row[at]; k < pl->leaf_row[at + 1]; k++) {
            unsigned j = pl->leaf_job[k];
            if (path && pl->job[j].leaves < 2 && !cloud)
                continue;
            if (path || !hard)
                path_hit(rel, pl, st, j, pl->leaf_gpus[k], c->path_share, im, rng, o);
            else if (strand(rel, pl, st, j, pl->leaf_gpus[k], im, o))
                return -1;
        }
        return 0;
    }
    case CP_SCOPE_POD:
    case CP_SCOPE_POD_PATH:
        for (size_t k = pl->pod_row[at]; k < pl->pod_row[at + 1]; k++) {
            unsigned j = pl->pod_job[k];
            if (scope == CP_SCOPE_POD_PATH ? pl->job[j].pods < 2
                                           : pl->job[j].leaves < 2 && !cloud)
                continue;
            path_hit(rel, pl, st, j, pl->job[j].gpus / pl->job[j].pods, c->path_share, im,
                     rng, o);
        }
        return 0;
    case CP_SCOPE_TOP:
        for (size_t k = 0; k < pl->nwide; k++)
            path_hit(rel, pl, st, pl->wide[k], pl->job[pl->wide[k]].gpus, c->path_share, im,
                     rng, o);
        return 0;
    default:
        return 0;
    }
}

void cp_wl_finish(const cp_rel_spec *rel, const cp_placement *pl, cp_wl_state *st,
                  cp_rel_replica *o)
{
    double T = rel->years * CP_HOURS_PER_YEAR;
    for (size_t j = 0; j < pl->njobs; j++) {
        cp_wl_jobstate *s = &st->js[j];
        const cp_pjob *pj = &pl->job[j];
        close_window(pl, s, j, T, o);
        /* while it runs a training job spends C of every tau + C writing checkpoints */
        double ov = rel->job.profile == CP_PROFILE_TRAINING && pj->tau_h > 0 &&
                            pj->checkpoint_cost_h > 0
                        ? pj->checkpoint_cost_h / (pj->tau_h + pj->checkpoint_cost_h) : 0;
        double run = fmax(T - s->lost_h, 0);
        if (ov > 0) { /* spread over the years as the horizon is */
            for (int y = 0; y < CP_MAX_YEARS && y * CP_HOURS_PER_YEAR < T; y++) {
                double yh = fmin(T, (y + 1) * CP_HOURS_PER_YEAR) - y * CP_HOURS_PER_YEAR;
                double g = ov * run * yh / T * pj->gpus;
                o->year_lost_gpu_h[y] += g;
                o->lost_gpu_h += g;
            }
        }
    }
}
