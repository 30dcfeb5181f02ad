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
    double state_time_s;    /* recorded in a saved state */
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
    long step, every, steps;
    size_t next_map;        /* the next of t.map_time_s to draw */
    cp_thermal_result st;   /* the blocks now, reused */
} tl;

/* "dir/map.svg" at 0.5 s -> "dir/map-t0.5s.svg" */
static void map_name(const char *path, double time_s, char *out, size_t len)
{
    const char *dot = strrchr(path, '.');
    int stem = (int)(dot ? dot - path : (long)strlen(path));
    snprintf(out, len, "%.*s-t%gs%s", stem, path, time_s, dot ? dot : "");
}

/* A map of the layer now, into its file; 0 or 1 (printed). */
static int transient_map(run *x, const cp_thermal_grid *g, double at_s)
{
    cp_error err = {0};
    char *data = NULL, name[4200];
    size_t len = 0;
    if (cp_thermal_map(g, &x->t, x->map_layer, cp_thermal_map_format(x->o->map), &data, &len,
                       &err)) {
        cli_print_error(&err);
        return 1;
    }
    map_name(x->o->map, at_s, name, sizeof name);
    int rc = cli_write_bytes(name, data, len);
    free(data);
    return rc;
}

/* Called after every step: a CSV row every `every` steps (and the last),
 * a map at each map time (the first step at or past it). */
static int sample(double time_s, const cp_thermal_grid *g, const cp_thermal_spec *t,
                  void *ctx)
{
    tl *s = ctx;
    const double half_step = 0.5 * t->dt_s;
    while (s->next_map < t->nmap_times && time_s >= t->map_time_s[s->next_map] - half_step) {
        if (transient_map(s->x, g, t->map_time_s[s->next_map]))
            return s->x->o->fail = 1; /* stop: the output is discarded */
        s->next_map++;
    }
    bool row = s->step % s->every == 0 || s->step == s->steps;
    s->step++;
    if (!row)
        return 0;
    cp_thermal_block_stats(g, t, &s->st);
    if (s->st.nblocks != t->nblocks)
        return s->x->o->fail = 1; /* out of memory */
    fprintf(s->f, "%.6g", time_s);
    for (size_t b = 0; b < t->nblocks; b++)
        fprintf(s->f, ",%.4f", s->st.block[b].max_c);
    for (size_t p = 0; p < t->nprobes; p++)
        fprintf(s->f, ",%.4f", cp_thermal_probe_temp(g, t, p));
    fputc('\n', s->f);
    cli_progress(s->x->o, "transient", time_s, t->t_end_s);
    return 0;
}

/* The trace and the initial state were read before the output was opened:
 * a failure here is the solver's (or a map's), and the output is then
 * discarded (status 1). */
static void emit_transient(FILE *f, void *ctx)
{
    run *x = ctx;
    cp_error err = {0};
    fprintf(f, "time_s");
    for (size_t b = 0; b < x->t.nblocks; b++)
        fprintf(f, ",%s_max_c", x->t.block[b].name);
    for (size_t p = 0; p < x->t.nprobes; p++)
        fprintf(f, ",%s_c", x->t.probe[p].name);
    fputc('\n', f);
    long steps = (long)(x->t.t_end_s / x->t.dt_s + 0.5);
    tl s = {x, f, 0, steps > 200 ? steps / 200 : 1, steps, 0, {0}};
    if (cp_thermal_transient(x->g, &x->t, &x->trace, 1, sample, &s, &err)) {
        cli_print_error(&err);
        x->o->fail = 1; /* the solver failed */
    }
    cp_thermal_result_free(&s.st);
}

static void emit_state(FILE *f, void *ctx)
{
    run *x = ctx;
    if (cp_thermal_state_write(x->g, &x->t, x->state_time_s, f))
        x->o->fail = 1;
}

/* --save-state: the grid's temperatures now into the file. */
static int save_state(run *x, double time_s)
{
    if (!x->o->save_state)
        return 0;
    x->state_time_s = time_s;
    int fail = 0;
    int rc = cli_output_to(x->o->save_state, &fail, emit_state, x);
    return rc ? rc : fail;
}

/* --initial-state: the temperatures a run starts from; a bad state is bad
 * input (2). */
static int initial_state(run *x)
{
    cp_error err = {0};
    double t0;
    if (!x->o->initial_state)
        return 0;
    if (cp_thermal_state_read(x->g, &x->t, x->o->initial_state, &t0, &err)) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
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
    int rc0 = initial_state(x); /* a warm start */
    if (rc0)
        return rc0;
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
    if (rc == 0)
        rc = save_state(x, 0.0);
    if (rc == 0 && x->tr.runaway)
        rc = 3;
    return rc;
}

/* The trace and the initial state are read (and any error in them
 * reported) before -o is opened. */
static int transient(run *x, const char *path)
{
    cp_error err = {0};
    if (x->t.dt_s <= 0) {
        fprintf(stderr, "%s: --transient needs thermal.transient {dt_s, t_end_s}\n", path);
        return 2;
    }
    if (x->t.nmap_times && !x->o->map) {
        fprintf(stderr, "%s: thermal.transient.map_times_s needs --map FILE.svg|.png (the "
                        "maps are FILE-tT.svg)\n", path);
        return 2;
    }
    if (x->t.trace_path[0] && cp_trace_load(x->t.trace_path, &x->t, &x->trace, &err)) {
        cli_print_error(&err);
        return 2; /* a bad trace is bad input */
    }
    double *power_w = malloc(x->t.nblocks * sizeof *power_w);
    if (!power_w) {
        fprintf(stderr, "cposim: out of memory\n");
        return 1;
    }
    cp_thermal_block_powers(&x->t, &x->r, power_w);
    cp_thermal_set_powers(x->g, power_w);
    free(power_w);
    cp_thermal_set_uniform(x->g, x->t.top.ambient_c);
    int rc = initial_state(x);
    if (rc)
        return rc;
    rc = cli_output(x->o, emit_transient, x);
    return rc ? rc : save_state(x, x->t.t_end_s);
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
    cp_thermal_spec_free(&x->t);
    cp_thermal_result_free(&x->tr);
    free(x);
    cp_catalog_free(cat);
    return rc;
}
