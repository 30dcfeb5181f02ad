/*
 * fabric_graph.c — the sized fabric as an explicit graph in CSR form, for
 * traffic and reliability models: NIC ports, then switches tier by tier,
 * plane by plane.  Links are laid out as in fabric.c: GPUs fill leaves in
 * order (rails: GPU i of a server on rail i), leaf uplinks go round robin
 * over the spines, and aggregation uplinks go round robin over the cores
 * (for a k-ary fat tree: aggregation switch j of every pod reaches cores
 * j k/2 .. j k/2 + k/2 - 1, the classic wiring).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct walk {
    cp_fabric_graph *g;
    bool fill;
    size_t *pos;
    bool oom;                    /* a scratch allocation failed */
} walk;

static void edge(walk *w, size_t a, size_t b, int level, bool optical)
{
    cp_fabric_graph *g = w->g;
    if (!w->fill) {
        g->row[a + 1]++;
        g->row[b + 1]++;
        g->edges++;
        return;
    }
    size_t ia = w->pos[a]++, ib = w->pos[b]++;
    g->col[ia] = (unsigned)b;
    g->col[ib] = (unsigned)a;
    g->level[ia] = g->level[ib] = (unsigned char)level;
    g->optical[ia] = g->optical[ib] = optical;
}

/* One plane; base[t] is the node of the first switch of tier t in it.  A
 * partly filled switch cables cp_fabric_uplinks() of its uplinks, as sized. */
static void plane(const cp_fabric_spec *f, const cp_fabric_result *r, size_t e0,
                  const size_t *base, walk *w)
{
    double P = f->planes;
    size_t E = (size_t)(r->endpoints / P);
    const cp_fabric_tier_result *t = r->tier;
    size_t d1 = (size_t)t[0].down, L = (size_t)(t[0].switches / P);
    size_t *used = calloc(L ? L : 1, sizeof *used); /* endpoints per leaf */
    if (!used) {
        w->oom = true;
        return;
    }
    for (size_t e = 0; e < E; e++) {
        size_t leaf = e / (d1 ? d1 : 1);
        if (f->topology == CP_TOPO_RAIL) {
            size_t rails = (size_t)f->rails, server = e / rails, rail = e % rails;
            leaf = (server / d1) * rails + rail;
        }
        used[leaf]++;
        edge(w, e0 + e, base[0] + leaf, 0, r->level[0].optical);
    }
    if (f->ntiers == 2) {
        size_t S = (size_t)(t[1].switches / P), next = 0;
        for (size_t l = 0; l < L; l++) {
            size_t up = (size_t)cp_fabric_uplinks((double)used[l], t[0].down, t[0].up);
            for (size_t m = 0; m < up; m++)
                edge(w, base[0] + l, base[1] + next++ % S, 1, r->level[1].optical);
        }
    } else if (f->ntiers == 3) {
        size_t d2 = (size_t)t[1].down, u1 = (size_t)t[0].up;
        size_t A = (size_t)(t[1].switches / P), C = (size_t)(t[2].switches / P), next = 0;
        size_t *agg_down = calloc(A ? A : 1, sizeof *agg_down);
        if (!agg_down) {
            free(used);
            w->oom = true;
            return;
        }
        for (size_t l = 0; l < L; l++) {
            size_t up = (size_t)cp_fabric_uplinks((double)used[l], t[0].down, t[0].up);
            for (size_t m = 0; m < up; m++) {
                size_t a = (l / d2) * u1 + m;
                agg_down[a]++;
                edge(w, base[0] + l, base[1] + a, 1, r->level[1].optical);
            }
        }
        for (size_t a = 0; a < A; a++) {
            size_t up = (size_t)cp_fabric_uplinks((double)agg_down[a], t[1].down, t[1].up);
            for (size_t m = 0; m < up; m++)
                edge(w, base[1] + a, base[2] + next++ % C, 2, r->level[2].optical);
        }
        free(agg_down);
    }
    free(used);
}

static void walk_all(const cp_fabric_spec *f, const cp_fabric_result *r, walk *w)
{
    size_t P = (size_t)f->planes, E = (size_t)(r->endpoints / f->planes);
    for (size_t p = 0; p < P; p++) {
        size_t base[CP_MAX_TIERS];
        for (size_t t = 0; t < f->ntiers; t++)
            base[t] = w->g->tier_first[t + 1] + p * (size_t)(r->tier[t].switches / f->planes);
        plane(f, r, p * E, base, w);
    }
}

/* row and pos: a size_t per node; col, level, optical: 4 + 1 + 1 bytes per
 * link end, two ends per link (cp_fabric_graph). */
double cp_fabric_graph_bytes(const cp_fabric_result *r)
{
    double nodes = r->endpoints;
    for (size_t t = 0; t < r->ntiers; t++)
        nodes += r->tier[t].switches;
    return 2 * sizeof(size_t) * (nodes + 1) +
           2 * r->links * (sizeof(unsigned) + sizeof(unsigned char) + sizeof(bool));
}

int cp_fabric_graph_build(const cp_fabric_spec *f, const cp_fabric_result *r,
                          double max_memory_gb, cp_fabric_graph *g, cp_error *err)
{
    memset(g, 0, sizeof *g);
    double gb = max_memory_gb > 0 ? max_memory_gb : CP_DEFAULT_MAX_MEMORY_GB;
    double bytes = cp_fabric_graph_bytes(r);
    if (bytes > gb * 1e9)
        return cp_fail(err, f->name, 0, 0,
                       "the graph of %.4g links needs about %.3g GB of memory (and about "
                       "%.3g GB as an edge list); the limit is %g GB: raise it (cposim "
                       "--max-memory GB) or size a smaller fabric", r->links, bytes / 1e9,
                       r->links * 22 / 1e9, gb);
    size_t n = (size_t)r->endpoints;
    g->tier_first[0] = 0;
    g->tier_first[1] = n;
    for (size_t t = 0; t < f->ntiers; t++) {
        n += (size_t)r->tier[t].switches;
        if (t + 2 <= CP_MAX_TIERS)
            g->tier_first[t + 2] = n;
    }
    if (n >= 0xffffffffu)
        return cp_fail(err, f->name, 0, 0, "graph of %zu nodes is too large", n);
    g->nodes = n;
    g->row = calloc(n + 1, sizeof *g->row);
    if (!g->row)
        return cp_fail(err, f->name, 0, 0, "out of memory for the graph");
    walk w = {g, false, NULL, false};
    walk_all(f, r, &w);
    if (w.oom) {
        cp_fabric_graph_free(g);
        return cp_fail(err, f->name, 0, 0, "out of memory for the graph");
    }
    for (size_t i = 0; i < n; i++)
        g->row[i + 1] += g->row[i];
    size_t m = 2 * g->edges;
    g->col = malloc(m * sizeof *g->col);
    g->level = malloc(m);
    g->optical = malloc(m);
    w.pos = malloc(n * sizeof *w.pos);
    if (!g->col || !g->level || !g->optical || !w.pos) {
        free(w.pos);
        cp_fabric_graph_free(g);
        return cp_fail(err, f->name, 0, 0, "out of memory for the graph");
    }
    memcpy(w.pos, g->row, n * sizeof *w.pos);
    w.fill = true;
    walk_all(f, r, &w);
    free(w.pos);
    if (w.oom) {
        cp_fabric_graph_free(g);
        return cp_fail(err, f->name, 0, 0, "out of memory for the graph");
    }
    return 0;
}

void cp_fabric_graph_free(cp_fabric_graph *g)
{
    free(g->row);
    free(g->col);
    free(g->level);
    free(g->optical);
    memset(g, 0, sizeof *g);
}
