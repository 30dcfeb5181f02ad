/*
 * reliability_scenario.c — the `reliability:` section of a fabric scenario:
 * the failure entry and operating temperature of each key of `rates`,
 * service, redundancy, the training job and the simulation.  It parses only;
 * the classes of a sized fabric come from cp_rel_classes_build (rel_classes.c).
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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
    double techs, labour, visit, spares, ckpt_min, ckpt_cost_min, restart_min, degrade,
        job_gpus, years, replicas, seed, gpu_h_usd, cable_usd;
    int ckpt_auto;
    bool diversity, detachable;
} rel_t;
static const cp_field service_fields[] = {
    {"technicians", CP_F_INT, offsetof(rel_t, techs), 0, true, 1, CP_MAX_TECHNICIANS, NULL},
    {"labour_usd_per_h", CP_F_NUM, offsetof(rel_t, labour), 0, true, 0, 1e4, NULL},
    {"visit_usd", CP_F_NUM, offsetof(rel_t, visit), 0, false, 0, 1e6, NULL},
    {"cable_usd", CP_F_NUM, offsetof(rel_t, cable_usd), 0, false, 0, 1e5, NULL},
    {"detachable_engines", CP_F_BOOL, offsetof(rel_t, detachable), 0, false, 0, 0, NULL},
};
static const cp_field redundancy_fields[] = {
    {"spare_lasers_per_els", CP_F_INT, offsetof(rel_t, spares), 0, false, 0, 7, NULL},
    {"path_diversity", CP_F_BOOL, offsetof(rel_t, diversity), 0, false, 0, 0, NULL},
};
#define JOB_FIELDS_REST                                                                    \
    {"gpus", CP_F_INT, offsetof(rel_t, job_gpus), 0, false, 1, 1e8, NULL},                   \
    {"checkpoint_cost_min", CP_F_NUM, offsetof(rel_t, ckpt_cost_min), 0, false, 0, 1e4, NULL}, \
    {"restart_min", CP_F_NUM, offsetof(rel_t, restart_min), 0, true, 0, 1e6, NULL},          \
    {"degrade_fraction", CP_F_NUM, offsetof(rel_t, degrade), 0, false, 0, 1, NULL},           \
    {"gpu_hour_usd", CP_F_NUM, offsetof(rel_t, gpu_h_usd), 0, false, 0, 1e4, NULL}
/* checkpoint_min: minutes of work between checkpoints, or `auto` (the
 * optimum for the job's failure rate and checkpoint cost) */
static const cp_field job_auto_fields[] = {
    {"checkpoint_min", CP_F_ENUM, offsetof(rel_t, ckpt_auto), 0, true, 0, 0, "auto"},
    JOB_FIELDS_REST,
};
static const cp_field job_fields[] = {
    {"checkpoint_min", CP_F_NUM, offsetof(rel_t, ckpt_min), 0, true, 0, 1e6, NULL},
    JOB_FIELDS_REST,
};
static const cp_field sim_fields[] = {
    {"years", CP_F_NUM, offsetof(rel_t, years), 0, true, 0.01, CP_MAX_YEARS, NULL},
    {"replicas", CP_F_INT, offsetof(rel_t, replicas), 0, true, 1, 1e7, NULL},
    {"seed", CP_F_INT, offsetof(rel_t, seed), 0, false, 0, 4e9, NULL},
};

#define N(a) (sizeof(a) / sizeof *(a))

/* Operating temperatures: the range electronics are specified for (MIL-STD
 * -55 C to the 150 C junction limit of silicon); outside it the Arrhenius
 * law is no model of anything (and at -273.15 C it divides by zero). */
#define TEMP_MIN_C -55.0
#define TEMP_MAX_C 150.0

typedef struct ctx {
    const cp_catalog *cat;
    cp_pool *pool;
    cp_rel_spec *rel;
    cp_rel_inputs *in;
    cp_error *err;
} ctx;

/* every key of `rates`: its failure entry and operating temperature */
static int bind_rates(ctx *x, const cp_node *rates, const cp_node *temps)
{
    for (size_t i = 0; i < rates->n; i++) {
        const cp_node *item = rates->items[i];
        if (x->in->nrates >= CP_MAX_RATES)
            return cp_key_fail(x->err, item, "more than %d keys in rates", CP_MAX_RATES);
        cp_rel_rate *rt = &x->in->rate[x->in->nrates++];
        cp_strlcpy(rt->key, item->key, sizeof rt->key);
        if (cp_bind_ref(x->cat, x->pool, "failure", rates, item->key, true, &rt->failure, x->err))
            return -1;
        rt->temp_c = rt->failure.ref_temp_c;
    }
    for (size_t i = 0; temps && i < temps->n; i++) {
        const cp_node *tn = temps->items[i];
        cp_rel_rate *rt = NULL;
        for (size_t k = 0; k < x->in->nrates; k++)
            if (strcmp(x->in->rate[k].key, tn->key) == 0)
                rt = &x->in->rate[k];
        if (!rt)
            return cp_key_fail(x->err, tn, "temperatures_c has '%s' but rates has no such "
                               "key", tn->key);
        if (cp_param_number(tn, &rt->temp_c, x->err))
            return -1;
        if (!(rt->temp_c >= TEMP_MIN_C && rt->temp_c <= TEMP_MAX_C))
            return cp_node_fail(x->err, cp_param_value_node(tn), "temperature of '%s' = %g C "
                                "is out of range; expected %g..%g C", tn->key, rt->temp_c,
                                TEMP_MIN_C, TEMP_MAX_C);
    }
    return 0;
}

static int bind_sub(const cp_node *rel, const char *key, const cp_field *f, size_t nf,
                    void *out, bool required, cp_error *err)
{
    static const char *const extra[] = {"note", "response_h", "hands_on_h", "parts_fraction", NULL};
    return cp_bind_child(rel, key, key, f, nf, out, required, extra, err);
}

static int bind_job(const cp_node *rel, rel_t *v, cp_error *err)
{
    const cp_node *job = cp_node_get(rel, "job");
    const cp_node *ck = job && job->kind == CP_NODE_MAP ? cp_node_get(job, "checkpoint_min")
                                                          : NULL;
    if (ck && ck->kind == CP_NODE_MAP) /* {value: auto, assumption: ...} */
        ck = cp_node_get(ck, "value");
    v->ckpt_auto = -1;
    if (ck && ck->kind == CP_NODE_SCALAR && strcmp(ck->scalar, "auto") == 0)
        return bind_sub(rel, "job", job_auto_fields, N(job_auto_fields), v, true, err);
    char *end = NULL;
    if (ck && ck->kind == CP_NODE_SCALAR && (strtod(ck->scalar, &end), end == ck->scalar))
        return cp_node_fail(err, ck, "'checkpoint_min' is the minutes of work between "
                            "checkpoints or 'auto' (the optimum), not '%s'", ck->scalar);
    return bind_sub(rel, "job", job_fields, N(job_fields), v, true, err);
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

static int bind_rel(ctx *x, const cp_node *root)
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
    const cp_node *rates = cp_node_get(rel, "rates"), *temps = cp_node_get(rel, "temperatures_c");
    if (!rates || rates->kind != CP_NODE_MAP)
        return cp_node_fail(x->err, rates ? rates : rel,
                            "reliability needs 'rates': component kind -> failure entry");
    if (temps && temps->kind != CP_NODE_MAP)
        return cp_node_fail(x->err, temps, "temperatures_c must be a mapping: rate key -> "
                            "temperature in C");
    rel_t v = {.diversity = true, .seed = 1};
    const cp_node *svc = cp_node_get(rel, "service");
    cp_rel_inputs *in = x->in;
    cp_rel_spec *o = x->rel;
    if (bind_rates(x, rates, temps) ||
        bind_sub(rel, "service", service_fields, N(service_fields), &v, true, x->err) ||
        bind_kinds(svc, "response_h", o->svc.response_h, x->err) ||
        bind_kinds(svc, "hands_on_h", o->svc.hands_on_h, x->err) ||
        bind_kinds(svc, "parts_fraction", in->parts_fraction, x->err) ||
        bind_sub(rel, "redundancy", redundancy_fields, N(redundancy_fields), &v, false, x->err) ||
        bind_job(rel, &v, x->err) ||
        bind_sub(rel, "simulation", sim_fields, N(sim_fields), &v, true, x->err))
        return -1;
    in->cable_usd = v.cable_usd;
    in->path_diversity = v.diversity;
    in->detachable_engines = v.detachable;
    in->spare_lasers_per_els = v.spares;
    o->svc.technicians = v.techs;
    o->svc.labour_usd_per_h = v.labour;
    o->svc.visit_usd = v.visit;
    o->job.gpus = v.job_gpus; /* 0: the whole cluster (the class builder knows it) */
    o->job.checkpoint_h = v.ckpt_min / 60;
    o->job.checkpoint_auto = v.ckpt_auto == 0; /* the one value of the enum */
    o->job.checkpoint_cost_h = v.ckpt_cost_min / 60;
    o->job.restart_h = v.restart_min / 60;
    o->job.degrade_fraction = v.degrade;
    o->years = v.years;
    o->replicas = v.replicas;
    o->seed = (unsigned long)v.seed;
    o->gpu_hour_usd = v.gpu_h_usd;
    return 0;
}

static int rel_binder(cp_pool *pool, const cp_node *root, void *c, cp_error *err)
{
    ctx *x = c;
    (void)err; /* reported through x->err */
    x->pool = pool;
    return bind_rel(x, root);
}

int cp_rel_load(const char *path, const cp_catalog *cat, const char *const *sets,
                size_t nsets, cp_rel_spec *out, cp_rel_inputs *in, cp_error *err)
{
    memset(out, 0, sizeof *out);
    memset(in, 0, sizeof *in);
    ctx x = {cat, NULL, out, in, err};
    return cp_scenario_bind(path, sets, nsets, rel_binder, &x, err);
}
