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

#define N(a) (sizeof(a) / sizeof *(a))
#define GROUP_BASE 1000

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

int cp_metric_id(cp_metric_set set, const char *name, cp_error *err)
{
    int id = -1;
    if (set == CP_METRICS_EVAL) {
        id = find(eval_metrics, N(eval_metrics), name);
        unsigned g;
        int used = 0;
        if (id < 0 && sscanf(name, "links.%u.%n", &g, &used) == 1 && used > 0 &&
            g < CP_MAX_GROUPS) {
            int k = find(group_metrics, N(group_metrics), name + used);
            if (k >= 0)
                id = GROUP_BASE + (int)g * (int)N(group_metrics) + k;
        }
    } else {
        id = find(fabric_metrics, N(fabric_metrics), name);
    }
    if (id >= 0)
        return id;
    char names[2048] = "";
    if (set == CP_METRICS_EVAL) {
        char g[1024] = "";
        list(names, sizeof names, eval_metrics, N(eval_metrics), "");
        list(g, sizeof g, group_metrics, N(group_metrics), "");
        size_t u = strlen(names);
        snprintf(names + u, sizeof names - u, "|links.N.(%s) for port group N", g);
    } else {
        list(names, sizeof names, fabric_metrics, N(fabric_metrics), "");
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
