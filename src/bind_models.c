/*
 * bind_models.c — field tables of the catalog classes and the binders that
 * turn a (catalog or inline) YAML entry into a model struct.  A reference is
 * either a catalog name (`modulator: mzm-sip-100g`) or a mapping with `ref`
 * plus overrides (`modulator: {ref: mzm-sip-100g, insertion_loss_db: 4}`),
 * or an inline definition (a mapping without `ref`).
 */
#include "internal.h"
#include "yield_internal.h"

#include <float.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define BIG DBL_MAX
#define NUM(st, k, req, lo, hi) {#k, CP_F_NUM, offsetof(st, k), 0, req, lo, hi, NULL}
#define INT(st, k, req, lo, hi) {#k, CP_F_INT, offsetof(st, k), 0, req, lo, hi, NULL}
#define STR(st, k, req) {#k, CP_F_STR, offsetof(st, k), sizeof(((st *)0)->k), req, 0, 0, NULL}

static const char *const common_keys[] = {"name", "description", "ref",
                                          "source", "assumption", "note", NULL};

/* ---------------------------------------------------------------- tables */

static const cp_field serdes_fields[] = {
    {"class", CP_F_STR, offsetof(cp_serdes, cls), sizeof(((cp_serdes *)0)->cls), true, 0, 0, NULL},
    NUM(cp_serdes, lane_rate_gbps, true, 1, 1e4),
    NUM(cp_serdes, line_rate_gbps, true, 1, 1e4),
    NUM(cp_serdes, energy_pj_per_bit, true, 0, 100),
    NUM(cp_serdes, loss_budget_db, true, 0, 80),
    NUM(cp_serdes, reach_mm, true, 0, 1e5),
};

static const cp_field retimer_fields[] = {
    NUM(cp_retimer, lane_rate_gbps, true, 1, 1e4),
    NUM(cp_retimer, energy_pj_per_bit, true, 0, 100),
};

/* A trace is lossy per mm, a connector is a lumped loss: both bind into a
 * cp_segment; the per-mm figures go in loss_db_26g/53g. */
typedef struct { double loss_db_per_mm_26g, loss_db_per_mm_53g; } trace_t;
static const cp_field trace_fields[] = {
    NUM(trace_t, loss_db_per_mm_26g, true, 0, 10),
    NUM(trace_t, loss_db_per_mm_53g, true, 0, 10),
};
static const cp_field connector_fields[] = {
    NUM(cp_segment, loss_db_26g, true, 0, 40),
    NUM(cp_segment, loss_db_53g, true, 0, 40),
};

static const cp_field channel_fields[] = {
    NUM(cp_channel, margin_db, false, 0, 40),
    NUM(cp_channel, extra_loss_db, false, 0, 80),
};

typedef struct { double attenuation_db_per_km; } fiber_t;
static const cp_field fiber_fields[] = {
    NUM(fiber_t, attenuation_db_per_km, true, 0, 100),
};
typedef struct { double loss_db; } oconn_t;
static const cp_field loss_fields[] = {
    NUM(oconn_t, loss_db, true, 0, 30),
};

static const cp_field link_fields[] = {
    NUM(cp_link, lane_rate_gbps, true, 1, 1e4),
    NUM(cp_link, tx_oma_dbm, false, -40, 30),
    NUM(cp_link, tdecq_db, false, 0, 20),
    NUM(cp_link, length_m, true, 0, 1e6),
    INT(cp_link, connectors, false, 0, 64),
    NUM(cp_link, connector_loss_db, false, 0, 10),
    NUM(cp_link, other_penalty_db, false, 0, 20),
    NUM(cp_link, rx_sensitivity_oma_dbm, true, -50, 20),
    NUM(cp_link, target_ber, true, 1e-30, 0.5),
    NUM(cp_link, required_margin_db, false, 0, 30),
    NUM(cp_link, fiber_db_per_km, false, 0, 100),
    INT(cp_link, lanes_per_fiber, false, 1, 64),
};

static const cp_field laser_fields[] = {
    NUM(cp_laser, output_power_dbm, true, -20, 40),
    NUM(cp_laser, wall_plug_efficiency, true, 1e-4, 1),
    INT(cp_laser, lasers_per_module, true, 1, 1024),
    NUM(cp_laser, module_overhead_w, false, 0, 1000),
    {"external", CP_F_BOOL, offsetof(cp_laser, external), 0, false, 0, 0, NULL},
    NUM(cp_laser, t_max_c, false, 0, 300),
    NUM(cp_laser, module_price_usd, false, 0, 1e7),
};

static const cp_field failure_fields[] = {
    NUM(cp_failure, fit, true, 0, 1e9),
    NUM(cp_failure, ref_temp_c, true, -100, 300),
    NUM(cp_failure, activation_ev, true, 0, 5),
    NUM(cp_failure, weibull_shape, true, 0.1, 10),
};

static const cp_field modulator_fields[] = {
    STR(cp_modulator, type, true),
    NUM(cp_modulator, insertion_loss_db, true, 0, 40),
    NUM(cp_modulator, extinction_ratio_db, true, 0.1, 40),
    NUM(cp_modulator, drive_pj_per_bit, true, 0, 100),
    NUM(cp_modulator, tuning_w, false, 0, 10),
};

typedef struct { double energy_pj_per_bit; } elec_t;
static const cp_field elec_fields[] = {
    NUM(elec_t, energy_pj_per_bit, true, 0, 100),
};
typedef struct { double responsivity_a_per_w; } pd_t;
static const cp_field pd_fields[] = {
    NUM(pd_t, responsivity_a_per_w, true, 0.01, 1.5),
};

static const cp_field engine_fields[] = {
    NUM(cp_engine, capacity_gbps, true, 1, 1e6),
    INT(cp_engine, lanes, true, 1, 4096),
    NUM(cp_engine, lane_rate_gbps, true, 1, 1e4),
    NUM(cp_engine, splitter_excess_db, false, 0, 20),
    NUM(cp_engine, mux_loss_db, false, 0, 20),
    INT(cp_engine, lanes_per_laser, true, 1, 1024),
    NUM(cp_engine, control_w, false, 0, 1000),
    NUM(cp_engine, t_max_c, false, 0, 300),
};

static const cp_field module_fields[] = {
    STR(cp_module, type, true),
    NUM(cp_module, rate_gbps, true, 1, 1e5),
    INT(cp_module, lanes, true, 1, 64),
    INT(cp_module, optical_lanes, true, 1, 64),
    INT(cp_module, lanes_per_laser, false, 1, 64),
    NUM(cp_module, dsp_w, true, 0, 200),
    NUM(cp_module, driver_tia_w, true, 0, 200),
    NUM(cp_module, laser_w, true, 0, 200),
    NUM(cp_module, other_w, true, 0, 200),
    NUM(cp_module, price_usd, false, 0, 1e7),
};

static const cp_field asic_fields[] = {
    NUM(cp_asic, capacity_tbps, true, 0.001, 1e4),
    INT(cp_asic, serdes_lanes, true, 1, 1e5),
    NUM(cp_asic, lane_rate_gbps, true, 1, 1e4),
    NUM(cp_asic, core_power_w, true, 0, 1e5),
    NUM(cp_asic, tj_max_c, false, 0, 300),
};

/* k_w_per_mk sets both directions; k_xy/k_z give an anisotropic material */
typedef struct {
    double k, kxy, kz, c, rho, mu;
} material_t;
static const cp_field material_fields[] = {
    {"k_w_per_mk", CP_F_NUM, offsetof(material_t, k), 0, false, 1e-4, 1e4, NULL},
    {"k_xy_w_per_mk", CP_F_NUM, offsetof(material_t, kxy), 0, false, 1e-4, 1e4, NULL},
    {"k_z_w_per_mk", CP_F_NUM, offsetof(material_t, kz), 0, false, 1e-4, 1e4, NULL},
    {"c_j_per_m3k", CP_F_NUM, offsetof(material_t, c), 0, true, 1e3, 1e8, NULL},
    /* a fluid's: microchannels need them for Reynolds number and pressure drop */
    {"density_kg_per_m3", CP_F_NUM, offsetof(material_t, rho), 0, false, 1e-3, 3e4, NULL},
    {"viscosity_pa_s", CP_F_NUM, offsetof(material_t, mu), 0, false, 1e-7, 1e3, NULL},
};

#define N(a) (sizeof(a) / sizeof *(a))

/* ----------------------------------------------------------------- refs */

/* Resolves a reference node to the mapping that describes the component:
 * a catalog entry, a catalog entry with overrides, or an inline mapping. */
static const cp_node *resolve(const cp_catalog *cat, cp_pool *pool, const char *cls,
                              const cp_node *n, cp_error *err)
{
    if (n->kind == CP_NODE_SCALAR) {
        const cp_node *e = cp_catalog_node(cat, cls, n->scalar);
        if (!e) {
            const cp_node *list[64];
            size_t k = cp_catalog_class_entries(cat, cls, list, 64);
            char known[300] = "";
            size_t at = 0;
            for (size_t i = 0; i < k && i < 64 && at < sizeof known; i++)
                at += (size_t)snprintf(known + at, sizeof known - at, "%s%s",
                                       i ? ", " : "",
                                       cp_node_get(list[i], "name")->scalar);
            cp_node_fail(err, n, "unknown %s '%s'; known: %s", cls, n->scalar,
                         k ? known : "(none in the catalog)");
        }
        return e;
    }
    if (n->kind != CP_NODE_MAP) {
        cp_node_fail(err, n, "expected a %s name or mapping", cls);
        return NULL;
    }
    const cp_node *ref = cp_node_get(n, "ref");
    if (!ref)
        return n;
    const cp_node *base = resolve(cat, pool, cls, ref, err);
    if (!base)
        return NULL;
    cp_pool *p = pool;
    cp_node *merged = cp_node_copy(p, base);
    if (!merged || cp_node_merge(p, merged, n, err))
        return NULL;
    /* keep positions of the referring mapping for "missing field" errors */
    merged->file = n->file;
    merged->line = n->line;
    merged->col = n->col;
    return merged;
}

static int bind_ref(const cp_catalog *cat, cp_pool *pool, const char *cls, const cp_node *parent,
                    const char *key, bool required, void *out, cp_error *err)
{
    const cp_node *n = cp_node_get(parent, key);
    if (!n)
        return required ? cp_node_fail(err, parent, "missing required field '%s'",
                                       key)
                        : 0;
    const cp_node *e = resolve(cat, pool, cls, n, err);
    return e ? cp_bind_entry(cat, pool, cls, e, out, err) : -1;
}

static void set_name(char *dst, const cp_node *n)
{
    const cp_node *nm = cp_node_get(n, "name");
    cp_strlcpy(dst, nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "(inline)",
               CP_NAME_MAX);
}

static int simple(const cp_node *n, const char *what, const cp_field *f,
                  size_t nf, void *out, const char *const *extra, cp_error *err)
{
    char w[128];
    const cp_node *nm = cp_node_get(n, "name");
    snprintf(w, sizeof w, "%s '%s'", what,
             nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "(inline)");
    cp_bind_ctx ctx = {n, w, extra ? extra : common_keys};
    return cp_bind(&ctx, f, nf, out, err);
}

/* --------------------------------------------------------------- classes */

static int bind_segment(const cp_catalog *cat, cp_pool *pool, const cp_node *s, cp_segment *g,
                        cp_error *err)
{
    static const char *const seg_keys[] = {"trace", "connector", "length_mm",
                                           "name", "note", NULL};
    if (s->kind != CP_NODE_MAP)
        return cp_node_fail(err, s, "a channel segment must be a mapping");
    for (size_t i = 0; i < s->n; i++) {
        bool ok = false;
        for (const char *const *k = seg_keys; *k; k++)
            ok |= strcmp(*k, s->items[i]->key) == 0;
        if (!ok)
            return cp_key_fail(err, s->items[i],
                               "unknown key '%s' in a channel segment; expected "
                               "trace + length_mm, or connector",
                               s->items[i]->key);
    }
    const cp_node *tr = cp_node_get(s, "trace"), *co = cp_node_get(s, "connector");
    const cp_node *len = cp_node_get(s, "length_mm");
    if (!!tr == !!co)
        return cp_node_fail(err, s,
                            "a channel segment needs exactly one of 'trace' or "
                            "'connector'");
    memset(g, 0, sizeof *g);
    if (tr) {
        if (!len)
            return cp_node_fail(err, s, "a trace segment needs 'length_mm'");
        if (cp_param_number(len, &g->length_mm, err))
            return -1;
        if (g->length_mm < 0 || g->length_mm > 1e5)
            return cp_node_fail(err, cp_param_value_node(len),
                                "length_mm = %g is out of range; expected 0..100000",
                                g->length_mm);
        return bind_ref(cat, pool, "trace", s, "trace", true, g, err);
    }
    if (len)
        return cp_key_fail(err, len, "a connector has no length_mm");
    return bind_ref(cat, pool, "connector", s, "connector", true, g, err);
}

static int bind_channel(const cp_catalog *cat, cp_pool *pool, const cp_node *n, cp_channel *c,
                        cp_error *err)
{
    static const char *const extra[] = {"name", "description", "ref", "segments",
                                        "note", NULL};
    memset(c, 0, sizeof *c);
    set_name(c->name, n);
    if (simple(n, "channel", channel_fields, N(channel_fields), c, extra, err))
        return -1;
    const cp_node *segs = cp_node_get(n, "segments");
    if (!segs || segs->kind != CP_NODE_SEQ || segs->n == 0)
        return cp_node_fail(err, segs ? segs : n,
                            "a channel needs a non-empty list 'segments'");
    if (segs->n > CP_MAX_SEGMENTS)
        return cp_node_fail(err, segs, "at most %d segments", CP_MAX_SEGMENTS);
    for (size_t i = 0; i < segs->n; i++)
        if (bind_segment(cat, pool, segs->items[i], &c->seg[i], err))
            return -1;
    c->nseg = segs->n;
    return 0;
}

static int bind_link(const cp_catalog *cat, cp_pool *pool, const cp_node *n, cp_link *l,
                     cp_error *err)
{
    static const char *const extra[] = {"name", "description", "ref", "fiber",
                                        "connector", "note", NULL};
    memset(l, 0, sizeof *l);
    set_name(l->name, n);
    l->tx_oma_dbm = -99; /* "not given": CPO links compute it */
    l->lanes_per_fiber = 1;
    if (simple(n, "link", link_fields, N(link_fields), l, extra, err))
        return -1;
    if (cp_node_get(n, "fiber")) {
        fiber_t f;
        if (bind_ref(cat, pool, "fiber", n, "fiber", true, &f, err))
            return -1;
        l->fiber_db_per_km = f.attenuation_db_per_km;
    }
    if (cp_node_get(n, "connector")) {
        oconn_t o;
        if (bind_ref(cat, pool, "optical_connector", n, "connector", true, &o, err))
            return -1;
        l->connector_loss_db = o.loss_db;
    }
    return 0;
}

static int bind_engine(const cp_catalog *cat, cp_pool *pool, const cp_node *n, cp_engine *e,
                       cp_error *err)
{
    static const char *const extra[] = {"name", "description", "ref", "modulator",
                                        "driver", "tia", "photodetector",
                                        "coupler", "note", NULL};
    memset(e, 0, sizeof *e);
    set_name(e->name, n);
    if (simple(n, "engine", engine_fields, N(engine_fields), e, extra, err))
        return -1;
    elec_t drv, tia;
    pd_t pd;
    oconn_t cpl;
    if (bind_ref(cat, pool, "modulator", n, "modulator", true, &e->mod, err) ||
        bind_ref(cat, pool, "driver", n, "driver", true, &drv, err) ||
        bind_ref(cat, pool, "tia", n, "tia", true, &tia, err) ||
        bind_ref(cat, pool, "photodetector", n, "photodetector", true, &pd, err) ||
        bind_ref(cat, pool, "coupler", n, "coupler", true, &cpl, err))
        return -1;
    e->driver_pj_per_bit = drv.energy_pj_per_bit;
    e->tia_pj_per_bit = tia.energy_pj_per_bit;
    e->pd_responsivity_a_per_w = pd.responsivity_a_per_w;
    e->coupler_loss_db = cpl.loss_db;
    if (e->lanes * e->lane_rate_gbps < e->capacity_gbps * 0.999)
        return cp_node_fail(err, n,
                            "engine '%s': %g lanes x %g Gb/s cannot carry "
                            "capacity_gbps = %g", e->name, e->lanes,
                            e->lane_rate_gbps, e->capacity_gbps);
    return 0;
}

/* Dispatch: binds a resolved entry of class cls into out. */
int cp_bind_entry(const cp_catalog *cat, cp_pool *pool, const char *cls, const cp_node *n,
                  void *out, cp_error *err)
{
    if (strcmp(cls, "serdes") == 0) {
        cp_serdes *s = out;
        memset(s, 0, sizeof *s);
        set_name(s->name, n);
        return simple(n, "serdes", serdes_fields, N(serdes_fields), s, NULL, err);
    }
    if (strcmp(cls, "retimer") == 0) {
        cp_retimer *r = out;
        memset(r, 0, sizeof *r);
        set_name(r->name, n);
        return simple(n, "retimer", retimer_fields, N(retimer_fields), r, NULL,
                      err);
    }
    if (strcmp(cls, "trace") == 0) {
        cp_segment *g = out;
        double len = g->length_mm; /* set by the segment binder */
        trace_t t;
        if (simple(n, "trace", trace_fields, N(trace_fields), &t, NULL, err))
            return -1;
        set_name(g->name, n);
        g->length_mm = len;
        g->per_mm = true;
        g->loss_db_26g = t.loss_db_per_mm_26g;
        g->loss_db_53g = t.loss_db_per_mm_53g;
        return 0;
    }
    if (strcmp(cls, "connector") == 0) {
        cp_segment *g = out;
        memset(g, 0, sizeof *g);
        set_name(g->name, n);
        return simple(n, "connector", connector_fields, N(connector_fields), g,
                      NULL, err);
    }
    if (strcmp(cls, "channel") == 0)
        return bind_channel(cat, pool, n, out, err);
    if (strcmp(cls, "fiber") == 0)
        return simple(n, "fiber", fiber_fields, N(fiber_fields), out, NULL, err);
    if (strcmp(cls, "optical_connector") == 0 || strcmp(cls, "coupler") == 0)
        return simple(n, cls, loss_fields, N(loss_fields), out, NULL, err);
    if (strcmp(cls, "link") == 0)
        return bind_link(cat, pool, n, out, err);
    if (strcmp(cls, "laser") == 0) {
        cp_laser *la = out;
        memset(la, 0, sizeof *la);
        set_name(la->name, n);
        la->external = true;
        return simple(n, "laser", laser_fields, N(laser_fields), la, NULL, err);
    }
    if (strcmp(cls, "modulator") == 0) {
        cp_modulator *m = out;
        memset(m, 0, sizeof *m);
        set_name(m->name, n);
        return simple(n, "modulator", modulator_fields, N(modulator_fields), m,
                      NULL, err);
    }
    if (strcmp(cls, "driver") == 0 || strcmp(cls, "tia") == 0)
        return simple(n, cls, elec_fields, N(elec_fields), out, NULL, err);
    if (strcmp(cls, "photodetector") == 0)
        return simple(n, cls, pd_fields, N(pd_fields), out, NULL, err);
    if (strcmp(cls, "engine") == 0)
        return bind_engine(cat, pool, n, out, err);
    if (strcmp(cls, "module") == 0) {
        cp_module *m = out;
        memset(m, 0, sizeof *m);
        set_name(m->name, n);
        if (simple(n, "module", module_fields, N(module_fields), m, NULL, err))
            return -1;
        if (m->lanes_per_laser == 0)
            m->lanes_per_laser = 1; /* one laser (EML/DML or CW source) per optical lane */
        return 0;
    }
    if (strcmp(cls, "failure") == 0) {
        cp_failure *fa = out;
        memset(fa, 0, sizeof *fa);
        set_name(fa->name, n);
        return simple(n, "failure", failure_fields, N(failure_fields), fa, NULL, err);
    }
    if (strcmp(cls, "material") == 0) {
        cp_material *m = out;
        material_t v = {0};
        memset(m, 0, sizeof *m);
        set_name(m->name, n);
        if (simple(n, "material", material_fields, N(material_fields), &v, NULL, err))
            return -1;
        if (!(v.k > 0) && !(v.kxy > 0 && v.kz > 0))
            return cp_node_fail(err, n, "material '%s' needs k_w_per_mk, or both "
                                        "k_xy_w_per_mk and k_z_w_per_mk", m->name);
        m->k_xy_w_per_mk = v.kxy > 0 ? v.kxy : v.k;
        m->k_z_w_per_mk = v.kz > 0 ? v.kz : v.k;
        m->c_j_per_m3k = v.c;
        m->density_kg_per_m3 = v.rho;
        m->viscosity_pa_s = v.mu;
        return 0;
    }
    if (strcmp(cls, "asic") == 0) {
        cp_asic *a = out;
        memset(a, 0, sizeof *a);
        set_name(a->name, n);
        return simple(n, "asic", asic_fields, N(asic_fields), a, NULL, err);
    }
    if (strcmp(cls, "assembly") == 0) /* manufacturing (src/yield_scenario.c) */
        return cp_bind_assembly(n, out, err);
    if (strcmp(cls, "package") == 0)
        return cp_bind_package_parts(n, out, err);
    return cp_node_fail(err, n,
                        "unknown catalog class '%s'; expected serdes, retimer, "
                        "trace, connector, channel, fiber, optical_connector, "
                        "coupler, link, laser, modulator, driver, tia, "
                        "photodetector, engine, module, asic, material, failure, "
                        "assembly or package", cls);
}

const cp_node *cp_catalog_resolve(const cp_catalog *cat, cp_pool *pool, const char *cls,
                                  const cp_node *n, cp_error *err)
{
    return resolve(cat, pool, cls, n, err);
}

/* Exposed for the scenario loader: resolve + bind in one step. */
int cp_bind_ref(const cp_catalog *cat, cp_pool *pool, const char *cls, const cp_node *parent,
                const char *key, bool required, void *out, cp_error *err)
{
    return bind_ref(cat, pool, cls, parent, key, required, out, err);
}
