/*
 * cposim/core.h — errors, process set-up, components, the switch models and
 * their reports, catalog and scenario loading.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_CORE_H
#define CPOSIM_CORE_H

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
/* The lane budget of a port group step by step, for a waterfall: levels
 * (dBm: the laser or the Tx OMA, the Rx OMA) and the changes between them
 * (dB), in the order the light meets them; the steps sum to the Rx OMA of
 * cp_link_eval_tx / cp_link_eval_cpo.  The receiver's side: sensitivity,
 * penalties, required margin and what is left. */
#define CP_BUDGET_MAX_STEPS 14
typedef struct cp_budget_step {
    char name[32];
    double db;                   /* a level in dBm, or a change in dB */
    bool level;
} cp_budget_step;
typedef struct cp_link_budget {
    size_t nsteps;
    cp_budget_step step[CP_BUDGET_MAX_STEPS];
    double rx_oma_dbm, sensitivity_oma_dbm, penalties_db, required_margin_db, margin_db;
} cp_link_budget;
void cp_link_budget_eval(const cp_port_group *pg, cp_link_budget *out);

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
/* The data directory the catalog was loaded from. */
const char *cp_catalog_data_dir(const cp_catalog *cat);

/* Read-only view of catalog entries, for listing and audits. */
typedef struct cp_param_info {
    const char *key;
    const char *value;          /* as written */
    const char *source;         /* key into sources, or NULL */
    const char *assumption;     /* reason, or NULL */
    const char *calibrated;     /* fitted to its source: how, or NULL */
    const char *dist;           /* its uncertainty: "triangular", ... or NULL */
    double range_low, range_high; /* ends of that range (P5, P95 when unbounded) */
    const char *range_why;      /* its range_source key or range_assumption */
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

/* Loads a scenario; sets[] are "path=value" overrides applied last.  An
 * `include: NAME.yaml` is looked for beside the including file, then among
 * the bundled presets (cp_preset_dir of cp_data_dir). */
int cp_scenario_load(const char *path, const cp_catalog *cat,
                     const char *const *sets, size_t nsets, cp_design *out,
                     cp_error *err);

/* The bundled data directory (catalog/, sources.yaml; scenarios/ in an
 * install): $CPOSIM_DATA when set; else the data beside the library, or the
 * program linked with it (a build tree's data/, an install's share/cposim);
 * else the directory compiled in (PREFIX/share/cposim).  Written into out,
 * normalised; 0, or -1 when that directory does not exist.  Library users
 * pass it to cp_catalog_load instead of a hard-coded path. */
int cp_data_dir(char *out, size_t len);
/* The directory of the preset scenarios of a data directory: data_dir/scenarios
 * (an install) or data_dir/../scenarios (a build tree).  0, or -1 (out is then
 * data_dir/scenarios) when neither exists. */
int cp_preset_dir(const char *data_dir, char *out, size_t len);



/* ---------------------------------------------------------------- reports */
void cp_report_table(FILE *f, const cp_design *d, const cp_result *r);
void cp_report_compare(FILE *f, const cp_design *d, const cp_result *r, size_t n);
/* JSON: one object for n == 1, else {"designs": [...], "comparison": [...]} */
int cp_report_json(FILE *f, const cp_design *d, const cp_result *r, size_t n);
void cp_report_csv(FILE *f, const cp_design *d, const cp_result *r, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_CORE_H */
