/*
 * cposim/fabric.h — cluster fabric sizing, its graph and capex.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_FABRIC_H
#define CPOSIM_FABRIC_H

#include "cposim/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ----------------------------------------------------------------- fabric
 * Cluster fabric sizing (src/fabric.c): folded-Clos topologies built from
 * the switch designs above, per-tier link media from a physical layout, and
 * the counts, power and an explicit graph (CSR) of the result. */
#define CP_MAX_TIERS 3

typedef enum cp_topology {
    CP_TOPO_SINGLE = 0, CP_TOPO_LEAF_SPINE, CP_TOPO_FAT_TREE3, CP_TOPO_RAIL
} cp_topology;

typedef enum cp_link_media { CP_LM_AUTO = 0, CP_LM_COPPER, CP_LM_OPTICAL } cp_link_media;

/* Which neighbour a port group of a tier's switch faces.  AUTO: ports are
 * taken in the design's group order, down-facing first (split by the
 * oversubscription); an explicit facing assigns whole groups. */
typedef enum cp_facing { CP_FACE_AUTO = 0, CP_FACE_DOWN, CP_FACE_UP } cp_facing;

typedef struct cp_fabric_tier {
    char name[CP_NAME_MAX];
    cp_design design;            /* the switch used at this tier */
    double port_gbps;            /* port speed used (breakout of design ports) */
    double oversubscription;     /* requested down : up bandwidth (AUTO facing) */
    cp_link_media media;         /* links from this tier down (to the tier below) */
    cp_facing facing[CP_MAX_GROUPS]; /* by port group of the design */
    cp_error origin;             /* where the tier was given (file:line:col) */
} cp_fabric_tier;

typedef struct cp_fabric_spec {
    char name[CP_NAME_MAX];
    char title[CP_TEXT_MAX];
    cp_topology topology;
    double gpus, nics_per_gpu, link_gbps, planes, rails;
    size_t ntiers;
    cp_fabric_tier tier[CP_MAX_TIERS];
    cp_module nic_module;        /* the NIC-side transceiver of optical links */
    double nic_lasers_per_module;
    double copper_w_per_end;     /* AEC/ACC power per end; 0 for DAC */
    double copper_reach_m;
    double gpus_per_rack, racks_per_row, rack_width_m, row_spacing_m;
    bool leaf_end_of_row;        /* leaves at the end of the row (rails) */
    double gpu_w, host_w_per_gpu;
    /* NIC-side optics and copper ends are counted at the wall through the
     * host's own cooling and power conversion */
    double host_cooling_fraction, host_conversion_efficiency;
    cp_error origin;             /* where `gpus` was given: sizing errors point here */
    cp_error nic_origin;         /* where the NIC module was given */
} cp_fabric_spec;

typedef struct cp_fabric_level {  /* links between tier l-1 (or GPUs) and l */
    double links;
    double reach_m;
    bool optical;
    bool beyond_reach;           /* longer than the optics facing it reach */
    double optics_reach_m;       /* shortest reach of the optics facing it */
    double lane_gbps;            /* optical lane rate both ends use */
    double fibers;
} cp_fabric_level;

/* What one port group of a tier's switch design carries, over the whole fabric
 * (all switches of the tier, all planes).  A switch may mix media (CPO and
 * pluggable groups): each group is sized, powered, priced and fails on its own. */
typedef struct cp_fabric_group_use {
    double down_per_switch, up_per_switch; /* ports of the group facing down / up */
    double down_ports, up_ports; /* ports in use facing the tier below / above */
    double optical_ports, copper_ports;
    double modules;              /* pluggable transceivers (after breakout) */
    double cpo_ports;            /* optical ports served by CPO engines */
    double engines, lasers, laser_modules;
    double optics_power_w;       /* wall power of its optics and lasers */
} cp_fabric_group_use;

typedef struct cp_fabric_tier_result {
    cp_result sw;                /* the tier's switch design, evaluated */
    double radix, down, up;      /* ports per switch at port_gbps */
    double oversubscription;     /* realised down : up (0 at the top tier) */
    double switches;
    double ports_used, ports_free;
    double modules;              /* pluggable transceivers at this tier */
    double cpo_ports;            /* optical ports served by CPO engines */
    double engines, lasers, laser_modules;
    double power_w;
    double optics_power_w;       /* optics + lasers share of power_w */
    size_t ngroups;
    cp_fabric_group_use grp[CP_MAX_GROUPS]; /* by port group of the design */
} cp_fabric_tier_result;

typedef struct cp_fabric_result {
    double endpoints;            /* GPU NIC ports over all planes */
    size_t ntiers;
    cp_fabric_tier_result tier[CP_MAX_TIERS];
    cp_fabric_level level[CP_MAX_TIERS];
    double switches, links, optical_links;
    double modules, nic_modules, cpo_ports, optical_ends, engines, lasers, fibers;
    double switch_lasers;        /* lasers at switch ends (modules or CPO) */
    double capex_usd;            /* switches + transceivers + laser modules at
                                    catalog prices (0 where unknown) */
    double network_w, optics_w, gpu_w, cluster_w;
    double network_w_per_gpu, optics_share;
    double bisection_tbps;
    int hops;                    /* switch hops, worst case */
    double max_endpoints;        /* what the topology could hold with these radices */
    size_t nwarn;
    cp_warning warn[CP_MAX_WARNINGS]; /* group = tier or level index */
} cp_fabric_result;

/* Parses a fabric scenario (tiers' switch designs included); runs no model. */
int cp_fabric_load(const char *path, const cp_catalog *cat,
                   const char *const *sets, size_t nsets, cp_fabric_spec *out,
                   cp_error *err);
/* Evaluates each tier's switch, sizes the fabric per port group (a partly
 * filled switch cables only the uplinks its oversubscription needs), checks
 * that both ends of every optical level use the same lane rate, and fills
 * counts, power, capex and warnings; a topology that cannot be built fills
 * err at spec->origin (with what would fit and how to fix it). */
int cp_fabric_eval(const cp_fabric_spec *f, cp_fabric_result *out, cp_error *err);

/* Explicit graph: nodes 0..endpoints-1 are NIC ports, then the switches tier
 * by tier (and plane by plane); CSR adjacency with per-edge attributes. */
typedef struct cp_fabric_graph {
    size_t nodes, edges;         /* edges counts each direction once */
    size_t *row;                 /* [nodes + 1] */
    unsigned *col;               /* [2 * edges] */
    unsigned char *level;        /* [2 * edges] link level (0 = GPU-leaf) */
    unsigned char *optical;      /* [2 * edges] 1 optical, 0 copper */
    size_t tier_first[CP_MAX_TIERS + 1]; /* first node of each tier; [0] = 0 */
} cp_fabric_graph;

/* Bytes the graph of r takes (CSR arrays and build scratch), from its counts. */
double cp_fabric_graph_bytes(const cp_fabric_result *r);
/* Builds the graph; refused (with the estimate) above max_memory_gb
 * (0: CP_DEFAULT_MAX_MEMORY_GB). */
int cp_fabric_graph_build(const cp_fabric_spec *f, const cp_fabric_result *r,
                          double max_memory_gb, cp_fabric_graph *g, cp_error *err);
void cp_fabric_graph_free(cp_fabric_graph *g);

void cp_report_fabric(FILE *out, const cp_fabric_spec *f, const cp_fabric_result *r);
void cp_report_fabric_compare(FILE *out, const cp_fabric_spec *f,
                              const cp_fabric_result *r, size_t n);
int cp_report_fabric_json(FILE *out, const cp_fabric_spec *f, const cp_fabric_result *r,
                          size_t n);
/* True when every port group of the design is co-packaged. */
bool cp_design_is_cpo(const cp_design *d);
/* True when the scenario file (after includes) has the top-level key. */
bool cp_scenario_has(const char *path, const char *key);



#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_FABRIC_H */
