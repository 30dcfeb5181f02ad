/*
 * cposim/report.h — a self-contained HTML report with figures (src/report_*.c,
 * drawn by PLplot in src/plot*.c): switch designs and their comparison, a
 * package's thermal map, fabrics, a TCO comparison, a sweep's results store.
 * Part of the public API of libcposim: include <cposim.h>, which includes
 * every part in order.
 *
 * A report is built section by section from results the caller computed
 * (the report runs no model), then written as one HTML file that needs
 * nothing else: every figure is an inline SVG, no script, style, font or
 * image is fetched.  Each figure is also available on its own (SVG, and PNG
 * when asked for), with a title, axis units and a caption that names its
 * scenario or results store and the cposim version.
 */
#ifndef CPOSIM_REPORT_H
#define CPOSIM_REPORT_H

#include "cposim/sweep.h"
#include "cposim/tco.h"
#include "cposim/thermal.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a report input is.  A sweep results store ends in .db or starts with
 * the SQLite header; a scenario is told by its top-level sections (after
 * includes): `fabric:` a fabric, `thermal:` a package, `sweep:` a sweep spec
 * (to be run first), none of those a switch. */
typedef enum cp_input_kind {
    CP_INPUT_SWITCH = 0,
    CP_INPUT_THERMAL,
    CP_INPUT_FABRIC,
    CP_INPUT_SWEEP_DB,
    CP_INPUT_SWEEP_SPEC
} cp_input_kind;

/* 0, or -1 with err when the file cannot be read. */
int cp_input_kind_of(const char *path, cp_input_kind *out, cp_error *err);
/* The kind of a scenario file by its top-level sections, includes merged
 * (never CP_INPUT_SWEEP_DB): 0, or -1 with err when it does not load. */
int cp_scenario_kind(const char *path, cp_input_kind *out, cp_error *err);

typedef struct cp_report cp_report; /* opaque */

#define CP_REPORT_PNG 0x1u          /* also draw every figure as PNG */

int cp_report_create(const char *title, unsigned flags, cp_report **out, cp_error *err);
void cp_report_free(cp_report *rep);
/* PLplot's PNG (cairo) driver is installed. */
bool cp_report_png_available(void);

/* One switch design (n == 1) or a comparison: power breakdown (stacked bars,
 * their totals the wall power), pJ/bit, and each port group's optical lane
 * budget as a waterfall against the receiver's sensitivity. */
int cp_report_add_switch(cp_report *rep, const cp_design *d, const cp_result *r, size_t n,
                         cp_error *err);
/* A solved package: the map of one layer with the blocks outlined and their
 * limits, and each block's max and mean temperature against its limit. */
int cp_report_add_thermal(cp_report *rep, const cp_design *d, const cp_thermal_spec *t,
                          const cp_thermal_grid *g, const cp_thermal_result *tr, int layer,
                          cp_error *err);
/* Sized fabrics: counts (switches, transceivers, CPO engines, lasers) and
 * power per tier, and the network power of each side by side when n > 1. */
int cp_report_add_fabric(cp_report *rep, const cp_fabric_spec *f, const cp_fabric_result *r,
                         size_t n, cp_error *err);

/* A TCO comparison of B against A: the waterfall from A's total to B's by
 * component, the tornado of x, and (when ea/eb are given: cp_rel_expected of
 * each case) the expected failures and lost GPU-hours year by year. */
typedef struct cp_report_tco_in {
    const cp_tco_case *a, *b;
    const cp_tco *ta, *tb;
    const cp_tco_findings *x;
    const cp_rel_replica *ea, *eb;
} cp_report_tco_in;
int cp_report_add_tco(cp_report *rep, const cp_report_tco_in *in, cp_error *err);

/* A sweep's results store (source: how to name it, e.g. its path): a heatmap
 * of the first objective over the first two parameters of a grid (best value
 * over the other parameters, feasible points only), the Pareto front over the
 * first two objectives and the rank correlation of each output with each
 * parameter. */
int cp_report_add_sweep(cp_report *rep, const char *source, const cp_sweep_table *t,
                        const cp_sweep_summary *s, cp_error *err);

/* The whole report as one HTML document; 0, or -1 when the stream fails. */
int cp_report_html(FILE *f, const cp_report *rep);

typedef struct cp_report_figure {
    const char *id;              /* file-name stem, e.g. "01-power-breakdown" */
    const char *title, *caption;
    const char *svg;             /* a standalone SVG document */
    size_t svg_len;
    const char *png;             /* NULL unless CP_REPORT_PNG */
    size_t png_len;
} cp_report_figure;

size_t cp_report_nfigures(const cp_report *rep);
/* 0, or -1 when i is out of range. */
int cp_report_figure_get(const cp_report *rep, size_t i, cp_report_figure *out);

#ifdef __cplusplus
}
#endif
#endif /* CPOSIM_REPORT_H */
