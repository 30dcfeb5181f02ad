/*
 * fuzz_common.h — shared by the libFuzzer harnesses of tests/fuzz/: the
 * catalog (loaded once, from $CPOSIM_DATA), a scratch directory whose
 * entries link to every bundled scenario (so that an input's `include:
 * bailly-51t.yaml` or `switch: bailly-51t` resolves against the presets),
 * writing an input into it, and the oracle checks every harness shares.
 * State stays reachable through statics, so LeakSanitizer does not count
 * it; the scratch directory is removed at exit.
 */
#ifndef CPOSIM_FUZZ_COMMON_H
#define CPOSIM_FUZZ_COMMON_H

#include "cposim.h"

#include <dirent.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static cp_catalog *fz_cat;
static char fz_dir[] = "/tmp/cposim-fuzz-XXXXXX";
static char fz_data[1024];

static void fz_die(const char *what)
{
    perror(what);
    abort();
}

static const char *fz_path(const char *name)
{
    static char p[4][1200];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", fz_dir, name);
    return p[k];
}

static void fz_cleanup(void)
{
    char cmd[1300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fz_dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", fz_dir);
}

static const char *fz_data_dir(void)
{
    const char *d = getenv("CPOSIM_DATA");
    return d && *d ? d : "data";
}

/* The catalog, the scratch directory and links to scenarios/ entries. */
static void fz_init(bool load_catalog, bool link_presets)
{
    snprintf(fz_data, sizeof fz_data, "%s", fz_data_dir());
    if (load_catalog) {
        cp_error err = {0};
        if (cp_catalog_load(fz_data, &fz_cat, &err)) {
            char buf[1024];
            fprintf(stderr, "fuzz: cannot load the catalog from '%s': %s\n", fz_data,
                    cp_error_format(&err, buf, sizeof buf));
            exit(1);
        }
    }
    if (!mkdtemp(fz_dir))
        fz_die("fuzz: mkdtemp");
    atexit(fz_cleanup);
    if (!link_presets)
        return;
    char sdir[1100], abs[4096];
    snprintf(sdir, sizeof sdir, "%s/../scenarios", fz_data);
    if (!realpath(sdir, abs))
        fz_die("fuzz: scenarios directory");
    DIR *d = opendir(abs);
    if (!d)
        fz_die("fuzz: opendir scenarios");
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char from[4400];
        snprintf(from, sizeof from, "%s/%s", abs, e->d_name);
        if (symlink(from, fz_path(e->d_name)) != 0)
            fz_die("fuzz: symlink");
    }
    closedir(d);
}

/* Writes data to name in the scratch directory (replacing it). */
static const char *fz_write(const char *name, const uint8_t *data, size_t size)
{
    const char *p = fz_path(name);
    FILE *f = fopen(p, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fz_die("fuzz: write input");
    return p;
}

/* FUZZ_DEBUG=1 prints why each input was refused (to check that seeds
 * reach the models). */
static void fz_note(const cp_error *err)
{
    char buf[1024];
    cp_error_format(err, buf, sizeof buf);
    if (getenv("FUZZ_DEBUG"))
        fprintf(stderr, "fuzz: %s\n", buf);
}

/* Oracle: a figure a model returned without an error is a real number.
 * (NaN or inf that reaches a report is a bug, never a result.) */
#define FZ_FINITE(x)                                                               \
    do {                                                                           \
        double v_ = (x);                                                           \
        if (!isfinite(v_)) {                                                       \
            fprintf(stderr, "fuzz oracle: %s = %g at %s:%d\n", #x, v_, __FILE__,   \
                    __LINE__);                                                     \
            abort();                                                               \
        }                                                                          \
    } while (0)

static void fz_check_design(const cp_result *r)
{
    FZ_FINITE(r->capacity_tbps);
    FZ_FINITE(r->total_w);
    FZ_FINITE(r->asic_w);
    FZ_FINITE(r->serdes_w);
    FZ_FINITE(r->optics_w);
}

static void fz_check_fabric(const cp_fabric_result *r)
{
    FZ_FINITE(r->endpoints);
    FZ_FINITE(r->switches);
    FZ_FINITE(r->links);
    FZ_FINITE(r->network_w);
    FZ_FINITE(r->cluster_w);
    FZ_FINITE(r->capex_usd);
    FZ_FINITE(r->bisection_tbps);
}

/* Expected failures over a run: a reliability input the harness would
 * spend seconds on (fit: 1e9 on 1e5 units) is skipped, not simulated. */
static double fz_rel_events(const cp_rel_spec *rel)
{
    double per_h = 0;
    for (size_t c = 0; c < rel->nclasses; c++)
        per_h += rel->cls[c].units * rel->cls[c].fail_per_h;
    return per_h * rel->years * 8766.0 * rel->replicas;
}

#endif
