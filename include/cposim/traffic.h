/*
 * cposim/traffic.h — flow-level traffic on a sized fabric: collectives and
 * traffic matrices, max-min fair rates over ECMP paths, failures.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_TRAFFIC_H
#define CPOSIM_TRAFFIC_H

#include "cposim/core.h"
#include "cposim/fabric.h"
#include "cposim/reliability.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- traffic
 * A job's collective as phases of concurrent flows between its GPUs
 * (src/traffic_pattern.c); each phase takes alpha + bytes / (slowest flow's
 * max-min fair rate) (src/traffic_solve.c) over the ECMP paths of the fabric
 * graph (src/traffic_net.c), healthy and with links or switches out. */
typedef enum cp_collective {
    CP_COLL_RING_ALLREDUCE = 0,  /* 2(n-1) steps of S/n to the ring neighbour */
    CP_COLL_TREE_ALLREDUCE,      /* binomial tree: reduce then broadcast of S */
    CP_COLL_REDUCE_SCATTER,      /* ring, n-1 steps of S/n */
    CP_COLL_ALL_GATHER,          /* ring, n-1 steps of S/n */
    CP_COLL_ALL_TO_ALL,          /* every GPU sends S/n to every other */
    CP_COLL_PERMUTATION,         /* a seeded random permutation, S per flow */
    CP_COLL_UNIFORM,             /* S spread evenly over all other GPUs */
    CP_COLL_HOT_SPOT,            /* every GPU sends S to the job's first GPU */
    CP_COLL_COUNT
} cp_collective;
/* "ring-allreduce", "tree-allreduce", "reduce-scatter", "all-gather",
 * "all-to-all", "permutation", "uniform", "hot-spot" */
const char *cp_collective_key(cp_collective c);

typedef enum cp_outage_kind {
    CP_OUT_LINK = 0,             /* links of a level */
    CP_OUT_SWITCH,               /* a switch: failed, drained, or under replacement */
    CP_OUT_PORT,                 /* ports of one switch (a module, an engine, a laser) */
    CP_OUT_PLANE                 /* every switch of a plane (and so its NIC links) */
} cp_outage_kind;

/* Something out of service, each link in both directions.  Links of a level
 * are numbered as `cposim fabric --graph` lists them (node a ascending, then
 * its neighbours b > a): level l >= 1 lists the up links of switch 0 of tier
 * l - 1 first.  A switch's ports are its links down (to the tier below, in
 * node order) first, then its links up. */
typedef struct cp_outage {
    cp_outage_kind kind;
    size_t level;                /* link: its level (0 = GPU-leaf); switch, port: its tier */
    double index;                /* link: its place among the links of its level;
                                  * switch, port: the switch's place in its tier
                                  * (plane 0 first); plane: the plane */
    double port;                 /* port: the first port out */
    double count;                /* link, port: how many from there on (0 counts as 1) */
    char file[CP_TEXT_MAX];      /* where it was given (a file, or "--fail") */
    int line, col;
} cp_outage;

#define CP_TRAFFIC_MAX_CASES 32
#define CP_TRAFFIC_MAX_OUTAGES 64
typedef struct cp_traffic_case {
    char name[CP_NAME_MAX];
    size_t nout;
    cp_outage out[CP_TRAFFIC_MAX_OUTAGES];
} cp_traffic_case;

typedef struct cp_traffic_spec {
    double gpus;                 /* the job's GPUs (0: every GPU of the fabric) */
    cp_placement_kind placement; /* as the reliability workloads place jobs */
    double gpus_per_node;        /* scattered jobs take whole servers of this many GPUs */
    cp_collective collective;
    double message_bytes;        /* S: bytes of each GPU's buffer */
    double alpha_s;              /* latency of each step (software + switch hops) */
    unsigned long seed;          /* permutation */
    bool per_flow;               /* every GPU pair its own flow (small fabrics; tests) */
    bool nic_spray;              /* a NIC that loses a port (a plane's leaf, a plane)
                                  * sends over the ports it has left; false: the
                                  * flows of a lost port are cut (the job partitions) */
    size_t ncases;               /* failure cases besides the healthy fabric */
    cp_traffic_case cs[CP_TRAFFIC_MAX_CASES];
    int threads;                 /* OpenMP threads over the cases (0: the default) */
    double max_memory_gb;        /* 0: CP_DEFAULT_MAX_MEMORY_GB */
    cp_error origin;             /* where the job was given */
} cp_traffic_spec;

#define CP_TRAFFIC_WORST 5
typedef struct cp_traffic_link {
    size_t level;
    double index;                /* among the links of its level (as --graph lists them) */
    unsigned from, to;           /* graph nodes, in the direction of the load */
    int from_tier, to_tier;      /* switch tier of each end; -1: a NIC port */
    double from_index, to_index; /* place in that tier (NIC ports: the port's number) */
    double util;                 /* busy share of the step */
} cp_traffic_link;

typedef struct cp_traffic_level_use {
    double used;                 /* directed links that carried traffic */
    double mean_util, max_util;  /* over those links: busy share of the step */
} cp_traffic_level_use;

typedef struct cp_traffic_case_result {
    char name[CP_NAME_MAX];
    bool partitioned;            /* some GPU of the job cannot reach another */
    double step_s;               /* the collective's time (INFINITY when partitioned) */
    double slowdown;             /* step_s / the healthy step_s */
    double min_rate_gbps;        /* slowest flow (GPU to GPU), over the phases */
    double gpu_rate_gbps;        /* what the slowest flow gives a GPU sending (or
                                  * receiving) as many flows as the busiest GPU: the
                                  * slowest rate x that many, over the phases */
    double links_down;           /* links out of service (a switch takes all of its) */
    double classes;              /* flow classes solved (largest phase) */
    cp_traffic_level_use level[CP_MAX_TIERS];
    size_t nworst;
    cp_traffic_link worst[CP_TRAFFIC_WORST];
} cp_traffic_case_result;

typedef struct cp_traffic_result {
    double gpus;                 /* the job's GPUs */
    double gpu_gbps;             /* a GPU's NIC bandwidth, all planes and NICs */
    double phases;               /* steps of the collective */
    double ideal_s;              /* closed form on a non-blocking fabric */
    double memory_bytes;         /* the estimate the run was checked against */
    size_t ncases;               /* cs[0] is the healthy fabric */
    cp_traffic_case_result cs[CP_TRAFFIC_MAX_CASES + 1];
} cp_traffic_result;

/* Parses the `traffic:` section of a fabric scenario (the job and the failure
 * cases; switch tiers named as in fabric.tiers); runs no model. */
int cp_traffic_load(const char *path, const char *const *sets, size_t nsets,
                    cp_traffic_spec *out, cp_error *err);
/* "link:LEVEL:INDEX", "switch:TIER:INDEX", "port:TIER:SWITCH:PORT" or
 * "plane:P" (TIER a name of f's tiers or a number), e.g. from the command
 * line; the error names `what`. */
int cp_outage_parse(const cp_fabric_spec *f, const char *text, const char *what,
                    cp_outage *out, cp_error *err);
/* Bytes a run needs (graph, per-thread work arrays, flows), estimated from
 * the counts before any allocation. */
double cp_traffic_bytes(const cp_fabric_spec *f, const cp_fabric_result *r,
                        const cp_traffic_spec *t);
/* Places the job, builds the graph, and solves the collective on the healthy
 * fabric and in each case; refused with the estimate above max_memory_gb.
 * Results do not depend on the thread count. */
int cp_traffic_run(const cp_fabric_spec *f, const cp_fabric_result *r,
                   const cp_traffic_spec *t, cp_traffic_result *out, cp_error *err);

/* ---- failures drawn from the reliability model (src/traffic_events.c) --
 * One event of each failure class of a reliability spec that touches the
 * network (GPU server faults do not), as the outage it makes, placed where a
 * job placed from GPU 0 meets it: switch 0 of the class's tier, the first
 * ports of that switch (a module facing down, an engine, a laser), the first
 * links of its level (a module facing up, a cable, a flap, a NIC module).
 * A switch, or a co-packaged part that is not field-replaceable, takes the
 * whole switch out (drained and replaced). */
typedef struct cp_traffic_event {
    size_t cls;                  /* its class in the reliability spec */
    cp_outage out;
    double hours;                /* how long it lasts: response + hands-on of its
                                  * service (0: a flap, seconds) */
    size_t case_index;           /* its case in the run's results (cs[case_index]) */
} cp_traffic_event;

/* The events of rel's network classes into ev[0..CP_MAX_CLASSES). */
int cp_traffic_events(const cp_fabric_spec *f, const cp_fabric_result *r,
                      const cp_rel_spec *rel, cp_traffic_event *ev, size_t *nev,
                      cp_error *err);
/* Adds one case per distinct outage of ev to t (after its own cases, named
 * after the classes that make it) and sets each event's case_index; -1 when
 * more than CP_TRAFFIC_MAX_CASES in all. */
int cp_traffic_event_cases(cp_traffic_event *ev, size_t nev, const cp_rel_spec *rel,
                           cp_traffic_spec *t, cp_error *err);
/* The slowdown each class's event gives the job in res (INFINITY: the job
 * is partitioned) into rel->cls[k].slowdown, for the reliability model. */
void cp_traffic_event_slowdowns(const cp_traffic_event *ev, size_t nev,
                                const cp_traffic_result *res, cp_rel_spec *rel);
/* All of it: the events of rel's classes on f, t's job healthy and in each
 * (t's own cases are not run), the slowdowns into rel. */
int cp_traffic_rel_slowdowns(const cp_fabric_spec *f, const cp_fabric_result *r,
                             const cp_traffic_spec *t, cp_rel_spec *rel, cp_error *err);

/* ---- the network and the solver, for library users and tests ---------- */
typedef struct cp_traffic_net cp_traffic_net;
/* From a sized fabric (the graph is built, copied and freed). */
int cp_traffic_net_fabric(const cp_fabric_spec *f, const cp_fabric_result *r,
                          double max_memory_gb, cp_traffic_net **out, cp_error *err);
/* From any tiered graph (links join adjacent tiers, nodes below tier_first[1]
 * are NIC ports with one link each): GPU g has NIC port p E + g nics + i in
 * plane p (E = gpus x nics); level_gbps[l] is the capacity of level l. */
int cp_traffic_net_graph(const cp_fabric_graph *g, const double *level_gbps, double gpus,
                         double nics_per_gpu, double planes, cp_traffic_net **out,
                         cp_error *err);
/* Capacity of the link from node a to node b (that direction only). */
int cp_traffic_net_capacity(cp_traffic_net *n, unsigned a, unsigned b, double gbps,
                            cp_error *err);
/* Takes a link or switch out (cumulative until cp_traffic_net_restore). */
int cp_traffic_net_outage(cp_traffic_net *n, const cp_outage *o, cp_error *err);
void cp_traffic_net_restore(cp_traffic_net *n);
void cp_traffic_net_free(cp_traffic_net *n);

typedef struct cp_flow {
    unsigned src, dst;           /* GPUs */
} cp_flow;
/* Max-min fair rates (progressive filling) of concurrent flows, each split
 * evenly over its GPUs' NIC ports and over the ECMP paths at every switch:
 * rate_gbps[i] is what flow i carries (its NIC ports x its slowest
 * sub-flow), 0 when its GPUs cannot reach each other.  per_flow false:
 * flows aggregated by (source leaf, destination leaf, NIC share). */
int cp_traffic_maxmin(const cp_traffic_net *n, const cp_flow *flows, size_t nflows,
                      bool per_flow, double *rate_gbps, cp_error *err);

void cp_report_traffic(FILE *out, const cp_fabric_spec *f, const cp_traffic_spec *t,
                       const cp_traffic_result *r);
/* ev may be NULL (nev 0): no "events" */
int cp_report_traffic_json(FILE *out, const cp_fabric_spec *f, const cp_traffic_spec *t,
                           const cp_traffic_result *r, const cp_rel_spec *rel,
                           const cp_traffic_event *ev, size_t nev);
/* How busy each link between switches is in case `which` of t (0: the
 * healthy fabric; the case is run again), binned for a picture: a column
 * per switch of the tiers above the leaves (at most 160, each the same
 * number of switches, plane 0 first), rows of their down ports (at most 8
 * per tier, tier by tier); a cell holds its busiest link, either direction,
 * as a share of the step (NaN: no link there).  GPU links are left out (the
 * aggregated model pools them per leaf). */
typedef struct cp_traffic_heat {
    char title[CP_TEXT_MAX];
    size_t nx, ny;
    double *xedge;               /* [nx + 1] first switch of each column */
    double *z;                   /* [ny * nx], row j, column i at j * nx + i */
    char (*row)[CP_NAME_MAX];    /* [ny] "spine 0-7": the tier and its down ports */
} cp_traffic_heat;
int cp_traffic_link_use(const cp_fabric_spec *f, const cp_fabric_result *r,
                        const cp_traffic_spec *t, size_t which, cp_traffic_heat *out,
                        cp_error *err);
void cp_traffic_heat_free(cp_traffic_heat *h);
/* The grid as a heatmap image ("svg" or "png", PLplot) into *data
 * (malloc'd, *len bytes; the caller writes it). */
int cp_traffic_heatmap(const cp_traffic_heat *h, const char *format, char **data, size_t *len,
                       cp_error *err);
/* Several fabrics' runs side by side: a row per case name (the first
 * fabric's cases first), each fabric's step time and slowdown ("-" where it
 * has no such case). */
void cp_report_traffic_compare(FILE *out, const cp_fabric_spec *const *f,
                               const cp_traffic_spec *const *t,
                               const cp_traffic_result *const *r, size_t n);
int cp_report_traffic_compare_json(FILE *out, const cp_fabric_spec *const *f,
                                   const cp_traffic_spec *const *t,
                                   const cp_traffic_result *const *r, size_t n);
/* The reliability events of a run (cp_traffic_events): each class, what it
 * takes out, how long, the step time and slowdown of its case, and the
 * GPU-hours one event costs the job running slowed, GPUs x hours x
 * (1 - 1/slowdown) (or that it stops the job). */
void cp_report_traffic_events(FILE *out, const cp_fabric_spec *f, const cp_rel_spec *rel,
                              const cp_traffic_event *ev, size_t nev,
                              const cp_traffic_result *r);

#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_TRAFFIC_H */
