/* cmd_fabric.c — `cposim fabric` and the fabric form of `cposim compare`. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct fruns {
    cli_opts *o;
    cp_fabric_spec *f;
    cp_fabric_result *r;
    size_t n;
    cp_fabric_graph *g;
} fruns;

static void emit(FILE *out, void *ctx)
{
    const fruns *x = ctx;
    if (x->o->format == FMT_JSON)
    {
        if (cp_report_fabric_json(out, x->f, x->r, x->n))
            x->o->fail = 1; /* the report could not be written */
    }
    else if (x->n == 1)
        cp_report_fabric(out, x->f, x->r);
    else
        cp_report_fabric_compare(out, x->f, x->r, x->n);
}

/* Undirected edge list: "a b level optical", one line per link. */
static void emit_graph(FILE *out, void *ctx)
{
    const cp_fabric_graph *g = ((const fruns *)ctx)->g;
    fprintf(out, "# cposim fabric graph: %zu nodes (NIC ports 0..%zu, then switches "
                 "by tier), %zu links\n# a b level optical\n",
            g->nodes, g->tier_first[1] - 1, g->edges);
    for (size_t a = 0; a < g->nodes; a++)
        for (size_t k = g->row[a]; k < g->row[a + 1]; k++)
            if (g->col[k] > a)
                fprintf(out, "%zu %u %u %u\n", a, g->col[k], g->level[k], g->optical[k]);
}

int cli_fabric_run(cli_opts *o, int first, int count)
{
    cp_catalog *cat = NULL;
    char dir[4096];
    int rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc)
        return rc;
    fruns x = {o, calloc((size_t)count, sizeof *x.f), calloc((size_t)count, sizeof *x.r),
               (size_t)count, NULL};
    rc = x.f && x.r ? 0 : 1;
    for (int i = 0; i < count && rc == 0; i++) {
        char path[4096];
        cp_error err = {0};
        if (cli_scenario(dir, o->args[first + i], CLI_KIND(CP_INPUT_FABRIC), path,
                         sizeof path, NULL)) {
            rc = 2;
            break;
        }
        if (cp_fabric_load(path, cat, o->sets, o->nsets, &x.f[i], &err) ||
            cp_fabric_eval(&x.f[i], &x.r[i], &err)) {
            cli_print_error(&err);
            rc = 2;
        }
    }
    if (rc == 0 && o->graph && count == 1) { /* --graph FILE */
        cp_fabric_graph g;
        cp_error err = {0};
        if (cp_fabric_graph_build(&x.f[0], &x.r[0], o->max_memory_gb, &g, &err)) {
            cli_print_error(&err);
            double gb = o->max_memory_gb > 0 ? o->max_memory_gb : CP_DEFAULT_MAX_MEMORY_GB;
            rc = cp_fabric_graph_bytes(&x.r[0]) > gb * 1e9 ? 2 : 1; /* refused: too large */
        } else {
            x.g = &g;
            rc = cli_output_to(o->graph, NULL, emit_graph, &x);
            cp_fabric_graph_free(&g);
        }
    }
    if (rc == 0)
        rc = cli_output(o, emit, &x);
    free(x.f);
    free(x.r);
    cp_catalog_free(cat);
    return rc;
}

int cmd_fabric(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("fabric");
    return cli_fabric_run(o, 1, 1);
}
