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

#ifndef CPOSIM_DATADIR
#define CPOSIM_DATADIR "/usr/local/share/cposim"
#endif

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* --data, $CPOSIM_DATA, <exe>/../data (build tree), <exe>/../share/cposim,
 * then the compiled-in install path. */
static void find_data(const cli_opts *o, char *dir, size_t len)
{
    const char *env = getenv("CPOSIM_DATA");
    if (o->data_dir) {
        snprintf(dir, len, "%s", o->data_dir);
        return;
    }
    if (env && *env) {
        snprintf(dir, len, "%s", env);
        return;
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *bin = dirname(exe);
        char cand[PATH_MAX + 32];
        snprintf(cand, sizeof cand, "%s/../data/catalog", bin);
        if (is_dir(cand)) {
            snprintf(dir, len, "%s/../data", bin);
            return;
        }
        snprintf(cand, sizeof cand, "%s/../share/cposim/catalog", bin);
        if (is_dir(cand)) {
            snprintf(dir, len, "%s/../share/cposim", bin);
            return;
        }
    }
    snprintf(dir, len, "%s", CPOSIM_DATADIR);
}

void cli_print_error(const cp_error *err)
{
    char buf[1024];
    fprintf(stderr, "%s\n", cp_error_format(err, buf, sizeof buf));
}

int cli_load_catalog(cli_opts *o, cp_catalog **cat, char *dir, size_t len)
{
    find_data(o, dir, len);
    cp_error err = {0};
    if (cp_catalog_load(dir, cat, &err)) {
        cli_print_error(&err);
        return 2;
    }
    return 0;
}

/* A path as given, or a bundled preset by name. */
int cli_scenario_path(const char *data_dir, const char *arg, char *out, size_t len)
{
    if (is_file(arg) || strchr(arg, '/')) {
        snprintf(out, len, "%s", arg);
        return 0;
    }
    const char *dirs[] = {"/../scenarios/", "/scenarios/"};
    const char *exts[] = {".yaml", ""};
    for (size_t i = 0; i < 2; i++)
        for (size_t k = 0; k < 2; k++) {
            snprintf(out, len, "%s%s%s%s", data_dir, dirs[i], arg, exts[k]);
            if (is_file(out))
                return 0;
        }
    snprintf(out, len, "%s", arg);
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
