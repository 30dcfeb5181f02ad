/*
 * fabric.c — sizing of a folded-Clos cluster fabric from switch designs.
 *
 * A switch whose port groups g have c_g ports of s_g Gb/s, used at port
 * speed s, has radix k = sum_g c_g s_g / s (breakout).  A tier below the top
 * faces down with d and up with u = k - d ports: by default d = k o / (1 + o)
 * for an oversubscription o (ports taken in the design's group order), or
 * whole groups assigned to face down or up.  With E endpoints per plane:
 *   single:      one switch, E <= k;
 *   leaf-spine:  L = ceil(E / d1) leaves, S = ceil(links / k2) spines, L <= k2;
 *   rail:        as leaf-spine with one leaf per rail per group of d1 servers
 *                (NVIDIA SuperPOD style: GPU i of every server on rail i);
 *   fat-tree-3:  pods of d2 leaves and u1 aggregation switches,
 *                P = ceil(E / (d1 d2)) pods, C = ceil(links / k3) cores,
 *                P <= k3.
 * A partly filled switch with n of its d down ports in use cables
 * ceil(n u / d) uplinks (its d : u kept), so a partial pod gets the links it
 * needs and a non-blocking fabric has exactly E links per level.  For a
 * k-ary fat tree (o = 1, one radix) this gives k^3/4 hosts, 5k^2/4 switches
 * and k^3/4 links per level (Al-Fares et al., SIGCOMM 2008).
 *
 * Each port group of a tier's switch is then sized on its own: the ports it
 * serves, their media (a level touching a CPO group is optical), the
 * transceivers it needs (pluggable groups), its engines and lasers (CPO
 * groups) and their power at the wall.
 */
#include "internal.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EPS 1e-9

double cp_fabric_uplinks(double used_down, double down, double up)
{
    return down > 0 ? ceil(used_down * up / down - EPS) : 0;
}

/* Fails at a position of the input (o), or at the fabric's name. */
static int fail_at(cp_error *err, const cp_error *o, const cp_fabric_spec *f,
                   const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int fail_at(cp_error *err, const cp_error *o, const cp_fabric_spec *f,
                   const char *fmt, ...)
{
    char msg[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return cp_fail(err, o->file[0] ? o->file : f->name, o->line, o->col, "%s", msg);
}
#define fab_fail(err, f, ...) fail_at(err, &(f)->origin, f, __VA_ARGS__)
#define tier_fail(err, f, i, ...) fail_at(err, &(f)->tier[i].origin, f, __VA_ARGS__)

static void fwarn(cp_fabric_result *r, cp_warning_code c, int at, double v, double lim)
{
    if (r->nwarn < CP_MAX_WARNINGS)
        r->warn[r->nwarn++] = (cp_warning){c, at, v, lim};
}

bool cp_design_is_cpo(const cp_design *d)
{
    for (size_t i = 0; i < d->ngroups; i++)
        if (d->group[i].media != CP_MEDIA_CPO)
            return false;
    return d->ngroups > 0;
}

/* Ports per switch of each group facing down and up. */
static int assign_ports(const cp_fabric_spec *f, size_t i, cp_fabric_tier_result *t,
                        cp_error *err)
{
    const cp_fabric_tier *T = &f->tier[i];
    const cp_design *d = &T->design;
    bool top = i + 1 == f->ntiers, explicit_facing = false;
    double cap[CP_MAX_GROUPS] = {0};
    t->ngroups = d->ngroups;
    t->radix = 0;
    for (size_t g = 0; g < d->ngroups; g++) {
        const cp_port_group *pg = &d->group[g];
        double per = pg->speed_gbps / T->port_gbps;
        if (per < 1 - EPS || fabs(per - round(per)) > EPS)
            return tier_fail(err, f, i, "tier '%s': port group '%s' of %s runs at %g Gb/s, "
                            "which does not break out into %g Gb/s ports; use a "
                            "port_gbps that divides %g", T->name, pg->name, d->name,
                            pg->speed_gbps, T->port_gbps, pg->speed_gbps);
        cap[g] = pg->count * round(per);
        t->radix += cap[g];
        explicit_facing |= T->facing[g] != CP_FACE_AUTO;
    }
    if (t->radix < 2)
        return tier_fail(err, f, i, "tier '%s': switch %s has %g port(s) of %g Gb/s; a fabric "
                        "switch needs at least 2", T->name, d->name, t->radix, T->port_gbps);
    double left = 0;
    if (top) {
        t->down = t->radix, t->up = 0, left = t->radix;
    } else if (!explicit_facing) {
        t->down = floor(t->radix * T->oversubscription / (1 + T->oversubscription) + EPS);
        t->up = t->radix - t->down;
        left = t->down;
    }
    for (size_t g = 0; g < d->ngroups; g++) {
        cp_fabric_group_use *u = &t->grp[g];
        if (top || !explicit_facing) {
            u->down_per_switch = fmin(cap[g], left);
            u->up_per_switch = top ? 0 : cap[g] - u->down_per_switch;
            left -= u->down_per_switch;
        } else if (T->facing[g] == CP_FACE_AUTO) {
            return tier_fail(err, f, i, "tier '%s': port group '%s' needs a facing (down or "
                            "up) when another group of %s has one", T->name,
                            d->group[g].name, d->name);
        } else {
            *(T->facing[g] == CP_FACE_DOWN ? &u->down_per_switch : &u->up_per_switch) = cap[g];
            *(T->facing[g] == CP_FACE_DOWN ? &t->down : &t->up) += cap[g];
        }
    }
    if (!top && (t->down < 1 || t->up < 1))
        return tier_fail(err, f, i, "tier '%s' has %g port(s) facing down and %g facing up; a "
                        "tier below the top needs both: change its oversubscription or "
                        "the facing of its port groups", T->name, t->down, t->up);
    t->oversubscription = top ? 0 : t->down / t->up;
    return 0;
}

/* Links between the leaves and the tier above, leaf by leaf: n endpoints
 * spread over leaves of d1 down ports. */
static double leaf_uplinks(double n, double d1, double u1)
{
    double full = floor(n / d1 + EPS);
    return full * u1 + cp_fabric_uplinks(n - full * d1, d1, u1);
}

static int size_two_tier(const cp_fabric_spec *f, double E, cp_fabric_result *r,
                         cp_error *err)
{
    cp_fabric_tier_result *t = r->tier;
    double d1 = t[0].down, u1 = t[0].up, k2 = t[1].radix, L, up = 0;
    if (f->topology == CP_TOPO_RAIL) {
        double G = ceil(ceil(E / f->rails) / d1 - EPS);
        L = f->rails * G;
        for (double rail = 0; rail < f->rails; rail++) /* endpoints of this rail */
            up += leaf_uplinks(ceil((E - rail) / f->rails - EPS), d1, u1);
    } else {
        L = ceil(E / d1 - EPS);
        up = leaf_uplinks(E, d1, u1);
    }
    r->max_endpoints = d1 * k2;
    if (L > k2)
        return fab_fail(err, f, "%g endpoints need %g leaves, but a spine of radix %g "
                        "reaches only %g: a 2-tier fabric of these switches holds at most "
                        "%g endpoints per plane; use fat-tree-3, switches of higher radix, "
                        "or oversubscribe the leaves", E, L, k2, k2, d1 * k2);
    t[0].switches = L;
    t[1].switches = ceil(up / k2 - EPS);
    r->level[0].links = E;
    r->level[1].links = up;
    r->hops = 3;
    return 0;
}

static int size_fat_tree(const cp_fabric_spec *f, double E, cp_fabric_result *r,
                         cp_error *err)
{
    cp_fabric_tier_result *t = r->tier;
    double d1 = t[0].down, u1 = t[0].up, d2 = t[1].down, u2 = t[1].up, k3 = t[2].radix;
    double pod = d1 * d2, P = ceil(E / pod - EPS);
    r->max_endpoints = pod * k3;
    if (P > k3)
        return fab_fail(err, f, "%g endpoints need %g pods of %g, but a core switch of radix "
                        "%g reaches only %g pods: this 3-tier fabric holds at most %g "
                        "endpoints per plane; use switches of higher radix, or "
                        "oversubscribe the leaf or spine tier", E, P, pod, k3, k3, pod * k3);
    /* P - 1 full pods: d2 leaves, u1 aggregation switches of u2 uplinks */
    double links1 = (P - 1) * d2 * u1, links2 = (P - 1) * u1 * u2, aggs = (P - 1) * u1;
    /* the last pod, leaf by leaf and aggregation switch by switch */
    double Ep = E - (P - 1) * pod, Lp = ceil(Ep / d1 - EPS);
    double first_up = cp_fabric_uplinks(fmin(Ep, d1), d1, u1);
    double last_up = cp_fabric_uplinks(Ep - (Lp - 1) * d1, d1, u1);
    links1 += (Lp - 1) * first_up + last_up;
    aggs += first_up;
    for (double j = 0; j < first_up; j++) { /* leaves reaching aggregation switch j */
        double down = (Lp - 1) + (j < last_up ? 1 : 0);
        links2 += cp_fabric_uplinks(down, d2, u2);
    }
    t[0].switches = ceil(E / d1 - EPS);
    t[1].switches = aggs;
    t[2].switches = ceil(links2 / k3 - EPS);
    r->level[0].links = E;
    r->level[1].links = links1;
    r->level[2].links = links2;
    r->hops = 5;
    return 0;
}

/* Switch counts and links per level; fills max_endpoints. */
static int size_tiers(const cp_fabric_spec *f, double E, cp_fabric_result *r, cp_error *err)
{
    static const size_t need[] = {1, 2, 3, 2};
    static const char *const names[] = {"single", "leaf-spine", "fat-tree-3",
                                        "rail-optimized"};
    if (f->ntiers != need[f->topology])
        return fab_fail(err, f, "%s needs %zu tiers, the fabric has %zu",
                        names[f->topology], need[f->topology], f->ntiers);
    for (size_t i = 0; i < f->ntiers; i++)
        if (assign_ports(f, i, &r->tier[i], err))
            return -1;
    double k1 = r->tier[0].radix;
    if (f->topology == CP_TOPO_SINGLE) {
        r->max_endpoints = k1;
        if (E > k1)
            return fab_fail(err, f, "%g endpoints do not fit one switch of radix %g; use "
                            "leaf-spine", E, k1);
        r->tier[0].switches = 1;
        r->level[0].links = E;
        r->hops = 1;
        return 0;
    }
    int rc = f->topology == CP_TOPO_FAT_TREE3 ? size_fat_tree(f, E, r, err)
                                              : size_two_tier(f, E, r, err);
    if (rc)
        return rc;
    /* a topology far larger than its load: say what would do */
    if (E <= k1)
        fwarn(r, CP_WARN_FABRIC_OVERSIZED, 0, E, k1);
    else if (f->topology == CP_TOPO_FAT_TREE3 && E <= r->tier[0].down * r->tier[1].radix)
        fwarn(r, CP_WARN_FABRIC_OVERSIZED, 1, E, r->tier[0].down * r->tier[1].radix);
    return 0;
}

/* Cable reach of each level from the physical layout: racks in rows of
 * racks_per_row; GPU-leaf in the rack (or to the end of the row); leaf-agg
 * within a pod's rows (the whole fabric for two tiers); agg-core across the
 * floor, taken as square.  The slack terms (+2, +5, +20 m) are routing
 * allowances: vertical runs in the rack, tray drops and patch panels. */
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

/* One end of a level: the port groups facing it (NULL groups: the NICs). */
typedef struct level_end {
    const cp_fabric_tier *tier;
    const cp_fabric_tier_result *t;
    bool up;                     /* the groups facing up (the lower tier) */
} level_end;

static bool faces(const level_end *e, size_t g)
{
    return e->up ? e->t->grp[g].up_per_switch > 0 : e->t->grp[g].down_per_switch > 0;
}

/* Lane rate of the optics of group g (CPO engine lanes or module lanes). */
static double group_lane_gbps(const cp_port_group *pg)
{
    if (pg->media != CP_MEDIA_CPO && pg->module.optical_lanes > 0)
        return pg->module.rate_gbps / pg->module.optical_lanes;
    return pg->link.lane_rate_gbps;
}

/* Media of each level, its optics reach, lane rate and the PMD check. */
static int choose_media(const cp_fabric_spec *f, cp_fabric_result *r, cp_error *err)
{
    for (size_t l = 0; l < f->ntiers; l++) {
        level_end ends[2] = {{&f->tier[l], &r->tier[l], false},
                             {l > 0 ? &f->tier[l - 1] : NULL, l > 0 ? &r->tier[l - 1] : NULL,
                              true}};
        bool cpo = false;
        double reach_max = INFINITY, lane = 0, other = 0;
        char who[2][2 * CP_NAME_MAX + 32] = {"", ""};
        if (l == 0 && f->nic_module.optical_lanes > 0) {
            lane = f->nic_module.rate_gbps / f->nic_module.optical_lanes;
            snprintf(who[0], sizeof who[0], "NIC module %s", f->nic_module.name);
        }
        for (int k = 0; k < 2; k++) {
            if (!ends[k].tier)
                continue;
            const cp_design *d = &ends[k].tier->design;
            for (size_t g = 0; g < d->ngroups; g++) {
                if (!faces(&ends[k], g))
                    continue;
                const cp_port_group *pg = &d->group[g];
                cpo |= pg->media == CP_MEDIA_CPO;
                reach_max = fmin(reach_max, pg->link.length_m);
                double lg = group_lane_gbps(pg);
                if (lane == 0) {
                    lane = lg;
                    snprintf(who[0], sizeof who[0], "port group '%s' of %s", pg->name, d->name);
                } else if (fabs(lg - lane) > EPS && other == 0) {
                    other = lg;
                    snprintf(who[1], sizeof who[1], "port group '%s' of %s", pg->name, d->name);
                }
            }
        }
        cp_link_media m = f->tier[l].media;
        if (m == CP_LM_COPPER && cpo)
            return tier_fail(err, f, l, "tier '%s': links to a CPO port group are optical; they "
                            "cannot be copper", f->tier[l].name);
        cp_fabric_level *lv = &r->level[l];
        lv->optical = m == CP_LM_OPTICAL || cpo ||
                      (m == CP_LM_AUTO && lv->reach_m > f->copper_reach_m);
        if (lv->optical && other > 0)
            return fail_at(err, l == 0 ? &f->nic_origin : &f->tier[l].origin, f, "links below tier '%s': %s runs %g Gb/s optical lanes "
                            "but %s runs %g Gb/s: both ends of a link must use the same "
                            "PMD; choose optics of one lane rate (e.g. a NIC module with "
                            "%g Gb/s lanes)", f->tier[l].name, who[0], lane, who[1], other,
                            other);
        lv->lane_gbps = lane;
        lv->optics_reach_m = reach_max;
        lv->beyond_reach = lv->optical && lv->reach_m > reach_max;
        if (lv->beyond_reach)
            fwarn(r, CP_WARN_BEYOND_REACH, (int)l, lv->reach_m, reach_max);
    }
    return 0;
}

/* Ports, transceivers, engines, lasers and power of each group of a tier. */
static void tier_groups(const cp_fabric_spec *f, size_t i, cp_fabric_result *r)
{
    const cp_fabric_tier *T = &f->tier[i];
    cp_fabric_tier_result *t = &r->tier[i];
    const cp_design *d = &T->design;
    const cp_result *e = &t->sw;
    double scale = (1 + d->sys.cooling_fraction) / d->sys.conversion_efficiency;
    double S = t->switches, below = r->level[i].links;
    bool top = i + 1 == f->ntiers;
    double above = top ? 0 : r->level[i + 1].links;
    bool opt_below = r->level[i].optical, opt_above = !top && r->level[i + 1].optical;
    t->ports_used = below + above;
    t->ports_free = S * t->radix - t->ports_used;
    double base = e->total_w, copper = 0;
    for (size_t g = 0; g < d->ngroups; g++) {
        const cp_port_group *pg = &d->group[g];
        const cp_group_result *gr = &e->group[g];
        cp_fabric_group_use *u = &t->grp[g];
        u->down_ports = fmin(u->down_per_switch * S, below);
        u->up_ports = fmin(u->up_per_switch * S, above);
        below -= u->down_ports;
        above -= u->up_ports;
        u->optical_ports = (opt_below ? u->down_ports : 0) + (opt_above ? u->up_ports : 0);
        u->copper_ports = u->down_ports + u->up_ports - u->optical_ports;
        copper += u->copper_ports;
        double wall = (gr->optics_w + gr->lasers_w) * scale; /* per switch */
        base -= wall;
        if (pg->media == CP_MEDIA_CPO) { /* engines and lasers come with the switch */
            u->cpo_ports = u->optical_ports;
            u->engines = gr->engines * S;
            u->lasers = gr->lasers * S;
            u->laser_modules = gr->laser_modules * S;
            u->optics_power_w = wall * S;
        } else { /* one module serves module rate / port speed ports */
            u->modules = ceil(u->optical_ports * T->port_gbps / pg->module.rate_gbps - EPS);
            u->lasers = u->modules * ceil(pg->module.optical_lanes /
                                          pg->module.lanes_per_laser - EPS);
            u->optics_power_w = u->modules * wall / pg->count;
        }
        t->modules += u->modules;
        t->cpo_ports += u->cpo_ports;
        t->engines += u->engines;
        t->lasers += u->lasers;
        t->laser_modules += u->laser_modules;
        t->optics_power_w += u->optics_power_w;
    }
    t->power_w = S * base + t->optics_power_w + copper * f->copper_w_per_end * scale;
}

static void scale_planes(cp_fabric_result *r, size_t n, double P)
{
    for (size_t i = 0; i < n; i++) {
        cp_fabric_tier_result *t = &r->tier[i];
        t->switches *= P, t->ports_used *= P, t->ports_free *= P, t->modules *= P;
        t->cpo_ports *= P, t->engines *= P, t->lasers *= P, t->laser_modules *= P;
        t->power_w *= P, t->optics_power_w *= P;
        for (size_t g = 0; g < t->ngroups; g++) {
            cp_fabric_group_use *u = &t->grp[g];
            u->down_ports *= P, u->up_ports *= P, u->optical_ports *= P;
            u->copper_ports *= P, u->modules *= P, u->cpo_ports *= P, u->engines *= P;
            u->lasers *= P, u->laser_modules *= P, u->optics_power_w *= P;
        }
        r->level[i].links *= P;
    }
}

static void totals(const cp_fabric_spec *f, cp_fabric_result *r, double E)
{
    double P = f->planes;
    for (size_t i = 0; i < f->ntiers; i++) {
        cp_fabric_tier_result *t = &r->tier[i];
        cp_fabric_level *lv = &r->level[i];
        if (lv->optical && lv->lane_gbps > 0)
            lv->fibers = lv->links * 2 * ceil(f->tier[i].port_gbps / lv->lane_gbps - EPS);
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
    r->switch_lasers = r->lasers;
    /* NIC side of the GPU links, at the wall through the host's overheads */
    double host = (1 + f->host_cooling_fraction) / f->host_conversion_efficiency, nic_w;
    if (r->level[0].optical) {
        const cp_module *m = &f->nic_module;
        r->nic_modules = E * P;
        nic_w = r->nic_modules * (m->dsp_w + m->driver_tia_w + m->laser_w + m->other_w) * host;
        r->optics_w += nic_w;
    } else {
        nic_w = E * P * f->copper_w_per_end * host;
    }
    r->modules += r->nic_modules;
    r->lasers += r->nic_modules * f->nic_lasers_per_module;
    r->optical_ends = 2 * r->optical_links;
    r->network_w += nic_w;
    r->gpu_w = f->gpus * (f->gpu_w + f->host_w_per_gpu);
    r->cluster_w = r->gpu_w + r->network_w;
    r->network_w_per_gpu = r->network_w / f->gpus;
    r->optics_share = r->optics_w / r->cluster_w;
    /* bisection: half the capacity of the thinnest level, as built */
    double thinnest = INFINITY;
    for (size_t l = 0; l < f->ntiers; l++)
        thinnest = fmin(thinnest, r->level[l].links * (l == 0 ? f->link_gbps
                                                               : f->tier[l].port_gbps));
    r->bisection_tbps = thinnest / 2 / 1000;
    cp_capex c;
    cp_fabric_capex(f, r, NULL, &c);
    r->capex_usd = c.total_usd;
}

int cp_fabric_eval(const cp_fabric_spec *f, cp_fabric_result *r, cp_error *err)
{
    memset(r, 0, sizeof *r);
    if (f->ntiers < 1 || f->ntiers > CP_MAX_TIERS || f->gpus < 1 || f->planes < 1 ||
        f->nics_per_gpu < 1 || !(f->host_conversion_efficiency > 0))
        return fab_fail(err, f, "fabric: gpus, planes and NICs per GPU must be at least 1, "
                        "1..%d tiers and a host conversion efficiency above 0",
                        CP_MAX_TIERS);
    double E = ceil(f->gpus * f->nics_per_gpu - EPS);
    r->ntiers = f->ntiers;
    r->endpoints = E * f->planes;
    for (size_t i = 0; i < f->ntiers; i++)
        cp_design_eval(&f->tier[i].design, &r->tier[i].sw);
    if (size_tiers(f, E, r, err))
        return -1;
    reach(f, r);
    if (choose_media(f, r, err))
        return -1;
    for (size_t i = 0; i < f->ntiers; i++)
        tier_groups(f, i, r);
    scale_planes(r, f->ntiers, f->planes);
    totals(f, r, E);
    return 0;
}
