/* cmd_traffic.c — `cposim traffic`: load the fabric and its `traffic:`
 * section, add the --fail case, run, print. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct truns {
    cli_opts *o;
    const cp_fabric_spec *f;
    const cp_traffic_spec *t;
    const cp_traffic_result *r;
} truns;

static void emit(FILE *out, void *ctx)
{
    const truns *x = ctx;
    if (x->o->format == FMT_JSON) {
        if (cp_report_traffic_json(out, x->f, x->t, x->r))
            x->o->fail = 1;
    } else {
        cp_report_traffic(out, x->f, x->t, x->r);
    }
}

/* every --fail, as one more case */
static int fail_case(const cli_opts *o, const cp_fabric_spec *f, cp_traffic_spec *t)
{
    if (o->nfails == 0)
        return 0;
    if (t->ncases >= CP_TRAFFIC_MAX_CASES || o->nfails > CP_TRAFFIC_MAX_OUTAGES) {
        fprintf(stderr, "cposim: traffic: at most %d cases (the scenario has %zu) and %d "
                        "--fail\n", CP_TRAFFIC_MAX_CASES, t->ncases, CP_TRAFFIC_MAX_OUTAGES);
        return 2;
    }
    cp_traffic_case *c = &t->cs[t->ncases];
    snprintf(c->name, sizeof c->name, "--fail %s%s", o->fails[0], o->nfails > 1 ? " ..." : "");
    for (size_t i = 0; i < o->nfails; i++) {
        cp_error err = {0};
        if (cp_outage_parse(f, o->fails[i], "--fail", &c->out[i], &err)) {
            cli_print_error(&err);
            return 2;
        }
    }
    c->nout = o->nfails;
    t->ncases++;
    return 0;
}

int cmd_traffic(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("traffic");
    cp_catalog *cat = NULL;
    char dir[4096], path[4096];
    int rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc)
        return rc;
    cp_fabric_spec *f = calloc(1, sizeof *f);
    cp_fabric_result *r = calloc(1, sizeof *r);
    cp_traffic_spec *t = calloc(1, sizeof *t);
    cp_traffic_result *res = calloc(1, sizeof *res);
    cp_error err = {0};
    rc = f && r && t && res ? 0 : 1;
    if (rc == 0 && cli_scenario(dir, o->args[1], CLI_KIND(CP_INPUT_FABRIC), path, sizeof path,
                                NULL))
        rc = 2;
    if (rc == 0 && (cp_fabric_load(path, cat, o->sets, o->nsets, f, &err) ||
                    cp_fabric_eval(f, r, &err) ||
                    cp_traffic_load(path, o->sets, o->nsets, t, &err))) {
        cli_print_error(&err);
        rc = 2;
    }
    if (rc == 0)
        rc = fail_case(o, f, t);
    if (rc == 0) {
        t->threads = o->threads;
        t->max_memory_gb = o->max_memory_gb;
        if (cp_traffic_run(f, r, t, res, &err)) { /* bad outages, sizes refused */
            cli_print_error(&err);
            rc = 2;
        }
    }
    if (rc == 0) {
        truns x = {o, f, t, res};
        rc = cli_output(o, emit, &x);
    }
    free(f), free(r), free(t), free(res);
    cp_catalog_free(cat);
    return rc;
}
