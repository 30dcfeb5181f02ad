/*
 * cmd_reliability.c — `cposim reliability` (fleet Monte Carlo, OpenMP over
 * replicas, OpenMPI over ranks when started by mpirun) and `cposim tco`.
 */
#include "cli.h"

#include <math.h>
#include <mpi.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


typedef struct mpi_ctx {
    bool on;
    int rank, size;
} mpi_ctx;

/* main() started MPI when under mpirun (and ends it): see cli_mpi_start. */
static void mpi_start(mpi_ctx *m)
{
    m->on = cp_mpi_ready();
    m->rank = 0;
    m->size = 1;
    if (!m->on)
        return;
    MPI_Comm_rank(MPI_COMM_WORLD, &m->rank);
    MPI_Comm_size(MPI_COMM_WORLD, &m->size);
}

/* Replicas fall in blocks of a size fixed by their count (cp_rel_block_size);
 * rank r runs blocks r, r + size, ...: how many of the nb blocks rank r has. */
static size_t blocks_of(size_t nb, size_t size, size_t r) { return (nb + size - 1 - r) / size; }

/* This rank's blocks, each reduced to its statistics. */
static int run_mine(const cli_opts *o, const mpi_ctx *m, const cp_rel_spec *rel,
                    cp_rel_score_fn score, void *ctx, const char *what, cp_rel_acc *part)
{
    size_t n = (size_t)rel->replicas, bs = cp_rel_block_size(n), nb = (n + bs - 1) / bs;
    size_t size = (size_t)m->size, rank = (size_t)m->rank, mine = blocks_of(nb, size, rank);
    cp_error err = {0};
    for (size_t k = 0; k < mine; k++) {
        size_t first = (rank + k * size) * bs;
        if (cp_rel_run_block(rel, first, n - first < bs ? n - first : bs, score, ctx, &part[k],
                             &err)) {
            cli_print_error(&err);
            return 1;
        }
        if (rank == 0)
            cli_progress(o, what, (double)(k + 1), (double)mine);
    }
    return 0;
}

/* Every rank's blocks on rank 0, rank by rank (counted in blocks, not bytes,
 * so no int overflows); any rank's failure fails all. */
static int gather(const mpi_ctx *m, size_t nb, const cp_rel_acc *part, cp_rel_acc *all, int rc)
{
    size_t size = (size_t)m->size;
    int *counts = calloc(size, sizeof *counts), *displs = calloc(size, sizeof *displs);
    int ok = counts && displs, worst = 0;
    MPI_Allreduce(&rc, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
    if (ok && !worst) {
        MPI_Datatype blk;
        MPI_Type_contiguous((int)sizeof(cp_rel_acc), MPI_BYTE, &blk);
        MPI_Type_commit(&blk);
        for (size_t r = 0, at = 0; r < size; r++) {
            counts[r] = (int)blocks_of(nb, size, r);
            displs[r] = (int)at;
            at += (size_t)counts[r];
        }
        MPI_Gatherv(part, counts[m->rank], blk, all, counts, displs, blk, 0, MPI_COMM_WORLD);
        MPI_Type_free(&blk);
    }
    free(counts);
    free(displs);
    return worst ? worst : ok ? 0 : 1;
}

/* Blocks merged in block order: block b is rank b % size's (b / size)-th. */
static void merge_in_order(const mpi_ctx *m, size_t nb, const cp_rel_acc *all, cp_rel_acc *acc)
{
    size_t size = (size_t)m->size;
    for (size_t b = 0; b < nb; b++) {
        size_t r = b % size, at = 0;
        for (size_t q = 0; q < r; q++)
            at += blocks_of(nb, size, q);
        cp_rel_acc_merge(acc, &all[at + b / size]);
    }
}

/* All replicas, summarised on rank 0; the result does not depend on the
 * number of ranks or threads.  Returns 0, 1 (run failed), 2 (bad input). */
static int simulate(const cli_opts *o, const mpi_ctx *m, const cp_rel_spec *rel,
                    cp_rel_score_fn score, void *ctx, const char *what, cp_rel_summary *out)
{
    cp_error err = {0};
    cp_rel_cost cost;
    if (cp_rel_estimate(rel, &cost, &err)) {
        if (m->rank == 0)
            cli_print_error(&err);
        return 2;
    }
    size_t n = (size_t)rel->replicas, bs = cp_rel_block_size(n), nb = (n + bs - 1) / bs;
    size_t mine = blocks_of(nb, (size_t)m->size, (size_t)m->rank);
    cp_rel_acc *part = calloc(mine ? mine : 1, sizeof *part);
    cp_rel_acc *all = m->on && m->rank == 0 ? calloc(nb, sizeof *all) : NULL;
    cp_rel_acc *acc = calloc(1, sizeof *acc);
    int rc = part && acc && (all || !m->on || m->rank != 0) ? 0 : 1;
    if (rc == 0)
        rc = run_mine(o, m, rel, score, ctx, what, part);
    if (m->on)
        rc = gather(m, nb, part, all, rc);
    if (rc == 0 && m->rank == 0) {
        merge_in_order(m, nb, m->on ? all : part, acc);
        cp_rel_summarize(rel, acc, out);
    }
    free(part);
    free(all);
    free(acc);
    return rc;
}

/* MPI (under mpirun), OpenMP threads and the catalog: what both commands need */
static int start(const cli_opts *o, mpi_ctx *m, cp_catalog **cat, char *dir, size_t len)
{
    mpi_start(m);
    if (o->threads > 0)
        omp_set_num_threads(o->threads);
    return cli_load_catalog((cli_opts *)o, cat, dir, len);
}

/* Loads a fabric scenario with its reliability and economics sections. */
static int load_case(cli_opts *o, cp_catalog *cat, const char *dir, const char *arg,
                     cp_tco_case *c, bool need_eco)
{
    char path[4096];
    cp_error err = {0};
    if (cli_scenario(dir, arg, CLI_KIND(CP_INPUT_FABRIC), path, sizeof path, NULL))
        return 2;
    if (cp_tco_case_load(path, cat, o->sets, o->nsets, need_eco, c, &err) ||
        cp_tco_case_slowdowns(c, path, o->sets, o->nsets, &err) ||
        (o->workload && cp_tco_case_workload(c, o->workload, &err))) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
}

typedef struct rel_out {
    cli_opts *o;
    const cp_rel_spec *rel;
    const cp_rel_summary *s;
} rel_out;

static void emit_rel(FILE *f, void *ctx)
{
    const rel_out *x = ctx;
    int rc = x->o->format == FMT_JSON ? cp_report_reliability_json(f, x->rel, x->s)
                                      : cp_report_reliability(f, x->rel, x->s);
    if (rc)
        x->o->fail = 1; /* the report could not be written */
}

int cmd_reliability(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("reliability");
    mpi_ctx m;
    cp_catalog *cat = NULL;
    char dir[4096];
    int rc = start(o, &m, &cat, dir, sizeof dir);
    cp_tco_case *c = calloc(1, sizeof *c);
    cp_rel_summary *s = calloc(1, sizeof *s);
    if (rc == 0 && (!c || !s))
        rc = 1;
    if (rc == 0)
        rc = load_case(o, cat, dir, o->args[1], c, false);
    if (rc == 0)
        rc = simulate(o, &m, &c->rel, NULL, NULL, "replicas", s);
    if (rc == 0 && m.rank == 0) {
        rel_out x = {o, &c->rel, s};
        rc = cli_output(o, emit_rel, &x);
        if (rc == 0 && o->fail)
            rc = o->fail;
    }
    free(c);
    free(s);
    cp_catalog_free(cat);
    return rc;
}

typedef struct tco_out {
    cli_opts *o;
    const cp_tco_case *a, *b;
    cp_tco ta, tb;
    cp_tco_findings x;
    cp_unc_opts uo;
    cp_unc_result *u;            /* NULL: no --uncertainty */
    cp_tco_map map;              /* map.diff NULL: no --map */
    char map_x[CP_NAME_MAX], map_y[CP_NAME_MAX];
    int csv_fail;
} tco_out;

static void emit_tco(FILE *f, void *ctx)
{
    const tco_out *t = ctx;
    int rc = t->o->format == FMT_JSON
                 ? cp_report_tco_json(f, t->a, t->b, &t->ta, &t->tb, &t->x, t->u)
                 : cp_report_tco(f, t->a, t->b, &t->ta, &t->tb, &t->x);
    if (rc == 0 && t->u && t->o->format != FMT_JSON)
        rc = cp_report_uncertainty(f, t->a, t->b, t->u);
    if (rc)
        t->o->fail = 1; /* the report could not be written */
}

static void emit_map_csv(FILE *f, void *ctx)
{
    tco_out *t = ctx;
    if (cp_report_tco_map_csv(f, t->a, t->b, &t->map))
        t->csv_fail = 1;
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n > k && strcmp(s + n - k, tail) == 0;
}

/* --design as given */
static int tco_design(const cli_opts *o, tco_out *t)
{
    static const char *const designs[] = {"lhs", "sobol", "random", "saltelli"};
    int d = 0;
    while (d < 4 && strcmp(o->design, designs[d]) != 0)
        d++;
    if (d == 4 || !o->uncertainty)
        return fprintf(stderr, "cposim: --design '%s': %s\n", o->design,
                       d == 4 ? "expected lhs, sobol, random or saltelli"
                              : "it takes --uncertainty N"), 2;
    t->uo.design = (cp_unc_design)d;
    return 0;
}

/* --uncertainty, --design and --map as given: checked before any work */
static int tco_options(const cli_opts *o, tco_out *t)
{
    t->uo = (cp_unc_opts){(size_t)o->uncertainty, CP_UNC_LHS, 0, !o->workload};
    if (o->design && tco_design(o, t))
        return 2;
    const char *comma = o->map ? strchr(o->map, ',') : NULL;
    if (o->map && (!comma || comma == o->map || !comma[1] || strchr(comma + 1, ',') ||
                   (size_t)(comma - o->map) >= sizeof t->map_x ||
                   strlen(comma + 1) >= sizeof t->map_y))
        return fprintf(stderr, "cposim: --map '%s': expected two input names X,Y (e.g. "
                               "engine_fit,switch_replacement_h)\n", o->map), 2;
    if (!o->map != (!o->map_out && !o->map_csv))
        return fprintf(stderr, "cposim: %s\n",
                       o->map ? "--map X,Y needs --map-out FILE (.svg, .png or .csv) or "
                                "--map-csv FILE"
                              : "--map-out and --map-csv take --map X,Y"), 2;
    if (o->map_out && !cp_tco_map_format(o->map_out) && !ends_with(o->map_out, ".csv"))
        return fprintf(stderr, "cposim: --map-out '%s': expected a .svg, .png or .csv "
                               "file\n", o->map_out), 2;
    if (o->map) {
        memcpy(t->map_x, o->map, (size_t)(comma - o->map));
        t->map_x[comma - o->map] = '\0';
        snprintf(t->map_y, sizeof t->map_y, "%s", comma + 1);
    }
    return 0;
}

/* points per axis of the map: 41 x 41 = 1681 pairs of TCO runs (~1 s) */
#define MAP_STEPS_DEFAULT 41

/* The uncertainty analysis and the map, computed (the plot drawn into
 * memory) before anything is written; 0, 1 (failed) or 2 (bad input). */
static int tco_extras(const cli_opts *o, tco_out *t, char **plot, size_t *plot_len)
{
    cp_error err = {0};
    if (t->uo.samples) {
        size_t runs;
        t->uo.seed = t->b->rel.seed; /* --seed */
        if (cp_tco_unc_estimate(t->a, t->b, &t->uo, &runs, &err)) {
            cli_print_error(&err);
            return 2;
        }
        t->u = calloc(1, sizeof *t->u);
        if (!t->u)
            return 1;
        if (cp_tco_uncertainty(t->a, t->b, &t->uo, t->u, &err)) {
            cli_print_error(&err);
            return 1;
        }
    }
    if (o->map) {
        size_t n = o->map_steps ? (size_t)o->map_steps : MAP_STEPS_DEFAULT;
        if (cp_tco_map_eval(t->a, t->b, t->map_x, t->map_y, n, n, &t->map, &err)) {
            cli_print_error(&err);
            return strstr(err.msg, "no uncertain input") ? 2 : 1;
        }
        const char *fmt = o->map_out ? cp_tco_map_format(o->map_out) : NULL;
        if (fmt && cp_tco_map_plot(&t->map, t->a->fabric.name, t->b->fabric.name, fmt, plot,
                                   plot_len, &err)) {
            cli_print_error(&err);
            return 1;
        }
    }
    return 0;
}

/* the map's files, after the report: the plot, or CSV; --map-csv as well */
static int tco_write_map(const cli_opts *o, tco_out *t, const char *plot, size_t len)
{
    int rc = 0;
    if (plot)
        rc = cli_write_bytes(o->map_out, plot, len);
    else if (o->map_out)
        rc = cli_output_to(o->map_out, &t->csv_fail, emit_map_csv, t);
    if (rc == 0 && o->map_csv)
        rc = cli_output_to(o->map_csv, &t->csv_fail, emit_map_csv, t);
    return rc;
}

/* Both TCOs, the findings, and the totals with simulated failures. */
static int tco_run(cli_opts *o, const mpi_ctx *m, tco_out *t)
{
    cp_error err = {0};
    if (cp_tco_eval(t->a, NULL, &t->ta, &err) || cp_tco_eval(t->b, NULL, &t->tb, &err) ||
        cp_tco_findings_eval(t->a, t->b, &t->x, &err)) {
        if (m->rank == 0)
            cli_print_error(&err);
        return 1;
    }
    cp_rel_summary *s = calloc(1, sizeof *s);
    int rc = s ? 0 : 1;
    const cp_tco_case *c[2] = {t->a, t->b};
    for (int i = 0; rc == 0 && i < 2; i++) {
        rc = simulate(o, m, &c[i]->rel, cp_tco_score, (void *)c[i], c[i]->fabric.name, s);
        t->x.sim_total[i] = s->score;
        if (rc == 0 && m->rank == 0 && !isfinite(s->score.mean)) {
            fprintf(stderr, "cposim: %s: a simulated replica's TCO is not finite\n",
                    c[i]->fabric.name);
            rc = 1;
        }
    }
    t->x.simulated = rc == 0;
    t->x.replicas = t->a->rel.replicas;
    free(s);
    return rc;
}

int cmd_tco(cli_opts *o)
{
    if (o->nargs == 2 && !o->vs) {
        fprintf(stderr, "cposim: tco compares two fabrics: give the second with --vs B "
                        "(e.g. cposim tco %s --vs OTHER)\n", o->args[1]);
        return 2;
    }
    if (o->nargs != 2)
        return cli_usage_error("tco");
    tco_out *t = calloc(1, sizeof *t);
    if (!t)
        return 1;
    int rc = tco_options(o, t);
    if (rc) {
        free(t);
        return rc;
    }
    mpi_ctx m;
    cp_catalog *cat = NULL;
    char dir[4096], *plot = NULL;
    size_t plot_len = 0;
    rc = start(o, &m, &cat, dir, sizeof dir);
    cp_tco_case *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (rc == 0 && (!a || !b))
        rc = 1;
    if (rc == 0)
        rc = load_case(o, cat, dir, o->args[1], a, true);
    if (rc == 0)
        rc = load_case(o, cat, dir, o->vs, b, true);
    if (rc == 0) {
        t->o = o;
        t->a = a;
        t->b = b;
        rc = tco_run(o, &m, t);
    }
    if (rc == 0 && m.rank == 0)
        rc = tco_extras(o, t, &plot, &plot_len);
    if (rc == 0 && m.rank == 0) {
        rc = cli_output(o, emit_tco, t);
        if (rc == 0 && o->fail)
            rc = o->fail;
        if (rc == 0)
            rc = tco_write_map(o, t, plot, plot_len);
    }
    if (t->u)
        cp_unc_result_free(t->u);
    cp_tco_map_free(&t->map);
    free(t->u);
    free(plot);
    free(a);
    free(b);
    free(t);
    cp_catalog_free(cat);
    return rc;
}
