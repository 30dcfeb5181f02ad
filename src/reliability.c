/*
 * reliability.c — fleet Monte Carlo of failures, repairs and training-job
 * interruptions.
 *
 * Each component class is a renewal process per unit: time to failure is
 * Weibull(shape b, scale s) with mean 1/lambda (b = 1: exponential).  Per
 * replica the units that fail within the horizon T are drawn at once,
 * K ~ Binomial(N, F(T)), their first failure times from F truncated to T,
 * then each failed unit renews after its repair.  Events are served in time
 * order by a crew of technicians (a queue when all are busy).
 *
 * Each failure (and each link flap, a class without repair) becomes an
 * impact on the workload: the failure until its repair, and for a
 * co-packaged part that is not field-replaceable, the drain of its leaf from
 * the start of the switch replacement.  The workload pass (workload.c) finds
 * the jobs each impact touches through the placement (placement.c) and what
 * it costs them; GPU-hours lost never exceed the GPUs there are.
 *
 * Replica i draws from its own generator seeded by a hash of (seed, i), so a
 * replica's result is the same whichever thread or MPI rank runs it.
 */
#include "internal.h"
#include "rel_internal.h"
#include "workload.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

double cp_arrhenius(double ea_ev, double tref_c, double t_c)
{
    return exp(ea_ev / CP_BOLTZMANN_EV * (1.0 / (tref_c + 273.15) - 1.0 / (t_c + 273.15)));
}

/* splitmix64 (Steele, Lea, Flood 2014): decorrelated per-replica seeds */
static unsigned long replica_seed(unsigned long seed, size_t i)
{
    unsigned long long z = (unsigned long long)seed + 0x9e3779b97f4a7c15ULL * (i + 1);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return (unsigned long)(z ^ (z >> 31));
}

/* a drain and how many other impacts were generated before it */
typedef struct drain {
    cp_wl_impact im;
    size_t before;
} drain;

typedef struct work {
    cp_rel_event *e;
    size_t ne, cape;
    cp_wl_impact *im;            /* failures and flaps: in time order as served */
    size_t nim, capim;
    drain *dr;                   /* drains: their start may precede later failures */
    size_t ndr, capdr;
    cp_wl_state st;
    cp_event_sort_buf sb;
} work;

static int push_ev(work *w, double t, unsigned cls, unsigned unit)
{
    if (cp_grow((void **)&w->e, &w->cape, w->ne + 1, sizeof *w->e))
        return -1;
    w->e[w->ne++] = (cp_rel_event){t, cls, unit};
    return 0;
}

static int push_impact(work *w, cp_wl_impact x)
{
    if (cp_grow((void **)&w->im, &w->capim, w->nim + 1, sizeof *w->im))
        return -1;
    w->im[w->nim++] = x;
    return 0;
}

static int push_drain(work *w, cp_wl_impact x)
{
    if (cp_grow((void **)&w->dr, &w->capdr, w->ndr + 1, sizeof *w->dr))
        return -1;
    w->dr[w->ndr++] = (drain){x, w->nim};
    return 0;
}

/* impacts in time order, ties by class, then as generated */
static int cmp_impact(const cp_wl_impact *x, const cp_wl_impact *y)
{
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->cls > y->cls) - (x->cls < y->cls);
}

static int cmp_drain(const void *a, const void *b)
{
    const drain *x = a, *y = b;
    int c = cmp_impact(&x->im, &y->im);
    return c ? c : (x->before > y->before) - (x->before < y->before);
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

/* x^(1/beta): x itself for the exponential (pow(x, 1) is x exactly) */
static inline double weib(double x, double beta) { return beta == 1 ? x : pow(x, 1.0 / beta); }

/* Failure times of one class over [0, T): Binomial first failures, then
 * renewals after the expected repair time. */
static int generate(const cp_rel_spec *rel, unsigned k, gsl_rng *rng, work *w)
{
    const cp_rel_class *c = &rel->cls[k];
    double T = rel->years * CP_HOURS_PER_YEAR;
    if (c->units <= 0 || c->fail_per_h <= 0)
        return 0;
    double beta = c->shape;
    double eta = 1.0 / (c->fail_per_h * tgamma(1.0 + 1.0 / beta));
    double FT = -expm1(-pow(T / eta, beta));
    unsigned units = (unsigned)c->units; /* <= CP_REL_MAX_UNITS (cp_rel_estimate) */
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
        double t = eta * weib(-log1p(-u), beta);
        unsigned unit = (unsigned)((offset + i * stride) % units);
        while (t < T) {
            if (push_ev(w, t, k, unit))
                return -1;
            t += rep + eta * weib(-log1p(-gsl_rng_uniform(rng)), beta);
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

typedef struct crew {
    double free_at[CP_MAX_TECHNICIANS];
    int n;
} crew;

/* A failure: its repair by the crew, its cost, and what it does to the
 * fabric; its impacts on the workload (the failure, then a drain of the
 * switch when the part is not field-replaceable) go to the impact list. */
static int serve(const cp_rel_spec *rel, const cp_rel_event *e, crew *cr, grp *tab, work *w,
                 cp_rel_replica *o)
{
    const cp_rel_class *c = &rel->cls[e->cls];
    double T = rel->years * CP_HOURS_PER_YEAR;
    int year = cp_rel_year(e->t);
    o->failures[e->cls]++;
    o->events++;
    o->year_failures[year]++;
    size_t place = cp_rel_unit_place(rel, c, e->unit);
    if (c->transient) /* a flap: back in seconds, no service */
        return push_impact(w, (cp_wl_impact){e->t, e->t, e->cls, CP_IMPACT_FLAP, place});
    const cp_service *s = &rel->svc;
    double ready = e->t + s->response_h[c->service], start = ready, end;
    if (c->server_side) { /* the server team's: no crew, no network cost */
        end = ready + s->hands_on_h[c->service];
    } else {
        int best = 0;
        for (int i = 1; i < cr->n; i++)
            if (cr->free_at[i] < cr->free_at[best])
                best = i;
        start = fmax(ready, cr->free_at[best]);
        end = start + s->hands_on_h[c->service];
        cr->free_at[best] = end;
        double cost = c->parts_usd + s->labour_usd_per_h * s->hands_on_h[c->service] +
                      s->visit_usd;
        o->tech_busy_h += s->hands_on_h[c->service];
        o->queue_wait_h += start - ready;
        o->service_usd += cost;
        o->year_service_usd[year] += cost;
    }
    double down = fmin(end, T) - e->t; /* hours inside the horizon */
    if (c->spares > 0 && absorbed(tab, c, e->cls, e->unit, e->t, end))
        return 0;
    o->link_down_h += c->links_per_event * down;
    o->port_drain_h += c->ports_per_event * down;
    o->stranded_gpu_h += fmin(c->gpus_per_event, cp_rel_cluster_gpus(rel)) * down;
    if (push_impact(w, (cp_wl_impact){e->t, end, e->cls, CP_IMPACT_FAULT, place}))
        return -1;
    if (c->replace_switch && c->tier == 0) /* its leaf, drained for the replacement */
        return push_drain(w, (cp_wl_impact){start, end, e->cls, CP_IMPACT_DRAIN,
                                            cp_gpu_leaf(&rel->geo, place)});
    return 0;
}

#define PREFETCH_AHEAD 16 /* impacts: a few hundred ns of work ahead of a miss */

/* The impacts to the workload in time order.  Failures and flaps were
 * generated in the order of the sorted events, so they are in order already;
 * the drains (a switch's replacement starts when a technician is free) are
 * sorted and merged in, a tie going to the impact generated first: the
 * order a stable sort of all impacts gives. */
static int apply_in_order(const cp_rel_spec *rel, const cp_placement *pl, work *w,
                          gsl_rng *rng, cp_rel_replica *o)
{
    if (w->ndr > 1)
        qsort(w->dr, w->ndr, sizeof *w->dr, cmp_drain);
    size_t i = 0, d = 0;
    int rc = 0;
    while (rc == 0 && (i < w->nim || d < w->ndr)) {
        int c = d == w->ndr ? 1 : i == w->nim ? -1 : cmp_impact(&w->dr[d].im, &w->im[i]);
        bool drain_first = c < 0 || (c == 0 && w->dr[d].before <= i);
        if (i + PREFETCH_AHEAD < w->nim)
            cp_wl_prefetch(rel, pl, &w->im[i + PREFETCH_AHEAD]);
        rc = cp_wl_apply(rel, pl, &w->st, drain_first ? &w->dr[d++].im : &w->im[i++], rng, o);
    }
    return rc;
}

static int one_replica(const cp_rel_spec *rel, const cp_placement *pl, size_t index, work *w,
                       grp *tab, cp_rel_replica *o)
{
    memset(o, 0, sizeof *o);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return -1;
    gsl_rng_set(rng, replica_seed(rel->seed, index));
    const double T = rel->years * CP_HOURS_PER_YEAR;
    w->ne = w->nim = w->ndr = 0;
    int rc = cp_wl_state_init(&w->st, pl);
    for (unsigned k = 0; rc == 0 && k < rel->nclasses; k++)
        rc = generate(rel, k, rng, w);
    if (rc == 0) {
        rc = cp_event_sort(w->e, w->ne, T, &w->sb);
        crew cr = {{0}, (int)fmin(fmax(rel->svc.technicians, 1), CP_MAX_TECHNICIANS)};
        memset(tab, 0, GROUPS * sizeof *tab);
        for (size_t i = 0; rc == 0 && i < w->ne; i++)
            rc = serve(rel, &w->e[i], &cr, tab, w, o);
    }
    if (rc == 0) {
        rc = apply_in_order(rel, pl, w, rng, o);
        if (rc == 0)
            cp_wl_finish(rel, pl, &w->st, o);
    }
    gsl_rng_free(rng);
    return rc;
}

static void work_free(work *w)
{
    free(w->e);
    free(w->im);
    free(w->dr);
    cp_event_sort_free(&w->sb);
    cp_wl_state_free(&w->st);
}

int cp_rel_run(const cp_rel_spec *rel, size_t first, size_t stride, size_t count,
               cp_rel_replica *out, cp_error *err)
{
    cp_rel_cost cost;
    if (cp_rel_estimate(rel, &cost, err) || cp_rel_check_slowdowns(rel, err))
        return -1;
    cp_placement pl; /* the jobs and their checkpoint intervals for these rates */
    double per_h[CP_MAX_CLASSES];
    if (cp_placement_build(rel, &pl, err))
        return -1;
    if (cp_rel_mean_rates(rel, per_h, err) || cp_wl_intervals(rel, &pl, per_h, err)) {
        cp_placement_free(&pl);
        return -1;
    }
    int failed = 0;
#pragma omp parallel reduction(| : failed)
    {
        work w = {0};
        grp *tab = malloc(GROUPS * sizeof *tab);
        failed |= tab == NULL;
#pragma omp for schedule(dynamic, 1)
        for (size_t i = 0; i < count; i++)
            if (tab && !failed)
                failed |= one_replica(rel, &pl, first + i * stride, &w, tab, &out[i]) != 0;
        free(tab);
        work_free(&w);
    }
    cp_placement_free(&pl);
    if (failed)
        return cp_fail(err, rel->name, 0, 0, "out of memory in the reliability simulation "
                       "(expected %.3g events per replica, about %.0f MB per thread)",
                       cost.events_per_replica, cost.bytes_per_thread / 1e6);
    return 0;
}
