/*
 * requirements.c — loads data/requirements.yaml: the limits a link or port
 * group must meet (OIF CEI channel budgets, IEEE 802.3 PMD budgets, the OIF
 * ELSFP power classes, IEC 60825-1 eye-safety limits), each with the
 * document and clause it comes from and a source or an assumption, like
 * every figure of the catalog.  Parsing only: src/comply.c checks a design.
 */
#include "internal.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct req_row {
    int quantity, bound, media, block_kind;
    double limit, lane_rate_gbps, port_speed_gbps;
    bool parallel_only, part_limit;
    char document[CP_TEXT_MAX], clause[CP_NAME_MAX], serdes_class[16];
} req_row;

/* the kinds of thermal blocks (src/thermal_scenario.c) */
#define BLOCK_KINDS "asic|serdes|oe|laser|other"
static const char *const block_kinds[] = {"asic", "serdes", "oe", "laser", "other"};

#define STR(k, req) {#k, CP_F_STR, offsetof(req_row, k), sizeof(((req_row *)0)->k), req, 0, 0, NULL}
static const cp_field req_fields[] = {
    {"quantity", CP_F_ENUM, offsetof(req_row, quantity), 0, true, 0, 0,
     "host_loss_db|optical_il_db|optical_reach_m|optical_margin_db|els_power_dbm|"
     "eye_safety_dbm|block_temp_c"},
    {"bound", CP_F_ENUM, offsetof(req_row, bound), 0, true, 0, 0, "max|min"},
    {"media", CP_F_ENUM, offsetof(req_row, media), 0, false, 0, 0, "any|pluggable|lpo|cpo"},
    {"limit", CP_F_NUM, offsetof(req_row, limit), 0, false, -1e6, 1e6, NULL},
    {"lane_rate_gbps", CP_F_NUM, offsetof(req_row, lane_rate_gbps), 0, false, 0, 1e4, NULL},
    {"port_speed_gbps", CP_F_NUM, offsetof(req_row, port_speed_gbps), 0, false, 0, 1e5, NULL},
    {"parallel_only", CP_F_BOOL, offsetof(req_row, parallel_only), 0, false, 0, 0, NULL},
    {"part_limit", CP_F_BOOL, offsetof(req_row, part_limit), 0, false, 0, 0, NULL},
    {"block_kind", CP_F_ENUM, offsetof(req_row, block_kind), 0, false, 0, 0, BLOCK_KINDS},
    STR(document, true),
    STR(clause, true),
    STR(serdes_class, false),
};

static const char *const names[CP_REQ_NQUANTITIES] = {
    "host_loss_db", "optical_il_db", "optical_reach_m", "optical_margin_db",
    "els_power_dbm", "eye_safety_dbm", "block_temp_c"};

const char *cp_req_quantity_name(cp_req_quantity k)
{
    return (unsigned)k < CP_REQ_NQUANTITIES ? names[k] : "?";
}

/* A limit, or (block temperatures only) part_limit: each block's own rating;
 * block temperatures name the kind of block they apply to. */
static int check_limit(const cp_node *n, const char *nm, const req_row *row, cp_error *err)
{
    const cp_node *lim = cp_node_get(n, "limit"), *part = cp_node_get(n, "part_limit");
    bool temp = row->quantity == CP_REQ_BLOCK_TEMP_C;
    if (row->part_limit && !temp)
        return cp_node_fail(err, part, "requirement '%s': part_limit applies to block_temp_c "
                                       "only", nm);
    if (row->part_limit && lim)
        return cp_node_fail(err, lim, "requirement '%s': a limit or part_limit: true, not "
                                      "both", nm);
    if (!row->part_limit && !lim)
        return cp_node_fail(err, n, "requirement '%s': no limit; expected limit: {value, "
                                    "source|assumption}%s", nm,
                            temp ? " or part_limit: true" : "");
    if (temp != (cp_node_get(n, "block_kind") != NULL))
        return cp_node_fail(err, temp ? n : cp_node_get(n, "block_kind"),
                            temp ? "requirement '%s': block_temp_c needs block_kind: (%s)"
                                 : "requirement '%s': block_kind applies to block_temp_c only%s",
                            nm, temp ? BLOCK_KINDS : "");
    return 0;
}

static int bind_req(const cp_catalog *cat, const cp_node *n, cp_requirement *r,
                    cp_error *err)
{
    static const char *const extra[] = {"name", "note", NULL};
    const char *nm = cp_item_name(n, "requirement", err);
    if (!nm)
        return -1;
    const cp_node *lim = cp_node_get(n, "limit");
    if (lim && (lim->kind != CP_NODE_MAP ||
                (!cp_node_get(lim, "source") && !cp_node_get(lim, "assumption"))))
        return cp_node_fail(err, lim, "requirement '%s': the limit needs {value, source: "
                                      "KEY} or {value, assumption: \"why\"}", nm);
    const cp_node *why = lim ? cp_node_get(lim, "assumption") : NULL;
    if (why && (why->kind != CP_NODE_SCALAR || strlen(why->scalar) < 8))
        return cp_node_fail(err, why, "an assumption needs a reason (8 characters or more)");
    if (cp_check_param_sources(cat, n, err))
        return -1;
    char what[CP_NAME_MAX + 16];
    snprintf(what, sizeof what, "requirement '%s'", nm);
    req_row row = {0};
    cp_bind_ctx ctx = {n, what, extra};
    if (cp_bind(&ctx, req_fields, sizeof req_fields / sizeof *req_fields, &row, err))
        return -1;
    if (strlen(nm) >= CP_NAME_MAX)
        return cp_node_fail(err, n, "requirement name longer than %d characters",
                            CP_NAME_MAX - 1);
    if (check_limit(n, nm, &row, err))
        return -1;
    *r = (cp_requirement){.quantity = (cp_req_quantity)row.quantity,
                          .at_most = row.bound == 0,
                          .limit = row.limit,
                          .lane_rate_gbps = row.lane_rate_gbps,
                          .port_speed_gbps = row.port_speed_gbps,
                          .media = row.media - 1,
                          .parallel_only = row.parallel_only,
                          .part_limit = row.part_limit};
    cp_strlcpy(r->name, nm, sizeof r->name);
    cp_strlcpy(r->document, row.document, sizeof r->document);
    cp_strlcpy(r->clause, row.clause, sizeof r->clause);
    cp_strlcpy(r->serdes_class, row.serdes_class, sizeof r->serdes_class);
    if (row.quantity == CP_REQ_BLOCK_TEMP_C)
        cp_strlcpy(r->block_kind, block_kinds[row.block_kind], sizeof r->block_kind);
    return 0;
}

int cp_requirements_load(const char *data_dir, const cp_catalog *cat, cp_requirements *out,
                         cp_error *err)
{
    memset(out, 0, sizeof *out);
    char path[4096];
    snprintf(path, sizeof path, "%s/requirements.yaml", data_dir);
    cp_pool pool = {0};
    int rc = -1;
    cp_node *root = cp_yaml_load(&pool, path, NULL, 0, err);
    const cp_node *list = root ? cp_node_get(root, "requirements") : NULL;
    if (root && (!list || list->kind != CP_NODE_SEQ))
        cp_node_fail(err, list ? list : root, "expected a list 'requirements:'");
    else if (list && list->n > CP_REQ_MAX)
        cp_node_fail(err, list, "%zu requirements; at most %d", list->n, CP_REQ_MAX);
    else if (list) {
        rc = 0;
        for (size_t i = 0; i < list->n && rc == 0; i++)
            rc = bind_req(cat, list->items[i], &out->r[out->n++], err);
    }
    cp_pool_free(&pool);
    return rc;
}
