/* cli_commands.c — the one table of cposim's commands and options.
 *
 * Everything a user reads about the command line comes from here: the
 * general help, each command's help (`cposim help eval`, `cposim eval
 * --help`), the usage line a command prints when its arguments are wrong,
 * and which options a command takes: an option that is not in a command's
 * synopsis is refused before any work.  tests/golden/synopsis.sh checks the
 * synopsis against the SYNOPSIS of docs/cposim.1. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

const cli_option cli_options[] = {
    {OPT_JSON, "--json", NULL, NULL, "write JSON instead of a table"},
    {OPT_CSV, "--csv", NULL, NULL, "write CSV instead of a table"},
    {OPT_SET, "--set", NULL, "PATH=VALUE",
     "change one value of the scenario (e.g. ports.cpo.count=32); repeatable"},
    {OPT_OUTPUT, "-o", "--output", "FILE", "write to FILE (atomically) instead of stdout"},
    {OPT_MAP, "--map", NULL, "ARG", "thermal: draw a layer into FILE.svg|.png; tco: the "
                                    "break-even map over two inputs X,Y"},
    {OPT_LAYER, "--layer", NULL, "NAME", "the layer of the map (default: the scenario's)"},
    {OPT_TRANSIENT, "--transient", NULL, NULL, "run the power trace (a CSV timeline)"},
    {OPT_SAVE_STATE, "--save-state", NULL, "FILE", "thermal: write the final temperatures"},
    {OPT_INITIAL_STATE, "--initial-state", NULL, "FILE",
     "thermal: start from temperatures a --save-state wrote"},
    {OPT_GRAPH, "--graph", NULL, "FILE", "write the fabric as an edge list"},
    {OPT_FIGURES, "--figures", NULL, "DIR", "also write each figure as SVG (and PNG)"},
    {OPT_MAX_MEMORY, "--max-memory", NULL, "GB",
     "largest thermal grid or fabric graph (default 8)"},
    {OPT_REPLICAS, "--replicas", NULL, "N", "Monte Carlo replicas (reliability.simulation)"},
    {OPT_YEARS, "--years", NULL, "Y", "service life simulated, years"},
    {OPT_SEED, "--seed", NULL, "S", "random seed"},
    {OPT_THREADS, "--threads", NULL, "T", "OpenMP threads (1 to 1024)"},
    {OPT_WORKLOAD, "--workload", NULL, "NAME", "the workload priced (a key of workloads)"},
    {OPT_VS, "--vs", NULL, "B", "the fabric compared against A"},
    {OPT_UNCERTAINTY, "--uncertainty", NULL, "N", "sample the uncertain inputs N times"},
    {OPT_DESIGN, "--design", NULL, "D", "lhs, sobol, random or saltelli"},
    {OPT_MAP_OUT, "--map-out", NULL, "FILE", "the break-even map as .svg, .png or .csv"},
    {OPT_MAP_CSV, "--map-csv", NULL, "FILE", "the break-even map as CSV"},
    {OPT_MAP_STEPS, "--map-steps", NULL, "N", "grid points per map axis (2 to 1001)"},
    {OPT_FAIL, "--fail", NULL, "WHAT",
     "take out link:LEVEL:INDEX, switch:TIER:INDEX, port:TIER:SWITCH:PORT or plane:P "
     "(together a case of their own); repeatable"},
    {OPT_EVENTS, "--events", NULL, NULL,
     "traffic: a case for one event of each failure class of the scenario's reliability "
     "model"},
    {OPT_HEATMAP, "--heatmap", NULL, "FILE",
     "traffic: link utilisation per tier as an image (.svg or .png)"},
    {OPT_DATA, "--data", NULL, "DIR", "the data directory (catalog; default: the bundled "
                                      "data, or $CPOSIM_DATA)"},
    {OPT_QUIET, "--quiet", "-q", NULL, "no progress bars or summaries on stderr"},
};
const size_t cli_noptions = sizeof cli_options / sizeof *cli_options;

#define OUT "[--set PATH=VALUE]... [-o FILE]"

const cli_command cli_commands[] = {
    {"eval", cmd_eval, RANK0, {"eval SCENARIO [--json|--csv] " OUT},
     "Evaluate one switch design: power breakdown (ASIC, SerDes, optics, lasers,\n"
     "cooling, conversion), W and pJ/bit per port, link margins, density, warnings.\n"
     "SCENARIO is a YAML file or the name of a bundled preset (e.g. bailly-51t)."},
    {"compare", cmd_compare, RANK0, {"compare A B [C...] [--json|--csv] " OUT},
     "Evaluate designs side by side; deltas and % saving against the first one.\n"
     "All switch designs, or all fabric scenarios (compared as fabrics; --csv is\n"
     "for switch designs only).  --set applies to every design."},
    {"thermal", cmd_thermal, RANK0_MPI,
     {"thermal SCENARIO [--map FILE.svg|.png [--layer NAME]] [--initial-state FILE] "
      "[--save-state FILE] [--json] [--max-memory GB] " OUT,
      "thermal SCENARIO --transient [--initial-state FILE] [--save-state FILE] "
      "[--max-memory GB] " OUT},
     "Package temperatures of the scenario's `thermal:` section: finite-volume grid\n"
     "(HYPRE PFMG-PCG, or CHOLMOD), block powers from the switch power model,\n"
     "electro-thermal coupling (ASIC leakage, laser efficiency, ring heaters) to a\n"
     "fixed point.  Prints per-block max/mean temperature, heat flux and margin to\n"
     "its limit; --map draws a layer; --transient runs the power trace and prints\n"
     "the block and probe temperatures over time (CSV), maps at the scenario's\n"
     "map_times_s; --save-state writes the final temperatures, which\n"
     "--initial-state starts a later run from."},
    {"fabric", cmd_fabric, RANK0,
     {"fabric SCENARIO [--json] [--graph FILE] [--max-memory GB] " OUT},
     "Size a cluster fabric (single, leaf-spine, rail-optimized, 3-tier fat tree)\n"
     "from the switch designs named per tier: switches, links, link media from the\n"
     "layout, transceivers, CPO engines, lasers, fibres, power per tier, network\n"
     "power per GPU, optics share of cluster power, bisection bandwidth.  --graph\n"
     "writes the fabric as an edge list.  `cposim compare` takes fabric scenarios too."},
    {"traffic", cmd_traffic, RANK0,
     {"traffic SCENARIO [--fail WHAT]... [--events] [--heatmap FILE.svg|.png] [--threads T] "
      "[--json] [--max-memory GB] " OUT,
      "traffic A B [C...] [--fail WHAT]... [--events] [--threads T] [--json] "
      "[--max-memory GB] " OUT},
     "Flow-level traffic of the scenario's `traffic:` job on its fabric: the job placed\n"
     "as reliability places jobs, its collective (ring or tree all-reduce, reduce-\n"
     "scatter, all-gather, all-to-all, permutation, uniform, hot-spot) as phases of\n"
     "flows with max-min fair rates over the ECMP paths, alpha + bytes / slowest rate\n"
     "per step.  Prints the step time healthy and in each failure case (links and\n"
     "switches out, rerouted over the remaining paths; `partitioned` when GPUs are\n"
     "cut off), the slowdown, per-level link utilisation and the busiest links.\n"
     "--fail adds a case with those links, switches, ports or planes out (e.g.\n"
     "--fail link:1:0 --fail switch:spine:3, port:leaf:0:64, plane:1); --events adds\n"
     "one event of each failure class of the reliability model (hours, slowdown,\n"
     "GPU-hours per event run slowed); --heatmap draws the link use per tier.  Several\n"
     "scenarios: one table, a column per fabric.  Cases run on OpenMP threads, the\n"
     "same for any count."},
    {"reliability", cmd_reliability, ALL_RANKS,
     {"reliability SCENARIO [--replicas N] [--years Y] [--seed S] [--threads T] "
      "[--workload NAME] [--json] " OUT},
     "Fleet Monte Carlo over a fabric scenario's components (modules, engines, lasers,\n"
     "switches, cables): failures with Arrhenius/Weibull rates, repairs by a limited\n"
     "crew, training-job interruptions and lost GPU-hours; mean and 95 % CI of every\n"
     "figure and a per-year timeline.  Replicas run on OpenMP threads, and across\n"
     "ranks under `mpirun -np N` (as root: `mpirun --allow-run-as-root -np N`);\n"
     "results are identical for any thread or rank count."},
    {"tco", cmd_tco, ALL_RANKS,
     {"tco A --vs B [--replicas N] [--years Y] [--seed S] [--threads T] [--workload NAME] "
      "[--uncertainty N [--design lhs|sobol|random|saltelli]] [--map X,Y --map-out "
      "FILE.svg|.png|.csv [--map-csv FILE] [--map-steps N]] [--json] " OUT},
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
     "(.svg/.png) or CSV.  Runs across ranks under mpirun, like reliability."},
    {"sweep", cmd_sweep, ALL_RANKS,
     {"sweep SPEC -o RESULTS.db [--threads T]", "sweep show RESULTS.db [--json|--csv] [-o FILE]"},
     "Design-space sweep: a YAML spec names a base scenario and command (eval,\n"
     "fabric, thermal, reliability, or tco with `vs`), parameters as --set paths\n"
     "(lists, lin/log ranges, distributions), a design (grid, random, lhs, sobol),\n"
     "outputs by their JSON names, constraints and objectives.  Points go to a SQLite\n"
     "store keyed by a hash of their inputs: run the same command again after an\n"
     "interrupt and only the missing points run.  Points run on OpenMP threads, and\n"
     "over the ranks of `mpirun -np N` (rank 0 writes; the store is the same for any\n"
     "rank count; as root add --allow-run-as-root).  Prints ranges, the best feasible\n"
     "point per objective, the Pareto front and the rank correlation of each output\n"
     "with each parameter; `show` prints or exports."},
    {"report", cmd_report, RANK0_MPI,
     {"report INPUT... [-o REPORT.html] [--figures DIR] [--layer NAME] [--max-memory GB] "
      "[--set PATH=VALUE]..."},
     "One self-contained HTML report (no network needed: figures are inline SVG drawn\n"
     "by PLplot) of switch scenarios (power breakdown, pJ/bit, optical lane budget\n"
     "waterfalls; several compare side by side), thermal scenarios (map of a layer with\n"
     "the blocks and their limits, block temperatures), fabric scenarios (counts and\n"
     "power per tier; two with reliability and economics add the TCO waterfall, the\n"
     "tornado and the expected failures per year) and sweep results stores (.db:\n"
     "heatmap, Pareto front, rank correlations).  --figures also writes each figure\n"
     "as SVG (and PNG).  Nothing is written unless every figure was drawn."},
    {"yield", cmd_yield, RANK0,
     {"yield SCENARIO [--threads T] [--figures DIR] [--json] " OUT},
     "Manufacturing yield and cost of a good unit of a CPO switch (the scenario's\n"
     "`manufacturing:` section: an assembly process and the package's parts from\n"
     "data/catalog/assembly.yaml): fibre-attach placement errors per lane ->\n"
     "Gaussian-mode coupling loss -> does the lane budget still close -> engine\n"
     "(spare lanes, rework) -> package (ASIC, substrate, engine bonds and attaches),\n"
     "by Monte Carlo; cost of a good engine, package and switch, cost per port with\n"
     "R&D over the shipped volume, and the volume above which CPO is cheaper per port\n"
     "than pluggables.  --figures writes yield-vs-sigma and cost-vs-volume (SVG, PNG)."},
    {"comply", cmd_comply, RANK0_MPI, {"comply SCENARIO [--json] " OUT},
     "Check a switch design against data/requirements.yaml per port group: host\n"
     "channel loss vs the OIF CEI class budgets, optical channel loss and reach vs the\n"
     "IEEE 802.3 PMD (400GBASE-DR4, 800GBASE-DR8, 1.6TBASE-DR8), the lane budget,\n"
     "ELSFP power classes, IEC 60825-1 Class 1 at ELS fibre outputs; with a thermal\n"
     "section, each block's hottest point in the package's steady state against its\n"
     "part's rating (ASIC junction, engines, lasers).  Prints document, clause,\n"
     "limit, value, margin and pass/FAIL; exit status 1 when one fails (3: no steady\n"
     "state)."},
    {"catalog", cmd_catalog, RANK0, {"catalog [list [CLASS] | show NAME]"},
     "List catalog entries (optionally of one class: serdes, retimer, trace,\n"
     "connector, channel, fiber, optical_connector, coupler, link, laser, modulator,\n"
     "driver, tia, photodetector, engine, module, asic, material, failure, assembly,\n"
     "package), or show"
     "one entry with the source or assumption behind every figure."},
};
const size_t cli_ncommands = sizeof cli_commands / sizeof *cli_commands;

const cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; name && i < cli_ncommands; i++)
        if (!strcmp(name, cli_commands[i].name))
            return &cli_commands[i];
    return NULL;
}

const cli_option *cli_option_find(const char *arg)
{
    for (size_t i = 0; i < cli_noptions; i++)
        if (!strcmp(arg, cli_options[i].name) ||
            (cli_options[i].alias && !strcmp(arg, cli_options[i].alias)))
            return &cli_options[i];
    return NULL;
}

/* name appears in s as a word of the synopsis: after '[', '|' or a blank,
 * before ']', '|', a blank or the end (so --map is not --map-out). */
static bool in_synopsis(const char *s, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(s, name); p; p = strstr(p + 1, name))
        if ((p == s || strchr("[| ", p[-1])) && (p[n] == '\0' || strchr("]| ", p[n])))
            return true;
    return false;
}

bool cli_command_takes(const cli_command *c, const cli_option *opt)
{
    if (opt->id == OPT_DATA || opt->id == OPT_QUIET)
        return true; /* global */
    for (size_t k = 0; k < CLI_MAX_FORMS && c->synopsis[k]; k++)
        if (in_synopsis(c->synopsis[k], opt->name))
            return true;
    return false;
}

/* The commands that take opt, "eval, compare" */
static void takers(const cli_option *opt, char *out, size_t len)
{
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; i < cli_ncommands && at < len; i++)
        if (cli_command_takes(&cli_commands[i], opt))
            at += (size_t)snprintf(out + at, len - at, "%s%s", at ? ", " : "",
                                   cli_commands[i].name);
}

static void option_line(FILE *f, const cli_option *opt, const char *who)
{
    char head[64];
    snprintf(head, sizeof head, "%s%s%s%s%s", opt->name, opt->alias ? ", " : "",
             opt->alias ? opt->alias : "", opt->arg ? " " : "", opt->arg ? opt->arg : "");
    fprintf(f, "  %-24s %s%s%s%s\n", head, opt->help, who ? " (" : "", who ? who : "",
            who ? ")" : "");
}

void cli_usage(FILE *f)
{
    fprintf(f, "usage: cposim [--data DIR] [--quiet] COMMAND [ARGS]\n\n"
               "cposim %s — Co-Packaged Optics switch-system simulator\n\ncommands:\n",
            CPOSIM_VERSION);
    for (size_t i = 0; i < cli_ncommands; i++)
        for (size_t k = 0; k < CLI_MAX_FORMS && cli_commands[i].synopsis[k]; k++)
            fprintf(f, "  cposim %s\n", cli_commands[i].synopsis[k]);
    fprintf(f, "  cposim help [COMMAND]\n  cposim COMMAND --help\n  cposim --version\n\n"
               "options:\n");
    for (size_t i = 0; i < cli_noptions; i++) {
        char who[256];
        bool global = cli_options[i].id == OPT_DATA || cli_options[i].id == OPT_QUIET;
        takers(&cli_options[i], who, sizeof who);
        option_line(f, &cli_options[i], global ? "every command" : who);
    }
    fprintf(f, "\nSCENARIO is a YAML file or a bundled preset's name (e.g. bailly-51t).\n"
               "Exit status: 0 ok, 1 failure, 2 bad input or usage (messages are\n"
               "file:line:col: what is wrong), 3 thermal runaway.  See cposim(1).\n");
}

void cli_command_help(FILE *f, const cli_command *c)
{
    for (size_t k = 0; k < CLI_MAX_FORMS && c->synopsis[k]; k++)
        fprintf(f, "%s cposim %s\n", k ? "      " : "usage:", c->synopsis[k]);
    fprintf(f, "\n%s\n\noptions:\n", c->help);
    for (size_t i = 0; i < cli_noptions; i++)
        if (cli_command_takes(c, &cli_options[i]))
            option_line(f, &cli_options[i], NULL);
}

int cli_usage_error(const char *name)
{
    const cli_command *c = cli_command_find(name);
    for (size_t k = 0; c && k < CLI_MAX_FORMS && c->synopsis[k]; k++)
        fprintf(stderr, "%s cposim %s\n", k ? "      " : "usage:", c->synopsis[k]);
    return 2;
}
