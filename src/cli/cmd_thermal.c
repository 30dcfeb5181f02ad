/* cmd_thermal.c — `cposim thermal`: steady state (with coupling), map,
 * transient timeline. */
#include "cli.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct run {
    cli_opts *o;
    cp_design d;
    cp_result r;
    cp_thermal_spec t;
    cp_thermal_result tr;
    cp_thermal_grid *g;
    cp_trace trace;
    int map_layer;
} run;

void cli_progress(const cli_opts *o, const char *what, double done, double total)
{
    if (o->quiet || !isatty(2) || total <= 0)
        return;
    int width = 40, fill = (int)(width * done / total);
    fprintf(stderr, "\r%-10s [", what);
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %5.1f %%%s", 100.0 * done / total, done >= total ? "\n" : "");
    fflush(stderr);
}

void cli_progress_rate(const cli_opts *o, const char *what, double done, double total,
                       double computed, double elapsed_s)
{
    if (o->quiet || !isatty(2) || total <= 0)
        return;
    int width = 30, fill = (int)(width * done / total);
    double rate = elapsed_s > 0 ? computed / elapsed_s : 0;
    double eta = rate > 0 ? (total - done) / rate : 0;
    fprintf(stderr, "\r%-8s [", what);
    for (int i = 0; i < width; i++)
        fputc(i < fill ? '#' : '.', stderr);
    fprintf(stderr, "] %5.1f %% %10.0f/s  ETA %02d:%02d:%02d%s", 100.0 * done / total, rate,
            (int)(eta / 3600), (int)fmod(eta / 60, 60), (int)fmod(eta, 60),
            done >= total ? "\n" : "");
    fflush(stderr);
}

static void emit_steady(FILE *f, void *ctx)
{
    run *x = ctx;
    if (x->o->format == FMT_JSON)
    {
        if (cp_report_thermal_json(f, &x->d, &x->t, &x->tr, cp_thermal_unknowns(x->g)))
            x->o->fail = 1; /* the report could not be written */
    }
    else {
        fprintf(f, "%s%s%s\n", x->d.name, x->d.title[0] ? " — " : "", x->d.title);
        cp_report_thermal(f, &x->t, &x->tr, cp_thermal_unknowns(x->g));
    }
}

typedef struct tl {
    run *x;
    FILE *f;
} tl;

static int sample(double time_s, const cp_thermal_grid *g, const cp_thermal_spec *t,
                  void *ctx)
{
    tl *s = ctx;
    cp_thermal_result st;
    cp_thermal_block_stats(g, t, &st);
    fprintf(s->f, "%.6g", time_s);
    for (size_t b = 0; b < t->nblocks; b++)
        fprintf(s->f, ",%.4f", st.block[b].max_c);
    fputc('\n', s->f);
    cli_progress(s->x->o, "transient", time_s, t->t_end_s);
    return 0;
}

/* The trace was loaded before the output was opened: a failure here is the
 * solver's, and the output is then discarded (status 1). */
static void emit_transient(FILE *f, void *ctx)
{
    run *x = ctx;
    cp_error err = {0};
    fprintf(f, "time_s");
    for (size_t b = 0; b < x->t.nblocks; b++)
        fprintf(f, ",%s_max_c", x->t.block[b].name);
    fputc('\n', f);
    tl s = {x, f};
    long steps = (long)(x->t.t_end_s / x->t.dt_s + 0.5);
    int every = steps > 200 ? (int)(steps / 200) : 1;
    cp_thermal_set_uniform(x->g, x->t.top.ambient_c);
    if (cp_thermal_transient(x->g, &x->t, &x->trace, every, sample, &s, &err)) {
        cli_print_error(&err);
        x->o->fail = 1; /* the solver failed */
    }
}

static int find_layer(const cp_thermal_spec *t, const char *name)
{
    for (size_t l = 0; l < t->nlayers; l++)
        if (!strcmp(t->layer[l].name, name))
            return (int)l;
    return -1;
}

/* The map's format and layer, checked before anything is solved. */
static int map_options(run *x)
{
    const cli_opts *o = x->o;
    x->map_layer = o->layer ? find_layer(&x->t, o->layer) : x->t.map_layer;
    if (o->map && !cp_thermal_map_format(o->map)) {
        fprintf(stderr, "cposim: --map '%s': the map must be a .svg or .png file\n", o->map);
        return 2;
    }
    if (x->map_layer < 0) {
        char names[1024];
        size_t at = 0;
        names[0] = '\0';
        for (size_t l = 0; l < x->t.nlayers && at < sizeof names; l++)
            at += (size_t)snprintf(names + at, sizeof names - at, "%s%s", l ? ", " : "",
                                   x->t.layer[l].name);
        fprintf(stderr, "cposim: no layer '%s' in the stack; its layers are %s\n", o->layer,
                names);
        return 2;
    }
    return 0;
}

/* Solve, draw the map in memory, then write the report and the map: no
 * file is written unless everything that goes into it succeeded. */
static int steady(run *x)
{
    cp_error err = {0};
    cli_progress(x->o, "steady", 0, 1);
    if (cp_thermal_steady(x->g, &x->t, &x->d, &x->r, &x->tr, &err)) {
        cli_print_error(&err);
        return 1;
    }
    cli_progress(x->o, "steady", 1, 1);
    char *map = NULL;
    size_t len = 0;
    if (x->o->map && cp_thermal_map(x->g, &x->t, x->map_layer,
                                    cp_thermal_map_format(x->o->map), &map, &len, &err)) {
        cli_print_error(&err);
        return 1;
    }
    int rc = cli_output(x->o, emit_steady, x);
    if (rc == 0 && map)
        rc = cli_write_bytes(x->o->map, map, len);
    free(map);
    if (rc == 0 && x->tr.runaway)
        rc = 3;
    return rc;
}

/* The trace is read (and any error in it reported) before -o is opened. */
static int transient(run *x, const char *path)
{
    cp_error err = {0};
    if (x->t.dt_s <= 0) {
        fprintf(stderr, "%s: --transient needs thermal.transient {dt_s, t_end_s}\n", path);
        return 2;
    }
    if (x->t.trace_path[0] && cp_trace_load(x->t.trace_path, &x->t, &x->trace, &err)) {
        cli_print_error(&err);
        return 2; /* a bad trace is bad input */
    }
    double power_w[CP_MAX_BLOCKS];
    cp_thermal_block_powers(&x->t, &x->r, power_w);
    cp_thermal_set_powers(x->g, power_w);
    return cli_output(x->o, emit_transient, x);
}

int cmd_thermal(cli_opts *o)
{
    if (o->nargs != 2)
        return cli_usage_error("thermal");
    /* options that do not go together, refused before any work */
    const char *clash = o->transient && o->format == FMT_JSON ? "--json"
                        : o->transient && o->map             ? "--map"
                                                              : NULL;
    if (clash) {
        fprintf(stderr, "cposim: %s does not apply to --transient (its timeline is CSV)\n",
                clash);
        return 2;
    }
    if (o->layer && !o->map) {
        fprintf(stderr, "cposim: --layer %s: the layer of a map; give --map FILE.svg too\n",
                o->layer);
        return 2;
    }
    cp_catalog *cat = NULL;
    char dir[4096], path[4096];
    int rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc)
        return rc;
    run *x = calloc(1, sizeof *x);
    cp_error err = {0};
    x->o = o;
    if (cli_scenario(dir, o->args[1], CLI_KIND(CP_INPUT_THERMAL), path, sizeof path, NULL)) {
        rc = 2;
    } else if (cp_scenario_load(path, cat, o->sets, o->nsets, &x->d, &err) ||
        cp_thermal_load(path, cat, o->sets, o->nsets, &x->t, &err)) {
        cli_print_error(&err);
        rc = 2;
    } else if (x->t.max_memory_gb = o->max_memory_gb, cp_thermal_check_size(&x->t, &err)) {
        cli_print_error(&err); /* too large for the limits: refused before it starts */
        rc = 2;
    } else if ((rc = map_options(x)) != 0) {
        /* reported, before the grid is built */
    } else if (cp_design_eval(&x->d, &x->r), cp_thermal_grid_create(&x->t, &x->g, &err)) {
        cli_print_error(&err);
        rc = 1;
    } else if (cp_thermal_solver_kind(x->g, &x->t, o->transient) == CP_SOLVER_PFMG &&
               cli_mpi_start()) { /* HYPRE needs MPI: started only for it */
        rc = 1;
    } else {
        rc = o->transient ? transient(x, path) : steady(x);
    }
    cp_trace_free(&x->trace);
    cp_thermal_grid_free(x->g);
    free(x);
    cp_catalog_free(cat);
    return rc;
}
