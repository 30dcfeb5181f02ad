/*
 * cposim — the command-line driver.  It parses arguments, finds the data
 * directory, loads scenarios, calls the model chain and prints a report.
 * No physics here.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;
    int (*run)(cli_opts *o);
    const char *usage;
    const char *help;
} commands[] = {
    {"eval", cmd_eval, "cposim eval SCENARIO [--json|--csv] [--set PATH=VALUE]... [-o FILE]",
     "Evaluate one switch design: power breakdown (ASIC, SerDes, optics, lasers,\n"
     "cooling, conversion), W and pJ/bit per port, link margins, density, warnings.\n"
     "SCENARIO is a YAML file or the name of a bundled preset (e.g. bailly-51t)."},
    {"compare", cmd_compare, "cposim compare A B [C...] [--json|--csv] [--set PATH=VALUE]... [-o FILE]",
     "Evaluate designs side by side; deltas and % saving against the first one.\n"
     "--set applies to every design."},
    {"thermal", cmd_thermal,
     "cposim thermal SCENARIO [--map FILE.svg|.png] [--layer NAME] [--transient] [--json] [--set PATH=VALUE]... [-o FILE]",
     "Package temperatures of the scenario's `thermal:` section: finite-volume grid\n"
     "(HYPRE PFMG-PCG, or CHOLMOD), block powers from the switch power model,\n"
     "electro-thermal coupling (ASIC leakage, laser efficiency, ring heaters) to a\n"
     "fixed point.  Prints per-block max/mean temperature, heat flux and margin to\n"
     "its limit; --map draws a layer; --transient runs the power trace and prints\n"
     "the block temperatures over time (CSV)."},
    {"fabric", cmd_fabric,
     "cposim fabric SCENARIO [--json] [--graph FILE] [--set PATH=VALUE]... [-o FILE]",
     "Size a cluster fabric (single, leaf-spine, rail-optimized, 3-tier fat tree)\n"
     "from the switch designs named per tier: switches, links, link media from the\n"
     "layout, transceivers, CPO engines, lasers, fibres, power per tier, network\n"
     "power per GPU, optics share of cluster power, bisection bandwidth.  --graph\n"
     "writes the fabric as an edge list.  `cposim compare` takes fabric scenarios too."},
    {"reliability", cmd_reliability,
     "cposim reliability SCENARIO [--replicas N] [--years Y] [--seed S] [--threads T] [--json]",
     "Fleet Monte Carlo over a fabric scenario's components (modules, engines, lasers,\n"
     "switches, cables): failures with Arrhenius/Weibull rates, repairs by a limited\n"
     "crew, training-job interruptions and lost GPU-hours; mean and 95 % CI of every\n"
     "figure and a per-year timeline.  Replicas run on OpenMP threads, and across\n"
     "ranks under mpirun (results identical for any thread or rank count)."},
    {"tco", cmd_tco,
     "cposim tco A --vs B [--replicas N] [--json]",
     "Total cost of ownership of fabric option B against A over the service life:\n"
     "capex, discounted energy, service and GPU idle cost; the winner and by how\n"
     "much; the CPO engine FIT, switch MTTR and electricity price at which the answer\n"
     "flips (GSL Brent root finding); a tornado sensitivity table."},
    {"catalog", cmd_catalog, "cposim catalog [list [CLASS] | show NAME]",
     "List catalog entries (optionally of one class: serdes, retimer, trace,\n"
     "connector, channel, fiber, optical_connector, coupler, link, laser, modulator,\n"
     "driver, tia, photodetector, engine, module, asic), or show one entry with the\n"
     "source or assumption behind every figure."},
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
                   !strcmp(a, "--years") || !strcmp(a, "--seed")) {
            if (take(argc, argv, &i, &v))
                return -1;
            if (!strcmp(a, "--vs")) {
                o->vs = v;
            } else if (!strcmp(a, "--threads")) {
                o->threads = atoi(v);
            } else {
                static const char *const keys[] = {"replicas", "years", "seed"};
                int k = a[2] == 'r' ? 0 : a[2] == 'y' ? 1 : 2;
                if (o->nsets >= CLI_MAX_ARGS)
                    return fprintf(stderr, "cposim: too many --set\n"), -1;
                snprintf(o->set_buf[k], sizeof o->set_buf[k], "reliability.simulation.%s=%s",
                         keys[k], v);
                o->sets[o->nsets++] = o->set_buf[k];
            }
        } else if (!strcmp(a, "--max-memory")) {
            char *end;
            if (take(argc, argv, &i, &v))
                return -1;
            o->max_memory_gb = strtod(v, &end);
            if (end == v || *end || !(o->max_memory_gb > 0 && o->max_memory_gb < 1e9))
                return fprintf(stderr, "cposim: --max-memory takes a size in GB > 0, "
                                       "got '%s'\n", v), -1;
        } else if (!strcmp(a, "--graph")) {
            if (take(argc, argv, &i, &v))
                return -1;
            o->graph = v;
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

int main(int argc, char **argv)
{
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
            return commands[i].run(&o);
        }
    fprintf(stderr, "cposim: unknown command '%s'; try 'cposim --help'\n", o.args[0]);
    return 2;
}
