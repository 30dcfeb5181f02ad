/* cmd_comply.c — `cposim comply SCENARIO`: each requirement of
 * data/requirements.yaml that applies to a port group (src/comply.c), and,
 * for a scenario with a `thermal:` section, the block temperatures of the
 * package's steady state against their limits; exit 1 when one fails. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct cstate {
    cli_opts *o;
    cp_design d;
    cp_result r;
    cp_requirements q;
    cp_compliance c;
    cp_thermal_spec t;           /* blocks NULL without a thermal section */
} cstate;

/* The row's subject: its port group, or its thermal block. */
static const char *subject(const cstate *x, const cp_check *c)
{
    return c->block >= 0 ? x->t.block[c->block].name : x->d.group[c->group].name;
}

static void emit_comply(FILE *f, void *ctx)
{
    const cstate *x = ctx;
    bool json = x->o->format == FMT_JSON;
    if (json)
        fprintf(f, "{\"name\": \"%s\", \"failed\": %zu, \"checks\": [", x->d.name, x->c.failed);
    else
        fprintf(f, "%s — compliance: %zu checks, %zu failed\n  %-8s %-22s %-44s %10s %10s "
                   "%9s  %s\n", x->d.name, x->c.n, x->c.failed, "group", "requirement",
                "clause", "limit", "value", "margin", "");
    for (size_t i = 0; i < x->c.n; i++) {
        const cp_check *c = &x->c.c[i];
        const cp_requirement *r = &x->q.r[c->req];
        const char *unit = cp_req_quantity_name(r->quantity);
        if (json) {
            fprintf(f, "%s\n {\"%s\": \"%s\", \"requirement\": \"%s\", \"document\": "
                       "\"%s\", \"clause\": \"%s\", \"quantity\": \"%s\", \"bound\": \"%s\", "
                       "\"limit\": %.6g, \"value\": %.6g, \"margin\": %.6g, \"pass\": %s}",
                    i ? "," : "", c->block >= 0 ? "block" : "group", subject(x, c), r->name,
                    r->document, r->clause, unit, r->at_most ? "max" : "min", c->limit,
                    c->value, c->margin, c->pass ? "true" : "false");
            continue;
        }
        fprintf(f, "  %-8s %-22s %-44.44s %s%9.4g %10.4g %9.3g  %s\n", subject(x, c), r->name,
                r->clause, r->at_most ? "<" : ">", c->limit, c->value, c->margin,
                c->pass ? "pass" : "FAIL");
    }
    if (json) {
        fprintf(f, "]}\n");
        return;
    }
    for (size_t i = 0; i < x->c.n; i++) {
        const cp_check *c = &x->c.c[i];
        const cp_requirement *r = &x->q.r[c->req];
        if (!c->pass)
            fprintf(f, "FAIL %s: %s (%s, %s): %s %.4g, limit %.4g, short by %.3g\n",
                    subject(x, c), r->name, r->document, r->clause,
                    cp_req_quantity_name(r->quantity), c->value, c->limit, -c->margin);
    }
}

/* The package's steady state (as `cposim thermal`), its blocks checked. */
static int comply_thermal(cli_opts *o, const cp_catalog *cat, const char *path, cstate *x)
{
    cp_error err = {0};
    cp_thermal_grid *g = NULL;
    cp_thermal_result tr = {0};
    int rc = cp_thermal_load(path, cat, o->sets, o->nsets, &x->t, &err) ||
                     cp_thermal_check_size(&x->t, &err) ||
                     cp_thermal_grid_create(&x->t, &g, &err) ? 2 : 0;
    /* HYPRE's PFMG-PCG needs MPI, started only for it (as `cposim thermal`) */
    if (rc == 0 && cp_thermal_solver_kind(g, &x->t, false) == CP_SOLVER_PFMG &&
        cli_mpi_start())
        rc = 1;
    else if (rc == 0 && cp_thermal_steady(g, &x->t, &x->d, &x->r, &tr, &err))
        rc = 2;
    if (rc == 1) {
    } else if (rc == 2)
        cli_print_error(&err);
    else if (tr.runaway || !tr.converged) {
        /* as `cposim thermal`: no steady state to check (exit 3) */
        fprintf(stderr, "%s: %s after %d iterations (hottest cell %.4g C): no steady state "
                        "to check the block temperatures against\n", path,
                tr.runaway ? "thermal runaway" : "the electro-thermal loop did not converge",
                tr.iterations, tr.max_c);
        rc = 3;
    } else
        cp_comply_thermal(&x->t, &tr, &x->q, &x->c);
    cp_thermal_result_free(&tr);
    cp_thermal_grid_free(g);
    return rc;
}

int cmd_comply(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("comply");
    if (cli_output_check(o->output))
        return 1;
    cstate *x = calloc(1, sizeof *x);
    cp_catalog *cat = NULL;
    char dir[4096], path[4096];
    cp_error err = {0};
    cp_input_kind kind = CP_INPUT_SWITCH;
    int rc = !x ? 1
             : cli_load_catalog(o, &cat, dir, sizeof dir) ? 2
             : cli_scenario(dir, o->args[1],
                            CLI_KIND(CP_INPUT_SWITCH) | CLI_KIND(CP_INPUT_THERMAL), path,
                            sizeof path, &kind);
    if (rc == 0 && (cp_scenario_load(path, cat, o->sets, o->nsets, &x->d, &err) ||
                    cp_requirements_load(dir, cat, &x->q, &err))) {
        cli_print_error(&err);
        rc = 2;
    }
    if (rc == 0) {
        cp_design_eval(&x->d, &x->r);
        cp_comply(&x->d, &x->r, &x->q, &x->c);
        if (kind == CP_INPUT_THERMAL)
            rc = comply_thermal(o, cat, path, x);
    }
    if (rc == 0) {
        x->o = o;
        rc = cli_output(o, emit_comply, x);
        if (rc == 0 && x->c.failed)
            rc = 1;
    }
    if (x)
        cp_thermal_spec_free(&x->t);
    cp_catalog_free(cat);
    free(x);
    return rc;
}
