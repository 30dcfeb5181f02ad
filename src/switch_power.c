/*
 * switch_power.c — a switch system's wall power from its parts:
 *   ASIC core + host SerDes (+ retimers) + per-port optics + lasers + board
 *   + cooling (a share of the DC load) + conversion losses (PSU, VRM),
 * and the per-port, per-bit and density figures derived from it.
 */
#include "cposim.h"

#include <math.h>
#include <string.h>

const char *cp_media_name(cp_media m)
{
    switch (m) {
    case CP_MEDIA_PLUGGABLE: return "pluggable";
    case CP_MEDIA_LPO: return "lpo";
    case CP_MEDIA_CPO: return "cpo";
    }
    return "?";
}

const char *cp_warning_text(cp_warning_code c)
{
    switch (c) {
    case CP_WARN_LINK_OPEN: return "optical link does not close (margin dB, required 0)";
    case CP_WARN_CHANNEL_OVER_BUDGET: return "electrical channel beyond every SerDes budget (loss dB, best budget dB)";
    case CP_WARN_RETIMER_NEEDED: return "electrical channel needs a retimer (loss dB, best budget dB)";
    case CP_WARN_FACEPLATE_FULL: return "more front-panel cages than the faceplate holds (cages, slots)";
    case CP_WARN_ASIC_LANES: return "ports need more SerDes lanes than the ASIC has (lanes, ASIC lanes)";
    case CP_WARN_ENGINE_LANES: return "optical engines partly used (engines, lanes per engine)";
    case CP_WARN_FABRIC_OVERSIZED: return "fewer tiers would hold these endpoints (endpoints, what the smaller fabric holds)";
    case CP_WARN_BEYOND_REACH: return "links longer than the optics reach (reach m, optics reach m)";
    }
    return "?";
}

static void warn(cp_result *r, cp_warning_code c, int g, double v, double lim)
{
    if (r->nwarn < CP_MAX_WARNINGS)
        r->warn[r->nwarn++] = (cp_warning){c, g, v, lim};
}

static void eval_pluggable(const cp_port_group *pg, cp_group_result *gr)
{
    const cp_module *m = &pg->module;
    gr->optics_w = pg->count * (m->dsp_w + m->driver_tia_w + m->other_w);
    gr->lasers_w = pg->count * m->laser_w;
    gr->cages = pg->count;
    cp_link_eval_tx(&pg->link, &gr->link);
}

static void eval_cpo(const cp_port_group *pg, cp_group_result *gr)
{
    const cp_engine *e = &pg->engine;
    double lanes = pg->count * pg->speed_gbps / e->lane_rate_gbps;
    gr->engines = ceil(lanes / e->lanes);
    cp_engine_eval(e, lanes, gr->engines, &gr->engine);
    gr->lasers = ceil(lanes / e->lanes_per_laser);
    gr->laser_modules = ceil(gr->lasers / pg->laser.lasers_per_module);
    gr->optics_w = gr->engine.electronics_w;
    gr->lasers_w = cp_laser_elec_w(&pg->laser, gr->lasers);
    gr->cages = pg->laser.external ? gr->laser_modules : 0;
    gr->fibers = pg->laser.external ? gr->lasers : 0; /* laser feed fibres */
    cp_link_eval_cpo(&pg->link, e, &pg->laser, &gr->link);
}

static void eval_group(const cp_design *d, size_t i, cp_result *r)
{
    const cp_port_group *pg = &d->group[i];
    cp_group_result *gr = &r->group[i];
    memset(gr, 0, sizeof *gr);
    gr->ports = pg->count;
    /* host electrical lanes: module lanes, or engine lanes for CPO */
    double host_lane_gbps = pg->media == CP_MEDIA_CPO
                                ? pg->engine.lane_rate_gbps
                                : pg->speed_gbps / pg->module.lanes;
    gr->lanes = pg->count * pg->speed_gbps / host_lane_gbps;
    cp_channel_eval(&pg->channel, host_lane_gbps, d->serdes, d->nserdes,
                    d->has_retimer ? &d->retimer : NULL, &gr->channel);
    gr->serdes_w = gr->lanes * gr->channel.serdes_w_per_lane;
    gr->retimer_w = gr->lanes * gr->channel.retimer_w_per_lane;
    if (pg->media == CP_MEDIA_CPO)
        eval_cpo(pg, gr);
    else
        eval_pluggable(pg, gr);
    /* one Tx and one Rx fibre per optical lane (or per WDM group of lanes) */
    gr->fibers += 2.0 * ceil(pg->count * pg->speed_gbps / pg->link.lane_rate_gbps /
                             pg->link.lanes_per_fiber);
    gr->optics_w_per_port = (gr->optics_w + gr->lasers_w) / pg->count;
    gr->io_w_per_port = gr->optics_w_per_port +
                        (gr->serdes_w + gr->retimer_w) / pg->count;
    if (!gr->link.closes)
        warn(r, CP_WARN_LINK_OPEN, (int)i, gr->link.margin_db, 0);
    const cp_serdes *s = gr->channel.serdes_index >= 0
                             ? &d->serdes[gr->channel.serdes_index] : NULL;
    if (!gr->channel.closes)
        warn(r, CP_WARN_CHANNEL_OVER_BUDGET, (int)i, gr->channel.loss_db,
             s ? s->loss_budget_db : 0);
    else if (gr->channel.retimers)
        warn(r, CP_WARN_RETIMER_NEEDED, (int)i, gr->channel.loss_db,
             s ? s->loss_budget_db : 0);
    if (pg->media == CP_MEDIA_CPO && gr->engines * pg->engine.lanes > gr->lanes)
        warn(r, CP_WARN_ENGINE_LANES, (int)i, gr->engines, pg->engine.lanes);
}

static void totals(const cp_design *d, cp_result *r)
{
    double gbps = 0, lanes = 0, pluggable_cages = 0;
    r->worst_margin_db = INFINITY;
    for (size_t i = 0; i < d->ngroups; i++) {
        const cp_group_result *gr = &r->group[i];
        r->ports += gr->ports;
        gbps += d->group[i].count * d->group[i].speed_gbps;
        lanes += gr->lanes;
        r->serdes_w += gr->serdes_w + gr->retimer_w;
        r->optics_w += gr->optics_w;
        r->lasers_w += gr->lasers_w;
        r->fibers += gr->fibers;
        if (d->group[i].media != CP_MEDIA_CPO)
            pluggable_cages += gr->cages;
        if (gr->link.margin_db < r->worst_margin_db)
            r->worst_margin_db = gr->link.margin_db;
    }
    r->capacity_tbps = gbps / 1000.0;
    r->port_speed_gbps = d->group[0].speed_gbps;
    for (size_t i = 1; i < d->ngroups; i++)
        if (d->group[i].speed_gbps != r->port_speed_gbps)
            r->port_speed_gbps = 0;
    if (d->has_asic && lanes > d->asic.serdes_lanes)
        warn(r, CP_WARN_ASIC_LANES, -1, lanes, d->asic.serdes_lanes);
    double slots = d->sys.faceplate_cages_per_ru * d->sys.rack_units;
    if (pluggable_cages > slots)
        warn(r, CP_WARN_FACEPLATE_FULL, -1, pluggable_cages, slots);
}

void cp_design_eval(const cp_design *d, cp_result *r)
{
    memset(r, 0, offsetof(cp_result, group));
    r->ngroups = d->ngroups;
    r->nwarn = 0;
    for (size_t i = 0; i < d->ngroups; i++)
        eval_group(d, i, r);
    totals(d, r);
    r->asic_w = d->has_asic ? d->asic.core_power_w : 0;
    r->board_w = d->sys.board_other_w;
    double it = r->asic_w + r->serdes_w + r->optics_w + r->lasers_w + r->board_w;
    r->cooling_w = d->sys.cooling_fraction * it;
    r->dc_w = it + r->cooling_w;
    r->total_w = r->dc_w / d->sys.conversion_efficiency;
    r->conversion_w = r->total_w - r->dc_w;
    double gbps = r->capacity_tbps * 1000.0;
    r->optics_w_per_port = (r->optics_w + r->lasers_w) / r->ports;
    r->io_w_per_port = (r->optics_w + r->lasers_w + r->serdes_w) / r->ports;
    /* W / (Gb/s) x 1000 = pJ/bit */
    r->optics_pj_per_bit = (r->optics_w + r->lasers_w) / gbps * 1e3;
    r->io_pj_per_bit = (r->optics_w + r->lasers_w + r->serdes_w) / gbps * 1e3;
    r->system_pj_per_bit = r->total_w / gbps * 1e3;
    r->ports_per_ru = r->ports / d->sys.rack_units;
    r->mpo = ceil(r->fibers / d->sys.fibers_per_mpo);
}
