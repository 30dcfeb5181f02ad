/*
 * fuzz_include.c — libFuzzer harness: a scenario of any kind whose includes
 * (and fabric `switch:` references) resolve against the bundled presets.
 *
 * The input is written as input.yaml into a scratch directory that links
 * every file of scenarios/, so `include: bailly-51t.yaml`,
 * `include: [base-cluster.yaml, base-reliability.yaml]` and
 * `switch: bailly-51t` reach the real presets.  Each run loads the input as
 * a switch design (evaluated), a thermal section (block powers, no solve),
 * a fabric (sized), its reliability classes and its economics; whatever
 * loads must give finite figures (fuzz_common.h oracles).
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS include
 */
#include "fuzz_common.h"

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
    fz_init(true, true);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("input.yaml", data, size);
    cp_error err = {0};
    if (cp_scenario_load(path, fz_cat, NULL, 0, &g_design, &err) == 0) {
        cp_design_eval(&g_design, &g_result);
        fz_check_design(&g_result);
        if (cp_thermal_load(path, fz_cat, NULL, 0, &g_spec, &err) == 0) {
            double *power_w = malloc(g_spec.nblocks * sizeof *power_w);
            if (power_w)
                cp_thermal_block_powers(&g_spec, &g_result, power_w);
            free(power_w);
            cp_thermal_size z;
            cp_thermal_estimate(&g_spec, &z);
            FZ_FINITE(z.bytes);
            cp_thermal_spec_free(&g_spec);
        }
    }
    fz_note(&err);
    if (cp_fabric_load(path, fz_cat, NULL, 0, &g_fab, &err) == 0 &&
        cp_fabric_eval(&g_fab, &g_fr, &err) == 0) {
        fz_check_fabric(&g_fr);
        FZ_FINITE(cp_fabric_graph_bytes(&g_fr));
        if (cp_rel_load(path, fz_cat, NULL, 0, &g_rel, &g_in, &err) == 0 &&
            cp_rel_classes_build(&g_fab, &g_fr, &g_in, &g_rel, &err) == 0)
            FZ_FINITE(fz_rel_events(&g_rel));
        cp_economics_load(path, NULL, 0, &g_eco, &err);
    }
    fz_note(&err);
    return 0;
}
