/*
 * sweep_point.c — one point of a sweep: the base scenario loaded with the
 * point's --set values and run through the command's model (eval, fabric,
 * thermal steady state, reliability Monte Carlo, the TCO of two options, the
 * package yield and cost of a good unit, or the requirements check),
 * its outputs read by name (metrics.c) and checked: a non-finite output, a
 * thermal runaway or an unconverged loop fails the point with its cause.
 *
 * The fast path of eval sweeps skips the YAML: when each parameter's --set
 * path lands in exactly one number of the loaded design, a point is the base
 * design with those numbers written in (checked bit for bit against full
 * loads on probe points before it is used).
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool feasible_of(const cp_sweep_spec *s, const double *m)
{
    for (size_t c = 0; c < s->nconstraints; c++) {
        double v = m[s->noutputs + c];
        if (!(v >= s->constraint[c].min && v <= s->constraint[c].max))
            return false;
    }
    return true;
}

/* A point's values as --set lines ("path=value", 17 digits: exact). */
typedef struct point_sets {
    char buf[CP_SWEEP_MAX_PARAMS][CP_TEXT_MAX + 32];
    const char *set[CP_SWEEP_MAX_PARAMS];
} point_sets;

static void sets_of(const cp_sweep_spec *s, const double *values, point_sets *ps)
{
    for (size_t j = 0; j < s->nparams; j++) {
        snprintf(ps->buf[j], sizeof ps->buf[j], "%s=%.17g", s->param[j].path, values[j]);
        ps->set[j] = ps->buf[j];
    }
}

/* Id of measure k: the outputs, then the constrained outputs. */
static int measure_id(const cp_sweep_spec *s, size_t k)
{
    return k < s->noutputs ? s->output[k].id : s->constraint[k - s->noutputs].id;
}

/* Checks the measures m, then fills outputs and feasibility. */
static int finish(const cp_sweep_spec *s, const char *where, const double *m, double *outputs,
                  bool *feasible, cp_error *err)
{
    for (size_t k = 0; k < s->noutputs + s->nconstraints; k++)
        if (!isfinite(m[k]))
            return cp_fail(err, where, 0, 0, "output '%s' is not a finite number",
                           k < s->noutputs ? s->output[k].output
                                           : s->constraint[k - s->noutputs].output);
    memcpy(outputs, m, s->noutputs * sizeof *m);
    *feasible = feasible_of(s, m);
    return 0;
}

static void measure_eval(const cp_sweep_spec *s, const cp_result *r, double *m)
{
    for (size_t k = 0; k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_eval(measure_id(s, k), r);
}

static int point_eval(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                      const point_sets *ps, double *m, cp_error *err)
{
    cp_design *d = malloc(sizeof *d);
    cp_result *r = malloc(sizeof *r);
    int rc = !d || !r ? cp_fail(err, path, 0, 0, "out of memory")
             : cp_scenario_load(path, cat, ps->set, s->nparams, d, err);
    if (rc == 0) {
        cp_design_eval(d, r);
        measure_eval(s, r, m);
    }
    free(d);
    free(r);
    return rc;
}

static int point_fabric(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                        const point_sets *ps, double *m, cp_error *err)
{
    cp_fabric_spec *f = malloc(sizeof *f);
    cp_fabric_result *r = malloc(sizeof *r);
    int rc = !f || !r ? cp_fail(err, path, 0, 0, "out of memory")
             : cp_fabric_load(path, cat, ps->set, s->nparams, f, err) ||
                       cp_fabric_eval(f, r, err) ? -1 : 0;
    for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_fabric(measure_id(s, k), r);
    free(f);
    free(r);
    return rc;
}

/* The steady state of `cposim thermal` for an evaluated design d, r: the
 * scenario's thermal section into t (the caller frees it), the result into
 * tr; no steady state (runaway, or a loop that did not converge) is an
 * error of the point. */
static int steady_of(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                     const point_sets *ps, const cp_design *d, const cp_result *r,
                     cp_thermal_spec *t, cp_thermal_result *tr, cp_error *err)
{
    cp_thermal_grid *g = NULL;
    int rc = cp_thermal_load(path, cat, ps->set, s->nparams, t, err) ||
                     cp_thermal_check_size(t, err) || cp_thermal_grid_create(t, &g, err) ||
                     cp_thermal_steady(g, t, d, r, tr, err) ? -1 : 0;
    cp_thermal_grid_free(g);
    if (rc == 0 && tr->runaway)
        rc = cp_fail(err, path, 0, 0, "thermal runaway: no steady state (hottest cell "
                     "%.4g C after %d iterations)", tr->max_c, tr->iterations);
    else if (rc == 0 && !tr->converged)
        rc = cp_fail(err, path, 0, 0, "the electro-thermal loop did not converge in %d "
                     "iterations", tr->iterations);
    return rc;
}

/* the steady state of `cposim thermal`, coupled to the switch design */
static int point_thermal(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                         const point_sets *ps, double *m, cp_error *err)
{
    cp_design *d = malloc(sizeof *d);
    cp_result *r = malloc(sizeof *r);
    cp_thermal_spec *t = calloc(1, sizeof *t); /* its blocks NULL until loaded */
    cp_thermal_result *tr = calloc(1, sizeof *tr);
    int rc = !d || !r || !t || !tr ? cp_fail(err, path, 0, 0, "out of memory")
             : cp_scenario_load(path, cat, ps->set, s->nparams, d, err) ? -1 : 0;
    if (rc == 0) {
        cp_design_eval(d, r);
        rc = steady_of(s, cat, path, ps, d, r, t, tr, err);
    }
    for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_thermal(measure_id(s, k), tr);
    if (t)
        cp_thermal_spec_free(t);
    if (tr)
        cp_thermal_result_free(tr);
    free(d);
    free(r);
    free(t);
    free(tr);
    return rc;
}

/* the Monte Carlo of `cposim reliability`: the scenario's replicas */
static int point_reliability(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                             const point_sets *ps, double *m, cp_error *err)
{
    cp_tco_case *c = malloc(sizeof *c);
    cp_rel_summary *sum = malloc(sizeof *sum);
    cp_rel_cost cost;
    int rc = !c || !sum ? cp_fail(err, path, 0, 0, "out of memory")
             : cp_tco_case_load(path, cat, ps->set, s->nparams, false, c, err) ||
                       cp_tco_case_slowdowns(c, path, ps->set, s->nparams, err) ||
                       cp_rel_estimate(&c->rel, &cost, err) ||
                       cp_rel_simulate(&c->rel, NULL, NULL, sum, err) ? -1 : 0;
    for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_reliability(measure_id(s, k), sum);
    free(c);
    free(sum);
    return rc;
}

/* the two totals of `cposim tco A --vs B` (expected-value reliability) */
static int point_tco(const cp_sweep_spec *s, const cp_catalog *cat, const cp_sweep_base *b,
                     const point_sets *ps, double *m, cp_error *err)
{
    cp_tco_case *a = malloc(sizeof *a), *v = malloc(sizeof *v);
    cp_tco ta, tb;
    int rc = !a || !v ? cp_fail(err, b->scenario, 0, 0, "out of memory")
             : cp_tco_case_load(b->scenario, cat, ps->set, s->nparams, true, a, err) ||
                       cp_tco_case_slowdowns(a, b->scenario, ps->set, s->nparams, err) ||
                       cp_tco_case_load(b->vs, cat, ps->set, s->nparams, true, v, err) ||
                       cp_tco_case_slowdowns(v, b->vs, ps->set, s->nparams, err) ||
                       cp_tco_eval(a, NULL, &ta, err) || cp_tco_eval(v, NULL, &tb, err) ? -1 : 0;
    for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_tco(measure_id(s, k), &ta, &tb);
    free(a);
    free(v);
    return rc;
}

/* the package yield Monte Carlo and the cost of a good unit of `cposim
 * yield` (one thread per point: points may run in parallel) */
static int point_yield(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                       const point_sets *ps, double *m, cp_error *err)
{
    cp_design *d = malloc(sizeof *d);
    cp_result *r = malloc(sizeof *r);
    cp_mfg *mf = malloc(sizeof *mf);
    cp_yield_spec ys;
    cp_yield_result y;
    cp_unit_cost c;
    int rc = !d || !r || !mf ? cp_fail(err, path, 0, 0, "out of memory")
             : cp_scenario_load(path, cat, ps->set, s->nparams, d, err) ? -1 : 0;
    if (rc == 0) {
        cp_design_eval(d, r);
        rc = cp_mfg_load(path, cat, ps->set, s->nparams, mf, err) ||
                     cp_yield_spec_of(d, r, mf, &ys, err) || cp_yield_run(&ys, 1, &y, err) ||
                     cp_unit_cost_eval(mf, &ys, &y, r->ports, mf->volume, &c, err) ? -1 : 0;
    }
    for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_yield(measure_id(s, k), &y, &c);
    free(d);
    free(r);
    free(mf);
    return rc;
}

/* `cposim comply`: the requirements beside the catalog, and the block
 * temperatures of the thermal steady state when the scenario has one */
static int point_comply(const cp_sweep_spec *s, const cp_catalog *cat, const char *path,
                        const point_sets *ps, double *m, cp_error *err)
{
    cp_design *d = malloc(sizeof *d);
    cp_result *r = malloc(sizeof *r);
    cp_requirements *q = malloc(sizeof *q);
    cp_compliance *c = malloc(sizeof *c);
    cp_thermal_spec *t = calloc(1, sizeof *t);
    cp_thermal_result *tr = calloc(1, sizeof *tr);
    cp_input_kind kind = CP_INPUT_SWITCH;
    int rc = !d || !r || !q || !c || !t || !tr ? cp_fail(err, path, 0, 0, "out of memory")
             : cp_scenario_load(path, cat, ps->set, s->nparams, d, err) ||
                       cp_requirements_load(cp_catalog_data_dir(cat), cat, q, err) ||
                       cp_scenario_kind(path, &kind, err) ? -1 : 0;
    if (rc == 0) {
        cp_design_eval(d, r);
        cp_comply(d, r, q, c);
    }
    if (rc == 0 && kind == CP_INPUT_THERMAL) /* the block temperatures too */
        rc = steady_of(s, cat, path, ps, d, r, t, tr, err);
    if (rc == 0 && kind == CP_INPUT_THERMAL)
        cp_comply_thermal(t, tr, q, c);
    for (size_t k = 0; rc == 0 && k < s->noutputs + s->nconstraints; k++)
        m[k] = cp_metric_comply(measure_id(s, k), c, q);
    if (t)
        cp_thermal_spec_free(t);
    if (tr)
        cp_thermal_result_free(tr);
    free(d);
    free(r);
    free(q);
    free(c);
    free(t);
    free(tr);
    return rc;
}

int cp_sweep_point(const cp_sweep_spec *s, const cp_catalog *cat, const cp_sweep_base *b,
                   const double *values, double *outputs, bool *feasible, cp_error *err)
{
    point_sets ps;
    sets_of(s, values, &ps);
    double m[CP_SWEEP_MAX_OUTPUTS + CP_SWEEP_MAX_RULES];
    const char *path = b->scenario;
    int rc = -1;
    switch (s->command) {
    case CP_SWEEP_EVAL: rc = point_eval(s, cat, path, &ps, m, err); break;
    case CP_SWEEP_FABRIC: rc = point_fabric(s, cat, path, &ps, m, err); break;
    case CP_SWEEP_THERMAL: rc = point_thermal(s, cat, path, &ps, m, err); break;
    case CP_SWEEP_RELIABILITY: rc = point_reliability(s, cat, path, &ps, m, err); break;
    case CP_SWEEP_YIELD: rc = point_yield(s, cat, path, &ps, m, err); break;
    case CP_SWEEP_COMPLY: rc = point_comply(s, cat, path, &ps, m, err); break;
    case CP_SWEEP_TCO:
        rc = b->vs ? point_tco(s, cat, b, &ps, m, err)
                   : cp_fail(err, s->file, 0, 0, "a tco sweep needs option B ('vs')");
        break;
    }
    return rc ? -1 : finish(s, path, m, outputs, feasible, err);
}

/* The fast path of eval sweeps: when each parameter's --set path lands in
 * exactly one number of the loaded design (found by loading the design at
 * two values of it and comparing the structs), a point is the base design
 * with those numbers written in, and no YAML is parsed per point.  It is
 * used only after it reproduced the full load bit for bit on probe points. */
struct cp_sweep_fast {
    cp_design base;
    size_t off[CP_SWEEP_MAX_PARAMS];  /* byte offset of the double, or NONE */
};
typedef cp_sweep_fast fastpath;
#define NONE ((size_t)-1)

static int load_at(const cp_sweep_spec *s, const cp_catalog *cat, const char *scenario,
                   const double *values, cp_design *d)
{
    point_sets ps;
    sets_of(s, values, &ps);
    cp_error e;
    return cp_scenario_load(scenario, cat, ps.set, s->nparams, d, &e);
}

/* the one aligned double where a and b differ, holding va in a and vb in b */
static size_t the_field(const cp_design *a, const cp_design *b, double va, double vb)
{
    const unsigned char *x = (const unsigned char *)a, *y = (const unsigned char *)b;
    size_t found = NONE;
    for (size_t o = 0; o + sizeof(double) <= sizeof *a; o += sizeof(double)) {
        if (memcmp(x + o, y + o, sizeof(double)) == 0)
            continue;
        double p, q;
        memcpy(&p, x + o, sizeof p);
        memcpy(&q, y + o, sizeof q);
        if (found != NONE || p != va || q != vb)
            return NONE;
        found = o;
    }
    return found;
}

static void apply(const fastpath *fp, size_t np, const double *values, cp_design *d)
{
    memcpy(d, &fp->base, sizeof *d);
    for (size_t j = 0; j < np; j++)
        if (fp->off[j] != NONE)
            memcpy((unsigned char *)d + fp->off[j], &values[j], sizeof(double));
}

static bool same_result(const cp_design *a, const cp_design *b)
{
    cp_result *ra = calloc(1, sizeof *ra), *rb = calloc(1, sizeof *rb); /* unused groups zero */
    bool same = ra && rb;
    if (same) {
        cp_design_eval(a, ra);
        cp_design_eval(b, rb);
        same = memcmp(ra, rb, sizeof *ra) == 0;
    }
    free(ra);
    free(rb);
    return same;
}

cp_sweep_fast *cp_sweep_fast_probe(const cp_sweep_spec *s, const cp_catalog *cat,
                                   const cp_sweep_base *b, const double *values, size_t n)
{
    size_t d = s->nparams;
    const char *scenario = b->scenario;
    if (s->command != CP_SWEEP_EVAL || s->full_load || n < 2)
        return NULL;
    fastpath *fp = malloc(sizeof *fp);
    cp_design *alt = malloc(sizeof *alt), *full = malloc(sizeof *full);
    double *v = malloc(d * sizeof *v);
    bool ok = fp && alt && full && v && load_at(s, cat, scenario, values, &fp->base) == 0;
    for (size_t j = 0; ok && j < d; j++) {
        fp->off[j] = NONE;
        size_t other = 1;
        while (other < n && values[other * d + j] == values[j])
            other++;
        if (other == n)
            continue; /* one value for every point: already in the base */
        memcpy(v, values, d * sizeof *v);
        v[j] = values[other * d + j];
        ok = load_at(s, cat, scenario, v, alt) == 0;
        if (ok)
            fp->off[j] = the_field(&fp->base, alt, values[j], v[j]);
        ok = ok && fp->off[j] != NONE;
    }
    /* the fast path must reproduce full loads: first, middle and last points */
    size_t probes[3] = {0, n / 2, n - 1};
    for (int k = 0; ok && k < 3; k++) {
        const double *pv = values + probes[k] * d;
        ok = load_at(s, cat, scenario, pv, full) == 0;
        if (ok) {
            apply(fp, d, pv, alt);
            ok = same_result(full, alt);
        }
    }
    free(alt);
    free(full);
    free(v);
    if (!ok) {
        free(fp);
        return NULL;
    }
    return fp;
}

void cp_sweep_fast_free(cp_sweep_fast *fp) { free(fp); }

int cp_sweep_fast_point(const cp_sweep_spec *s, const cp_sweep_fast *fp, const double *values,
                        double *outputs, bool *feasible, cp_error *err)
{
    cp_design *d = malloc(sizeof *d);
    cp_result *r = malloc(sizeof *r);
    double m[CP_SWEEP_MAX_OUTPUTS + CP_SWEEP_MAX_RULES];
    int rc = d && r ? 0 : cp_fail(err, s->file, 0, 0, "out of memory");
    if (rc == 0) {
        apply(fp, s->nparams, values, d);
        cp_design_eval(d, r);
        measure_eval(s, r, m);
    }
    free(d);
    free(r);
    return rc ? -1 : finish(s, s->file, m, outputs, feasible, err);
}

