/* cmd_sweep.c — `cposim sweep SPEC -o DB` and `cposim sweep show DB`. */
#include "cli.h"

#include <errno.h>
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
    cli_progress(p->o, "sweep", (double)done, (double)total);
    return 0;
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

/* the base scenario: a file next to the spec, else a preset name */
static void base_path(const cli_opts *o, const char *dir, const cp_sweep_spec *s, char *out,
                      size_t len)
{
    struct stat st;
    if (s->scenario[0] != '/') {
        char rel[8192];
        const char *slash = strrchr(s->file, '/');
        snprintf(rel, sizeof rel, "%.*s%s", slash ? (int)(slash - s->file + 1) : 0, s->file,
                 s->scenario);
        if (stat(rel, &st) == 0 && S_ISREG(st.st_mode)) {
            snprintf(out, len, "%s", rel);
            return;
        }
    }
    cli_scenario_path(dir, s->scenario, out, len);
    (void)o;
}

int cmd_sweep(cli_opts *o)
{
    if (o->nargs == 3 && !strcmp(o->args[1], "show"))
        return show(o, o->args[2], true);
    if (o->nargs != 2 || !o->output) {
        fprintf(stderr, "usage: cposim sweep SPEC -o RESULTS.db [--threads T] [--quiet]\n"
                        "       cposim sweep show RESULTS.db [--json|--csv] [-o FILE]\n");
        return 2;
    }
    cp_sweep_spec *s = calloc(1, sizeof *s);
    cp_catalog *cat = NULL;
    cp_store *st = NULL;
    char dir[4096], base[8192];
    cp_error err = {0};
    char *text = NULL;
    int rc = s ? 0 : 1;
    if (rc == 0 && cp_sweep_load(o->args[1], s, &err)) {
        cli_print_error(&err);
        rc = 2;
    }
    if (rc == 0)
        rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc == 0) {
        base_path(o, dir, s, base, sizeof base);
        text = slurp(o->args[1]);
        if (o->threads > 0)
            omp_set_num_threads(o->threads);
        if (!text || cp_store_open(o->output, s, text, &st, &err)) {
            if (!text)
                fprintf(stderr, "%s: cannot read: %s\n", o->args[1], strerror(errno));
            else
                cli_print_error(&err);
            rc = 2;
        }
    }
    if (rc == 0) {
        progress p = {o, now_s()};
        cp_sweep_stats stats;
        if (cp_sweep_run(s, cat, base, st, on_progress, &p, &stats, &err)) {
            cli_print_error(&err);
            rc = 1;
        } else if (!o->quiet) {
            double dt = now_s() - p.t0;
            fprintf(stderr, "sweep: %zu points, %zu already stored, %zu computed (%zu "
                            "failed) in %.2f s (%.0f points/s%s)\n",
                    stats.total, stats.skipped, stats.computed, stats.failed, dt,
                    dt > 0 ? (double)stats.computed / dt : 0.0,
                    stats.fast ? ", values set in the loaded design" : "");
        }
    }
    cp_store_close(st);
    cp_catalog_free(cat);
    free(text);
    free(s);
    if (rc == 0 && !o->quiet)
        rc = show(o, o->output, false);
    return rc;
}
