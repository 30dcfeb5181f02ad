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
 * with w the lost (or slowed) share, as in the Monte Carlo.  A training job
 * whose path faults are priced as slowdowns (path_faults: slowdown) loses
 * rate x D x (1 - 1/s) of its time to them besides (workload_rates.c).
 */
#include "internal.h"
#include "rel_internal.h"
#include "workload.h"

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

typedef struct period_sums {
    double cut; /* GPUs cut off per hour */
} period_sums;

static void add_class(const cp_rel_spec *rel, const cp_rel_class *c, size_t k, int y,
                      double n, double hours, period_sums *ys, cp_rel_replica *o)
{
    const cp_service *s = &rel->svc;
    o->failures[k] += n;
    o->events += n;
    o->year_failures[y] += n;
    if (c->transient) /* a flap: counted, no repair, no cost */
        return;
    double down = s->response_h[c->service] + s->hands_on_h[c->service];
    double impact = 1;
    if (c->spares > 0 && c->units > 0) { /* P(>= spares others of the group down) */
        double m = fmax(c->group_units - 1, 0), q = fmin(n / c->units / hours * down, 1);
        impact = gsl_cdf_binomial_Q((unsigned)c->spares - 1, q, (unsigned)m);
    }
    if (!c->server_side) { /* a server fault is the server team's: no crew, no network cost */
        double cost =
            c->parts_usd + s->labour_usd_per_h * s->hands_on_h[c->service] + s->visit_usd;
        o->service_usd += n * cost;
        o->year_service_usd[y] += n * cost;
        o->tech_busy_h += n * s->hands_on_h[c->service];
    }
    o->link_down_h += n * impact * c->links_per_event * down;
    o->port_drain_h += n * impact * c->ports_per_event * down;
    ys->cut += n * impact * c->gpus_per_event * down / hours;
}

/* jobs of the same size, spans and checkpoint cost behave alike: one kind,
 * sorted on those keys (carried with each job, so the sort needs no context) */
typedef struct kind {
    double key[4];
    size_t j;
    double n;
} kind;

static int cmp_kind(const void *a, const void *b)
{
    const kind *x = a, *y = b;
    for (int i = 0; i < 4; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return 0;
}

static kind *job_kinds(const cp_placement *pl, size_t *nk)
{
    size_t J = pl->njobs;
    kind *k = malloc((J ? J : 1) * sizeof *k);
    if (!k)
        return NULL;
    for (size_t i = 0; i < J; i++) {
        const cp_pjob *p = &pl->job[i];
        k[i] = (kind){{p->gpus, p->leaves, p->pods, p->checkpoint_cost_h}, i, 1};
    }
    qsort(k, J, sizeof *k, cmp_kind);
    *nk = 0;
    for (size_t i = 0; i < J; i++) {
        if (*nk && cmp_kind(&k[i], &k[*nk - 1]) == 0)
            k[*nk - 1].n++;
        else
            k[(*nk)++] = k[i];
    }
    return k;
}

/* GPU-hours a workload loses per hour at the rates per_h, and its stops */
typedef struct wl_period {
    double lost, degraded, interruptions, drains, waits; /* per hour */
} wl_period;

static void workload_period(const cp_rel_spec *rel, const cp_placement *pl, const kind *kd,
                            size_t nk, const double *per_h, cp_job_rates *jr, wl_period *o)
{
    const cp_job *w = &rel->job;
    memset(o, 0, sizeof *o);
    double a = 0; /* offered load on the spare pool, GPUs */
    for (size_t i = 0; i < nk; i++) {
        cp_job_rates *r = &jr[i];
        cp_wl_job_rates(rel, pl, per_h, kd[i].j, r);
        const cp_pjob *pj = &pl->job[kd[i].j];
        a += kd[i].n * (r->strand * r->strand_gpus * r->strand_repair_h +
                        r->drain * pj->gpus / fmax(pj->leaves, 1) * r->drain_repair_h);
    }
    double B = w->spare_gpus > 0 ? cp_erlang_b(floor(w->spare_gpus), a) : 1, R = w->restart_h;
    for (size_t i = 0; i < nk; i++) {
        cp_job_rates r = jr[i];
        const cp_pjob *pj = &pl->job[kd[i].j];
        double g = pj->gpus, n = kd[i].n, C = pj->checkpoint_cost_h, share;
        double Ds = r.strand_repair_h, Dd = r.drain_repair_h;
        switch (w->profile) {
        case CP_PROFILE_TRAINING: {
            double lam = r.strand + r.path;
            double Rp = R + (lam > 0 ? r.strand / lam * B * Ds : 0);
            share = 1 - cp_checkpoint_useful(lam, pj->tau_h, C, Rp) + r.drain * (C + R + B * Dd) +
                    r.slowed;
            o->interruptions += n * lam;
            break;
        }
        case CP_PROFILE_INFERENCE:
            share = r.strand * (R + B * Ds) + r.drain * (R + B * Dd);
            o->interruptions += n * r.strand;
            break;
        default: /* cloud: only the GPUs cut off */
            share = (r.strand * r.strand_gpus * ((1 - B) * R + B * Ds) +
                     r.drain * g / fmax(pj->leaves, 1) * ((1 - B) * R + B * Dd)) / g;
            o->interruptions += n * r.strand; /* tenants stopped (moved to spares) */
            o->degraded += n * r.degraded;
            break;
        }
        o->lost += n * g * fmin(fmax(share, 0), 1);
        o->drains += n * r.drain;
        o->waits += n * B * (r.strand + r.drain);
    }
}

/* the interval an `auto` job takes: the optimum for its own rate over the
 * horizon (cp_wl_intervals); for a report, the first (largest) job's */
int cp_rel_checkpoint_resolve(cp_rel_spec *rel, cp_error *err)
{
    if (!rel->job.checkpoint_auto)
        return 0;
    cp_placement pl;
    double per_h[CP_MAX_CLASSES];
    if (cp_placement_build(rel, &pl, err))
        return -1;
    int rc = cp_rel_mean_rates(rel, per_h, err) || cp_wl_intervals(rel, &pl, per_h, err);
    if (rc == 0 && pl.njobs > 0)
        rel->job.checkpoint_h = pl.job[0].tau_h;
    cp_placement_free(&pl);
    return rc ? -1 : 0;
}

int cp_rel_mean_rates(const cp_rel_spec *rel, double *per_h, cp_error *err)
{
    double T = rel->years * CP_HOURS_PER_YEAR, ends[2] = {0, T}, m[2];
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        if (check_class(rel, c, err) || cp_renewal_mean(c->fail_per_h, c->shape, ends, 2, m, err))
            return -1;
        per_h[k] = c->units * m[1] / T;
    }
    return 0;
}

int cp_rel_expected(const cp_rel_spec *rel, cp_rel_replica *o, cp_error *err)
{
    return cp_rel_expected_in(rel, NULL, o, err);
}

int cp_rel_expected_in(const cp_rel_spec *rel, cp_placement_cache *cache, cp_rel_replica *o,
                       cp_error *err)
{
    memset(o, 0, sizeof *o);
    if (cp_rel_check_slowdowns(rel, err))
        return -1;
    double N = cp_rel_cluster_gpus(rel), t[MAX_PERIODS + 1], per_unit[MAX_PERIODS];
    int np = periods(rel, t);
    period_sums ps[MAX_PERIODS];
    memset(ps, 0, sizeof ps);
    double *rate = calloc((size_t)np * (rel->nclasses ? rel->nclasses : 1), sizeof *rate);
    cp_placement own, *pl = &own;
    if (!rate)
        return cp_fail(err, rel->name, 0, 0, "out of memory");
    if (cache ? cp_placement_cached(cache, rel, &pl, err) : cp_placement_build(rel, &own, err)) {
        free(rate);
        return -1;
    }
    size_t nk = 0, K = rel->nclasses;
    kind *kd = job_kinds(pl, &nk);
    cp_job_rates *jr = malloc((nk ? nk : 1) * sizeof *jr); /* each kind's, per period */
    double mean[CP_MAX_CLASSES];
    int rc = kd && jr ? 0 : cp_fail(err, rel->name, 0, 0, "out of memory");
    for (size_t k = 0; rc == 0 && k < K; k++) {
        const cp_rel_class *c = &rel->cls[k];
        rc = period_counts(rel, c, t, np, per_unit, err);
        for (int p = 0; rc == 0 && p < np; p++) {
            double hours = t[p + 1] - t[p], n = c->units * per_unit[p];
            add_class(rel, c, k, cp_rel_year(t[p]), n, hours, &ps[p], o);
            rate[(size_t)p * K + k] = n / hours;
        }
    }
    /* an `auto` interval follows the rates of this spec, whatever changed them */
    if (rc == 0)
        rc = cp_rel_mean_rates(rel, mean, err) || cp_wl_intervals(rel, pl, mean, err) ? -1 : 0;
    for (int p = 0; rc == 0 && p < np; p++) {
        double hours = t[p + 1] - t[p];
        int y = cp_rel_year(t[p]);
        wl_period w;
        workload_period(rel, pl, kd, nk, &rate[(size_t)p * K], jr, &w);
        double lost = fmin(N, w.lost) * hours;
        o->stranded_gpu_h += fmin(N, ps[p].cut) * hours;
        o->year_lost_gpu_h[y] += lost;
        o->lost_gpu_h += lost;
        o->degraded_gpu_h += w.degraded * hours;
        o->interruptions += w.interruptions * hours;
        o->year_interruptions[y] += w.interruptions * hours;
        o->drains += w.drains * hours;
        o->spare_waits += w.waits * hours;
    }
    free(kd);
    free(jr);
    free(rate);
    if (!cache)
        cp_placement_free(&own);
    return rc;
}
