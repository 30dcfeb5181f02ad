/*
 * traffic_events.c — the reliability model's failure classes as traffic
 * cases: what one event of each class takes out of the fabric, for how long,
 * and the slowdown it gives a job (fed back to the reliability model as
 * cp_rel_class.slowdown).
 *
 * One event per class, placed where a job placed from GPU 0 (contiguous, as
 * the traffic and reliability placements put the first job) meets it:
 *   switch, or a co-packaged part that is not field-replaceable (an engine
 *     or an embedded laser: the switch is drained and replaced)
 *                                  -> switch 0 of the class's tier;
 *   a pluggable module facing down, a detachable engine, an ELS laser
 *                                  -> the first links_per_event ports of
 *                                     switch 0 (its down ports come first);
 *   a module facing up             -> the first links of level tier + 1,
 *                                     which are switch 0's first uplinks;
 *   a cable, a flap, a NIC module  -> the first link(s) of its level.
 * At a leaf the first ports are GPU links: the job is partitioned, as the
 * reliability model has it (those GPUs are cut off and the job stops).
 * An event lasts its service's response + hands-on hours (crew queueing
 * aside), a flap seconds (0 h).
 */
#include "internal.h"
#include "rel_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* links or ports one event takes: a whole number, at least one */
static double event_count(const cp_rel_class *c)
{
    return fmax(ceil(c->links_per_event - 1e-9), 1);
}

static cp_outage outage_of(const cp_rel_class *c, const cp_fabric_spec *f)
{
    cp_outage o;
    memset(&o, 0, sizeof o);
    snprintf(o.file, sizeof o.file, "%s: class '%s'", f->name, c->name);
    size_t tier = c->tier >= 0 ? (size_t)c->tier : 0;
    bool whole_switch = c->kind == CP_REL_SWITCH || c->replace_switch;
    bool at_switch = c->kind == CP_REL_ENGINE || c->kind == CP_REL_ELS_LASER ||
                     (c->kind == CP_REL_MODULE && c->level == c->tier);
    if (whole_switch) {
        o.kind = CP_OUT_SWITCH, o.level = tier;
    } else if (at_switch) {
        o.kind = CP_OUT_PORT, o.level = tier, o.count = event_count(c);
    } else { /* modules facing up, cables, flaps, NIC modules: links of a level */
        o.kind = CP_OUT_LINK, o.level = c->level > 0 ? (size_t)c->level : 0;
        o.count = event_count(c);
    }
    return o;
}

static bool affects_network(const cp_rel_class *c)
{
    return !c->server_side && c->kind != CP_REL_GPU_NODE && c->units > 0;
}

int cp_traffic_events(const cp_fabric_spec *f, const cp_fabric_result *r,
                      const cp_rel_spec *rel, cp_traffic_event *ev, size_t *nev,
                      cp_error *err)
{
    (void)r;
    *nev = 0;
    for (size_t k = 0; k < rel->nclasses && k < CP_MAX_CLASSES; k++) {
        const cp_rel_class *c = &rel->cls[k];
        if (!affects_network(c))
            continue;
        if (c->kind != CP_REL_SWITCH && !c->replace_switch && c->level < 0 &&
            c->kind != CP_REL_ENGINE && c->kind != CP_REL_ELS_LASER)
            return cp_fail(err, f->name, 0, 0, "class '%s' (%s) names no link level or "
                           "switch tier: no outage for it", c->name, cp_rel_kind_key(c->kind));
        cp_traffic_event *e = &ev[(*nev)++];
        memset(e, 0, sizeof *e);
        e->cls = k;
        e->out = outage_of(c, f);
        e->hours = c->transient ? 0
                                : rel->svc.response_h[c->service] + rel->svc.hands_on_h[c->service];
    }
    return 0;
}

static bool same_outage(const cp_outage *a, const cp_outage *b)
{
    return a->kind == b->kind && a->level == b->level && a->index == b->index &&
           a->port == b->port && fmax(a->count, 1) == fmax(b->count, 1);
}

/* appends ", name" to a case's name while it fits */
static void name_add(char *name, size_t len, const char *more)
{
    size_t n = strlen(name);
    if (n == 0)
        cp_strlcpy(name, more, len);
    else if (n + 2 + strlen(more) < len) {
        memcpy(name + n, ", ", 2);
        memcpy(name + n + 2, more, strlen(more) + 1);
    }
    else if (n + 4 < len && strcmp(name + n - 3, "...") != 0)
        memcpy(name + n, "...", 4);
}

int cp_traffic_event_cases(cp_traffic_event *ev, size_t nev, const cp_rel_spec *rel,
                           cp_traffic_spec *t, cp_error *err)
{
    size_t first = t->ncases;
    for (size_t i = 0; i < nev; i++) {
        size_t c = first;
        while (c < t->ncases && !same_outage(&t->cs[c].out[0], &ev[i].out))
            c++;
        if (c == t->ncases) {
            if (t->ncases >= CP_TRAFFIC_MAX_CASES)
                return cp_fail(err, rel->name, 0, 0, "the failure classes make more than %d "
                               "traffic cases (with the scenario's %zu)",
                               CP_TRAFFIC_MAX_CASES, first);
            memset(&t->cs[c], 0, sizeof t->cs[c]);
            t->cs[c].nout = 1;
            t->cs[c].out[0] = ev[i].out;
            t->ncases++;
        }
        name_add(t->cs[c].name, sizeof t->cs[c].name, rel->cls[ev[i].cls].name);
        ev[i].case_index = c + 1; /* results: cs[0] is the healthy fabric */
    }
    return 0;
}

void cp_traffic_event_slowdowns(const cp_traffic_event *ev, size_t nev,
                                const cp_traffic_result *res, cp_rel_spec *rel)
{
    for (size_t i = 0; i < nev; i++) {
        const cp_traffic_case_result *c = &res->cs[ev[i].case_index];
        rel->cls[ev[i].cls].slowdown = c->partitioned ? INFINITY : fmax(c->slowdown, 1);
    }
}

int cp_traffic_rel_slowdowns(const cp_fabric_spec *f, const cp_fabric_result *r,
                             const cp_traffic_spec *t, cp_rel_spec *rel, cp_error *err)
{
    cp_traffic_spec *ts = malloc(sizeof *ts);
    cp_traffic_result *res = malloc(sizeof *res);
    cp_traffic_event ev[CP_MAX_CLASSES];
    size_t nev = 0;
    int rc = ts && res ? 0 : cp_fail(err, f->name, 0, 0, "out of memory");
    if (rc == 0) {
        *ts = *t;
        ts->ncases = 0;
        rc = cp_traffic_events(f, r, rel, ev, &nev, err) ||
                     cp_traffic_event_cases(ev, nev, rel, ts, err) ||
                     cp_traffic_run(f, r, ts, res, err)
                 ? -1
                 : 0;
    }
    if (rc == 0 && res->cs[0].partitioned)
        rc = cp_fail(err, f->name, 0, 0, "the traffic job is partitioned on the healthy "
                     "fabric: no slowdowns");
    if (rc == 0)
        cp_traffic_event_slowdowns(ev, nev, res, rel);
    free(ts);
    free(res);
    return rc;
}

int cp_tco_case_slowdowns(cp_tco_case *c, const char *path, const char *const *sets,
                          size_t nsets, cp_error *err)
{
    bool want = false;
    for (size_t k = 0; k < c->in.nworkloads; k++)
        want |= c->in.workload[k].path_slowdown;
    if (!want)
        return 0;
    if (!cp_scenario_has(path, "traffic"))
        return cp_fail(err, path, 0, 0, "a workload prices path faults as slowdowns "
                       "(path_faults: slowdown): the scenario needs a traffic: job to take "
                       "them from");
    cp_traffic_spec *t = malloc(sizeof *t);
    if (!t)
        return cp_fail(err, path, 0, 0, "out of memory");
    int rc = cp_traffic_load(path, sets, nsets, t, err) ||
                     cp_traffic_rel_slowdowns(&c->fabric, &c->fr, t, &c->rel, err)
                 ? -1
                 : 0;
    free(t);
    return rc;
}
