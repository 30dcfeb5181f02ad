/*
 * rel_classes.c — the failure classes of a sized fabric (a pure model: a
 * fabric spec and result and the parsed `reliability:` inputs in, classes out).
 *
 * Per tier: its switches (a fault drains the switch), and per port group of
 * its switch design what that group carries over the whole fabric
 * (cp_fabric_tier_result.grp[g]): pluggable modules split by the side they
 * face (down to the tier below or up), or, for a co-packaged group, its
 * optical engines and lasers (external modules swapped from the front, or
 * embedded lasers that take the switch down).  Each class takes that group's
 * part prices and the failure rate of its key in `rates` (module_<speed>g,
 * engine, els_laser, embedded_laser), Arrhenius-scaled to the operating
 * temperature.  Then the NIC-side modules and the cables of every link level.
 *
 * Scope (what the workload sees, cp_rel_scope): a part at the leaf that
 * faces GPUs cuts them off; a leaf switch cuts off all its GPUs; links of
 * level 1 (2) are in the path of jobs spanning leaves (pods); a tier-1
 * switch is in the path of its pod, a top-tier switch of every job spanning
 * pods.  A co-packaged engine or embedded laser that is not
 * field-replaceable takes its links down, then its switch is replaced.
 * Optional keys flap_optical, flap_cpo, flap_copper of `rates` add the link
 * flaps of each level (transient, no repair).
 */
#include "internal.h"
#include "rel_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct bx {
    const cp_fabric_spec *f;
    const cp_fabric_result *r;
    const cp_rel_inputs *in;
    cp_rel_spec *rel;
    cp_error *err;
} bx;

const char *cp_rel_kind_key(cp_rel_kind k)
{
    static const char *const n[CP_REL_KIND_COUNT] = {
        "switch", "module", "nic_module", "engine", "els_laser", "embedded_laser",
        "cable_optical", "cable_copper", "link_flap", "gpu_node"};
    return k < CP_REL_KIND_COUNT ? n[k] : "?";
}

const char *cp_rel_scope_key(cp_rel_scope s)
{
    static const char *const n[] = {"none", "gpu", "leaf", "leaf_path", "pod", "pod_path", "top"};
    return s <= CP_SCOPE_TOP ? n[s] : "?";
}

/* failure rate per hour of a key of `rates` at its operating temperature */
static int rate_of(bx *x, const char *key, const char *what, cp_rel_class *c)
{
    const cp_rel_rate *rt = NULL;
    for (size_t i = 0; i < x->in->nrates; i++)
        if (strcmp(x->in->rate[i].key, key) == 0)
            rt = &x->in->rate[i];
    if (!rt)
        return cp_fail(x->err, x->f->name, 0, 0, "reliability.rates has no '%s' (the failure "
                       "entry of %s); add '%s: <failure entry>'", key, what, key);
    const cp_failure *fa = &rt->failure;
    double af = cp_arrhenius(fa->activation_ev, fa->ref_temp_c, rt->temp_c);
    c->fail_per_h = fa->fit * 1e-9 * af;
    c->shape = fa->weibull_shape;
    if (!isfinite(c->fail_per_h) || !isfinite(c->shape) || c->shape <= 0)
        return cp_fail(x->err, x->f->name, 0, 0, "reliability rate '%s' (%s): %g FIT at %g C "
                       "with %g eV, used at %g C, gives %g failures per hour, shape %g: not "
                       "a finite rate; check its temperature and activation energy", key,
                       fa->name, fa->fit, fa->ref_temp_c, fa->activation_ev, rt->temp_c,
                       c->fail_per_h, c->shape);
    return 0;
}

typedef struct cls_def {
    cp_rel_kind kind;
    int tier, group, level;
    double units;
    cp_service_kind service;
    double links, ports, gpus;
    cp_rel_scope scope;
    bool replace_switch;
    double parts_usd;
} cls_def;

/* share of the links of the failed part's location (a leaf's uplinks, a
 * pod's level-1 or level-2 links, the top tier's links) one event takes */
static double path_share(const bx *x, const cls_def *d)
{
    const cp_rel_geometry *g = &x->rel->geo;
    const cp_fabric_result *r = x->r;
    double planes = fmax(g->planes, 1), pods = cp_rel_pods(g);
    double links = 0;
    switch (d->scope) {
    case CP_SCOPE_LEAF_PATH:
        links = r->ntiers > 1 ? r->level[1].links / (fmax(g->leaves, 1) * planes) : 0;
        break;
    case CP_SCOPE_POD:
        links = r->ntiers > 1 ? r->level[1].links / (pods * planes) : 0;
        break;
    case CP_SCOPE_POD_PATH:
        links = r->ntiers > 2 ? r->level[2].links / (pods * planes) : 0;
        break;
    case CP_SCOPE_TOP:
        links = r->ntiers > 2 ? r->level[2].links / planes : 0;
        break;
    default:
        return 0;
    }
    return links > 0 ? fmin(d->links / links, 1) : 0;
}

/* adds a class (none for zero units) with the rate of key */
static int add(bx *x, const cls_def *d, const char *name, const char *key, cp_rel_class **out)
{
    cp_rel_spec *r = x->rel;
    if (out)
        *out = NULL;
    if (!(d->units > 0))
        return 0;
    if (r->nclasses >= CP_MAX_CLASSES)
        return cp_fail(x->err, x->f->name, 0, 0, "the fabric has more than %d failure classes "
                       "(tiers x port groups); use fewer port groups", CP_MAX_CLASSES);
    cp_rel_class *c = &r->cls[r->nclasses++];
    memset(c, 0, sizeof *c);
    cp_strlcpy(c->name, name, sizeof c->name);
    cp_strlcpy(c->rate, key, sizeof c->rate);
    c->kind = d->kind;
    c->tier = d->tier;
    c->group = d->group;
    c->level = d->level;
    c->units = d->units;
    c->service = d->service;
    c->links_per_event = d->links;
    c->ports_per_event = d->ports;
    c->gpus_per_event = d->gpus;
    c->scope = d->scope;
    c->replace_switch = d->replace_switch;
    c->path_share = path_share(x, d);
    c->parts_usd = d->parts_usd;
    if (out)
        *out = c;
    return rate_of(x, key, name, c);
}

/* the scope of a switch, a part of a switch, or the links of a level */
static cp_rel_scope switch_scope(size_t t) { return t == 0 ? CP_SCOPE_LEAF : t == 1 ? CP_SCOPE_POD : CP_SCOPE_TOP; }
static cp_rel_scope part_scope(size_t t) { return t == 0 ? CP_SCOPE_GPU : t == 1 ? CP_SCOPE_POD : CP_SCOPE_TOP; }
static cp_rel_scope level_scope(int l) { return l <= 0 ? CP_SCOPE_GPU : l == 1 ? CP_SCOPE_LEAF_PATH : CP_SCOPE_POD_PATH; }

static double parts(const bx *x, cp_service_kind s) { return x->in->parts_fraction[s]; }

/* "leaf" or "leaf cpo" (the group's name when the design has several) */
static void label(char *buf, size_t n, const cp_fabric_tier *T, size_t g, const char *what)
{
    char tmp[3 * CP_NAME_MAX];
    if (T->design.ngroups > 1)
        snprintf(tmp, sizeof tmp, "%s %s %s", T->name, T->design.group[g].name, what);
    else
        snprintf(tmp, sizeof tmp, "%s %s", T->name, what);
    cp_strlcpy(buf, tmp, n);
}

/* what tier t's switches have in common for its groups' classes */
typedef struct tier_ctx {
    size_t t;
    const cp_fabric_tier *T;
    const cp_fabric_tier_result *tr;
    const cp_fabric_group_use *grp;
    size_t ngroups;
    double per_sw, per_gpu_links, gpus_per_sw, engines_per_sw;
    bool leaf;
} tier_ctx;

static int module_classes(bx *x, const tier_ctx *tc, size_t g)
{
    const cp_port_group *pg = &tc->T->design.group[g];
    const cp_fabric_group_use *u = &tc->grp[g];
    const cp_fabric_result *r = x->r;
    size_t t = tc->t;
    bool up_opt = t + 1 < x->f->ntiers && r->level[t + 1].optical;
    double down = r->level[t].optical ? u->down_ports : 0, up = up_opt ? u->up_ports : 0;
    if (down + up <= 0) /* modules without an optical side: count them facing down */
        down = 1, up = 0;
    double breakout = pg->speed_gbps / tc->T->port_gbps;
    char key[32], name[CP_NAME_MAX];
    snprintf(key, sizeof key, "module_%gg", pg->speed_gbps);
    for (int side = 0; side < 2; side++) {
        int level = (int)t + side;
        label(name, sizeof name, tc->T, g, side ? "modules up" : "modules down");
        cls_def d = {CP_REL_MODULE, (int)t, (int)g, level, u->modules * (side ? up : down) /
                     (down + up), CP_SVC_MODULE, breakout, breakout,
                     level == 0 ? breakout / tc->per_gpu_links : 0, level_scope(level), false,
                     parts(x, CP_SVC_MODULE) * pg->module.price_usd};
        if (add(x, &d, name, key, NULL))
            return -1;
    }
    return 0;
}

static int cpo_classes(bx *x, const tier_ctx *tc, size_t g)
{
    const cp_port_group *pg = &tc->T->design.group[g];
    const cp_fabric_group_use *u = &tc->grp[g];
    const cp_design *d = &tc->T->design;
    int t = (int)tc->t;
    bool det = x->in->detachable_engines;
    double ports = u->down_ports + u->up_ports;
    double down_share = tc->leaf && ports > 0 ? u->down_ports / ports : 0;
    char name[CP_NAME_MAX];
    if (u->engines > 0) {
        double links = det ? u->cpo_ports / u->engines : tc->per_sw;
        label(name, sizeof name, tc->T, g, "CPO engines");
        cls_def e = {CP_REL_ENGINE, t, (int)g, -1, u->engines,
                     det ? CP_SVC_ENGINE : CP_SVC_SWITCH, links, det ? links : tc->tr->radix,
                     u->cpo_ports / u->engines * down_share / tc->per_gpu_links,
                     part_scope((size_t)t), !det,
                     det ? parts(x, CP_SVC_ENGINE) * d->sys.price_usd / fmax(tc->engines_per_sw, 1)
                         : parts(x, CP_SVC_SWITCH) * d->sys.price_usd};
        if (add(x, &e, name, "engine", NULL))
            return -1;
    }
    if (u->lasers <= 0 || u->engines <= 0)
        return 0;
    const cp_laser *la = &pg->laser;
    double lanes_per_link = tc->T->port_gbps / pg->engine.lane_rate_gbps;
    double links = fmax(pg->engine.lanes_per_laser / lanes_per_link, 1);
    label(name, sizeof name, tc->T, g, la->external ? "ELS lasers" : "embedded lasers");
    cls_def l = la->external
        ? (cls_def){CP_REL_ELS_LASER, t, (int)g, -1, u->lasers, CP_SVC_ELS, links, links,
                    links * down_share / tc->per_gpu_links, part_scope((size_t)t), false,
                    parts(x, CP_SVC_ELS) * la->module_price_usd}
        : (cls_def){CP_REL_EMBEDDED_LASER, t, (int)g, -1, u->lasers, CP_SVC_SWITCH, tc->per_sw,
                    tc->tr->radix, links * down_share / tc->per_gpu_links,
                    part_scope((size_t)t), true,
                    parts(x, CP_SVC_SWITCH) * d->sys.price_usd};
    cp_rel_class *c;
    if (add(x, &l, name, la->external ? "els_laser" : "embedded_laser", &c))
        return -1;
    if (c && la->external) {
        c->spares = x->in->spare_lasers_per_els;
        c->group_units = la->lasers_per_module;
    }
    return 0;
}

static int tier_classes(bx *x, size_t t)
{
    const cp_fabric_spec *f = x->f;
    const cp_fabric_result *r = x->r;
    tier_ctx tc = {t, &f->tier[t], &r->tier[t], r->tier[t].grp, r->tier[t].ngroups,
                   0, 0, 0, 0, t == 0};
    const cp_design *d = &tc.T->design;
    if (tc.ngroups == 0 && tc.tr->switches > 0)
        return cp_fail(x->err, f->name, 0, 0, "tier '%s' has no per-port-group figures: "
                       "size the fabric with cp_fabric_eval first", tc.T->name);
    if (tc.ngroups > d->ngroups)
        tc.ngroups = d->ngroups;
    if (!(tc.tr->switches > 0))
        return 0;
    tc.per_sw = tc.tr->ports_used / tc.tr->switches;
    tc.per_gpu_links = f->nics_per_gpu * f->planes;
    tc.gpus_per_sw = tc.leaf ? r->level[0].links / tc.tr->switches / tc.per_gpu_links : 0;
    for (size_t g = 0; g < tc.ngroups; g++)
        tc.engines_per_sw += tc.grp[g].engines / tc.tr->switches;
    char name[CP_NAME_MAX];
    snprintf(name, sizeof name, "%.50s switch", tc.T->name);
    cls_def sw = {CP_REL_SWITCH, (int)t, -1, -1, tc.tr->switches, CP_SVC_SWITCH, tc.per_sw,
                  tc.tr->radix, tc.gpus_per_sw, switch_scope(t), false, parts(x, CP_SVC_SWITCH) *
                  d->sys.price_usd};
    if (add(x, &sw, name, "switch", NULL))
        return -1;
    for (size_t g = 0; g < tc.ngroups; g++) {
        bool cpo = d->group[g].media == CP_MEDIA_CPO;
        if (!cpo && tc.grp[g].modules > 0 && module_classes(x, &tc, g))
            return -1;
        if (cpo && cpo_classes(x, &tc, g))
            return -1;
    }
    return 0;
}

/* link flaps of level l, when `rates` has their key: transient, no repair */
static int flap_class(bx *x, size_t l, const cls_def *links)
{
    const cp_fabric_result *r = x->r;
    bool cpo = cp_design_is_cpo(&x->f->tier[l].design) ||
               (l > 0 && cp_design_is_cpo(&x->f->tier[l - 1].design));
    const char *key = !r->level[l].optical ? "flap_copper" : cpo ? "flap_cpo" : "flap_optical";
    bool have = false;
    for (size_t i = 0; i < x->in->nrates; i++)
        have |= strcmp(x->in->rate[i].key, key) == 0;
    if (!have)
        return 0;
    char name[CP_NAME_MAX];
    snprintf(name, sizeof name, "level %zu link flaps", l);
    cls_def d = *links;
    d.kind = CP_REL_LINK_FLAP;
    d.parts_usd = 0;
    cp_rel_class *c;
    if (add(x, &d, name, key, &c))
        return -1;
    if (c)
        c->transient = true;
    return 0;
}

int cp_rel_use_workload(cp_rel_spec *rel, const cp_rel_inputs *in, size_t k, cp_error *err)
{
    if (k >= in->nworkloads)
        return cp_fail(err, rel->name, 0, 0, "workload %zu of %zu", k + 1, in->nworkloads);
    double n = rel->geo.gpus;
    cp_job *j = &rel->job;
    *j = in->workload[k];
    if (j->spare_share > 0)
        j->spare_gpus = floor(j->spare_share * n);
    if (j->gpus > n)
        return cp_fail(err, rel->name, 0, 0, "workload '%s': a job of %g GPUs exceeds the "
                       "fabric's %g GPUs; give at most %g, or leave it out for the whole "
                       "cluster", j->name, j->gpus, n, n);
    for (size_t s = 0; s < j->nsizes; s++)
        if (j->size[s].gpus > n - j->spare_gpus)
            return cp_fail(err, rel->name, 0, 0, "workload '%s': jobs of %g GPUs exceed the "
                           "%g GPUs of the fabric less %g spares", j->name, j->size[s].gpus,
                           n, j->spare_gpus);
    if (j->spare_gpus >= n)
        return cp_fail(err, rel->name, 0, 0, "workload '%s': %g spare GPUs of %g; keep "
                       "some for the jobs", j->name, j->spare_gpus, n);
    j->cluster_gpus = n;
    return cp_rel_checkpoint_resolve(rel, err); /* `auto`: for these classes */
}

static void geometry(bx *x)
{
    cp_rel_geometry_of(x->f, x->r, x->in->gpus_per_node, &x->rel->geo);
}

/* GPU server faults, when `rates` has gpu_node (a rate per GPU): each
 * strands the GPUs of its server until the server team has it back
 * (response_h.node + hands_on_h.node); the network crew and budget are not
 * involved.  The same in every option: it matters through the jobs it
 * stops, the spare GPUs it holds and the time a job is already down. */
static int node_class(bx *x)
{
    bool has = false;
    for (size_t i = 0; i < x->in->nrates; i++)
        has |= strcmp(x->in->rate[i].key, "gpu_node") == 0;
    if (!has)
        return 0;
    const cp_service *s = &x->rel->svc;
    if (!(s->response_h[CP_SVC_NODE] + s->hands_on_h[CP_SVC_NODE] > 0))
        return cp_fail(x->err, x->f->name, 0, 0, "reliability.rates has gpu_node (GPU server "
                       "faults): give service.response_h.node, the hours until a failed server "
                       "is back");
    cls_def d = {CP_REL_GPU_NODE, -1, -1, -1, x->rel->geo.gpus, CP_SVC_NODE, 0, 0,
                 fmin(x->in->gpus_per_node, x->rel->geo.gpus), CP_SCOPE_GPU, false, 0};
    cp_rel_class *c;
    if (add(x, &d, "GPU servers", "gpu_node", &c))
        return -1;
    if (c)
        c->server_side = true;
    return 0;
}

int cp_rel_classes_build(const cp_fabric_spec *f, const cp_fabric_result *r,
                         const cp_rel_inputs *in, cp_rel_spec *rel, cp_error *err)
{
    bx x = {f, r, in, rel, err};
    rel->nclasses = 0;
    cp_strlcpy(rel->name, f->name, sizeof rel->name);
    geometry(&x);
    for (size_t t = 0; t < f->ntiers; t++)
        if (tier_classes(&x, t))
            return -1;
    double per_gpu_links = f->nics_per_gpu * f->planes;
    char key[32];
    snprintf(key, sizeof key, "module_%gg", f->nic_module.rate_gbps);
    cls_def nic = {CP_REL_NIC_MODULE, -1, -1, 0, r->nic_modules, CP_SVC_MODULE, 1, 0,
                   1 / per_gpu_links, CP_SCOPE_GPU, false,
                   parts(&x, CP_SVC_MODULE) * f->nic_module.price_usd};
    if (add(&x, &nic, "NIC modules", key, NULL))
        return -1;
    for (size_t l = 0; l < f->ntiers; l++) {
        char name[CP_NAME_MAX];
        bool opt = r->level[l].optical;
        snprintf(name, sizeof name, "level %zu %s", l, opt ? "optical cabling" : "copper cables");
        cls_def c = {opt ? CP_REL_CABLE_OPTICAL : CP_REL_CABLE_COPPER, -1, -1, (int)l,
                     r->level[l].links, CP_SVC_CABLE, 1, 0, l == 0 ? 1 / per_gpu_links : 0,
                     level_scope((int)l), false, parts(&x, CP_SVC_CABLE) * in->cable_usd};
        if (add(&x, &c, name, opt ? "fiber" : "copper", NULL) || flap_class(&x, l, &c))
            return -1;
    }
    if (node_class(&x))
        return -1;
    return cp_rel_use_workload(rel, in, 0, err);
}
