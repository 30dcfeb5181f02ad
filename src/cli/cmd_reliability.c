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

#define CHUNKS 20

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

/* All replicas, in index order, on rank 0: this rank runs i = rank, rank +
 * size, ...; rank 0 gathers and interleaves them back. */
static cp_rel_replica *simulate(const cli_opts *o, const mpi_ctx *m, const cp_rel_spec *rel,
                                size_t n, const char *what)
{
    size_t mine = (n + (size_t)m->size - 1 - (size_t)m->rank) / (size_t)m->size;
    cp_rel_replica *part = calloc(mine ? mine : 1, sizeof *part);
    if (!part)
        return NULL;
    for (size_t c = 0; c < CHUNKS; c++) {
        size_t lo = mine * c / CHUNKS, hi = mine * (c + 1) / CHUNKS;
        cp_rel_run(rel, (size_t)m->rank + lo * (size_t)m->size, (size_t)m->size, hi - lo,
                   part + lo);
        if (m->rank == 0)
            cli_progress(o, what, (double)(c + 1), CHUNKS);
    }
    if (!m->on)
        return part;
    cp_rel_replica *all = m->rank == 0 ? calloc(n, sizeof *all) : NULL;
    int *counts = calloc((size_t)m->size, sizeof *counts), *displs = calloc((size_t)m->size, sizeof *displs);
    cp_rel_replica *buf = m->rank == 0 ? calloc(n, sizeof *buf) : NULL;
    for (int r = 0, at = 0; r < m->size; r++) {
        size_t k = (n + (size_t)m->size - 1 - (size_t)r) / (size_t)m->size;
        counts[r] = (int)(k * sizeof(cp_rel_replica));
        displs[r] = at;
        at += counts[r];
    }
    MPI_Gatherv(part, (int)(mine * sizeof *part), MPI_BYTE, buf, counts, displs, MPI_BYTE, 0,
                MPI_COMM_WORLD);
    if (m->rank == 0 && all && buf)
        for (int r = 0; r < m->size; r++) {
            const cp_rel_replica *src = buf + displs[r] / (int)sizeof(cp_rel_replica);
            for (size_t k = 0; (size_t)r + k * (size_t)m->size < n; k++)
                all[(size_t)r + k * (size_t)m->size] = src[k];
        }
    free(part);
    free(buf);
    free(counts);
    free(displs);
    return all;
}

/* MPI (under mpirun), OpenMP threads and the catalog: what both commands need */
static int start(const cli_opts *o, mpi_ctx *m, cp_catalog **cat, char *dir, size_t len)
{
    mpi_start(m);
    if (o->threads > 0)
        omp_set_num_threads(o->threads);
    return cli_load_catalog((cli_opts *)o, cat, dir, len);
}

static int bad_replicas(const cp_rel_replica *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (r[i].events < 0)
            return 1;
    return 0;
}

/* Loads a fabric scenario with its reliability and economics sections. */
static int load_case(cli_opts *o, cp_catalog *cat, const char *dir, const char *arg,
                     cp_tco_case *c, bool need_eco)
{
    char path[4096];
    cp_error err = {0};
    cli_scenario_path(dir, arg, path, sizeof path);
    if (cp_fabric_load(path, cat, o->sets, o->nsets, &c->fabric, &err) ||
        cp_fabric_eval(&c->fabric, &c->fr, &err) ||
        cp_rel_load(path, cat, o->sets, o->nsets, &c->fabric, &c->fr, &c->rel, &err) ||
        (need_eco && cp_economics_load(path, o->sets, o->nsets, &c->eco, &err))) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
}

typedef struct rel_out {
    const cli_opts *o;
    const cp_rel_spec *rel;
    const cp_rel_summary *s;
} rel_out;

static void emit_rel(FILE *f, void *ctx)
{
    const rel_out *x = ctx;
    if (x->o->format == FMT_JSON)
        cp_report_reliability_json(f, x->rel, x->s);
    else
        cp_report_reliability(f, x->rel, x->s);
}

int cmd_reliability(cli_opts *o)
{
    if (o->nargs != 2) {
        fprintf(stderr, "usage: cposim reliability SCENARIO [--replicas N] [--years Y] "
                        "[--seed S] [--threads T] [--json]\n");
        return 2;
    }
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
    if (rc == 0) {
        size_t n = (size_t)c->rel.replicas;
        cp_rel_replica *reps = simulate(o, &m, &c->rel, n, "replicas");
        if (m.rank == 0) {
            if (!reps || bad_replicas(reps, n)) {
                fprintf(stderr, "cposim: out of memory in the simulation\n");
                rc = 1;
            } else {
                cp_rel_reduce(&c->rel, reps, n, s);
                rel_out x = {o, &c->rel, s};
                rc = cli_output(o, emit_rel, &x);
            }
        }
        free(reps);
    }
    free(c);
    free(s);
    cp_catalog_free(cat);
    return rc;
}

typedef struct tco_out {
    const cli_opts *o;
    const cp_tco_case *a, *b;
    cp_tco ta, tb;
    cp_tco_findings x;
} tco_out;

static void emit_tco(FILE *f, void *ctx)
{
    const tco_out *t = ctx;
    if (t->o->format == FMT_JSON)
        cp_report_tco_json(f, t->a, t->b, &t->ta, &t->tb, &t->x);
    else
        cp_report_tco(f, t->a, t->b, &t->ta, &t->tb, &t->x);
}

static double engine_fit(const cp_tco_case *c)
{
    for (size_t k = 0; k < c->rel.nclasses; k++)
        if (strstr(c->rel.cls[k].name, "CPO engines"))
            return c->rel.cls[k].fail_per_h * 1e9;
    return 0;
}

static void findings(const cp_tco_case *a, const cp_tco_case *b, cp_tco_findings *x)
{
    const cp_tco_param p[3] = {CP_TP_ENGINE_FIT, CP_TP_SWITCH_MTTR, CP_TP_ELECTRICITY};
    const double lo[3] = {0, 0.1, 0}, hi[3] = {1e6, 2000, 5};
    const double now[3] = {engine_fit(b), b->rel.svc.response_h[CP_SVC_SWITCH],
                           b->eco.electricity_usd_per_kwh};
    for (int i = 0; i < 3; i++) {
        x->param[i] = p[i];
        x->lo[i] = lo[i];
        x->hi[i] = hi[i];
        x->now[i] = now[i];
        x->have[i] = cp_tco_break_even(a, b, p[i], lo[i], hi[i], &x->root[i]) == 0;
    }
    x->nbars = cp_tco_tornado(a, b, x->bars);
}

/* Per-replica TCO totals of a case: mean and 95 % CI. */
static void mc_total(const cli_opts *o, const mpi_ctx *m, const cp_tco_case *c,
                     double *mean, double *ci, int *rc)
{
    size_t n = (size_t)c->rel.replicas;
    cp_rel_replica *reps = simulate(o, m, &c->rel, n, c->fabric.name);
    if (m->rank != 0 || !reps || bad_replicas(reps, n)) {
        if (m->rank == 0)
            *rc = 1;
        free(reps);
        return;
    }
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++) {
        cp_tco t;
        cp_tco_eval(c, &reps[i], &t);
        s += t.total_usd;
        s2 += t.total_usd * t.total_usd;
    }
    *mean = s / (double)n;
    double var = n > 1 ? (s2 - s * s / (double)n) / (double)(n - 1) : 0;
    *ci = 1.96 * sqrt(fmax(var, 0) / (double)n);
    free(reps);
}

int cmd_tco(cli_opts *o)
{
    if (o->nargs != 2 || !o->vs) {
        fprintf(stderr, "usage: cposim tco A --vs B [--replicas N] [--json]\n");
        return 2;
    }
    mpi_ctx m;
    cp_catalog *cat = NULL;
    char dir[4096];
    int rc = start(o, &m, &cat, dir, sizeof dir);
    cp_tco_case *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    tco_out *t = calloc(1, sizeof *t);
    if (rc == 0 && (!a || !b || !t))
        rc = 1;
    if (rc == 0)
        rc = load_case(o, cat, dir, o->args[1], a, true);
    if (rc == 0)
        rc = load_case(o, cat, dir, o->vs, b, true);
    if (rc == 0) {
        memset(t, 0, sizeof *t);
        t->o = o;
        t->a = a;
        t->b = b;
        cp_tco_eval(a, NULL, &t->ta);
        cp_tco_eval(b, NULL, &t->tb);
        findings(a, b, &t->x);
        t->x.simulated = true;
        t->x.replicas = a->rel.replicas;
        mc_total(o, &m, a, &t->x.mc_total[0], &t->x.mc_ci[0], &rc);
        mc_total(o, &m, b, &t->x.mc_total[1], &t->x.mc_ci[1], &rc);
        if (rc == 0 && m.rank == 0)
            rc = cli_output(o, emit_tco, t);
    }
    free(a);
    free(b);
    free(t);
    cp_catalog_free(cat);
    return rc;
}
