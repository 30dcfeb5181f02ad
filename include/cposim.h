/*
 * cposim.h — the public C API of libcposim, a simulator and design-space tool
 * for Co-Packaged Optics (CPO) switch systems.
 *
 * The pipeline reads top-down:
 *   catalog + scenario (YAML)  --cp_scenario_load-->  cp_design (plain struct)
 *   cp_design                  --cp_design_eval--->   cp_result (plain struct)
 * Models are pure functions over plain structs: no I/O, no globals, no
 * allocation on the evaluation path.  Units are SI-prefixed in every name.
 *
 * Errors are values: loaders fill a cp_error with file:line:col and a message;
 * only the CLI decides to print and exit.
 */
#ifndef CPOSIM_H
#define CPOSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CPOSIM_VERSION "0.1.0"

#define CP_NAME_MAX 64
#define CP_TEXT_MAX 256
#define CP_MAX_GROUPS 8
#define CP_MAX_SERDES 24
#define CP_MAX_SEGMENTS 12
#define CP_MAX_WARNINGS 32

/* ------------------------------------------------------------------ errors */

typedef struct cp_error {
    char file[CP_TEXT_MAX];
    int line; /* 1-based; 0 when no position is known */
    int col;  /* 1-based */
    char msg[1024];
} cp_error;

/* Formats "file:line:col: message" into buf; returns buf. */
const char *cp_error_format(const cp_error *err, char *buf, size_t len);

/* --------------------------------------------------------- process set-up
 * The library never changes process-wide state on its own.  The PFMG-PCG
 * thermal solver (HYPRE) needs MPI: start it once with cp_init(&argc, &argv,
 * CP_INIT_MPI, &err) (or MPI_Init/MPI_Init_thread yourself) before the first
 * solve, and call cp_finalize() before exit.  Without it, that solve returns
 * an error; nothing else in the library needs MPI (CHOLMOD does not).
 * argc/argv may be NULL.  cp_init leaves an MPI the program started alone,
 * and cp_finalize ends only an MPI that cp_init started. */
#define CP_INIT_MPI 0x1u

int cp_init(int *argc, char ***argv, unsigned flags, cp_error *err);
void cp_finalize(void);
/* MPI is initialised and not yet finalised. */
bool cp_mpi_ready(void);

/* ------------------------------------------------------------- components */

/* One SerDes class at one lane rate (e.g. CEI-112G-XSR). */
typedef struct cp_serdes {
    char name[CP_NAME_MAX];
    char cls[16];              /* LR, MR, VSR, XSR, XSR+, D2D */
    double lane_rate_gbps;     /* nominal payload rate: 100 or 200 */
    double line_rate_gbps;     /* signalling rate incl. FEC: 106.25, 212.5 */
    double energy_pj_per_bit;  /* per line bit, Tx+Rx of one lane end */
    double loss_budget_db;     /* bump-to-bump insertion loss at Nyquist */
    double reach_mm;           /* longest routed channel the class is for */
} cp_serdes;

typedef struct cp_retimer {
    char name[CP_NAME_MAX];
    double lane_rate_gbps;
    double energy_pj_per_bit;
} cp_retimer;

/* Loss of one channel segment, given at the Nyquist frequencies of 100G and
 * 200G PAM4 lanes (26.5625 and 53.125 GHz); per mm when length_mm > 0,
 * lumped otherwise. */
typedef struct cp_segment {
    char name[CP_NAME_MAX];
    bool per_mm;               /* a trace (loss per mm) or a lumped loss */
    double length_mm;
    double loss_db_26g;
    double loss_db_53g;
} cp_segment;

typedef struct cp_channel {
    char name[CP_NAME_MAX];
    size_t nseg;
    cp_segment seg[CP_MAX_SEGMENTS];
    double margin_db;          /* design margin the SerDes budget must leave */
    double extra_loss_db;      /* e.g. linear optics (LPO) equalisation share */
} cp_channel;

/* Optical lane budget: fibre plant and Tx/Rx specification. */
typedef struct cp_link {
    char name[CP_NAME_MAX];
    double lane_rate_gbps;
    double tx_oma_dbm;           /* Tx outer OMA (pluggable Tx) */
    double tdecq_db;             /* transmitter penalty (TDECQ) */
    double fiber_db_per_km;
    double length_m;
    double connectors;           /* count of connections */
    double connector_loss_db;    /* per connection */
    double other_penalty_db;     /* MPI, dispersion, reflections */
    double rx_sensitivity_oma_dbm; /* OMA at target BER, ideal Tx */
    double target_ber;           /* pre-FEC BER the sensitivity refers to */
    double required_margin_db;
    double lanes_per_fiber;      /* WDM wavelengths per fibre (1 = parallel) */
} cp_link;

typedef struct cp_laser {
    char name[CP_NAME_MAX];
    double output_power_dbm;     /* optical power per laser / per fibre */
    double wall_plug_efficiency; /* optical out / electrical in, laser + driver */
    double lasers_per_module;    /* e.g. 8 fibres in an ELSFP */
    double module_overhead_w;    /* TEC, control, per module */
    bool external;               /* ELS (field-replaceable) or on-engine */
    double t_max_c;              /* case temperature limit (0 = none) */
    double module_price_usd;     /* one laser module (ELS), 0 = unknown */
} cp_laser;

typedef struct cp_modulator {
    char name[CP_NAME_MAX];
    char type[16];               /* mzm, mrm, eam */
    double insertion_loss_db;
    double extinction_ratio_db;
    double drive_pj_per_bit;     /* energy delivered to the modulator */
    double tuning_w;             /* heater power per modulator (rings) */
} cp_modulator;

typedef struct cp_engine {
    char name[CP_NAME_MAX];
    double capacity_gbps;
    double lanes;
    double lane_rate_gbps;
    cp_modulator mod;
    double driver_pj_per_bit;
    double tia_pj_per_bit;
    double pd_responsivity_a_per_w;
    double coupler_loss_db;      /* per fibre-to-PIC coupling */
    double splitter_excess_db;
    double mux_loss_db;
    double lanes_per_laser;
    double control_w;            /* MCU, bias, monitors per engine */
    double t_max_c;              /* operating temperature limit (0 = none) */
} cp_engine;

typedef struct cp_module {
    char name[CP_NAME_MAX];
    char type[16];               /* dsp, lpo */
    double rate_gbps;
    double lanes;                /* host (electrical) lanes */
    double optical_lanes;        /* optical lanes (wavelengths x fibres) */
    double lanes_per_laser;      /* optical lanes fed by one laser (1 = EML/DML per lane) */
    double dsp_w;
    double driver_tia_w;
    double laser_w;
    double other_w;
    double price_usd;            /* 0 = unknown */
} cp_module;

typedef struct cp_asic {
    char name[CP_NAME_MAX];
    double capacity_tbps;
    double serdes_lanes;
    double lane_rate_gbps;
    double core_power_w;         /* logic, memory, excluding SerDes */
    double tj_max_c;             /* junction temperature limit (0 = none) */
} cp_asic;

typedef enum cp_media { CP_MEDIA_PLUGGABLE = 0, CP_MEDIA_LPO, CP_MEDIA_CPO } cp_media;

typedef struct cp_port_group {
    char name[CP_NAME_MAX];
    cp_media media;
    double count;
    double speed_gbps;
    cp_channel channel;
    cp_link link;
    cp_module module;  /* pluggable and LPO */
    cp_engine engine;  /* CPO */
    cp_laser laser;    /* CPO */
} cp_port_group;

typedef struct cp_system {
    double conversion_efficiency; /* AC->DC->point-of-load, 0..1 */
    double cooling_fraction;      /* fans/pumps as a share of DC load */
    double board_other_w;         /* CPU, BMC, PHYs, misc. */
    double rack_units;
    double faceplate_cages_per_ru;/* OSFP cages that fit one RU */
    double fibers_per_mpo;
    double price_usd;            /* switch without pluggable optics or ELS */
} cp_system;

typedef struct cp_design {
    char name[CP_NAME_MAX];
    char title[CP_TEXT_MAX];
    bool has_asic;
    cp_asic asic;
    size_t ngroups;
    cp_port_group group[CP_MAX_GROUPS];
    size_t nserdes;
    cp_serdes serdes[CP_MAX_SERDES];   /* candidate SerDes classes */
    bool has_retimer;
    cp_retimer retimer;
    cp_system sys;
} cp_design;

/* ----------------------------------------------------------------- models */

/* Electrical channel (src/channel.c). */
typedef struct cp_channel_result {
    double nyquist_ghz;
    double loss_db;              /* total insertion loss at Nyquist */
    double length_mm;            /* routed length (traces) */
    int serdes_index;            /* chosen class in the candidate list, -1 none */
    int retimers;                /* retimers per lane (0 or 1) */
    double serdes_w_per_lane;    /* both ends where owned by the host */
    double retimer_w_per_lane;
    double budget_margin_db;     /* budget - loss - design margin (per hop) */
    bool closes;
} cp_channel_result;

double cp_segment_loss_db(const cp_segment *s, double f_ghz);
double cp_channel_loss_db(const cp_channel *ch, double f_ghz);
double cp_nyquist_ghz(double line_rate_gbps, double bits_per_symbol);
void cp_channel_eval(const cp_channel *ch, double lane_rate_gbps,
                     const cp_serdes *classes, size_t nclasses,
                     const cp_retimer *retimer, cp_channel_result *out);

/* Optical link budget (src/optical_link.c). */
typedef struct cp_link_result {
    double tx_oma_dbm;
    double channel_loss_db;      /* fibre + connections */
    double rx_oma_dbm;
    double penalties_db;
    double margin_db;            /* over sensitivity, minus required margin */
    double ber;                  /* PAM4 estimate at the received OMA */
    double laser_min_dbm;        /* laser power that gives exactly the margin */
    double laser_min_w_elec;     /* its electrical power via WPE */
    bool closes;
} cp_link_result;

double cp_dbm_to_w(double dbm);
double cp_w_to_dbm(double w);
double cp_oma_from_avg_dbm(double avg_dbm, double er_db);
double cp_pam4_ber(double q);
double cp_pam4_q_for_ber(double ber);
double cp_sensitivity_oma_dbm(double noise_a_rms, double responsivity_a_per_w,
                              double ber);
/* Tx given by OMA (pluggable transmitter). */
void cp_link_eval_tx(const cp_link *l, cp_link_result *out);
/* Tx built from a CW laser through an optical engine (CPO). */
double cp_engine_tx_oma_dbm(const cp_engine *e, double laser_dbm);
void cp_link_eval_cpo(const cp_link *l, const cp_engine *e, const cp_laser *la,
                      cp_link_result *out);

/* Optical engine (src/optical_engine.c). */
typedef struct cp_engine_result {
    double lanes_used;
    double modulator_w, driver_w, tia_w, tuning_w, control_w;
    double electronics_w;        /* sum of the above */
    double pj_per_bit;           /* electronics only */
} cp_engine_result;

void cp_engine_eval(const cp_engine *e, double lanes_used, double engines,
                    cp_engine_result *out);
double cp_laser_elec_w(const cp_laser *la, double n_lasers);

/* Switch system (src/switch_power.c). */
typedef enum cp_warning_code {
    CP_WARN_LINK_OPEN = 1,       /* optical link does not close */
    CP_WARN_CHANNEL_OVER_BUDGET, /* no SerDes class (even with retimer) */
    CP_WARN_RETIMER_NEEDED,      /* channel needs a retimer */
    CP_WARN_FACEPLATE_FULL,      /* more cages than the faceplate holds */
    CP_WARN_ASIC_LANES,          /* ports need more SerDes lanes than ASIC */
    CP_WARN_ENGINE_LANES,        /* engines fractionally used */
    CP_WARN_FABRIC_OVERSIZED,    /* fewer tiers would hold the endpoints */
    CP_WARN_BEYOND_REACH         /* a level is longer than its optics reach */
} cp_warning_code;

typedef struct cp_warning {
    cp_warning_code code;
    int group;
    double value;                /* the figure behind it (dB, count, ...) */
    double limit;
} cp_warning;

typedef struct cp_group_result {
    double ports;
    double lanes;
    cp_channel_result channel;
    cp_link_result link;
    cp_engine_result engine;     /* all engines of the group (CPO) */
    double engines;
    double lasers;
    double laser_modules;
    double serdes_w;
    double retimer_w;
    double optics_w;             /* modules or engine electronics */
    double lasers_w;             /* ELS electrical, or module laser share */
    double optics_w_per_port;    /* optics + lasers, per port */
    double io_w_per_port;        /* + host SerDes and retimers */
    double fibers;
    double cages;                /* front-panel cages (OSFP) or ELS slots */
} cp_group_result;

typedef struct cp_result {
    double capacity_tbps;
    double ports;
    double port_speed_gbps;      /* 0 when groups differ */
    double asic_w, serdes_w, optics_w, lasers_w, cooling_w, conversion_w,
        board_w;
    double dc_w;                 /* before conversion losses */
    double total_w;              /* wall */
    double optics_w_per_port;
    double io_w_per_port;
    double optics_pj_per_bit;    /* (optics + lasers) / capacity */
    double io_pj_per_bit;        /* (serdes + retimers + optics + lasers) / capacity */
    double system_pj_per_bit;    /* wall / capacity */
    double worst_margin_db;
    double ports_per_ru;
    double fibers;
    double mpo;
    size_t ngroups;
    cp_group_result group[CP_MAX_GROUPS];
    size_t nwarn;
    cp_warning warn[CP_MAX_WARNINGS];
} cp_result;

void cp_design_eval(const cp_design *d, cp_result *out);
const char *cp_media_name(cp_media m);
const char *cp_warning_text(cp_warning_code c);

/* ----------------------------------------------------- catalog & scenario */

typedef struct cp_catalog cp_catalog;

/* Loads every YAML file of dir/catalog, and dir/sources.yaml. */
int cp_catalog_load(const char *data_dir, cp_catalog **out, cp_error *err);
void cp_catalog_free(cp_catalog *cat);

/* Read-only view of catalog entries, for listing and audits. */
typedef struct cp_param_info {
    const char *key;
    const char *value;          /* as written */
    const char *source;         /* key into sources, or NULL */
    const char *assumption;     /* reason, or NULL */
    const char *calibrated;     /* fitted to its source: how, or NULL */
    int line, col;
} cp_param_info;

typedef struct cp_entry_info {
    const char *cls;
    const char *name;
    const char *description;
    const char *file;
    int line, col;
    size_t nparams;
} cp_entry_info;

size_t cp_catalog_count(const cp_catalog *cat);
int cp_catalog_entry(const cp_catalog *cat, size_t i, cp_entry_info *out);
int cp_catalog_find(const cp_catalog *cat, const char *name);
int cp_catalog_param(const cp_catalog *cat, size_t entry, size_t k,
                     cp_param_info *out);
/* Title/URL of a bibliography key; NULL when unknown. */
const char *cp_catalog_source_title(const cp_catalog *cat, const char *key);
const char *cp_catalog_source_url(const cp_catalog *cat, const char *key);

/* Loads a scenario; sets[] are "path=value" overrides applied last. */
int cp_scenario_load(const char *path, const cp_catalog *cat,
                     const char *const *sets, size_t nsets, cp_design *out,
                     cp_error *err);


/* ---------------------------------------------------------------- thermal
 * Finite-volume model of a package stack (src/thermal_*.c): a structured
 * nx x ny grid per layer (layers may have several cells in z), 7-point
 * conduction with harmonic-mean face conductances, convective (or
 * resistance) boundaries on top and bottom, adiabatic sides.  Block powers
 * come from the switch power model of the same scenario. */
#define CP_MAX_LAYERS 16
#define CP_MAX_BLOCKS 96

typedef struct cp_material {
    char name[CP_NAME_MAX];
    double k_xy_w_per_mk;        /* in-plane conductivity */
    double k_z_w_per_mk;         /* through-plane conductivity */
    double c_j_per_m3k;          /* volumetric heat capacity */
} cp_material;

typedef struct cp_tlayer {
    char name[CP_NAME_MAX];
    double thickness_m;
    int cells;                   /* grid cells through the thickness */
    cp_material mat;             /* fill */
    bool has_dies;               /* blocks on this layer are die_mat */
    cp_material die_mat;
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

typedef enum cp_solver_kind { CP_SOLVER_AUTO = 0, CP_SOLVER_PFMG, CP_SOLVER_CHOLMOD } cp_solver_kind;

typedef struct cp_thermal_spec {
    double size_x_m, size_y_m;
    int nx, ny;
    size_t nlayers;
    cp_tlayer layer[CP_MAX_LAYERS];
    size_t nblocks;
    cp_tblock block[CP_MAX_BLOCKS];
    cp_boundary top, bottom;
    bool coupled;
    cp_coupling coupling;
    cp_solver_kind solver;
    double tolerance;            /* relative residual of the linear solve */
    double dt_s, t_end_s, theta; /* transient: step, end, 1 = BE, 0.5 = CN */
    char trace_path[CP_TEXT_MAX];/* power trace CSV: time_s,block,power_w */
    int map_layer;               /* layer drawn by the map (default: top die layer) */
    double max_steps;            /* transient steps allowed (0: CP_THERMAL_DEFAULT_MAX_STEPS) */
    double max_memory_gb;        /* grid + solver memory allowed (0: CP_DEFAULT_MAX_MEMORY_GB) */
} cp_thermal_spec;

/* Work limits: a job whose estimate is above one is refused before it starts. */
#define CP_DEFAULT_MAX_MEMORY_GB 8.0
#define CP_THERMAL_DEFAULT_MAX_STEPS 1e6

/* Size of a thermal job before it runs: cells, memory of the grid and its
 * solver (measured bytes per cell, bench in src/thermal_grid.c), steps. */
typedef struct cp_thermal_size {
    double cells;
    double bytes;
    cp_solver_kind solver;       /* the solver the estimate is for */
    double steps;                /* transient steps, t_end_s / dt_s (0: none) */
} cp_thermal_size;
void cp_thermal_estimate(const cp_thermal_spec *t, cp_thermal_size *out);
/* 0, or -1 with the estimate and the limit when the grid needs more memory
 * than t->max_memory_gb or the transient more steps than t->max_steps. */
int cp_thermal_check_size(const cp_thermal_spec *t, cp_error *err);

/* Loads the `thermal:` section of a scenario (after includes and --set). */
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
/* z-cell range [k0, k1) of a layer */
void cp_thermal_layer_cells(const cp_thermal_grid *g, int layer, int *k0, int *k1);

typedef struct cp_block_temp {
    double max_c, mean_c;
    double power_w;
    double flux_w_per_cm2;
    double margin_k;             /* limit - max; +inf without a limit */
    bool pass;
} cp_block_temp;

typedef struct cp_thermal_result {
    size_t nblocks;
    cp_block_temp block[CP_MAX_BLOCKS];
    double total_power_w;
    double heat_out_top_w, heat_out_bottom_w;
    double max_c;
    int iterations;              /* electro-thermal fixed-point iterations */
    int linear_iterations;       /* of the last linear solve (PFMG-PCG) */
    bool converged;
    bool runaway;
    double setup_s, solve_s;
    const char *solver;          /* "pfmg-pcg" or "cholmod" */
    double asic_w, engines_w, lasers_w; /* coupled powers */
} cp_thermal_result;

/* Steady state; with t->coupled, iterates power <-> temperature. */
int cp_thermal_steady(cp_thermal_grid *g, const cp_thermal_spec *t, const cp_design *d,
                      const cp_result *r, cp_thermal_result *out, cp_error *err);

/* One implicit step (theta method) from the current temperatures with the
 * block powers of t; dt in seconds. */
int cp_thermal_step(cp_thermal_grid *g, const cp_thermal_spec *t, double dt_s,
                    cp_error *err);
/* Sets every cell to temp_c (initial condition of a transient). */
void cp_thermal_set_uniform(cp_thermal_grid *g, double temp_c);
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


/* ------------------------------------------------------------ reliability
 * Fleet failures and service (src/reliability.c): every component class of
 * a sized fabric fails as a renewal process (Weibull, exponential when the
 * shape is 1, Arrhenius-accelerated), is repaired by a limited crew, takes
 * links or whole switches down, and may interrupt an AI training job that
 * then restarts from its last checkpoint.  Replicas are independent and
 * seeded by their index, and they are reduced in fixed blocks, so results do
 * not depend on threads or ranks.
 *
 * The pipeline: cp_rel_load (parse rates, service, job) -> cp_rel_classes_build
 * (failure classes of a sized fabric, src/rel_classes.c) -> cp_rel_simulate or
 * cp_rel_run_block (Monte Carlo) / cp_rel_expected (expected values of the same
 * renewal model). */
typedef struct cp_failure {
    char name[CP_NAME_MAX];
    double fit;                  /* failures per 1e9 h at ref_temp_c */
    double ref_temp_c;
    double activation_ev;
    double weibull_shape;
} cp_failure;

typedef enum cp_service_kind {
    CP_SVC_MODULE = 0,           /* hot-swap a pluggable */
    CP_SVC_ELS,                  /* swap an external laser module */
    CP_SVC_SWITCH,               /* drain and replace the switch */
    CP_SVC_ENGINE,               /* detachable optical engine */
    CP_SVC_CABLE                 /* clean or replace a cable */
} cp_service_kind;

/* What a failure class is: the key that models select classes by (a class's
 * name is a display label only). */
typedef enum cp_rel_kind {
    CP_REL_SWITCH = 0,           /* switch hardware: ASIC, board, control plane */
    CP_REL_MODULE,               /* switch-side pluggable transceivers */
    CP_REL_NIC_MODULE,           /* NIC-side pluggable transceivers */
    CP_REL_ENGINE,               /* co-packaged optical engines (without lasers) */
    CP_REL_ELS_LASER,            /* lasers of external (front-panel) laser modules */
    CP_REL_EMBEDDED_LASER,       /* lasers inside the package */
    CP_REL_CABLE_OPTICAL,        /* optical cabling of one link */
    CP_REL_CABLE_COPPER,         /* copper cable of one link */
    CP_REL_KIND_COUNT
} cp_rel_kind;

const char *cp_rel_kind_key(cp_rel_kind k); /* "switch", "module", ... (JSON) */

#define CP_MAX_CLASSES 64
#define CP_MAX_YEARS 10
#define CP_MAX_TECHNICIANS 256

typedef struct cp_rel_class {
    char name[CP_NAME_MAX];      /* display label, never a key */
    cp_rel_kind kind;
    int tier;                    /* fabric tier of a switch-side class, else -1 */
    int group;                   /* port group of the tier's design, else -1 */
    double units;
    double fail_per_h;           /* per unit at operating temperature */
    double shape;
    cp_service_kind service;
    int level;                   /* link level it takes down (-1: several) */
    double links_per_event;      /* links down while it is repaired */
    double ports_per_event;      /* switch ports drained */
    double gpus_per_event;       /* GPUs cut off until the repair (leaf level) */
    bool interrupts;             /* hits the training job */
    double spares;               /* failures a group absorbs (spare lasers) */
    double group_units;          /* units per group (lasers per ELS module) */
    double parts_usd;            /* replacement part per event */
} cp_rel_class;

typedef struct cp_service {
    double response_h[5];        /* by service kind: detection + dispatch + spare */
    double hands_on_h[5];        /* technician time by service kind */
    double technicians;          /* 1..CP_MAX_TECHNICIANS */
    double labour_usd_per_h;
    double visit_usd;            /* truck roll per event */
} cp_service;

/* The training job.  An interruption stops it: it loses the work since its
 * last checkpoint and is down for restart_h; an interruption while it is down
 * restarts the restart (the window ends restart_h after the last one) and loses
 * nothing more.  Checkpoints fall every checkpoint_h of run time after a
 * (re)start. */
typedef struct cp_job {
    double gpus;                 /* GPUs in the training job (0: the whole cluster) */
    double cluster_gpus;         /* GPUs of the fabric (set by the class builder) */
    double checkpoint_h;         /* interval between checkpoints */
    double restart_h;            /* detect + restart + reload */
    double degrade_fraction;     /* 0: interrupt; > 0: slow down by this instead */
    double share;                /* job GPUs / cluster GPUs: chance an event hits it */
} cp_job;

typedef struct cp_rel_spec {
    char name[CP_NAME_MAX];
    size_t nclasses;
    cp_rel_class cls[CP_MAX_CLASSES];
    cp_service svc;
    cp_job job;
    double years;
    double replicas;
    unsigned long seed;
    double gpu_hour_usd;
} cp_rel_spec;

/* What the `reliability:` section gives the class builder besides the spec:
 * the failure entry and operating temperature of each key of `rates`
 * (switch, engine, els_laser, embedded_laser, fiber, copper, module_<G>g),
 * part prices, redundancy. */
#define CP_MAX_RATES 16
typedef struct cp_rel_rate {
    char key[CP_NAME_MAX];       /* key of `rates` (a data key of the scenario) */
    cp_failure failure;          /* the catalog entry, with inline overrides */
    double temp_c;               /* operating temperature (ref_temp_c by default) */
} cp_rel_rate;

typedef struct cp_rel_inputs {
    size_t nrates;
    cp_rel_rate rate[CP_MAX_RATES];
    double parts_fraction[5];    /* by service kind: share of the part's price per event */
    double cable_usd;            /* price of one cable (patch cord) */
    bool path_diversity;         /* faults above the leaf do not hit the job */
    bool detachable_engines;     /* CPO engines are field-replaceable */
    double spare_lasers_per_els; /* failures an ELS module absorbs */
} cp_rel_inputs;

/* One replica's totals (all doubles, fixed size, so replicas reduce field by
 * field).  Hours are clipped to the horizon. */
typedef struct cp_rel_replica {
    double failures[CP_MAX_CLASSES];
    double interruptions;        /* failures that hit the job */
    double job_lost_h;           /* hours of job time lost: wasted work + down (merged) */
    double lost_gpu_h;           /* GPU-hours idle: job losses + stranded GPUs, <= GPUs x T */
    double stranded_gpu_h;       /* GPUs cut off from the fabric until repaired */
    double link_down_h;          /* link-hours unavailable */
    double port_drain_h;         /* switch port-hours drained */
    double service_usd;
    double tech_busy_h;
    double queue_wait_h;
    double events;
    double year_failures[CP_MAX_YEARS];
    double year_interruptions[CP_MAX_YEARS];
    double year_service_usd[CP_MAX_YEARS];
    double year_lost_gpu_h[CP_MAX_YEARS];
} cp_rel_replica;

typedef struct cp_stat {
    double mean, ci95;           /* mean and half-width of its 95 % interval */
} cp_stat;

typedef struct cp_rel_summary {
    double replicas;
    cp_stat failures[CP_MAX_CLASSES];
    cp_stat failures_per_year, interruptions, interruptions_per_day, lost_gpu_h,
        lost_gpu_h_per_year, stranded_gpu_h, goodput, link_down_h, port_drain_h, service_usd,
        service_usd_per_year, gpu_idle_usd, tech_utilization, queue_wait_h, events;
    cp_stat year_failures[CP_MAX_YEARS], year_interruptions[CP_MAX_YEARS],
        year_service_usd[CP_MAX_YEARS], year_lost_gpu_h[CP_MAX_YEARS];
    cp_stat score;               /* the per-replica score of cp_rel_simulate (0: none) */
} cp_rel_summary;

/* Streaming statistics of replicas: count, mean and sum of squared deviations
 * per field (Welford; blocks merge by Chan et al. 1979), the last slot for a
 * caller's score.  Replicas are never all kept in memory. */
#define CP_REL_NSTAT (sizeof(cp_rel_replica) / sizeof(double) + 1)
typedef struct cp_rel_acc {
    double n;
    double mean[CP_REL_NSTAT];
    double m2[CP_REL_NSTAT];
} cp_rel_acc;

/* A caller's statistic of one replica (e.g. its TCO), reduced with the rest. */
typedef double (*cp_rel_score_fn)(const cp_rel_replica *rep, void *ctx);

/* Limits checked before a run (memory of one replica's event list per
 * thread, total work): see cp_rel_estimate. */
#define CP_REL_MAX_EVENTS_PER_REPLICA 5e6
#define CP_REL_MAX_EVENTS_TOTAL 2e9
#define CP_REL_BYTES_PER_EVENT 96.0  /* event, stranding and job intervals, sweep edges */

typedef struct cp_rel_cost {
    double events_per_replica;   /* expected, from the renewal counts */
    double events_total;
    double bytes_per_thread;
} cp_rel_cost;

/* Arrhenius acceleration exp(Ea/k (1/Tref - 1/T)). */
double cp_arrhenius(double ea_ev, double tref_c, double t_c);
/* Renewal function M(t) = E[failures in [0, t]] of one unit with Weibull
 * lifetimes of mean 1/fail_per_h and the given shape, renewed at once
 * (repair time neglected), at t[0..n) (ascending, hours).  Shape 1 gives
 * fail_per_h * t exactly; otherwise M = F + M * dF is solved on a grid
 * (Riemann-Stieltjes, Xie 1989). */
int cp_renewal_mean(double fail_per_h, double shape, const double *t, size_t n, double *m,
                    cp_error *err);
/* Expected events and memory of a run; -1 with both figures and the limit in
 * err when beyond CP_REL_MAX_EVENTS_PER_REPLICA or CP_REL_MAX_EVENTS_TOTAL. */
int cp_rel_estimate(const cp_rel_spec *rel, cp_rel_cost *out, cp_error *err);
/* Runs replicas first, first + stride, ... (count of them) into out[0..count);
 * 0, or -1 (out of memory, limits) with err. */
int cp_rel_run(const cp_rel_spec *rel, size_t first, size_t stride, size_t count,
               cp_rel_replica *out, cp_error *err);
/* Replicas per block: depends on the replica count only. */
size_t cp_rel_block_size(size_t replicas);
/* Runs replicas [first, first + count) on OpenMP threads and accumulates them
 * in index order into acc (cleared first); score may be NULL. */
int cp_rel_run_block(const cp_rel_spec *rel, size_t first, size_t count,
                     cp_rel_score_fn score, void *ctx, cp_rel_acc *acc, cp_error *err);
void cp_rel_acc_add(cp_rel_acc *acc, const cp_rel_replica *rep, double score);
void cp_rel_acc_merge(cp_rel_acc *into, const cp_rel_acc *from);
void cp_rel_summarize(const cp_rel_spec *rel, const cp_rel_acc *acc, cp_rel_summary *out);
/* All rel->replicas replicas block by block in this process, summarised. */
int cp_rel_simulate(const cp_rel_spec *rel, cp_rel_score_fn score, void *ctx,
                    cp_rel_summary *out, cp_error *err);
void cp_rel_reduce(const cp_rel_spec *rel, const cp_rel_replica *reps, size_t n,
                   cp_rel_summary *out);
/* Expected values of the same model without simulation: renewal counts
 * (Weibull shapes included), no crew queueing, job losses from the closed
 * form of the job model week by week (see rel_expected.c). */
int cp_rel_expected(const cp_rel_spec *rel, cp_rel_replica *out, cp_error *err);
/* Parses the `reliability:` section of a fabric scenario: service, job,
 * simulation into out (no classes), rates and the builder's inputs into in. */
int cp_rel_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_rel_spec *out, cp_rel_inputs *in, cp_error *err);
/* The failure classes of a sized fabric (src/rel_classes.c): per tier its
 * switches, and per port group of its design the modules (pluggable groups)
 * or engines and lasers (CPO groups); NIC modules; cables per link level. */
int cp_rel_classes_build(const cp_fabric_spec *f, const cp_fabric_result *r,
                         const cp_rel_inputs *in, cp_rel_spec *rel, cp_error *err);


/* -------------------------------------------------------------------- TCO
 * Capex + discounted energy, service and GPU idle cost over the service
 * life (src/tco.c), break-even by root finding, tornado sensitivity
 * (src/tco_findings.c). */
typedef struct cp_economics {
    double electricity_usd_per_kwh;
    double pue;
    double carbon_kg_per_kwh;
    double discount_rate;
    double years;
    double fiber_usd_per_link;
    double copper_usd_per_link;
    double spares_fraction;      /* spare modules / lasers bought up front */
} cp_economics;

/* Capex of a sized fabric at catalog prices, port group by port group: the
 * one place capex is computed (fabric report and TCO). */
typedef struct cp_capex {
    double switches_usd;         /* switches without pluggables or ELS */
    double optics_usd;           /* pluggable transceivers, switch and NIC ends */
    double lasers_usd;           /* ELS laser modules */
    double cabling_usd;          /* fibre and copper links (needs economics) */
    double spares_usd;           /* spare modules and lasers (needs economics) */
    double total_usd;
} cp_capex;

/* eco may be NULL: no cabling or spares. */
void cp_fabric_capex(const cp_fabric_spec *f, const cp_fabric_result *r,
                     const cp_economics *eco, cp_capex *out);

/* Everything a TCO needs for one design option. */
typedef struct cp_tco_case {
    cp_fabric_spec fabric;
    cp_fabric_result fr;
    cp_rel_spec rel;
    cp_economics eco;
} cp_tco_case;

typedef struct cp_tco {
    double capex_switches, capex_optics, capex_lasers, capex_cabling, capex_spares,
        capex;
    double energy_kwh_per_year, energy_usd, carbon_t;
    double service_usd, gpu_idle_usd;
    double interruptions_per_year, lost_gpu_h_per_year;
    double total_usd;            /* capex + discounted opex */
} cp_tco;

int cp_economics_load(const char *path, const char *const *sets, size_t nsets,
                      cp_economics *out, cp_error *err);
/* TCO with the expected-value reliability (rep == NULL: cp_rel_expected, the
 * same renewal model as the simulation), or with one simulated replica.
 * Service and GPU idle are discounted year by year. */
int cp_tco_eval(const cp_tco_case *c, const cp_rel_replica *rep, cp_tco *out, cp_error *err);
/* cp_rel_score_fn over a cp_tco_case: the replica's TCO total (NaN on error). */
double cp_tco_score(const cp_rel_replica *rep, void *tco_case);

typedef enum cp_tco_param {
    CP_TP_ENGINE_FIT = 0,        /* CPO engine failure rate (FIT at its temperature) */
    CP_TP_SWITCH_MTTR,           /* switch replacement response time, h */
    CP_TP_ELECTRICITY,           /* $/kWh */
    CP_TP_MODULE_FIT,            /* pluggable module rate multiplier */
    CP_TP_LASER_FIT,             /* ELS laser rate multiplier */
    CP_TP_GPU_HOUR,              /* $/GPU-hour */
    CP_TP_CHECKPOINT,            /* checkpoint interval multiplier */
    CP_TP_CPO_PRICE,             /* CPO switch price multiplier */
    CP_TP_PUE,
    CP_TP_COUNT
} cp_tco_param;

const char *cp_tco_param_name(cp_tco_param p);
/* Sets a parameter on a case (absolute for FIT, MTTR, $/kWh, PUE, $/GPU-h;
 * a multiplier for the others). */
void cp_tco_apply(cp_tco_case *c, cp_tco_param p, double value);
/* True when p changes anything in the case (e.g. engine FIT without engines). */
bool cp_tco_param_applies(const cp_tco_case *c, cp_tco_param p);
/* Current value of an absolute parameter in the case (engine FIT: of its
 * first engine class; NaN when it has none). */
double cp_tco_param_now(const cp_tco_case *c, cp_tco_param p);
/* Where TCO(b) - TCO(a) changes sign for p in [lo, hi] (GSL Brent).  Returns
 * 0 with *flips false when it does not change sign there (identical totals
 * included), 0 with *flips true and *root, or -1 with err when the totals
 * cannot be evaluated or the solver fails or does not converge. */
int cp_tco_break_even(const cp_tco_case *a, const cp_tco_case *b, cp_tco_param p,
                      double lo, double hi, bool *flips, double *root, cp_error *err);

typedef struct cp_tornado_bar {
    cp_tco_param param;
    double low_value, high_value;
    double low_delta, high_delta; /* TCO(b) - TCO(a) at each end */
} cp_tornado_bar;

/* Bars of the parameters that apply to a or b, sorted by swing, largest
 * first, into out[CP_TP_COUNT]; *n their count. */
int cp_tco_tornado(const cp_tco_case *a, const cp_tco_case *b, cp_tornado_bar *out,
                   size_t *n, cp_error *err);

/* What `cposim tco` reports beyond the two TCOs (src/tco_findings.c). */
#define CP_TCO_FLIPS 3
typedef struct cp_tco_findings {
    cp_tco_param param[CP_TCO_FLIPS]; /* engine FIT, switch MTTR, electricity */
    bool flips[CP_TCO_FLIPS];         /* a root in [lo, hi] */
    double root[CP_TCO_FLIPS], now[CP_TCO_FLIPS], lo[CP_TCO_FLIPS], hi[CP_TCO_FLIPS];
    size_t nbars;
    cp_tornado_bar bars[CP_TP_COUNT];
    bool weibull;                     /* some class has a shape != 1 */
    bool simulated;                   /* sim_total below is filled */
    double replicas;
    cp_stat sim_total[2];             /* TCO with simulated failures, A and B */
} cp_tco_findings;

/* Break-even of engine FIT, switch MTTR and electricity in fixed search
 * ranges, "now" from whichever case has the parameter, and the tornado. */
int cp_tco_findings_eval(const cp_tco_case *a, const cp_tco_case *b, cp_tco_findings *x,
                         cp_error *err);

/* Reports return 0, or -1 when the stream or the JSON document fails. */
int cp_report_reliability(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s);
int cp_report_reliability_json(FILE *f, const cp_rel_spec *rel, const cp_rel_summary *s);
int cp_report_tco(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                  const cp_tco *tb, const cp_tco_findings *x);
int cp_report_tco_json(FILE *f, const cp_tco_case *a, const cp_tco_case *b, const cp_tco *ta,
                       const cp_tco *tb, const cp_tco_findings *x);

/* -------------------------------------------------- designs and sensitivity
 * Shared by sweeps and the uncertainty analysis (src/sample.c,
 * src/sensitivity.c). */
typedef enum cp_dist_kind {
    CP_DIST_FIXED = 0,           /* value */
    CP_DIST_UNIFORM,             /* lo .. hi */
    CP_DIST_LOGUNIFORM,          /* lo .. hi, uniform in log */
    CP_DIST_TRIANGULAR,          /* lo, value (likely), hi */
    CP_DIST_LOGNORMAL,           /* value = median, error_factor = x95 / x50 */
    CP_DIST_NORMAL               /* value = mean, sd */
} cp_dist_kind;

typedef struct cp_dist {
    cp_dist_kind kind;
    double value, lo, hi, error_factor, sd;
} cp_dist;

const char *cp_dist_name(cp_dist_kind k);
/* 0 when the parameters make a distribution; what names it in the error. */
int cp_dist_check(const cp_dist *d, const char *what, cp_error *err);
/* Quantile at u in (0, 1) (in [0, 1] for bounded kinds). */
double cp_dist_quantile(const cp_dist *d, double u);
double cp_dist_mean(const cp_dist *d);

typedef enum cp_doe_kind {
    CP_DOE_GRID = 0,             /* full factorial, levels[] per input, ends included */
    CP_DOE_RANDOM,               /* plain Monte Carlo (MT19937) */
    CP_DOE_LHS,                  /* Latin hypercube */
    CP_DOE_SOBOL                 /* Sobol sequence (at most 40 inputs) */
} cp_doe_kind;

/* n points of the dim-dimensional unit cube, row-major in out[n * dim]. */
int cp_doe_unit(cp_doe_kind kind, size_t dim, size_t n, unsigned long seed,
                const size_t *levels, double *out, cp_error *err);
/* (dim + 2) blocks of n points: A, B, then A with column i from B. */
int cp_saltelli_design(size_t dim, size_t n, double *out, cp_error *err);
/* First-order and total Sobol indices from the outputs f[(dim + 2) * n] of
 * a Saltelli design, in its block order. */
int cp_sobol_indices(size_t dim, size_t n, const double *f, double *s1, double *st,
                     cp_error *err);
double cp_spearman(const double *x, const double *y, size_t n);
int cp_quantiles(const double *x, size_t n, const double *p, size_t np, double *q,
                 cp_error *err);

/* Named outputs of a result, by their JSON key (src/metrics.c). */
typedef enum cp_metric_set { CP_METRICS_EVAL = 0, CP_METRICS_FABRIC } cp_metric_set;
/* Id of a name (e.g. "power_w.total", "links.0.margin_db", "network_w"), or
 * -1 with err listing the names. */
int cp_metric_id(cp_metric_set set, const char *name, cp_error *err);
double cp_metric_eval(int id, const cp_result *r);
double cp_metric_fabric(int id, const cp_fabric_result *r);

/* Pareto front of n points with m objectives, all to be minimised (negate
 * one to maximise), row-major in obj[n * m]; rows with a NaN are never on
 * it.  front[i] = 1 for a non-dominated point.  Returns the front's size. */
size_t cp_pareto(const double *obj, size_t n, size_t m, unsigned char *front);

/* ----------------------------------------------------------------- sweeps
 * A design of experiments over --set paths of a base scenario
 * (src/sweep_spec.c, src/sweep.c), each point evaluated by the model chain
 * and kept in a SQLite results store (src/store.c) keyed by a hash of its
 * inputs, so that a killed sweep resumes with no point lost or repeated. */
#define CP_SWEEP_MAX_PARAMS 16
#define CP_SWEEP_MAX_VALUES 64
#define CP_SWEEP_MAX_OUTPUTS 32
#define CP_SWEEP_MAX_RULES 8

typedef enum cp_sweep_cmd { CP_SWEEP_EVAL = 0, CP_SWEEP_FABRIC } cp_sweep_cmd;

typedef struct cp_sweep_param {
    char path[CP_TEXT_MAX];      /* a --set path of the base scenario */
    size_t nvalues;              /* a list of values ... */
    double values[CP_SWEEP_MAX_VALUES];
    bool range;                  /* ... or a range from..to ... */
    double from, to;
    bool log_scale;
    size_t steps;                /* points of the range on a grid */
    bool has_dist;               /* ... or a distribution (random designs) */
    cp_dist dist;
} cp_sweep_param;

typedef struct cp_sweep_rule {   /* a constraint, or an objective */
    char output[CP_NAME_MAX];
    int id;                      /* cp_metric_id */
    double min, max;             /* constraint: min <= value <= max */
    bool maximize;               /* objective */
} cp_sweep_rule;

typedef struct cp_sweep_spec {
    char name[CP_NAME_MAX];
    char file[CP_TEXT_MAX];      /* the spec file */
    cp_sweep_cmd command;
    char scenario[CP_TEXT_MAX];  /* base scenario: a file (relative to the spec) or preset */
    cp_doe_kind design;
    size_t points;               /* random designs; grids have the product of levels */
    unsigned long seed;
    size_t nparams;
    cp_sweep_param param[CP_SWEEP_MAX_PARAMS];
    size_t noutputs;
    cp_sweep_rule output[CP_SWEEP_MAX_OUTPUTS];
    size_t nconstraints;
    cp_sweep_rule constraint[CP_SWEEP_MAX_RULES];
    size_t nobjectives;
    cp_sweep_rule objective[CP_SWEEP_MAX_RULES];
    bool full_load;              /* load the scenario for every point (no fast path) */
    unsigned long long spec_hash; /* of the inputs that define the points */
} cp_sweep_spec;

int cp_sweep_load(const char *path, cp_sweep_spec *out, cp_error *err);
/* Number of points the design has. */
size_t cp_sweep_count(const cp_sweep_spec *s);
/* Parameter values of every point, row-major in values[count * nparams]. */
int cp_sweep_values(const cp_sweep_spec *s, double *values, cp_error *err);
/* Hash of one point's inputs (command, scenario, path=value list). */
unsigned long long cp_sweep_point_hash(const cp_sweep_spec *s, const char *scenario,
                                       const double *values);

/* One point: loads the scenario with the point's --set values, evaluates,
 * fills outputs[noutputs] and *feasible.  A failing point returns -1 with
 * err (it is recorded, the sweep goes on). */
int cp_sweep_point(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                   const double *values, double *outputs, bool *feasible, cp_error *err);

typedef struct cp_store cp_store;
/* Opens or creates the store for this sweep; an existing store of another
 * sweep (a different spec hash) is refused. */
int cp_store_open(const char *path, const cp_sweep_spec *s, const char *spec_text,
                  cp_store **out, cp_error *err);
void cp_store_close(cp_store *st);
/* Hashes of the points already stored, sorted ascending. */
int cp_store_done(cp_store *st, unsigned long long **hashes, size_t *n, cp_error *err);

typedef struct cp_sweep_row {
    unsigned long long hash;
    size_t seq;                  /* index in the design */
    const double *values;        /* nparams */
    const double *outputs;       /* noutputs */
    bool ok, feasible;
    const char *error;           /* when !ok */
} cp_sweep_row;

/* Writes rows in one transaction (all or none). */
int cp_store_put(cp_store *st, const cp_sweep_row *rows, size_t n, cp_error *err);

/* A whole store read back, in design order (seq), for summaries, exports
 * and reports. */
typedef struct cp_sweep_table {
    char name[CP_NAME_MAX], command[16], scenario[CP_TEXT_MAX], version[32];
    size_t nparams, noutputs, nrows, nobjectives;
    char (*param)[CP_TEXT_MAX];  /* [nparams] paths */
    char (*output)[CP_NAME_MAX]; /* [noutputs] names */
    cp_sweep_rule objective[CP_SWEEP_MAX_RULES]; /* id = index into outputs */
    unsigned long long *hash;    /* [nrows] */
    size_t *seq;
    unsigned char *ok, *feasible;
    double *values;              /* [nrows * nparams] */
    double *outputs;             /* [nrows * noutputs], NaN when failed */
    char **error;                /* [nrows], NULL when ok */
} cp_sweep_table;

int cp_store_read(const char *path, cp_sweep_table *t, cp_error *err);
void cp_sweep_table_free(cp_sweep_table *t);

/* What a sweep found: counts, the range of each output, the best feasible
 * point per objective, the Pareto front of the feasible points and the
 * rank correlation of each output with each parameter (src/sweep_analysis.c). */
typedef struct cp_sweep_summary {
    size_t rows, ok, failed, feasible;
    double out_min[CP_SWEEP_MAX_OUTPUTS], out_median[CP_SWEEP_MAX_OUTPUTS],
        out_max[CP_SWEEP_MAX_OUTPUTS];
    long best[CP_SWEEP_MAX_RULES];           /* row per objective, -1: none feasible */
    size_t pareto;                           /* points on the front */
    unsigned char *front;                    /* [rows] */
    double rho[CP_SWEEP_MAX_PARAMS][CP_SWEEP_MAX_OUTPUTS]; /* Spearman, NaN: constant */
} cp_sweep_summary;

int cp_sweep_summarize(const cp_sweep_table *t, cp_sweep_summary *s, cp_error *err);
void cp_sweep_summary_free(cp_sweep_summary *s);

/* Progress: called after each committed chunk with points done and total;
 * returning non-zero stops the sweep (what is committed stays). */
typedef int (*cp_sweep_progress)(size_t done, size_t total, void *ctx);

typedef struct cp_sweep_stats {
    size_t total, skipped, computed, failed, feasible;
    bool fast;                   /* points set into the loaded design, no YAML per point */
} cp_sweep_stats;

/* Runs the points not yet in the store, on OpenMP threads, committing in
 * chunks; stats may be NULL. */
int cp_sweep_run(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                 cp_store *st, cp_sweep_progress cb, void *ctx, cp_sweep_stats *stats,
                 cp_error *err);

void cp_report_sweep(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s);
int cp_report_sweep_json(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s);
/* RFC 4180 rows: hash, seq, status, feasible, pareto, parameters, outputs, error */
int cp_report_sweep_csv(FILE *f, const cp_sweep_table *t, const cp_sweep_summary *s);

/* ---------------------------------------------------------------- reports */
void cp_report_table(FILE *f, const cp_design *d, const cp_result *r);
void cp_report_compare(FILE *f, const cp_design *d, const cp_result *r, size_t n);
/* JSON: one object for n == 1, else {"designs": [...], "comparison": [...]} */
int cp_report_json(FILE *f, const cp_design *d, const cp_result *r, size_t n);
void cp_report_csv(FILE *f, const cp_design *d, const cp_result *r, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_H */
