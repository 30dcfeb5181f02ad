/*
 * cmd_report.c — `cposim report INPUT... -o report.html [--figures DIR]`:
 * loads each input (switch, thermal or fabric scenario, sweep results
 * store), runs the library's models on it, hands the results to the report
 * builder, and writes the HTML (and each figure) only when every figure was
 * drawn.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct input {
    const char *arg;
    char path[4096];
    cp_input_kind kind;
} input;

typedef struct run {
    cli_opts *o;
    cp_catalog *cat;
    char dir[4096];
    input in[CLI_MAX_ARGS];
    size_t n;
    cp_report *rep;
} run;

static int classify(run *x)
{
    cp_error err = {0};
    for (int i = 1; i < x->o->nargs; i++) {
        input *in = &x->in[x->n++];
        in->arg = x->o->args[i];
        if (cli_scenario_path(x->dir, in->arg, in->path, sizeof in->path))
            return 2;
        if (cp_input_kind_of(in->path, &in->kind, &err)) {
            cli_print_error(&err);
            return 2;
        }
        if (in->kind == CP_INPUT_SWEEP_SPEC) {
            fprintf(stderr, "%s: a sweep spec, not its results: run `cposim sweep %s -o "
                            "RESULTS.db` and report RESULTS.db\n", in->path, in->arg);
            return 2;
        }
    }
    return 0;
}

static int add_switches(run *x)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n; i++)
        n += x->in[i].kind == CP_INPUT_SWITCH;
    if (n == 0)
        return 0;
    cp_design *d = calloc(n, sizeof *d);
    cp_result *r = calloc(n, sizeof *r);
    cp_error err = {0};
    int rc = d && r ? 0 : 1;
    for (size_t i = 0, k = 0; rc == 0 && i < x->n; i++) {
        if (x->in[i].kind != CP_INPUT_SWITCH)
            continue;
        if (cp_scenario_load(x->in[i].path, x->cat, x->o->sets, x->o->nsets, &d[k], &err)) {
            cli_print_error(&err);
            rc = 2;
            break;
        }
        cp_design_eval(&d[k], &r[k]);
        k++;
    }
    if (rc == 0 && cp_report_add_switch(x->rep, d, r, n, &err)) {
        cli_print_error(&err);
        rc = 1;
    }
    free(d);
    free(r);
    return rc;
}

typedef struct thermal_run {
    cp_design d;
    cp_result r;
    cp_thermal_spec t;
    cp_thermal_result tr;
    cp_thermal_grid *g;
} thermal_run;

static int layer_of(const cli_opts *o, const cp_thermal_spec *t)
{
    if (!o->layer)
        return t->map_layer;
    for (size_t l = 0; l < t->nlayers; l++)
        if (!strcmp(t->layer[l].name, o->layer))
            return (int)l;
    return -1;
}

static int add_thermal(run *x, const input *in)
{
    thermal_run *t = calloc(1, sizeof *t);
    cp_error err = {0};
    int rc = t ? 0 : 1, layer = -1;
    if (rc == 0 && (cp_scenario_load(in->path, x->cat, x->o->sets, x->o->nsets, &t->d, &err) ||
                    cp_thermal_load(in->path, x->cat, x->o->sets, x->o->nsets, &t->t, &err))) {
        cli_print_error(&err);
        rc = 2;
    } else if (rc == 0 && (t->t.max_memory_gb = x->o->max_memory_gb,
                           cp_thermal_check_size(&t->t, &err))) {
        cli_print_error(&err);
        rc = 2;
    } else if (rc == 0 && (layer = layer_of(x->o, &t->t)) < 0) {
        fprintf(stderr, "cposim: no layer '%s' in the stack of %s\n", x->o->layer, in->path);
        rc = 2;
    } else if (rc == 0 && (cp_design_eval(&t->d, &t->r),
                           cp_thermal_grid_create(&t->t, &t->g, &err))) {
        cli_print_error(&err);
        rc = 1;
    } else if (rc == 0 && cp_thermal_solver_kind(t->g, &t->t, false) == CP_SOLVER_PFMG &&
               cli_mpi_start()) {
        rc = 1;
    } else if (rc == 0 && (cp_thermal_steady(t->g, &t->t, &t->d, &t->r, &t->tr, &err) ||
                           cp_report_add_thermal(x->rep, &t->d, &t->t, t->g, &t->tr, layer,
                                                 &err))) {
        cli_print_error(&err);
        rc = 1;
    }
    if (t) {
        cp_thermal_grid_free(t->g);
        cp_thermal_spec_free(&t->t);
        cp_thermal_result_free(&t->tr);
    }
    free(t);
    return rc;
}

/* A fabric scenario, sized; with its reliability and economics when tco. */
static int load_case(run *x, const input *in, cp_tco_case *c, bool tco)
{
    cp_error err = {0};
    const char *const *sets = x->o->sets;
    size_t ns = x->o->nsets;
    if (tco) { /* sized, its failure classes, economics and uncertain inputs */
        if (cp_tco_case_load(in->path, x->cat, sets, ns, true, c, &err) ||
            cp_tco_case_slowdowns(c, in->path, sets, ns, &err)) {
            cli_print_error(&err);
            return 2;
        }
        return 0;
    }
    if (cp_fabric_load(in->path, x->cat, sets, ns, &c->fabric, &err)) {
        cli_print_error(&err);
        return 2;
    }
    if (cp_fabric_eval(&c->fabric, &c->fr, &err)) {
        cli_print_error(&err);
        return 2; /* a topology that cannot be built is bad input, as in `fabric` */
    }
    return 0;
}

typedef struct tco_run {
    cp_tco ta, tb;
    cp_tco_findings x;
    cp_rel_replica ea, eb;
} tco_run;

static int add_tco(run *x, const cp_tco_case *a, const cp_tco_case *b)
{
    tco_run *t = calloc(1, sizeof *t);
    cp_error err = {0};
    int rc = t ? 0 : 1;
    if (rc == 0 && (cp_tco_eval(a, NULL, &t->ta, &err) || cp_tco_eval(b, NULL, &t->tb, &err) ||
                    cp_tco_findings_eval(a, b, &t->x, &err) ||
                    cp_rel_expected(&a->rel, &t->ea, &err) ||
                    cp_rel_expected(&b->rel, &t->eb, &err))) {
        cli_print_error(&err);
        rc = 1;
    }
    cp_report_tco_in in = {a, b, t ? &t->ta : NULL, t ? &t->tb : NULL, t ? &t->x : NULL,
                        t ? &t->ea : NULL, t ? &t->eb : NULL};
    if (rc == 0 && cp_report_add_tco(x->rep, &in, &err)) {
        cli_print_error(&err);
        rc = 1;
    }
    free(t);
    return rc;
}

/* Every fabric input; two of them, each with reliability and economics,
 * are also compared by TCO (the second against the first). */
static int add_fabrics(run *x)
{
    size_t n = 0, at[CLI_MAX_ARGS];
    for (size_t i = 0; i < x->n; i++)
        if (x->in[i].kind == CP_INPUT_FABRIC)
            at[n++] = i;
    if (n == 0)
        return 0;
    bool tco = n == 2;
    for (size_t k = 0; k < n && tco; k++)
        tco = cp_scenario_has(x->in[at[k]].path, "reliability") &&
              cp_scenario_has(x->in[at[k]].path, "economics");
    cp_tco_case *c = calloc(n, sizeof *c);
    cp_fabric_spec *f = calloc(n, sizeof *f);
    cp_fabric_result *r = calloc(n, sizeof *r);
    cp_error err = {0};
    int rc = c && f && r ? 0 : 1;
    for (size_t k = 0; rc == 0 && k < n; k++) {
        rc = load_case(x, &x->in[at[k]], &c[k], tco);
        if (rc == 0) {
            f[k] = c[k].fabric;
            r[k] = c[k].fr;
        }
    }
    if (rc == 0 && cp_report_add_fabric(x->rep, f, r, n, &err)) {
        cli_print_error(&err);
        rc = 1;
    }
    if (rc == 0 && tco)
        rc = add_tco(x, &c[0], &c[1]);
    free(c);
    free(f);
    free(r);
    return rc;
}

static int add_sweep(run *x, const input *in)
{
    cp_sweep_table t;
    cp_sweep_summary s;
    cp_error err = {0};
    if (cp_store_read(in->path, &t, &err)) {
        cli_print_error(&err);
        return 2;
    }
    int rc = 0;
    if (cp_sweep_summarize(&t, &s, &err)) {
        cli_print_error(&err);
        cp_sweep_table_free(&t);
        return 1;
    }
    if (cp_report_add_sweep(x->rep, in->arg, &t, &s, &err)) {
        cli_print_error(&err);
        rc = 1;
    }
    cp_sweep_summary_free(&s);
    cp_sweep_table_free(&t);
    return rc;
}

static void emit(FILE *f, void *ctx)
{
    run *x = ctx;
    if (cp_report_html(f, x->rep))
        x->o->fail = 1;
}

/* --figures DIR: an existing directory, or one made now. */
static int figures_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
        return 0;
    if (mkdir(dir, 0777) == 0)
        return 0;
    fprintf(stderr, "cposim: --figures '%s': %s\n", dir,
            errno == EEXIST ? "not a directory" : strerror(errno));
    return 2;
}

static int write_figures(const run *x)
{
    for (size_t i = 0; i < cp_report_nfigures(x->rep); i++) {
        cp_report_figure fig;
        char path[8192];
        cp_report_figure_get(x->rep, i, &fig);
        snprintf(path, sizeof path, "%s/%s.svg", x->o->figures, fig.id);
        if (cli_write_bytes(path, fig.svg, fig.svg_len))
            return 1;
        if (fig.png) {
            snprintf(path, sizeof path, "%s/%s.png", x->o->figures, fig.id);
            if (cli_write_bytes(path, fig.png, fig.png_len))
                return 1;
        }
    }
    return 0;
}

static void title(const run *x, char *buf, size_t len)
{
    size_t at = (size_t)snprintf(buf, len, "cposim report:");
    for (size_t i = 0; i < x->n && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s %s", i ? "," : "", x->in[i].arg);
}

static int build(run *x)
{
    int rc = add_switches(x);
    for (size_t i = 0; rc == 0 && i < x->n; i++)
        if (x->in[i].kind == CP_INPUT_THERMAL)
            rc = add_thermal(x, &x->in[i]);
    if (rc == 0)
        rc = add_fabrics(x);
    for (size_t i = 0; rc == 0 && i < x->n; i++)
        if (x->in[i].kind == CP_INPUT_SWEEP_DB)
            rc = add_sweep(x, &x->in[i]);
    return rc;
}

int cmd_report(cli_opts *o)
{
    if (o->nargs < 2)
        return cli_usage_error("report");
    run *x = calloc(1, sizeof *x);
    if (!x)
        return 1;
    x->o = o;
    int rc = cli_load_catalog(o, &x->cat, x->dir, sizeof x->dir);
    if (rc == 0)
        rc = classify(x);
    if (rc == 0 && o->figures)
        rc = figures_dir(o->figures);
    char t[CP_TEXT_MAX];
    cp_error err = {0};
    title(x, t, sizeof t);
    unsigned flags = o->figures && cp_report_png_available() ? CP_REPORT_PNG : 0;
    if (rc == 0 && cp_report_create(t, flags, &x->rep, &err)) {
        cli_print_error(&err);
        rc = 1;
    }
    if (rc == 0)
        rc = build(x);
    if (rc == 0) /* every figure is drawn: only now is anything written */
        rc = cli_output(o, emit, x);
    if (rc == 0 && o->fail)
        rc = o->fail;
    if (rc == 0 && o->figures)
        rc = write_figures(x);
    cp_report_free(x->rep);
    cp_catalog_free(x->cat);
    free(x);
    return rc;
}
