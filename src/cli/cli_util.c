/* cli_util.c — data directory, scenario lookup, errors, atomic output. */
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

int cli_output(const cli_opts *o, void (*emit)(FILE *f, void *ctx), void *ctx)
{
    if (!o->output) {
        emit(stdout, ctx);
        return fflush(stdout) ? 1 : 0;
    }
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", o->output);
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        fprintf(stderr, "cposim: cannot write '%s': %s\n", o->output, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        return 1;
    }
    emit(f, ctx);
    int bad = ferror(f) || fflush(f) || fsync(fileno(f));
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, o->output)) {
        fprintf(stderr, "cposim: cannot write '%s': %s\n", o->output, strerror(errno));
        unlink(tmp);
        return 1;
    }
    return 0;
}
