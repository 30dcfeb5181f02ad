/* cli.h — shared by the cposim command's files. */
#ifndef CPOSIM_CLI_H
#define CPOSIM_CLI_H

#include "cposim.h"

#include <string.h>

#define CLI_MAX_ARGS 64

typedef enum { FMT_TABLE = 0, FMT_JSON, FMT_CSV } cli_format;

typedef struct cli_opts {
    const char *exe;
    const char *data_dir;
    const char *output;
    const char *args[CLI_MAX_ARGS];
    int nargs;
    const char *sets[CLI_MAX_ARGS];
    size_t nsets;
    cli_format format;
    int quiet;
    const char *map;      /* thermal: map file (.svg/.png) */
    const char *layer;    /* thermal: layer of the map */
    int transient;        /* thermal: run the transient */
    const char *save_state;    /* thermal: write the final state here */
    const char *initial_state; /* thermal: start from this state */
    const char *vs;       /* tco: the option compared against */
    const char *workload; /* reliability, tco: the workload priced (a key of workloads) */
    long uncertainty;     /* tco: samples of the uncertainty analysis (0: none) */
    const char *design;   /* tco: lhs|sobol|random|saltelli */
    const char *map_out;  /* tco: break-even map file (.svg, .png or .csv) */
    const char *map_csv;  /* tco: break-even map as CSV */
    long map_steps;       /* tco: grid points per map axis (0: the default) */
    const char *graph;    /* fabric: edge-list output */
    const char *fails[CLI_MAX_ARGS]; /* traffic: --fail link:L:I | switch:T:I */
    size_t nfails;
    int events;           /* traffic: one case per reliability failure class */
    const char *heatmap;  /* traffic: link utilisation heatmap (.svg/.png) */
    const char *figures;  /* report: directory for each figure's SVG/PNG */
    int fail;             /* exit status set by an emitter (0: none) */
    int threads;          /* OpenMP threads (0: the default) */
    double max_memory_gb; /* --max-memory: thermal grid, fabric graph (0: default) */
    char set_buf[4][64];  /* --replicas/--years/--seed as --set */
    const char *typed[CLI_MAX_ARGS]; /* the options as typed, checked per command */
    int ntyped;
} cli_opts;

/* cli_commands.c: the one table of commands and options (see there). */
typedef enum {
    OPT_JSON, OPT_CSV, OPT_SET, OPT_OUTPUT, OPT_MAP, OPT_LAYER, OPT_TRANSIENT, OPT_GRAPH,
    OPT_FIGURES, OPT_MAX_MEMORY, OPT_REPLICAS, OPT_YEARS, OPT_SEED, OPT_THREADS,
    OPT_WORKLOAD, OPT_VS, OPT_UNCERTAINTY, OPT_DESIGN, OPT_MAP_OUT, OPT_MAP_CSV,
    OPT_MAP_STEPS, OPT_FAIL, OPT_EVENTS, OPT_HEATMAP, OPT_DATA, OPT_QUIET, OPT_SAVE_STATE, OPT_INITIAL_STATE
} cli_option_id;

typedef struct cli_option {
    cli_option_id id;
    const char *name;  /* --json */
    const char *alias; /* -q, or NULL */
    const char *arg;   /* what its value is called; NULL: a flag */
    const char *help;
} cli_option;

/* What a command does under mpirun.  Only reliability, tco and sweep split
 * their work over ranks; the others run on rank 0 alone (one report, not one
 * per rank), and thermal and report start MPI on every rank first, since the
 * PFMG-PCG solver needs MPI on rank 0 and Open MPI's MPI_Init waits for all
 * ranks. */
typedef enum { RANK0 = 0, RANK0_MPI, ALL_RANKS } rank_use;

#define CLI_MAX_FORMS 3
typedef struct cli_command {
    const char *name;
    int (*run)(cli_opts *o);
    rank_use ranks;
    const char *synopsis[CLI_MAX_FORMS]; /* each form after "cposim " */
    const char *help;
} cli_command;

extern const cli_option cli_options[];
extern const size_t cli_noptions;
extern const cli_command cli_commands[];
extern const size_t cli_ncommands;
const cli_command *cli_command_find(const char *name);
const cli_option *cli_option_find(const char *arg);
/* opt is in one of c's synopsis forms, or global (--data, --quiet). */
bool cli_command_takes(const cli_command *c, const cli_option *opt);
void cli_usage(FILE *f);
void cli_command_help(FILE *f, const cli_command *c);
/* "usage: ..." of the command on stderr; returns 2. */
int cli_usage_error(const char *name);

int cmd_eval(cli_opts *o);
int cmd_compare(cli_opts *o);
int cmd_catalog(cli_opts *o);
int cmd_thermal(cli_opts *o);
int cmd_fabric(cli_opts *o);
int cmd_reliability(cli_opts *o);
int cmd_tco(cli_opts *o);
int cmd_sweep(cli_opts *o);
int cmd_report(cli_opts *o);
int cmd_yield(cli_opts *o);
int cmd_comply(cli_opts *o);
int cmd_traffic(cli_opts *o);
int cli_fabric_run(cli_opts *o, int first, int count);
/* A progress bar on stderr when it is a terminal and not --quiet. */
void cli_progress(const cli_opts *o, const char *what, double done, double total);
/* The same with points per second and the time left (sweeps). */
void cli_progress_rate(const cli_opts *o, const char *what, double done, double total,
                       double computed, double elapsed_s);

/* cli_util.c */
/* --data DIR, else the library's data directory (cp_data_dir). */
void cli_data_dir(const cli_opts *o, char *dir, size_t len);
int cli_load_catalog(cli_opts *o, cp_catalog **cat, char *dir, size_t len);
/* cli_scenario.c: the file a scenario argument names, a path as given or a
 * preset by name (0, or 2 after printing where it looked and the nearest
 * names); cli_scenario also checks that its kind is one of accept (bits
 * 1u << cp_input_kind), else prints what it is and the command to try. */
int cli_scenario_path(const char *data_dir, const char *arg, char *out, size_t len);
int cli_scenario(const char *data_dir, const char *arg, unsigned accept, char *out,
                 size_t len, cp_input_kind *kind);
#define CLI_KIND(k) (1u << (k))
/* Edit distance of a and b, ignoring case; a name is "near" when it is at
 * most a third of its length off (cli_near). */
size_t cli_distance(const char *a, const char *b);
#define CLI_NEAR(typed, d) ((d) <= strlen(typed) / 3 + 1)
void cli_print_error(const cp_error *err);
/* MPI, in one place: the rank mpirun gave this process (-1: not under
 * mpirun), start MPI once (0, or 1 after printing why not), end it. */
int cli_launcher_rank(void);
int cli_mpi_start(void);
void cli_mpi_end(void);
/* cli_output.c: files written safely (see there).  cli_output_to runs
 * emit(f, ctx) into path, or stdout when path is NULL; when *fail_status
 * is non-zero after emit, what went into the file failed: it is discarded
 * (an existing file is left as it was) and *fail_status returned.
 * Returns 0, 1 on an I/O failure (printed), or *fail_status. */
int cli_output_to(const char *path, const int *fail_status,
                  void (*emit)(FILE *f, void *ctx), void *ctx);
/* The same into o->output, with o->fail as the failure status. */
int cli_output(const cli_opts *o, void (*emit)(FILE *f, void *ctx), void *ctx);
/* len bytes into path. */
int cli_write_bytes(const char *path, const char *data, size_t len);
/* Before the work: can path (NULL: nothing to check) be written?  0, or 1
 * after printing why not. */
int cli_output_check(const char *path);

#endif
