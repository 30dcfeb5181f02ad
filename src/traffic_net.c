/*
 * traffic_net.c — the fabric graph as a network of directed links with
 * capacities, for the flow-level traffic model, and the outages that take
 * links and switches out of it.
 *
 * Each undirected link of the graph (src/fabric_graph.c) is two directed
 * links of the level's port speed: level 0 (GPU-leaf) runs at link_gbps,
 * level l >= 1 at the port speed of tier l (as the fabric's bisection).
 * A link is named by its level and its index among the links of that level
 * in the order `cposim fabric --graph` lists them (node a ascending, then
 * its neighbours b > a in CSR order); a switch by its tier and its index in
 * the tier, plane 0 first; a port by its switch and its place in the switch's
 * row (down links first); a plane by its number (every switch of the plane).
 */
#include "traffic_internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

double tr_net_bytes(double nodes, double entries)
{
    /* row, mid: size_t per node; tier: 1 byte; col, lid: 4 bytes, rev: 8,
     * level, alive: 1, cap: 8 per entry */
    return nodes * (2 * sizeof(size_t) + 1) + entries * (4 + 4 + 8 + 1 + 1 + 8);
}

void cp_traffic_net_free(cp_traffic_net *n)
{
    if (!n)
        return;
    free(n->row);
    free(n->mid);
    free(n->rev);
    free(n->col);
    free(n->lid);
    free(n->level);
    free(n->tier);
    free(n->cap);
    free(n->alive);
    free(n);
}

static int oom(cp_traffic_net *n, cp_error *err)
{
    cp_traffic_net_free(n);
    return cp_fail(err, "traffic", 0, 0, "out of memory for the traffic network");
}

/* Copies g's rows with down links first; fills rev and lid. */
static void copy_rows(cp_traffic_net *n, const cp_fabric_graph *g)
{
    for (size_t v = 0; v < n->nodes; v++) {
        size_t at = g->row[v];
        for (int up = 0; up < 2; up++) {
            if (up)
                n->mid[v] = at;
            for (size_t k = g->row[v]; k < g->row[v + 1]; k++) {
                if ((n->tier[g->col[k]] > n->tier[v]) != (up == 1))
                    continue;
                n->col[at] = g->col[k];
                n->level[at++] = g->level[k];
            }
        }
    }
    size_t count[CP_MAX_TIERS] = {0};
    for (size_t a = 0; a < n->nodes; a++)
        for (size_t k = n->row[a]; k < n->row[a + 1]; k++) {
            size_t b = n->col[k];
            if (b < a)
                continue;
            size_t r = n->row[b];
            while (r < n->row[b + 1] && (n->col[r] != a || n->rev[r] != SIZE_MAX))
                r++; /* parallel links pair up in order */
            n->rev[k] = r, n->rev[r] = k;
            n->lid[k] = n->lid[r] = (unsigned)count[n->level[k]]++;
        }
    for (size_t l = 0; l < CP_MAX_TIERS; l++)
        n->level_links[l] = (double)count[l];
}

int cp_traffic_net_graph(const cp_fabric_graph *g, const double *level_gbps, double gpus,
                         double nics_per_gpu, double planes, cp_traffic_net **out,
                         cp_error *err)
{
    *out = NULL;
    if (!(gpus >= 1 && nics_per_gpu >= 1 && planes >= 1) ||
        gpus * nics_per_gpu * planes != (double)g->tier_first[1])
        return cp_fail(err, "traffic", 0, 0, "the graph has %zu NIC ports, not %g GPUs x %g "
                       "NICs x %g planes", g->tier_first[1], gpus, nics_per_gpu, planes);
    cp_traffic_net *n = calloc(1, sizeof *n);
    if (!n)
        return cp_fail(err, "traffic", 0, 0, "out of memory for the traffic network");
    n->nodes = g->nodes;
    n->entries = 2 * g->edges;
    n->gpus = gpus, n->nics = nics_per_gpu, n->planes = planes;
    n->ports_per_plane = gpus * nics_per_gpu;
    memcpy(n->tier_first, g->tier_first, sizeof g->tier_first);
    n->ntiers = 0;
    for (size_t t = 1; t <= CP_MAX_TIERS; t++)
        if (g->tier_first[t] < g->nodes)
            n->ntiers = t;
    n->tier_first[n->ntiers + 1] = g->nodes;
    size_t N = n->nodes ? n->nodes : 1, M = n->entries ? n->entries : 1;
    n->row = malloc((N + 1) * sizeof *n->row);
    n->mid = malloc(N * sizeof *n->mid);
    n->tier = malloc(N);
    n->rev = malloc(M * sizeof *n->rev);
    n->col = malloc(M * sizeof *n->col);
    n->lid = malloc(M * sizeof *n->lid);
    n->level = malloc(M);
    n->cap = malloc(M * sizeof *n->cap);
    n->alive = malloc(M);
    if (!n->row || !n->mid || !n->tier || !n->rev || !n->col || !n->lid || !n->level ||
        !n->cap || !n->alive)
        return oom(n, err);
    memcpy(n->row, g->row, (n->nodes + 1) * sizeof *n->row);
    for (size_t t = 0; t <= n->ntiers; t++)
        for (size_t v = n->tier_first[t]; v < n->tier_first[t + 1]; v++)
            n->tier[v] = (unsigned char)t;
    memset(n->rev, 0xff, M * sizeof *n->rev);
    copy_rows(n, g);
    for (size_t k = 0; k < n->entries; k++) {
        if (n->level[k] >= CP_MAX_TIERS || !(level_gbps[n->level[k]] > 0)) {
            cp_traffic_net_free(n);
            return cp_fail(err, "traffic", 0, 0, "link level %u has no capacity",
                           n->level[k]);
        }
        n->cap[k] = level_gbps[n->level[k]];
    }
    memset(n->alive, 1, M);
    *out = n;
    return 0;
}

int cp_traffic_net_fabric(const cp_fabric_spec *f, const cp_fabric_result *r,
                          double max_memory_gb, cp_traffic_net **out, cp_error *err)
{
    cp_fabric_graph g;
    *out = NULL;
    if (cp_fabric_graph_build(f, r, max_memory_gb, &g, err))
        return -1;
    double gbps[CP_MAX_TIERS] = {0};
    for (size_t l = 0; l < f->ntiers; l++)
        gbps[l] = l == 0 ? f->link_gbps : f->tier[l].port_gbps;
    int rc = cp_traffic_net_graph(&g, gbps, f->gpus, f->nics_per_gpu, f->planes, out, err);
    cp_fabric_graph_free(&g);
    return rc;
}

int cp_traffic_net_capacity(cp_traffic_net *n, unsigned a, unsigned b, double gbps,
                            cp_error *err)
{
    if (a < n->nodes && gbps > 0)
        for (size_t k = n->row[a]; k < n->row[a + 1]; k++)
            if (n->col[k] == b) {
                n->cap[k] = gbps;
                return 0;
            }
    return cp_fail(err, "traffic", 0, 0, "no link %u -> %u (or a capacity of %g Gb/s)", a, b,
                   gbps);
}

static int outage_fail(cp_error *err, const cp_outage *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int outage_fail(cp_error *err, const cp_outage *o, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cp_fail(err, o->file[0] ? o->file : "traffic", o->line, o->col, "%s", msg);
}

static bool whole(double x, double below)
{
    return x >= 0 && x < below && x == floor(x);
}

/* the node of switch `index` of tier t (checked) */
static int switch_node(const cp_traffic_net *n, const cp_outage *o, size_t *v, cp_error *err)
{
    if (o->level >= n->ntiers)
        return outage_fail(err, o, "switch tier %g: the fabric has tiers 0..%g",
                           (double)o->level, (double)n->ntiers - 1);
    size_t first = n->tier_first[o->level + 1], count = n->tier_first[o->level + 2] - first;
    if (!whole(o->index, (double)count))
        return outage_fail(err, o, "switch %g: its tier has switches 0..%g", o->index,
                           (double)count - 1);
    *v = first + (size_t)o->index;
    return 0;
}

static void node_out(const cp_traffic_net *n, unsigned char *alive, size_t v)
{
    for (size_t k = n->row[v]; k < n->row[v + 1]; k++)
        alive[k] = alive[n->rev[k]] = 0;
}

/* every switch of plane p: tiers hold their planes' switches in turn */
static int plane_out(const cp_traffic_net *n, unsigned char *alive, const cp_outage *o,
                     cp_error *err)
{
    if (!whole(o->index, n->planes))
        return outage_fail(err, o, "plane %g: the fabric has planes 0..%g", o->index,
                           n->planes - 1);
    for (size_t t = 1; t <= n->ntiers; t++) {
        size_t per = (n->tier_first[t + 1] - n->tier_first[t]) / (size_t)n->planes;
        for (size_t i = 0; i < per; i++)
            node_out(n, alive, n->tier_first[t] + (size_t)o->index * per + i);
    }
    return 0;
}

int tr_outage_apply(const cp_traffic_net *n, unsigned char *alive, const cp_outage *o,
                    cp_error *err)
{
    double count = o->count > 1 ? o->count : 1;
    size_t v = 0;
    if (o->kind == CP_OUT_PLANE)
        return plane_out(n, alive, o, err);
    if (o->kind == CP_OUT_SWITCH || o->kind == CP_OUT_PORT) {
        if (switch_node(n, o, &v, err))
            return -1;
        if (o->kind == CP_OUT_SWITCH) {
            node_out(n, alive, v);
            return 0;
        }
        double ports = (double)(n->row[v + 1] - n->row[v]);
        if (!whole(o->port, ports) || !(o->port + count <= ports))
            return outage_fail(err, o, "ports %g..%g: the switch has ports 0..%g", o->port,
                               o->port + count - 1, ports - 1);
        for (size_t k = n->row[v] + (size_t)o->port; k < n->row[v] + (size_t)(o->port + count);
             k++)
            alive[k] = alive[n->rev[k]] = 0;
        return 0;
    }
    if (o->level >= n->ntiers)
        return outage_fail(err, o, "link level %g: the fabric has levels 0..%g",
                           (double)o->level, (double)n->ntiers - 1);
    double links = n->level_links[o->level];
    if (!whole(o->index, links) || !(o->index + count <= links))
        return outage_fail(err, o, "link %g%s: its level has links 0..%g", o->index,
                           count > 1 ? " on" : "", links - 1);
    for (size_t k = 0; k < n->entries; k++)
        if (n->level[k] == o->level && n->lid[k] >= (unsigned)o->index &&
            n->lid[k] < (unsigned)(o->index + count))
            alive[k] = 0;
    return 0;
}

int cp_traffic_net_outage(cp_traffic_net *n, const cp_outage *o, cp_error *err)
{
    return tr_outage_apply(n, n->alive, o, err);
}

void cp_traffic_net_restore(cp_traffic_net *n)
{
    memset(n->alive, 1, n->entries);
}
