/*
 * cposim/thermal.h — the package thermal model.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_THERMAL_H
#define CPOSIM_THERMAL_H

#include "cposim/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- thermal
 * Finite-volume model of a package stack (src/thermal_*.c): a structured
 * tensor-product grid (uniform nx x ny, or refined around block edges:
 * src/thermal_mesh.c; layers may have several cells in z), 7-point
 * conduction with harmonic-mean face conductances, convective (or
 * resistance) boundaries on top and bottom, adiabatic sides.  Blocks heat
 * the bottom face of their layer (the junction plane of a flip-chip die);
 * blocks may overlap, and then their powers add.  Block powers come from
 * the switch power model of the same scenario. */
#define CP_MAX_LAYERS 16
#define CP_MAX_PARTS 8           /* parts per layer */

typedef struct cp_material {
    char name[CP_NAME_MAX];
    double k_xy_w_per_mk;        /* in-plane conductivity */
    double k_z_w_per_mk;         /* through-plane conductivity */
    double c_j_per_m3k;          /* volumetric heat capacity */
    double density_kg_per_m3;    /* fluids (microchannel coolants); 0: not given */
    double viscosity_pa_s;       /* dynamic viscosity of a fluid; 0: not given */
} cp_material;

typedef struct cp_thermal_spec cp_thermal_spec;

/* A part of a layer with its own outline and material (a die on its
 * interposer, a spreader smaller than the sink); the rest of the layer is
 * the layer's material, its fill (mould compound, underfill, air).  Where
 * parts overlap, the later one's material wins. */
typedef struct cp_tpart {
    char name[CP_NAME_MAX];
    double x0_m, y0_m, x1_m, y1_m;
    cp_material mat;
} cp_tpart;

/* Microchannels etched through a layer, a cavity in the manner of 3D-ICE
 * (src/thermal_channel.c): straight rectangular channels as tall as the
 * layer, width_m wide every pitch_m, running the length of the package
 * along +x or +y; the layer's material is the walls between them.  The
 * fluid enters at inlet_c, flow_m3_per_s spread evenly over the channels,
 * and warms along them; walls, floor and ceiling exchange heat with it
 * through h = Nu k / D_h (Shah & London, fully developed laminar flow).
 * pump_efficiency turns the hydraulic power dp Q into the pump's. */
typedef struct cp_channels {
    bool on;
    double width_m, pitch_m;
    double flow_m3_per_s;        /* per cavity (the whole layer) */
    cp_material fluid;           /* needs density and viscosity */
    int axis;                    /* 0: flows along +x, 1: along +y */
    double inlet_c;
    double pump_efficiency;      /* 0 < eta <= 1 */
} cp_channels;

/* What a cavity's channels are, from its geometry and flow alone. */
typedef struct cp_channel_flow {
    double channels;             /* across the package: width / pitch */
    double length_m;             /* along the flow */
    double hydraulic_diameter_m; /* 4 A / perimeter = 2 w H / (w + H) */
    double aspect;               /* short side / long side */
    double velocity_m_per_s;     /* mean, in one channel */
    double reynolds;
    double nusselt;              /* Nu_H1, fully developed */
    double h_w_per_m2k;          /* Nu k / D_h, on every wall */
    double dp_pa;                /* friction, fully developed */
    double hydraulic_w;          /* dp Q */
    double pump_w;               /* dp Q / pump_efficiency */
} cp_channel_flow;

/* Laminar flow in rectangular ducts (Shah & London 1978): the Darcy
 * friction factor times Re, and Nu_H1, for aspect ratio a in (0, 1]. */
double cp_channel_fre(double aspect);
double cp_channel_nusselt(double aspect);
/* The flow of layer l's channels in spec t; -1 with a message when the
 * geometry is impossible or the flow is not laminar (Re > 2300). */
int cp_channel_flow_eval(const cp_thermal_spec *t, int layer, cp_channel_flow *out,
                         cp_error *err);

typedef struct cp_tlayer {
    char name[CP_NAME_MAX];
    double thickness_m;
    int cells;                   /* grid cells through the thickness (0: automatic,
                                  * graded from the heated face when refined) */
    cp_material mat;             /* fill */
    bool has_dies;               /* blocks on this layer are die_mat */
    cp_material die_mat;
    size_t nparts;
    cp_tpart part[CP_MAX_PARTS];
    cp_channels channels;        /* .on: the layer is a microchannel cavity */
} cp_tlayer;

typedef enum cp_power_src {
    CP_SRC_FIXED = 0,            /* power_w as given */
    CP_SRC_ASIC,                 /* the ASIC core power (with leakage) */
    CP_SRC_SERDES,               /* host SerDes power */
    CP_SRC_ENGINE,               /* one optical engine of a CPO group */
    CP_SRC_LASER                 /* on-package lasers of a CPO group */
} cp_power_src;

typedef struct cp_tblock {
    char name[CP_NAME_MAX];
    char kind[16];               /* asic, serdes, oe, laser, other */
    int layer;
    double x0_m, y0_m, x1_m, y1_m;
    cp_power_src src;
    int group;                   /* port group for engine/laser blocks */
    double power_w;              /* fixed, or filled from the switch model */
    double limit_c;              /* temperature limit; 0 = none */
} cp_tblock;

typedef struct cp_boundary {
    double h_w_per_m2k;          /* 0 = adiabatic */
    double ambient_c;
} cp_boundary;

/* A coolant that carries the top boundary's heat away along x or y (a cold
 * plate): it enters at the top boundary's ambient_c and warms by the heat it
 * takes, so the top ambient is the local coolant temperature
 * (src/thermal_coolant.c).  flow_m3_per_s 0: a fixed ambient. */
typedef struct cp_coolant {
    double flow_m3_per_s;
    cp_material fluid;           /* its c_j_per_m3k: rho c_p */
    int axis;                    /* 0: flows along +x, 1: along +y */
} cp_coolant;

/* An air heat sink with its fan (src/thermal_sink.c): the sink's thermal
 * resistance and pressure drop against airflow, the fan's static pressure
 * against airflow (tables, airflow ascending, linear between points); the
 * airflow is where the fans' pressure (count fans in parallel) meets the
 * sink's drop, and the sink's resistance there is the top boundary's. */
#define CP_SINK_POINTS 16
typedef struct cp_heatsink {
    bool on;
    size_t nsink, nfan;
    double sink_flow_m3_per_s[CP_SINK_POINTS];
    double sink_r_k_per_w[CP_SINK_POINTS];
    double sink_dp_pa[CP_SINK_POINTS];
    double fan_flow_m3_per_s[CP_SINK_POINTS];
    double fan_dp_pa[CP_SINK_POINTS];
    int fans;                    /* in parallel: their airflows add */
    double fan_power_w;          /* electrical, per fan */
} cp_heatsink;

typedef struct cp_sink_point {
    double flow_m3_per_s;        /* through the sink */
    double dp_pa;
    double r_k_per_w;
    double fan_w;                /* all its fans */
} cp_sink_point;

/* The operating point of a heat sink and its fans (GSL Brent root of
 * fan pressure - sink drop); -1 when the curves do not cross. */
int cp_heatsink_eval(const cp_heatsink *s, cp_sink_point *out, cp_error *err);

typedef struct cp_coupling {
    double leakage_fraction;     /* of ASIC core power at leakage_ref_c */
    double leakage_ref_c;
    double leakage_doubling_k;   /* leakage doubles every this many K */
    double laser_wpe_ref_c;
    double laser_wpe_per_k;      /* relative WPE loss per K above ref */
    double ring_lock_c;          /* rings are heated to this temperature */
    double ring_heater_w_per_k;  /* heater power per ring per K below it */
    double max_iterations;
    double tolerance_k;
} cp_coupling;

/* A point whose temperature a transient reports (a CSV column): the
 * layer's heated face there if blocks heat the layer, else the layer's
 * middle cell (src/thermal_face.c). */
#define CP_MAX_PROBES 32
#define CP_MAX_MAP_TIMES 32
typedef struct cp_probe {
    char name[CP_NAME_MAX];
    int layer;
    double x_m, y_m;
} cp_probe;

typedef enum cp_solver_kind { CP_SOLVER_AUTO = 0, CP_SOLVER_PFMG, CP_SOLVER_CHOLMOD } cp_solver_kind;

struct cp_thermal_spec {
    double size_x_m, size_y_m;
    int nx, ny;                  /* uniform: the cells; refined: the largest cell
                                  * is size / n */
    bool refine;                 /* lines at block edges, graded (thermal_mesh.c) */
    double min_cell_m;           /* smallest cell of a refined grid (0: default) */
    size_t nlayers;
    cp_tlayer layer[CP_MAX_LAYERS];
    size_t nblocks;
    cp_tblock *block;            /* [nblocks], owned: cp_thermal_spec_free */
    cp_boundary top, bottom;
    cp_coolant coolant;          /* of the top boundary */
    cp_heatsink sink;            /* .on: the top boundary is this sink and fan */
    bool coupled;
    cp_coupling coupling;
    cp_solver_kind solver;
    double tolerance;            /* relative residual of the linear solve */
    double dt_s, t_end_s, theta; /* transient: step, end, 1 = BE, 0.5 = CN */
    char trace_path[CP_TEXT_MAX];/* power trace CSV: time_s,block,power_w */
    int map_layer;               /* layer drawn by the map (default: top die layer) */
    double max_steps;            /* transient steps allowed (0: CP_THERMAL_DEFAULT_MAX_STEPS) */
    double max_memory_gb;        /* grid + solver memory allowed (0: CP_DEFAULT_MAX_MEMORY_GB) */
    size_t nprobes;
    cp_probe probe[CP_MAX_PROBES];
    size_t nmap_times;           /* transient maps at these times, ascending */
    double map_time_s[CP_MAX_MAP_TIMES];
};

/* The smallest cell of a refined grid unless thermal.grid.min_cell_mm says:
 * 10 um, a tenth of the thinnest bond line or a micro-bump. */
#define CP_THERMAL_DEFAULT_MIN_CELL_M 10e-6

/* Work limits: a job whose estimate is above one is refused before it starts. */
#define CP_DEFAULT_MAX_MEMORY_GB 8.0
#define CP_THERMAL_DEFAULT_MAX_STEPS 1e6

/* Size of a thermal job before it runs: cells, memory of the grid and its
 * solver (measured bytes per cell, bench in src/thermal_grid.c), steps. */
typedef struct cp_thermal_size {
    int nx, ny, nz;              /* the grid's cells along x, y, z */
    double cells;
    double bytes;
    cp_solver_kind solver;       /* the solver the estimate is for */
    double steps;                /* transient steps, t_end_s / dt_s (0: none) */
} cp_thermal_size;
void cp_thermal_estimate(const cp_thermal_spec *t, cp_thermal_size *out);
/* 0, or -1 with the estimate and the limit when the grid needs more memory
 * than t->max_memory_gb or the transient more steps than t->max_steps. */
int cp_thermal_check_size(const cp_thermal_spec *t, cp_error *err);

/* Sets the spec's block count to n (kept blocks stay, new ones are zero);
 * -1 when out of memory.  A spec's blocks are its own: a copy of the struct
 * shares them, and cp_thermal_spec_free releases them (and zeroes nblocks). */
int cp_thermal_spec_set_blocks(cp_thermal_spec *t, size_t n);
void cp_thermal_spec_free(cp_thermal_spec *t);

/* Loads the `thermal:` section of a scenario (after includes and --set);
 * on success the spec owns its blocks (cp_thermal_spec_free), on failure
 * nothing is left to free. */
int cp_thermal_load(const char *path, const cp_catalog *cat,
                    const char *const *sets, size_t nsets, cp_thermal_spec *out,
                    cp_error *err);

/* Block powers: fixed blocks as the spec gives them, the others from an
 * evaluated switch design (r may be NULL: they are 0), into power_w[nblocks].
 * The spec is input only: the powers a run works with live in the grid. */
void cp_thermal_block_powers(const cp_thermal_spec *t, const cp_result *r,
                             double *power_w);

typedef struct cp_thermal_grid cp_thermal_grid; /* opaque: grid + solver */

int cp_thermal_grid_create(const cp_thermal_spec *t, cp_thermal_grid **out,
                           cp_error *err);
void cp_thermal_grid_free(cp_thermal_grid *g);
/* The block powers the grid dissipates now (W, by block of the spec it was
 * created from): set from the spec's fixed powers at creation, by
 * cp_thermal_steady from the design and the electro-thermal coupling, and by
 * a transient's power trace. */
const double *cp_thermal_powers(const cp_thermal_grid *g);
void cp_thermal_set_powers(cp_thermal_grid *g, const double *power_w);
size_t cp_thermal_unknowns(const cp_thermal_grid *g);
/* Cell temperatures (C), k-major: index = (k * ny + j) * nx + i. */
const double *cp_thermal_temps(const cp_thermal_grid *g);
int cp_thermal_nz(const cp_thermal_grid *g);
/* The grid's cells in the plane: *nx, *ny and their edges (m), xe[0..nx],
 * ye[0..ny], owned by the grid. */
void cp_thermal_plane(const cp_thermal_grid *g, int *nx, int *ny, const double **xe,
                      const double **ye);
/* Temperature (C) of the bottom face of a layer, the heated face, at cell
 * column (i, j): exact for one-dimensional conduction (src/thermal_face.c). */
double cp_thermal_face_temp(const cp_thermal_grid *g, int layer, int i, int j);
/* z-cell range [k0, k1) of a layer */
void cp_thermal_layer_cells(const cp_thermal_grid *g, int layer, int *k0, int *k1);

typedef struct cp_block_temp {
    double max_c, mean_c;        /* over the block at its heated face (the
                                  * junction plane); the mean by area */
    double power_w;
    double flux_w_per_cm2;
    double margin_k;             /* limit - max; +inf without a limit */
    bool pass;
} cp_block_temp;

/* A microchannel cavity after a solve. */
typedef struct cp_cavity_result {
    int layer;
    cp_channel_flow flow;
    double heat_w;               /* taken by its fluid */
    double outlet_c, rise_k;     /* mixed outlet; outlet - inlet */
} cp_cavity_result;

/* A result owns its blocks: cp_thermal_result_free releases them. */
typedef struct cp_thermal_result {
    size_t nblocks;
    cp_block_temp *block;        /* [nblocks], owned */
    double total_power_w;
    double heat_out_top_w, heat_out_bottom_w;
    double max_c;
    double worst_margin_k;       /* least margin of a block to its limit (+inf: no limits) */
    int iterations;              /* electro-thermal fixed-point iterations */
    int linear_iterations;       /* of the last linear solve (PFMG-PCG) */
    bool converged;
    bool runaway;
    double setup_s, solve_s;
    const char *solver;          /* "pfmg-pcg" or "cholmod" */
    int grid_nx, grid_ny, grid_nz; /* the cells of the grid solved on */
    double coolant_outlet_c;     /* with a coolant: its outlet temperature */
    double coolant_rise_k;       /* outlet - inlet */
    double min_cell_m;           /* its smallest cell in x or y */
    size_t ncavities;            /* microchannel layers */
    cp_cavity_result cavity[CP_MAX_LAYERS];
    double heat_out_channels_w;  /* into every cavity's fluid */
    double pump_w;               /* the cavities' pumps */
    bool has_sink;
    cp_sink_point sink;          /* the heat sink's operating point */
    double cooling_w;            /* pumps + the sink's fans: cooling power at the wall */
    double asic_w, engines_w, lasers_w; /* coupled powers */
    /* With a design and a modelled cooling (cooling_w > 0): the switch's wall
     * power with the package cooled as modelled.  The design's cooling
     * share (sys.cooling_fraction of the IT load) then covers the rest of the
     * box only, and the pumps and fans above the package:
     *   IT = dc - cooling;  cooling' = f (IT - package heat) + cooling_w;
     *   wall' = (IT + cooling') / conversion efficiency.
     * The design's own figures (nominal powers, cooling as a share) beside. */
    double switch_wall_w, switch_cooling_w, design_wall_w, design_cooling_w;
} cp_thermal_result;

void cp_thermal_result_free(cp_thermal_result *r);

/* Steady state; with t->coupled, iterates power <-> temperature.  *out is
 * overwritten (free a result before reusing it); free it with
 * cp_thermal_result_free, also after an error. */
int cp_thermal_steady(cp_thermal_grid *g, const cp_thermal_spec *t, const cp_design *d,
                      const cp_result *r, cp_thermal_result *out, cp_error *err);

/* One implicit step (theta method) from the current temperatures with the
 * block powers of t; dt in seconds. */
int cp_thermal_step(cp_thermal_grid *g, const cp_thermal_spec *t, double dt_s,
                    cp_error *err);
/* Temperature (C) of probe p now. */
double cp_thermal_probe_temp(const cp_thermal_grid *g, const cp_thermal_spec *t, size_t p);

/* The grid's state (temperatures, fluids) as text, for a later run to start
 * from (src/thermal_state.c); time_s is recorded, not used. */
int cp_thermal_state_write(const cp_thermal_grid *g, const cp_thermal_spec *t, double time_s,
                           FILE *f);
/* Reads a state into g: -1 with file:line:col when it is not a state of
 * this grid (cells, grid lines, fluids) or not a state at all; g is left
 * as it was. */
int cp_thermal_state_read(cp_thermal_grid *g, const cp_thermal_spec *t, const char *path,
                          double *time_s, cp_error *err);

/* Sets every cell to temp_c (initial condition of a transient). */
void cp_thermal_set_uniform(cp_thermal_grid *g, double temp_c);
/* The blocks' temperatures now into *out; out->block is NULL (allocated
 * here) or holds t->nblocks entries (reused).  Out of memory: nblocks 0. */
void cp_thermal_block_stats(const cp_thermal_grid *g, const cp_thermal_spec *t,
                            cp_thermal_result *out);


/* Power trace for a transient: rows "time_s,block,power_w" (a header line
 * is allowed); from time_s on, the block dissipates power_w. */
typedef struct cp_trace_event {
    double time_s;
    int block;
    double power_w;
} cp_trace_event;

typedef struct cp_trace {
    size_t n;
    cp_trace_event *ev;          /* sorted by time */
} cp_trace;

int cp_trace_load(const char *path, const cp_thermal_spec *t, cp_trace *out,
                  cp_error *err);
void cp_trace_free(cp_trace *tr);

/* Called every sample_every steps (and at the end) with the current state;
 * returning non-zero stops the run. */
typedef int (*cp_transient_cb)(double time_s, const cp_thermal_grid *g,
                               const cp_thermal_spec *t, void *ctx);

/* Backward-Euler / Crank-Nicolson run from the current temperatures up to
 * t->t_end_s, applying the trace's power changes at step boundaries. */
int cp_thermal_transient(cp_thermal_grid *g, const cp_thermal_spec *t,
                         const cp_trace *trace, int sample_every,
                         cp_transient_cb cb, void *ctx, cp_error *err);

/* The linear solver a steady (transient = false) or transient run of g will
 * use, `auto` resolved; CP_SOLVER_PFMG needs MPI (cp_init). */
cp_solver_kind cp_thermal_solver_kind(const cp_thermal_grid *g, const cp_thermal_spec *t,
                                      bool transient);

void cp_report_thermal(FILE *f, const cp_thermal_spec *t, const cp_thermal_result *r,
                       size_t unknowns);
int cp_report_thermal_json(FILE *f, const cp_design *d, const cp_thermal_spec *t,
                           const cp_thermal_result *r, size_t unknowns);

/* Temperature map of one layer, drawn by PLplot into memory as an image of
 * format "svg" or "png": *data (malloc'd: the caller frees it) holds *len
 * bytes.  No file is touched, and PLplot's fatal errors come back as errors. */
int cp_thermal_map(const cp_thermal_grid *g, const cp_thermal_spec *t, int layer,
                   const char *format, char **data, size_t *len, cp_error *err);
/* "svg" or "png" from a file name's extension; NULL for any other. */
const char *cp_thermal_map_format(const char *path);



#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_THERMAL_H */
