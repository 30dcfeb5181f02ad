/*
 * fabric.c — sizing of a folded-Clos cluster fabric from switch designs.
 *
 * A switch of capacity C used at port speed s has radix k = C / s; a tier
 * with oversubscription o (down : up) splits it into d = k o / (1 + o)
 * down and u = k - d up ports.  With E endpoints per plane:
 *   single:      one switch, E <= k;
 *   leaf-spine:  L = ceil(E / d1) leaves, S = ceil(L u1 / k2) spines, L <= k2;
 *   rail:        as leaf-spine with one leaf per rail per group of d1 servers
 *                (NVIDIA SuperPOD style: GPU i of every server on rail i);
 *   fat-tree-3:  pods of u1 aggregation switches and d2 leaves,
 *                P = ceil(E / (d1 d2)) pods, C = ceil(P u1 u2 / k3) cores,
 *                P <= k3.
 * For a k-ary fat tree (o = 1, one radix) this gives k^3/4 hosts, 5k^2/4
 * switches and k^3/4 links per level (Al-Fares et al., SIGCOMM 2008).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double radix(const cp_fabric_tier *t)
{
    return floor(t->eval.capacity_tbps * 1000.0 / t->port_gbps + 1e-9);
}

static void split(double k, double o, double *down, double *up)
{
    *down = floor(k * o / (1 + o) + 1e-9);
    *up = k - *down;
}

bool cp_design_is_cpo(const cp_design *d)
{
    for (size_t i = 0; i < d->ngroups; i++)
        if (d->group[i].media != CP_MEDIA_CPO)
            return false;
    return true;
}

static int need_tiers(const cp_fabric_spec *f, size_t n, const char *topo, cp_error *err)
{
    if (f->ntiers != n)
        return cp_fail(err, f->name, 0, 0, "%s needs %zu tiers, the fabric has %zu",
                       topo, n, f->ntiers);
    return 0;
}

/* Switch counts and links per level; fills max_endpoints. */
static int size_tiers(const cp_fabric_spec *f, double E, cp_fabric_result *r, cp_error *err)
{
    cp_fabric_tier_result *t = r->tier;
    for (size_t i = 0; i < f->ntiers; i++) {
        t[i].radix = radix(&f->tier[i]);
        if (t[i].radix < 2)
            return cp_fail(err, f->name, 0, 0, "tier '%s': a %.1f Tb/s switch has no "
                           "room for %g Gb/s ports", f->tier[i].name,
                           f->tier[i].eval.capacity_tbps, f->tier[i].port_gbps);
        if (i + 1 < f->ntiers)
            split(t[i].radix, f->tier[i].oversubscription, &t[i].down, &t[i].up);
        else
            t[i].down = t[i].radix, t[i].up = 0;
    }
    double k1 = t[0].radix;
    switch (f->topology) {
    case CP_TOPO_SINGLE:
        if (need_tiers(f, 1, "single", err))
            return -1;
        r->max_endpoints = k1;
        if (E > k1)
            return cp_fail(err, f->name, 0, 0, "%g endpoints do not fit one switch of "
                           "radix %g; use leaf-spine", E, k1);
        t[0].switches = 1;
        r->level[0].links = E;
        r->hops = 1;
        return 0;
    case CP_TOPO_LEAF_SPINE:
    case CP_TOPO_RAIL: {
        if (need_tiers(f, 2, f->topology == CP_TOPO_RAIL ? "rail-optimized" : "leaf-spine", err))
            return -1;
        double d1 = t[0].down, u1 = t[0].up, k2 = t[1].radix, L;
        if (f->topology == CP_TOPO_RAIL) {
            double servers = ceil(E / f->rails);
            L = f->rails * ceil(servers / d1);
        } else {
            L = ceil(E / d1);
        }
        r->max_endpoints = d1 * k2;
        if (L > k2)
            return cp_fail(err, f->name, 0, 0,
                           "%g endpoints need %g leaves, but a spine of radix %g reaches "
                           "only %g: a 2-tier fabric of these switches holds at most %g "
                           "endpoints; use fat-tree-3 or larger switches",
                           E, L, k2, k2, d1 * k2);
        t[0].switches = L;
        t[1].switches = ceil(L * u1 / k2);
        r->level[0].links = E;
        r->level[1].links = L * u1;
        r->hops = 3;
        return 0;
    }
    case CP_TOPO_FAT_TREE3: {
        if (need_tiers(f, 3, "fat-tree-3", err))
            return -1;
        double d1 = t[0].down, u1 = t[0].up, d2 = t[1].down, u2 = t[1].up, k3 = t[2].radix;
        double P = ceil(E / (d1 * d2));
        r->max_endpoints = d1 * d2 * k3;
        if (P > k3)
            return cp_fail(err, f->name, 0, 0,
                           "%g endpoints need %g pods of %g, but a core switch of radix "
                           "%g reaches only %g pods: this 3-tier fabric holds at most %g "
                           "endpoints; add planes or use larger switches",
                           E, P, d1 * d2, k3, k3, d1 * d2 * k3);
        t[0].switches = ceil(E / d1);
        t[1].switches = P * u1;
        t[2].switches = ceil(P * u1 * u2 / k3);
        r->level[0].links = E;
        r->level[1].links = t[0].switches * u1;
        r->level[2].links = P * u1 * u2;
        r->hops = 5;
        return 0;
    }
    }
    return cp_fail(err, f->name, 0, 0, "unknown topology");
}

/* Cable reach of each level from the physical layout: racks in rows of
 * racks_per_row; GPU-leaf in the rack (or to the end of the row); leaf-agg
 * within a pod's rows (the whole fabric for two tiers); agg-core across the
 * floor, taken as square. */
static void reach(const cp_fabric_spec *f, cp_fabric_result *r)
{
    double row_len = f->racks_per_row * f->rack_width_m;
    double gpus_per_plane_port = f->gpus / (r->endpoints / f->planes);
    double pod = f->ntiers == 3 ? r->tier[0].down * r->tier[1].down * gpus_per_plane_port
                                : f->gpus;
    double pod_rows = ceil(ceil(fmin(pod, f->gpus) / f->gpus_per_rack) / f->racks_per_row);
    double racks = ceil(f->gpus / f->gpus_per_rack);
    bool eor = f->leaf_end_of_row || f->topology == CP_TOPO_RAIL;
    r->level[0].reach_m = eor ? row_len / 2 + 2 : 2.0;
    r->level[1].reach_m = pod_rows * f->row_spacing_m / 2 + row_len / 2 + 5;
    r->level[2].reach_m = sqrt(racks * f->rack_width_m * f->row_spacing_m) + 20;
}

static int choose_media(const cp_fabric_spec *f, cp_fabric_result *r, cp_error *err)
{
    for (size_t l = 0; l < f->ntiers; l++) {
        const cp_fabric_tier *up = &f->tier[l];
        bool cpo = cp_design_is_cpo(&up->design) || (l > 0 && cp_design_is_cpo(&f->tier[l - 1].design));
        cp_link_media m = up->media;
        if (m == CP_LM_COPPER && cpo)
            return cp_fail(err, f->name, 0, 0, "tier '%s': links to a CPO switch are "
                           "optical; they cannot be copper", up->name);
        r->level[l].optical = m == CP_LM_OPTICAL || cpo ||
                              (m == CP_LM_AUTO && r->level[l].reach_m > f->copper_reach_m);
        double max_m = up->design.group[0].link.length_m;
        r->level[l].beyond_reach = r->level[l].optical && r->level[l].reach_m > max_m;
    }
    return 0;
}

/* Power, transceivers, engines and lasers of one tier. */
static void tier_optics(const cp_fabric_spec *f, size_t i, cp_fabric_result *r)
{
    const cp_fabric_tier *T = &f->tier[i];
    cp_fabric_tier_result *t = &r->tier[i];
    const cp_design *d = &T->design;
    const cp_result *e = &T->eval;
    double scale = (1 + d->sys.cooling_fraction) / d->sys.conversion_efficiency;
    double opt_ports = 0, cu_ports = 0;
    double below = r->level[i].links, above = i + 1 < f->ntiers ? r->level[i + 1].links : 0;
    *(r->level[i].optical ? &opt_ports : &cu_ports) += below;
    if (i + 1 < f->ntiers)
        *(r->level[i + 1].optical ? &opt_ports : &cu_ports) += above;
    t->ports_used = below + above;
    t->ports_free = t->switches * t->radix - t->ports_used;
    double base = e->total_w, cpo_w = 0, module_w = 0, module_gbps = 0, module_lanes = 0;
    for (size_t g = 0; g < d->ngroups; g++) {
        const cp_group_result *gr = &e->group[g];
        double wall = (gr->optics_w + gr->lasers_w) * scale;
        base -= wall;
        if (d->group[g].media == CP_MEDIA_CPO) {
            cpo_w += wall;
            t->engines += gr->engines * t->switches;
            t->lasers += gr->lasers * t->switches;
            t->laser_modules += gr->laser_modules * t->switches;
        } else if (module_gbps == 0) {
            module_w = wall / d->group[g].count;
            module_gbps = d->group[g].speed_gbps;
            module_lanes = d->group[g].module.lanes;
        }
    }
    if (cp_design_is_cpo(d)) {
        t->cpo_ports = opt_ports;
    } else {
        /* breakout: one module serves module_gbps / port_gbps ports */
        t->modules = ceil(opt_ports * T->port_gbps / module_gbps);
        t->lasers += t->modules * module_lanes; /* one laser per optical lane */
    }
    t->optics_power_w = t->switches * cpo_w + t->modules * module_w;
    t->power_w = t->switches * base + t->optics_power_w + cu_ports * f->copper_w_per_end * scale;
}

static double lane_gbps(const cp_design *d)
{
    return d->group[0].link.lane_rate_gbps;
}

int cp_fabric_eval(const cp_fabric_spec *f, cp_fabric_result *r, cp_error *err)
{
    memset(r, 0, sizeof *r);
    double E = ceil(f->gpus * f->nics_per_gpu);
    r->ntiers = f->ntiers;
    r->endpoints = E * f->planes;
    if (size_tiers(f, E, r, err))
        return -1;
    reach(f, r);
    if (choose_media(f, r, err))
        return -1;
    for (size_t i = 0; i < f->ntiers; i++)
        tier_optics(f, i, r);
    /* NIC side of the GPU links */
    double nic_w = 0;
    if (r->level[0].optical) {
        r->nic_modules = E;
        nic_w = E * (f->nic_module.dsp_w + f->nic_module.driver_tia_w +
                     f->nic_module.laser_w + f->nic_module.other_w);
    } else {
        nic_w = E * f->copper_w_per_end;
    }
    double P = f->planes;
    for (size_t i = 0; i < f->ntiers; i++) {
        cp_fabric_tier_result *t = &r->tier[i];
        cp_fabric_level *lv = &r->level[i];
        /* every plane is a copy of the sized fabric */
        t->switches *= P, t->ports_used *= P, t->ports_free *= P, t->modules *= P;
        t->cpo_ports *= P, t->engines *= P, t->lasers *= P, t->laser_modules *= P;
        t->power_w *= P, t->optics_power_w *= P;
        lv->links *= P;
        if (lv->optical)
            lv->fibers = lv->links * 2 * ceil(f->tier[i].port_gbps / lane_gbps(&f->tier[i].design));
        r->switches += t->switches;
        r->links += lv->links;
        r->optical_links += lv->optical ? lv->links : 0;
        r->modules += t->modules;
        r->cpo_ports += t->cpo_ports;
        r->engines += t->engines;
        r->lasers += t->lasers;
        r->fibers += lv->fibers;
        r->network_w += t->power_w;
        r->optics_w += t->optics_power_w;
    }
    r->nic_modules *= P;
    r->switch_lasers = r->lasers;
    for (size_t i = 0; i < f->ntiers; i++) {
        const cp_design *d = &f->tier[i].design;
        r->capex_usd += r->tier[i].switches * d->sys.price_usd +
                        r->tier[i].modules * d->group[0].module.price_usd +
                        r->tier[i].laser_modules * d->group[0].laser.module_price_usd;
    }
    r->capex_usd += r->nic_modules * f->nic_module.price_usd;
    r->modules += r->nic_modules;
    r->lasers += r->nic_modules * f->nic_lasers_per_module;
    r->optical_ends = 2 * r->optical_links;
    r->network_w += nic_w * P;
    r->optics_w += r->level[0].optical ? nic_w * P : 0;
    r->gpu_w = f->gpus * (f->gpu_w + f->host_w_per_gpu);
    r->cluster_w = r->gpu_w + r->network_w;
    r->network_w_per_gpu = r->network_w / f->gpus;
    r->optics_share = r->optics_w / r->cluster_w;
    double over = 1;
    for (size_t i = 0; i + 1 < f->ntiers; i++)
        over *= f->tier[i].oversubscription;
    r->bisection_tbps = r->endpoints * f->link_gbps / 2 / over / 1000;
    return 0;
}
