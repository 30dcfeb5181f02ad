/*
 * rel_checkpoint.c — checkpointing of a training job as operators do it:
 * a checkpoint costs C hours to write and is written after every tau hours
 * of work, so the job works in periods P = tau + C; a failure (Poisson, rate
 * lambda per hour of the job) loses the work since the last completed
 * checkpoint and stops the job for the restart R (a failure during the
 * restart restarts it).
 *
 * Renewal argument: a run lasts U ~ Exp(lambda) and completes floor(U / P)
 * periods, E = 1 / (e^(lambda P) - 1); a restart with restarts lasts
 * (e^(lambda R) - 1) / lambda on average, so a cycle lasts e^(lambda R) /
 * lambda and the share of time doing useful work is
 *
 *     useful(tau) = lambda tau e^(-lambda R) / (e^(lambda (tau + C)) - 1),
 *
 * tau / (tau + C) without failures, e^(-lambda R) without checkpoints
 * (tau = 0: the work is never lost, as when every step is replicated).
 * Its maximum over tau solves d/dtau = 0:
 *
 *     e^(lambda (tau + C)) (1 - lambda tau) = 1,
 *
 * a root in (0, 1/lambda) for C > 0, found with GSL's Brent solver.  For
 * lambda C << 1 it is Young's sqrt(2 C / lambda) (Young 1974) and Daly's
 * higher-order sqrt(2 C M) (1 + sqrt(C / 2M) / 3 + C / 18M) - C, M = 1 /
 * lambda (Daly 2006, FGCS 22(3):303) to their orders; the tests check both.
 */
#include "internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>

double cp_checkpoint_useful(double lambda, double tau_h, double cost_h, double restart_h)
{
    if (!(lambda >= 0 && tau_h >= 0 && cost_h >= 0 && restart_h >= 0))
        return NAN;
    if (tau_h == 0)
        return exp(-lambda * restart_h);
    double p = tau_h + cost_h;
    if (lambda == 0)
        return tau_h / p;
    /* lambda tau / expm1(lambda P): exact for small lambda P as well */
    return lambda * tau_h * exp(-lambda * restart_h) / expm1(lambda * p);
}

typedef struct opt_ctx {
    double lambda, cost_h;
} opt_ctx;

/* e^(lambda (tau + C)) (1 - lambda tau) - 1, scaled: in x = lambda tau, c = lambda C,
 * g(x) = e^(x + c) (1 - x) - 1; g(0) = e^c - 1 > 0, g(1) = -1 */
static double stationary(double x, void *p)
{
    const opt_ctx *o = p;
    double c = o->lambda * o->cost_h;
    return exp(x + c) * (1 - x) - 1;
}

int cp_checkpoint_optimum(double lambda, double cost_h, double *tau_h, cp_error *err)
{
    if (!(lambda >= 0 && isfinite(lambda) && cost_h >= 0 && isfinite(cost_h)))
        return cp_fail(err, "checkpoint", 0, 0, "the optimum interval needs a failure rate "
                       ">= 0 and a checkpoint cost >= 0 (got %g /h, %g h)", lambda, cost_h);
    if (cost_h == 0) { /* free checkpoints: the more often the better */
        *tau_h = 0;
        return 0;
    }
    if (lambda == 0) { /* nothing fails: never stop to write one */
        *tau_h = INFINITY;
        return 0;
    }
    opt_ctx o = {lambda, cost_h};
    gsl_function F = {stationary, &o};
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return cp_fail(err, "checkpoint", 0, 0, "out of memory");
    /* for tiny lambda C the root is near sqrt(2 lambda C) and g(0) rounds to 0:
     * bracket [x_lo, 1) with g(x_lo) > 0 found by halving from Young's point */
    double lo = sqrt(2 * lambda * cost_h), hi = 1;
    lo = lo < 0.5 ? lo : 0.5;
    for (int k = 0; k < 200 && stationary(lo, &o) <= 0; k++)
        lo /= 2;
    int status = stationary(lo, &o) > 0 ? gsl_root_fsolver_set(s, &F, lo, hi) : GSL_EINVAL;
    double x = NAN;
    bool converged = false;
    for (int it = 0; status == GSL_SUCCESS && !converged && it < 200; it++) {
        status = gsl_root_fsolver_iterate(s);
        x = gsl_root_fsolver_root(s);
        double a = gsl_root_fsolver_x_lower(s), b = gsl_root_fsolver_x_upper(s);
        converged = status == GSL_SUCCESS &&
                    gsl_root_test_interval(a, b, 0, 1e-14) == GSL_SUCCESS;
    }
    gsl_root_fsolver_free(s);
    if (!converged || !(x > 0 && x < 1))
        return cp_fail(err, "checkpoint", 0, 0, "no optimum checkpoint interval found for "
                       "%g failures/h and a %g h checkpoint", lambda, cost_h);
    *tau_h = x / lambda;
    return 0;
}
