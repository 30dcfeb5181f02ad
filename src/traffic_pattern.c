/*
 * traffic_pattern.c — collectives and traffic matrices as phases of
 * concurrent flows between a job's n GPUs (in GPU order, which for a
 * contiguous job follows the leaves: a topology-ordered ring).
 *
 * With S the bytes of each GPU's buffer:
 *   ring all-reduce       2(n-1) steps, GPU i sends S/n to GPU i+1 (mod n):
 *                         reduce-scatter then all-gather (Patarasuk & Yuan,
 *                         JPDC 69(2), 2009): 2(n-1)/n S/B + 2(n-1) alpha on a
 *                         non-blocking fabric;
 *   reduce-scatter,       n-1 such steps each;
 *   all-gather
 *   tree all-reduce       binomial tree: reduce in ceil(log2 n) steps (at step
 *                         k GPU i + 2^k sends S to GPU i, i a multiple of
 *                         2^(k+1)), then broadcast in the reverse order;
 *   all-to-all            one step, every GPU sends S/n to every other;
 *   permutation           one step, GPU i sends S to GPU pi(i) (a seeded
 *                         shuffle; fixed points send nothing);
 *   uniform               one step, S spread evenly over the other n-1 GPUs;
 *   hot-spot              one step, every GPU sends S to the first (incast).
 */
#include "traffic_internal.h"

#include <gsl/gsl_rng.h>
#include <stdlib.h>
#include <string.h>

const char *cp_collective_key(cp_collective c)
{
    static const char *const k[] = {"ring-allreduce", "tree-allreduce", "reduce-scatter",
                                    "all-gather", "all-to-all", "permutation", "uniform",
                                    "hot-spot"};
    return c < CP_COLL_COUNT ? k[c] : "?";
}

double tr_plan_flows(cp_collective c, double n)
{
    switch (c) {
    case CP_COLL_ALL_TO_ALL:
    case CP_COLL_UNIFORM:
        return n * (n - 1);
    default:
        return n; /* tree: at most n/2 per step, n in all */
    }
}

void tr_plan_free(tr_plan *p)
{
    for (size_t i = 0; p->ph && i < p->n; i++)
        free(p->ph[i].flows);
    free(p->ph);
    memset(p, 0, sizeof *p);
}

static tr_phase *add_phase(tr_plan *p, size_t nflows, double bytes, double repeat, double deg)
{
    tr_phase *ph = &p->ph[p->n++];
    *ph = (tr_phase){malloc((nflows ? nflows : 1) * sizeof(cp_flow)), 0, false, bytes, repeat,
                     deg};
    return ph->flows ? ph : NULL;
}

static int ring(tr_plan *p, const unsigned *g, size_t n, double bytes, double repeat)
{
    tr_phase *ph = add_phase(p, n, bytes, repeat, 1);
    if (!ph)
        return -1;
    for (size_t i = 0; i < n && n > 1; i++)
        ph->flows[ph->nflows++] = (cp_flow){g[i], g[(i + 1) % n]};
    return 0;
}

static int tree(tr_plan *p, const unsigned *g, size_t n, double bytes)
{
    size_t K = 0;
    while (((size_t)1 << K) < n)
        K++;
    for (size_t s = 0; s < 2 * K; s++) { /* reduce k = 0..K-1, then broadcast back */
        size_t k = s < K ? s : 2 * K - 1 - s, h = (size_t)1 << k;
        tr_phase *ph = add_phase(p, n / 2 + 1, bytes, 1, 1);
        if (!ph)
            return -1;
        for (size_t i = 0; i + h < n; i += 2 * h)
            ph->flows[ph->nflows++] = s < K ? (cp_flow){g[i + h], g[i]}
                                            : (cp_flow){g[i], g[i + h]};
    }
    return 0;
}

static int permutation(tr_plan *p, const unsigned *g, size_t n, double bytes,
                       unsigned long seed)
{
    tr_phase *ph = add_phase(p, n, bytes, 1, 1);
    size_t *pi = malloc((n ? n : 1) * sizeof *pi);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!ph || !pi || !r) {
        free(pi);
        if (r)
            gsl_rng_free(r);
        return -1;
    }
    gsl_rng_set(r, seed);
    for (size_t i = 0; i < n; i++)
        pi[i] = i;
    for (size_t i = n; i > 1; i--) { /* Fisher-Yates */
        size_t k = gsl_rng_uniform_int(r, i), t = pi[i - 1];
        pi[i - 1] = pi[k], pi[k] = t;
    }
    for (size_t i = 0; i < n; i++)
        if (pi[i] != i)
            ph->flows[ph->nflows++] = (cp_flow){g[i], g[pi[i]]};
    free(pi);
    gsl_rng_free(r);
    return 0;
}

static int build(cp_collective c, const unsigned *g, size_t n, double S, unsigned long seed,
                 tr_plan *p)
{
    double N = (double)n;
    switch (c) {
    case CP_COLL_RING_ALLREDUCE:
        p->steps = 2 * (N - 1);
        return ring(p, g, n, S / N, 2 * (N - 1));
    case CP_COLL_REDUCE_SCATTER:
    case CP_COLL_ALL_GATHER:
        p->steps = N - 1;
        return ring(p, g, n, S / N, N - 1);
    case CP_COLL_TREE_ALLREDUCE:
        if (tree(p, g, n, S))
            return -1;
        p->steps = (double)p->n;
        return 0;
    case CP_COLL_ALL_TO_ALL:
    case CP_COLL_UNIFORM:
        p->steps = 1;
        p->ph[p->n++] = (tr_phase){NULL, 0, true, c == CP_COLL_UNIFORM ? S / (N - 1) : S / N,
                                   1, N - 1};
        return 0;
    case CP_COLL_PERMUTATION:
        p->steps = 1;
        return permutation(p, g, n, S, seed);
    case CP_COLL_HOT_SPOT: {
        p->steps = 1;
        tr_phase *ph = add_phase(p, n, S, 1, N - 1);
        if (!ph)
            return -1;
        for (size_t i = 1; i < n; i++)
            ph->flows[ph->nflows++] = (cp_flow){g[i], g[0]};
        return 0;
    }
    default:
        return -1;
    }
}

int tr_plan_build(cp_collective c, const unsigned *gpus, size_t n, double bytes,
                  unsigned long seed, tr_plan *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2) /* one GPU: nothing to send */
        return 0;
    size_t K = 0;
    while (((size_t)1 << K) < n)
        K++;
    out->ph = calloc(2 * K + 1, sizeof *out->ph);
    if (!out->ph || build(c, gpus, n, bytes, seed, out)) {
        tr_plan_free(out);
        return cp_fail(err, "traffic", 0, 0, "out of memory for the phases of %s over %zu "
                       "GPUs", cp_collective_key(c), n);
    }
    return 0;
}
