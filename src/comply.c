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
 */
#include "internal.h"

#include <math.h>
#include <string.h>

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
        for (size_t i = 0; i < q->n && out->n < CP_CHECK_MAX; i++) {
            const cp_requirement *r = &q->r[i];
            double v;
            if (!value_of(d, res, g, r, &v))
                continue;
            cp_check *c = &out->c[out->n++];
            c->group = (int)g;
            c->req = (int)i;
            c->value = v;
            c->margin = r->at_most ? r->limit - v : v - r->limit;
            c->pass = c->margin >= 0; /* NaN fails */
            out->failed += !c->pass;
        }
}
