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

/* What a command does under mpirun.  Only reliability and tco split their
 * work over ranks; the others run on rank 0 alone (one report, not one per
 * rank), and thermal starts MPI on every rank first, since its PFMG-PCG
 * solver needs MPI on rank 0 and Open MPI's MPI_Init waits for all ranks. */
typedef enum { RANK0 = 0, RANK0_MPI, ALL_RANKS } rank_use;

static const struct {
    const char *name;
    int (*run)(cli_opts *o);
    const char *usage;
    const char *help;
    rank_use ranks;
} commands[] = {
    {"eval", cmd_eval, "cposim eval SCENARIO [--json|--csv] [--set PATH=VALUE]... [-o FILE]",
     "Evaluate one switch design: power breakdown (ASIC, SerDes, optics, lasers,\n"
     "cooling, conversion), W and pJ/bit per port, link margins, density, warnings.\n"
     "SCENARIO is a YAML file or the name of a bundled preset (e.g. bailly-51t).", RANK0},
    {"compare", cmd_compare, "cposim compare A B [C...] [--json|--csv] [--set PATH=VALUE]... [-o FILE]",
     "Evaluate designs side by side; deltas and % saving against the first one.\n"
     "--set applies to every design.", RANK0},
    {"thermal", cmd_thermal,
     "cposim thermal SCENARIO [--map FILE.svg|.png] [--layer NAME] [--transient] [--initial-state FILE] [--save-state FILE] [--json] [--set PATH=VALUE]... [-o FILE]",
     "Package temperatures of the scenario's `thermal:` section: finite-volume grid\n"
     "(HYPRE PFMG-PCG, or CHOLMOD), block powers from the switch power model,\n"
     "electro-thermal coupling (ASIC leakage, laser efficiency, ring heaters) to a\n"
     "fixed point.  Prints per-block max/mean temperature, heat flux and margin to\n"
     "its limit; --map draws a layer; --transient runs the power trace and prints\n"
     "the block and probe temperatures over time (CSV), maps at the scenario's\n"
     "map_times_s; --save-state writes the final temperatures, which\n"
     "--initial-state starts a later run from.", RANK0_MPI},
    {"fabric", cmd_fabric,
     "cposim fabric SCENARIO [--json] [--graph FILE] [--set PATH=VALUE]... [-o FILE]",
     "Size a cluster fabric (single, leaf-spine, rail-optimized, 3-tier fat tree)\n"
     "from the switch designs named per tier: switches, links, link media from the\n"
     "layout, transceivers, CPO engines, lasers, fibres, power per tier, network\n"
     "power per GPU, optics share of cluster power, bisection bandwidth.  --graph\n"
     "writes the fabric as an edge list.  `cposim compare` takes fabric scenarios too.", RANK0},
    {"reliability", cmd_reliability,
     "cposim reliability SCENARIO [--replicas N] [--years Y] [--seed S] [--threads T] [--json]",
     "Fleet Monte Carlo over a fabric scenario's components (modules, engines, lasers,\n"
     "switches, cables): failures with Arrhenius/Weibull rates, repairs by a limited\n"
     "crew, training-job interruptions and lost GPU-hours; mean and 95 % CI of every\n"
     "figure and a per-year timeline.  Replicas run on OpenMP threads, and across\n"
     "ranks under mpirun (results identical for any thread or rank count).", ALL_RANKS},
    {"tco", cmd_tco,
     "cposim tco A --vs B [--replicas N] [--uncertainty N [--design lhs|sobol|random|saltelli] [--seed S]] [--map X,Y --map-out FILE.svg|.png|.csv [--map-csv FILE] [--map-steps N]] [--json]",
     "Total cost of ownership of fabric option B against A over the service life:\n"
     "capex, discounted energy, service and GPU idle cost; the winner and by how\n"
     "much; the CPO engine FIT, switch MTTR and electricity price at which the answer\n"
     "flips (GSL Brent root finding); a tornado over the uncertain inputs (every\n"
     "figure with a range in the data) to the ends of their ranges.\n"
     "--uncertainty N samples those inputs together (Latin hypercube by default; an\n"
     "input both options use takes the same value in both) and reports P(B wins)\n"
     "with its Wilson interval, quantiles of TCO B - A and the inputs that drive it\n"
     "(Spearman; Sobol indices with --design saltelli).  --map X,Y writes the winner\n"
     "and B - A over a grid of two inputs (low..high of their ranges) as a plot\n"
     "(.svg/.png) or CSV.", ALL_RANKS},
    {"sweep", cmd_sweep,
     "cposim sweep SPEC -o RESULTS.db [--threads T] | cposim sweep show RESULTS.db [--json|--csv]",
     "Design-space sweep: a YAML spec names a base scenario and command (eval,\n"
     "fabric, thermal, reliability, or tco with `vs`), parameters as --set paths\n"
     "(lists, lin/log ranges, distributions), a design (grid, random, lhs, sobol),\n"
     "outputs by their JSON names, constraints and objectives.  Points go to a SQLite\n"
     "store keyed by a hash of their inputs: run the same command again after an\n"
     "interrupt and only the missing points run.  Points run on OpenMP threads, and\n"
     "over the ranks of `mpirun -np N` (rank 0 writes; the store is the same for any\n"
     "rank count).  Prints ranges, the best feasible point per objective, the Pareto\n"
     "front and the rank correlation of each output with each parameter; `show`\n"
     "prints or exports.",
     ALL_RANKS},
    {"report", cmd_report,
     "cposim report INPUT... [-o REPORT.html] [--figures DIR] [--layer NAME] [--set PATH=VALUE]...",
     "One self-contained HTML report (no network needed: figures are inline SVG drawn\n"
     "by PLplot) of switch scenarios (power breakdown, pJ/bit, optical lane budget\n"
     "waterfalls; several compare side by side), thermal scenarios (map of a layer with\n"
     "the blocks and their limits, block temperatures), fabric scenarios (counts and\n"
     "power per tier; two with reliability and economics add the TCO waterfall, the\n"
     "tornado and the expected failures per year) and sweep results stores (.db:\n"
     "heatmap, Pareto front, rank correlations).  --figures also writes each figure\n"
     "as SVG (and PNG).  Nothing is written unless every figure was drawn.", RANK0_MPI},
    {"catalog", cmd_catalog, "cposim catalog [list [CLASS] | show NAME]",
     "List catalog entries (optionally of one class: serdes, retimer, trace,\n"
     "connector, channel, fiber, optical_connector, coupler, link, laser, modulator,\n"
     "driver, tia, photodetector, engine, module, asic), or show one entry with the\n"
     "source or assumption behind every figure.", RANK0},
};
#define NCMD (sizeof commands / sizeof *commands)

static void usage(FILE *f)
{
    fprintf(f, "usage: cposim [--data DIR] [--quiet] COMMAND [ARGS]\n\n"
               "cposim %s — Co-Packaged Optics switch-system simulator\n\ncommands:\n",
            CPOSIM_VERSION);
    for (size_t i = 0; i < NCMD; i++)
        fprintf(f, "  %s\n", commands[i].usage);
    fprintf(f, "  cposim help COMMAND\n  cposim --version\n\n"
               "Options: --json, --csv, --set PATH=VALUE (e.g. --set ports.cpo.count=32),\n"
               "-o FILE (written atomically), --data DIR (catalog; default: the bundled\n"
               "data, or $CPOSIM_DATA), --max-memory GB (thermal grid, fabric graph;\n"
               "default 8), --quiet.  Exit status: 0 ok, 1 failure, 2 bad\n"
               "input or usage (messages are file:line:col: what is wrong).\n"
               "See cposim(1).\n");
}

static int help(const char *cmd)
{
    for (size_t i = 0; i < NCMD; i++)
        if (cmd && strcmp(cmd, commands[i].name) == 0) {
            printf("usage: %s\n\n%s\n", commands[i].usage, commands[i].help);
            return 0;
        }
    if (cmd) {
        fprintf(stderr, "cposim: no command '%s'; try 'cposim --help'\n", cmd);
        return 2;
    }
    usage(stdout);
    return 0;
}

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

static int parse(int argc, char **argv, cli_opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v;
        if (!strcmp(a, "--json")) {
            o->format = FMT_JSON;
        } else if (!strcmp(a, "--csv")) {
            o->format = FMT_CSV;
        } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
            o->quiet = 1;
        } else if (!strcmp(a, "--transient")) {
            o->transient = 1;
        } else if (!strcmp(a, "--vs") || !strcmp(a, "--threads") || !strcmp(a, "--replicas") ||
                   !strcmp(a, "--years") || !strcmp(a, "--seed") || !strcmp(a, "--workload")) {
            if (take(argc, argv, &i, &v))
                return -1;
            if (!strcmp(a, "--vs"))
                o->vs = v;
            else if (!strcmp(a, "--workload"))
                o->workload = v;
            else if (simulation_option(o, a, v))
                return -1;
        } else if (!strcmp(a, "--uncertainty") || !strcmp(a, "--map-steps")) {
            long long n;
            bool unc = a[2] == 'u';
            if (take(argc, argv, &i, &v) ||
                whole(a, v, unc ? 1 : 2, unc ? CP_UNC_MAX_SAMPLES : CP_MAP_MAX_STEPS, &n))
                return -1;
            *(unc ? &o->uncertainty : &o->map_steps) = (long)n;
        } else if (!strcmp(a, "--design") || !strcmp(a, "--map-out") ||
                   !strcmp(a, "--map-csv")) {
            if (take(argc, argv, &i, &v))
                return -1;
            *(a[2] == 'd' ? &o->design : a[6] == 'o' ? &o->map_out : &o->map_csv) = v;
        } else if (!strcmp(a, "--max-memory")) {
            char *end;
            if (take(argc, argv, &i, &v))
                return -1;
            o->max_memory_gb = strtod(v, &end);
            if (end == v || *end || !(o->max_memory_gb > 0 && o->max_memory_gb < 1e9))
                return fprintf(stderr, "cposim: --max-memory takes a size in GB > 0, "
                                       "got '%s'\n", v), -1;
        } else if (!strcmp(a, "--save-state") || !strcmp(a, "--initial-state")) {
            if (take(argc, argv, &i, &v))
                return -1;
            *(a[2] == 's' ? &o->save_state : &o->initial_state) = v;
        } else if (!strcmp(a, "--graph") || !strcmp(a, "--figures")) {
            if (take(argc, argv, &i, &v))
                return -1;
            *(a[2] == 'g' ? &o->graph : &o->figures) = v;
        } else if (!strcmp(a, "--map") || !strcmp(a, "--layer")) {
            if (take(argc, argv, &i, &v))
                return -1;
            *(a[2] == 'm' ? &o->map : &o->layer) = v;
        } else if (!strcmp(a, "--set") || !strcmp(a, "--data") || !strcmp(a, "-o") ||
                   !strcmp(a, "--output")) {
            if (take(argc, argv, &i, &v))
                return -1;
            if (a[2] == 's') {
                if (o->nsets >= CLI_MAX_ARGS)
                    return fprintf(stderr, "cposim: too many --set\n"), -1;
                o->sets[o->nsets++] = v;
            } else if (a[2] == 'd') {
                o->data_dir = v;
            } else {
                o->output = v;
            }
        } else if (!strncmp(a, "--set=", 6)) {
            if (o->nsets >= CLI_MAX_ARGS)
                return fprintf(stderr, "cposim: too many --set\n"), -1;
            o->sets[o->nsets++] = a + 6;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "cposim: unknown option '%s'; try 'cposim --help'\n", a);
            return -1;
        } else if (o->nargs < CLI_MAX_ARGS) {
            o->args[o->nargs++] = a;
        } else {
            return fprintf(stderr, "cposim: too many arguments\n"), -1;
        }
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
            usage(stdout);
            return 0;
        }
    }
    cli_opts o = {0};
    if (parse(argc, argv, &o))
        return 2;
    if (o.nargs == 0) {
        usage(stderr);
        return 2;
    }
    if (!strcmp(o.args[0], "help"))
        return help(o.nargs > 1 ? o.args[1] : NULL);
    for (size_t i = 0; i < NCMD; i++)
        if (!strcmp(o.args[0], commands[i].name)) {
            o.exe = argv[0];
            return run(&o, commands[i].run, commands[i].ranks);
        }
    fprintf(stderr, "cposim: unknown command '%s'; try 'cposim --help'\n", o.args[0]);
    return 2;
}
