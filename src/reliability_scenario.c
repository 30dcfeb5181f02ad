/*
 * reliability_scenario.c — the `reliability:` section of a fabric scenario,
 * and the component classes of the sized fabric it applies to: switch
 * hardware, pluggable modules (switch and NIC side), CPO engines, external
 * or embedded lasers, optical cabling and copper cables, each with its
 * failure rate (catalog, Arrhenius-scaled), service and impact.
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define KINDS "module|els|switch|engine|cable"

typedef struct {
    double v[5];
} per_kind_t;
static const cp_field kind_fields[] = {
    {"module", CP_F_NUM, offsetof(per_kind_t, v[0]), 0, true, 0, 1e5, NULL},
    {"els", CP_F_NUM, offsetof(per_kind_t, v[1]), 0, true, 0, 1e5, NULL},
    {"switch", CP_F_NUM, offsetof(per_kind_t, v[2]), 0, true, 0, 1e5, NULL},
    {"engine", CP_F_NUM, offsetof(per_kind_t, v[3]), 0, true, 0, 1e5, NULL},
    {"cable", CP_F_NUM, offsetof(per_kind_t, v[4]), 0, true, 0, 1e5, NULL},
};

typedef struct {
    double techs, labour, visit, spares, ckpt_min, restart_min, degrade, job_gpus,
        years, replicas, seed, gpu_h_usd, cable_usd;
    bool diversity, detachable;
} rel_t;
static const cp_field service_fields[] = {
    {"technicians", CP_F_INT, offsetof(rel_t, techs), 0, true, 1, 256, NULL},
    {"labour_usd_per_h", CP_F_NUM, offsetof(rel_t, labour), 0, true, 0, 1e4, NULL},
    {"visit_usd", CP_F_NUM, offsetof(rel_t, visit), 0, false, 0, 1e6, NULL},
    {"cable_usd", CP_F_NUM, offsetof(rel_t, cable_usd), 0, false, 0, 1e5, NULL},
    {"detachable_engines", CP_F_BOOL, offsetof(rel_t, detachable), 0, false, 0, 0, NULL},
};
static const cp_field redundancy_fields[] = {
    {"spare_lasers_per_els", CP_F_INT, offsetof(rel_t, spares), 0, false, 0, 7, NULL},
    {"path_diversity", CP_F_BOOL, offsetof(rel_t, diversity), 0, false, 0, 0, NULL},
};
static const cp_field job_fields[] = {
    {"gpus", CP_F_INT, offsetof(rel_t, job_gpus), 0, false, 1, 1e8, NULL},
    {"checkpoint_min", CP_F_NUM, offsetof(rel_t, ckpt_min), 0, true, 0, 1e6, NULL},
    {"restart_min", CP_F_NUM, offsetof(rel_t, restart_min), 0, true, 0, 1e6, NULL},
    {"degrade_fraction", CP_F_NUM, offsetof(rel_t, degrade), 0, false, 0, 1, NULL},
    {"gpu_hour_usd", CP_F_NUM, offsetof(rel_t, gpu_h_usd), 0, false, 0, 1e4, NULL},
};
static const cp_field sim_fields[] = {
    {"years", CP_F_NUM, offsetof(rel_t, years), 0, true, 0.01, CP_MAX_YEARS, NULL},
    {"replicas", CP_F_INT, offsetof(rel_t, replicas), 0, true, 1, 1e7, NULL},
    {"seed", CP_F_INT, offsetof(rel_t, seed), 0, false, 0, 4e9, NULL},
};

#define N(a) (sizeof(a) / sizeof *(a))

typedef struct ctx {
    const cp_catalog *cat;
    cp_pool *pool;
    const cp_node *rates, *temps;
    cp_rel_spec *rel;
    per_kind_t parts;
    bool diversity, detachable;
    double spares;
    cp_error *err;
} ctx;

/* failure rate per hour of a kind (a key of `rates`) at its temperature */
static int rate(ctx *x, const char *kind, double *per_h, double *shape)
{
    const cp_node *ref = cp_node_get(x->rates, kind);
    if (!ref)
        return cp_node_fail(x->err, x->rates, "rates has no '%s' (a failure entry "
                            "of the catalog)", kind);
    cp_failure fa;
    const cp_node *holder = x->rates;
    if (cp_bind_ref(x->cat, x->pool, "failure", holder, kind, true, &fa, x->err))
        return -1;
    double t = fa.ref_temp_c;
    const cp_node *tn = cp_node_get(x->temps, kind);
    if (tn && cp_param_number(tn, &t, x->err))
        return -1;
    *per_h = fa.fit * 1e-9 * cp_arrhenius(fa.activation_ev, fa.ref_temp_c, t);
    *shape = fa.weibull_shape;
    return 0;
}

static cp_rel_class *add(ctx *x, const char *name, double units, cp_service_kind svc,
                         int level, double links, double ports, bool interrupts,
                         double parts)
{
    cp_rel_spec *r = x->rel;
    if (units <= 0 || r->nclasses >= CP_MAX_CLASSES)
        return NULL;
    cp_rel_class *c = &r->cls[r->nclasses++];
    memset(c, 0, sizeof *c);
    cp_strlcpy(c->name, name, sizeof c->name);
    c->units = units;
    c->service = svc;
    c->level = level;
    c->links_per_event = links;
    c->ports_per_event = ports;
    c->interrupts = interrupts;
    c->parts_usd = parts;
    c->shape = 1;
    return c;
}

static void strand(cp_rel_class *c, double gpus)
{
    if (c)
        c->gpus_per_event = gpus;
}

static int with_rate(ctx *x, cp_rel_class *c, const char *kind)
{
    return c ? rate(x, kind, &c->fail_per_h, &c->shape) : 0;
}

static bool hits(ctx *x, int level) { return level == 0 || !x->diversity; }

static int tier_classes(ctx *x, const cp_fabric_spec *f, const cp_fabric_result *r, size_t t)
{
    const cp_fabric_tier *T = &f->tier[t];
    const cp_fabric_tier_result *tr = &r->tier[t];
    const cp_design *d = &T->design;
    char name[CP_NAME_MAX];
    double per_sw = tr->ports_used / tr->switches;
    bool leaf = t == 0;
    bool sw_hits = leaf || !x->diversity;
    /* GPUs a leaf-level fault cuts off: its share of the GPU links */
    double per_gpu_links = f->nics_per_gpu * f->planes;
    double gpus_per_sw = leaf ? r->level[0].links / tr->switches / per_gpu_links : 0;
    double down_share = leaf ? r->level[0].links / tr->ports_used : 0;
    snprintf(name, sizeof name, "%s switch", T->name);
    cp_rel_class *sw = add(x, name, tr->switches, CP_SVC_SWITCH, -1, per_sw, tr->radix, sw_hits,
                           x->parts.v[CP_SVC_SWITCH] * d->sys.price_usd);
    strand(sw, gpus_per_sw);
    if (with_rate(x, sw, "switch"))
        return -1;
    const cp_port_group *g = &d->group[0];
    if (tr->modules > 0) { /* pluggable: split by the level each side serves */
        double down = r->level[t].optical ? r->level[t].links : 0;
        double up = t + 1 < f->ntiers && r->level[t + 1].optical ? r->level[t + 1].links : 0;
        double breakout = g->speed_gbps / T->port_gbps;
        char kind[32];
        snprintf(kind, sizeof kind, "module_%gg", g->speed_gbps);
        for (int side = 0; side < 2; side++) {
            double share = (side ? up : down) / (down + up);
            int level = (int)t + side;
            snprintf(name, sizeof name, "%s modules %s", T->name, side ? "up" : "down");
            cp_rel_class *c = add(x, name, tr->modules * share, CP_SVC_MODULE, level, breakout,
                                  breakout, hits(x, level),
                                  x->parts.v[CP_SVC_MODULE] * g->module.price_usd);
            strand(c, level == 0 ? breakout / per_gpu_links : 0);
            if (with_rate(x, c, kind))
                return -1;
        }
    }
    if (tr->engines > 0) {
        bool det = x->detachable;
        double links = det ? tr->cpo_ports / tr->engines : per_sw;
        snprintf(name, sizeof name, "%s CPO engines", T->name);
        cp_rel_class *c = add(x, name, tr->engines, det ? CP_SVC_ENGINE : CP_SVC_SWITCH, -1,
                              links, det ? links : tr->radix, det ? hits(x, (int)t) || leaf : sw_hits,
                              det ? x->parts.v[CP_SVC_ENGINE] * d->sys.price_usd /
                                        fmax(tr->engines / tr->switches, 1)
                                  : x->parts.v[CP_SVC_SWITCH] * d->sys.price_usd);
        strand(c, det ? links * down_share / per_gpu_links : gpus_per_sw);
        if (with_rate(x, c, "engine"))
            return -1;
    }
    if (tr->lasers > 0 && tr->engines > 0) {
        const cp_laser *la = &g->laser;
        double lanes_per_link = T->port_gbps / g->engine.lane_rate_gbps;
        double links = fmax(g->engine.lanes_per_laser / lanes_per_link, 1);
        snprintf(name, sizeof name, "%s %s lasers", T->name, la->external ? "ELS" : "embedded");
        cp_rel_class *c = la->external
            ? add(x, name, tr->lasers, CP_SVC_ELS, -1, links, links, leaf || !x->diversity,
                  x->parts.v[CP_SVC_ELS] * la->module_price_usd)
            : add(x, name, tr->lasers, CP_SVC_SWITCH, -1, per_sw, tr->radix, sw_hits,
                  x->parts.v[CP_SVC_SWITCH] * d->sys.price_usd);
        strand(c, la->external ? links * down_share / per_gpu_links : gpus_per_sw);
        if (with_rate(x, c, la->external ? "els_laser" : "embedded_laser"))
            return -1;
        if (c && la->external) {
            c->spares = x->spares;
            c->group_units = la->lasers_per_module;
        }
    }
    return 0;
}

static int build(ctx *x, const cp_fabric_spec *f, const cp_fabric_result *r)
{
    x->rel->nclasses = 0;
    for (size_t t = 0; t < f->ntiers; t++)
        if (tier_classes(x, f, r, t))
            return -1;
    char kind[32];
    snprintf(kind, sizeof kind, "module_%gg", f->nic_module.rate_gbps);
    double per_gpu_links = f->nics_per_gpu * f->planes;
    cp_rel_class *nic = add(x, "NIC modules", r->nic_modules, CP_SVC_MODULE, 0, 1, 0, true,
                            x->parts.v[CP_SVC_MODULE] * f->nic_module.price_usd);
    strand(nic, 1 / per_gpu_links);
    if (with_rate(x, nic, kind))
        return -1;
    for (size_t l = 0; l < f->ntiers; l++) {
        char name[CP_NAME_MAX];
        bool opt = r->level[l].optical;
        snprintf(name, sizeof name, "level %zu %s", l, opt ? "optical cabling" : "copper cables");
        cp_rel_class *c = add(x, name, r->level[l].links, CP_SVC_CABLE, (int)l, 1, 0,
                              hits(x, (int)l), x->parts.v[CP_SVC_CABLE]);
        strand(c, l == 0 ? 1 / per_gpu_links : 0);
        if (with_rate(x, c, opt ? "fiber" : "copper"))
            return -1;
    }
    return 0;
}

static int bind_sub(const cp_node *rel, const char *key, const cp_field *f, size_t nf,
                    void *out, bool required, cp_error *err)
{
    static const char *const extra[] = {"note", "response_h", "hands_on_h", "parts_fraction", NULL};
    return cp_bind_child(rel, key, key, f, nf, out, required, extra, err);
}

static int bind_kinds(const cp_node *svc, const char *key, double *out, cp_error *err)
{
    const cp_node *n = cp_node_get(svc, key);
    if (!n || n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n ? n : svc, "service needs '%s': {" KINDS "}", key);
    per_kind_t v;
    cp_bind_ctx c = {n, key, NULL};
    if (cp_bind(&c, kind_fields, N(kind_fields), &v, err))
        return -1;
    memcpy(out, v.v, sizeof v.v);
    return 0;
}

static int bind_rel(ctx *x, const cp_node *root, const cp_fabric_spec *f,
                    const cp_fabric_result *r)
{
    static const char *const keys[] = {"rates", "temperatures_c", "service", "redundancy",
                                       "job", "simulation", "note", NULL};
    const cp_node *rel = cp_node_get(root, "reliability");
    if (!rel || rel->kind != CP_NODE_MAP)
        return cp_node_fail(x->err, rel ? rel : root, "the scenario needs a "
                                                      "'reliability' mapping");
    cp_bind_ctx c = {rel, "reliability", keys};
    if (cp_bind(&c, NULL, 0, NULL, x->err))
        return -1;
    x->rates = cp_node_get(rel, "rates");
    x->temps = cp_node_get(rel, "temperatures_c");
    if (!x->rates || x->rates->kind != CP_NODE_MAP)
        return cp_node_fail(x->err, x->rates ? x->rates : rel,
                            "reliability needs 'rates': component kind -> failure entry");
    rel_t v = {.diversity = true, .seed = 1};
    const cp_node *svc = cp_node_get(rel, "service");
    if (bind_sub(rel, "service", service_fields, N(service_fields), &v, true, x->err) ||
        bind_kinds(svc, "response_h", x->rel->svc.response_h, x->err) ||
        bind_kinds(svc, "hands_on_h", x->rel->svc.hands_on_h, x->err) ||
        bind_kinds(svc, "parts_fraction", x->parts.v, x->err) ||
        bind_sub(rel, "redundancy", redundancy_fields, N(redundancy_fields), &v, false, x->err) ||
        bind_sub(rel, "job", job_fields, N(job_fields), &v, true, x->err) ||
        bind_sub(rel, "simulation", sim_fields, N(sim_fields), &v, true, x->err))
        return -1;
    x->parts.v[CP_SVC_CABLE] *= v.cable_usd; /* the cable price, scaled */
    x->diversity = v.diversity;
    x->detachable = v.detachable;
    x->spares = v.spares;
    cp_rel_spec *o = x->rel;
    cp_strlcpy(o->name, f->name, sizeof o->name);
    o->svc.technicians = v.techs;
    o->svc.labour_usd_per_h = v.labour;
    o->svc.visit_usd = v.visit;
    o->job.gpus = v.job_gpus > 0 ? fmin(v.job_gpus, f->gpus) : f->gpus;
    o->job.share = o->job.gpus / f->gpus;
    o->job.checkpoint_h = v.ckpt_min / 60;
    o->job.restart_h = v.restart_min / 60;
    o->job.degrade_fraction = v.degrade;
    o->years = v.years;
    o->replicas = v.replicas;
    o->seed = (unsigned long)v.seed;
    o->gpu_hour_usd = v.gpu_h_usd;
    return build(x, f, r);
}

typedef struct rel_ctx {
    ctx x;
    const cp_fabric_spec *f;
    const cp_fabric_result *r;
} rel_ctx;

static int rel_binder(cp_pool *pool, const cp_node *root, void *c, cp_error *err)
{
    rel_ctx *rc = c;
    (void)err; /* reported through rc->x.err */
    rc->x.pool = pool;
    return bind_rel(&rc->x, root, rc->f, rc->r);
}

int cp_rel_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, const cp_fabric_spec *f, const cp_fabric_result *r,
                cp_rel_spec *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    rel_ctx x = {{cat, NULL, NULL, NULL, out, {{0}}, true, false, 0, err}, f, r};
    return cp_scenario_bind(path, sets, nsets, rel_binder, &x, err);
}
