/*
 * traffic_flows.c — the flow classes of a phase.
 *
 * A flow between two GPUs is split evenly over their NIC ports (plane p,
 * NIC i of one to plane p, NIC i of the other).  Per flow, each port pair
 * is a class of its own and the NIC links are links of the network.
 * Aggregated, the flows between two leaves with the same NIC share form one
 * class: m flows from leaf s to leaf t, each capped at its share of the NIC
 * links, cap = min(B_up / out-degree of its source GPU, B_down / in-degree
 * of its destination GPU).  That is exact when the flows of a GPU share its
 * NIC evenly — every flow of a ring, tree, permutation or hot-spot phase
 * (degree 1 on one side) and every flow of all-to-all or uniform traffic on
 * a fabric whose bottleneck they share — and otherwise gives each flow at
 * most its even share, a lower bound; the step time, set by the slowest
 * flow, is the same in the cases the tests compare (test_traffic.c).  The
 * classes are then as many as leaf pairs, not GPU pairs: 16k GPUs on 256
 * leaves give at most 65,536 for all-to-all.
 */
#include "traffic_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct cmap {
    tr_class *c;
    size_t n, cap;
    size_t *slot;                /* class index + 1; 0 empty */
    size_t nslot;                /* a power of two */
} cmap;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    return x ^ (x >> 33);
}

static int cmap_init(cmap *h, size_t expect)
{
    memset(h, 0, sizeof *h);
    h->nslot = 16;
    while (h->nslot < 2 * expect)
        h->nslot *= 2;
    h->slot = calloc(h->nslot, sizeof *h->slot);
    h->cap = expect ? expect : 1;
    h->c = malloc(h->cap * sizeof *h->c);
    return h->slot && h->c ? 0 : -1;
}

/* the class (s, t, cap) with m more flows; its index, or SIZE_MAX when out
 * of memory */
static size_t cmap_add(cmap *h, unsigned s, unsigned t, double cap, double m)
{
    uint64_t bits;
    memcpy(&bits, &cap, sizeof bits);
    size_t i = (size_t)mix(((uint64_t)s << 32 | t) ^ mix(bits)) & (h->nslot - 1);
    for (; h->slot[i]; i = (i + 1) & (h->nslot - 1)) {
        tr_class *c = &h->c[h->slot[i] - 1];
        if (c->src == s && c->dst == t && c->cap == cap) {
            c->m += m;
            return h->slot[i] - 1;
        }
    }
    if (h->n == h->cap) {
        size_t nc = 2 * h->cap;
        tr_class *p = realloc(h->c, nc * sizeof *p);
        if (!p)
            return SIZE_MAX;
        h->c = p, h->cap = nc;
    }
    if (2 * (h->n + 1) > h->nslot) { /* grow and re-insert */
        size_t ns = 2 * h->nslot, *sl = calloc(ns, sizeof *sl);
        if (!sl)
            return SIZE_MAX;
        for (size_t k = 0; k < h->n; k++) {
            tr_class *c = &h->c[k];
            uint64_t b;
            memcpy(&b, &c->cap, sizeof b);
            size_t j = (size_t)mix(((uint64_t)c->src << 32 | c->dst) ^ mix(b)) & (ns - 1);
            while (sl[j])
                j = (j + 1) & (ns - 1);
            sl[j] = k + 1;
        }
        free(h->slot);
        h->slot = sl, h->nslot = ns;
        return cmap_add(h, s, t, cap, m);
    }
    h->c[h->n] = (tr_class){s, t, m, cap, 0, TR_ACTIVE};
    h->slot[i] = ++h->n;
    return h->n - 1;
}

static int cmp_class(const void *a, const void *b)
{
    const tr_class *x = a, *y = b;
    if (x->dst != y->dst)
        return x->dst < y->dst ? -1 : 1;
    if (x->src != y->src)
        return x->src < y->src ? -1 : 1;
    return (x->cap > y->cap) - (x->cap < y->cap);
}

void tr_classes_sort(tr_class *c, size_t nc)
{
    qsort(c, nc, sizeof *c, cmp_class);
}

/* sorts h's classes, renumbering flow_class (when given); hands them over */
static int cmap_finish(cmap *h, unsigned *flow_class, size_t nsub, tr_class **out, size_t *nc)
{
    free(h->slot);
    size_t *id = malloc((h->n ? h->n : 1) * sizeof *id);
    tr_class *c = malloc((h->n ? h->n : 1) * sizeof *c);
    if (!id || !c) {
        free(id), free(c), free(h->c);
        return -1;
    }
    for (size_t i = 0; i < h->n; i++) /* stash the old index in rate */
        h->c[i].rate = (double)i;
    memcpy(c, h->c, h->n * sizeof *c);
    tr_classes_sort(c, h->n);
    for (size_t i = 0; i < h->n; i++)
        id[(size_t)c[i].rate] = i, c[i].rate = 0;
    for (size_t i = 0; flow_class && i < nsub; i++)
        if (flow_class[i] != UINT32_MAX)
            flow_class[i] = (unsigned)id[flow_class[i]];
    free(id);
    free(h->c);
    *out = c, *nc = h->n;
    return 0;
}

static int oom(cmap *h, cp_error *err)
{
    free(h->slot), free(h->c);
    return cp_fail(err, "traffic", 0, 0, "out of memory for the flow classes");
}

/* the NIC port pairs (plane, NIC) a flow has alive at both ends */
static size_t live_pairs(const cp_traffic_net *n, const unsigned char *alive, const cp_flow *f)
{
    size_t P = (size_t)n->planes, I = (size_t)n->nics, live = 0;
    for (size_t p = 0; p < P; p++)
        for (size_t j = 0; j < I; j++)
            live += alive[tr_port_entry(n, tr_port(n, f->src, p, j))] &&
                    alive[tr_port_entry(n, tr_port(n, f->dst, p, j))];
    return live;
}

int tr_classes_from_flows(const cp_traffic_net *n, const unsigned char *alive,
                          const cp_flow *f, size_t nf, bool per_flow, bool spray,
                          tr_class **out, size_t *nc, unsigned *flow_class, bool *cut,
                          cp_error *err)
{
    size_t G = (size_t)n->gpus, P = (size_t)n->planes, I = (size_t)n->nics, K = P * I;
    unsigned *deg = calloc(2 * (G ? G : 1), sizeof *deg); /* out, in */
    cmap h = {0};
    *cut = false;
    if (!deg || cmap_init(&h, per_flow ? nf * K : (nf < 4096 ? nf : 4096))) {
        free(deg);
        return oom(&h, err);
    }
    for (size_t i = 0; i < nf; i++) {
        if (f[i].src >= G || f[i].dst >= G || f[i].src == f[i].dst) {
            free(deg), free(h.slot), free(h.c);
            return cp_fail(err, "traffic", 0, 0, "flow %zu: GPUs %u -> %u; expected two "
                           "different GPUs below %zu", i, f[i].src, f[i].dst, G);
        }
        deg[f[i].src]++, deg[G + f[i].dst]++;
    }
    for (size_t i = 0; i < nf; i++) {
        /* spray: the flow's bytes over its live port pairs, as w = K / live
         * sub-flows of the usual size on each, each capped at 1 / w of its
         * share of the NIC port (so the port's share is kept) */
        size_t live = spray ? live_pairs(n, alive, &f[i]) : K;
        double w = live ? (double)K / (double)live : 1;
        for (size_t p = 0; p < P; p++)
            for (size_t j = 0; j < I; j++) {
                size_t es = tr_port(n, f[i].src, p, j), ed = tr_port(n, f[i].dst, p, j);
                size_t ks = tr_port_entry(n, es), kd = tr_port_entry(n, ed), at;
                if (flow_class)
                    flow_class[i * K + p * I + j] = UINT32_MAX;
                if (!alive[ks] || !alive[kd]) {
                    *cut |= !spray || live == 0;
                    continue;
                }
                if (per_flow)
                    at = cmap_add(&h, (unsigned)es, (unsigned)ed, INFINITY, w);
                else
                    at = cmap_add(&h, n->col[ks], n->col[kd],
                                  fmin(n->cap[ks] / deg[f[i].src],
                                       n->cap[n->rev[kd]] / deg[G + f[i].dst]) / w, w);
                if (at == SIZE_MAX) {
                    free(deg);
                    return oom(&h, err);
                }
                if (flow_class)
                    flow_class[i * K + p * I + j] = (unsigned)at;
            }
    }
    free(deg);
    if (cmap_finish(&h, flow_class, nf * K, out, nc))
        return cp_fail(err, "traffic", 0, 0, "out of memory for the flow classes");
    return 0;
}

/* A GPU of the job on one port pair: its leaf there and the port pairs it
 * has alive (bit p * I + j). */
typedef struct gport {
    unsigned leaf;
    uint64_t mask;
    double up, dn;               /* its NIC port's share per flow, each way */
} gport;

static int cmp_gport(const void *a, const void *b)
{
    const gport *x = a, *y = b;
    if (x->leaf != y->leaf)
        return x->leaf < y->leaf ? -1 : 1;
    return (x->mask > y->mask) - (x->mask < y->mask);
}

/* All pairs when NICs spray over the port pairs left (nic_failover: spray):
 * on each port pair the job's GPUs are grouped by leaf and by the pairs they
 * have alive; the flows between two groups have popcount(ma & mb) live pairs
 * and so carry w = K / live sub-flows there, each capped at 1 / w of the
 * port's share (as tr_classes_from_flows does per flow).  A GPU with no port
 * alive, or two GPUs with none in common, cut the job. */
static int all_pairs_spray(const cp_traffic_net *n, const unsigned char *alive,
                           const unsigned *gpus, size_t ngpus, tr_class **out, size_t *nc,
                           bool *cut, cp_error *err)
{
    size_t P = (size_t)n->planes, I = (size_t)n->nics, K = P * I;
    if (K > 64)
        return cp_fail(err, "traffic", 0, 0, "nic_failover: spray handles up to 64 NIC "
                       "ports per GPU; this fabric has %zu", K);
    uint64_t *mask = calloc(ngpus ? ngpus : 1, sizeof *mask), seen[64];
    gport *g = malloc((ngpus ? ngpus : 1) * sizeof *g);
    size_t nseen = 0;
    cmap h = {0};
    *cut = false;
    int rc = mask && g && !cmap_init(&h, 1024) ? 0 : -1;
    for (size_t a = 0; rc == 0 && a < ngpus; a++) {
        for (size_t q = 0; q < K; q++)
            if (alive[tr_port_entry(n, tr_port(n, gpus[a], q / I, q % I))])
                mask[a] |= 1ULL << q;
        *cut |= mask[a] == 0;
        size_t s = 0;
        while (s < nseen && seen[s] != mask[a])
            s++;
        if (s == nseen && nseen < 64)
            seen[nseen++] = mask[a];
    }
    for (size_t a = 0; a < nseen; a++) /* two kinds of GPU with no pair in common */
        for (size_t b = 0; b < nseen; b++)
            *cut |= (seen[a] & seen[b]) == 0;
    double deg = (double)ngpus - 1;
    for (size_t q = 0; rc == 0 && q < K; q++) {
        size_t m = 0;
        for (size_t a = 0; a < ngpus; a++) {
            if (!(mask[a] >> q & 1))
                continue;
            size_t k = tr_port_entry(n, tr_port(n, gpus[a], q / I, q % I));
            g[m++] = (gport){n->col[k], mask[a], n->cap[k] / deg, n->cap[n->rev[k]] / deg};
        }
        qsort(g, m, sizeof *g, cmp_gport);
        size_t ng = 0; /* runs of (leaf, mask) into groups, in place: g[ng] holds a
                        * group, its count in cnt */
        double *cnt = malloc((m ? m : 1) * sizeof *cnt);
        if (!cnt) {
            rc = -1;
            break;
        }
        for (size_t a = 0; a < m; a++) {
            if (ng > 0 && g[ng - 1].leaf == g[a].leaf && g[ng - 1].mask == g[a].mask) {
                cnt[ng - 1]++;
                g[ng - 1].up = fmin(g[ng - 1].up, g[a].up);
                g[ng - 1].dn = fmin(g[ng - 1].dn, g[a].dn);
            } else {
                g[ng] = g[a];
                cnt[ng++] = 1;
            }
        }
        for (size_t a = 0; rc == 0 && a < ng; a++)
            for (size_t b = 0; rc == 0 && b < ng; b++) {
                double flows = cnt[a] * cnt[b] - (a == b ? cnt[a] : 0);
                double w = (double)K / __builtin_popcountll(g[a].mask & g[b].mask);
                if (flows > 0 && cmap_add(&h, g[a].leaf, g[b].leaf,
                                          fmin(g[a].up, g[b].dn) / w, flows * w) == SIZE_MAX)
                    rc = -1;
            }
        free(cnt);
    }
    free(mask), free(g);
    if (rc)
        return oom(&h, err);
    if (cmap_finish(&h, NULL, 0, out, nc))
        return cp_fail(err, "traffic", 0, 0, "out of memory for the flow classes");
    return 0;
}

int tr_classes_all_pairs(const cp_traffic_net *n, const unsigned char *alive,
                         const unsigned *gpus, size_t ngpus, bool spray, tr_class **out,
                         size_t *nc, bool *cut, cp_error *err)
{
    if (spray)
        return all_pairs_spray(n, alive, gpus, ngpus, out, nc, cut, err);
    size_t P = (size_t)n->planes, I = (size_t)n->nics;
    double *cnt = calloc(n->nodes ? n->nodes : 1, sizeof *cnt), *up = NULL, *dn = NULL;
    unsigned *leaf = malloc((ngpus ? ngpus : 1) * sizeof *leaf);
    up = malloc((n->nodes ? n->nodes : 1) * sizeof *up);
    dn = malloc((n->nodes ? n->nodes : 1) * sizeof *dn);
    cmap h = {0};
    *cut = false;
    int rc = cnt && leaf && up && dn && !cmap_init(&h, 1024) ? 0 : -1;
    double deg = (double)ngpus - 1;
    for (size_t p = 0; rc == 0 && p < P; p++)
        for (size_t j = 0; rc == 0 && j < I; j++) {
            size_t nl = 0;
            for (size_t g = 0; g < ngpus; g++) { /* the job's ports of this plane and NIC */
                size_t k = tr_port_entry(n, tr_port(n, gpus[g], p, j));
                if (!alive[k]) {
                    *cut = true;
                    continue;
                }
                unsigned l = n->col[k];
                if (cnt[l] == 0) {
                    leaf[nl++] = l;
                    up[l] = dn[l] = INFINITY;
                }
                cnt[l]++;
                up[l] = fmin(up[l], n->cap[k] / deg);
                dn[l] = fmin(dn[l], n->cap[n->rev[k]] / deg);
            }
            for (size_t a = 0; rc == 0 && a < nl; a++)
                for (size_t b = 0; rc == 0 && b < nl; b++) {
                    unsigned s = leaf[a], t = leaf[b];
                    double m = cnt[s] * cnt[t] - (s == t ? cnt[s] : 0);
                    if (m > 0 && cmap_add(&h, s, t, fmin(up[s], dn[t]), m) == SIZE_MAX)
                        rc = -1;
                }
            for (size_t a = 0; a < nl; a++)
                cnt[leaf[a]] = 0;
        }
    free(cnt), free(leaf), free(up), free(dn);
    if (rc)
        return oom(&h, err);
    if (cmap_finish(&h, NULL, 0, out, nc))
        return cp_fail(err, "traffic", 0, 0, "out of memory for the flow classes");
    return 0;
}
