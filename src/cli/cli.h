/* cli.h — shared by the cposim command's files. */
#ifndef CPOSIM_CLI_H
#define CPOSIM_CLI_H

#include "cposim.h"

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
    const char *vs;       /* tco: the option compared against */
    const char *graph;    /* fabric: edge-list output */
    int fail;             /* exit status set by an emitter (0: none) */
    int threads;          /* OpenMP threads (0: the default) */
    double max_memory_gb; /* --max-memory: thermal grid, fabric graph (0: default) */
    char set_buf[4][64];  /* --replicas/--years/--seed as --set */
} cli_opts;

int cmd_eval(cli_opts *o);
int cmd_compare(cli_opts *o);
int cmd_catalog(cli_opts *o);
int cmd_thermal(cli_opts *o);
int cmd_fabric(cli_opts *o);
int cmd_reliability(cli_opts *o);
int cmd_tco(cli_opts *o);
int cli_fabric_run(cli_opts *o, int first, int count);
/* A progress bar on stderr when it is a terminal and not --quiet. */
void cli_progress(const cli_opts *o, const char *what, double done, double total);

/* cli_util.c */
int cli_load_catalog(cli_opts *o, cp_catalog **cat, char *dir, size_t len);
int cli_scenario_path(const char *data_dir, const char *arg, char *out, size_t len);
void cli_print_error(const cp_error *err);
/* Runs emit(f, ctx) into o->output atomically (temp file + rename), or
 * into stdout. Returns 0, or 1 on an I/O failure. */
int cli_output(const cli_opts *o, void (*emit)(FILE *f, void *ctx), void *ctx);

#endif
