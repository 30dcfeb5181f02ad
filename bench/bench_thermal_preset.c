/*
 * bench_thermal_preset.c — a thermal preset solved as `cposim thermal`
 * solves it (electro-thermal coupling, coolant), timed without process or
 * MPI start-up:
 *   bench_thermal_preset SCENARIO [KEY=VALUE ...]
 * prints the grid, the time of grid set-up + steady state, the coupled
 * iterations, the hottest block (its junction-face maximum) and the
 * cooling power.  bench/thermal_presets.sh compares runs.
 */
#include "bench.h"
#include "cposim.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: bench_thermal_preset SCENARIO [KEY=VALUE ...]\n");
        return 2;
    }
    const char *data = getenv("CPOSIM_DATA") ? getenv("CPOSIM_DATA") : "data";
    const char *scen = argv[1];
    const char *const *sets = (const char *const *)argv + 2;
    size_t nsets = (size_t)argc - 2;
    cp_catalog *cat;
    cp_design d;
    cp_result r;
    static cp_thermal_spec t; /* large: not on the stack */
    cp_error err;
    char buf[1024];
    if (cp_catalog_load(data, &cat, &err) || cp_scenario_load(scen, cat, sets, nsets, &d, &err) ||
        cp_thermal_load(scen, cat, sets, nsets, &t, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    cp_design_eval(&d, &r);
    if (cp_init(&argc, &argv, CP_INIT_MPI, &err)) { /* HYPRE needs MPI; not timed */
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t0 = now_s();
    cp_thermal_grid *g;
    static cp_thermal_result tr;
    if (cp_thermal_grid_create(&t, &g, &err) ||
        cp_thermal_steady(g, &t, &d, &r, &tr, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double wall = now_s() - t0;
    size_t hot = 0;
    for (size_t b = 1; b < t.nblocks; b++)
        if (tr.block[b].max_c > tr.block[hot].max_c)
            hot = b;
    printf("%-40s grid %3dx%3dx%2d (%7zu unknowns)  %6.2f s  %2d its%s  hottest %-8s "
           "%7.3f C  cooling %.3g W\n", d.name, tr.grid_nx, tr.grid_ny, tr.grid_nz,
           cp_thermal_unknowns(g), wall, tr.iterations, tr.converged ? "" : " (NOT converged)",
           t.block[hot].name, tr.block[hot].max_c, tr.cooling_w);
    cp_thermal_grid_free(g);
    cp_thermal_result_free(&tr);
    cp_thermal_spec_free(&t);
    cp_catalog_free(cat);
    cp_finalize();
    return 0;
}
