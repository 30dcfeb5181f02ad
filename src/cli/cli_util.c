/* cli_util.c — data directory, scenario lookup, errors, MPI start-up. */
#include "cli.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --data, else the library's data directory (cp_data_dir: $CPOSIM_DATA,
 * beside the program, the compiled-in one). */
void cli_data_dir(const cli_opts *o, char *dir, size_t len)
{
    if (o->data_dir)
        snprintf(dir, len, "%s", o->data_dir);
    else
        cp_data_dir(dir, len);
}

void cli_print_error(const cp_error *err)
{
    char buf[1024];
    fprintf(stderr, "%s\n", cp_error_format(err, buf, sizeof buf));
}

int cli_load_catalog(cli_opts *o, cp_catalog **cat, char *dir, size_t len)
{
    cli_data_dir(o, dir, len);
    cp_error err = {0};
    if (cp_catalog_load(dir, cat, &err)) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
}

/* ------------------------------------------------------------------ MPI
 * The one place the program starts and ends MPI (the library never does).
 * Not under mpirun, only a PFMG-PCG thermal solve needs it, and it is started
 * just before that solve: other runs never pay MPI's start-up (~0.3 s, 5 s
 * in containers whose host name does not resolve).  Under mpirun, main()
 * starts it on every rank of the commands that use it (Open MPI's MPI_Init
 * waits for all ranks), before the command runs. */
static bool g_mpi_started;

int cli_launcher_rank(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++) {
        const char *v = getenv(vars[i]);
        char *end;
        long r = v && *v ? strtol(v, &end, 10) : -1;
        if (v && *v && *end == '\0' && r >= 0 && r <= INT_MAX)
            return (int)r;
    }
    return -1;
}

int cli_mpi_start(void)
{
    cp_error err = {0};
    if (g_mpi_started)
        return 0;
    if (cp_init(NULL, NULL, CP_INIT_MPI, &err)) {
        cli_print_error(&err);
        return 1;
    }
    g_mpi_started = true;
    return 0;
}

void cli_mpi_end(void)
{
    if (g_mpi_started)
        cp_finalize();
    g_mpi_started = false;
}
