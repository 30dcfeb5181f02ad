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
 * The job (busy-window model).  A failure that hits the job while it runs
 * stops it: the work since its last checkpoint is lost and the job is down
 * for the restart time R.  A failure that hits it while it is down restarts
 * the restart: the window ends R after the last such failure, and nothing
 * more is lost (the same hours are never lost twice).  Checkpoints fall every
 * tau of run time after a (re)start.  With degrade_fraction f > 0 a hit slows
 * the job by f until the repair instead; overlapping slow-downs do not add.
 * GPUs cut off by a leaf-level fault are idle until its repair.  GPU-hours
 * idle at time t: min(N, w G + (1 - w share) S), w = 1 (or f) while the job
 * is lost (or slowed), S the GPUs cut off: never more than the N GPUs there
 * are, per replica and per year.  For Poisson hits of rate lambda this gives a
 * job time share lost of 1 - lambda tau e^(-lambda R) / (e^(lambda tau) - 1)
 * (derivation in rel_expected.c).
 *
 * Replica i draws from its own generator seeded by a hash of (seed, i), so a
 * replica's result is the same whichever thread or MPI rank runs it.
 */
#include "internal.h"
#include "rel_internal.h"

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

typedef struct ev {
    double t;
    unsigned cls;
    unsigned unit;
} ev;

/* an interval [t0, t1) of weight w: a job loss, or GPUs cut off */
typedef struct span {
    double t0, t1, w;
} span;

/* a change of the job weight (dw) or of the GPUs cut off (dg) at t */
typedef struct edge {
    double t, dw, dg;
} edge;

/* growable arrays, kept per thread across replicas */
typedef struct work {
    ev *e;
    size_t ne, cape;
    span *job, *cut;
    size_t njob, capjob, ncut, capcut;
    edge *edge;
    size_t capedge;
} work;

static int grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

static int push_ev(work *w, double t, unsigned cls, unsigned unit)
{
    if (grow((void **)&w->e, &w->cape, w->ne + 1, sizeof *w->e))
        return -1;
    w->e[w->ne++] = (ev){t, cls, unit};
    return 0;
}

static int push_span(span **s, size_t *n, size_t *cap, span x)
{
    if (grow((void **)s, cap, *n + 1, sizeof **s))
        return -1;
    (*s)[(*n)++] = x;
    return 0;
}

static int cmp_ev(const void *a, const void *b)
{
    const ev *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->cls > y->cls) - (x->cls < y->cls);
}

static int cmp_edge(const void *a, const void *b)
{
    const edge *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
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
        double t = eta * pow(-log1p(-u), 1.0 / beta);
        unsigned unit = (unsigned)((offset + i * stride) % units);
        while (t < T) {
            if (push_ev(w, t, k, unit))
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

/* The job's state between events: the open loss interval and the last
 * (re)start, from which checkpoints are counted. */
typedef struct job_track {
    span cur;
    bool open;
    double resume;
} job_track;

/* A hit at t: a new loss [last checkpoint, end) when the job runs, or the
 * open window extended to end when it is already down (or slowed). */
static int job_hit(const cp_job *j, job_track *jt, work *w, double t, double end, double wt)
{
    if (jt->open && t < jt->cur.t1) {
        jt->cur.t1 = fmax(jt->cur.t1, end);
        return 0;
    }
    if (jt->open) {
        if (push_span(&w->job, &w->njob, &w->capjob, jt->cur))
            return -1;
        jt->resume = jt->cur.t1;
    }
    double from = t, period = j->checkpoint_h + j->checkpoint_cost_h;
    if (j->degrade_fraction <= 0 && j->checkpoint_h > 0) /* back to the last one written */
        from = jt->resume + floor((t - jt->resume) / period) * period;
    jt->cur = (span){from, end, wt};
    jt->open = true;
    return 0;
}

typedef struct crew {
    double free_at[CP_MAX_TECHNICIANS];
    int n;
} crew;

static int serve(const cp_rel_spec *rel, const ev *e, crew *cr, grp *tab, gsl_rng *rng,
                 job_track *jt, work *w, cp_rel_replica *o)
{
    const cp_rel_class *c = &rel->cls[e->cls];
    const cp_service *s = &rel->svc;
    const cp_job *j = &rel->job;
    double T = rel->years * CP_HOURS_PER_YEAR;
    int best = 0;
    for (int i = 1; i < cr->n; i++)
        if (cr->free_at[i] < cr->free_at[best])
            best = i;
    double ready = e->t + s->response_h[c->service];
    double start = fmax(ready, cr->free_at[best]);
    double end = start + s->hands_on_h[c->service];
    cr->free_at[best] = end;
    double down = fmin(end, T) - e->t; /* hours inside the horizon */
    int year = cp_rel_year(e->t);
    double cost = c->parts_usd + s->labour_usd_per_h * s->hands_on_h[c->service] + s->visit_usd;
    o->failures[e->cls]++;
    o->events++;
    o->tech_busy_h += s->hands_on_h[c->service];
    o->queue_wait_h += start - ready;
    o->service_usd += cost;
    o->year_failures[year]++;
    o->year_service_usd[year] += cost;
    if (c->spares > 0 && absorbed(tab, c, e->cls, e->unit, e->t, end))
        return 0;
    o->link_down_h += c->links_per_event * down;
    o->port_drain_h += c->ports_per_event * down;
    if (c->gpus_per_event > 0 &&
        push_span(&w->cut, &w->ncut, &w->capcut, (span){e->t, end, c->gpus_per_event}))
        return -1;
    if (!c->interrupts || gsl_rng_uniform(rng) >= j->share)
        return 0;
    if (j->degrade_fraction > 0)
        return job_hit(j, jt, w, e->t, end, j->degrade_fraction);
    o->interruptions++;
    o->year_interruptions[year]++;
    return job_hit(j, jt, w, e->t, e->t + j->restart_h, 1);
}

/* GPU-hours idle in [a, b) at a constant rate, split over the years */
static void idle_add(cp_rel_replica *o, double a, double b, double gpus)
{
    while (a < b) {
        int y = cp_rel_year(a);
        double yb = y == CP_MAX_YEARS - 1 ? b : fmin(b, (y + 1) * CP_HOURS_PER_YEAR);
        o->year_lost_gpu_h[y] += gpus * (yb - a);
        o->lost_gpu_h += gpus * (yb - a);
        a = yb;
    }
}

/* Sweep over the job losses and the GPUs cut off (both clipped to T). */
static int sweep(const cp_rel_spec *rel, work *w, cp_rel_replica *o)
{
    double T = rel->years * CP_HOURS_PER_YEAR, N = cp_rel_cluster_gpus(rel);
    double G = rel->job.gpus, share = rel->job.share;
    /* while the job runs it spends C of every tau + C writing checkpoints */
    const cp_job *j = &rel->job;
    double ov = j->degrade_fraction <= 0 && j->checkpoint_h > 0 && j->checkpoint_cost_h > 0
                    ? j->checkpoint_cost_h / (j->checkpoint_h + j->checkpoint_cost_h) : 0;
    if (grow((void **)&w->edge, &w->capedge, 2 * (w->njob + w->ncut), sizeof *w->edge))
        return -1;
    size_t ne = 0;
    for (int pass = 0; pass < 2; pass++) {
        const span *s = pass ? w->cut : w->job;
        size_t n = pass ? w->ncut : w->njob;
        for (size_t i = 0; i < n; i++) {
            if (s[i].t0 >= T)
                continue;
            double t1 = fmin(s[i].t1, T);
            w->edge[ne++] = pass ? (edge){s[i].t0, 0, s[i].w} : (edge){s[i].t0, s[i].w, 0};
            w->edge[ne++] = pass ? (edge){t1, 0, -s[i].w} : (edge){t1, -s[i].w, 0};
        }
    }
    if (ne > 1)
        qsort(w->edge, ne, sizeof *w->edge, cmp_edge);
    double wt = 0, cut = 0, prev = 0;
    for (size_t i = 0; i < ne; i++) {
        const edge *x = &w->edge[i];
        if (x->t > prev) {
            double c = cut > 1e-9 ? cut : 0; /* sums of +-g leave rounding residue */
            double lost = wt + (1 - fmin(wt, 1)) * ov;
            o->job_lost_h += lost * (x->t - prev);
            o->stranded_gpu_h += fmin(N, c) * (x->t - prev);
            idle_add(o, prev, x->t, fmin(N, lost * G + (1 - wt * share) * c));
            prev = x->t;
        }
        wt += x->dw;
        cut += x->dg;
    }
    if (prev < T && ov > 0) { /* up to the horizon, after the last loss */
        o->job_lost_h += ov * (T - prev);
        idle_add(o, prev, T, fmin(N, ov * G));
    }
    return 0;
}

static int one_replica(const cp_rel_spec *rel, size_t index, work *w, grp *tab,
                       cp_rel_replica *o)
{
    memset(o, 0, sizeof *o);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return -1;
    gsl_rng_set(rng, replica_seed(rel->seed, index));
    w->ne = w->njob = w->ncut = 0;
    int rc = 0;
    for (unsigned k = 0; rc == 0 && k < rel->nclasses; k++)
        rc = generate(rel, k, rng, w);
    if (rc == 0) {
        if (w->ne > 1)
            qsort(w->e, w->ne, sizeof *w->e, cmp_ev);
        crew cr = {{0}, (int)fmin(fmax(rel->svc.technicians, 1), CP_MAX_TECHNICIANS)};
        job_track jt = {{0, 0, 0}, false, 0};
        memset(tab, 0, GROUPS * sizeof *tab);
        for (size_t i = 0; rc == 0 && i < w->ne; i++)
            rc = serve(rel, &w->e[i], &cr, tab, rng, &jt, w, o);
        if (rc == 0 && jt.open)
            rc = push_span(&w->job, &w->njob, &w->capjob, jt.cur);
        if (rc == 0)
            rc = sweep(rel, w, o);
    }
    gsl_rng_free(rng);
    return rc;
}

static void work_free(work *w)
{
    free(w->e);
    free(w->job);
    free(w->cut);
    free(w->edge);
}

int cp_rel_run(const cp_rel_spec *rel, size_t first, size_t stride, size_t count,
               cp_rel_replica *out, cp_error *err)
{
    cp_rel_cost cost;
    if (cp_rel_estimate(rel, &cost, err))
        return -1;
    cp_rel_spec *own = NULL; /* an `auto` interval for the rates as they are now */
    if (rel->job.checkpoint_auto) {
        if (!(own = malloc(sizeof *own)))
            return cp_fail(err, rel->name, 0, 0, "out of memory");
        *own = *rel;
        if (cp_rel_checkpoint_resolve(own, err)) {
            free(own);
            return -1;
        }
        rel = own;
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
                failed |= one_replica(rel, first + i * stride, &w, tab, &out[i]) != 0;
        free(tab);
        work_free(&w);
    }
    free(own);
    if (failed)
        return cp_fail(err, rel->name, 0, 0, "out of memory in the reliability simulation "
                       "(expected %.3g events per replica, about %.0f MB per thread)",
                       cost.events_per_replica, cost.bytes_per_thread / 1e6);
    return 0;
}
