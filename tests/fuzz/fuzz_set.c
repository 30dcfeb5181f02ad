/*
 * fuzz_set.c — libFuzzer harness for `--set PATH=VALUE` overrides.
 *
 * The input is lines: the first picks a preset (by a hash of its text, among
 * a switch design, a thermal package and two fabrics), each further line
 * (up to 32) is one --set assignment, applied in order after the includes,
 * as the command line does.  The preset is loaded with the sections its
 * kind has; what loads is evaluated and must give finite figures.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS set
 */
#include "fuzz_common.h"

#define MAX_SETS 32

static const char *const presets[] = {"bailly-51t", "pluggable-800g-51t", "hybrid-cpo-pluggable-51t",
                                      "thermal-bailly-51t-coldplate", "cluster-8k-leaf-spine",
                                      "cluster-100k-cpo"};
#define NPRESETS (sizeof presets / sizeof *presets)

static cp_design g_design;
static cp_result g_result;
static cp_thermal_spec g_spec;
static cp_fabric_spec g_fab;
static cp_fabric_result g_fr;
static cp_rel_spec g_rel;
static cp_rel_inputs g_in;
static cp_economics g_eco;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(true, false);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    const char *sets[MAX_SETS];
    size_t nsets = 0;
    char *save = NULL, *first = strtok_r(text, "\n", &save);
    unsigned h = 0;
    for (const char *c = first ? first : ""; *c; c++)
        h = h * 31u + (unsigned char)*c;
    for (char *l = strtok_r(NULL, "\n", &save); l && nsets < MAX_SETS;
         l = strtok_r(NULL, "\n", &save))
        sets[nsets++] = l;
    char path[1200];
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", fz_data, presets[h % NPRESETS]);
    cp_error err = {0};
    if (cp_scenario_load(path, fz_cat, sets, nsets, &g_design, &err) == 0) {
        cp_design_eval(&g_design, &g_result);
        fz_check_design(&g_result);
        if (cp_thermal_load(path, fz_cat, sets, nsets, &g_spec, &err) == 0)
        {
            double *power_w = malloc(g_spec.nblocks * sizeof *power_w);
            if (power_w)
                cp_thermal_block_powers(&g_spec, &g_result, power_w);
            free(power_w);
            cp_thermal_spec_free(&g_spec);
        }
    }
    fz_note(&err);
    if (strncmp(presets[h % NPRESETS], "cluster", 7) == 0 &&
        cp_fabric_load(path, fz_cat, sets, nsets, &g_fab, &err) == 0 &&
        cp_fabric_eval(&g_fab, &g_fr, &err) == 0) {
        fz_check_fabric(&g_fr);
        if (cp_rel_load(path, fz_cat, sets, nsets, &g_rel, &g_in, &err) == 0 &&
            cp_rel_classes_build(&g_fab, &g_fr, &g_in, &g_rel, &err) == 0)
            FZ_FINITE(fz_rel_events(&g_rel));
        cp_economics_load(path, sets, nsets, &g_eco, &err);
    }
    fz_note(&err);
    free(text);
    return 0;
}
