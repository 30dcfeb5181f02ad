/*
 * fuzz_scenario.c — libFuzzer harness for the scenario loader.
 *
 * Each input is written to one temporary file (created once per process in
 * LLVMFuzzerInitialize, rewritten for every run) and loaded with
 * cp_scenario_load against the real catalog; a design that loads is also
 * evaluated.  The catalog comes from $CPOSIM_DATA (default "data") and is
 * loaded once; it stays reachable through a static pointer, so
 * LeakSanitizer does not count it.  The temporary file is removed at exit.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS
 */
#include "cposim.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static cp_catalog *g_cat;
static char g_path[] = "/tmp/cposim-fuzz-XXXXXX";
static int g_fd = -1;
static cp_design g_design;
static cp_result g_result;

static void cleanup(void)
{
    if (g_fd >= 0) {
        close(g_fd);
        unlink(g_path);
        g_fd = -1;
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *data = getenv("CPOSIM_DATA");
    if (!data || !*data)
        data = "data";
    cp_error err = {0};
    if (cp_catalog_load(data, &g_cat, &err)) {
        char buf[1024];
        fprintf(stderr, "fuzz_scenario: cannot load the catalog from '%s': %s\n",
                data, cp_error_format(&err, buf, sizeof buf));
        exit(1);
    }
    g_fd = mkstemp(g_path);
    if (g_fd < 0) {
        perror("fuzz_scenario: mkstemp");
        exit(1);
    }
    atexit(cleanup);
    return 0;
}

static int write_input(const uint8_t *data, size_t size)
{
    if (ftruncate(g_fd, 0) != 0 || lseek(g_fd, 0, SEEK_SET) != 0)
        return -1;
    while (size > 0) {
        ssize_t n = write(g_fd, data, size);
        if (n <= 0)
            return -1;
        data += n;
        size -= (size_t)n;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (write_input(data, size) != 0) {
        perror("fuzz_scenario: cannot write the input file");
        abort();
    }
    cp_error err;
    memset(&err, 0, sizeof err);
    if (cp_scenario_load(g_path, g_cat, NULL, 0, &g_design, &err) == 0) {
        cp_design_eval(&g_design, &g_result);
        /* the thermal section parser too (no solve: that needs MPI) */
        static cp_thermal_spec spec;
        if (cp_thermal_load(g_path, g_cat, NULL, 0, &spec, &err) == 0)
        {
            double *power_w = malloc(spec.nblocks * sizeof *power_w);
            if (power_w)
                cp_thermal_block_powers(&spec, &g_result, power_w);
            free(power_w);
            cp_thermal_spec_free(&spec);
        }
    } else {
        /* formatting the error must be memory-safe too */
        char buf[1024];
        cp_error_format(&err, buf, sizeof buf);
    }
    return 0;
}
