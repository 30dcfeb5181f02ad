/* cmd_traffic.c — `cposim traffic`: load each fabric and its `traffic:`
 * section, add the --fail case and (--events) a case per failure class of
 * its reliability model, run, print one fabric's report or a table of
 * several side by side; --heatmap draws one fabric's link utilisation. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct trun {
    cp_fabric_spec f;
    cp_fabric_result r;
    cp_traffic_spec t;
    cp_traffic_result res;
    cp_rel_spec rel;
    cp_rel_inputs in;
    cp_traffic_event ev[CP_MAX_CLASSES];
    size_t nev;
    size_t heat_case;            /* the last case of the scenario or --fail (0: healthy) */
} trun;

typedef struct truns {
    cli_opts *o;
    trun **run;
    size_t n;
} truns;

static void emit(FILE *out, void *ctx)
{
    const truns *x = ctx;
    if (x->n > 1) {
        const cp_fabric_spec *f[CLI_MAX_ARGS];
        const cp_traffic_spec *t[CLI_MAX_ARGS];
        const cp_traffic_result *r[CLI_MAX_ARGS];
        for (size_t i = 0; i < x->n; i++)
            f[i] = &x->run[i]->f, t[i] = &x->run[i]->t, r[i] = &x->run[i]->res;
        if (x->o->format == FMT_JSON ? cp_report_traffic_compare_json(out, f, t, r, x->n)
                                     : (cp_report_traffic_compare(out, f, t, r, x->n), 0))
            x->o->fail = 1;
        return;
    }
    const trun *u = x->run[0];
    const cp_traffic_event *ev = x->o->events ? u->ev : NULL;
    if (x->o->format == FMT_JSON) {
        if (cp_report_traffic_json(out, &u->f, &u->t, &u->res, &u->rel, ev, u->nev))
            x->o->fail = 1;
        return;
    }
    cp_report_traffic(out, &u->f, &u->t, &u->res);
    if (ev)
        cp_report_traffic_events(out, &u->f, &u->rel, ev, u->nev, &u->res);
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

/* one scenario: load, add the cases, run */
static int run_one(cli_opts *o, const cp_catalog *cat, const char *dir, const char *arg,
                   trun *u)
{
    char path[4096];
    cp_error err = {0};
    if (cli_scenario(dir, arg, CLI_KIND(CP_INPUT_FABRIC), path, sizeof path, NULL))
        return 2;
    if (cp_fabric_load(path, cat, o->sets, o->nsets, &u->f, &err) ||
        cp_fabric_eval(&u->f, &u->r, &err) ||
        cp_traffic_load(path, o->sets, o->nsets, &u->t, &err) ||
        (o->events && (cp_rel_load(path, cat, o->sets, o->nsets, &u->rel, &u->in, &err) ||
                       cp_rel_classes_build(&u->f, &u->r, &u->in, &u->rel, &err)))) {
        cli_print_error(&err);
        return 2;
    }
    int rc = fail_case(o, &u->f, &u->t);
    if (rc)
        return rc;
    u->heat_case = u->t.ncases;
    u->t.threads = o->threads;
    u->t.max_memory_gb = o->max_memory_gb;
    if ((o->events && (cp_traffic_events(&u->f, &u->r, &u->rel, u->ev, &u->nev, &err) ||
                       cp_traffic_event_cases(u->ev, u->nev, &u->rel, &u->t, &err))) ||
        cp_traffic_run(&u->f, &u->r, &u->t, &u->res, &err)) { /* bad outages, sizes refused */
        cli_print_error(&err);
        return 2;
    }
    return 0;
}

/* --heatmap: the last case of the scenario or --fail (the healthy fabric
 * when none) */
static int heatmap(const cli_opts *o, const trun *u)
{
    cp_error err = {0};
    char *data = NULL;
    size_t len = 0;
    if (!o->heatmap)
        return 0;
    const char *fmt = cp_thermal_map_format(o->heatmap);
    if (!fmt) {
        fprintf(stderr, "cposim: --heatmap %s: the image is .svg or .png\n", o->heatmap);
        return 2;
    }
    cp_traffic_heat h;
    if (cp_traffic_link_use(&u->f, &u->r, &u->t, u->heat_case, &h, &err) ||
        cp_traffic_heatmap(&h, fmt, &data, &len, &err)) {
        cp_traffic_heat_free(&h);
        cli_print_error(&err);
        return 2;
    }
    cp_traffic_heat_free(&h);
    int rc = cli_write_bytes(o->heatmap, data, len);
    free(data);
    return rc;
}

int cmd_traffic(cli_opts *o)
{
    if (o->nargs < 2 || (o->heatmap && o->nargs > 2))
        return cli_usage_error("traffic");
    cp_catalog *cat = NULL;
    char dir[4096];
    int rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc)
        return rc;
    size_t n = (size_t)o->nargs - 1;
    trun *run[CLI_MAX_ARGS] = {0};
    for (size_t i = 0; rc == 0 && i < n; i++) {
        run[i] = calloc(1, sizeof *run[i]);
        rc = run[i] ? run_one(o, cat, dir, o->args[i + 1], run[i]) : 1;
    }
    if (rc == 0)
        rc = heatmap(o, run[0]);
    if (rc == 0) {
        truns x = {o, run, n};
        rc = cli_output(o, emit, &x);
    }
    for (size_t i = 0; i < n; i++)
        free(run[i]);
    cp_catalog_free(cat);
    return rc;
}
