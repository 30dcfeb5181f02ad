/*
 * cposim/yield.h — fibre-attach coupling, manufacturing yield of a CPO
 * package (process Monte Carlo), cost of a good unit, and the standards
 * compliance check of a switch design.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 */
#ifndef CPOSIM_YIELD_H
#define CPOSIM_YIELD_H

#include "cposim/core.h"
#include "cposim/thermal.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------ coupling (src/coupling.c)
 * Power coupled between two fundamental Gaussian modes (a fibre and a chip
 * coupler) of mode-field diameters mfd1_um, mfd2_um, with lateral offset,
 * angular tilt and longitudinal gap in a medium of index n. */
typedef struct cp_mode_pair {
    double mfd1_um, mfd2_um;     /* 1/e^2 intensity diameters */
    double wavelength_um;
    double index;                /* of the gap (1 air, ~1.5 index-matched epoxy) */
} cp_mode_pair;

/* Efficiency in (0, 1]. */
double cp_coupling_eff(const cp_mode_pair *c, double offset_um, double tilt_rad,
                       double gap_um);
double cp_coupling_loss_db(const cp_mode_pair *c, double offset_um, double tilt_rad,
                           double gap_um);
/* dB per um^2 of squared lateral offset (loss = a * d^2) and per rad^2 of
 * squared tilt (loss = b * theta^2): the exponents of the Gaussian overlap. */
double cp_coupling_offset_db_per_um2(const cp_mode_pair *c);
double cp_coupling_tilt_db_per_rad2(const cp_mode_pair *c);
/* The lateral offset that costs loss_db (gap and tilt zero, mode mismatch
 * not counted). */
double cp_coupling_offset_for_db(const cp_mode_pair *c, double loss_db);

/* ------------------------------------------- assembly (catalog: assembly)
 * A fibre-attach process: placement error per axis (1 sigma) after the
 * attach, adhesive cure shrink and thermal-cycling drift (independent,
 * added in quadrature), angular error per axis, the gap; cost and rework. */
typedef struct cp_assembly {
    char name[CP_NAME_MAX];
    double lateral_sigma_um;
    double shrink_sigma_um;
    double drift_sigma_um;
    double tilt_sigma_deg;
    double gap_mean_um, gap_sigma_um;
    double gap_index;
    double attach_cost_usd;      /* one engine's fibre attach (all its fibres) */
    double rework_max;           /* re-attaches allowed after a failed test (0: none) */
    double rework_cost_usd;      /* one re-attach */
} cp_assembly;

/* The parts and yields of a package (catalog: package). */
typedef struct cp_package_parts {
    char name[CP_NAME_MAX];
    double asic_yield;           /* known-good die still good after assembly */
    double substrate_yield;
    double engine_bond_yield;    /* engine flip-chip onto the substrate */
    double engine_die_yield;     /* engine (PIC + EIC) wafer-level test yield */
    double module_yield;         /* pluggable module final test yield */
    double asic_usd, substrate_usd, engine_usd, engine_test_usd;
    double package_assembly_usd; /* ASIC attach, lid, TIM */
    double package_test_usd;
    double switch_other_usd;     /* board, chassis, PSUs, fans, ELS without the package */
    double pluggable_other_usd; /* pluggable switch without ASIC package and optics */
    double pluggable_rd_usd;     /* platform R&D of the pluggable switch */
    double module_usd;           /* one pluggable module (market price) */
    double rd_usd;               /* platform R&D of the CPO switch */
    double chip_mfd_um, fiber_mfd_um, wavelength_um;
} cp_package_parts;

/* A scenario's `manufacturing:` section, bound with its references. */
typedef struct cp_mfg {
    cp_assembly process;
    cp_package_parts parts;
    double spare_lanes;          /* per engine, beyond its lanes */
    double volume;               /* switches shipped over the platform's life */
    double packages;             /* Monte Carlo packages (manufacturing.packages) */
    uint64_t seed;
    char file[CP_TEXT_MAX];      /* where `packages` (else the section) is written */
    int line, col;
} cp_mfg;

/* 0, or -1 with err; a scenario without `manufacturing:` is an error. */
int cp_mfg_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_mfg *out, cp_error *err);

/* ----------------------------------------------------- yield (src/yield.c) */
typedef struct cp_yield_spec {
    double engines;              /* per package */
    double lanes;                /* used lanes per engine */
    double spare_lanes;          /* extra lanes per engine */
    double lanes_per_laser;      /* lanes behind one laser input coupling */
    double margin_db;            /* lane budget margin at nominal coupling */
    cp_mode_pair coupling;        /* chip coupler vs fibre */
    cp_assembly process;
    double asic_yield, substrate_yield, engine_bond_yield;
    double packages;             /* Monte Carlo packages, 1 .. 1e9 */
    uint64_t seed;
} cp_yield_spec;

typedef struct cp_yield_result {
    double packages;
    double sigma_um;             /* lateral sigma per axis, all terms */
    double p_coupling_fail;      /* one coupling, at nominal gap and tilt */
    double engine_first_pass;    /* attach passes its first test */
    double engine_yield;         /* after rework */
    double attaches_per_engine;  /* mean attaches incl. rework */
    double package_yield;
    double package_yield_lo, package_yield_hi; /* Wilson 95 % */
    double pluggable_package_yield; /* ASIC + substrate only */
} cp_yield_result;

/* Builds the spec of the first CPO port group of a design: 0, or -1 with
 * err when the design has none or its lane budget does not close. */
int cp_yield_spec_of(const cp_design *d, const cp_result *r, const cp_mfg *m,
                     cp_yield_spec *out, cp_error *err);
/* Most lanes drawn in one run (packages x engines x lanes): about a minute
 * on 2 cores; a larger run is refused before it starts. */
#define CP_YIELD_MAX_LANE_DRAWS 1e11
/* threads <= 0: OpenMP's default.  Identical for any thread count. */
int cp_yield_run(const cp_yield_spec *s, int threads, cp_yield_result *out,
                 cp_error *err);
/* Deterministic per-package generator (xoshiro256** seeded by splitmix64
 * from seed and the package index). */
typedef struct cp_rng64 { uint64_t s[4]; } cp_rng64;
void cp_rng64_seed(cp_rng64 *r, uint64_t seed, uint64_t stream);
uint64_t cp_rng64_next(cp_rng64 *r);

/* Package yield at each lateral placement sigma (the process's other terms
 * kept): yield[i] at sigma_um[i], with its Wilson interval. */
#define CP_CURVE_MAX 64
typedef struct cp_yield_curve {
    size_t n;
    double sigma_um[CP_CURVE_MAX], yield[CP_CURVE_MAX], lo[CP_CURVE_MAX], hi[CP_CURVE_MAX];
} cp_yield_curve;
/* n points from lo_um to hi_um (linear), 2 <= n <= CP_CURVE_MAX. */
int cp_yield_sigma_curve(const cp_yield_spec *s, double lo_um, double hi_um, size_t n,
                         int threads, cp_yield_curve *out, cp_error *err);

/* ----------------------------------------------- unit cost (src/unit_cost.c) */
typedef struct cp_unit_cost {
    double good_engine_usd;      /* engine + its test, over the die yield */
    double started_package_usd;  /* parts + assembly + attaches + test, per start */
    double good_package_usd;     /* started / package yield */
    double cpo_switch_usd;       /* good package + rest, before R&D */
    double cpo_port_usd;         /* per port, incl. R&D / volume */
    double pluggable_switch_usd; /* switch + modules over their yield */
    double pluggable_port_usd;
    double crossover_volume;     /* switches above which CPO is cheaper per port; 0: never */
    double rd_per_switch_usd;
} cp_unit_cost;

int cp_unit_cost_eval(const cp_mfg *m, const cp_yield_spec *s, const cp_yield_result *y,
                      double ports, double volume, cp_unit_cost *out, cp_error *err);

/* Cost per port of CPO and pluggable switches at n shipped volumes from
 * lo to hi (log spaced), 2 <= n <= CP_CURVE_MAX. */
typedef struct cp_cost_curve {
    size_t n;
    double volume[CP_CURVE_MAX], cpo_port_usd[CP_CURVE_MAX], pluggable_port_usd[CP_CURVE_MAX];
} cp_cost_curve;
int cp_cost_volume_curve(const cp_mfg *m, const cp_yield_spec *s, const cp_yield_result *y,
                         double ports, double lo, double hi, size_t n, cp_cost_curve *out,
                         cp_error *err);

/* Figures (src/report_fig_yield.c): "svg" or "png" into *data (malloc'd). */
int cp_yield_curve_figure(const cp_yield_curve *c, const char *title, const char *format,
                          char **data, size_t *len, cp_error *err);
int cp_cost_curve_figure(const cp_cost_curve *c, const char *title, const char *format,
                         char **data, size_t *len, cp_error *err);

/* --------------------------------------- compliance (src/comply.c) */
typedef enum cp_req_quantity {
    CP_REQ_HOST_LOSS_DB = 0,     /* host channel loss at Nyquist, by SerDes class */
    CP_REQ_OPTICAL_IL_DB,        /* fibre + connections, by PMD */
    CP_REQ_OPTICAL_REACH_M,      /* link length, by PMD */
    CP_REQ_OPTICAL_MARGIN_DB,    /* lane budget margin >= limit */
    CP_REQ_ELS_POWER_DBM,        /* ELS output per fibre within a power class */
    CP_REQ_EYE_SAFETY_DBM,       /* power of an accessible fibre output */
    CP_REQ_BLOCK_TEMP_C,         /* a thermal block's hottest point (steady state) */
    CP_REQ_NQUANTITIES
} cp_req_quantity;

typedef struct cp_requirement {
    char name[CP_NAME_MAX];
    char document[CP_TEXT_MAX];  /* e.g. "IEEE 802.3df-2024" */
    char clause[CP_NAME_MAX];
    cp_req_quantity quantity;
    bool at_most;                /* value <= limit (else value >= limit) */
    double limit;
    char serdes_class[16];       /* applies to this class ("" any) */
    double lane_rate_gbps;       /* applies at this lane rate (0 any) */
    double port_speed_gbps;      /* applies at this port speed (0 any) */
    int media;                   /* cp_media, or -1 any */
    bool parallel_only;          /* only single-wavelength (parallel fibre) links */
    char block_kind[16];         /* block_temp_c: blocks of this kind (asic, serdes, oe, laser) */
    bool part_limit;             /* block_temp_c: the limit is each block's own rating
                                  * (cp_tblock.limit_c: the catalog part's, or the
                                  * scenario's), not `limit` */
} cp_requirement;

#define CP_REQ_MAX 64
typedef struct cp_requirements {
    size_t n;
    cp_requirement r[CP_REQ_MAX];
} cp_requirements;

/* data_dir/requirements.yaml: 0, or -1 with err (file:line:col). */
int cp_requirements_load(const char *data_dir, const cp_catalog *cat,
                         cp_requirements *out, cp_error *err);

typedef struct cp_check {
    int group;                   /* port group, or -1 (a thermal block's check) */
    int block;                   /* thermal block, or -1 (a port group's check) */
    int req;                     /* index in cp_requirements */
    double limit;                /* the requirement's, or the block's own rating */
    double value, margin;        /* margin > = 0: passes */
    bool pass;
} cp_check;

#define CP_CHECK_MAX 256
typedef struct cp_compliance {
    size_t n;
    cp_check c[CP_CHECK_MAX];
    size_t failed;
} cp_compliance;

void cp_comply(const cp_design *d, const cp_result *r, const cp_requirements *q,
               cp_compliance *out);
/* Appends to *out the block_temp_c checks of a solved package: each block of
 * a requirement's kind, its hottest point (tr->block[b].max_c) against the
 * limit.  A part_limit requirement skips a block without a rating (limit_c 0). */
void cp_comply_thermal(const cp_thermal_spec *t, const cp_thermal_result *tr,
                       const cp_requirements *q, cp_compliance *out);
/* The least margin of the checks of quantity k (+inf without one). */
double cp_compliance_worst_margin(const cp_compliance *c, const cp_requirements *q,
                                  cp_req_quantity k);
const char *cp_req_quantity_name(cp_req_quantity k);

#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_YIELD_H */
