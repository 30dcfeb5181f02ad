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

#define KINDS "module|els|switch|engine|cable[|node]"

typedef struct {
    double v[CP_SVC_COUNT];
} per_kind_t;
static const cp_field kind_fields[] = {
    {"module", CP_F_NUM, offsetof(per_kind_t, v[0]), 0, true, 0, 1e5, NULL},
    {"els", CP_F_NUM, offsetof(per_kind_t, v[1]), 0, true, 0, 1e5, NULL},
    {"switch", CP_F_NUM, offsetof(per_kind_t, v[2]), 0, true, 0, 1e5, NULL},
    {"engine", CP_F_NUM, offsetof(per_kind_t, v[3]), 0, true, 0, 1e5, NULL},
    {"cable", CP_F_NUM, offsetof(per_kind_t, v[4]), 0, true, 0, 1e5, NULL},
    {"node", CP_F_NUM, offsetof(per_kind_t, v[5]), 0, false, 0, 1e5, NULL},
};

typedef struct {
    double techs, labour, visit, spares, years, replicas, seed, cable_usd, gpus_per_node;
    bool detachable;
} rel_t;
static const cp_field service_fields[] = {
    {"technicians", CP_F_INT, offsetof(rel_t, techs), 0, true, 1, CP_MAX_TECHNICIANS, NULL},
    {"labour_usd_per_h", CP_F_NUM, offsetof(rel_t, labour), 0, true, 0, 1e4, NULL},
    {"visit_usd", CP_F_NUM, offsetof(rel_t, visit), 0, false, 0, 1e6, NULL},
    {"cable_usd", CP_F_NUM, offsetof(rel_t, cable_usd), 0, false, 0, 1e5, NULL},
    {"gpus_per_node", CP_F_INT, offsetof(rel_t, gpus_per_node), 0, false, 1, 1024, NULL},
    {"detachable_engines", CP_F_BOOL, offsetof(rel_t, detachable), 0, false, 0, 0, NULL},
};
static const cp_field redundancy_fields[] = {
    {"spare_lasers_per_els", CP_F_INT, offsetof(rel_t, spares), 0, false, 0, 7, NULL},
};

/* a workload (or the one `job`) */
typedef struct {
    double ckpt_min, ckpt_cost_min, restart_min, gpus, gpu_h_usd, spare_gpus, spare_share,
        path_interrupt, degraded_usd;
    int ckpt_auto, profile, placement, path_faults;
} job_t;
#define JOB_FIELDS_REST                                                                      \
    {"profile", CP_F_ENUM, offsetof(job_t, profile), 0, false, 0, 0, "training|inference|cloud"}, \
    {"placement", CP_F_ENUM, offsetof(job_t, placement), 0, false, 0, 0, "contiguous|scattered"}, \
    {"gpus", CP_F_INT, offsetof(job_t, gpus), 0, false, 1, 1e8, NULL},                         \
    {"checkpoint_cost_min", CP_F_NUM, offsetof(job_t, ckpt_cost_min), 0, false, 0, 1e4, NULL}, \
    {"restart_min", CP_F_NUM, offsetof(job_t, restart_min), 0, true, 0, 1e6, NULL},            \
    {"gpu_hour_usd", CP_F_NUM, offsetof(job_t, gpu_h_usd), 0, false, 0, 1e4, NULL},            \
    {"spare_gpus", CP_F_INT, offsetof(job_t, spare_gpus), 0, false, 0, 1e8, NULL},             \
    {"spare_share", CP_F_NUM, offsetof(job_t, spare_share), 0, false, 0, 0.5, NULL},           \
    {"path_interrupt", CP_F_NUM, offsetof(job_t, path_interrupt), 0, false, 0, 1, NULL},       \
    {"degraded_usd_per_gpu_h", CP_F_NUM, offsetof(job_t, degraded_usd), 0, false, 0, 1e4, NULL}, \
    {"path_faults", CP_F_ENUM, offsetof(job_t, path_faults), 0, false, 0, 0, "interrupt|slowdown"}
/* checkpoint_min: minutes of work between checkpoints, or `auto` (the
 * optimum for each job's failure rate and checkpoint cost) */
static const cp_field job_auto_fields[] = {
    {"checkpoint_min", CP_F_ENUM, offsetof(job_t, ckpt_auto), 0, false, 0, 0, "auto"},
    JOB_FIELDS_REST,
};
static const cp_field job_fields[] = {
    {"checkpoint_min", CP_F_NUM, offsetof(job_t, ckpt_min), 0, false, 0, 1e6, NULL},
    JOB_FIELDS_REST,
};
typedef struct {
    double gpus, share, cost_min;
} size_v;
static const cp_field size_fields[] = {
    {"gpus", CP_F_INT, offsetof(size_v, gpus), 0, true, 1, 1e8, NULL},
    {"share", CP_F_NUM, offsetof(size_v, share), 0, true, 0, 1, NULL},
    {"checkpoint_cost_min", CP_F_NUM, offsetof(size_v, cost_min), 0, false, 0, 1e4, NULL},
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

/* jobs: [{gpus, share, checkpoint_cost_min}, ...] */
static int bind_sizes(const cp_node *jobs, cp_job *o, double default_cost_h, cp_error *err)
{
    if (jobs->kind != CP_NODE_SEQ)
        return cp_node_fail(err, jobs, "'jobs' is a list of {gpus, share, checkpoint_cost_min}");
    if (jobs->n > CP_MAX_JOB_SIZES)
        return cp_node_fail(err, jobs, "%zu job sizes; at most %d", jobs->n, CP_MAX_JOB_SIZES);
    double total = 0;
    for (size_t i = 0; i < jobs->n; i++) {
        size_v v = {0, 0, -1};
        cp_bind_ctx c = {jobs->items[i], "job size", (const char *const[]){"note", NULL}};
        if (jobs->items[i]->kind != CP_NODE_MAP)
            return cp_node_fail(err, jobs->items[i], "a job size is {gpus, share}");
        if (cp_bind(&c, size_fields, N(size_fields), &v, err))
            return -1;
        o->size[i] = (cp_job_size){v.gpus, v.share, v.cost_min >= 0 ? v.cost_min / 60
                                                                   : default_cost_h};
        total += v.share;
    }
    if (total > 1 + 1e-9)
        return cp_node_fail(err, jobs, "the shares of the job sizes sum to %g; at most 1 "
                            "(the rest of the GPUs idle)", total);
    o->nsizes = jobs->n;
    return 0;
}

static int bind_job(const cp_node *job, const char *name, cp_job *o, cp_error *err)
{
    if (!job || job->kind != CP_NODE_MAP)
        return cp_node_fail(err, job, "a workload is a mapping (profile, jobs, restart_min, "
                            "...)");
    const cp_node *ck = cp_node_get(job, "checkpoint_min");
    if (ck && ck->kind == CP_NODE_MAP) /* {value: auto, assumption: ...} */
        ck = cp_node_get(ck, "value");
    job_t v = {.ckpt_auto = -1, .path_faults = -1};
    bool is_auto = ck && ck->kind == CP_NODE_SCALAR && strcmp(ck->scalar, "auto") == 0;
    char *end = NULL;
    if (!is_auto && ck && ck->kind == CP_NODE_SCALAR && (strtod(ck->scalar, &end), end == ck->scalar))
        return cp_node_fail(err, ck, "'checkpoint_min' is the minutes of work between "
                            "checkpoints or 'auto' (the optimum), not '%s'", ck->scalar);
    static const char *const extra[] = {"note", "jobs", "trace", NULL};
    cp_bind_ctx c = {job, name, extra};
    const cp_node *jobs = cp_node_get(job, "jobs"), *trace = cp_node_get(job, "trace");
    if (jobs && trace)
        return cp_node_fail(err, trace, "give 'jobs' (sizes and shares) or 'trace' (a "
                            "job trace CSV), not both");
    if (trace && (trace->kind != CP_NODE_SCALAR || !*trace->scalar))
        return cp_node_fail(err, trace, "'trace' is the path of a job trace CSV (rows "
                            "gpus,duration_h[,checkpoint_cost_min])");
    if (cp_node_get(job, "spare_gpus") && cp_node_get(job, "spare_share"))
        return cp_node_fail(err, cp_node_get(job, "spare_share"), "give spare_gpus (a count) "
                            "or spare_share (of the cluster's GPUs), not both");
    if (is_auto ? cp_bind(&c, job_auto_fields, N(job_auto_fields), &v, err)
                : cp_bind(&c, job_fields, N(job_fields), &v, err))
        return -1;
    memset(o, 0, sizeof *o);
    cp_strlcpy(o->name, name, sizeof o->name);
    o->profile = v.profile < 0 ? CP_PROFILE_TRAINING : (cp_profile)v.profile;
    o->placement = v.placement < 0 ? CP_PLACE_CONTIGUOUS : (cp_placement_kind)v.placement;
    o->gpus = v.gpus; /* 0: the whole cluster (the class builder knows it) */
    o->checkpoint_h = v.ckpt_min / 60;
    o->checkpoint_auto = is_auto;
    o->checkpoint_cost_h = v.ckpt_cost_min / 60;
    o->restart_h = v.restart_min / 60;
    o->gpu_hour_usd = v.gpu_h_usd;
    o->spare_gpus = v.spare_gpus;
    o->spare_share = v.spare_share;
    o->path_interrupt = v.path_interrupt;
    o->degraded_usd_per_gpu_h = v.degraded_usd;
    o->path_slowdown = v.path_faults == 1;
    if (o->path_slowdown && o->profile != CP_PROFILE_TRAINING)
        return cp_node_fail(err, cp_node_get(job, "path_faults"), "'path_faults: slowdown' "
                            "prices a training job's path faults as slowdowns; workload '%s' "
                            "is %s", name, cp_profile_key(o->profile));
    if (trace) {
        char path[CP_TEXT_MAX];
        if (strlen(trace->scalar) >= sizeof path)
            return cp_node_fail(err, trace, "trace path too long");
        cp_strlcpy(path, trace->scalar, sizeof path);
        return cp_csv_path_beside(trace, path, sizeof path, "job trace", err) ||
                       cp_job_trace_load(path, o, err)
                   ? -1
                   : 0;
    }
    return jobs ? bind_sizes(jobs, o, o->checkpoint_cost_h, err) : 0;
}

/* `workloads: {name: {...}, ...}`, or the one `job` (a training workload) */
static int bind_workloads(const cp_node *rel, cp_rel_inputs *in, cp_error *err)
{
    const cp_node *wl = cp_node_get(rel, "workloads"), *job = cp_node_get(rel, "job");
    if (wl && job)
        return cp_node_fail(err, job, "give either 'job' (one training job) or "
                            "'workloads', not both");
    if (!wl && !job)
        return cp_node_fail(err, rel, "reliability needs 'workloads' (or one 'job')");
    if (job) {
        in->nworkloads = 1;
        return bind_job(job, "training", &in->workload[0], err);
    }
    if (wl->kind != CP_NODE_MAP || wl->n == 0)
        return cp_node_fail(err, wl, "'workloads' maps a name to a workload");
    if (wl->n > CP_MAX_WORKLOADS)
        return cp_node_fail(err, wl, "%zu workloads; at most %d", wl->n, CP_MAX_WORKLOADS);
    for (size_t i = 0; i < wl->n; i++)
        if (bind_job(wl->items[i], wl->items[i]->key, &in->workload[i], err))
            return -1;
    in->nworkloads = wl->n;
    return 0;
}

static int bind_kinds(const cp_node *svc, const char *key, double *out, cp_error *err)
{
    const cp_node *n = cp_node_get(svc, key);
    if (!n || n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n ? n : svc, "service needs '%s': {" KINDS "}", key);
    per_kind_t v = {{0}};
    cp_bind_ctx c = {n, key, NULL};
    if (cp_bind(&c, kind_fields, N(kind_fields), &v, err))
        return -1;
    memcpy(out, v.v, sizeof v.v);
    return 0;
}

static int bind_rel(ctx *x, const cp_node *root)
{
    static const char *const keys[] = {"rates", "temperatures_c", "service", "redundancy",
                                       "job", "workloads", "simulation", "note", NULL};
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
    rel_t v = {.seed = 1, .gpus_per_node = 8};
    const cp_node *svc = cp_node_get(rel, "service");
    cp_rel_inputs *in = x->in;
    cp_rel_spec *o = x->rel;
    if (bind_rates(x, rates, temps) ||
        bind_sub(rel, "service", service_fields, N(service_fields), &v, true, x->err) ||
        bind_kinds(svc, "response_h", o->svc.response_h, x->err) ||
        bind_kinds(svc, "hands_on_h", o->svc.hands_on_h, x->err) ||
        bind_kinds(svc, "parts_fraction", in->parts_fraction, x->err) ||
        bind_sub(rel, "redundancy", redundancy_fields, N(redundancy_fields), &v, false, x->err) ||
        bind_workloads(rel, in, x->err) ||
        bind_sub(rel, "simulation", sim_fields, N(sim_fields), &v, true, x->err))
        return -1;
    in->cable_usd = v.cable_usd;
    in->gpus_per_node = v.gpus_per_node;
    in->detachable_engines = v.detachable;
    in->spare_lasers_per_els = v.spares;
    o->svc.technicians = v.techs;
    o->svc.labour_usd_per_h = v.labour;
    o->svc.visit_usd = v.visit;
    o->job = in->workload[0]; /* the first until cp_rel_use_workload */
    o->years = v.years;
    o->replicas = v.replicas;
    o->seed = (unsigned long)v.seed;
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
