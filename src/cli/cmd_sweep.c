/* cmd_sweep.c — `cposim sweep SPEC -o DB` (on every rank under mpirun: the
 * library splits each chunk of points over the ranks through the MPI
 * collectives below, rank 0 keeps the store) and `cposim sweep show DB`. */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <mpi.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

typedef struct shown {
    const cp_sweep_table *t;
    const cp_sweep_summary *s;
    int rc;
} shown;

static void emit(FILE *f, void *ctx, cli_format fmt)
{
    shown *x = ctx;
    if (fmt == FMT_JSON)
        x->rc = cp_report_sweep_json(f, x->t, x->s) ? 1 : 0;
    else if (fmt == FMT_CSV)
        x->rc = cp_report_sweep_csv(f, x->t, x->s) ? 1 : 0;
    else
        cp_report_sweep(f, x->t, x->s);
}

static void emit_table(FILE *f, void *ctx) { emit(f, ctx, FMT_TABLE); }
static void emit_json(FILE *f, void *ctx) { emit(f, ctx, FMT_JSON); }
static void emit_csv(FILE *f, void *ctx) { emit(f, ctx, FMT_CSV); }

/* Summary of a store: to stdout, or (show) to -o in the chosen format. */
static int show(cli_opts *o, const char *db, bool to_output)
{
    cp_sweep_table t;
    cp_sweep_summary s;
    cp_error err = {0};
    if (cp_store_read(db, &t, &err)) {
        cli_print_error(&err);
        return 2;
    }
    if (cp_sweep_summarize(&t, &s, &err)) {
        cli_print_error(&err);
        cp_sweep_table_free(&t);
        return 1;
    }
    shown x = {&t, &s, 0};
    cli_opts so = *o;
    if (!to_output) {
        so.output = NULL;
        so.format = FMT_TABLE;
    } else if (cli_output_check(so.output)) {
        cp_sweep_summary_free(&s);
        cp_sweep_table_free(&t);
        return 2;
    }
    void (*fn)(FILE *, void *) = so.format == FMT_JSON ? emit_json
                                 : so.format == FMT_CSV ? emit_csv : emit_table;
    int rc = cli_output_to(so.output, &x.rc, fn, &x);
    cp_sweep_summary_free(&s);
    cp_sweep_table_free(&t);
    return rc ? rc : x.rc;
}

typedef struct progress {
    const cli_opts *o;
    double t0;
    const cp_sweep_stats *stats; /* filled as the run goes: points computed so far */
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int on_progress(size_t done, size_t total, void *ctx)
{
    progress *p = ctx;
    cli_progress_rate(p->o, "sweep", (double)done, (double)total, (double)p->stats->computed,
                      now_s() - p->t0);
    return 0;
}

/* ------------------------------------------------- the ranks of mpirun
 * Collectives for cp_sweep_comm on MPI_COMM_WORLD.  A chunk's results are
 * at most CHUNK points x (outputs + a 1 kB message): far below INT_MAX
 * bytes, which a larger part would fail cleanly on (every rank). */
static int mpi_bcast(void *ctx, void *buf, size_t bytes)
{
    (void)ctx;
    for (unsigned char *p = buf; bytes > 0;) {
        int k = bytes > (size_t)INT_MAX ? INT_MAX : (int)bytes;
        if (MPI_Bcast(p, k, MPI_BYTE, 0, MPI_COMM_WORLD) != MPI_SUCCESS)
            return -1;
        p += k;
        bytes -= (size_t)k;
    }
    return 0;
}

static int mpi_gather(void *ctx, const void *send, size_t bytes, void **recv,
                      size_t *recv_bytes)
{
    (void)ctx;
    int rank, size;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    unsigned long long mine = bytes, *all = rank == 0 ? calloc((size_t)size, sizeof *all)
                                                      : NULL;
    int *counts = rank == 0 ? calloc((size_t)size, sizeof *counts) : NULL;
    int *displs = rank == 0 ? calloc((size_t)size, sizeof *displs) : NULL;
    int ok = rank != 0 || (all && counts && displs);
    if (MPI_Gather(&mine, 1, MPI_UNSIGNED_LONG_LONG, all, 1, MPI_UNSIGNED_LONG_LONG, 0,
                   MPI_COMM_WORLD) != MPI_SUCCESS)
        ok = 0;
    unsigned long long total = 0;
    for (int r = 0; ok && rank == 0 && r < size; r++) {
        displs[r] = (int)total;
        counts[r] = (int)all[r];
        total += all[r];
        ok = total <= (unsigned long long)INT_MAX;
    }
    /* rank 0's verdict, so that every rank calls Gatherv or none does */
    MPI_Bcast(&ok, 1, MPI_INT, 0, MPI_COMM_WORLD);
    unsigned char *buf = ok && rank == 0 ? malloc(total ? total : 1) : NULL;
    int got = ok && (rank != 0 || buf);
    MPI_Bcast(&got, 1, MPI_INT, 0, MPI_COMM_WORLD);
    int rc = got ? 0 : -1;
    if (got && MPI_Gatherv(send, (int)bytes, MPI_BYTE, buf, counts, displs, MPI_BYTE, 0,
                           MPI_COMM_WORLD) != MPI_SUCCESS)
        rc = -1;
    for (int r = 0; rc == 0 && rank == 0 && r < size; r++) {
        recv[r] = malloc(all[r] ? all[r] : 1);
        recv_bytes[r] = all[r];
        if (!recv[r])
            rc = -1;
        else
            memcpy(recv[r], buf + displs[r], all[r]);
    }
    free(buf);
    free(all);
    free(counts);
    free(displs);
    return rc;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = 2 * cap + 8192;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = b;
        }
        size_t k = fread(buf + len, 1, 4096, f);
        len += k;
        if (k < 4096)
            break;
    }
    fclose(f);
    buf[len] = '\0';
    return buf;
}

/* a scenario of the spec: a file next to the spec, else a preset name */
static int base_path(const char *dir, const cp_sweep_spec *s, const char *name, char *out,
                     size_t len)
{
    struct stat st;
    if (name[0] != '/') {
        char rel[8192];
        const char *slash = strrchr(s->file, '/');
        snprintf(rel, sizeof rel, "%.*s%s", slash ? (int)(slash - s->file + 1) : 0, s->file,
                 name);
        if (stat(rel, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(out, len, "%s", rel);
            return 0;
        }
    }
    return cli_scenario_path(dir, name, out, len);
}

int cmd_sweep(cli_opts *o)
{
    int rank = 0, size = 1;
    if (cp_mpi_ready()) { /* under mpirun: main() started MPI on every rank */
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
    }
    if (o->nargs == 3 && !strcmp(o->args[1], "show"))
        return rank == 0 ? show(o, o->args[2], true) : 0;
    if (o->nargs != 2 || !o->output)
        return rank == 0 ? cli_usage_error("sweep") : 2;
    if (o->format != FMT_TABLE) {
        if (rank == 0)
            fprintf(stderr, "cposim: --json and --csv are for `cposim sweep show RESULTS.db`; "
                            "a sweep writes its results to the store\n");
        return 2;
    }
    cp_sweep_spec *s = calloc(1, sizeof *s);
    cp_catalog *cat = NULL;
    cp_store *st = NULL;
    char dir[4096], base[8192], vs[8192];
    cp_error err = {0};
    char *text = NULL, spec[4096];
    int rc = s ? 0 : 1;
    cli_data_dir(o, dir, sizeof dir);
    if (rc == 0 && cli_scenario(dir, o->args[1], CLI_KIND(CP_INPUT_SWEEP_SPEC), spec,
                                sizeof spec, NULL))
        rc = 2;
    if (rc == 0 && cp_sweep_load(spec, s, &err)) {
        if (rank == 0)
            cli_print_error(&err);
        rc = 2;
    }
    if (rc == 0)
        rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    /* a PFMG-PCG solve needs MPI: started here when mpirun did not */
    if (rc == 0 && (s->command == CP_SWEEP_THERMAL || s->command == CP_SWEEP_COMPLY) &&
        cli_mpi_start())
        rc = 1;
    cp_sweep_base b = {base, NULL};
    if (rc == 0) {
        if (base_path(dir, s, s->scenario, base, sizeof base) ||
            (s->vs[0] && base_path(dir, s, s->vs, vs, sizeof vs)))
            rc = 2;
        else if (s->vs[0])
            b.vs = vs;
        if (o->threads > 0)
            omp_set_num_threads(o->threads);
    }
    if (rc == 0 && rank == 0) {
        text = slurp(spec);
        if (!text || cp_store_open(o->output, s, text, &st, &err)) {
            if (!text)
                fprintf(stderr, "%s: cannot read: %s\n", spec, strerror(errno));
            else
                cli_print_error(&err);
            rc = 2;
        }
    }
    /* every rank must enter the run (its collectives), or none */
    if (size > 1)
        MPI_Allreduce(MPI_IN_PLACE, &rc, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    if (rc == 0) {
        cp_sweep_stats stats;
        progress p = {o, now_s(), &stats};
        cp_sweep_comm comm = {rank, size, NULL, mpi_bcast, mpi_gather};
        if (cp_sweep_run(s, cat, &b, st, size > 1 ? &comm : NULL, on_progress, &p, &stats,
                         &err)) {
            if (rank == 0)
                cli_print_error(&err);
            rc = 1;
        } else if (rank == 0 && !o->quiet) {
            double dt = now_s() - p.t0;
            fprintf(stderr, "sweep: %zu points, %zu already stored, %zu computed (%zu "
                            "failed) in %.2f s (%.0f points/s%s%s)\n",
                    stats.total, stats.skipped, stats.computed, stats.failed, dt,
                    dt > 0 ? (double)stats.computed / dt : 0.0,
                    stats.fast ? ", values set in the loaded design" : "",
                    size > 1 ? ", over MPI ranks" : "");
        }
    }
    cp_store_close(st);
    cp_catalog_free(cat);
    free(text);
    free(s);
    if (rc == 0 && rank == 0 && !o->quiet)
        rc = show(o, o->output, false);
    return rc;
}
