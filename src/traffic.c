/*
 * traffic.c — a job's collective on the sized fabric, healthy and in each
 * failure case: the job placed as the reliability workloads place jobs
 * (src/placement.c), its phases (traffic_pattern.c) solved for max-min fair
 * rates (traffic_solve.c), the step time
 *     T = sum over phases of repeat x (alpha + bytes / slowest flow's rate)
 * and how busy each link was over the step (bytes it carried / capacity / T).
 * Cases run on OpenMP threads, each on its own copy of the link states, so
 * the results do not depend on the thread count.
 */
#include "traffic_internal.h"
#include "rel_internal.h"

#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BITS_PER_BYTE 8.0
#define GBPS 1e9

/* ports of each GPU: planes x NICs */
static double ports_per_gpu(const cp_fabric_spec *f)
{
    return fmax(f->planes, 1) * fmax(f->nics_per_gpu, 1);
}

static double job_gpus(const cp_fabric_spec *f, const cp_traffic_spec *t)
{
    return t->gpus > 0 ? fmin(t->gpus, f->gpus) : f->gpus;
}

static int threads_for(const cp_traffic_spec *t)
{
    int want = t->threads > 0 ? t->threads : omp_get_max_threads();
    int cases = (int)t->ncases + 1;
    return want < cases ? want : cases;
}

double cp_traffic_bytes(const cp_fabric_spec *f, const cp_fabric_result *r,
                        const cp_traffic_spec *t)
{
    double nodes = r->endpoints, entries = 2 * r->links, n = job_gpus(f, t);
    for (size_t i = 0; i < r->ntiers; i++)
        nodes += r->tier[i].switches;
    double K = ports_per_gpu(f), classes;
    /* a class: its entry, the array growing by doubling and the sorted copy
     * (3 x), hash slots at most half full and rounded to a power of two (4) */
    double per_class = 3 * sizeof(tr_class) + 4 * sizeof(size_t);
    bool all_pairs = t->collective == CP_COLL_ALL_TO_ALL || t->collective == CP_COLL_UNIFORM;
    if (all_pairs) {
        double leaves = ceil(n / fmax(r->tier[0].down, 1)) * K;
        classes = t->per_flow ? n * (n - 1) * K : fmin(n * (n - 1) * K, leaves * leaves);
    } else {
        classes = n * K;
    }
    /* the GPU flows of the plan (per flow, all pairs are listed too) */
    double flows = all_pairs && !t->per_flow ? 0 : tr_plan_flows(t->collective, n) *
                                                       sizeof(cp_flow);
    double per_case = tr_work_bytes(nodes, entries) + entries * (sizeof(double) + 1) +
                      2 * nodes * sizeof(double) + classes * per_class;
    return cp_fabric_graph_bytes(r) + tr_net_bytes(nodes, entries) + flows +
           n * (sizeof(unsigned) * 2 + 8) + threads_for(t) * per_case;
}

/* the job's GPUs in GPU order, placed by the reliability placement */
static int place(const cp_fabric_spec *f, const cp_fabric_result *r, const cp_traffic_spec *t,
                 unsigned **gpus, size_t *n, cp_error *err)
{
    cp_rel_spec *rel = calloc(1, sizeof *rel);
    cp_placement pl;
    if (!rel)
        return cp_fail(err, f->name, 0, 0, "out of memory placing the job");
    cp_strlcpy(rel->name, f->name, sizeof rel->name);
    cp_rel_geometry_of(f, r, t->gpus_per_node, &rel->geo);
    cp_strlcpy(rel->job.name, "traffic", sizeof rel->job.name);
    rel->job.placement = t->placement;
    rel->job.gpus = job_gpus(f, t);
    rel->job.cluster_gpus = f->gpus;
    rel->seed = t->seed;
    int rc = cp_placement_build(rel, &pl, err);
    free(rel);
    if (rc)
        return -1;
    *gpus = malloc((pl.ngpus ? pl.ngpus : 1) * sizeof **gpus);
    *n = 0;
    for (size_t g = 0; *gpus && g < pl.ngpus; g++)
        if (pl.gpu_job[g] == 0)
            (*gpus)[(*n)++] = (unsigned)g;
    cp_placement_free(&pl);
    return *gpus ? 0 : cp_fail(err, f->name, 0, 0, "out of memory placing the job");
}

/* One case's arrays beside the solver's. */
typedef struct case_run {
    const cp_traffic_net *n;
    const tr_plan *plan;
    const cp_traffic_spec *t;
    const unsigned *gpus;
    size_t ngpus;
    tr_work w;
    double *busy;                /* [entries] seconds each link was busy */
    double *nic_up, *nic_dn;     /* [nodes] aggregated: bytes through the NICs of a leaf */
    double *ports;               /* [nodes] the job's live NIC ports under a leaf */
} case_run;

static int phase_classes(case_run *x, const unsigned char *alive, const tr_phase *ph,
                         tr_class **c, size_t *nc, bool *cut, cp_error *err)
{
    if (ph->all_pairs && !x->t->per_flow)
        return tr_classes_all_pairs(x->n, alive, x->gpus, x->ngpus, x->t->nic_spray, c, nc,
                                    cut, err);
    if (!ph->all_pairs)
        return tr_classes_from_flows(x->n, alive, ph->flows, ph->nflows, x->t->per_flow,
                                     x->t->nic_spray, c, nc, NULL, cut, err);
    size_t nf = x->ngpus * (x->ngpus - 1), k = 0; /* per flow: every pair */
    cp_flow *f = malloc((nf ? nf : 1) * sizeof *f);
    if (!f)
        return cp_fail(err, "traffic", 0, 0, "out of memory for %zu flows", nf);
    for (size_t a = 0; a < x->ngpus; a++)
        for (size_t b = 0; b < x->ngpus; b++)
            if (a != b)
                f[k++] = (cp_flow){x->gpus[a], x->gpus[b]};
    int rc = tr_classes_from_flows(x->n, alive, f, nf, true, x->t->nic_spray, c, nc, NULL,
                                   cut, err);
    free(f);
    return rc;
}

/* Solves one phase: adds its time to o->step_s and its bytes to the links. */
static int run_phase(case_run *x, const tr_phase *ph, cp_traffic_case_result *o, cp_error *err)
{
    tr_class *c = NULL;
    size_t nc = 0;
    bool cut = false;
    double K = x->n->planes * x->n->nics, sub = ph->bytes / K;
    if (phase_classes(x, x->w.alive, ph, &c, &nc, &cut, err) || tr_solve(&x->w, c, nc, err)) {
        free(c);
        return -1;
    }
    double rmin = INFINITY;
    for (size_t i = 0; i < nc; i++) {
        cut |= c[i].state == TR_CUT;
        rmin = fmin(rmin, c[i].rate);
    }
    o->classes = fmax(o->classes, (double)nc);
    if (cut || !(rmin > 0)) {
        o->partitioned = true;
        free(c);
        return 0;
    }
    o->min_rate_gbps = fmin(o->min_rate_gbps, rmin * K);
    o->gpu_rate_gbps = fmin(o->gpu_rate_gbps, rmin * K * ph->deg);
    o->step_s += ph->repeat * (x->t->alpha_s + sub * BITS_PER_BYTE / (rmin * GBPS));
    tr_link_load(&x->w, c, nc, sub);
    for (size_t k = 0; k < x->n->entries; k++)
        if (x->w.w[k] > 0)
            x->busy[k] += ph->repeat * x->w.w[k] * BITS_PER_BYTE / (x->n->cap[k] * GBPS);
    for (size_t i = 0; !x->t->per_flow && i < nc; i++) { /* NIC links, pooled per leaf */
        x->nic_up[c[i].src] += ph->repeat * c[i].m * sub;
        x->nic_dn[c[i].dst] += ph->repeat * c[i].m * sub;
    }
    free(c);
    return 0;
}

static void note_worst(cp_traffic_case_result *o, const cp_traffic_net *n, size_t k, double u)
{
    size_t at = o->nworst < CP_TRAFFIC_WORST ? o->nworst++ : CP_TRAFFIC_WORST;
    if (at == CP_TRAFFIC_WORST && !(u > o->worst[at - 1].util))
        return;
    if (at == CP_TRAFFIC_WORST)
        at--;
    while (at > 0 && o->worst[at - 1].util < u) {
        o->worst[at] = o->worst[at - 1];
        at--;
    }
    unsigned a = n->col[n->rev[k]], b = n->col[k];
    int ta = n->tier[a], tb = n->tier[b];
    o->worst[at] = (cp_traffic_link){n->level[k], n->lid[k], a, b, ta - 1, tb - 1,
                                     (double)(a - n->tier_first[ta]),
                                     (double)(b - n->tier_first[tb]), u};
}

static void level_add(cp_traffic_level_use *lv, double u)
{
    lv->mean_util = (lv->mean_util * lv->used + u) / (lv->used + 1);
    lv->used++;
    lv->max_util = fmax(lv->max_util, u);
}

/* busy share of the step of every link, per level; the worst links */
static void utilisation(case_run *x, cp_traffic_case_result *o)
{
    const cp_traffic_net *n = x->n;
    double T = o->step_s;
    if (o->partitioned || !(T > 0))
        return;
    for (size_t k = 0; k < n->entries; k++)
        if (x->busy[k] > 0) {
            level_add(&o->level[n->level[k]], x->busy[k] / T);
            note_worst(o, n, k, x->busy[k] / T);
        }
    if (x->t->per_flow)
        return;
    double B = n->cap[tr_port_entry(n, tr_port(n, x->gpus[0], 0, 0))];
    for (size_t v = 0; v < n->nodes; v++)
        for (int dir = 0; dir < 2 && x->ports[v] > 0; dir++) {
            double bytes = dir ? x->nic_dn[v] : x->nic_up[v];
            if (bytes > 0)
                level_add(&o->level[0], bytes * BITS_PER_BYTE / (x->ports[v] * B * GBPS) / T);
        }
}

/* keep: hand the seconds each link was busy over (NULL: free them) */
static int run_case(const cp_traffic_net *n, const unsigned char *alive, const tr_plan *plan,
                    const cp_traffic_spec *t, const unsigned *gpus, size_t ngpus,
                    cp_traffic_case_result *o, double **keep, cp_error *err)
{
    case_run x = {n, plan, t, gpus, ngpus, {0}, calloc(n->entries ? n->entries : 1,
                                                       sizeof(double)),
                  calloc(n->nodes, sizeof(double)), calloc(n->nodes, sizeof(double)),
                  calloc(n->nodes, sizeof(double))};
    int rc = x.busy && x.nic_up && x.nic_dn && x.ports && !tr_work_init(&x.w, n, alive)
                 ? 0
                 : cp_fail(err, "traffic", 0, 0, "out of memory for a traffic case");
    o->min_rate_gbps = o->gpu_rate_gbps = INFINITY;
    for (size_t k = 0; rc == 0 && k < n->entries; k++)
        o->links_down += alive[k] ? 0 : 0.5;
    for (size_t g = 0; rc == 0 && g < ngpus; g++)
        for (size_t p = 0; p < (size_t)n->planes; p++)
            for (size_t i = 0; i < (size_t)n->nics; i++) {
                size_t k = tr_port_entry(n, tr_port(n, gpus[g], p, i));
                x.ports[n->col[k]] += alive[k];
            }
    for (size_t i = 0; rc == 0 && i < plan->n && !o->partitioned; i++)
        rc = run_phase(&x, &plan->ph[i], o, err);
    if (o->partitioned)
        o->step_s = INFINITY, o->min_rate_gbps = o->gpu_rate_gbps = 0;
    if (rc == 0)
        utilisation(&x, o);
    if (!isfinite(o->min_rate_gbps))
        o->min_rate_gbps = o->gpu_rate_gbps = 0;
    tr_work_free(&x.w);
    if (keep && rc == 0)
        *keep = x.busy, x.busy = NULL;
    free(x.busy), free(x.nic_up), free(x.nic_dn), free(x.ports);
    return rc;
}

static int check_size(const cp_fabric_spec *f, const cp_fabric_result *r,
                      const cp_traffic_spec *t, double *bytes, cp_error *err)
{
    double gb = t->max_memory_gb > 0 ? t->max_memory_gb : CP_DEFAULT_MAX_MEMORY_GB;
    double n = job_gpus(f, t);
    *bytes = cp_traffic_bytes(f, r, t);
    const cp_error *o = &t->origin;
    if (*bytes > gb * 1e9)
        return cp_fail(err, o->file[0] ? o->file : f->name, o->line, o->col,
                       "%s over %g GPUs%s needs about %.3g GB of memory (%.4g flows); the "
                       "limit is %g GB: raise it (cposim --max-memory GB), use fewer GPUs, "
                       "or aggregate the flows", cp_collective_key(t->collective), n,
                       t->per_flow ? " flow by flow" : "", *bytes / 1e9,
                       tr_plan_flows(t->collective, n) * ports_per_gpu(f), gb);
    return 0;
}

/* the alive links of each case: all, then the case's outages (errors at
 * their origin, before any work) */
static int case_links(const cp_traffic_net *n, const cp_traffic_spec *t, unsigned char **alive,
                      cp_error *err)
{
    for (size_t c = 0; c <= t->ncases; c++) {
        alive[c] = malloc(n->entries ? n->entries : 1);
        if (!alive[c])
            return cp_fail(err, "traffic", 0, 0, "out of memory for the failure cases");
        memset(alive[c], 1, n->entries);
        for (size_t i = 0; c > 0 && i < t->cs[c - 1].nout; i++)
            if (tr_outage_apply(n, alive[c], &t->cs[c - 1].out[i], err))
                return -1;
    }
    return 0;
}

static int run_cases(const cp_traffic_net *n, unsigned char **alive, const tr_plan *plan,
                     const cp_traffic_spec *t, const unsigned *gpus, size_t ngpus,
                     cp_traffic_result *out, double **keep, cp_error *err)
{
    int nc = (int)t->ncases + 1, rc[CP_TRAFFIC_MAX_CASES + 1] = {0};
    cp_error *e = malloc((size_t)nc * sizeof *e);
    if (!e)
        return cp_fail(err, "traffic", 0, 0, "out of memory for the failure cases");
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads_for(t))
    for (int c = 0; c < nc; c++)
        rc[c] = run_case(n, alive[c], plan, t, gpus, ngpus, &out->cs[c],
                         c == nc - 1 ? keep : NULL, &e[c]);
    for (int c = 0; c < nc; c++)
        if (rc[c]) {
            *err = e[c];
            free(e);
            return -1;
        }
    free(e);
    return 0;
}

int cp_traffic_run(const cp_fabric_spec *f, const cp_fabric_result *r,
                   const cp_traffic_spec *t, cp_traffic_result *out, cp_error *err)
{
    return tr_run_keep(f, r, t, out, NULL, NULL, err);
}

int tr_run_keep(const cp_fabric_spec *f, const cp_fabric_result *r, const cp_traffic_spec *t,
                cp_traffic_result *out, double **util, cp_traffic_net **net, cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (check_size(f, r, t, &out->memory_bytes, err))
        return -1;
    unsigned *gpus = NULL;
    unsigned char *alive[CP_TRAFFIC_MAX_CASES + 1] = {0};
    size_t ngpus = 0;
    cp_traffic_net *n = NULL;
    tr_plan plan = {0};
    int rc = place(f, r, t, &gpus, &ngpus, err) ||
             cp_traffic_net_fabric(f, r, t->max_memory_gb, &n, err) ||
             case_links(n, t, alive, err) ||
             tr_plan_build(t->collective, gpus, ngpus, t->message_bytes, t->seed, &plan, err)
                 ? -1
                 : 0;
    out->gpus = (double)ngpus;
    out->gpu_gbps = f->link_gbps * ports_per_gpu(f);
    out->phases = plan.steps;
    out->ncases = t->ncases + 1;
    for (size_t i = 0; rc == 0 && i < plan.n; i++)
        out->ideal_s += plan.ph[i].repeat * (t->alpha_s + plan.ph[i].bytes * plan.ph[i].deg *
                                             BITS_PER_BYTE / (out->gpu_gbps * GBPS));
    cp_strlcpy(out->cs[0].name, "healthy", sizeof out->cs[0].name);
    for (size_t c = 0; c < t->ncases; c++)
        cp_strlcpy(out->cs[c + 1].name, t->cs[c].name, sizeof out->cs[c + 1].name);
    if (rc == 0)
        rc = run_cases(n, alive, &plan, t, gpus, ngpus, out, util, err);
    if (rc == 0 && util) { /* seconds busy -> share of the step */
        double T = out->cs[t->ncases].step_s;
        for (size_t k = 0; k < n->entries; k++)
            (*util)[k] = isfinite(T) && T > 0 ? (*util)[k] / T : 0;
    }
    for (size_t c = 0; rc == 0 && c < out->ncases; c++)
        out->cs[c].slowdown = out->cs[0].partitioned ? NAN
                              : out->cs[c].step_s / out->cs[0].step_s;
    for (size_t c = 0; c <= t->ncases; c++)
        free(alive[c]);
    tr_plan_free(&plan);
    if (net && rc == 0)
        *net = n, n = NULL;
    cp_traffic_net_free(n);
    free(gpus);
    return rc;
}

int cp_traffic_maxmin(const cp_traffic_net *n, const cp_flow *flows, size_t nflows,
                      bool per_flow, double *rate_gbps, cp_error *err)
{
    size_t K = (size_t)(n->planes * n->nics);
    unsigned *fc = malloc((nflows * K > 0 ? nflows * K : 1) * sizeof *fc);
    tr_class *c = NULL;
    size_t nc = 0;
    bool cut;
    tr_work w;
    if (!fc || tr_work_init(&w, n, n->alive)) {
        free(fc);
        return cp_fail(err, "traffic", 0, 0, "out of memory for %zu flows", nflows);
    }
    int rc = tr_classes_from_flows(n, n->alive, flows, nflows, per_flow, false, &c, &nc, fc, &cut,
                                   err) || tr_solve(&w, c, nc, err) ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < nflows; i++) {
        double r = INFINITY;
        for (size_t s = 0; s < K; s++)
            r = fmin(r, fc[i * K + s] == UINT32_MAX ? 0 : c[fc[i * K + s]].rate);
        rate_gbps[i] = r * (double)K;
    }
    free(fc);
    free(c);
    tr_work_free(&w);
    return rc;
}
