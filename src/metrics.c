/*
 * metrics.c — the named outputs of a result, by the key the JSON report
 * gives them (`power_w.total`, `pj_per_bit.system`, `links.0.margin_db`,
 * `network_w`, ...), so that a sweep column, a constraint and the JSON field
 * of one name are the same number.  Names resolve once to an id; getting a
 * value by id is a table lookup.
 */
#include "internal.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct metric {
    const char *name;
    size_t off;                  /* offset of a double in the result */
    size_t off2;                 /* a second one added to it, or (size_t)-1 */
} metric;

#define R(f) offsetof(cp_result, f)
#define NONE ((size_t)-1)
static const metric eval_metrics[] = {
    {"capacity_tbps", R(capacity_tbps), NONE},
    {"ports", R(ports), NONE},
    {"port_speed_gbps", R(port_speed_gbps), NONE},
    {"power_w.total", R(total_w), NONE},
    {"power_w.asic", R(asic_w), NONE},
    {"power_w.serdes", R(serdes_w), NONE},
    {"power_w.optics", R(optics_w), R(lasers_w)},
    {"power_w.optics_excl_lasers", R(optics_w), NONE},
    {"power_w.lasers", R(lasers_w), NONE},
    {"power_w.board", R(board_w), NONE},
    {"power_w.cooling", R(cooling_w), NONE},
    {"power_w.conversion", R(conversion_w), NONE},
    {"power_w.optics_per_port", R(optics_w_per_port), NONE},
    {"power_w.io_per_port", R(io_w_per_port), NONE},
    {"pj_per_bit.optics", R(optics_pj_per_bit), NONE},
    {"pj_per_bit.io", R(io_pj_per_bit), NONE},
    {"pj_per_bit.system", R(system_pj_per_bit), NONE},
    {"worst_margin_db", R(worst_margin_db), NONE},
    {"density.ports_per_ru", R(ports_per_ru), NONE},
    {"density.fibers", R(fibers), NONE},
    {"density.mpo", R(mpo), NONE},
};
#undef R

#define G(f) offsetof(cp_group_result, f)
static const metric group_metrics[] = { /* links.N.<name> */
    {"margin_db", G(link.margin_db), NONE},
    {"ber", G(link.ber), NONE},
    {"tx_oma_dbm", G(link.tx_oma_dbm), NONE},
    {"rx_oma_dbm", G(link.rx_oma_dbm), NONE},
    {"channel_loss_db", G(link.channel_loss_db), NONE},
    {"laser_min_dbm", G(link.laser_min_dbm), NONE},
    {"electrical_loss_db", G(channel.loss_db), NONE},
    {"serdes_margin_db", G(channel.budget_margin_db), NONE},
    {"engines", G(engines), NONE},
    {"lasers", G(lasers), NONE},
    {"laser_modules", G(laser_modules), NONE},
    {"optics_w_per_port", G(optics_w_per_port), NONE},
    {"io_w_per_port", G(io_w_per_port), NONE},
};
#undef G

#define F(f) offsetof(cp_fabric_result, f)
static const metric fabric_metrics[] = {
    {"endpoints", F(endpoints), NONE},
    {"switches", F(switches), NONE},
    {"links", F(links), NONE},
    {"optical_links", F(optical_links), NONE},
    {"transceivers", F(modules), NONE},
    {"nic_transceivers", F(nic_modules), NONE},
    {"cpo_ports", F(cpo_ports), NONE},
    {"engines", F(engines), NONE},
    {"lasers", F(lasers), NONE},
    {"switch_lasers", F(switch_lasers), NONE},
    {"fibers", F(fibers), NONE},
    {"network_w", F(network_w), NONE},
    {"optics_w", F(optics_w), NONE},
    {"cluster_w", F(cluster_w), NONE},
    {"network_w_per_gpu", F(network_w_per_gpu), NONE},
    {"optics_share", F(optics_share), NONE},
    {"bisection_tbps", F(bisection_tbps), NONE},
    {"capex_usd", F(capex_usd), NONE},
};
#undef F

#define T(f) offsetof(cp_thermal_result, f)
static const metric thermal_metrics[] = {
    {"max_c", T(max_c), NONE},
    {"worst_margin_k", T(worst_margin_k), NONE},
    {"total_power_w", T(total_power_w), NONE},
    {"heat_out_w", T(heat_out_top_w), T(heat_out_bottom_w)},
};
#undef T

#define B(f) offsetof(cp_block_temp, f)
static const metric block_metrics[] = { /* blocks.N.<name> */
    {"power_w", B(power_w), NONE},
    {"flux_w_per_cm2", B(flux_w_per_cm2), NONE},
    {"max_c", B(max_c), NONE},
    {"mean_c", B(mean_c), NONE},
    {"margin_k", B(margin_k), NONE},
};
#undef B

/* the statistics `cposim reliability --json` prints, as NAME.mean / NAME.ci95 */
#define S(f) {#f ".mean", offsetof(cp_rel_summary, f.mean), NONE}, \
             {#f ".ci95", offsetof(cp_rel_summary, f.ci95), NONE}
static const metric rel_metrics[] = {
    S(failures_per_year), S(interruptions), S(interruptions_per_day),
    S(lost_gpu_h_per_year), S(stranded_gpu_h), S(goodput), S(link_down_h),
    S(service_usd_per_year), S(gpu_idle_usd),
};
#undef S

#define O(f) offsetof(cp_tco, f)
static const metric tco_metrics[] = { /* options.0|1.<name> */
    {"capex_usd", O(capex), NONE},
    {"energy_usd", O(energy_usd), NONE},
    {"service_usd", O(service_usd), NONE},
    {"gpu_idle_usd", O(gpu_idle_usd), NONE},
    {"total_usd", O(total_usd), NONE},
    {"carbon_t", O(carbon_t), NONE},
    {"interruptions_per_year", O(interruptions_per_year), NONE},
};
#undef O

/* cposim yield --json: the yield run, then the cost of a good unit */
#define Y(f) offsetof(cp_yield_result, f)
static const metric yield_metrics[] = {
    {"p_coupling_fail", Y(p_coupling_fail), NONE},
    {"engine_first_pass", Y(engine_first_pass), NONE},
    {"engine_yield", Y(engine_yield), NONE},
    {"attaches_per_engine", Y(attaches_per_engine), NONE},
    {"package_yield", Y(package_yield), NONE},
    {"pluggable_package_yield", Y(pluggable_package_yield), NONE},
};
#undef Y
#define U(f) offsetof(cp_unit_cost, f)
static const metric cost_metrics[] = {
    {"good_engine_usd", U(good_engine_usd), NONE},
    {"started_package_usd", U(started_package_usd), NONE},
    {"good_package_usd", U(good_package_usd), NONE},
    {"cpo_switch_usd", U(cpo_switch_usd), NONE},
    {"cpo_port_usd", U(cpo_port_usd), NONE},
    {"pluggable_switch_usd", U(pluggable_switch_usd), NONE},
    {"pluggable_port_usd", U(pluggable_port_usd), NONE},
    {"crossover_volume", U(crossover_volume), NONE},
};
#undef U
/* cposim comply: counts; worst_margin.QUANTITY ids follow them */
static const char *const comply_counts[] = {"checks", "failed", "pass"};
#define COMPLY_MARGIN 3

#define N(a) (sizeof(a) / sizeof *(a))
#define GROUP_BASE 1000
/* blocks.N: the ids stay ints (GROUP_BASE + N x fields + field); a result
 * without block N gives NaN */
#define METRIC_MAX_BLOCK 1000000u
#define TCO_DIFFERENCE (2 * (int)N(tco_metrics))

static double get(const metric *m, const void *base)
{
    const char *b = base;
    double v = *(const double *)(b + m->off);
    if (m->off2 != NONE)
        v += *(const double *)(b + m->off2);
    return v;
}

static int find(const metric *t, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(t[i].name, name) == 0)
            return (int)i;
    return -1;
}

static void list(char *buf, size_t len, const metric *t, size_t n, const char *prefix)
{
    for (size_t i = 0; i < n; i++) {
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s%s", used ? "|" : "", prefix, t[i].name);
    }
}

/* "PREFIX.N.NAME" with N < max and NAME in t: id base + N * n + k */
static int indexed(const char *name, const char *prefix, unsigned max, const metric *t,
                   size_t n, int base)
{
    size_t lp = strlen(prefix);
    unsigned g;
    int used = 0;
    if (strncmp(name, prefix, lp) != 0 || name[lp] != '.' ||
        sscanf(name + lp + 1, "%u.%n", &g, &used) != 1 || used == 0 || g >= max)
        return -1;
    int k = find(t, n, name + lp + 1 + used);
    return k < 0 ? -1 : base + (int)g * (int)n + k;
}

static int comply_id(const char *name, char *names, size_t len)
{
    static const char prefix[] = "worst_margin.";
    int id = -1;
    for (size_t i = 0; i < N(comply_counts); i++)
        if (strcmp(name, comply_counts[i]) == 0)
            id = (int)i;
    for (int k = 0; k < CP_REQ_NQUANTITIES; k++) {
        const char *q = cp_req_quantity_name((cp_req_quantity)k);
        if (strncmp(name, prefix, sizeof prefix - 1) == 0 &&
            strcmp(name + sizeof prefix - 1, q) == 0)
            id = COMPLY_MARGIN + k;
    }
    snprintf(names, len, "checks|failed|pass|%s(", prefix);
    for (int k = 0; k < CP_REQ_NQUANTITIES; k++) {
        size_t u = strlen(names);
        snprintf(names + u, len - u, "%s%s", k ? "|" : "",
                 cp_req_quantity_name((cp_req_quantity)k));
    }
    size_t u = strlen(names);
    snprintf(names + u, len - u, ")");
    return id;
}

int cp_metric_id(cp_metric_set set, const char *name, cp_error *err)
{
    int id = -1;
    char names[2048] = "", sub[1024] = "";
    const char *pre = NULL, *post = "";
    switch (set) {
    case CP_METRICS_EVAL:
        id = find(eval_metrics, N(eval_metrics), name);
        if (id < 0)
            id = indexed(name, "links", CP_MAX_GROUPS, group_metrics, N(group_metrics),
                         GROUP_BASE);
        list(names, sizeof names, eval_metrics, N(eval_metrics), "");
        list(sub, sizeof sub, group_metrics, N(group_metrics), "");
        pre = "|links.N.", post = " for port group N";
        break;
    case CP_METRICS_FABRIC:
        id = find(fabric_metrics, N(fabric_metrics), name);
        list(names, sizeof names, fabric_metrics, N(fabric_metrics), "");
        break;
    case CP_METRICS_THERMAL:
        id = find(thermal_metrics, N(thermal_metrics), name);
        if (id < 0)
            id = indexed(name, "blocks", METRIC_MAX_BLOCK, block_metrics, N(block_metrics),
                         GROUP_BASE);
        list(names, sizeof names, thermal_metrics, N(thermal_metrics), "");
        list(sub, sizeof sub, block_metrics, N(block_metrics), "");
        pre = "|blocks.N.", post = " for block N";
        break;
    case CP_METRICS_RELIABILITY:
        id = find(rel_metrics, N(rel_metrics), name);
        list(names, sizeof names, rel_metrics, N(rel_metrics), "");
        break;
    case CP_METRICS_TCO:
        id = strcmp(name, "difference_usd") == 0
                 ? TCO_DIFFERENCE
                 : indexed(name, "options", 2, tco_metrics, N(tco_metrics), 0);
        snprintf(names, sizeof names, "difference_usd");
        list(sub, sizeof sub, tco_metrics, N(tco_metrics), "");
        pre = "|options.N.", post = " for option N = 0 (A) or 1 (B)";
        break;
    case CP_METRICS_YIELD:
        id = find(yield_metrics, N(yield_metrics), name);
        if (id < 0 && (id = find(cost_metrics, N(cost_metrics), name)) >= 0)
            id += (int)N(yield_metrics);
        list(names, sizeof names, yield_metrics, N(yield_metrics), "");
        list(names, sizeof names, cost_metrics, N(cost_metrics), "");
        break;
    case CP_METRICS_COMPLY:
        id = comply_id(name, names, sizeof names);
        break;
    }
    if (id >= 0)
        return id;
    if (pre) {
        size_t u = strlen(names);
        snprintf(names + u, sizeof names - u, "%s(%s)%s", pre, sub, post);
    }
    cp_fail(err, "outputs", 0, 0, "unknown output '%s'; expected one of: %s", name, names);
    return -1;
}

double cp_metric_eval(int id, const cp_result *r)
{
    if (id >= GROUP_BASE) {
        int g = (id - GROUP_BASE) / (int)N(group_metrics);
        int k = (id - GROUP_BASE) % (int)N(group_metrics);
        return (size_t)g < r->ngroups ? get(&group_metrics[k], &r->group[g]) : NAN;
    }
    return id >= 0 && (size_t)id < N(eval_metrics) ? get(&eval_metrics[id], r) : NAN;
}

double cp_metric_fabric(int id, const cp_fabric_result *r)
{
    return id >= 0 && (size_t)id < N(fabric_metrics) ? get(&fabric_metrics[id], r) : NAN;
}

double cp_metric_thermal(int id, const cp_thermal_result *r)
{
    if (id >= GROUP_BASE) {
        int b = (id - GROUP_BASE) / (int)N(block_metrics);
        int k = (id - GROUP_BASE) % (int)N(block_metrics);
        return (size_t)b < r->nblocks ? get(&block_metrics[k], &r->block[b]) : NAN;
    }
    return id >= 0 && (size_t)id < N(thermal_metrics) ? get(&thermal_metrics[id], r) : NAN;
}

double cp_metric_reliability(int id, const cp_rel_summary *r)
{
    return id >= 0 && (size_t)id < N(rel_metrics) ? get(&rel_metrics[id], r) : NAN;
}

double cp_metric_tco(int id, const cp_tco *a, const cp_tco *b)
{
    int n = (int)N(tco_metrics);
    if (id == TCO_DIFFERENCE)
        return b->total_usd - a->total_usd;
    if (id < 0 || id >= 2 * n)
        return NAN;
    return get(&tco_metrics[id % n], id < n ? (const void *)a : (const void *)b);
}

double cp_metric_yield(int id, const cp_yield_result *y, const cp_unit_cost *c)
{
    int n = (int)N(yield_metrics);
    if (id >= 0 && id < n)
        return get(&yield_metrics[id], y);
    return id >= n && (size_t)(id - n) < N(cost_metrics) ? get(&cost_metrics[id - n], c) : NAN;
}

double cp_metric_comply(int id, const cp_compliance *c, const cp_requirements *q)
{
    switch (id) {
    case 0: return (double)c->n;
    case 1: return (double)c->failed;
    case 2: return c->failed ? 0 : 1;
    default:
        if (id < COMPLY_MARGIN || id >= COMPLY_MARGIN + CP_REQ_NQUANTITIES)
            return NAN;
        double w = cp_compliance_worst_margin(c, q, (cp_req_quantity)(id - COMPLY_MARGIN));
        return isinf(w) ? NAN : w; /* no check of that quantity */
    }
}
