/*
 * traffic_solve.c — max-min fair rates of flow classes over the ECMP paths of
 * a tiered fabric, by progressive filling (Bertsekas & Gallager, Data
 * Networks, 2nd ed., sec. 6.5.2).
 *
 * Routing.  Towards a destination t, a switch that can reach t going down
 * (t's "cone": the switches above t) forwards down to its children in the
 * cone one hop nearer; any other node forwards up to its parents nearest to
 * t.  These are the shortest valley-free (up-then-down) paths, which is
 * where BGP in a folded Clos sends traffic (RFC 7938): a route that would
 * come down and climb again is never used, so a failed link or switch takes
 * its share of the ECMP paths away from exactly the sources that routed over
 * it.  Every node splits what it forwards evenly over its next hops (fluid
 * ECMP: hashing of many flows in expectation).
 *
 * Filling.  All active classes' per-flow rates rise together; with W_l the
 * active flows crossing link l (weighted by their share of it), the level
 * rises by min(min_l residual_l / W_l, min_c cap_c - level); then every link
 * with nothing left saturates and every class crossing one (or at its cap)
 * freezes at the level.  Repeat until none is active.  Weights of all
 * classes to one destination are propagated together, node by node in
 * order of decreasing distance, so one pass costs the links on the routes,
 * not classes x paths.
 *
 * Synchronous phases.  Flows of a phase carry equal bytes, so the phase
 * ends with the slowest flow: its bottleneck link carries only flows at the
 * smallest rate (it has the largest rate there), so no flow that ends sooner
 * frees capacity it could use — bytes / min rate is the phase time even
 * when finished flows hand their capacity on.
 */
#include "traffic_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define REL_EPS 1e-12 /* a saturated link: residual below this share of its capacity */

double tr_work_bytes(double nodes, double entries)
{
    /* w, res: 8 + 8, sat 1 per entry; stamp, qstamp, dist 4 each, cone, hit 1,
     * acc 8 and a bucket slot of 4 per distance per node */
    return entries * 17 + nodes * (4 * 3 + 2 + 8 + 4 * (TR_MAX_DIST + 1));
}

void tr_work_free(tr_work *w)
{
    free(w->w);
    free(w->res);
    free(w->sat);
    free(w->stamp);
    free(w->qstamp);
    free(w->dist);
    free(w->cone);
    free(w->hit);
    free(w->acc);
    free(w->bucket);
    memset(w, 0, sizeof *w);
}

int tr_work_init(tr_work *w, const cp_traffic_net *n, const unsigned char *alive)
{
    memset(w, 0, sizeof *w);
    size_t N = n->nodes ? n->nodes : 1, M = n->entries ? n->entries : 1;
    w->n = n;
    w->alive = alive;
    w->w = calloc(M, sizeof *w->w);
    w->res = malloc(M * sizeof *w->res);
    w->sat = calloc(M, 1);
    w->stamp = calloc(N, sizeof *w->stamp);
    w->qstamp = calloc(N, sizeof *w->qstamp);
    w->dist = malloc(N * sizeof *w->dist);
    w->cone = calloc(N, 1);
    w->hit = calloc(N, 1);
    w->acc = malloc(N * sizeof *w->acc);
    w->bucket = malloc((TR_MAX_DIST + 1) * N * sizeof *w->bucket);
    if (!w->w || !w->res || !w->sat || !w->stamp || !w->qstamp || !w->dist || !w->cone ||
        !w->hit || !w->acc || !w->bucket) {
        tr_work_free(w);
        return -1;
    }
    return 0;
}

/* The cone of t: breadth first up from t over live links. */
static void route_begin(tr_work *w, unsigned t)
{
    const cp_traffic_net *n = w->n;
    unsigned *q = w->bucket; /* free until propagation */
    size_t head = 0, tail = 0;
    w->cur++;
    w->stamp[t] = w->cur, w->dist[t] = 0, w->cone[t] = 1;
    q[tail++] = t;
    while (head < tail) {
        unsigned v = q[head++];
        for (size_t k = n->mid[v]; k < n->row[v + 1]; k++) {
            unsigned u = n->col[k];
            if (!w->alive[k] || w->stamp[u] == w->cur)
                continue;
            w->stamp[u] = w->cur, w->dist[u] = w->dist[v] + 1, w->cone[u] = 1;
            q[tail++] = u;
        }
    }
}

/* Hops from v to t (TR_INF: none); outside the cone, 1 + the nearest parent.
 * Recursion only climbs, so it is at most tiers deep. */
static int node_dist(tr_work *w, unsigned v)
{
    if (w->stamp[v] == w->cur)
        return w->dist[v];
    const cp_traffic_net *n = w->n;
    int d = TR_INF;
    for (size_t k = n->mid[v]; k < n->row[v + 1]; k++)
        if (w->alive[k]) {
            int du = node_dist(w, n->col[k]);
            if (du < TR_INF && du + 1 < d)
                d = du + 1;
        }
    w->stamp[v] = w->cur, w->dist[v] = d, w->cone[v] = 0;
    return d;
}

/* k is a next hop of v towards the current destination */
static bool next_hop(tr_work *w, unsigned v, size_t k)
{
    const cp_traffic_net *n = w->n;
    if (!w->alive[k])
        return false;
    unsigned u = n->col[k];
    if (w->cone[v]) /* down, within the cone */
        return k < n->mid[v] && w->stamp[u] == w->cur && w->cone[u] &&
               w->dist[u] == w->dist[v] - 1;
    return k >= n->mid[v] && node_dist(w, u) == w->dist[v] - 1;
}

/* the range of entries holding v's next hops */
static void hop_range(const tr_work *w, unsigned v, size_t *a, size_t *b)
{
    const cp_traffic_net *n = w->n;
    *a = w->cone[v] ? n->row[v] : n->mid[v];
    *b = w->cone[v] ? n->mid[v] : n->row[v + 1];
}

static void enqueue(tr_work *w, unsigned v, double x)
{
    if (w->qstamp[v] != w->cur) {
        w->qstamp[v] = w->cur;
        w->acc[v] = 0;
        int d = w->dist[v];
        w->bucket[(size_t)d * w->n->nodes + w->nb[d]++] = v;
    }
    w->acc[v] += x;
}

/* Sends weight x from each source of the classes c[0..nc) (one destination)
 * down the routes, adding what crosses each link to w->w when add is true.
 * Classes that cannot reach it are cut.  Returns the largest distance. */
static int propagate(tr_work *w, tr_class *c, size_t nc, bool active_only, double bytes,
                     bool add)
{
    unsigned t = c[0].dst;
    route_begin(w, t);
    memset(w->nb, 0, sizeof w->nb);
    int top = 0;
    for (size_t i = 0; i < nc; i++) {
        if (c[i].state == TR_CUT || (active_only && c[i].state != TR_ACTIVE) ||
            c[i].src == t)
            continue;
        int d = node_dist(w, c[i].src);
        if (d >= TR_INF) {
            c[i].state = TR_CUT, c[i].rate = 0;
            continue;
        }
        enqueue(w, c[i].src, active_only ? c[i].m : c[i].m * bytes);
        top = d > top ? d : top;
    }
    for (int d = top; d > 0; d--)
        for (size_t i = 0; i < w->nb[d]; i++) {
            unsigned v = w->bucket[(size_t)d * w->n->nodes + i];
            size_t a, b, nh = 0;
            hop_range(w, v, &a, &b);
            for (size_t k = a; k < b; k++)
                nh += next_hop(w, v, k);
            double x = w->acc[v] / (double)nh;
            for (size_t k = a; k < b; k++)
                if (next_hop(w, v, k)) {
                    if (add)
                        w->w[k] += x;
                    enqueue(w, w->n->col[k], x);
                }
        }
    return top;
}

/* Freezes the active classes to one destination whose routes cross a
 * saturated link: nodes in order of increasing distance. */
static size_t freeze_hits(tr_work *w, tr_class *c, size_t nc, double level)
{
    int top = propagate(w, c, nc, true, 0, false);
    w->hit[c[0].dst] = 0;
    for (int d = 1; d <= top; d++)
        for (size_t i = 0; i < w->nb[d]; i++) {
            unsigned v = w->bucket[(size_t)d * w->n->nodes + i];
            size_t a, b;
            unsigned char h = 0;
            hop_range(w, v, &a, &b);
            for (size_t k = a; k < b && !h; k++)
                if (next_hop(w, v, k))
                    h = w->sat[k] || w->hit[w->n->col[k]];
            w->hit[v] = h;
        }
    size_t frozen = 0;
    for (size_t i = 0; i < nc; i++)
        if (c[i].state == TR_ACTIVE && c[i].src != c[i].dst && w->hit[c[i].src]) {
            c[i].state = TR_FROZEN, c[i].rate = level;
            frozen++;
        }
    return frozen;
}

/* [first, end) of the classes to the destination of c[first] */
static size_t group_end(const tr_class *c, size_t nc, size_t first)
{
    size_t e = first + 1;
    while (e < nc && c[e].dst == c[first].dst)
        e++;
    return e;
}

/* One round: weights of the active classes, the rise, saturation and
 * freezing; returns the number frozen (0 with *done when none is active). */
static int fill_round(tr_work *w, tr_class *c, size_t nc, double *level, bool *done,
                      cp_error *err)
{
    const cp_traffic_net *n = w->n;
    memset(w->w, 0, n->entries * sizeof *w->w);
    for (size_t g = 0, e; g < nc; g = e) {
        e = group_end(c, nc, g);
        propagate(w, c + g, e - g, true, 0, true);
    }
    /* the rise, and what binds it: a link (kmin) or a class's cap (imin) */
    double rise = INFINITY;
    size_t active = 0, kmin = SIZE_MAX, imin = SIZE_MAX;
    for (size_t k = 0; k < n->entries; k++)
        if (w->w[k] > 0 && fmax(w->res[k], 0) / w->w[k] < rise)
            rise = fmax(w->res[k], 0) / w->w[k], kmin = k;
    for (size_t i = 0; i < nc; i++)
        if (c[i].state == TR_ACTIVE) {
            active++;
            if (fmax(c[i].cap - *level, 0) < rise)
                rise = fmax(c[i].cap - *level, 0), imin = i, kmin = SIZE_MAX;
        }
    *done = active == 0;
    if (*done)
        return 0;
    if (!isfinite(rise))
        return cp_fail(err, "traffic", 0, 0, "a flow crosses no link and has no NIC cap: "
                       "its rate is unbounded");
    *level += rise;
    bool any_sat = false;
    for (size_t k = 0; k < n->entries; k++)
        if (w->w[k] > 0) {
            w->res[k] -= w->w[k] * rise;
            /* the binding link saturates whatever the rounding left of it */
            w->sat[k] = w->res[k] <= REL_EPS * n->cap[k] || k == kmin;
            any_sat |= w->sat[k];
        }
    int frozen = 0;
    for (size_t i = 0; i < nc; i++)
        if (c[i].state == TR_ACTIVE &&
            ((isfinite(c[i].cap) && c[i].cap - *level <= REL_EPS * c[i].cap) || i == imin)) {
            c[i].state = TR_FROZEN, c[i].rate = *level;
            frozen++;
        }
    for (size_t g = 0, e; any_sat && g < nc; g = e) {
        e = group_end(c, nc, g);
        frozen += (int)freeze_hits(w, c + g, e - g, *level);
    }
    return frozen;
}

int tr_solve(tr_work *w, tr_class *c, size_t nc, cp_error *err)
{
    const cp_traffic_net *n = w->n;
    for (size_t k = 0; k < n->entries; k++)
        w->res[k] = w->alive[k] ? n->cap[k] : 0, w->sat[k] = 0;
    for (size_t i = 0; i < nc; i++)
        if (c[i].state != TR_CUT)
            c[i].state = TR_ACTIVE, c[i].rate = 0;
    double level = 0;
    /* each round freezes the class at its cap or the classes crossing the
     * binding link: at most nc rounds, plus one to see none is left */
    for (size_t round = 0; round <= nc + 1; round++) {
        bool done;
        if (fill_round(w, c, nc, &level, &done, err) < 0)
            return -1;
        if (done)
            return 0;
    }
    return cp_fail(err, "traffic", 0, 0, "progressive filling did not converge in %zu "
                   "rounds", nc + 2);
}

void tr_link_load(tr_work *w, const tr_class *c, size_t nc, double bytes)
{
    memset(w->w, 0, w->n->entries * sizeof *w->w);
    tr_class *cc = (tr_class *)c; /* propagate only marks cut classes, already cut */
    for (size_t g = 0, e; g < nc; g = e) {
        e = group_end(c, nc, g);
        propagate(w, cc + g, e - g, false, bytes, true);
    }
}
