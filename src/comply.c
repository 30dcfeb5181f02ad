/*
 * comply.c — a switch design against the requirements of
 * data/requirements.yaml (src/requirements.c), port group by port group:
 * the value the models give for each requirement that applies, its margin
 * to the limit (positive passes) and pass/fail.
 *
 *   host_loss_db       the host channel's loss at Nyquist (src/channel.c),
 *                      by the SerDes class the channel model chose
 *   optical_il_db      fibre + connections of the lane (src/optical_link.c)
 *   optical_reach_m    the link's length
 *   optical_margin_db  the lane budget's margin at the target BER
 *   els_power_dbm      an external laser's output per fibre (CPO)
 *   eye_safety_dbm     power at an accessible fibre output: the ELS fibre
 *                      (CPO; disconnecting it exposes the full laser power)
 *   block_temp_c       a thermal block's hottest point at its heated face
 *                      (the junction plane) in the steady state of the
 *                      package model (src/thermal_solve.c), block by block:
 *                      cp_comply_thermal, for scenarios with `thermal:`
 */
#include "internal.h"

#include <math.h>
#include <string.h>

/* Appends one check; NaN fails (its margin is NaN, and NaN >= 0 is false). */
static void add_check(cp_compliance *out, const cp_requirement *r, int req, int group,
                      int block, double limit, double v)
{
    if (out->n >= CP_CHECK_MAX)
        return;
    cp_check *c = &out->c[out->n++];
    *c = (cp_check){.group = group, .block = block, .req = req, .limit = limit, .value = v};
    c->margin = r->at_most ? limit - v : v - limit;
    c->pass = c->margin >= 0;
    out->failed += !c->pass;
}

static bool same_rate(double want, double have)
{
    return want <= 0 || fabs(want - have) <= 0.01 * want;
}

/* Whether r applies to group g; its value in *v. */
static bool value_of(const cp_design *d, const cp_result *res, size_t g,
                     const cp_requirement *r, double *v)
{
    const cp_port_group *pg = &d->group[g];
    const cp_group_result *gr = &res->group[g];
    if (r->media >= 0 && (int)pg->media != r->media)
        return false;
    if (!same_rate(r->port_speed_gbps, pg->speed_gbps))
        return false;
    switch (r->quantity) {
    case CP_REQ_HOST_LOSS_DB: {
        int k = gr->channel.serdes_index;
        if (k < 0 || (r->serdes_class[0] && strcmp(r->serdes_class, d->serdes[k].cls)) ||
            !same_rate(r->lane_rate_gbps, d->serdes[k].lane_rate_gbps))
            return false;
        *v = gr->channel.loss_db;
        return true;
    }
    case CP_REQ_OPTICAL_IL_DB:
    case CP_REQ_OPTICAL_REACH_M:
    case CP_REQ_OPTICAL_MARGIN_DB:
        if (!same_rate(r->lane_rate_gbps, pg->link.lane_rate_gbps) ||
            (r->parallel_only && pg->link.lanes_per_fiber > 1))
            return false;
        *v = r->quantity == CP_REQ_OPTICAL_IL_DB    ? gr->link.channel_loss_db
             : r->quantity == CP_REQ_OPTICAL_REACH_M ? pg->link.length_m
                                                     : gr->link.margin_db;
        return true;
    case CP_REQ_ELS_POWER_DBM:
    case CP_REQ_EYE_SAFETY_DBM:
        if (pg->media != CP_MEDIA_CPO || !pg->laser.external)
            return false;
        *v = pg->laser.output_power_dbm;
        return true;
    default:
        return false;
    }
}

void cp_comply(const cp_design *d, const cp_result *res, const cp_requirements *q,
               cp_compliance *out)
{
    memset(out, 0, sizeof *out);
    for (size_t g = 0; g < d->ngroups; g++)
        for (size_t i = 0; i < q->n; i++) {
            double v;
            if (value_of(d, res, g, &q->r[i], &v))
                add_check(out, &q->r[i], (int)i, (int)g, -1, q->r[i].limit, v);
        }
}

void cp_comply_thermal(const cp_thermal_spec *t, const cp_thermal_result *tr,
                       const cp_requirements *q, cp_compliance *out)
{
    for (size_t i = 0; i < q->n; i++) {
        const cp_requirement *r = &q->r[i];
        if (r->quantity != CP_REQ_BLOCK_TEMP_C)
            continue;
        for (size_t b = 0; b < t->nblocks && b < tr->nblocks; b++) {
            const cp_tblock *B = &t->block[b];
            if (strcmp(B->kind, r->block_kind) || (r->part_limit && !(B->limit_c > 0)))
                continue;
            add_check(out, r, (int)i, -1, (int)b, r->part_limit ? B->limit_c : r->limit,
                      tr->block[b].max_c);
        }
    }
}

double cp_compliance_worst_margin(const cp_compliance *c, const cp_requirements *q,
                                  cp_req_quantity k)
{
    double w = INFINITY;
    for (size_t i = 0; i < c->n; i++) {
        double m = c->c[i].margin;
        if (q->r[c->c[i].req].quantity != k)
            continue;
        if (isnan(m))
            return NAN; /* a check that could not be evaluated is the worst */
        w = m < w ? m : w;
    }
    return w;
}
