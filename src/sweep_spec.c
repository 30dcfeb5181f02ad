/*
 * sweep_spec.c — the `sweep:` section of a sweep spec: the base scenario and
 * command, the parameters (--set paths with a list of values, a lin/log
 * range, or a distribution), the design, the outputs (named as in the
 * command's JSON), constraints and objectives.  Parsing only.
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#define N(a) (sizeof(a) / sizeof *(a))

typedef struct {
    int command, design;
    double points, seed;
    char scenario[CP_TEXT_MAX], vs[CP_TEXT_MAX];
    bool fast;
} top_t;
static const cp_field top_fields[] = {
    {"command", CP_F_ENUM, offsetof(top_t, command), 0, true, 0, 0,
     "eval|fabric|thermal|reliability|tco|yield|comply"},
    {"scenario", CP_F_STR, offsetof(top_t, scenario), CP_TEXT_MAX, true, 0, 0, NULL},
    {"vs", CP_F_STR, offsetof(top_t, vs), CP_TEXT_MAX, false, 0, 0, NULL},
    {"design", CP_F_ENUM, offsetof(top_t, design), 0, false, 0, 0, "grid|random|lhs|sobol"},
    {"points", CP_F_INT, offsetof(top_t, points), 0, false, 1, CP_SWEEP_MAX_POINTS, NULL},
    {"seed", CP_F_INT, offsetof(top_t, seed), 0, false, 0, 4294967295.0, NULL},
    {"fast_path", CP_F_BOOL, offsetof(top_t, fast), 0, false, 0, 0, NULL},
};

typedef struct {
    char set[CP_TEXT_MAX];
    double from, to, steps, median, ef, low, likely, high, mean, sd;
    int scale, dist;
} param_t;
static const cp_field param_fields[] = {
    {"set", CP_F_STR, offsetof(param_t, set), CP_TEXT_MAX, true, 0, 0, NULL},
    {"from", CP_F_NUM, offsetof(param_t, from), 0, false, -1e300, 1e300, NULL},
    {"to", CP_F_NUM, offsetof(param_t, to), 0, false, -1e300, 1e300, NULL},
    {"steps", CP_F_INT, offsetof(param_t, steps), 0, false, 1, CP_SWEEP_MAX_VALUES * 1e4, NULL},
    {"scale", CP_F_ENUM, offsetof(param_t, scale), 0, false, 0, 0, "lin|log"},
    {"dist", CP_F_ENUM, offsetof(param_t, dist), 0, false, 0, 0,
     "fixed|uniform|loguniform|triangular|lognormal|normal"},
    {"median", CP_F_NUM, offsetof(param_t, median), 0, false, -1e300, 1e300, NULL},
    {"error_factor", CP_F_NUM, offsetof(param_t, ef), 0, false, 1, 1e6, NULL},
    {"low", CP_F_NUM, offsetof(param_t, low), 0, false, -1e300, 1e300, NULL},
    {"likely", CP_F_NUM, offsetof(param_t, likely), 0, false, -1e300, 1e300, NULL},
    {"high", CP_F_NUM, offsetof(param_t, high), 0, false, -1e300, 1e300, NULL},
    {"mean", CP_F_NUM, offsetof(param_t, mean), 0, false, -1e300, 1e300, NULL},
    {"sd", CP_F_NUM, offsetof(param_t, sd), 0, false, 0, 1e300, NULL},
};

typedef struct {
    char output[CP_NAME_MAX];
    double min, max;
    int goal;
} rule_t;
static const cp_field constraint_fields[] = {
    {"output", CP_F_STR, offsetof(rule_t, output), CP_NAME_MAX, true, 0, 0, NULL},
    {"min", CP_F_NUM, offsetof(rule_t, min), 0, false, -1e300, 1e300, NULL},
    {"max", CP_F_NUM, offsetof(rule_t, max), 0, false, -1e300, 1e300, NULL},
};
static const cp_field objective_fields[] = {
    {"output", CP_F_STR, offsetof(rule_t, output), CP_NAME_MAX, true, 0, 0, NULL},
    {"goal", CP_F_ENUM, offsetof(rule_t, goal), 0, true, 0, 0, "min|max"},
};

static cp_metric_set metric_set(const cp_sweep_spec *s)
{
    static const cp_metric_set set[] = {
        [CP_SWEEP_EVAL] = CP_METRICS_EVAL, [CP_SWEEP_FABRIC] = CP_METRICS_FABRIC,
        [CP_SWEEP_THERMAL] = CP_METRICS_THERMAL,
        [CP_SWEEP_RELIABILITY] = CP_METRICS_RELIABILITY, [CP_SWEEP_TCO] = CP_METRICS_TCO,
        [CP_SWEEP_YIELD] = CP_METRICS_YIELD, [CP_SWEEP_COMPLY] = CP_METRICS_COMPLY};
    return set[s->command];
}

static int bind_values(const cp_node *v, cp_sweep_param *p, cp_error *err)
{
    if (v->kind != CP_NODE_SEQ || v->n == 0 || v->n > CP_SWEEP_MAX_VALUES)
        return cp_node_fail(err, v, "'values' must list 1..%d numbers", CP_SWEEP_MAX_VALUES);
    for (size_t k = 0; k < v->n; k++)
        if (cp_param_number(v->items[k], &p->values[k], err))
            return -1;
    p->nvalues = v->n;
    return 0;
}

static int bind_param(const cp_node *n, const cp_sweep_spec *s, cp_sweep_param *p,
                      cp_error *err)
{
    static const char *const extra[] = {"values", "note", NULL};
    param_t v = {.ef = 0, .dist = -1};
    cp_bind_ctx ctx = {n, "a sweep parameter", extra};
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "a sweep parameter is a mapping with 'set' and "
                            "'values', 'from'/'to' or 'dist'");
    if (cp_bind(&ctx, param_fields, N(param_fields), &v, err))
        return -1;
    cp_strlcpy(p->path, v.set, sizeof p->path);
    if (strchr(p->path, '=') || !p->path[0])
        return cp_node_fail(err, cp_node_get(n, "set"), "'set' is a path such as "
                            "ports.cpo.laser.output_power_dbm, without '='");
    const cp_node *vals = cp_node_get(n, "values");
    bool has_range = cp_node_get(n, "from") || cp_node_get(n, "to");
    bool has_dist = cp_node_get(n, "dist") != NULL;
    if ((vals != NULL) + has_range + has_dist != 1)
        return cp_node_fail(err, n, "sweep parameter '%s' needs exactly one of 'values', "
                            "'from'/'to' or 'dist'", p->path);
    if (vals)
        return bind_values(vals, p, err);
    if (has_range) {
        if (!cp_node_get(n, "from") || !cp_node_get(n, "to"))
            return cp_node_fail(err, n, "sweep parameter '%s': a range needs 'from' and 'to'",
                                p->path);
        p->range = true;
        p->from = v.from, p->to = v.to, p->log_scale = v.scale == 1;
        p->steps = cp_node_get(n, "steps") ? (size_t)v.steps : 0;
        if (p->log_scale && !(v.from > 0 && v.to > 0))
            return cp_node_fail(err, n, "sweep parameter '%s': a log range needs from > 0 "
                                "and to > 0", p->path);
        if (s->design == CP_DOE_GRID && p->steps < 1)
            return cp_node_fail(err, n, "sweep parameter '%s': a grid needs 'steps' "
                                "(points of the range, ends included)", p->path);
        return 0;
    }
    if (s->design == CP_DOE_GRID)
        return cp_node_fail(err, n, "sweep parameter '%s': a distribution needs a random "
                            "design (random, lhs or sobol), not a grid", p->path);
    p->has_dist = true;
    cp_dist *d = &p->dist;
    d->kind = (cp_dist_kind)v.dist;
    d->lo = v.low, d->hi = v.high, d->sd = v.sd, d->error_factor = v.ef;
    d->value = d->kind == CP_DIST_LOGNORMAL ? v.median
               : d->kind == CP_DIST_NORMAL ? v.mean : v.likely;
    char what[CP_TEXT_MAX + 32];
    snprintf(what, sizeof what, "sweep parameter '%s'", p->path);
    if (cp_dist_check(d, what, err))
        return cp_node_fail(err, n, "%s", err->msg);
    return 0;
}

static int bind_rules(const cp_node *root, const char *key, const cp_field *f, size_t nf,
                      const cp_sweep_spec *s, cp_sweep_rule *out, size_t *n, size_t max,
                      bool objective, cp_error *err)
{
    const cp_node *seq = cp_node_get(root, key);
    if (!seq)
        return 0;
    if (seq->kind != CP_NODE_SEQ || seq->n > max)
        return cp_node_fail(err, seq, "'%s' must list at most %zu items", key, max);
    for (size_t i = 0; i < seq->n; i++) {
        rule_t v = {.min = -INFINITY, .max = INFINITY};
        static const char *const extra[] = {"note", NULL};
        cp_bind_ctx ctx = {seq->items[i], key, extra};
        if (seq->items[i]->kind != CP_NODE_MAP)
            return cp_node_fail(err, seq->items[i], "each of '%s' is a mapping with 'output'",
                                key);
        if (cp_bind(&ctx, f, nf, &v, err))
            return -1;
        cp_sweep_rule *r = &out[i];
        cp_strlcpy(r->output, v.output, sizeof r->output);
        r->min = v.min, r->max = v.max, r->maximize = objective && v.goal == 1;
        r->id = cp_metric_id(metric_set(s), r->output, err);
        if (r->id < 0)
            return cp_node_fail(err, cp_node_get(seq->items[i], "output"), "%s", err->msg);
        if (!objective && !(r->min <= r->max))
            return cp_node_fail(err, seq->items[i], "constraint on '%s': min must not exceed "
                                "max", r->output);
    }
    *n = seq->n;
    return 0;
}

static int bind_sweep(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    (void)pool;
    cp_sweep_spec *s = ctx;
    static const char *const top[] = {"name", "title", "description", "sweep", "note", NULL};
    cp_bind_ctx tctx = {root, "a sweep spec", top};
    if (cp_bind(&tctx, NULL, 0, NULL, err))
        return -1;
    const cp_node *nm = cp_node_get(root, "name");
    cp_strlcpy(s->name, nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "sweep", CP_NAME_MAX);
    const cp_node *sw = cp_node_get(root, "sweep");
    if (!sw || sw->kind != CP_NODE_MAP)
        return cp_node_fail(err, sw ? sw : root, "a sweep spec needs a 'sweep' mapping");
    static const char *const extra[] = {"parameters", "outputs", "constraints",
                                        "objectives", "note", NULL};
    top_t t = {.design = CP_DOE_GRID, .points = 0, .seed = 1, .fast = true};
    cp_bind_ctx ctx2 = {sw, "sweep", extra};
    if (cp_bind(&ctx2, top_fields, N(top_fields), &t, err))
        return -1;
    s->command = (cp_sweep_cmd)t.command;
    s->design = (cp_doe_kind)t.design;
    s->seed = (unsigned long)t.seed;
    s->full_load = !t.fast;
    cp_strlcpy(s->scenario, t.scenario, sizeof s->scenario);
    cp_strlcpy(s->vs, t.vs, sizeof s->vs);
    if ((s->command == CP_SWEEP_TCO) != (s->vs[0] != '\0'))
        return cp_node_fail(err, s->vs[0] ? cp_node_get(sw, "vs") : sw,
                            s->vs[0] ? "'vs' (option B) belongs to a tco sweep only"
                                     : "a tco sweep needs 'vs': the fabric scenario of "
                                       "option B (scenario is option A)");
    if (s->design != CP_DOE_GRID && !cp_node_get(sw, "points"))
        return cp_node_fail(err, sw, "a %s design needs 'points'",
                            s->design == CP_DOE_LHS ? "lhs" : s->design == CP_DOE_SOBOL
                                                                  ? "sobol" : "random");
    s->points = (size_t)t.points;
    const cp_node *ps = cp_node_get(sw, "parameters");
    if (!ps || ps->kind != CP_NODE_SEQ || ps->n == 0 || ps->n > CP_SWEEP_MAX_PARAMS)
        return cp_node_fail(err, ps ? ps : sw, "'parameters' must list 1..%d parameters",
                            CP_SWEEP_MAX_PARAMS);
    for (size_t i = 0; i < ps->n; i++)
        if (bind_param(ps->items[i], s, &s->param[i], err))
            return -1;
    s->nparams = ps->n;
    const cp_node *os = cp_node_get(sw, "outputs");
    if (!os || os->kind != CP_NODE_SEQ || os->n == 0 || os->n > CP_SWEEP_MAX_OUTPUTS)
        return cp_node_fail(err, os ? os : sw, "'outputs' must list 1..%d output names",
                            CP_SWEEP_MAX_OUTPUTS);
    for (size_t i = 0; i < os->n; i++) {
        const cp_node *o = os->items[i];
        if (o->kind != CP_NODE_SCALAR)
            return cp_node_fail(err, o, "an output is a name such as power_w.total");
        cp_strlcpy(s->output[i].output, o->scalar, CP_NAME_MAX);
        s->output[i].id = cp_metric_id(metric_set(s), o->scalar, err);
        if (s->output[i].id < 0)
            return cp_node_fail(err, o, "%s", err->msg);
    }
    s->noutputs = os->n;
    if (bind_rules(sw, "constraints", constraint_fields, N(constraint_fields), s,
                   s->constraint, &s->nconstraints, CP_SWEEP_MAX_RULES, false, err) ||
        bind_rules(sw, "objectives", objective_fields, N(objective_fields), s, s->objective,
                   &s->nobjectives, CP_SWEEP_MAX_RULES, true, err))
        return -1;
    for (size_t i = 0; i < s->nparams; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(s->param[i].path, s->param[j].path) == 0)
                return cp_node_fail(err, ps->items[i], "parameter '%s' is swept twice",
                                    s->param[i].path);
    /* bounded before it starts: the design's values, hashes and order */
    size_t n = cp_sweep_count(s);
    double bytes = (double)n * (8.0 * (double)s->nparams + 8 + 1 + 16);
    if (s->design == CP_DOE_GRID && (n == 0 || (double)n > CP_SWEEP_MAX_POINTS))
        return cp_node_fail(err, ps, "the grid has %.3g points, more than the %.0f allowed: "
                            "fewer steps or values, or a random, lhs or sobol design",
                            n ? (double)n : 1099511627776.0, CP_SWEEP_MAX_POINTS);
    if (bytes > CP_DEFAULT_MAX_MEMORY_GB * 1e9)
        return cp_node_fail(err, ps, "%zu points of %zu parameters need %.1f GB for the "
                            "design alone, more than %.0f GB: fewer points", n, s->nparams,
                            bytes / 1e9, CP_DEFAULT_MAX_MEMORY_GB);
    return 0;
}

int cp_sweep_load(const char *path, cp_sweep_spec *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    cp_strlcpy(out->file, path, sizeof out->file);
    if (cp_scenario_bind(path, NULL, 0, bind_sweep, out, err))
        return -1;
    size_t n = cp_sweep_count(out);
    if (n == 0)
        return cp_fail(err, path, 0, 0, "the sweep has no points");
    cp_sweep_base b = {out->scenario, out->vs[0] ? out->vs : NULL};
    out->spec_hash = cp_sweep_point_hash(out, &b, NULL);
    return 0;
}
