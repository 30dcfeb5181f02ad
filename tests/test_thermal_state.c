/*
 * test_thermal_state.c — a saved state read back, a transient that starts
 * from it, probes, and a state that does not fit its grid.
 */
#include "testutil.h"

#include <string.h>
#include <unistd.h>

static cp_material mat(double k, double c)
{
    return (cp_material){.k_xy_w_per_mk = k, .k_z_w_per_mk = k, .c_j_per_m3k = c};
}

/* The 1-D stack of test_thermal.c's test_series_stack: 100 W over a 10 x
 * 10 mm package into silicon 0.5 mm / TIM 50 um / copper 2 mm, h = 1e4 W/m2K
 * to 25 C on top; by hand the heated face is at 146.346 C. */
static void stack_spec(cp_thermal_spec *t)
{
    memset(t, 0, sizeof *t);
    t->block = test_blocks();
    t->size_x_m = t->size_y_m = 0.01;
    t->nx = t->ny = 8;
    t->nlayers = 3;
    const double th[3] = {0.5e-3, 50e-6, 2e-3}, k[3] = {130, 4, 400};
    for (int l = 0; l < 3; l++)
        t->layer[l] = (cp_tlayer){.thickness_m = th[l], .cells = 1, .mat = mat(k[l], 2e6)};
    t->nblocks = 1;
    t->block[0] = (cp_tblock){.layer = 0, .x1_m = 0.01, .y1_m = 0.01, .src = CP_SRC_FIXED,
                              .power_w = 100};
    t->top = (cp_boundary){1e4, 25};
    t->bottom = (cp_boundary){0, 25};
    t->tolerance = 1e-12;
    t->theta = 1;
    t->dt_s = 0.01;
    t->solver = CP_SOLVER_CHOLMOD;
    t->nprobes = 2;
    t->probe[0] = (cp_probe){.name = "junction", .layer = 0, .x_m = 0.005, .y_m = 0.005};
    t->probe[1] = (cp_probe){.name = "lid", .layer = 2, .x_m = 0.001, .y_m = 0.009};
}

static void save(const cp_thermal_grid *g, const cp_thermal_spec *t, const char *path)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(cp_thermal_state_write(g, t, 1.5, f), 0);
    fclose(f);
}

/* Steady state, saved and read into a fresh grid: the same temperatures to
 * the bit (17 digits); the probes read the heated face (146.346 C by hand)
 * and the lid's middle cell, 25 + 100 (1e-3/400 + 1e-4) / 1e-4 = 127.5 C;
 * and a transient from the steady state stays there (backward Euler: the
 * steady field is its fixed point), to 1e-6 K over 20 steps. */
static void test_state_round_trip(void **state)
{
    (void)state;
    char path[] = "/tmp/cposim-state-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    cp_thermal_spec t;
    cp_thermal_grid *g, *h;
    cp_thermal_result r = {0};
    cp_error err;
    stack_spec(&t);
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), 0);
    assert_near(cp_thermal_probe_temp(g, &t, 0), 146.346, 0.1);
    assert_near(cp_thermal_probe_temp(g, &t, 1), 127.5, 0.01);
    save(g, &t, path);
    assert_int_equal(cp_thermal_grid_create(&t, &h, &err), 0);
    double time_s = 0;
    assert_int_equal(cp_thermal_state_read(h, &t, path, &time_s, &err), 0);
    assert_near(time_s, 1.5, 0);
    const double *a = cp_thermal_temps(g), *b = cp_thermal_temps(h);
    for (size_t c = 0; c < cp_thermal_unknowns(g); c++)
        assert_true(a[c] == b[c]);
    for (int s = 0; s < 20; s++)
        assert_int_equal(cp_thermal_step(h, &t, t.dt_s, &err), 0);
    for (size_t c = 0; c < cp_thermal_unknowns(g); c++)
        assert_near(b[c], a[c], 1e-6);
    cp_thermal_grid_free(h);
    /* another grid: refused at the grid's counts, the grid left as it was */
    t.nx = 4;
    assert_int_equal(cp_thermal_grid_create(&t, &h, &err), 0);
    cp_thermal_set_uniform(h, 42);
    assert_int_equal(cp_thermal_state_read(h, &t, path, &time_s, &err), -1);
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 6);
    assert_non_null(strstr(err.msg, "8 x 8 x 3"));
    assert_near(cp_thermal_temps(h)[0], 42, 0);
    cp_thermal_grid_free(h);
    cp_thermal_grid_free(g);
    unlink(path);
    cp_thermal_result_free(&r);
}

/* A transient in two halves through a saved state is the transient in one
 * go: 10 + 10 steps of 0.01 s from 25 C against 20 steps, to 1e-9 K. */
static void test_transient_resumes(void **state)
{
    (void)state;
    char path[] = "/tmp/cposim-state-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    cp_thermal_spec t;
    cp_thermal_grid *one, *half, *rest;
    cp_error err;
    stack_spec(&t);
    assert_int_equal(cp_thermal_grid_create(&t, &one, &err), 0);
    assert_int_equal(cp_thermal_grid_create(&t, &half, &err), 0);
    assert_int_equal(cp_thermal_grid_create(&t, &rest, &err), 0);
    for (int s = 0; s < 20; s++)
        assert_int_equal(cp_thermal_step(one, &t, t.dt_s, &err), 0);
    for (int s = 0; s < 10; s++)
        assert_int_equal(cp_thermal_step(half, &t, t.dt_s, &err), 0);
    save(half, &t, path);
    double time_s;
    assert_int_equal(cp_thermal_state_read(rest, &t, path, &time_s, &err), 0);
    for (int s = 0; s < 10; s++)
        assert_int_equal(cp_thermal_step(rest, &t, t.dt_s, &err), 0);
    const double *a = cp_thermal_temps(one), *b = cp_thermal_temps(rest);
    assert_true(a[0] > 30); /* it has warmed */
    for (size_t c = 0; c < cp_thermal_unknowns(one); c++)
        assert_near(b[c], a[c], 1e-9);
    cp_thermal_grid_free(one);
    cp_thermal_grid_free(half);
    cp_thermal_grid_free(rest);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_state_round_trip),
        cmocka_unit_test(test_transient_resumes),
    };
    return cmocka_run_group_tests_name("thermal state", tests, NULL, NULL);
}
