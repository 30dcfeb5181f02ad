/* tco_scenario.c — the `economics:` section of a fabric scenario. */
#include "internal.h"

#include <stddef.h>
#include <string.h>

static const cp_field eco_fields[] = {
    {"electricity_usd_per_kwh", CP_F_NUM, offsetof(cp_economics, electricity_usd_per_kwh), 0, true, 0, 10, NULL},
    {"pue", CP_F_NUM, offsetof(cp_economics, pue), 0, true, 1, 5, NULL},
    {"carbon_kg_per_kwh", CP_F_NUM, offsetof(cp_economics, carbon_kg_per_kwh), 0, false, 0, 5, NULL},
    {"discount_rate", CP_F_NUM, offsetof(cp_economics, discount_rate), 0, true, 0, 1, NULL},
    {"fiber_usd_per_link", CP_F_NUM, offsetof(cp_economics, fiber_usd_per_link), 0, false, 0, 1e5, NULL},
    {"copper_usd_per_link", CP_F_NUM, offsetof(cp_economics, copper_usd_per_link), 0, false, 0, 1e5, NULL},
    {"spares_fraction", CP_F_NUM, offsetof(cp_economics, spares_fraction), 0, false, 0, 1, NULL},
};

static int eco_binder(cp_pool *pool, const cp_node *root, void *out, cp_error *err)
{
    static const char *const extra[] = {"note", NULL};
    (void)pool;
    return cp_bind_child(root, "economics", "economics", eco_fields,
                         sizeof eco_fields / sizeof *eco_fields, out, true, extra, err);
}

int cp_economics_load(const char *path, const char *const *sets, size_t nsets,
                      cp_economics *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    return cp_scenario_bind(path, sets, nsets, eco_binder, out, err);
}

int cp_tco_case_load(const char *path, const cp_catalog *cat, const char *const *sets,
                     size_t nsets, bool economics, cp_tco_case *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (cp_fabric_load(path, cat, sets, nsets, &out->fabric, err) ||
        cp_fabric_eval(&out->fabric, &out->fr, err) ||
        cp_rel_load(path, cat, sets, nsets, &out->rel, &out->in, err) ||
        cp_rel_classes_build(&out->fabric, &out->fr, &out->in, &out->rel, err))
        return -1;
    return economics && (cp_economics_load(path, sets, nsets, &out->eco, err) ||
                         cp_unc_load(path, cat, sets, nsets, &out->unc, err)) ? -1 : 0;
}

int cp_tco_case_workload(cp_tco_case *c, const char *name, cp_error *err)
{
    char names[256] = "";
    for (size_t k = 0; k < c->in.nworkloads; k++) {
        if (strcmp(c->in.workload[k].name, name) == 0)
            return cp_rel_use_workload(&c->rel, &c->in, k, err);
        size_t n = strlen(names);
        snprintf(names + n, sizeof names - n, "%s%s", k ? ", " : "", c->in.workload[k].name);
    }
    return cp_fail(err, c->fabric.name, 0, 0, "no workload '%s' in the scenario; it has: %s",
                   name, names);
}
