/*
 * cposim — the command-line driver.  It parses arguments, finds the data
 * directory, loads scenarios, calls the model chain and prints a report.
 * No physics here.
 */
#include "cli.h"

#include <gsl/gsl_errno.h>

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int take(int argc, char **argv, int *i, const char **out)
{
    if (*i + 1 >= argc) {
        fprintf(stderr, "cposim: %s needs a value\n", argv[*i]);
        return -1;
    }
    *out = argv[++*i];
    return 0;
}

/* --threads: at most this many OpenMP threads.  Each thread has its own
 * stack and start-up cost, so more threads than cores only slow a run down
 * (measured: 40 replicas take 0.2 s on 256 threads, 3.4 s on 4096) and
 * libgomp crashed creating 100000; 1024 leaves room for the largest nodes. */
#define CLI_MAX_THREADS 1024

/* A whole number in [lo, hi] as typed: digits only (no sign, fraction,
 * exponent or blanks), so that 2.5, 1e3, -3 and abc are refused instead of
 * being read as 2, 1, -3 or 0. */
static int whole(const char *opt, const char *v, long long lo, long long hi, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long n = isdigit((unsigned char)v[0]) ? strtoll(v, &end, 10) : -1;
    if (!end || *end || errno == ERANGE || n < lo || n > hi) {
        if (hi == LLONG_MAX)
            fprintf(stderr, "cposim: %s '%s': expected a whole number, %lld or more\n", opt,
                    v, lo);
        else
            fprintf(stderr, "cposim: %s '%s': expected a whole number from %lld to %lld\n",
                    opt, v, lo, hi);
        return -1;
    }
    *out = n;
    return 0;
}

/* --threads, and --replicas/--years/--seed, which become --set
 * reliability.simulation.KEY=VALUE: checked here, where the option the user
 * typed is known (the scenario's ranges are checked when it loads). */
static int simulation_option(cli_opts *o, const char *a, const char *v)
{
    long long n = 0;
    if (!strcmp(a, "--threads")) {
        if (whole(a, v, 1, CLI_MAX_THREADS, &n))
            return -1;
        o->threads = (int)n;
        return 0;
    }
    static const char *const keys[] = {"replicas", "years", "seed"};
    int k = a[2] == 'r' ? 0 : a[2] == 'y' ? 1 : 2;
    char val[40];
    if (k == 1) {
        char *end;
        double y = strtod(v, &end);
        if (end == v || *end || !isfinite(y) || !(y > 0)) {
            fprintf(stderr, "cposim: --years '%s': expected a number of years above 0\n", v);
            return -1;
        }
        snprintf(val, sizeof val, "%.17g", y);
    } else {
        if (whole(a, v, k == 0 ? 1 : 0, LLONG_MAX, &n))
            return -1;
        snprintf(val, sizeof val, "%lld", n);
    }
    if (o->nsets >= CLI_MAX_ARGS)
        return fprintf(stderr, "cposim: too many --set\n"), -1;
    snprintf(o->set_buf[k], sizeof o->set_buf[k], "reliability.simulation.%s=%s", keys[k],
             val);
    o->sets[o->nsets++] = o->set_buf[k];
    return 0;
}

/* One option and its value into o; i is moved past the value. */
static int option(cli_opts *o, const cli_option *opt, int argc, char **argv, int *i)
{
    const char *a = argv[*i], *v = NULL;
    if (opt->arg && take(argc, argv, i, &v))
        return -1;
    long long n;
    switch (opt->id) {
    case OPT_JSON:
    case OPT_CSV:
        if (o->format != FMT_TABLE && o->format != (opt->id == OPT_JSON ? FMT_JSON : FMT_CSV))
            return fprintf(stderr, "cposim: --json and --csv both given: choose one\n"), -1;
        o->format = opt->id == OPT_JSON ? FMT_JSON : FMT_CSV;
        return 0;
    case OPT_QUIET: o->quiet = 1; return 0;
    case OPT_TRANSIENT: o->transient = 1; return 0;
    case OPT_VS: o->vs = v; return 0;
    case OPT_WORKLOAD: o->workload = v; return 0;
    case OPT_THREADS:
    case OPT_REPLICAS:
    case OPT_YEARS:
    case OPT_SEED: return simulation_option(o, a, v);
    case OPT_UNCERTAINTY:
    case OPT_MAP_STEPS: {
        bool unc = opt->id == OPT_UNCERTAINTY;
        if (whole(a, v, unc ? 1 : 2, unc ? CP_UNC_MAX_SAMPLES : CP_MAP_MAX_STEPS, &n))
            return -1;
        *(unc ? &o->uncertainty : &o->map_steps) = (long)n;
        return 0;
    }
    case OPT_DESIGN: o->design = v; return 0;
    case OPT_MAP_OUT: o->map_out = v; return 0;
    case OPT_MAP_CSV: o->map_csv = v; return 0;
    case OPT_MAX_MEMORY: {
        char *end;
        o->max_memory_gb = strtod(v, &end);
        if (end == v || *end || !(o->max_memory_gb > 0 && o->max_memory_gb < 1e9))
            return fprintf(stderr, "cposim: --max-memory takes a size in GB > 0, "
                                   "got '%s'\n", v), -1;
        return 0;
    }
    case OPT_GRAPH: o->graph = v; return 0;
    case OPT_FAIL:
        if (o->nfails >= CLI_MAX_ARGS)
            return fprintf(stderr, "cposim: too many --fail\n"), -1;
        o->fails[o->nfails++] = v;
        return 0;
    case OPT_EVENTS: o->events = 1; return 0;
    case OPT_HEATMAP: o->heatmap = v; return 0;
    case OPT_FIGURES: o->figures = v; return 0;
    case OPT_MAP: o->map = v; return 0;
    case OPT_LAYER: o->layer = v; return 0;
    case OPT_SAVE_STATE: o->save_state = v; return 0;
    case OPT_INITIAL_STATE: o->initial_state = v; return 0;
    case OPT_SET:
        if (o->nsets >= CLI_MAX_ARGS)
            return fprintf(stderr, "cposim: too many --set\n"), -1;
        o->sets[o->nsets++] = v;
        return 0;
    case OPT_DATA: o->data_dir = v; return 0;
    case OPT_OUTPUT: o->output = v; return 0;
    }
    return -1;
}

static int parse(int argc, char **argv, cli_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_option *opt = cli_option_find(!strncmp(a, "--set=", 6) ? "--set" : a);
        if (!opt && a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cposim: unknown option '%s'; try 'cposim --help'\n", a);
            return -1;
        }
        if (!opt) {
            if (o->nargs >= CLI_MAX_ARGS)
                return fprintf(stderr, "cposim: too many arguments\n"), -1;
            o->args[o->nargs++] = a;
            continue;
        }
        if (o->ntyped < CLI_MAX_ARGS)
            o->typed[o->ntyped++] = opt->name;
        if (!strncmp(a, "--set=", 6)) {
            if (o->nsets >= CLI_MAX_ARGS)
                return fprintf(stderr, "cposim: too many --set\n"), -1;
            o->sets[o->nsets++] = a + 6;
        } else if (option(o, opt, argc, argv, &i)) {
            return -1;
        }
    }
    return 0;
}

/* Every option given is one the command takes: checked before any work. */
static int options_for(const cli_opts *o, const cli_command *c)
{
    for (int i = 0; i < o->ntyped; i++)
        if (!cli_command_takes(c, cli_option_find(o->typed[i]))) {
            fprintf(stderr, "cposim: %s does not take %s; see 'cposim %s --help'\n",
                    c->name, o->typed[i], c->name);
            return -1;
        }
    return 0;
}

static int run(cli_opts *o, int (*cmd)(cli_opts *o), rank_use ranks)
{
    int rank = cli_launcher_rank(); /* -1: not under mpirun */
    /* outputs that cannot be written are refused before any work (rank 0 writes) */
    /* tco's --map names two inputs, not a file */
    bool map_file = cmd != cmd_tco;
    if (rank <= 0 && (cli_output_check(o->output) || cli_output_check(o->graph) ||
                      (map_file && cli_output_check(o->map)) ||
                      cli_output_check(o->map_out) || cli_output_check(o->map_csv) ||
                      cli_output_check(o->save_state)))
        return 1;
    if (rank >= 0 && ranks != RANK0 && cli_mpi_start())
        return 1;
    int rc = rank > 0 && ranks != ALL_RANKS ? 0 : cmd(o);
    cli_mpi_end();
    return rc;
}

/* `cposim help [COMMAND]` */
static int help(const char *cmd)
{
    const cli_command *c = cli_command_find(cmd);
    if (c) {
        cli_command_help(stdout, c);
        return 0;
    }
    if (cmd) {
        fprintf(stderr, "cposim: no command '%s'; try 'cposim --help'\n", cmd);
        return 2;
    }
    cli_usage(stdout);
    return 0;
}

/* The command a --help asks about: the first argument that names one. */
static const cli_command *help_topic(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (cli_command_find(argv[i]))
            return cli_command_find(argv[i]);
    return NULL;
}

int main(int argc, char **argv)
{
    /* GSL's default handler aborts; the library checks every GSL status
     * and reports it as a cp_error, so the program turns the handler off */
    gsl_set_error_handler_off();
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--version") || !strcmp(argv[i], "-V")) {
            printf("cposim %s\n", CPOSIM_VERSION);
            return 0;
        }
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            const cli_command *c = help_topic(argc, argv);
            if (c)
                cli_command_help(stdout, c);
            else
                cli_usage(stdout);
            return 0;
        }
    }
    cli_opts o = {0};
    if (parse(argc, argv, &o))
        return 2;
    if (o.nargs == 0) {
        cli_usage(stderr);
        return 2;
    }
    if (!strcmp(o.args[0], "help"))
        return help(o.nargs > 1 ? o.args[1] : NULL);
    const cli_command *c = cli_command_find(o.args[0]);
    if (!c) {
        const char *near = NULL;
        size_t best = (size_t)-1;
        for (size_t i = 0; i < cli_ncommands; i++)
            if (cli_distance(o.args[0], cli_commands[i].name) < best)
                best = cli_distance(o.args[0], cli_commands[i].name), near = cli_commands[i].name;
        if (near && (CLI_NEAR(o.args[0], best) || !strncmp(o.args[0], near, strlen(near))))
            fprintf(stderr, "cposim: unknown command '%s'; did you mean '%s'? (cposim --help "
                            "lists them)\n", o.args[0], near);
        else
            fprintf(stderr, "cposim: unknown command '%s'; try 'cposim --help'\n", o.args[0]);
        return 2;
    }
    if (options_for(&o, c))
        return 2;
    o.exe = argv[0];
    return run(&o, c->run, c->ranks);
}
