/*
 * yield_scenario.c — binds the manufacturing catalog classes (`assembly`:
 * a fibre-attach process; `package`: parts, yields and costs of a package)
 * and a scenario's `manufacturing:` section:
 *
 *   manufacturing:
 *     assembly: active-alignment      # or {ref: NAME, lateral_sigma_um: 0.3}
 *     package_parts: th5-cpo-package
 *     spare_lanes: 0                  # per engine
 *     volume: 10000                   # switches over the platform's life
 *     packages: 100000                # Monte Carlo packages
 *     seed: 1
 *
 * Parsing only: the yield and cost models run in yield.c and unit_cost.c.
 */
#include "yield_internal.h"

#include <float.h>
#include <stddef.h>
#include <string.h>

#define NUM(st, k, req, lo, hi) {#k, CP_F_NUM, offsetof(st, k), 0, req, lo, hi, NULL}
#define INT(st, k, req, lo, hi) {#k, CP_F_INT, offsetof(st, k), 0, req, lo, hi, NULL}
#define N(a) (sizeof a / sizeof *a)

static const char *const common_keys[] = {"name", "description", "ref",
                                          "source", "assumption", "note", NULL};

static const cp_field assembly_fields[] = {
    NUM(cp_assembly, lateral_sigma_um, true, 0, 100),
    NUM(cp_assembly, shrink_sigma_um, false, 0, 100),
    NUM(cp_assembly, drift_sigma_um, false, 0, 100),
    NUM(cp_assembly, tilt_sigma_deg, false, 0, 10),
    NUM(cp_assembly, gap_mean_um, false, 0, 1000),
    NUM(cp_assembly, gap_sigma_um, false, 0, 1000),
    NUM(cp_assembly, gap_index, false, 1, 4),
    NUM(cp_assembly, attach_cost_usd, true, 0, 1e6),
    INT(cp_assembly, rework_max, false, 0, 10),
    NUM(cp_assembly, rework_cost_usd, false, 0, 1e6),
};

static const cp_field parts_fields[] = {
    NUM(cp_package_parts, asic_yield, true, 0, 1),
    NUM(cp_package_parts, substrate_yield, true, 0, 1),
    NUM(cp_package_parts, engine_bond_yield, true, 0, 1),
    NUM(cp_package_parts, engine_die_yield, true, 1e-3, 1),
    NUM(cp_package_parts, module_yield, true, 1e-3, 1),
    NUM(cp_package_parts, asic_usd, true, 0, 1e7),
    NUM(cp_package_parts, substrate_usd, true, 0, 1e6),
    NUM(cp_package_parts, engine_usd, true, 0, 1e6),
    NUM(cp_package_parts, engine_test_usd, false, 0, 1e6),
    NUM(cp_package_parts, package_assembly_usd, false, 0, 1e6),
    NUM(cp_package_parts, package_test_usd, false, 0, 1e6),
    NUM(cp_package_parts, switch_other_usd, true, 0, 1e7),
    NUM(cp_package_parts, pluggable_other_usd, true, 0, 1e7),
    NUM(cp_package_parts, pluggable_rd_usd, false, 0, 1e11),
    NUM(cp_package_parts, module_usd, true, 0, 1e6),
    NUM(cp_package_parts, rd_usd, true, 0, 1e11),
    NUM(cp_package_parts, chip_mfd_um, true, 0.1, 100),
    NUM(cp_package_parts, fiber_mfd_um, true, 0.1, 100),
    NUM(cp_package_parts, wavelength_um, true, 0.2, 20),
};

static void name_of(char *dst, const cp_node *n)
{
    const cp_node *nm = cp_node_get(n, "name");
    cp_strlcpy(dst, nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "(inline)", CP_NAME_MAX);
}

static int bind_simple(const cp_node *n, const char *what, const cp_field *f, size_t nf,
                       void *out, cp_error *err)
{
    char w[128];
    const cp_node *nm = cp_node_get(n, "name");
    snprintf(w, sizeof w, "%s '%s'", what,
             nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "(inline)");
    cp_bind_ctx ctx = {n, w, common_keys};
    return cp_bind(&ctx, f, nf, out, err);
}

int cp_bind_assembly(const cp_node *n, cp_assembly *a, cp_error *err)
{
    memset(a, 0, sizeof *a);
    a->gap_index = 1.0;
    name_of(a->name, n);
    return bind_simple(n, "assembly", assembly_fields, N(assembly_fields), a, err);
}

int cp_bind_package_parts(const cp_node *n, cp_package_parts *p, cp_error *err)
{
    memset(p, 0, sizeof *p);
    name_of(p->name, n);
    return bind_simple(n, "package", parts_fields, N(parts_fields), p, err);
}

typedef struct mfg_section {
    double spare_lanes, volume, packages, seed;
} mfg_section;

static const cp_field mfg_fields[] = {
    INT(mfg_section, spare_lanes, false, 0, 1024),
    NUM(mfg_section, volume, true, 1, 1e9),
    INT(mfg_section, packages, false, 1, 1e9),
    INT(mfg_section, seed, false, 0, 9007199254740992.0),
};

typedef struct mfg_ctx {
    const cp_catalog *cat;
    cp_mfg *out;
} mfg_ctx;

static int bind_mfg(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    mfg_ctx *x = ctx;
    const cp_node *m = cp_node_get(root, "manufacturing");
    if (!m)
        return cp_node_fail(err, root, "the scenario has no 'manufacturing:' section; "
                                       "expected assembly, package_parts and volume");
    static const char *const extra[] = {"assembly", "package_parts", "note", NULL};
    mfg_section s = {.packages = 100000, .seed = 1};
    cp_bind_ctx bc = {m, "manufacturing", extra};
    if (cp_bind(&bc, mfg_fields, N(mfg_fields), &s, err))
        return -1;
    const cp_node *an = cp_node_get(m, "assembly"), *pn = cp_node_get(m, "package_parts");
    if (!an || !pn)
        return cp_node_fail(err, m, "'manufacturing' needs 'assembly' (a process of "
                                    "data/catalog/assembly.yaml) and 'package_parts'");
    const cp_node *ae = cp_catalog_resolve(x->cat, pool, "assembly", an, err);
    if (!ae || cp_bind_assembly(ae, &x->out->process, err))
        return -1;
    const cp_node *pe = cp_catalog_resolve(x->cat, pool, "package", pn, err);
    if (!pe || cp_bind_package_parts(pe, &x->out->parts, err))
        return -1;
    x->out->spare_lanes = s.spare_lanes;
    x->out->volume = s.volume;
    x->out->packages = s.packages;
    x->out->seed = (uint64_t)s.seed;
    const cp_node *at = cp_node_get(m, "packages");
    at = at ? cp_param_value_node(at) : m;
    cp_strlcpy(x->out->file, at->file ? at->file : "", sizeof x->out->file);
    x->out->line = at->line;
    x->out->col = at->col;
    return 0;
}

int cp_mfg_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_mfg *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    mfg_ctx x = {cat, out};
    return cp_scenario_bind(path, sets, nsets, bind_mfg, &x, err);
}
