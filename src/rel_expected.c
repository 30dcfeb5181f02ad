/*
 * rel_expected.c — expected values of the reliability model without
 * simulation: renewal counts, the job's lost time in closed form, and the
 * cost estimate of a Monte Carlo run.
 *
 * Counts.  A unit renewed at each failure fails on average M(t) times in
 * [0, t], the renewal function M = F + M * dF (Cox 1962, ch. 3).  For an
 * exponential life M(t) = lambda t.  For a Weibull life (shape k != 1) M is
 * solved on a grid t_i = i h by the Riemann-Stieltjes scheme of Xie (1989,
 * "On the solution of renewal-type integral equations"):
 *   M_i = F_i + sum_{j=1..i} (M_{i-j} + M_{i-j+1}) / 2 (F_j - F_{j-1}),
 * implicit in M_i through j = 1.  The repair time between a failure and the
 * unit's next life is neglected here (relative error ~ rate x MTTR, 1e-5 for
 * the catalog rates); the Monte Carlo includes it.
 *
 * Job.  Hits on the job arrive at rate lambda (a superposition of many
 * renewal processes, close to Poisson; the rate is taken week by week so a
 * Weibull shape shows).  A run lasts U ~ Exp(lambda); of it the checkpointed
 * part tau floor(U / tau) is kept, E = tau / (e^(lambda tau) - 1).  A down
 * window ends when R passes without a hit: E = (e^(lambda R) - 1) / lambda.
 * A cycle lasts e^(lambda R) / lambda, so by renewal-reward the job keeps
 *   g = lambda tau e^(-lambda R) / (e^(lambda tau) - 1)
 * of its time (tau -> 0: e^(-lambda R); small lambda: 1 - lambda (R + tau/2)).
 * With slow-downs instead of stops the job is slowed while any repair is open:
 * P = 1 - exp(-sum rate x repair time) (M/G/inf).  GPUs cut off: their mean
 * count S = sum rate x GPUs x repair time; idle GPUs min(N, w G + (1 - w share) S)
 * with w the lost (or slowed) share, as in the Monte Carlo.
 */
#include "internal.h"
#include "rel_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define GRID_MIN 256
#define GRID_MAX 8192
#define STEPS_PER_SCALE 64.0 /* grid steps per Weibull scale: M to ~1e-4 */

/* m[0..n] on t_i = i tmax / n; f is scratch for F(t_i) */
static void renewal_grid(double eta, double k, double tmax, size_t n, double *m, double *f)
{
    for (size_t i = 0; i <= n; i++)
        f[i] = -expm1(-pow((double)i * tmax / (double)n / eta, k));
    m[0] = 0;
    for (size_t i = 1; i <= n; i++) {
        double acc = f[i] + m[i - 1] * f[1] / 2;
        for (size_t j = 2; j <= i; j++)
            acc += (m[i - j] + m[i - j + 1]) / 2 * (f[j] - f[j - 1]);
        m[i] = acc / (1 - f[1] / 2);
    }
}

int cp_renewal_mean(double fail_per_h, double shape, const double *t, size_t n, double *m,
                    cp_error *err)
{
    if (!isfinite(fail_per_h) || fail_per_h < 0 || !isfinite(shape) || shape <= 0)
        return cp_fail(err, "", 0, 0, "renewal function: rate %g /h and shape %g must be "
                       "finite, the rate >= 0 and the shape > 0", fail_per_h, shape);
    double tmax = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i] >= tmax))
            return cp_fail(err, "", 0, 0, "renewal function: times must ascend from 0");
        tmax = t[i];
    }
    if (fail_per_h == 0 || shape == 1 || tmax == 0) {
        for (size_t i = 0; i < n; i++)
            m[i] = fail_per_h * t[i];
        return 0;
    }
    double eta = 1 / (fail_per_h * tgamma(1 + 1 / shape));
    if (!(isfinite(eta) && eta > 0))
        return cp_fail(err, "", 0, 0, "renewal function: rate %g /h with shape %g has no "
                       "finite Weibull scale", fail_per_h, shape);
    double want = ceil(STEPS_PER_SCALE * tmax / eta);
    size_t g = want < GRID_MIN ? GRID_MIN : want > GRID_MAX ? GRID_MAX : (size_t)want;
    double *grid = malloc(2 * (g + 1) * sizeof *grid);
    if (!grid)
        return cp_fail(err, "", 0, 0, "out of memory for the renewal function");
    renewal_grid(eta, shape, tmax, g, grid, grid + g + 1);
    for (size_t i = 0; i < n; i++) {
        double x = t[i] / tmax * (double)g;
        size_t a = (size_t)x < g ? (size_t)x : g - 1;
        m[i] = grid[a] + (grid[a + 1] - grid[a]) * (x - (double)a);
    }
    free(grid);
    return 0;
}

static int check_class(const cp_rel_spec *rel, const cp_rel_class *c, cp_error *err)
{
    if (!isfinite(c->fail_per_h) || c->fail_per_h < 0 || !(c->shape >= CP_REL_SHAPE_MIN) ||
        !(c->shape <= CP_REL_SHAPE_MAX))
        return cp_fail(err, rel->name, 0, 0, "class '%s': failure rate %g /h, shape %g: the "
                       "rate must be finite and >= 0, the shape %g..%g", c->name, c->fail_per_h,
                       c->shape, CP_REL_SHAPE_MIN, CP_REL_SHAPE_MAX);
    if (!isfinite(c->units) || c->units < 0 || c->units > CP_REL_MAX_UNITS)
        return cp_fail(err, rel->name, 0, 0, "class '%s': %g units; expected 0..%g",
                       c->name, c->units, CP_REL_MAX_UNITS);
    return 0;
}

/* The horizon in periods of a week (52 per year, so years hold whole periods):
 * the hit rate is taken per period, fine enough for a decreasing (k < 1) or
 * increasing (k > 1) hazard to show in the job's losses. */
#define PERIODS_PER_YEAR 52
#define MAX_PERIODS (PERIODS_PER_YEAR * CP_MAX_YEARS)

static int periods(const cp_rel_spec *rel, double *t)
{
    double T = rel->years * CP_HOURS_PER_YEAR, step = CP_HOURS_PER_YEAR / PERIODS_PER_YEAR;
    int np = (int)ceil(T / step - 1e-9);
    np = np < 1 ? 1 : np > MAX_PERIODS ? MAX_PERIODS : np;
    for (int p = 0; p <= np; p++)
        t[p] = p == np ? T : p * step;
    return np;
}

/* expected failures per unit in each period */
static int period_counts(const cp_rel_spec *rel, const cp_rel_class *c, const double *t,
                         int np, double *per_unit, cp_error *err)
{
    double m[MAX_PERIODS + 1];
    if (check_class(rel, c, err) ||
        cp_renewal_mean(c->fail_per_h, c->shape, t, (size_t)np + 1, m, err))
        return -1;
    for (int p = 0; p < np; p++)
        per_unit[p] = m[p + 1] - m[p];
    return 0;
}

int cp_rel_estimate(const cp_rel_spec *rel, cp_rel_cost *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    double t[MAX_PERIODS + 1], m[2];
    int np = periods(rel, t);
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        double ends[2] = {0, t[np]};
        if (check_class(rel, c, err) || cp_renewal_mean(c->fail_per_h, c->shape, ends, 2, m, err))
            return -1;
        out->events_per_replica += c->units * m[1];
    }
    out->events_total = out->events_per_replica * fmax(rel->replicas, 1);
    out->bytes_per_thread = out->events_per_replica * CP_REL_BYTES_PER_EVENT;
    if (out->events_per_replica > CP_REL_MAX_EVENTS_PER_REPLICA)
        return cp_fail(err, rel->name, 0, 0, "the rates give %.3g failure events per replica "
                       "(about %.3g MB per thread); the limit is %.3g events: check the "
                       "failure rates and the years", out->events_per_replica,
                       out->bytes_per_thread / 1e6, CP_REL_MAX_EVENTS_PER_REPLICA);
    if (out->events_total > CP_REL_MAX_EVENTS_TOTAL)
        return cp_fail(err, rel->name, 0, 0, "%.3g events per replica x %g replicas = %.3g "
                       "events; the limit is %.3g: use at most %.0f replicas",
                       out->events_per_replica, rel->replicas, out->events_total,
                       CP_REL_MAX_EVENTS_TOTAL,
                       floor(CP_REL_MAX_EVENTS_TOTAL / fmax(out->events_per_replica, 1)));
    return 0;
}

/* share of the job's time lost to hits at rate lambda (see the header) */
static double job_lost_share(const cp_job *j, double lambda)
{
    return 1 - cp_checkpoint_useful(lambda, j->checkpoint_h, j->checkpoint_cost_h, j->restart_h);
}

typedef struct period_sums {
    double hits, cut, slow; /* per hour: job hits, GPUs cut off, slowed-job coverage */
} period_sums;

static void add_class(const cp_rel_spec *rel, const cp_rel_class *c, size_t k, int y,
                      double n, double hours, period_sums *ys, cp_rel_replica *o)
{
    const cp_service *s = &rel->svc;
    double down = s->response_h[c->service] + s->hands_on_h[c->service];
    double impact = 1;
    if (c->spares > 0 && c->units > 0) { /* P(>= spares others of the group down) */
        double m = fmax(c->group_units - 1, 0), q = fmin(n / c->units / hours * down, 1);
        impact = gsl_cdf_binomial_Q((unsigned)c->spares - 1, q, (unsigned)m);
    }
    double cost = c->parts_usd + s->labour_usd_per_h * s->hands_on_h[c->service] + s->visit_usd;
    o->failures[k] += n;
    o->events += n;
    o->year_failures[y] += n;
    o->service_usd += n * cost;
    o->year_service_usd[y] += n * cost;
    o->tech_busy_h += n * s->hands_on_h[c->service];
    o->link_down_h += n * impact * c->links_per_event * down;
    o->port_drain_h += n * impact * c->ports_per_event * down;
    ys->cut += n * impact * c->gpus_per_event * down / hours;
    if (!c->interrupts)
        return;
    double hits = n * impact * rel->job.share;
    if (rel->job.degrade_fraction > 0) {
        ys->slow += hits * down / hours;
    } else {
        ys->hits += hits / hours;
        o->interruptions += hits;
        o->year_interruptions[y] += hits;
    }
}

/* `auto`: the optimum interval for the job's mean interruption rate over
 * the horizon (the interruptions do not depend on the interval) */
static int auto_interval(const cp_rel_spec *rel, double interruptions, double *tau_h,
                         cp_error *err)
{
    double hours = rel->years * CP_HOURS_PER_YEAR;
    if (cp_checkpoint_optimum(interruptions / hours, rel->job.checkpoint_cost_h, tau_h, err))
        return -1;
    if (!isfinite(*tau_h))
        *tau_h = hours; /* nothing interrupts it: one checkpoint at the end */
    return 0;
}

int cp_rel_checkpoint_resolve(cp_rel_spec *rel, cp_error *err)
{
    if (!rel->job.checkpoint_auto)
        return 0;
    cp_rel_replica *o = malloc(sizeof *o);
    int rc = o ? cp_rel_expected(rel, o, err) : cp_fail(err, rel->name, 0, 0, "out of memory");
    if (rc == 0)
        rc = auto_interval(rel, o->interruptions, &rel->job.checkpoint_h, err);
    free(o);
    return rc;
}

int cp_rel_expected(const cp_rel_spec *rel, cp_rel_replica *o, cp_error *err)
{
    memset(o, 0, sizeof *o);
    double N = cp_rel_cluster_gpus(rel), t[MAX_PERIODS + 1], per_unit[MAX_PERIODS];
    cp_job job = rel->job;
    const cp_job *j = &job;
    period_sums ps[MAX_PERIODS];
    memset(ps, 0, sizeof ps);
    int np = periods(rel, t);
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        if (period_counts(rel, c, t, np, per_unit, err))
            return -1;
        for (int p = 0; p < np; p++)
            add_class(rel, c, k, cp_rel_year(t[p]), c->units * per_unit[p], t[p + 1] - t[p],
                      &ps[p], o);
    }
    /* an `auto` interval follows the rates of this spec, whatever changed them */
    if (job.checkpoint_auto && auto_interval(rel, o->interruptions, &job.checkpoint_h, err))
        return -1;
    for (int p = 0; p < np; p++) {
        double hours = t[p + 1] - t[p];
        double w = j->degrade_fraction > 0 ? j->degrade_fraction * -expm1(-ps[p].slow)
                                           : job_lost_share(j, ps[p].hits);
        double idle = fmin(N, w * j->gpus + (1 - w * j->share) * ps[p].cut);
        o->job_lost_h += w * hours;
        o->stranded_gpu_h += fmin(N, ps[p].cut) * hours;
        o->year_lost_gpu_h[cp_rel_year(t[p])] += idle * hours;
        o->lost_gpu_h += idle * hours;
    }
    return 0;
}
