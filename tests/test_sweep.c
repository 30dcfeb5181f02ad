/*
 * test_sweep.c — sweeps against hand-checkable results: a 3 x 3 grid
 * (capacity = ports x 0.8 Tb/s; the lane margin moves dB for dB with the
 * laser power), the store's contents and resume (a second run computes
 * nothing), a spec of another sweep refused, and the Pareto front of a
 * hand-made point set.
 */
#include "testutil.h"

#include <math.h>
#include <string.h>
#include <unistd.h>

static cp_catalog *cat;

static int setup(void **state)
{
    (void)state;
    cat = load_catalog();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    cp_catalog_free(cat);
    return 0;
}

static void spec_path(char *buf, size_t len, const char *name)
{
    snprintf(buf, len, "%s/../tests/sweep/%s.yaml", data_dir(), name);
}

static void test_grid_3x3(void **state)
{
    (void)state;
    char path[1024], base[1024], db[] = "/tmp/cposim-test-sweep-XXXXXX";
    cp_sweep_spec s;
    cp_error err = {0};
    spec_path(path, sizeof path, "grid-3x3");
    if (cp_sweep_load(path, &s, &err))
        print_error("%s\n", err.msg);
    assert_int_equal(cp_sweep_count(&s), 9);
    int fd = mkstemp(db);
    assert_true(fd >= 0);
    close(fd);
    unlink(db);
    snprintf(base, sizeof base, "%s/../scenarios/bailly-51t.yaml", data_dir());
    cp_store *st;
    assert_int_equal(cp_store_open(db, &s, "spec", &st, &err), 0);
    cp_sweep_stats stats;
    cp_sweep_base b = {base, NULL};
    assert_int_equal(cp_sweep_run(&s, cat, &b, st, NULL, NULL, NULL, &stats, &err), 0);
    assert_int_equal(stats.computed, 9);
    assert_int_equal(stats.skipped, 0);
    /* a second run finds every point stored and computes none */
    assert_int_equal(cp_sweep_run(&s, cat, &b, st, NULL, NULL, NULL, &stats, &err), 0);
    assert_int_equal(stats.computed, 0);
    assert_int_equal(stats.skipped, 9);
    cp_store_close(st);
    cp_sweep_table t;
    assert_int_equal(cp_store_read(db, &t, &err), 0);
    assert_int_equal(t.nrows, 9);
    const double counts[3] = {16, 32, 64}, dbm[3] = {16, 18, 20};
    for (size_t i = 0; i < 9; i++) { /* design order: the last parameter fastest */
        assert_int_equal(t.seq[i], i);
        assert_near(t.values[i * 2], counts[i / 3], 0);
        assert_near(t.values[i * 2 + 1], dbm[i % 3], 1e-12);
        assert_near(t.outputs[i * 3], counts[i / 3] * 0.8, 1e-9); /* Tb/s */
        if (i % 3) /* +2 dB of laser, +2 dB of margin */
            assert_near(t.outputs[i * 3 + 1] - t.outputs[(i - 1) * 3 + 1], 2.0, 1e-9);
        assert_int_equal(t.feasible[i], t.outputs[i * 3 + 1] >= 0);
    }
    cp_sweep_summary sum;
    assert_int_equal(cp_sweep_summarize(&t, &sum, &err), 0);
    assert_int_equal(sum.ok, 9);
    assert_true(sum.best[0] >= 0 && t.feasible[sum.best[0]]);
    assert_near(sum.rho[0][0], 1, 1e-12); /* capacity rises with the port count only */
    cp_sweep_summary_free(&sum);
    cp_sweep_table_free(&t);
    /* the same store with another spec is refused */
    s.param[0].values[0] = 8;
    s.spec_hash = cp_sweep_point_hash(&s, &b, NULL);
    assert_int_equal(cp_store_open(db, &s, "spec", &st, &err), -1);
    assert_non_null(strstr(err.msg, "another sweep"));
    unlink(db);
}

/* Runs the spec tests/sweep/NAME.yaml (its scenarios next to it), changed
 * by edit when given, into a fresh store and reads it back into t. */
static void run_spec_edited(const char *name, void (*edit)(cp_sweep_spec *), cp_sweep_spec *s,
                            cp_sweep_table *t, cp_sweep_stats *stats)
{
    char path[1024], base[1024], vs[1024], db[] = "/tmp/cposim-test-sweep-XXXXXX";
    cp_error err = {0};
    spec_path(path, sizeof path, name);
    if (cp_sweep_load(path, s, &err))
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
    if (edit)
        edit(s);
    int fd = mkstemp(db);
    assert_true(fd >= 0);
    close(fd);
    unlink(db);
    snprintf(base, sizeof base, "%s/../tests/sweep/%s", data_dir(), s->scenario);
    snprintf(vs, sizeof vs, "%s/../tests/sweep/%s", data_dir(), s->vs);
    cp_sweep_base b = {base, s->vs[0] ? vs : NULL};
    cp_store *st;
    assert_int_equal(cp_store_open(db, s, "spec", &st, &err), 0);
    if (cp_sweep_run(s, cat, &b, st, NULL, NULL, NULL, stats, &err))
        print_error("%s\n", err.msg);
    cp_store_close(st);
    assert_int_equal(cp_store_read(db, t, &err), 0);
    unlink(db);
}

static void run_spec(const char *name, cp_sweep_spec *s, cp_sweep_table *t,
                     cp_sweep_stats *stats)
{
    run_spec_edited(name, NULL, s, t, stats);
}

/* Thermal 3 x 3 over the 1-D slab of tests/sweep/thermal-slab.yaml (10 W on
 * 1 cm^2 of copper 1 mm thick, k = 400 W/mK in the catalog, adiabatic
 * below): the heated (bottom) face, the hottest point, sits at
 *   T = Ta + q (1/h + L/k),  q = 1e5 W/m^2, L/k = 2.5e-6 m^2K/W,
 * e.g. h = 1000, Ta = 25: 125.25 C.  Limit 100 C: feasible when T <= 100. */
static void test_thermal_3x3(void **state)
{
    (void)state;
    cp_sweep_spec s;
    cp_sweep_table t;
    cp_sweep_stats stats;
    run_spec("thermal-3x3", &s, &t, &stats);
    assert_int_equal(t.nrows, 9);
    assert_int_equal(stats.failed, 0);
    const double h[3] = {1000, 2000, 4000}, ta[3] = {25, 35, 45};
    for (size_t i = 0; i < 9; i++) {
        double want = ta[i % 3] + 1e5 * (1 / h[i / 3] + 2.5e-6);
        assert_near(t.outputs[i * 4 + 0], want, 1e-6);          /* max_c */
        assert_near(t.outputs[i * 4 + 1], want, 1e-6);          /* blocks.0.max_c */
        assert_near(t.outputs[i * 4 + 2], 100 - want, 1e-6);    /* worst_margin_k */
        assert_near(t.outputs[i * 4 + 3], 10, 1e-12);           /* total_power_w */
        assert_int_equal(t.feasible[i], want <= 100);
    }
    cp_sweep_table_free(&t);
}

/* A point that fails is kept with its cause and the sweep goes on: a top
 * h of 1e-9 W/m^2K on the slab has no representable steady state. */
static void no_steady_state(cp_sweep_spec *s) { s->param[0].values[1] = 1e-9; }

static void test_failed_point_recorded(void **state)
{
    (void)state;
    cp_sweep_spec s;
    cp_sweep_table t;
    cp_sweep_stats stats;
    run_spec_edited("thermal-3x3", no_steady_state, &s, &t, &stats);
    assert_int_equal(stats.computed, 9);
    assert_int_equal(stats.failed, 3);
    for (size_t i = 0; i < 9; i++) {
        assert_int_equal(t.ok[i], i / 3 != 1);
        if (i / 3 == 1) {
            assert_non_null(t.error[i]);
            assert_true(isnan(t.outputs[i * 4]));
        }
    }
    cp_sweep_table_free(&t);
}

/* TCO of the 16k pluggable (A) vs CPO (B) preset at 0.05, 0.1, 0.2 $/kWh:
 * energy = kWh/yr x price x annuity is proportional to the price, capex
 * does not move, so B - A is linear in the price:
 *   E(0.1) = 2 E(0.05), E(0.2) = 2 E(0.1),
 *   D(0.2) - D(0.1) = 2 (D(0.1) - D(0.05)). */
static void test_tco_linear_in_price(void **state)
{
    (void)state;
    cp_sweep_spec s;
    cp_sweep_table t;
    cp_sweep_stats stats;
    run_spec("tco-3", &s, &t, &stats);
    assert_int_equal(t.nrows, 3);
    assert_int_equal(stats.failed, 0);
    const double *o = t.outputs; /* energy A, energy B, capex A, difference */
    for (int k = 0; k < 2; k++) {
        assert_near(o[4 + k] / o[0 + k], 2, 1e-12);
        assert_near(o[8 + k] / o[4 + k], 2, 1e-12);
    }
    assert_true(o[0] > 0 && o[1] > 0);
    assert_near(o[2], o[6], 0);
    assert_near(o[6], o[10], 0);
    assert_near((o[11] - o[7]) / (o[7] - o[3]), 2, 1e-9);
    cp_sweep_table_free(&t);
}

/* Yield over shipped volume (packages 2000, seed 1 at every point): the
 * Monte Carlo does not see the volume, so the package yield and the cost of
 * a good package are the same at 5000, 20000 and 80000 switches; the CPO
 * port carries rd_usd / volume / ports of R&D: 5e8 x (1/5000 - 1/20000) / 64
 * = 1171.875 USD more at 5000 than at 20000, and 5e8 x (1/20000 - 1/80000)
 * / 64 = 292.96875 more at 20000 than at 80000.  The pluggable port's R&D
 * share moves too (5e7 / volume / 64): 117.1875 and 29.296875. */
static void test_yield_volume(void **state)
{
    (void)state;
    cp_sweep_spec s;
    cp_sweep_table t;
    cp_sweep_stats stats;
    run_spec("yield-3", &s, &t, &stats);
    assert_int_equal(t.nrows, 3);
    assert_int_equal(stats.failed, 0);
    const double *o = t.outputs; /* yield, good package, CPO port, pluggable port */
    assert_true(o[0] > 0.5 && o[0] < 1);
    for (int r = 1; r < 3; r++) {
        assert_near(o[4 * r], o[0], 0);
        assert_near(o[4 * r + 1], o[1], 0);
    }
    assert_near(o[2] - o[6], 1171.875, 1e-6);
    assert_near(o[6] - o[10], 292.96875, 1e-6);
    assert_near(o[3] - o[7], 117.1875, 1e-6);
    assert_near(o[7] - o[11], 29.296875, 1e-6);
    cp_sweep_table_free(&t);
}

/* Compliance gating a sweep: Bailly's ELS fibre at 10 and 20 dBm against
 * the 10 dBm Class 1 limit of data/requirements.yaml: eye-safety margin
 * 10 - P = 0 and -10 dB, so only the 10 dBm point is feasible.  At 10 dBm
 * the ELSFP lowest class (11 dBm) fails, and so does the lane budget (its
 * margin is 10 dB less than at 20 dBm, where it is +1.22 dB): 2 failures;
 * at 20 dBm only eye safety fails.  pass is 0 at both. */
static void test_comply_gates_sweep(void **state)
{
    (void)state;
    cp_sweep_spec s;
    cp_sweep_table t;
    cp_sweep_stats stats;
    run_spec("comply-2", &s, &t, &stats);
    assert_int_equal(t.nrows, 2);
    assert_int_equal(stats.failed, 0);
    const double *o = t.outputs; /* failed, pass, eye margin, lane margin */
    assert_near(o[0], 2, 0);
    assert_near(o[4], 1, 0);
    assert_near(o[1], 0, 0);
    assert_near(o[5], 0, 0);
    assert_near(o[2], 0, 1e-12);
    assert_near(o[6], -10, 1e-12);
    assert_near(o[7] - o[3], 10, 1e-9);
    assert_true(t.feasible[0]);
    assert_false(t.feasible[1]);
    cp_sweep_table_free(&t);
}

/* Reliability at $1, 2, 4 per GPU-hour with the same seed: the same
 * failures at every point (common random numbers), so the GPU idle cost
 * doubles exactly and the failure rate and goodput do not move. */
static void test_reliability_price(void **state)
{
    (void)state;
    cp_sweep_spec s;
    cp_sweep_table t;
    cp_sweep_stats stats;
    run_spec("reliability-3", &s, &t, &stats);
    assert_int_equal(t.nrows, 3);
    assert_int_equal(stats.failed, 0);
    const double *o = t.outputs; /* idle $, failures/yr, goodput, its ci95 */
    assert_true(o[0] > 0 && o[1] > 0);
    assert_near(o[4] / o[0], 2, 1e-12);
    assert_near(o[8] / o[4], 2, 1e-12);
    for (int k = 1; k < 4; k++) {
        assert_near(o[4 + k], o[k], 0);
        assert_near(o[8 + k], o[k], 0);
    }
    assert_true(o[2] > 0 && o[2] < 1 && o[3] > 0); /* a share; GPU server faults included */
    cp_sweep_table_free(&t);
}

/* Pareto front, both minimised:
 *   a (1, 5)  b (2, 3)  c (3, 4)  d (4, 1)  e (2, 3)  f (5, 5)  g (NaN, 0)
 * c is dominated by b, f by everything; b and e tie (both stay); g never. */
static void test_pareto(void **state)
{
    (void)state;
    const double p[] = {1, 5, 2, 3, 3, 4, 4, 1, 2, 3, 5, 5, NAN, 0};
    unsigned char front[7];
    assert_int_equal(cp_pareto(p, 7, 2, front), 4);
    const unsigned char want[7] = {1, 1, 0, 1, 1, 0, 0};
    for (int i = 0; i < 7; i++)
        assert_int_equal(front[i], want[i]);
    /* three objectives take the pairwise path: (1,1,1) dominates (1,1,2) */
    const double q[] = {1, 1, 1, 1, 1, 2, 0, 5, 5};
    unsigned char f3[3];
    assert_int_equal(cp_pareto(q, 3, 3, f3), 2);
    assert_int_equal(f3[1], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_3x3),
        cmocka_unit_test(test_thermal_3x3),
        cmocka_unit_test(test_failed_point_recorded),
        cmocka_unit_test(test_yield_volume),
        cmocka_unit_test(test_comply_gates_sweep),
        cmocka_unit_test(test_tco_linear_in_price),
        cmocka_unit_test(test_reliability_price),
        cmocka_unit_test(test_pareto),
    };
    return cmocka_run_group_tests_name("sweep", tests, setup, teardown);
}
