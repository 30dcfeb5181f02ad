/*
 * bench_thermal.c — one grid size of the CPO thermal preset, in its own
 * process so that peak memory is that of this size:
 *   bench_thermal N SOLVER [STEPS]
 * prints unknowns, grid set-up, steady solve, transient steps/s, peak RSS.
 */
#include "bench.h"
#include "cposim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: bench_thermal N pfmg|cholmod [STEPS]\n");
        return 2;
    }
    const char *data = getenv("CPOSIM_DATA") ? getenv("CPOSIM_DATA") : "data";
    const char *scen = "scenarios/thermal-bailly-51t-coldplate.yaml";
    int steps = argc > 3 ? atoi(argv[3]) : 5;
    char sx[64], sy[64], sk[64];
    snprintf(sx, sizeof sx, "thermal.grid.nx=%s", argv[1]);
    snprintf(sy, sizeof sy, "thermal.grid.ny=%s", argv[1]);
    snprintf(sk, sizeof sk, "thermal.solver.kind=%s", argv[2]);
    const char *sets[] = {sx, sy, sk};
    cp_catalog *cat;
    cp_design d;
    cp_result r;
    cp_thermal_spec t;
    cp_error err;
    char buf[1024];
    if (cp_catalog_load(data, &cat, &err) || cp_scenario_load(scen, cat, sets, 3, &d, &err) ||
        cp_thermal_load(scen, cat, sets, 3, &t, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    cp_design_eval(&d, &r);
    if (cp_init(&argc, &argv, CP_INIT_MPI, &err)) { /* HYPRE needs MPI; not timed */
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    t.coupled = false; /* one linear solve: the figure the targets refer to */
    double t0 = now_s();
    cp_thermal_grid *g;
    if (cp_thermal_grid_create(&t, &g, &err))
        return 1;
    double t_grid = now_s() - t0;
    cp_thermal_result tr;
    t0 = now_s();
    if (cp_thermal_steady(g, &t, &d, &r, &tr, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t_steady = now_s() - t0;
    cp_thermal_grid_free(g);
    double max_c = tr.max_c;
    int its = tr.linear_iterations;
    cp_thermal_result_free(&tr);
    /* transient: a fresh grid, first step includes the factor / set-up */
    cp_thermal_grid_create(&t, &g, &err);
    t0 = now_s();
    cp_thermal_step(g, &t, 0.01, &err);
    double t_first = now_s() - t0;
    t0 = now_s();
    for (int s = 0; s < steps; s++)
        if (cp_thermal_step(g, &t, 0.01, &err))
            return 1;
    double t_steps = now_s() - t0;
    cp_thermal_grid_free(g);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%5s^2 x %zu layers %9zu unknowns  %-8s grid %6.3f s  steady %6.3f s "
           "(%2d its, max %.2f C)  step1 %6.3f s  then %7.1f steps/s (%.3f s/step)  "
           "peak %6.0f MB\n",
           argv[1], t.nlayers, (size_t)t.nx * t.ny * t.nlayers, argv[2], t_grid, t_steady,
           its, max_c, t_first, steps / t_steps, t_steps / steps,
           ru.ru_maxrss / 1024.0);
    cp_thermal_spec_free(&t);
    cp_catalog_free(cat);
    cp_finalize();
    return 0;
}
