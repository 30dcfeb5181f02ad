/*
 * thermal_scenario.c — the `thermal:` section of a scenario into a
 * cp_thermal_spec: floorplan, layer stack (materials from the catalog),
 * cooling boundaries, electro-thermal coupling, solver and transient
 * settings.  Geometry is checked here (blocks inside the package, each
 * resolvable by the grid) so the solver only sees valid input.  Blocks may
 * overlap: their powers add (a hot spot on a core is the spot's power on
 * top of the core's).
 */
#include "thermal_bind.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define MM 1e-3

typedef struct { double x, y; } pkg_t;
static const cp_field package_fields[] = {
    {"size_x_mm", CP_F_NUM, offsetof(pkg_t, x), 0, true, 0.1, 1000, NULL},
    {"size_y_mm", CP_F_NUM, offsetof(pkg_t, y), 0, true, 0.1, 1000, NULL},
};

typedef struct { double nx, ny, min_cell_mm; bool refine; } grid_t;
static const cp_field grid_fields[] = {
    {"nx", CP_F_INT, offsetof(grid_t, nx), 0, true, 2, 4096, NULL},
    {"ny", CP_F_INT, offsetof(grid_t, ny), 0, true, 2, 4096, NULL},
    {"refine", CP_F_BOOL, offsetof(grid_t, refine), 0, false, 0, 0, NULL},
    /* 1 um: below a bond line's roughness, and it bounds the lines per axis */
    {"min_cell_mm", CP_F_NUM, offsetof(grid_t, min_cell_mm), 0, false, 1e-3, 100, NULL},
};

typedef struct { double thick_mm, cells; } layer_t;
static const cp_field layer_fields[] = {
    {"thickness_mm", CP_F_NUM, offsetof(layer_t, thick_mm), 0, true, 1e-4, 100, NULL},
    {"cells", CP_F_INT, offsetof(layer_t, cells), 0, false, 1, 64, NULL},
};

typedef struct { double h, r, amb; } bc_t;
static const cp_field bc_fields[] = {
    {"h_w_per_m2k", CP_F_NUM, offsetof(bc_t, h), 0, false, 0, 1e8, NULL},
    {"resistance_k_per_w", CP_F_NUM, offsetof(bc_t, r), 0, false, 1e-6, 1e6, NULL},
    {"ambient_c", CP_F_NUM, offsetof(bc_t, amb), 0, true, -100, 300, NULL},
};

typedef struct { double x, y, w, h, power_w, limit; int src; } blk_t;
static const cp_field block_fields[] = {
    {"x_mm", CP_F_NUM, offsetof(blk_t, x), 0, true, -1e4, 1e4, NULL},
    {"y_mm", CP_F_NUM, offsetof(blk_t, y), 0, true, -1e4, 1e4, NULL},
    {"w_mm", CP_F_NUM, offsetof(blk_t, w), 0, true, 1e-3, 1e4, NULL},
    {"h_mm", CP_F_NUM, offsetof(blk_t, h), 0, true, 1e-3, 1e4, NULL},
    {"power_w", CP_F_NUM, offsetof(blk_t, power_w), 0, false, 0, CP_BLOCK_MAX_POWER_W, NULL},
    {"limit_c", CP_F_NUM, offsetof(blk_t, limit), 0, false, -100, 1000, NULL},
    {"power", CP_F_ENUM, offsetof(blk_t, src), 0, false, 0, 0, "fixed|asic|serdes|engine|laser"},
};

static const cp_field coupling_fields[] = {
    {"leakage_fraction", CP_F_NUM, offsetof(cp_coupling, leakage_fraction), 0, false, 0, 1, NULL},
    {"leakage_ref_c", CP_F_NUM, offsetof(cp_coupling, leakage_ref_c), 0, false, -50, 200, NULL},
    {"leakage_doubling_k", CP_F_NUM, offsetof(cp_coupling, leakage_doubling_k), 0, false, 1, 200, NULL},
    {"laser_wpe_ref_c", CP_F_NUM, offsetof(cp_coupling, laser_wpe_ref_c), 0, false, -50, 200, NULL},
    {"laser_wpe_per_k", CP_F_NUM, offsetof(cp_coupling, laser_wpe_per_k), 0, false, 0, 0.5, NULL},
    {"ring_lock_c", CP_F_NUM, offsetof(cp_coupling, ring_lock_c), 0, false, -50, 200, NULL},
    {"ring_heater_w_per_k", CP_F_NUM, offsetof(cp_coupling, ring_heater_w_per_k), 0, false, 0, 1, NULL},
    {"max_iterations", CP_F_INT, offsetof(cp_coupling, max_iterations), 0, false, 1, 1000, NULL},
    {"tolerance_k", CP_F_NUM, offsetof(cp_coupling, tolerance_k), 0, false, 1e-9, 10, NULL},
};

typedef struct { int kind; double tol; } solver_t;
static const cp_field solver_fields[] = {
    {"kind", CP_F_ENUM, offsetof(solver_t, kind), 0, false, 0, 0, "auto|pfmg|cholmod"},
    {"tolerance", CP_F_NUM, offsetof(solver_t, tol), 0, false, 1e-14, 1e-2, NULL},
};

static const cp_field transient_fields[] = {
    {"dt_s", CP_F_NUM, offsetof(cp_thermal_spec, dt_s), 0, true, 1e-9, 1e6, NULL},
    {"t_end_s", CP_F_NUM, offsetof(cp_thermal_spec, t_end_s), 0, true, 1e-9, CP_THERMAL_MAX_TIME_S, NULL},
    {"theta", CP_F_NUM, offsetof(cp_thermal_spec, theta), 0, false, 0.5, 1, NULL},
    {"trace", CP_F_STR, offsetof(cp_thermal_spec, trace_path), CP_TEXT_MAX, false, 0, 0, NULL},
    {"max_steps", CP_F_INT, offsetof(cp_thermal_spec, max_steps), 0, false, 1, 1e9, NULL},
};



static const cp_node *section(const cp_node *m, const char *key, bool required,
                              cp_error *err)
{
    const cp_node *n = cp_node_get(m, key);
    if (!n && required)
        cp_node_fail(err, m, "missing required field '%s' in thermal", key);
    else if (n && n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "'%s' must be a mapping", key), NULL;
    return n;
}

int cp_tbind_map(const cp_node *n, const char *what, const cp_field *f, size_t nf,
                    void *out, const char *const *extra, cp_error *err)
{
    cp_bind_ctx ctx = {n, what, extra};
    return cp_bind(&ctx, f, nf, out, err);
}

int cp_tbind_material(const cp_catalog *cat, cp_pool *pool, const cp_node *l,
                         const char *key, bool required, cp_material *m,
                         cp_error *err)
{
    return cp_bind_ref(cat, pool, "material", l, key, required, m, err);
}

typedef struct { double x, y, w, h; } rect_t;
static const cp_field part_fields[] = {
    {"x_mm", CP_F_NUM, offsetof(rect_t, x), 0, true, -1e4, 1e4, NULL},
    {"y_mm", CP_F_NUM, offsetof(rect_t, y), 0, true, -1e4, 1e4, NULL},
    {"w_mm", CP_F_NUM, offsetof(rect_t, w), 0, true, 1e-3, 1e4, NULL},
    {"h_mm", CP_F_NUM, offsetof(rect_t, h), 0, true, 1e-3, 1e4, NULL},
};

/* A layer's parts: {name, material, x_mm, y_mm, w_mm, h_mm}, inside the
 * package, each resolvable by the grid, names unique in the layer. */
static int bind_parts(const cp_catalog *cat, cp_pool *pool, const cp_node *l,
                      const cp_thermal_spec *t, cp_tlayer *L, cp_error *err)
{
    static const char *const extra[] = {"name", "material", "note", NULL};
    const cp_node *ps = cp_node_get(l, "parts");
    if (!ps)
        return 0;
    if (ps->kind != CP_NODE_SEQ || ps->n == 0 || ps->n > CP_MAX_PARTS)
        return cp_node_fail(err, ps, "'parts' of layer '%s' must be a list of 1..%d "
                                     "parts", L->name, CP_MAX_PARTS);
    for (size_t i = 0; i < ps->n; i++) {
        const cp_node *n = ps->items[i];
        cp_tpart *P = &L->part[i];
        const char *name = cp_item_name(n, "part", err);
        if (!name)
            return -1;
        cp_strlcpy(P->name, name, sizeof P->name);
        rect_t v;
        char what[160];
        snprintf(what, sizeof what, "part '%s' of layer '%s'", P->name, L->name);
        if (cp_tbind_map(n, what, part_fields, N(part_fields), &v, extra, err) ||
            cp_tbind_material(cat, pool, n, "material", true, &P->mat, err))
            return -1;
        P->x0_m = v.x * MM;
        P->y0_m = v.y * MM;
        P->x1_m = (v.x + v.w) * MM;
        P->y1_m = (v.y + v.h) * MM;
        const double eps = 1e-9;
        const cp_node *at = cp_param_value_node(cp_node_get(n, "x_mm"));
        if (P->x0_m < -eps || P->y0_m < -eps || P->x1_m > t->size_x_m + eps ||
            P->y1_m > t->size_y_m + eps)
            return cp_node_fail(err, at, "%s lies outside the package (0..%g x 0..%g mm)",
                                what, t->size_x_m / MM, t->size_y_m / MM);
        char why[320];
        if (cp_thermal_rect_resolution(t, "part", P->name, P->x0_m, P->y0_m, P->x1_m,
                                       P->y1_m, why, sizeof why))
            return cp_node_fail(err, at, "%s", why);
        for (size_t k = 0; k < i; k++)
            if (strcmp(L->part[k].name, P->name) == 0)
                return cp_node_fail(err, cp_node_get(n, "name"), "duplicate part name "
                                    "'%s' in layer '%s'", P->name, L->name);
    }
    L->nparts = ps->n;
    return 0;
}


static int bind_stack(const cp_catalog *cat, cp_pool *pool, const cp_node *th,
                      cp_thermal_spec *t, cp_error *err)
{
    static const char *const extra[] = {"name", "material", "die_material", "parts",
                                        "channels", "note", NULL};
    const cp_node *st = cp_node_get(th, "stack");
    if (!st || st->kind != CP_NODE_SEQ || st->n == 0 || st->n > CP_MAX_LAYERS)
        return cp_node_fail(err, st ? st : th, "thermal needs 'stack': a list of 1..%d "
                                               "layers, bottom to top", CP_MAX_LAYERS);
    for (size_t i = 0; i < st->n; i++) {
        const cp_node *l = st->items[i];
        cp_tlayer *L = &t->layer[i];
        const char *name = cp_item_name(l, "layer", err);
        if (!name)
            return -1;
        cp_strlcpy(L->name, name, sizeof L->name);
        layer_t v = {.cells = 0}; /* automatic */
        char what[96];
        snprintf(what, sizeof what, "layer '%s'", L->name);
        if (cp_tbind_map(l, what, layer_fields, N(layer_fields), &v, extra, err) ||
            cp_tbind_material(cat, pool, l, "material", true, &L->mat, err))
            return -1;
        L->has_dies = cp_node_get(l, "die_material") != NULL;
        if (L->has_dies && cp_tbind_material(cat, pool, l, "die_material", true, &L->die_mat, err))
            return -1;
        L->thickness_m = v.thick_mm * MM;
        L->cells = (int)v.cells;
        if (bind_parts(cat, pool, l, t, L, err) || cp_tbind_channels(cat, pool, l, t, L, err))
            return -1;
        for (size_t k = 0; k < i; k++)
            if (strcmp(t->layer[k].name, L->name) == 0)
                return cp_node_fail(err, cp_node_get(l, "name"), "duplicate layer name '%s'",
                                    L->name);
    }
    t->nlayers = st->n;
    return 0;
}

static int find_layer(const cp_thermal_spec *t, const cp_node *n, cp_error *err)
{
    if (!n || n->kind != CP_NODE_SCALAR)
        return n ? cp_node_fail(err, n, "'layer' must be a layer name") : -1;
    for (size_t l = 0; l < t->nlayers; l++)
        if (strcmp(t->layer[l].name, n->scalar) == 0)
            return (int)l;
    return cp_node_fail(err, n, "unknown layer '%s'; the stack has '%s' .. '%s'",
                        n->scalar, t->layer[0].name, t->layer[t->nlayers - 1].name);
}

static int find_group(const cp_design *d, const cp_node *n, const cp_node *blk,
                      cp_error *err)
{
    for (size_t g = 0; g < d->ngroups; g++)
        if (d->group[g].media == CP_MEDIA_CPO &&
            (!n || (n->kind == CP_NODE_SCALAR && strcmp(d->group[g].name, n->scalar) == 0)))
            return (int)g;
    return n ? cp_node_fail(err, n, "no CPO port group '%s'",
                            n->kind == CP_NODE_SCALAR ? n->scalar : "?")
             : cp_node_fail(err, blk, "engine and laser blocks need a CPO port group");
}

static double default_limit(const cp_design *d, const cp_tblock *b)
{
    switch (b->src) {
    case CP_SRC_ASIC:
    case CP_SRC_SERDES: return d->has_asic ? d->asic.tj_max_c : 0;
    case CP_SRC_ENGINE: return d->group[b->group].engine.t_max_c;
    case CP_SRC_LASER: return d->group[b->group].laser.t_max_c;
    default: return 0;
    }
}

static int check_geometry(const cp_thermal_spec *t, size_t b, const cp_node *n,
                          cp_error *err)
{
    const cp_tblock *B = &t->block[b];
    const double eps = 1e-9;
    if (B->x0_m < -eps || B->y0_m < -eps || B->x1_m > t->size_x_m + eps ||
        B->y1_m > t->size_y_m + eps)
        return cp_node_fail(err, n, "block '%s' lies outside the package "
                                    "(0..%g x 0..%g mm)", B->name,
                            t->size_x_m / MM, t->size_y_m / MM);
    return 0;
}

static int bind_block(const cp_design *d, const cp_node *n, cp_thermal_spec *t,
                      size_t b, cp_error *err)
{
    static const char *const extra[] = {"name", "kind", "layer", "group", "note", NULL};
    cp_tblock *B = &t->block[b];
    const char *name = cp_item_name(n, "block", err);
    if (!name)
        return -1;
    cp_strlcpy(B->name, name, sizeof B->name);
    blk_t v = {.src = -1, .power_w = -1};
    char what[96];
    snprintf(what, sizeof what, "block '%s'", B->name);
    if (cp_tbind_map(n, what, block_fields, N(block_fields), &v, extra, err))
        return -1;
    if ((B->layer = find_layer(t, cp_node_get(n, "layer"), err)) < 0)
        return err->line ? -1 : cp_node_fail(err, n, "block '%s' needs a 'layer'", B->name);
    if (v.src < 0 && v.power_w < 0)
        return cp_node_fail(err, n, "block '%s' has no power: give power: "
                                    "asic|serdes|engine|laser, or power_w", B->name);
    B->src = v.src < 0 ? CP_SRC_FIXED : (cp_power_src)v.src;
    if (B->src == CP_SRC_FIXED && v.power_w < 0)
        return cp_node_fail(err, n, "block '%s': power: fixed needs power_w", B->name);
    B->power_w = v.power_w > 0 ? v.power_w : 0;
    if ((B->src == CP_SRC_ASIC || B->src == CP_SRC_SERDES) && !d->has_asic)
        return cp_node_fail(err, n, "block '%s' takes ASIC power but the design "
                                    "has no asic", B->name);
    if (B->src == CP_SRC_ENGINE || B->src == CP_SRC_LASER) {
        if ((B->group = find_group(d, cp_node_get(n, "group"), n, err)) < 0)
            return -1;
    }
    const cp_node *kind = cp_node_get(n, "kind");
    cp_strlcpy(B->kind, kind && kind->kind == CP_NODE_SCALAR ? kind->scalar
                        : B->src == CP_SRC_ENGINE ? "oe"
                        : B->src == CP_SRC_LASER ? "laser"
                        : B->src == CP_SRC_FIXED ? "other" : "asic", sizeof B->kind);
    B->x0_m = v.x * MM;
    B->y0_m = v.y * MM;
    B->x1_m = (v.x + v.w) * MM;
    B->y1_m = (v.y + v.h) * MM;
    B->limit_c = cp_node_get(n, "limit_c") ? v.limit : default_limit(d, B);
    /* point at the position value, which an including file may have set */
    return check_geometry(t, b, cp_param_value_node(cp_node_get(n, "x_mm")), err);
}

static int bind_blocks(const cp_design *d, const cp_node *th, cp_thermal_spec *t,
                       cp_error *err)
{
    const cp_node *bl = cp_node_get(th, "blocks");
    if (!bl || bl->kind != CP_NODE_SEQ || bl->n == 0)
        return cp_node_fail(err, bl ? bl : th, "thermal needs 'blocks': a list of 1 or "
                                               "more blocks");
    if (cp_thermal_spec_set_blocks(t, bl->n))
        return cp_node_fail(err, bl, "out of memory for %zu blocks", bl->n);
    for (size_t b = 0; b < bl->n; b++)
        if (bind_block(d, bl->items[b], t, b, err))
            return -1;
    t->nblocks = bl->n;
    return 0;
}


static int bind_bc(const cp_node *c, const char *key, double area, cp_boundary *bc,
                   cp_error *err)
{
    const cp_node *n = cp_node_get(c, key);
    if (!n)
        return 0; /* adiabatic */
    bc_t v = {0};
    char what[32];
    snprintf(what, sizeof what, "cooling.%s", key);
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "'%s' must be a mapping", what);
    static const char *const top_extra[] = {"coolant", "heat_sink", NULL};
    if (cp_tbind_map(n, what, bc_fields, N(bc_fields), &v,
                 strcmp(key, "top") == 0 ? top_extra : NULL, err))
        return -1;
    bool has_h = cp_node_get(n, "h_w_per_m2k"), has_r = cp_node_get(n, "resistance_k_per_w");
    bool has_s = strcmp(key, "top") == 0 && cp_node_get(n, "heat_sink");
    if (has_h + has_r + has_s != 1)
        return cp_node_fail(err, n, "%s needs exactly one of h_w_per_m2k or "
                                    "resistance_k_per_w%s", what,
                            strcmp(key, "top") == 0 ? " or heat_sink" : "");
    /* a sink's h comes from its operating point, when the grid is made */
    bc->h_w_per_m2k = has_h ? v.h : has_r ? 1.0 / (v.r * area) : 0;
    bc->ambient_c = v.amb;
    return 0;
}

/* transient.map_times_s: [t, ...] ascending, inside (0, t_end_s]. */
static int bind_map_times(const cp_node *tr, cp_thermal_spec *t, cp_error *err)
{
    const cp_node *m = cp_node_get(tr, "map_times_s");
    if (!m)
        return 0;
    if (m->kind != CP_NODE_SEQ || m->n == 0 || m->n > CP_MAX_MAP_TIMES)
        return cp_node_fail(err, m, "'map_times_s' must be a list of 1..%d times (s)",
                            CP_MAX_MAP_TIMES);
    for (size_t i = 0; i < m->n; i++) {
        double v;
        if (cp_param_number(m->items[i], &v, err))
            return -1;
        if (!(v > 0 && v <= t->t_end_s * (1 + 1e-12)) ||
            (i > 0 && !(v > t->map_time_s[i - 1])))
            return cp_node_fail(err, cp_param_value_node(m->items[i]),
                                "map time %g s: the times must rise, each in (0, t_end_s = "
                                "%g]", v, t->t_end_s);
        t->map_time_s[i] = v;
    }
    t->nmap_times = m->n;
    return 0;
}

typedef struct { double x, y; } probe_t;
static const cp_field probe_fields[] = {
    {"x_mm", CP_F_NUM, offsetof(probe_t, x), 0, true, -1e4, 1e4, NULL},
    {"y_mm", CP_F_NUM, offsetof(probe_t, y), 0, true, -1e4, 1e4, NULL},
};

/* thermal.probes: [{name, layer, x_mm, y_mm}, ...] inside the package. */
static int bind_probes(const cp_node *th, cp_thermal_spec *t, cp_error *err)
{
    const cp_node *ps = cp_node_get(th, "probes");
    if (!ps)
        return 0;
    if (ps->kind != CP_NODE_SEQ || ps->n == 0 || ps->n > CP_MAX_PROBES)
        return cp_node_fail(err, ps, "'probes' must be a list of 1..%d probes {name, layer, "
                                     "x_mm, y_mm}", CP_MAX_PROBES);
    for (size_t i = 0; i < ps->n; i++) {
        const cp_node *n = ps->items[i];
        cp_probe *P = &t->probe[i];
        const char *name = cp_item_name(n, "probe", err);
        if (!name)
            return -1;
        cp_strlcpy(P->name, name, sizeof P->name);
        probe_t v;
        char what[96];
        snprintf(what, sizeof what, "probe '%s'", P->name);
        if (cp_tbind_map(n, what, probe_fields, N(probe_fields), &v,
                     (const char *const[]){"name", "layer", "note", NULL}, err))
            return -1;
        if ((P->layer = find_layer(t, cp_node_get(n, "layer"), err)) < 0)
            return err->line ? -1 : cp_node_fail(err, n, "%s needs a 'layer'", what);
        P->x_m = v.x * MM;
        P->y_m = v.y * MM;
        if (P->x_m < 0 || P->y_m < 0 || P->x_m > t->size_x_m || P->y_m > t->size_y_m)
            return cp_node_fail(err, cp_param_value_node(cp_node_get(n, "x_mm")),
                                "%s lies outside the package (0..%g x 0..%g mm)", what,
                                t->size_x_m / MM, t->size_y_m / MM);
        for (size_t k = 0; k < i; k++)
            if (strcmp(t->probe[k].name, P->name) == 0)
                return cp_node_fail(err, cp_node_get(n, "name"), "duplicate probe name '%s'",
                                    P->name);
    }
    t->nprobes = ps->n;
    return 0;
}

static int bind_rest(const cp_catalog *cat, cp_pool *pool, const cp_node *th,
                     cp_thermal_spec *t, cp_error *err)
{
    const cp_node *c = section(th, "cooling", true, err);
    if (!c)
        return -1;
    static const char *const cool_keys[] = {"top", "bottom", "note", NULL};
    cp_bind_ctx ctx = {c, "cooling", cool_keys};
    if (cp_bind(&ctx, NULL, 0, NULL, err))
        return -1;
    double area = t->size_x_m * t->size_y_m;
    if (bind_bc(c, "top", area, &t->top, err) || bind_bc(c, "bottom", area, &t->bottom, err))
        return -1;
    const cp_node *top = cp_node_get(c, "top");
    const cp_node *cool = top && top->kind == CP_NODE_MAP ? cp_node_get(top, "coolant") : NULL;
    if (cool && cp_tbind_coolant(cat, pool, cool, &t->coolant, err))
        return -1;
    const cp_node *hs = top && top->kind == CP_NODE_MAP ? cp_node_get(top, "heat_sink") : NULL;
    if (hs && cp_tbind_heatsink(hs, &t->sink, err))
        return -1;
    bool cavity = false;
    for (size_t l = 0; l < t->nlayers; l++)
        cavity = cavity || t->layer[l].channels.on;
    if (t->top.h_w_per_m2k <= 0 && t->bottom.h_w_per_m2k <= 0 && !cavity && !t->sink.on)
        return cp_node_fail(err, c, "cooling needs a 'top' or 'bottom' boundary with "
                                    "h > 0, or a layer with channels: with both adiabatic "
                                    "no steady state exists");
    if (!cp_node_get(c, "top"))
        t->top.ambient_c = t->bottom.ambient_c;
    if (!cp_node_get(c, "bottom"))
        t->bottom.ambient_c = t->top.ambient_c;
    const cp_node *cp = section(th, "coupling", false, err);
    t->coupling = (cp_coupling){.leakage_ref_c = 85, .laser_wpe_ref_c = 25,
                                .ring_lock_c = 85, .max_iterations = 50,
                                .tolerance_k = 0.01};
    t->coupled = cp != NULL;
    if (cp && cp_tbind_map(cp, "coupling", coupling_fields, N(coupling_fields),
                       &t->coupling, (const char *const[]){"note", NULL}, err))
        return -1;
    solver_t sv = {0, 1e-10};
    const cp_node *s = section(th, "solver", false, err);
    if (s && cp_tbind_map(s, "solver", solver_fields, N(solver_fields), &sv, NULL, err))
        return -1;
    t->solver = (cp_solver_kind)sv.kind;
    t->tolerance = sv.tol;
    const cp_node *tr = section(th, "transient", false, err);
    t->theta = 0.5;
    if (tr && (cp_tbind_map(tr, "transient", transient_fields, N(transient_fields), t,
                        (const char *const[]){"map_times_s", NULL}, err) ||
               bind_map_times(tr, t, err)))
        return -1;
    const cp_node *tp = tr ? cp_param_value_node(cp_node_get(tr, "trace")) : NULL;
    if (tp && cp_csv_path_beside(tp, t->trace_path, sizeof t->trace_path, "power trace", err))
        return -1;
    return err->line && !c ? -1 : 0;
}

static int bind_thermal(const cp_catalog *cat, cp_pool *pool, const cp_node *root,
                        const cp_design *d, cp_thermal_spec *t, cp_error *err)
{
    static const char *const keys[] = {"package", "grid", "stack", "cooling", "blocks",
                                       "coupling", "solver", "transient", "map",
                                       "probes", "note", NULL};
    const cp_node *th = cp_node_get(root, "thermal");
    if (!th)
        return cp_node_fail(err, root, "the scenario has no 'thermal' section");
    if (th->kind != CP_NODE_MAP)
        return cp_node_fail(err, th, "'thermal' must be a mapping");
    cp_bind_ctx ctx = {th, "thermal", keys};
    if (cp_bind(&ctx, NULL, 0, NULL, err))
        return -1;
    const cp_node *p = section(th, "package", true, err), *g = section(th, "grid", true, err);
    pkg_t pk;
    grid_t gr = {.refine = true};
    if (!p || !g || cp_tbind_map(p, "package", package_fields, N(package_fields), &pk, NULL, err) ||
        cp_tbind_map(g, "grid", grid_fields, N(grid_fields), &gr, NULL, err))
        return -1;
    t->size_x_m = pk.x * MM;
    t->size_y_m = pk.y * MM;
    t->nx = (int)gr.nx;
    t->ny = (int)gr.ny;
    t->refine = gr.refine;
    t->min_cell_m = gr.min_cell_mm * MM;
    if (bind_stack(cat, pool, th, t, err) || bind_blocks(d, th, t, err) ||
        bind_rest(cat, pool, th, t, err) || cp_tcheck_channels(th, t, err) ||
        bind_probes(th, t, err))
        return -1;
    char why[320];
    for (size_t b = 0; b < t->nblocks; b++)
        if (cp_thermal_block_resolution(t, b, why, sizeof why))
            return cp_node_fail(err, cp_node_get(th, "blocks")->items[b], "%s", why);
    /* steps are the scenario's; the memory limit is the program's (--max-memory) */
    const cp_node *tr = cp_node_get(th, "transient");
    if (tr && cp_thermal_check_steps(t, err)) {
        char msg[sizeof err->msg];
        cp_strlcpy(msg, err->msg, sizeof msg);
        return cp_node_fail(err, cp_param_value_node(cp_node_get(tr, "dt_s")), "%s", msg);
    }
    t->map_layer = t->block[0].layer;
    const cp_node *m = cp_node_get(th, "map");
    if (m) {
        static const char *const map_keys[] = {"layer", "note", NULL};
        const cp_node *ml = m->kind == CP_NODE_MAP ? cp_node_get(m, "layer") : NULL;
        if (!ml)
            return cp_node_fail(err, m, "'map' takes {layer: NAME}");
        if (cp_check_keys(m, "map", map_keys, err))
            return -1;
        if ((t->map_layer = find_layer(t, ml, err)) < 0)
            return -1;
    }
    return 0;
}

typedef struct thermal_ctx {
    const cp_catalog *cat;
    cp_thermal_spec *out;
    cp_design d;
} thermal_ctx;

static int thermal_binder(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    thermal_ctx *x = ctx;
    return bind_thermal(x->cat, pool, root, &x->d, x->out, err);
}

int cp_thermal_load(const char *path, const cp_catalog *cat,
                    const char *const *sets, size_t nsets, cp_thermal_spec *out,
                    cp_error *err)
{
    thermal_ctx x;
    x.cat = cat;
    x.out = out;
    if (cp_scenario_load(path, cat, sets, nsets, &x.d, err))
        return -1;
    memset(out, 0, sizeof *out);
    if (cp_scenario_bind(path, sets, nsets, thermal_binder, &x, err)) {
        cp_thermal_spec_free(out); /* nothing left to free on failure */
        return -1;
    }
    return 0;
}
