/*
 * tco_inputs.c — the uncertain inputs of a TCO case: the figures the TCO
 * depends on that carry a range in the data (src/param_dist.c), found where
 * the scenario takes them, each under a stable name.  Loading parses only;
 * cp_unc_apply sets one figure in a case (by the ratio to its point value, so
 * derived figures follow), for the tornado, the uncertainty analysis and the
 * map alike.
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* figures at fixed places of a fabric scenario */
typedef struct spot {
    const char *path[3];
    const char *name;
    cp_unc_target target;
    int arg;
} spot;

static const spot spots[] = {
    {{"economics", "electricity_usd_per_kwh"}, "electricity_usd_per_kwh", CP_UT_ECONOMICS, CP_ECO_ELECTRICITY},
    {{"economics", "pue"}, "pue", CP_UT_ECONOMICS, CP_ECO_PUE},
    {{"economics", "discount_rate"}, "discount_rate", CP_UT_ECONOMICS, CP_ECO_DISCOUNT},
    {{"economics", "fiber_usd_per_link"}, "fiber_usd_per_link", CP_UT_ECONOMICS, CP_ECO_FIBER},
    {{"economics", "copper_usd_per_link"}, "copper_usd_per_link", CP_UT_ECONOMICS, CP_ECO_COPPER},
    {{"economics", "spares_fraction"}, "spares_fraction", CP_UT_ECONOMICS, CP_ECO_SPARES},
    {{"reliability", "job", "gpu_hour_usd"}, "gpu_hour_usd", CP_UT_GPU_HOUR, 0},
    {{"reliability", "job", "checkpoint_min"}, "checkpoint_min", CP_UT_CHECKPOINT, 0},
    {{"reliability", "job", "restart_min"}, "restart_min", CP_UT_RESTART, 0},
    {{"reliability", "job", "path_interrupt"}, "path_interrupt", CP_UT_PATH_INTERRUPT, 0},
    {{"reliability", "job", "spare_share"}, "spare_share", CP_UT_SPARE_SHARE, 0},
    {{"reliability", "job", "degraded_usd_per_gpu_h"}, "degraded_usd_per_gpu_h", CP_UT_DEGRADED_PRICE, 0},
    {{"reliability", "service", "labour_usd_per_h"}, "labour_usd_per_h", CP_UT_LABOUR, 0},
};

/* service kinds as the scenario's response_h / hands_on_h keys */
static const char *const svc_key[CP_SVC_COUNT] = {"module", "els", "switch", "engine", "cable",
                                                   "node"};

typedef struct lx {
    const cp_catalog *cat;
    cp_pool *pool;
    cp_unc_set *out;
    cp_error *err;
} lx;

/* path from root; "job" stands for the workloads (the one `job`, or the
 * first of reliability.workloads that has the next key: one input for all
 * workloads, applied to each as a multiple of its own point value) */
static const cp_node *at(const cp_node *n, const char *const *path, size_t depth)
{
    for (size_t i = 0; n && i < depth && path[i]; i++) {
        const cp_node *parent = n;
        n = n->kind == CP_NODE_MAP ? cp_node_get(n, path[i]) : NULL;
        if (!n && strcmp(path[i], "job") == 0 && parent->kind == CP_NODE_MAP) {
            const cp_node *wl = cp_node_get(parent, "workloads");
            for (size_t k = 0; !n && wl && wl->kind == CP_NODE_MAP && k < wl->n; k++)
                if (i + 1 >= depth || !path[i + 1] ||
                    (wl->items[k]->kind == CP_NODE_MAP && cp_node_get(wl->items[k], path[i + 1])))
                    n = wl->items[k];
        }
    }
    return n;
}

static bool known(const cp_unc_set *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->in[i].name, name) == 0)
            return true;
    return false;
}

/* the figure at n, when it has a range: one more input */
static int add(lx *x, const cp_node *n, const char *name, cp_unc_target t, int arg,
               const char *key)
{
    if (!n || n->kind != CP_NODE_MAP || known(x->out, name))
        return 0;
    double v;
    cp_dist d;
    const cp_node *why;
    if (cp_param_number(n, &v, x->err) || cp_param_dist(n, v, &d, &why, x->err))
        return -1;
    if (d.kind == CP_DIST_FIXED)
        return 0;
    if (v == 0) /* what the model derives from it scales by value / point value */
        return cp_node_fail(x->err, cp_param_value_node(n), "%s: an uncertain figure needs a "
                            "point value other than 0 (the likely or median value)", name);
    if (x->out->n >= CP_UNC_MAX_INPUTS)
        return cp_node_fail(x->err, n, "more than %d uncertain inputs; give fewer figures a "
                            "range", CP_UNC_MAX_INPUTS);
    cp_unc_input *in = &x->out->in[x->out->n++];
    memset(in, 0, sizeof *in);
    cp_strlcpy(in->name, name, sizeof in->name);
    cp_strlcpy(in->key, key ? key : "", sizeof in->key);
    in->target = t;
    in->arg = arg;
    in->dist = d;
    cp_strlcpy(in->why, why->scalar, sizeof in->why);
    const cp_node *vn = cp_param_value_node(n);
    cp_strlcpy(in->file, vn->file ? vn->file : "", sizeof in->file);
    in->line = vn->line;
    in->col = vn->col;
    return 0;
}

static int named(lx *x, const cp_node *n, const char *what, const char *suffix,
                 cp_unc_target t, const char *key)
{
    char name[CP_NAME_MAX];
    if (snprintf(name, sizeof name, "%s%s", what, suffix) >= (int)sizeof name)
        return cp_node_fail(x->err, n, "the name '%s' is too long for an uncertain input", what);
    return add(x, n, name, t, 0, key);
}

/* fit of the failure entry of each key of reliability.rates: <key>_fit */
static int rates(lx *x, const cp_node *root)
{
    static const char *const p[] = {"reliability", "rates"};
    const cp_node *r = at(root, p, 2);
    for (size_t i = 0; r && r->kind == CP_NODE_MAP && i < r->n; i++) {
        const cp_node *e = cp_catalog_resolve(x->cat, x->pool, "failure", r->items[i], x->err);
        if (!e || named(x, cp_node_get(e, "fit"), r->items[i]->key, "_fit", CP_UT_RATE,
                        r->items[i]->key))
            return -1;
    }
    return 0;
}

/* a catalog entry's price: <entry>_price_usd */
static int entry_price(lx *x, const char *cls, const cp_node *ref, const char *field,
                       cp_unc_target t)
{
    if (!ref)
        return 0;
    const cp_node *e = cp_catalog_resolve(x->cat, x->pool, cls, ref, x->err);
    const char *nm = e ? cp_node_name(e) : NULL;
    if (!e)
        return -1;
    return nm ? named(x, cp_node_get(e, field), nm, "_price_usd", t, nm) : 0;
}

/* each tier's switch design (its system price) and the transceivers and
 * laser modules of its port groups; the NIC-side transceiver */
static int prices(lx *x, const cp_node *root)
{
    static const char *const p[] = {"fabric", "tiers"}, *const nic[] = {"fabric", "nic_module"};
    static const char *const price[] = {"system", "price_usd"};
    const cp_node *tiers = at(root, p, 2);
    for (size_t i = 0; tiers && tiers->kind == CP_NODE_SEQ && i < tiers->n; i++) {
        const cp_node *sw = cp_node_get(tiers->items[i], "switch");
        char path[2 * CP_TEXT_MAX];
        if (!sw || cp_switch_path(sw, path, sizeof path, x->err))
            return sw ? -1 : 0;
        const cp_node *t = cp_scenario_tree(x->pool, path, NULL, 0, x->err);
        const cp_node *nm = t ? cp_node_get(t, "name") : NULL;
        if (!t)
            return -1;
        if (nm && nm->kind == CP_NODE_SCALAR &&
            named(x, at(t, price, 2), nm->scalar, "_price_usd", CP_UT_SWITCH_PRICE, nm->scalar))
            return -1;
        const cp_node *ports = cp_node_get(t, "ports");
        for (size_t g = 0; ports && ports->kind == CP_NODE_SEQ && g < ports->n; g++)
            if (entry_price(x, "module", cp_node_get(ports->items[g], "module"), "price_usd",
                            CP_UT_MODULE_PRICE) ||
                entry_price(x, "laser", cp_node_get(ports->items[g], "laser"),
                            "module_price_usd", CP_UT_LASER_PRICE))
                return -1;
    }
    return entry_price(x, "module", at(root, nic, 2), "price_usd", CP_UT_MODULE_PRICE);
}

static int unc_binder(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    lx *x = ctx;
    (void)err; /* reported through x->err */
    x->pool = pool;
    for (size_t i = 0; i < sizeof spots / sizeof *spots; i++)
        if (add(x, at(root, spots[i].path, 3), spots[i].name, spots[i].target, spots[i].arg,
                NULL))
            return -1;
    static const char *const resp[] = {"reliability", "service", "response_h"},
                             *const hands[] = {"reliability", "service", "hands_on_h"};
    for (int k = 0; k < CP_SVC_COUNT; k++) {
        char name[CP_NAME_MAX];
        snprintf(name, sizeof name, "%s_response_h", svc_key[k]);
        if (add(x, cp_node_get(at(root, resp, 3), svc_key[k]),
                k == CP_SVC_SWITCH ? "switch_replacement_h" : name, CP_UT_RESPONSE, k, NULL))
            return -1;
        snprintf(name, sizeof name, "%s_hands_on_h", svc_key[k]);
        if (add(x, cp_node_get(at(root, hands, 3), svc_key[k]), name, CP_UT_HANDS_ON, k, NULL))
            return -1;
    }
    return rates(x, root) || prices(x, root) ? -1 : 0;
}

int cp_unc_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_unc_set *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    lx x = {cat, NULL, out, err};
    return cp_scenario_bind(path, sets, nsets, unc_binder, &x, err);
}

int cp_unc_find(const cp_unc_set *s, const char *name, cp_error *err)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->in[i].name, name) == 0)
            return (int)i;
    char list[800] = "";
    for (size_t i = 0, at_ = 0; i < s->n && at_ < sizeof list; i++)
        at_ += (size_t)snprintf(list + at_, sizeof list - at_, "%s%s", i ? ", " : "",
                                s->in[i].name);
    return cp_fail(err, "uncertainty", 0, 0, "no uncertain input '%s'; the options have: %s",
                   name, s->n ? list : "(none: no figure they use carries a range)");
}

/* does input `in` act on anything in case c (a class of its rate key, a
 * tier's switch, transceiver or laser module of its name)? */
static bool acts(const cp_tco_case *c, const cp_unc_input *in)
{
    if (in->target == CP_UT_RATE) {
        for (size_t k = 0; k < c->rel.nclasses; k++)
            if (strcmp(c->rel.cls[k].rate, in->key) == 0 && c->rel.cls[k].units > 0)
                return true;
        return false;
    }
    if (in->target < CP_UT_SWITCH_PRICE)
        return true;
    bool found = in->target == CP_UT_MODULE_PRICE &&
                 strcmp(c->fabric.nic_module.name, in->key) == 0 && c->fr.nic_modules > 0;
    for (size_t i = 0; i < c->fabric.ntiers; i++) {
        const cp_design *d = &c->fabric.tier[i].design;
        found |= in->target == CP_UT_SWITCH_PRICE && strcmp(d->name, in->key) == 0;
        for (size_t g = 0; g < d->ngroups; g++)
            found |= (in->target == CP_UT_MODULE_PRICE &&
                      strcmp(d->group[g].module.name, in->key) == 0) ||
                     (in->target == CP_UT_LASER_PRICE &&
                      strcmp(d->group[g].laser.name, in->key) == 0);
    }
    return found;
}

int cp_unc_merge(const cp_tco_case *a, const cp_tco_case *b, cp_unc_set *out, bool *in_a,
                 bool *in_b, cp_error *err)
{
    const cp_unc_set *s[2] = {&b->unc, &a->unc};
    memset(out, 0, sizeof *out);
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < s[k]->n; i++) {
            if (known(out, s[k]->in[i].name) || !acts(k ? a : b, &s[k]->in[i]))
                continue;
            if (out->n >= CP_UNC_MAX_INPUTS)
                return cp_fail(err, b->fabric.name, 0, 0, "the two options have more than %d "
                               "uncertain inputs together", CP_UNC_MAX_INPUTS);
            out->in[out->n++] = s[k]->in[i];
        }
    for (size_t i = 0; i < out->n; i++) {
        int ia = cp_unc_find(&a->unc, out->in[i].name, NULL),
            ib = cp_unc_find(&b->unc, out->in[i].name, NULL);
        if (in_a)
            in_a[i] = ia >= 0 && acts(a, &a->unc.in[ia]);
        if (in_b)
            in_b[i] = ib >= 0 && acts(b, &b->unc.in[ib]);
    }
    return 0;
}

static double *eco_field(cp_economics *e, int f)
{
    switch (f) {
    case CP_ECO_ELECTRICITY:
        return &e->electricity_usd_per_kwh;
    case CP_ECO_PUE:
        return &e->pue;
    case CP_ECO_DISCOUNT:
        return &e->discount_rate;
    case CP_ECO_FIBER:
        return &e->fiber_usd_per_link;
    case CP_ECO_COPPER:
        return &e->copper_usd_per_link;
    default:
        return &e->spares_fraction;
    }
}

static void scale_design_prices(cp_tco_case *c, const cp_unc_input *in, double m)
{
    for (size_t i = 0; i < c->fabric.ntiers; i++) {
        cp_design *d = &c->fabric.tier[i].design;
        if (in->target == CP_UT_SWITCH_PRICE && strcmp(d->name, in->key) == 0)
            d->sys.price_usd *= m;
        for (size_t g = 0; g < d->ngroups; g++) {
            if (in->target == CP_UT_MODULE_PRICE && strcmp(d->group[g].module.name, in->key) == 0)
                d->group[g].module.price_usd *= m;
            if (in->target == CP_UT_LASER_PRICE && strcmp(d->group[g].laser.name, in->key) == 0)
                d->group[g].laser.module_price_usd *= m;
        }
    }
    if (in->target == CP_UT_MODULE_PRICE && strcmp(c->fabric.nic_module.name, in->key) == 0)
        c->fabric.nic_module.price_usd *= m;
}

void cp_unc_apply(cp_tco_case *c, const cp_unc_input *in, double value)
{
    int own = cp_unc_find(&c->unc, in->name, NULL);
    if (own < 0)
        return; /* not a figure of this option */
    in = &c->unc.in[own];
    double m = value / in->dist.value; /* never 0: refused at loading */
    cp_rel_spec *rel = &c->rel;
    switch (in->target) {
    case CP_UT_ECONOMICS:
        *eco_field(&c->eco, in->arg) *= m;
        return;
    case CP_UT_GPU_HOUR:
        rel->job.gpu_hour_usd *= m;
        return;
    case CP_UT_CHECKPOINT:
        rel->job.checkpoint_h *= m;
        return;
    case CP_UT_RESTART:
        rel->job.restart_h *= m;
        return;
    case CP_UT_PATH_INTERRUPT:
        rel->job.path_interrupt = fmin(rel->job.path_interrupt * m, 1);
        return;
    case CP_UT_SPARE_SHARE: /* as cp_rel_use_workload derives the spare GPUs */
        if (rel->job.spare_share > 0) {
            rel->job.spare_share *= m;
            rel->job.spare_gpus = floor(rel->job.spare_share * rel->job.cluster_gpus);
        } else {
            rel->job.spare_gpus = floor(rel->job.spare_gpus * m);
        }
        return;
    case CP_UT_DEGRADED_PRICE:
        rel->job.degraded_usd_per_gpu_h *= m;
        return;
    case CP_UT_LABOUR:
        rel->svc.labour_usd_per_h *= m;
        return;
    case CP_UT_RESPONSE:
        rel->svc.response_h[in->arg] *= m;
        return;
    case CP_UT_HANDS_ON:
        rel->svc.hands_on_h[in->arg] *= m;
        return;
    case CP_UT_RATE:
        for (size_t k = 0; k < rel->nclasses; k++)
            if (strcmp(rel->cls[k].rate, in->key) == 0)
                rel->cls[k].fail_per_h *= m;
        return;
    default:
        scale_design_prices(c, in, m);
        return;
    }
}
