/* traffic_internal.h — shared by the traffic files (net, solver, patterns). */
#ifndef CPOSIM_TRAFFIC_INTERNAL_H
#define CPOSIM_TRAFFIC_INTERNAL_H

#include "internal.h"

#include <math.h>

/* Tiers of nodes: 0 = NIC ports, t + 1 = switch tier t.  A valley-free
 * route climbs and descends at most once each: at most 2 (tiers + 1) hops. */
#define TR_MAX_DIST (2 * (CP_MAX_TIERS + 1))
#define TR_INF 0x7fffffff

/* The directed links of the fabric as CSR entries: entry k of row v is the
 * link v -> col[k]; rev[k] is the entry of the other direction.  Each row
 * lists its down links (to the tier below) before its up links (from mid[v]). */
struct cp_traffic_net {
    size_t nodes, entries;
    size_t ntiers;                 /* switch tiers */
    size_t tier_first[CP_MAX_TIERS + 2];
    double gpus, nics, planes, ports_per_plane;
    size_t *row, *mid, *rev;
    unsigned *col;
    unsigned *lid;                 /* index among the links of its level (as --graph) */
    unsigned char *level, *tier;   /* level of the link; tier of the node */
    double *cap;                   /* Gb/s of the direction */
    double level_links[CP_MAX_TIERS];
    unsigned char *alive;          /* [entries], the same for both directions */
};

/* the NIC port of GPU g, plane p, NIC i */
static inline size_t tr_port(const cp_traffic_net *n, size_t g, size_t p, size_t i)
{
    return p * (size_t)n->ports_per_plane + g * (size_t)n->nics + i;
}

/* Takes o out of alive (both directions of each link); an error at o's origin
 * when it names no link or switch of n. */
int tr_outage_apply(const cp_traffic_net *n, unsigned char *alive, const cp_outage *o,
                    cp_error *err);

/* A class of m identical flows from node src to node dst (NIC ports, or
 * leaves when aggregated), each capped at cap Gb/s (its share of the NIC). */
typedef enum { TR_ACTIVE = 0, TR_FROZEN, TR_CUT } tr_state;
typedef struct tr_class {
    unsigned src, dst;
    double m, cap, rate;
    tr_state state;
} tr_class;

/* Scratch of one solve (one per thread). */
typedef struct tr_work {
    const cp_traffic_net *n;
    const unsigned char *alive;
    double *w;                     /* [entries] weight: flows per unit rate, or bytes */
    double *res;                   /* [entries] residual capacity */
    unsigned char *sat;            /* [entries] saturated */
    unsigned *stamp, *qstamp;      /* [nodes] route / propagation of this pass */
    int *dist;                     /* [nodes] hops to the destination */
    unsigned char *cone, *hit;     /* [nodes] reaches it going down; route hits a
                                    * saturated link */
    double *acc;                   /* [nodes] weight arriving */
    unsigned *bucket;              /* [TR_MAX_DIST + 1][nodes] nodes by distance */
    size_t nb[TR_MAX_DIST + 1];
    unsigned cur;
} tr_work;

int tr_work_init(tr_work *w, const cp_traffic_net *n, const unsigned char *alive);
void tr_work_free(tr_work *w);
/* bytes of one tr_work and of a net, from counts */
double tr_work_bytes(double nodes, double entries);
double tr_net_bytes(double nodes, double entries);

/* Max-min fair rates of the classes (sorted by dst, then src) by progressive
 * filling; a class whose source cannot reach its destination is TR_CUT. */
int tr_solve(tr_work *w, tr_class *c, size_t nc, cp_error *err);
/* w->w[k] = sum over classes of m x bytes x (share of its flows on k). */
void tr_link_load(tr_work *w, const tr_class *c, size_t nc, double bytes);

/* The classes of a phase (src/traffic_flows.c): GPU flows split over NIC
 * ports, kept per port pair (per_flow) or aggregated per leaf pair and NIC
 * share.  *cut: some flow has a dead NIC link (spray: a flow's bytes go over the
 * NIC port pairs it has left, cut only when none is left). */
int tr_classes_from_flows(const cp_traffic_net *n, const unsigned char *alive,
                          const cp_flow *f, size_t nf, bool per_flow, bool spray,
                          tr_class **out, size_t *nc, unsigned *flow_class, bool *cut,
                          cp_error *err);
/* every GPU of gpus[] to every other, aggregated per leaf pair directly */
int tr_classes_all_pairs(const cp_traffic_net *n, const unsigned char *alive,
                         const unsigned *gpus, size_t ngpus, bool spray, tr_class **out,
                         size_t *nc, bool *cut, cp_error *err);
void tr_classes_sort(tr_class *c, size_t nc);
/* the leaf of a NIC port (its one neighbour) and the entry of its link */
static inline size_t tr_port_entry(const cp_traffic_net *n, size_t port)
{
    return n->row[port];
}

/* The phases of a collective over the job's GPUs (src/traffic_pattern.c):
 * concurrent GPU flows of `bytes` each (or every GPU to every other when
 * all_pairs), repeated `repeat` times; deg is the most flows a GPU sends or
 * receives in the phase. */
typedef struct tr_phase {
    cp_flow *flows;
    size_t nflows;
    bool all_pairs;
    double bytes, repeat, deg;
} tr_phase;
typedef struct tr_plan {
    tr_phase *ph;
    size_t n;
    double steps;
} tr_plan;
int tr_plan_build(cp_collective c, const unsigned *gpus, size_t n, double bytes,
                  unsigned long seed, tr_plan *out, cp_error *err);
void tr_plan_free(tr_plan *p);
/* GPU flows the plan of c over n GPUs holds at once (all_pairs: n (n - 1)) */
double tr_plan_flows(cp_collective c, double n);

/* cp_traffic_run, and (util, net not NULL) the busy share of the step of
 * every directed link in the last case of t (its own, or the healthy
 * fabric) into *util, [n->entries], with the network in *net: both the
 * caller's to free (free, cp_traffic_net_free). */
int tr_run_keep(const cp_fabric_spec *f, const cp_fabric_result *r, const cp_traffic_spec *t,
                cp_traffic_result *out, double **util, cp_traffic_net **net, cp_error *err);

#endif
