/*
 * rel_stats.c — reduction of Monte Carlo replicas in fixed blocks.
 *
 * Replicas are run block by block; a block's replicas are added in index
 * order (Welford 1962), blocks merge in block order (Chan, Golub, LeVeque
 * 1979: n = na + nb, mean = ma + d nb / n, M2 = M2a + M2b + d^2 na nb / n with
 * d = mb - ma).  The block size depends on the replica count only, so the
 * summary is bit-identical for any number of threads and MPI ranks, and no
 * more than one block of replicas is ever held in memory.
 */
#include "internal.h"
#include "rel_internal.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(sizeof(cp_rel_replica) % sizeof(double) == 0, "a replica is all doubles");

#define NREP (sizeof(cp_rel_replica) / sizeof(double))
#define SCORE NREP /* the slot after the replica's fields */
#define MAX_BLOCKS 4096
#define MIN_BLOCK 16

size_t cp_rel_block_size(size_t replicas)
{
    size_t b = (replicas + MAX_BLOCKS - 1) / MAX_BLOCKS;
    return b < MIN_BLOCK ? MIN_BLOCK : b;
}

void cp_rel_acc_add(cp_rel_acc *acc, const cp_rel_replica *rep, double score)
{
    double x[CP_REL_NSTAT];
    memcpy(x, rep, sizeof *rep);
    x[SCORE] = score;
    acc->n += 1;
    for (size_t i = 0; i < CP_REL_NSTAT; i++) {
        double d = x[i] - acc->mean[i];
        acc->mean[i] += d / acc->n;
        acc->m2[i] += d * (x[i] - acc->mean[i]);
    }
}

void cp_rel_acc_merge(cp_rel_acc *into, const cp_rel_acc *from)
{
    if (from->n <= 0)
        return;
    if (into->n <= 0) {
        *into = *from;
        return;
    }
    double na = into->n, nb = from->n, n = na + nb;
    for (size_t i = 0; i < CP_REL_NSTAT; i++) {
        double d = from->mean[i] - into->mean[i];
        into->mean[i] += d * nb / n;
        into->m2[i] += from->m2[i] + d * d * na * nb / n;
    }
    into->n = n;
}

/* mean and the half-width of its 95 % interval (normal approximation) */
static cp_stat stat_at(const cp_rel_acc *a, size_t i)
{
    cp_stat s = {a->mean[i], 0};
    if (a->n > 1)
        s.ci95 = 1.96 * sqrt(fmax(a->m2[i], 0) / (a->n - 1)) / sqrt(a->n);
    return s;
}

static cp_stat scaled(cp_stat s, double k) { return (cp_stat){s.mean * k, s.ci95 * k}; }

#define AT(m) (offsetof(cp_rel_replica, m) / sizeof(double))
#define STAT(m) stat_at(acc, AT(m))

void cp_rel_summarize(const cp_rel_spec *rel, const cp_rel_acc *acc, cp_rel_summary *o)
{
    double years = rel->years, T = years * CP_HOURS_PER_YEAR;
    memset(o, 0, sizeof *o);
    o->replicas = acc->n;
    for (size_t k = 0; k < rel->nclasses; k++)
        o->failures[k] = STAT(failures[k]);
    o->events = STAT(events);
    o->interruptions = STAT(interruptions);
    o->drains = STAT(drains);
    o->spare_waits = STAT(spare_waits);
    o->degraded_gpu_h = STAT(degraded_gpu_h);
    o->lost_gpu_h = STAT(lost_gpu_h);
    o->link_down_h = STAT(link_down_h);
    o->stranded_gpu_h = STAT(stranded_gpu_h);
    o->port_drain_h = STAT(port_drain_h);
    o->service_usd = STAT(service_usd);
    o->queue_wait_h = STAT(queue_wait_h);
    for (int y = 0; y < CP_MAX_YEARS && y < (int)ceil(years); y++) {
        o->year_failures[y] = STAT(year_failures[y]);
        o->year_interruptions[y] = STAT(year_interruptions[y]);
        o->year_service_usd[y] = STAT(year_service_usd[y]);
        o->year_lost_gpu_h[y] = STAT(year_lost_gpu_h[y]);
    }
    o->score = stat_at(acc, SCORE);
    o->failures_per_year = scaled(o->events, 1 / years);
    o->interruptions_per_day = scaled(o->interruptions, 24 / T);
    o->lost_gpu_h_per_year = scaled(o->lost_gpu_h, 1 / years);
    /* useful share of the GPU-hours there are */
    double gpu_h = cp_rel_cluster_gpus(rel) * T;
    o->goodput = (cp_stat){1 - o->lost_gpu_h.mean / gpu_h, o->lost_gpu_h.ci95 / gpu_h};
    o->service_usd_per_year = scaled(o->service_usd, 1 / years);
    o->gpu_idle_usd = scaled(o->lost_gpu_h, rel->job.gpu_hour_usd);
    /* a cloud's degraded GPU-hours at its SLA price (0 for the others) */
    cp_stat deg = scaled(o->degraded_gpu_h, rel->job.degraded_usd_per_gpu_h);
    o->gpu_idle_usd = (cp_stat){o->gpu_idle_usd.mean + deg.mean,
                                hypot(o->gpu_idle_usd.ci95, deg.ci95)};
    double crew_h = fmax(rel->svc.technicians, 1) * T;
    o->tech_utilization = scaled(STAT(tech_busy_h), 1 / crew_h);
}

void cp_rel_reduce(const cp_rel_spec *rel, const cp_rel_replica *reps, size_t n,
                   cp_rel_summary *out)
{
    cp_rel_acc acc;
    memset(&acc, 0, sizeof acc);
    for (size_t i = 0; i < n; i++)
        cp_rel_acc_add(&acc, &reps[i], 0);
    cp_rel_summarize(rel, &acc, out);
}

int cp_rel_run_block(const cp_rel_spec *rel, size_t first, size_t count,
                     cp_rel_score_fn score, void *ctx, cp_rel_acc *acc, cp_error *err)
{
    memset(acc, 0, sizeof *acc);
    cp_rel_replica *reps = calloc(count ? count : 1, sizeof *reps);
    if (!reps)
        return cp_fail(err, rel->name, 0, 0, "out of memory for %zu replicas", count);
    int rc = cp_rel_run(rel, first, 1, count, reps, err);
    for (size_t i = 0; rc == 0 && i < count; i++)
        cp_rel_acc_add(acc, &reps[i], score ? score(&reps[i], ctx) : 0);
    free(reps);
    return rc;
}

int cp_rel_simulate(const cp_rel_spec *rel, cp_rel_score_fn score, void *ctx,
                    cp_rel_summary *out, cp_error *err)
{
    size_t n = (size_t)rel->replicas, bs = cp_rel_block_size(n);
    cp_rel_acc *all = calloc(1, sizeof *all), *blk = calloc(1, sizeof *blk);
    int rc = all && blk ? 0 : cp_fail(err, rel->name, 0, 0, "out of memory");
    for (size_t first = 0; rc == 0 && first < n; first += bs) {
        rc = cp_rel_run_block(rel, first, n - first < bs ? n - first : bs, score, ctx, blk, err);
        if (rc == 0)
            cp_rel_acc_merge(all, blk);
    }
    if (rc == 0)
        cp_rel_summarize(rel, all, out);
    free(all);
    free(blk);
    return rc;
}
