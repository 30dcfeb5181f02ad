/* cmd_eval.c — `cposim eval` and `cposim compare`. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct run {
    cli_opts *o;
    cp_design *d;
    cp_result *r;
    size_t n;
} run;

static void emit(FILE *f, void *ctx)
{
    const run *x = ctx;
    switch (x->o->format) {
    case FMT_JSON:
        if (cp_report_json(f, x->d, x->r, x->n))
            x->o->fail = 1; /* the report could not be written */
        break;
    case FMT_CSV:
        cp_report_csv(f, x->d, x->r, x->n);
        break;
    default:
        if (x->n == 1)
            cp_report_table(f, x->d, x->r);
        else
            cp_report_compare(f, x->d, x->r, x->n);
    }
}

static int evaluate(cli_opts *o, int first, int count)
{
    cp_catalog *cat = NULL;
    char dir[4096];
    int rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc)
        return rc;
    run x = {o, calloc((size_t)count, sizeof(cp_design)),
             calloc((size_t)count, sizeof(cp_result)), (size_t)count};
    rc = x.d && x.r ? 0 : 1;
    for (int i = 0; i < count && rc == 0; i++) {
        char path[4096];
        cp_error err = {0};
        if (cli_scenario(dir, o->args[first + i],
                         CLI_KIND(CP_INPUT_SWITCH) | CLI_KIND(CP_INPUT_THERMAL), path,
                         sizeof path, NULL)) {
            rc = 2;
            break;
        }
        if (cp_scenario_load(path, cat, o->sets, o->nsets, &x.d[i], &err)) {
            cli_print_error(&err);
            rc = 2;
            break;
        }
        cp_design_eval(&x.d[i], &x.r[i]);
    }
    if (rc == 0)
        rc = cli_output(o, emit, &x);
    free(x.d);
    free(x.r);
    cp_catalog_free(cat);
    return rc;
}

int cmd_eval(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("eval");
    return evaluate(o, 1, 1);
}

int cmd_compare(cli_opts *o)
{
    if (o->nargs < 3)
        return cli_usage_error("compare");
    /* fabric scenarios compare as fabrics; every one of the first's kind */
    cp_catalog *cat = NULL;
    char dir[4096], path[4096];
    if (cli_load_catalog(o, &cat, dir, sizeof dir))
        return 2;
    cp_catalog_free(cat);
    unsigned any = CLI_KIND(CP_INPUT_SWITCH) | CLI_KIND(CP_INPUT_THERMAL) |
                   CLI_KIND(CP_INPUT_FABRIC);
    cp_input_kind first = CP_INPUT_SWITCH, k = CP_INPUT_SWITCH;
    if (cli_scenario(dir, o->args[1], any, path, sizeof path, &first))
        return 2;
    bool fabric = first == CP_INPUT_FABRIC;
    for (int i = 2; i < o->nargs; i++) {
        k = first;
        if (cli_scenario(dir, o->args[i], any, path, sizeof path, &k))
            return 2;
        if ((k == CP_INPUT_FABRIC) != fabric) {
            fprintf(stderr, "%s: %s, but %s is %s: compare takes switch designs, or "
                            "fabric scenarios, not both\n", path,
                    k == CP_INPUT_FABRIC ? "a fabric scenario" : "a switch design",
                    o->args[1], fabric ? "a fabric scenario" : "a switch design");
            return 2;
        }
    }
    if (fabric && o->format == FMT_CSV) {
        fprintf(stderr, "cposim: --csv is for switch designs; fabrics compare as a table or "
                        "--json\n");
        return 2;
    }
    if (fabric)
        return cli_fabric_run(o, 1, o->nargs - 1);
    return evaluate(o, 1, o->nargs - 1);
}
