/*
 * traffic_scenario.c — the `traffic:` section of a fabric scenario: the job
 * (its GPUs and placement, the collective, message size, per-step latency)
 * and the failure cases (links and switches out).  It parses only; the run
 * is cp_traffic_run (traffic.c).
 *
 *   traffic:
 *     job: {gpus: 16384, placement: contiguous, collective: ring-allreduce,
 *           message_mb: 1024, alpha_us: 5}
 *     cases:
 *       - {name: one link down, links: [{level: 1, index: 0}]}
 *       - {name: spine drained, switches: [{tier: spine, index: 0}]}
 *       - {name: a leaf module, ports: [{tier: leaf, switch: 0, port: 64, count: 2}]}
 *       - {name: plane 1 down, planes: [1]}
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Message sizes from one byte to 1 TB per GPU; per-step latency up to 1 s:
 * beyond any collective a fabric runs. */
#define MAX_MESSAGE_MB 1e6
#define MAX_ALPHA_US 1e6
/* the largest index of a link or switch (graph nodes are 32-bit) */
#define MAX_INDEX 4e9

typedef struct {
    double gpus, mb, alpha_us, seed, per_node;
    int collective, placement, flows, failover;
} job_t;
static const cp_field job_fields[] = {
    {"gpus", CP_F_INT, offsetof(job_t, gpus), 0, false, 1, 1e8, NULL},
    {"placement", CP_F_ENUM, offsetof(job_t, placement), 0, false, 0, 0, "contiguous|scattered"},
    {"gpus_per_node", CP_F_INT, offsetof(job_t, per_node), 0, false, 1, 1024, NULL},
    {"collective", CP_F_ENUM, offsetof(job_t, collective), 0, true, 0, 0,
     "ring-allreduce|tree-allreduce|reduce-scatter|all-gather|all-to-all|permutation|"
     "uniform|hot-spot"},
    {"message_mb", CP_F_NUM, offsetof(job_t, mb), 0, true, 1e-6, MAX_MESSAGE_MB, NULL},
    {"alpha_us", CP_F_NUM, offsetof(job_t, alpha_us), 0, false, 0, MAX_ALPHA_US, NULL},
    {"seed", CP_F_INT, offsetof(job_t, seed), 0, false, 0, 4e9, NULL},
    {"flows", CP_F_ENUM, offsetof(job_t, flows), 0, false, 0, 0, "aggregated|per-flow"},
    {"nic_failover", CP_F_ENUM, offsetof(job_t, failover), 0, false, 0, 0, "none|spray"},
};

typedef struct {
    double level, index, sw, port, count;
} place_t;
static const cp_field link_fields[] = {
    {"level", CP_F_INT, offsetof(place_t, level), 0, true, 0, CP_MAX_TIERS - 1, NULL},
    {"index", CP_F_INT, offsetof(place_t, index), 0, true, 0, MAX_INDEX, NULL},
    {"count", CP_F_INT, offsetof(place_t, count), 0, false, 1, MAX_INDEX, NULL},
};
static const cp_field switch_fields[] = {
    {"index", CP_F_INT, offsetof(place_t, index), 0, true, 0, MAX_INDEX, NULL},
};
static const cp_field port_fields[] = {
    {"switch", CP_F_INT, offsetof(place_t, sw), 0, true, 0, MAX_INDEX, NULL},
    {"port", CP_F_INT, offsetof(place_t, port), 0, true, 0, MAX_INDEX, NULL},
    {"count", CP_F_INT, offsetof(place_t, count), 0, false, 1, MAX_INDEX, NULL},
};

#define N(a) (sizeof(a) / sizeof *(a))

static void origin_of(const cp_node *n, cp_error *o)
{
    memset(o, 0, sizeof *o);
    cp_strlcpy(o->file, n->file ? n->file : "", sizeof o->file);
    o->line = n->line, o->col = n->col;
}

static void outage_at(const cp_node *n, cp_outage *o)
{
    cp_strlcpy(o->file, n->file ? n->file : "", sizeof o->file);
    o->line = n->line, o->col = n->col;
}

/* a tier by the name fabric.tiers gives it, or by its number */
static int tier_of(const cp_node *root, const cp_node *v, size_t *out, cp_error *err)
{
    const cp_node *fab = cp_node_get(root, "fabric");
    const cp_node *tiers = fab ? cp_node_get(fab, "tiers") : NULL;
    size_t nt = tiers && tiers->kind == CP_NODE_SEQ ? tiers->n : 0;
    if (!v || v->kind != CP_NODE_SCALAR)
        return cp_node_fail(err, v, "'tier' names a tier of fabric.tiers or gives its number");
    char names[256] = "";
    for (size_t i = 0; i < nt; i++) {
        const cp_node *nm = cp_node_get(tiers->items[i], "name");
        if (nm && nm->kind == CP_NODE_SCALAR && strcmp(nm->scalar, v->scalar) == 0)
            return *out = i, 0;
        size_t at = strlen(names);
        snprintf(names + at, sizeof names - at, "%s%s", at ? ", " : "",
                 nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "?");
    }
    char *end;
    double x = strtod(v->scalar, &end);
    if (end != v->scalar && !*end && x >= 0 && x < (double)nt && x == floor(x))
        return *out = (size_t)x, 0;
    return cp_node_fail(err, v, "no tier '%s'; expected one of: %s (or 0..%zu)", v->scalar,
                        names, nt ? nt - 1 : 0);
}

/* what a list item of `links`, `switches`, `ports` or `planes` is */
static const char *const item_form[] = {"a link is {level, index[, count]}",
                                        "a switch is {tier, index}",
                                        "a port is {tier, switch, port[, count]}",
                                        "a plane is its number"};
static const char *const list_key[] = {"links", "switches", "ports", "planes"};

static int bind_one(const cp_node *root, const cp_node *it, cp_outage *o, cp_error *err)
{
    place_t v = {0, 0, 0, 0, 0};
    if (o->kind == CP_OUT_PLANE) {
        if (it->kind != CP_NODE_SCALAR || cp_param_number(it, &o->index, err) ||
            !(o->index >= 0 && o->index <= MAX_INDEX && o->index == floor(o->index)))
            return cp_node_fail(err, it, "%s (0, 1, ...)", item_form[o->kind]);
        return 0;
    }
    if (it->kind != CP_NODE_MAP)
        return cp_node_fail(err, it, "%s", item_form[o->kind]);
    static const char *const tier_extra[] = {"tier", "note", NULL};
    bool link = o->kind == CP_OUT_LINK;
    cp_bind_ctx bc = {it, link ? "a link" : o->kind == CP_OUT_PORT ? "a port" : "a switch",
                      link ? tier_extra + 1 : tier_extra};
    if (link) {
        if (cp_bind(&bc, link_fields, N(link_fields), &v, err))
            return -1;
        o->level = (size_t)v.level, o->index = v.index, o->count = v.count;
        return 0;
    }
    if (!cp_node_get(it, "tier"))
        return cp_node_fail(err, it, "missing required field 'tier' in %s", bc.what);
    bool port = o->kind == CP_OUT_PORT;
    if ((port ? cp_bind(&bc, port_fields, N(port_fields), &v, err)
              : cp_bind(&bc, switch_fields, N(switch_fields), &v, err)) ||
        tier_of(root, cp_param_value_node(cp_node_get(it, "tier")), &o->level, err))
        return -1;
    o->index = port ? v.sw : v.index;
    o->port = v.port, o->count = v.count;
    return 0;
}

static int bind_outages(const cp_node *root, const cp_node *list, cp_outage_kind kind,
                        cp_traffic_case *c, cp_error *err)
{
    if (!list)
        return 0;
    if (list->kind != CP_NODE_SEQ)
        return cp_node_fail(err, list, "'%s' is a list: %s", list_key[kind], item_form[kind]);
    for (size_t i = 0; i < list->n; i++) {
        const cp_node *it = list->items[i];
        if (c->nout >= CP_TRAFFIC_MAX_OUTAGES)
            return cp_node_fail(err, it, "more than %d outages in one case",
                                CP_TRAFFIC_MAX_OUTAGES);
        cp_outage *o = &c->out[c->nout++];
        memset(o, 0, sizeof *o);
        o->kind = kind;
        outage_at(it, o);
        if (bind_one(root, it, o, err))
            return -1;
    }
    return 0;
}

static int bind_cases(const cp_node *root, const cp_node *cases, cp_traffic_spec *t,
                      cp_error *err)
{
    if (!cases)
        return 0;
    if (cases->kind != CP_NODE_SEQ)
        return cp_node_fail(err, cases, "'cases' is a list of {name, links, switches, ports, "
                            "planes}");
    if (cases->n > CP_TRAFFIC_MAX_CASES)
        return cp_node_fail(err, cases, "%zu cases; at most %d", cases->n,
                            CP_TRAFFIC_MAX_CASES);
    for (size_t i = 0; i < cases->n; i++) {
        const cp_node *it = cases->items[i];
        static const char *const keys[] = {"name", "links", "switches", "ports", "planes",
                                           "note", NULL};
        const char *name = cp_item_name(it, "case", err);
        if (!name || cp_check_keys(it, "a case", keys, err))
            return -1;
        cp_traffic_case *c = &t->cs[t->ncases++];
        cp_strlcpy(c->name, name, sizeof c->name);
        for (int k = CP_OUT_LINK; k <= CP_OUT_PLANE; k++)
            if (bind_outages(root, cp_node_get(it, list_key[k]), (cp_outage_kind)k, c, err))
                return -1;
        if (c->nout == 0)
            return cp_node_fail(err, it, "case '%s' takes nothing out: give 'links', "
                                "'switches', 'ports' or 'planes'", name);
    }
    return 0;
}

static int bind_traffic(const cp_node *root, cp_traffic_spec *t, cp_error *err)
{
    const cp_node *tr = cp_node_get(root, "traffic");
    if (!tr || tr->kind != CP_NODE_MAP)
        return cp_node_fail(err, tr ? tr : root, "the scenario needs a 'traffic' mapping "
                            "(job, cases)");
    static const char *const keys[] = {"job", "cases", "note", NULL};
    if (cp_check_keys(tr, "traffic", keys, err))
        return -1;
    job_t v = {.per_node = 8, .seed = 1, .placement = -1, .flows = -1, .failover = -1};
    static const char *const extra[] = {"note", NULL};
    if (cp_bind_child(tr, "job", "traffic.job", job_fields, N(job_fields), &v, true, extra, err))
        return -1;
    t->gpus = v.gpus;
    t->placement = v.placement == 1 ? CP_PLACE_SCATTERED : CP_PLACE_CONTIGUOUS;
    t->gpus_per_node = v.per_node;
    t->collective = (cp_collective)v.collective;
    t->message_bytes = v.mb * 1e6;
    t->alpha_s = v.alpha_us * 1e-6;
    t->seed = (unsigned long)v.seed;
    t->per_flow = v.flows == 1;
    t->nic_spray = v.failover == 1;
    origin_of(cp_node_get(tr, "job"), &t->origin);
    return bind_cases(root, cp_node_get(tr, "cases"), t, err);
}

static int traffic_binder(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    (void)pool;
    return bind_traffic(root, ctx, err);
}

int cp_traffic_load(const char *path, const char *const *sets, size_t nsets,
                    cp_traffic_spec *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    return cp_scenario_bind(path, sets, nsets, traffic_binder, out, err);
}

/* TIER of f by name or number */
static int parse_tier(const cp_fabric_spec *f, const char *text, const char *where,
                      const char *what, bool names, size_t *out, cp_error *err)
{
    for (size_t i = 0; names && i < f->ntiers; i++)
        if (strcmp(f->tier[i].name, where) == 0)
            return *out = i, 0;
    char *end;
    double l = strtod(where, &end);
    if (end == where || *end || !(l >= 0 && l < (double)f->ntiers && l == floor(l)))
        return cp_fail(err, what, 0, 0, "'%s': no %s '%s'; the fabric has %s 0..%zu%s", text,
                       names ? "tier" : "level", where, names ? "tiers" : "levels",
                       f->ntiers - 1, names ? " (or a tier's name)" : "");
    *out = (size_t)l;
    return 0;
}

static bool index_ok(double x)
{
    return x >= 0 && x <= MAX_INDEX && x == floor(x);
}

int cp_outage_parse(const cp_fabric_spec *f, const char *text, const char *what,
                    cp_outage *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    cp_strlcpy(out->file, what, sizeof out->file);
    char kind[16] = "", where[CP_NAME_MAX] = "";
    double index = -1, port = -1;
    int used = 0;
    if (sscanf(text, "plane:%lf%n", &index, &used) == 1 && text[used] == '\0' &&
        index_ok(index)) {
        out->kind = CP_OUT_PLANE, out->index = index;
        return 0;
    }
    used = 0;
    if (sscanf(text, "port:%63[^:]:%lf:%lf%n", where, &index, &port, &used) == 3 &&
        text[used] == '\0' && index_ok(index) && index_ok(port)) {
        out->kind = CP_OUT_PORT, out->index = index, out->port = port;
        return parse_tier(f, text, where, what, true, &out->level, err);
    }
    used = 0;
    if (sscanf(text, "%15[a-z]:%63[^:]:%lf%n", kind, where, &index, &used) != 3 ||
        text[used] != '\0' || !index_ok(index) ||
        (strcmp(kind, "link") != 0 && strcmp(kind, "switch") != 0))
        return cp_fail(err, what, 0, 0, "'%s': expected link:LEVEL:INDEX, switch:TIER:INDEX, "
                       "port:TIER:SWITCH:PORT or plane:P (e.g. link:1:0, switch:spine:3, "
                       "port:leaf:0:64, plane:1)", text);
    out->kind = kind[0] == 'l' ? CP_OUT_LINK : CP_OUT_SWITCH;
    out->index = index;
    return parse_tier(f, text, where, what, out->kind == CP_OUT_SWITCH, &out->level, err);
}
