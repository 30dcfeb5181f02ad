/*
 * reliability.c — fleet Monte Carlo of failures, repairs and training-job
 * interruptions.
 *
 * Each component class is a renewal process per unit: time to failure is
 * Weibull(shape b, scale s) with mean 1/lambda (b = 1: exponential).  Per
 * replica the units that fail within the horizon T are drawn at once,
 * K ~ Binomial(N, F(T)), their first failure times from F truncated to T,
 * then each failed unit renews after its repair.  Events are served in time
 * order by a crew of technicians (a queue when all are busy).  A failure
 * that takes down a link on the job's path interrupts the job, which loses
 * the work since its last checkpoint (uniform over the interval) plus the
 * restart time, on all of its GPUs.
 *
 * Replica i draws from its own generator seeded by a hash of (seed, i), so a
 * replica's result is the same whichever thread or MPI rank runs it.
 */
#include "internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define HOURS_PER_YEAR 8760.0
#define BOLTZMANN_EV 8.617333262e-5

double cp_arrhenius(double ea_ev, double tref_c, double t_c)
{
    return exp(ea_ev / BOLTZMANN_EV * (1.0 / (tref_c + 273.15) - 1.0 / (t_c + 273.15)));
}

/* splitmix64 (Steele, Lea, Flood 2014): decorrelated per-replica seeds */
static unsigned long replica_seed(unsigned long seed, size_t i)
{
    unsigned long long z = (unsigned long long)seed + 0x9e3779b97f4a7c15ULL * (i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (unsigned long)(z ^ (z >> 31));
}

typedef struct ev {
    double t;
    unsigned cls;
    unsigned unit;
} ev;

typedef struct evbuf {
    ev *e;
    size_t n, cap;
} evbuf;

static int push(evbuf *b, double t, unsigned cls, unsigned unit)
{
    if (b->n == b->cap) {
        size_t nc = b->cap ? 2 * b->cap : 4096;
        ev *ne = realloc(b->e, nc * sizeof *ne);
        if (!ne)
            return -1;
        b->e = ne;
        b->cap = nc;
    }
    b->e[b->n++] = (ev){t, cls, unit};
    return 0;
}

static int cmp_ev(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->cls > y->cls) - (x->cls < y->cls);
}

static double mttr(const cp_rel_spec *rel, const cp_rel_class *c)
{
    return rel->svc.response_h[c->service] + rel->svc.hands_on_h[c->service];
}

static unsigned long long gcd(unsigned long long a, unsigned long long b)
{
    while (b) {
        unsigned long long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Failure times of one class over [0, T): Binomial first failures, then
 * renewals after the expected repair time. */
static int generate(const cp_rel_spec *rel, unsigned k, gsl_rng *rng, evbuf *b)
{
    const cp_rel_class *c = &rel->cls[k];
    double T = rel->years * HOURS_PER_YEAR;
    if (c->units <= 0 || c->fail_per_h <= 0)
        return 0;
    double beta = c->shape;
    double eta = 1.0 / (c->fail_per_h * gsl_sf_gamma(1.0 + 1.0 / beta));
    double FT = -expm1(-pow(T / eta, beta));
    unsigned units = (unsigned)fmin(c->units, 4e9);
    unsigned K = gsl_ran_binomial(rng, FT, units);
    double rep = mttr(rel, c);
    /* K distinct units: i -> (offset + i * stride) mod units, stride coprime */
    unsigned long long stride = 2654435761ULL % units, offset = gsl_rng_uniform_int(rng, units);
    while (units > 1 && (stride == 0 || gcd(stride, units) != 1))
        stride = (stride + 1) % units;
    if (units <= 1)
        stride = 1;
    for (unsigned i = 0; i < K; i++) {
        double u = gsl_rng_uniform(rng) * FT;
        double t = eta * pow(-log1p(-u), 1.0 / beta);
        unsigned unit = (unsigned)((offset + i * stride) % units);
        while (t < T) {
            if (push(b, t, k, unit))
                return -1;
            t += rep + eta * pow(-log1p(-gsl_rng_uniform(rng)), 1.0 / beta);
        }
    }
    return 0;
}

/* Spare lasers: a group (ELS module) absorbs up to `spares` concurrent
 * failures; a small open-addressing table of the groups with failures. */
typedef struct grp {
    unsigned long long key;      /* class << 32 | group, +1 (0 = empty) */
    double end[8];
    int n;
} grp;

#define GROUPS 8192

static bool absorbed(grp *tab, const cp_rel_class *c, unsigned cls, unsigned unit,
                     double t, double end)
{
    unsigned long long key = ((unsigned long long)cls << 32 |
                              (unsigned)(unit / (unsigned)fmax(c->group_units, 1))) + 1;
    size_t h = (size_t)(key * 0x9e3779b97f4a7c15ULL) & (GROUPS - 1);
    for (size_t p = 0; p < GROUPS; p++, h = (h + 1) & (GROUPS - 1)) {
        grp *g = &tab[h];
        if (g->key != 0 && g->key != key)
            continue;
        g->key = key;
        int live = 0;
        for (int i = 0; i < g->n; i++)
            if (g->end[i] > t)
                g->end[live++] = g->end[i];
        g->n = live;
        bool ok = live < (int)c->spares;
        if (g->n < 8)
            g->end[g->n++] = end;
        return ok;
    }
    return false; /* table full: count it as an impact (conservative) */
}

static void serve(const cp_rel_spec *rel, const ev *e, double *crew, int ncrew,
                  grp *tab, gsl_rng *rng, cp_rel_replica *o)
{
    const cp_rel_class *c = &rel->cls[e->cls];
    const cp_service *s = &rel->svc;
    int best = 0;
    for (int i = 1; i < ncrew; i++)
        if (crew[i] < crew[best])
            best = i;
    double ready = e->t + s->response_h[c->service];
    double start = fmax(ready, crew[best]);
    double end = start + s->hands_on_h[c->service];
    crew[best] = end;
    double down = end - e->t;
    int year = (int)(e->t / HOURS_PER_YEAR);
    if (year >= CP_MAX_YEARS)
        year = CP_MAX_YEARS - 1;
    double cost = c->parts_usd + s->labour_usd_per_h * s->hands_on_h[c->service] + s->visit_usd;
    o->failures[e->cls]++;
    o->events++;
    o->tech_busy_h += s->hands_on_h[c->service];
    o->queue_wait_h += start - ready;
    o->service_usd += cost;
    o->year_failures[year]++;
    o->year_service_usd[year] += cost;
    if (c->spares > 0 && absorbed(tab, c, e->cls, e->unit, e->t, end))
        return;
    o->link_down_h += c->links_per_event * down;
    o->port_drain_h += c->ports_per_event * down;
    o->stranded_gpu_h += c->gpus_per_event * down;
    o->lost_gpu_h += c->gpus_per_event * down;
    const cp_job *j = &rel->job;
    if (!c->interrupts || gsl_rng_uniform(rng) >= j->share)
        return;
    if (j->degrade_fraction > 0) {
        o->lost_gpu_h += j->gpus * j->degrade_fraction * down;
        return;
    }
    o->interruptions++;
    o->year_interruptions[year]++;
    o->lost_gpu_h += j->gpus * (gsl_rng_uniform(rng) * j->checkpoint_h + j->restart_h);
}

static void one_replica(const cp_rel_spec *rel, size_t index, evbuf *b, grp *tab,
                        cp_rel_replica *o)
{
    memset(o, 0, sizeof *o);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return;
    gsl_rng_set(rng, replica_seed(rel->seed, index));
    b->n = 0;
    for (unsigned k = 0; k < rel->nclasses; k++)
        if (generate(rel, k, rng, b)) {
            o->events = -1; /* out of memory: flagged to the caller */
            gsl_rng_free(rng);
            return;
        }
    if (b->n) /* no events: b->e may be NULL, which qsort may not take */
        qsort(b->e, b->n, sizeof *b->e, cmp_ev);
    double crew[256] = {0};
    int ncrew = (int)fmin(fmax(rel->svc.technicians, 1), 256);
    memset(tab, 0, GROUPS * sizeof *tab);
    for (size_t i = 0; i < b->n; i++)
        serve(rel, &b->e[i], crew, ncrew, tab, rng, o);
    gsl_rng_free(rng);
}

void cp_rel_run(const cp_rel_spec *rel, size_t first, size_t stride, size_t count,
                cp_rel_replica *out)
{
#pragma omp parallel
    {
        evbuf b = {0};
        grp *tab = malloc(GROUPS * sizeof *tab);
#pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < count; i++) {
            if (tab)
                one_replica(rel, first + i * stride, &b, tab, &out[i]);
            else
                out[i].events = -1;
        }
        free(tab);
        free(b.e);
    }
}

/* mean and the half-width of its 95 % interval (normal approximation) */
static cp_stat stat_of(const double *x, size_t stride, size_t n)
{
    cp_stat s = {gsl_stats_mean(x, stride, n), 0};
    if (n > 1)
        s.ci95 = 1.96 * gsl_stats_sd_m(x, stride, n, s.mean) / sqrt((double)n);
    return s;
}

#define FIELD(m) (&reps[0].m) /* stride walks the replica array */

void cp_rel_reduce(const cp_rel_spec *rel, const cp_rel_replica *reps, size_t n,
                   cp_rel_summary *o)
{
    const size_t st = sizeof *reps / sizeof(double);
    double years = rel->years, T = years * HOURS_PER_YEAR;
    memset(o, 0, sizeof *o);
    o->replicas = (double)n;
    for (size_t k = 0; k < rel->nclasses; k++)
        o->failures[k] = stat_of(FIELD(failures[k]), st, n);
    o->events = stat_of(FIELD(events), st, n);
    o->interruptions = stat_of(FIELD(interruptions), st, n);
    o->lost_gpu_h = stat_of(FIELD(lost_gpu_h), st, n);
    o->link_down_h = stat_of(FIELD(link_down_h), st, n);
    o->stranded_gpu_h = stat_of(FIELD(stranded_gpu_h), st, n);
    o->port_drain_h = stat_of(FIELD(port_drain_h), st, n);
    o->service_usd = stat_of(FIELD(service_usd), st, n);
    o->queue_wait_h = stat_of(FIELD(queue_wait_h), st, n);
    for (int y = 0; y < CP_MAX_YEARS && y < (int)ceil(years); y++) {
        o->year_failures[y] = stat_of(FIELD(year_failures[y]), st, n);
        o->year_interruptions[y] = stat_of(FIELD(year_interruptions[y]), st, n);
        o->year_service_usd[y] = stat_of(FIELD(year_service_usd[y]), st, n);
    }
    cp_stat busy = stat_of(FIELD(tech_busy_h), st, n);
    o->failures_per_year = (cp_stat){o->events.mean / years, o->events.ci95 / years};
    o->interruptions_per_day = (cp_stat){o->interruptions.mean / (T / 24),
                                         o->interruptions.ci95 / (T / 24)};
    o->lost_gpu_h_per_year = (cp_stat){o->lost_gpu_h.mean / years, o->lost_gpu_h.ci95 / years};
    double job_h = rel->job.gpus * T;
    o->goodput = (cp_stat){1 - o->lost_gpu_h.mean / job_h, o->lost_gpu_h.ci95 / job_h};
    o->service_usd_per_year = (cp_stat){o->service_usd.mean / years, o->service_usd.ci95 / years};
    o->gpu_idle_usd = (cp_stat){o->lost_gpu_h.mean * rel->gpu_hour_usd,
                                o->lost_gpu_h.ci95 * rel->gpu_hour_usd};
    double crew_h = fmax(rel->svc.technicians, 1) * T;
    o->tech_utilization = (cp_stat){busy.mean / crew_h, busy.ci95 / crew_h};
}

void cp_rel_expected(const cp_rel_spec *rel, cp_rel_replica *o)
{
    memset(o, 0, sizeof *o);
    double T = rel->years * HOURS_PER_YEAR;
    const cp_service *s = &rel->svc;
    for (size_t k = 0; k < rel->nclasses; k++) {
        const cp_rel_class *c = &rel->cls[k];
        double down = s->response_h[c->service] + s->hands_on_h[c->service];
        double n = c->units * c->fail_per_h * T;
        double impact = 1;
        if (c->spares > 0) { /* P(>= spares others of the group down) */
            double m = fmax(c->group_units - 1, 0), q = fmin(c->fail_per_h * down, 1);
            impact = gsl_cdf_binomial_Q((unsigned)c->spares - 1, q, (unsigned)m);
        }
        o->failures[k] = n;
        o->events += n;
        o->service_usd += n * (c->parts_usd + s->labour_usd_per_h * s->hands_on_h[c->service] +
                               s->visit_usd);
        o->tech_busy_h += n * s->hands_on_h[c->service];
        o->link_down_h += n * impact * c->links_per_event * down;
        o->port_drain_h += n * impact * c->ports_per_event * down;
        o->stranded_gpu_h += n * impact * c->gpus_per_event * down;
        o->lost_gpu_h += n * impact * c->gpus_per_event * down;
        if (!c->interrupts)
            continue;
        impact *= rel->job.share;
        if (rel->job.degrade_fraction > 0) {
            o->lost_gpu_h += n * impact * rel->job.gpus * rel->job.degrade_fraction * down;
        } else {
            o->interruptions += n * impact;
            o->lost_gpu_h += n * impact * rel->job.gpus *
                             (rel->job.checkpoint_h / 2 + rel->job.restart_h);
        }
    }
}
