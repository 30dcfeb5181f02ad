/*
 * placement.c — the jobs of a workload placed on the GPUs of a sized fabric.
 *
 * Sizes.  Jobs of size g_s take the share f_s of the GPUs there are after
 * the spares (U = N - spares): floor(f_s U / g_s) jobs of that size (a share
 * of 1 with a size that does not divide U leaves the rest unused).  Without
 * sizes, one job of `gpus` (the whole cluster less spares by default).
 *
 * Contiguous: jobs in order of size, largest first, on consecutive GPUs from
 * GPU 0, so a job of a power-of-two size fills whole leaves and pods as a
 * scheduler packing jobs by topology would.  Scattered: GPUs are drawn in a
 * random order of whole servers (a Fisher-Yates shuffle seeded by the spec's seed) and jobs
 * take consecutive runs of that order.  Spares are the GPUs after the jobs.
 *
 * GPU g sits on leaf e / d (e = g x NICs per GPU, d the leaf's GPU-facing
 * ports), or on a rail topology on leaf (server / d) x rails + rail, as the
 * fabric graph wires it; leaf l is in pod l / (leaves per pod).
 */
#include "internal.h"
#include "rel_internal.h"

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_GPUS 4e9     /* GPU indices are 32-bit */

/* what the placement needs of the sized fabric (as fabric_graph.c wires it) */
void cp_rel_geometry_of(const cp_fabric_spec *f, const cp_fabric_result *r,
                        double gpus_per_node, cp_rel_geometry *g)
{
    double P = fmax(f->planes, 1);
    g->gpus = f->gpus;
    g->nics_per_gpu = fmax(f->nics_per_gpu, 1);
    g->planes = P;
    g->leaves = fmax(r->tier[0].switches / P, 1);
    g->endpoints_per_leaf = fmax(r->tier[0].down, 1);
    g->leaves_per_pod = f->ntiers == 3 ? fmax(r->tier[1].down, 1) : g->leaves;
    g->rails = f->topology == CP_TOPO_RAIL ? f->rails : 0;
    g->gpus_per_node = gpus_per_node;
}

size_t cp_gpu_leaf(const cp_rel_geometry *g, size_t gpu)
{
    size_t e = (size_t)((double)gpu * g->nics_per_gpu), d = (size_t)fmax(g->endpoints_per_leaf, 1);
    size_t leaf = e / d;
    if (g->rails >= 1) {
        size_t rails = (size_t)g->rails, server = e / rails, rail = e % rails;
        leaf = (server / d) * rails + rail;
    }
    size_t L = (size_t)fmax(g->leaves, 1);
    return leaf < L ? leaf : L - 1;
}

static size_t pod_of(const cp_rel_geometry *g, size_t leaf)
{
    return leaf / (size_t)fmax(g->leaves_per_pod, 1);
}

/* fmod(v, n) for v >= 0 whole: v itself below n (one plane), the integer
 * remainder for whole numbers (fmod is exact, so the same), else libm's */
static double place_mod(double v, double n)
{
    if (v < n)
        return v;
    if (v < 0x1p53 && n == floor(n))
        return (double)((unsigned long long)v % (unsigned long long)n);
    return fmod(v, n);
}

size_t cp_rel_unit_place(const cp_rel_spec *rel, const cp_rel_class *c, double unit)
{
    const cp_rel_geometry *g = &rel->geo;
    double n; /* places of one plane; units spread over the places of every plane */
    switch (c->scope) {
    case CP_SCOPE_GPU:
        n = g->gpus;
        break;
    case CP_SCOPE_LEAF:
    case CP_SCOPE_LEAF_PATH:
        n = g->leaves;
        break;
    case CP_SCOPE_POD:
    case CP_SCOPE_POD_PATH:
        n = cp_rel_pods(g);
        break;
    default:
        return 0;
    }
    n = fmax(n, 1);
    /* a GPU-side unit serves a block of GPUs: its first (so an event over
     * the block's GPUs stays in it); other units the place at their centre */
    double x = (unit + (c->scope == CP_SCOPE_GPU ? 1e-9 : 0.5)) / fmax(c->units, 1);
    double v = floor(x * n * fmax(g->planes, 1));
    size_t at = (size_t)fmin(place_mod(v, n), n - 1);
    if (c->server_side && g->gpus_per_node > 1) { /* a server: its first GPU */
        size_t b = (size_t)g->gpus_per_node;
        at -= (b & (b - 1)) == 0 ? at & (b - 1) : at % b; /* a power of two: a mask */
    }
    return at;
}

void cp_placement_free(cp_placement *pl)
{
    free(pl->job);
    free(pl->gpu_job);
    free(pl->leaf_row);
    free(pl->leaf_job);
    free(pl->leaf_gpus);
    free(pl->pod_row);
    free(pl->pod_job);
    free(pl->wide);
    memset(pl, 0, sizeof *pl);
}

static int cmp_size_desc(const void *a, const void *b)
{
    const cp_job_size *x = a, *y = b;
    return (x->gpus < y->gpus) - (x->gpus > y->gpus);
}

/* the sizes in placement order and the number of jobs of each */
static int job_counts(const cp_rel_spec *rel, double usable, cp_job_size *sz, double *count,
                      size_t *nsz, double *njobs, cp_error *err)
{
    const cp_job *j = &rel->job;
    *nsz = j->nsizes ? j->nsizes : 1;
    if (j->nsizes)
        memcpy(sz, j->size, j->nsizes * sizeof *sz);
    else
        sz[0] = (cp_job_size){j->gpus > 0 ? fmin(j->gpus, usable) : usable, 1,
                              j->checkpoint_cost_h};
    qsort(sz, *nsz, sizeof *sz, cmp_size_desc);
    double used = 0, share = 0;
    *njobs = 0;
    for (size_t s = 0; s < *nsz; s++) {
        share += sz[s].share;
        count[s] = sz[s].gpus > 0 ? floor(sz[s].share * usable / sz[s].gpus + 1e-9) : 0;
        if (j->nsizes == 0)
            count[s] = 1;
        used += count[s] * sz[s].gpus;
        *njobs += count[s];
    }
    if (share > 1 + 1e-9 || used > usable + 1e-9 || !(sz[0].gpus >= 1))
        return cp_fail(err, rel->name, 0, 0, "workload '%s': job sizes take %g of the GPUs "
                       "(%g GPUs) but %g GPUs are there besides %g spares; shares must sum "
                       "to at most 1 and a job needs at least one GPU", j->name, share, used,
                       usable, j->spare_gpus);
    if (*njobs > MAX_GPUS)
        return cp_fail(err, rel->name, 0, 0, "workload '%s': %g jobs; at most %g", j->name,
                       *njobs, MAX_GPUS);
    return 0;
}

/* the order GPUs are handed out in: identity, or a seeded shuffle of whole
 * servers (gpus_per_node consecutive GPUs; a job of a server or less stays
 * on one server, as a cloud scheduler places instances) */
static unsigned *gpu_order(const cp_rel_spec *rel, size_t n)
{
    unsigned *ord = malloc((n ? n : 1) * sizeof *ord);
    if (!ord)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ord[i] = (unsigned)i;
    size_t b = rel->geo.gpus_per_node >= 1 ? (size_t)rel->geo.gpus_per_node : 1;
    size_t nb = (n + b - 1) / b;
    if (rel->job.placement != CP_PLACE_SCATTERED || nb < 2)
        return ord;
    unsigned *blk = malloc(nb * sizeof *blk);
    gsl_rng *r = blk ? gsl_rng_alloc(gsl_rng_mt19937) : NULL;
    if (!r) {
        free(blk);
        free(ord);
        return NULL;
    }
    for (size_t i = 0; i < nb; i++)
        blk[i] = (unsigned)i;
    gsl_rng_set(r, rel->seed ^ 0x5ca77e5edUL);
    for (size_t i = nb - 1; i > 0; i--) {
        size_t k = gsl_rng_uniform_int(r, i + 1);
        unsigned t = blk[i];
        blk[i] = blk[k];
        blk[k] = t;
    }
    gsl_rng_free(r);
    size_t at = 0;
    for (size_t i = 0; i < nb; i++)
        for (size_t g = blk[i] * b; g < n && g < (blk[i] + 1) * b; g++)
            ord[at++] = (unsigned)g;
    free(blk);
    return ord;
}

/* Leaf CSR (job, GPUs under the leaf), spans of each job, pod CSR, wide
 * jobs.  The GPUs are bucketed by leaf, then each leaf lists a job once:
 * jseen[j] is the last leaf (and pod) job j was listed for, jat[j] its
 * entry there.  Linear in GPUs, whatever the placement interleaves. */
static int index_jobs(const cp_rel_geometry *g, cp_placement *pl)
{
    size_t L = pl->nleaves, P = pl->npods, J = pl->njobs, N = pl->ngpus;
    size_t *by_leaf = calloc(L + 1, sizeof *by_leaf), *jat = malloc((J ? J : 1) * sizeof *jat);
    unsigned *gpus = malloc((N ? N : 1) * sizeof *gpus);
    size_t *jseen = malloc((J ? J : 1) * sizeof *jseen);
    pl->leaf_row = calloc(L + 1, sizeof *pl->leaf_row);
    pl->pod_row = calloc(P + 1, sizeof *pl->pod_row);
    pl->leaf_job = malloc((N ? N : 1) * sizeof *pl->leaf_job); /* at most one entry a GPU */
    pl->leaf_gpus = malloc((N ? N : 1) * sizeof *pl->leaf_gpus);
    int rc = by_leaf && jat && gpus && jseen && pl->leaf_row && pl->pod_row && pl->leaf_job &&
             pl->leaf_gpus ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < N; i++)
        by_leaf[cp_gpu_leaf(g, i) + 1]++;
    for (size_t l = 0; rc == 0 && l < L; l++)
        by_leaf[l + 1] += by_leaf[l];
    for (size_t i = 0; rc == 0 && i < N; i++)
        gpus[by_leaf[cp_gpu_leaf(g, i)]++] = (unsigned)i; /* by_leaf[l]: end of leaf l */
    size_t ne = 0;
    for (size_t j = 0; rc == 0 && j < J; j++)
        jseen[j] = SIZE_MAX;
    for (size_t l = 0, first = 0; rc == 0 && l < L; first = by_leaf[l++]) {
        for (size_t k = first; k < by_leaf[l]; k++) {
            unsigned j = pl->gpu_job[gpus[k]];
            if (j == CP_NO_JOB)
                continue;
            if (jseen[j] != l) {
                jseen[j] = l;
                jat[j] = ne;
                pl->leaf_job[ne] = j;
                pl->leaf_gpus[ne++] = 0;
                pl->job[j].leaves++;
            }
            pl->leaf_gpus[jat[j]]++;
        }
        pl->leaf_row[l + 1] = ne;
    }
    /* pods: every job, once per pod it has GPUs in (leaves of a pod are
     * consecutive); a fault at a pod's spine reaches jobs spanning leaves
     * and cloud tenants (workload.c) */
    for (int pass = 0; rc == 0 && pass < 2; pass++) {
        for (size_t j = 0; j < J; j++)
            jseen[j] = SIZE_MAX;
        for (size_t l = 0; l < L; l++) {
            size_t p = pod_of(g, l);
            for (size_t k = pl->leaf_row[l]; k < pl->leaf_row[l + 1]; k++) {
                unsigned j = pl->leaf_job[k];
                if (jseen[j] == p)
                    continue;
                jseen[j] = p;
                if (pass == 0) {
                    pl->pod_row[p + 1]++;
                    pl->job[j].pods++;
                } else {
                    pl->pod_job[by_leaf[p]++] = j;
                }
            }
        }
        if (pass == 0) {
            for (size_t p = 0; p < P; p++)
                pl->pod_row[p + 1] += pl->pod_row[p];
            pl->pod_job = malloc((pl->pod_row[P] ? pl->pod_row[P] : 1) * sizeof *pl->pod_job);
            rc = pl->pod_job ? 0 : -1;
            for (size_t p = 0; rc == 0 && p < P; p++) /* reused: next slot of each pod */
                by_leaf[p] = pl->pod_row[p];
        }
    }
    free(by_leaf);
    free(jat);
    free(gpus);
    free(jseen);
    if (rc)
        return -1;
    for (size_t j = 0; j < J; j++) {
        if (pl->job[j].leaves < 2)
            pl->job[j].pods = 1;
        pl->nwide += pl->job[j].pods > 1;
    }
    pl->wide = malloc((pl->nwide ? pl->nwide : 1) * sizeof *pl->wide);
    if (!pl->wide)
        return -1;
    for (size_t j = 0, n = 0; j < J; j++)
        if (pl->job[j].pods > 1)
            pl->wide[n++] = (unsigned)j;
    return 0;
}

int cp_placement_build(const cp_rel_spec *rel, cp_placement *pl, cp_error *err)
{
    memset(pl, 0, sizeof *pl);
    const cp_rel_geometry *g = &rel->geo;
    double N = cp_rel_cluster_gpus(rel);
    if (!(N >= 1 && N <= MAX_GPUS))
        return cp_fail(err, rel->name, 0, 0, "placement: %g GPUs; expected 1..%g", N, MAX_GPUS);
    double usable = N - rel->job.spare_gpus;
    if (!(usable >= 1))
        return cp_fail(err, rel->name, 0, 0, "workload '%s': %g spare GPUs leave none of the "
                       "%g for jobs", rel->job.name, rel->job.spare_gpus, N);
    cp_job_size sz[CP_MAX_JOB_SIZES];
    double count[CP_MAX_JOB_SIZES], njobs;
    size_t nsz;
    if (job_counts(rel, usable, sz, count, &nsz, &njobs, err))
        return -1;
    pl->ngpus = (size_t)N;
    pl->nleaves = (size_t)fmax(g->leaves, 1);
    pl->npods = (size_t)cp_rel_pods(g);
    pl->njobs = (size_t)njobs;
    pl->job = calloc(pl->njobs ? pl->njobs : 1, sizeof *pl->job);
    pl->gpu_job = malloc(pl->ngpus * sizeof *pl->gpu_job);
    unsigned *ord = gpu_order(rel, pl->ngpus);
    if (!pl->job || !pl->gpu_job || !ord) {
        free(ord);
        cp_placement_free(pl);
        return cp_fail(err, rel->name, 0, 0, "out of memory placing %g jobs on %g GPUs",
                       njobs, N);
    }
    memset(pl->gpu_job, 0xff, pl->ngpus * sizeof *pl->gpu_job);
    size_t next = 0, j = 0;
    for (size_t s = 0; s < nsz; s++)
        for (double k = 0; k < count[s]; k++, j++) {
            size_t n = (size_t)sz[s].gpus;
            pl->job[j] = (cp_pjob){(double)n, 0, 0, sz[s].checkpoint_cost_h, rel->job.checkpoint_h};
            for (size_t i = 0; i < n; i++)
                pl->gpu_job[ord[next++]] = (unsigned)j;
        }
    free(ord);
    if (index_jobs(g, pl)) {
        cp_placement_free(pl);
        return cp_fail(err, rel->name, 0, 0, "out of memory indexing %g jobs on %g GPUs",
                       njobs, N);
    }
    return 0;
}
