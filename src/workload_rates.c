/*
 * workload_rates.c — expected values of the workload model: each job's hit
 * rates from the expected failures per hour of each class and where the job
 * sits, Erlang's loss formula for the spare pool, the jobs' checkpoint
 * intervals, and the GPU-hours a workload loses per hour.
 *
 * Exposure of a job of g GPUs spanning l of the L leaves and p of the P pods
 * of a fabric of N GPUs to a failure of a class (per failure):
 *   GPU scope (n GPUs cut off): (g + n - 1) / N contiguous (the n GPUs are
 *     consecutive), 1 - (1 - g/N)^n scattered;
 *   leaf: l / L;  leaf path: l / L if l > 1;  pod: p / P if l > 1;
 *   pod path: p / P if p > 1;  top: 1 if p > 1.
 * Path hits interrupt a training job with probability path_interrupt; with
 * path_faults: slowdown one that does not partition it slows it instead, by
 * its class's slowdown s for the repair D: D (1 - 1/s) of its time lost.
 *
 * A training job with unplanned stops at rate lambda = strand + path, each
 * down for R (restart) or, for a stop that cuts GPUs off and finds no spare
 * (probability B), for the repair D as well, keeps
 *   lambda tau e^(-lambda R') / (e^(lambda (tau + C)) - 1),  R' = R + (strand /
 * lambda) B D   (cp_checkpoint_useful), and loses drain x (C + R + B D_sw) to
 * drains.  B = Erlang B(spares, a) with a the offered GPU load, sum of rate
 * x GPUs x hold time (Erlang 1917; insensitive to the hold-time distribution).
 * Inference loses (strand (R + B D) + drain (R + B D_sw)) x g, cloud the
 * stranded GPUs only, and its degraded GPU-hours are rate x GPUs behind the
 * part x the share of the path lost x D.  The Monte Carlo (workload.c) has
 * none of these approximations; tests hold the two together.
 */
#include "internal.h"
#include "rel_internal.h"
#include "workload.h"

#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Erlang B.  Many spares and a load below them (the usual case, called per
 * period and per sample): B = Poisson pmf(c; a) / Poisson cdf(c; a), the cdf
 * as the regularised incomplete gamma Q(c + 1, a) >= ~1/2 there (GSL; no
 * underflow, so no GSL error), in logs.  Otherwise the recursion
 * B(n) = a B(n-1) / (n + a B(n-1)), O(c). */
double cp_erlang_b(double c, double a)
{
    if (!(a > 0))
        return 0;
    if (c > 64 && a < c + 1) {
        double lb = c * log(a) - a - gsl_sf_lngamma(c + 1) - log(gsl_sf_gamma_inc_Q(c + 1, a));
        return lb < -745 ? 0 : fmin(exp(lb), 1);
    }
    double b = 1;
    for (double n = 1; n <= c; n++)
        b = a * b / (n + a * b);
    return b;
}

static double repair_h(const cp_rel_spec *rel, const cp_rel_class *c)
{
    return rel->svc.response_h[c->service] + rel->svc.hands_on_h[c->service];
}

int cp_wl_job_rates(const cp_rel_spec *rel, const cp_placement *pl, const double *per_h,
                    size_t j, cp_job_rates *o)
{
    memset(o, 0, sizeof *o);
    const cp_pjob *pj = &pl->job[j];
    const cp_job *w = &rel->job;
    double N = (double)pl->ngpus, L = (double)pl->nleaves, P = (double)pl->npods;
    double g = pj->gpus, l = pj->leaves, p = pj->pods;
    double pint = w->profile == CP_PROFILE_TRAINING ? w->path_interrupt : 0;
    bool cloud = w->profile == CP_PROFILE_CLOUD; /* tenants' traffic leaves their leaf */
    double strand_d = 0, strand_g = 0, degraded = 0;
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        double r = per_h[k], f = 0, D = c->transient ? 0 : repair_h(rel, c); /* a flap: seconds */
        bool path = true;
        switch (c->scope) {
        case CP_SCOPE_GPU: {
            double n = fmax(ceil(c->gpus_per_event - 1e-9), 1);
            /* an event takes an aligned block of n GPUs (cp_rel_unit_place).
             * Scattered: whole servers of b GPUs at random, so it meets
             * max(n / b, 1) servers; contiguous: the job's g GPUs from an
             * aligned start cover ceil(g / n) blocks */
            double b = fmax(rel->geo.gpus_per_node, 1);
            f = w->placement == CP_PLACE_SCATTERED
                    ? -expm1(fmax(n / b, 1) * log1p(-fmin(g / N, 1)))
                    : fmin(ceil(g / n - 1e-9) * n / N, 1);
            path = c->transient;
            if (!path)
                strand_g += r * f * fmin(n, g);
            break;
        }
        case CP_SCOPE_LEAF:
            f = l / L;
            path = c->transient;
            if (!path)
                strand_g += r * f * g / l;
            break;
        case CP_SCOPE_LEAF_PATH: /* cloud: every tenant under the leaf */
            f = l > 1 || cloud ? l / L : 0;
            degraded += r * f / fmax(l, 1) * g * c->path_share * D;
            break;
        case CP_SCOPE_POD: /* cloud: every tenant in the pod */
        case CP_SCOPE_POD_PATH:
            f = (c->scope == CP_SCOPE_POD ? l > 1 || cloud : p > 1) ? p / P : 0;
            degraded += r * f / fmax(p, 1) * g * c->path_share * D;
            break;
        case CP_SCOPE_TOP:
            f = p > 1 ? 1 : 0;
            degraded += r * f * g * c->path_share * D;
            break;
        default:
            break;
        }
        if (path && w->path_slowdown && w->profile == CP_PROFILE_TRAINING &&
            isfinite(c->slowdown)) {
            o->slowed += r * f * D * (1 - 1 / fmax(c->slowdown, 1));
        } else if (path) {
            o->path += r * f * pint;
        } else {
            o->strand += r * f;
            strand_d += r * f * D;
        }
        if (c->replace_switch && c->tier == 0) {
            o->drain += r * l / L;
            o->drain_repair_h = rel->svc.hands_on_h[CP_SVC_SWITCH];
        }
    }
    if (w->profile == CP_PROFILE_CLOUD)
        o->degraded = degraded;
    if (o->strand > 0) {
        o->strand_repair_h = strand_d / o->strand;
        o->strand_gpus = strand_g / o->strand;
    }
    return 0;
}

int cp_rel_check_slowdowns(const cp_rel_spec *rel, cp_error *err)
{
    if (!rel->job.path_slowdown || rel->job.profile != CP_PROFILE_TRAINING)
        return 0;
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        if (!c->server_side && !(c->slowdown >= 1))
            return cp_fail(err, rel->name, 0, 0, "workload '%s' prices path faults as "
                           "slowdowns (path_faults: slowdown) but class '%s' has none: they "
                           "come from the traffic model of the scenario's traffic: job "
                           "(cp_traffic_rel_slowdowns)", rel->job.name, c->name);
    }
    return 0;
}

/* an `auto` interval: the optimum for the job's unplanned stops over the
 * horizon; given intervals are used as they are */
int cp_wl_intervals(const cp_rel_spec *rel, cp_placement *pl, const double *per_h,
                    cp_error *err)
{
    const cp_job *w = &rel->job;
    double T = rel->years * CP_HOURS_PER_YEAR;
    for (size_t j = 0; j < pl->njobs; j++) {
        cp_pjob *pj = &pl->job[j];
        pj->tau_h = w->checkpoint_h;
        if (!w->checkpoint_auto || w->profile != CP_PROFILE_TRAINING)
            continue;
        cp_job_rates jr;
        cp_wl_job_rates(rel, pl, per_h, j, &jr);
        if (cp_checkpoint_optimum(jr.strand + jr.path, pj->checkpoint_cost_h, &pj->tau_h, err))
            return -1;
        if (!isfinite(pj->tau_h))
            pj->tau_h = T; /* nothing interrupts it: one checkpoint at the end */
    }
    return 0;
}
