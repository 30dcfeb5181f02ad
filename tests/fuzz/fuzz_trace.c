/*
 * fuzz_trace.c — libFuzzer harness for power-trace CSV files, through a
 * short transient.
 *
 * The input is the trace.  Its blocks are those of a small two-layer
 * package built once (names of the bundled presets: core, serdes-s,
 * oe-w1, laser): each run loads the trace and, when it loads, runs the
 * transient to 2 s in 0.25 s steps on a 16 x 16 grid with CHOLMOD (no MPI).
 * A transient that returns without an error must leave every temperature
 * finite and above absolute zero.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS trace
 */
#include "fuzz_common.h"

static cp_thermal_spec g_spec;
static cp_thermal_grid *g_grid;

static cp_material mat(double k, double c)
{
    return (cp_material){.k_xy_w_per_mk = k, .k_z_w_per_mk = k, .c_j_per_m3k = c};
}

static void block(size_t b, const char *name, double x0, double y0, double x1, double y1,
                  int layer)
{
    cp_tblock *B = &g_spec.block[b];
    snprintf(B->name, sizeof B->name, "%s", name);
    B->layer = layer;
    B->x0_m = x0, B->y0_m = y0, B->x1_m = x1, B->y1_m = y1;
    B->src = CP_SRC_FIXED;
    B->power_w = 10;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(false, false);
    cp_thermal_spec *t = &g_spec;
    t->size_x_m = t->size_y_m = 0.02;
    t->nx = t->ny = 16;
    t->nlayers = 2;
    t->layer[0] = (cp_tlayer){.name = "die", .thickness_m = 0.8e-3, .cells = 1,
                              .mat = mat(130, 1.6e6)};
    t->layer[1] = (cp_tlayer){.name = "lid", .thickness_m = 2e-3, .cells = 1,
                              .mat = mat(400, 3.4e6)};
    if (cp_thermal_spec_set_blocks(t, 4))
        exit(1);
    block(0, "core", 0.006, 0.006, 0.014, 0.014, 0);
    block(1, "serdes-s", 0.006, 0.004, 0.014, 0.006, 0);
    block(2, "oe-w1", 0.001, 0.006, 0.005, 0.014, 0);
    block(3, "laser", 0.015, 0.006, 0.019, 0.014, 0);
    t->top = (cp_boundary){2e4, 30};
    t->bottom = (cp_boundary){20, 45};
    t->solver = CP_SOLVER_CHOLMOD;
    t->tolerance = 1e-10;
    t->dt_s = 0.25;
    t->t_end_s = 2;
    t->theta = 0.5;
    cp_error err = {0};
    if (cp_thermal_grid_create(t, &g_grid, &err)) {
        fprintf(stderr, "fuzz: %s\n", err.msg);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("trace.csv", data, size);
    cp_trace tr;
    cp_error err = {0};
    if (cp_trace_load(path, &g_spec, &tr, &err)) {
        fz_note(&err);
        return 0;
    }
    for (size_t i = 0; i + 1 < tr.n; i++)
        if (!(tr.ev[i].time_s <= tr.ev[i + 1].time_s)) {
            fprintf(stderr, "fuzz oracle: trace not sorted at %zu\n", i);
            abort();
        }
    cp_thermal_spec t = g_spec;
    cp_thermal_set_uniform(g_grid, t.top.ambient_c);
    if (cp_thermal_transient(g_grid, &t, &tr, 1, NULL, NULL, &err) == 0) {
        const double *T = cp_thermal_temps(g_grid);
        for (size_t c = 0; c < cp_thermal_unknowns(g_grid); c++)
            if (!isfinite(T[c]) || T[c] < -273.15) {
                fprintf(stderr, "fuzz oracle: cell %zu at %g C\n", c, T[c]);
                abort();
            }
    }
    cp_trace_free(&tr);
    return 0;
}
