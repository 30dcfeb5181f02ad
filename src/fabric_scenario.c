/*
 * fabric_scenario.c — the `fabric:` section of a scenario: endpoints,
 * topology, tiers (each a switch design scenario, loaded and evaluated),
 * NIC transceiver, layout and cluster power.
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    double gpus, nics, link, planes, rails, nic_lasers, cu_w, cu_reach;
    int topo;
} fab_t;
static const cp_field fabric_fields[] = {
    {"gpus", CP_F_INT, offsetof(fab_t, gpus), 0, true, 1, 1e8, NULL},
    {"nics_per_gpu", CP_F_INT, offsetof(fab_t, nics), 0, false, 1, 64, NULL},
    {"link_gbps", CP_F_NUM, offsetof(fab_t, link), 0, true, 1, 1e5, NULL},
    {"planes", CP_F_INT, offsetof(fab_t, planes), 0, false, 1, 64, NULL},
    {"rails", CP_F_INT, offsetof(fab_t, rails), 0, false, 1, 64, NULL},
    {"nic_lasers_per_module", CP_F_INT, offsetof(fab_t, nic_lasers), 0, false, 0, 64, NULL},
    {"copper_w_per_end", CP_F_NUM, offsetof(fab_t, cu_w), 0, false, 0, 100, NULL},
    {"copper_reach_m", CP_F_NUM, offsetof(fab_t, cu_reach), 0, false, 0, 100, NULL},
    {"topology", CP_F_ENUM, offsetof(fab_t, topo), 0, true, 0, 0,
     "single|leaf-spine|fat-tree-3|rail-optimized"},
};

typedef struct {
    double gpr, rpr, rw, rs;
    int place;
} layout_t;
static const cp_field layout_fields[] = {
    {"gpus_per_rack", CP_F_INT, offsetof(layout_t, gpr), 0, false, 1, 1e4, NULL},
    {"racks_per_row", CP_F_INT, offsetof(layout_t, rpr), 0, false, 1, 1e4, NULL},
    {"rack_width_m", CP_F_NUM, offsetof(layout_t, rw), 0, false, 0.1, 10, NULL},
    {"row_spacing_m", CP_F_NUM, offsetof(layout_t, rs), 0, false, 0.1, 100, NULL},
    {"leaf_placement", CP_F_ENUM, offsetof(layout_t, place), 0, false, 0, 0,
     "top-of-rack|end-of-row"},
};

typedef struct { double gpu, host, cool, conv; } power_t;
static const cp_field power_fields[] = {
    {"gpu_w", CP_F_NUM, offsetof(power_t, gpu), 0, true, 0, 1e5, NULL},
    {"host_w_per_gpu", CP_F_NUM, offsetof(power_t, host), 0, false, 0, 1e5, NULL},
    {"host_cooling_fraction", CP_F_NUM, offsetof(power_t, cool), 0, false, 0, 2, NULL},
    {"host_conversion_efficiency", CP_F_NUM, offsetof(power_t, conv), 0, false, 0.3, 1, NULL},
};

typedef struct { double port, over; int media; } tier_t;
static const cp_field tier_fields[] = {
    {"port_gbps", CP_F_NUM, offsetof(tier_t, port), 0, true, 1, 1e5, NULL},
    {"oversubscription", CP_F_NUM, offsetof(tier_t, over), 0, false, 0.01, 100, NULL},
    {"media", CP_F_ENUM, offsetof(tier_t, media), 0, false, 0, 0, "auto|copper|optical"},
};

#define N(a) (sizeof(a) / sizeof *(a))

/* A tier's switch: a scenario named relative to the file that names it. */
int cp_switch_path(const cp_node *sw, char *path, size_t len, cp_error *err)
{
    if (sw->kind != CP_NODE_SCALAR)
        return cp_node_fail(err, sw, "'switch' must name a switch scenario");
    char dir[CP_TEXT_MAX];
    cp_strlcpy(dir, sw->file, sizeof dir);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    else
        cp_strlcpy(dir, ".", sizeof dir);
    size_t n = strlen(sw->scalar);
    bool ext = n > 5 && strcmp(sw->scalar + n - 5, ".yaml") == 0;
    if (sw->scalar[0] == '/')
        snprintf(path, len, "%s%s", sw->scalar, ext ? "" : ".yaml");
    else
        snprintf(path, len, "%s/%s%s", dir, sw->scalar, ext ? "" : ".yaml");
    struct stat st;
    if (stat(path, &st) != 0)
        return cp_node_fail(err, sw, "no switch scenario '%s' (looked for %s)",
                            sw->scalar, path);
    return 0;
}

static int load_switch(const cp_catalog *cat, const cp_node *sw, cp_fabric_tier *t,
                       cp_error *err)
{
    char path[2 * CP_TEXT_MAX];
    if (cp_switch_path(sw, path, sizeof path, err))
        return -1;
    return cp_scenario_load(path, cat, NULL, 0, &t->design, err);
}

/* `facing: {group: down|up, ...}`: which neighbour each port group faces. */
static int bind_facing(const cp_node *n, cp_fabric_tier *t, cp_error *err)
{
    const cp_node *fc = cp_node_get(n, "facing");
    if (!fc)
        return 0;
    if (fc->kind != CP_NODE_MAP)
        return cp_node_fail(err, fc, "tier '%s': 'facing' maps port groups of %s to down "
                            "or up, e.g. {cpo: down, osfp: up}", t->name, t->design.name);
    for (size_t k = 0; k < fc->n; k++) {
        const cp_node *v = fc->items[k];
        size_t g = 0;
        while (g < t->design.ngroups && strcmp(t->design.group[g].name, v->key) != 0)
            g++;
        if (g == t->design.ngroups) {
            char names[CP_MAX_GROUPS * (CP_NAME_MAX + 1)] = "";
            for (size_t j = 0; j < t->design.ngroups; j++)
                snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
                         j ? "|" : "", t->design.group[j].name);
            return cp_node_fail(err, v, "tier '%s': %s has no port group '%s'; expected "
                                "one of: %s", t->name, t->design.name, v->key, names);
        }
        if (v->kind != CP_NODE_SCALAR ||
            (strcmp(v->scalar, "down") != 0 && strcmp(v->scalar, "up") != 0))
            return cp_node_fail(err, v, "tier '%s': facing of '%s' must be down or up",
                                t->name, v->key);
        t->facing[g] = strcmp(v->scalar, "down") == 0 ? CP_FACE_DOWN : CP_FACE_UP;
    }
    return 0;
}

static int bind_tiers(const cp_catalog *cat, const cp_node *fab, cp_fabric_spec *f,
                      cp_error *err)
{
    static const char *const extra[] = {"name", "switch", "facing", "note", NULL};
    const cp_node *tiers = cp_node_get(fab, "tiers");
    if (!tiers || tiers->kind != CP_NODE_SEQ || tiers->n == 0 || tiers->n > CP_MAX_TIERS)
        return cp_node_fail(err, tiers ? tiers : fab, "'tiers' must list 1..%d tiers, "
                            "leaf first", CP_MAX_TIERS);
    for (size_t i = 0; i < tiers->n; i++) {
        const cp_node *n = tiers->items[i];
        cp_fabric_tier *t = &f->tier[i];
        const char *name = cp_item_name(n, "tier", err);
        if (!name)
            return -1;
        cp_strlcpy(t->name, name, sizeof t->name);
        cp_strlcpy(t->origin.file, n->file, sizeof t->origin.file);
        t->origin.line = n->line;
        t->origin.col = n->col;
        tier_t v = {.over = 1};
        char what[96];
        snprintf(what, sizeof what, "tier '%s'", t->name);
        cp_bind_ctx ctx = {n, what, extra};
        if (cp_bind(&ctx, tier_fields, N(tier_fields), &v, err))
            return -1;
        if (!cp_node_get(n, "switch"))
            return cp_node_fail(err, n, "tier '%s' needs a 'switch'", t->name);
        if (load_switch(cat, cp_node_get(n, "switch"), t, err) || bind_facing(n, t, err))
            return -1;
        t->port_gbps = v.port;
        t->oversubscription = v.over;
        t->media = (cp_link_media)v.media;
        if (t->media == CP_LM_COPPER &&
            (cp_design_is_cpo(&t->design) || (i > 0 && cp_design_is_cpo(&f->tier[i - 1].design))))
            return cp_node_fail(err, cp_param_value_node(cp_node_get(n, "media")),
                                "tier '%s': links to a CPO switch are optical; they "
                                "cannot be copper", t->name);
    }
    f->ntiers = tiers->n;
    return 0;
}

static int bind_fabric(const cp_catalog *cat, cp_pool *pool, const cp_node *root,
                       cp_fabric_spec *f, cp_error *err)
{
    static const char *const top[] = {"name", "title", "description", "sources",
                                      "fabric", "reliability", "economics", "traffic",
                                      "note", NULL};
    static const char *const extra[] = {"tiers", "layout", "power", "nic_module",
                                        "note", NULL};
    cp_bind_ctx tctx = {root, "a fabric scenario", top};
    if (cp_bind(&tctx, NULL, 0, NULL, err) || cp_check_param_sources(cat, root, err))
        return -1;
    const cp_node *nm = cp_node_get(root, "name"), *ti = cp_node_get(root, "title");
    cp_strlcpy(f->name, nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "", CP_NAME_MAX);
    cp_strlcpy(f->title, ti && ti->kind == CP_NODE_SCALAR ? ti->scalar : "", CP_TEXT_MAX);
    const cp_node *fab = cp_node_get(root, "fabric");
    if (!fab || fab->kind != CP_NODE_MAP)
        return cp_node_fail(err, fab ? fab : root, "the scenario needs a 'fabric' mapping");
    fab_t v = {.nics = 1, .planes = 1, .rails = 8, .cu_reach = 3};
    cp_bind_ctx ctx = {fab, "fabric", extra};
    if (cp_bind(&ctx, fabric_fields, N(fabric_fields), &v, err))
        return -1;
    layout_t lay = {.gpr = 32, .rpr = 16, .rw = 0.6, .rs = 3.0};
    power_t pw = {.cool = -1, .conv = -1};
    if (cp_bind_child(fab, "layout", "layout", layout_fields, N(layout_fields), &lay,
                      false, NULL, err) ||
        cp_bind_child(fab, "power", "power", power_fields, N(power_fields), &pw, true,
                      NULL, err) ||
        cp_bind_ref(cat, pool, "module", fab, "nic_module", true, &f->nic_module, err) ||
        bind_tiers(cat, fab, f, err))
        return -1;
    f->topology = (cp_topology)v.topo;
    f->gpus = v.gpus, f->nics_per_gpu = v.nics, f->link_gbps = v.link;
    f->planes = v.planes, f->rails = v.rails, f->copper_w_per_end = v.cu_w;
    f->copper_reach_m = v.cu_reach;
    f->nic_lasers_per_module = cp_node_get(fab, "nic_lasers_per_module")
                                   ? v.nic_lasers
                                   : ceil(f->nic_module.optical_lanes /
                                          f->nic_module.lanes_per_laser);
    f->gpus_per_rack = lay.gpr, f->racks_per_row = lay.rpr;
    f->rack_width_m = lay.rw, f->row_spacing_m = lay.rs;
    f->leaf_end_of_row = lay.place == 1;
    f->gpu_w = pw.gpu, f->host_w_per_gpu = pw.host;
    /* without host figures, NIC ends see the leaf switch's overheads */
    const cp_system *leaf = &f->tier[0].design.sys;
    f->host_cooling_fraction = pw.cool >= 0 ? pw.cool : leaf->cooling_fraction;
    f->host_conversion_efficiency = pw.conv > 0 ? pw.conv : leaf->conversion_efficiency;
    if (f->nic_module.rate_gbps != f->link_gbps)
        return cp_node_fail(err, cp_node_get(fab, "nic_module"),
                            "nic_module '%s' runs at %g Gb/s but link_gbps is %g",
                            f->nic_module.name, f->nic_module.rate_gbps, f->link_gbps);
    if (f->tier[0].port_gbps != f->link_gbps)
        return cp_node_fail(err, cp_node_get(fab, "tiers"),
                            "the leaf tier's port_gbps (%g) must equal link_gbps (%g)",
                            f->tier[0].port_gbps, f->link_gbps);
    /* a fabric that cannot be built is an input error: cp_fabric_eval says so here */
    const cp_node *g = cp_param_value_node(cp_node_get(fab, "gpus"));
    const cp_node *nic = cp_param_value_node(cp_node_get(fab, "nic_module"));
    cp_strlcpy(f->nic_origin.file, nic->file, sizeof f->nic_origin.file);
    f->nic_origin.line = nic->line;
    f->nic_origin.col = nic->col;
    cp_strlcpy(f->origin.file, g->file, sizeof f->origin.file);
    f->origin.line = g->line;
    f->origin.col = g->col;
    return 0;
}

typedef struct fabric_ctx {
    const cp_catalog *cat;
    cp_fabric_spec *out;
} fabric_ctx;

static int fabric_binder(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    fabric_ctx *x = ctx;
    return bind_fabric(x->cat, pool, root, x->out, err);
}

int cp_fabric_load(const char *path, const cp_catalog *cat,
                   const char *const *sets, size_t nsets, cp_fabric_spec *out,
                   cp_error *err)
{
    memset(out, 0, sizeof *out);
    fabric_ctx x = {cat, out};
    return cp_scenario_bind(path, sets, nsets, fabric_binder, &x, err);
}

bool cp_scenario_has(const char *path, const char *key)
{
    cp_pool pool = {0};
    cp_error err;
    cp_node *root = cp_scenario_tree(&pool, path, NULL, 0, &err);
    bool has = root && cp_node_get(root, key);
    cp_pool_free(&pool);
    return has;
}
