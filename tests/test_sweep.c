/*
 * test_sweep.c — sweeps against hand-checkable results: a 3 x 3 grid
 * (capacity = ports x 0.8 Tb/s; the lane margin moves dB for dB with the
 * laser power), the store's contents and resume (a second run computes
 * nothing), a spec of another sweep refused, and the Pareto front of a
 * hand-made point set.
 */
#include "testutil.h"

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
    assert_int_equal(cp_sweep_run(&s, cat, base, st, NULL, NULL, &stats, &err), 0);
    assert_int_equal(stats.computed, 9);
    assert_int_equal(stats.skipped, 0);
    /* a second run finds every point stored and computes none */
    assert_int_equal(cp_sweep_run(&s, cat, base, st, NULL, NULL, &stats, &err), 0);
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
    s.spec_hash = cp_sweep_point_hash(&s, s.scenario, NULL);
    assert_int_equal(cp_store_open(db, &s, "spec", &st, &err), -1);
    assert_non_null(strstr(err.msg, "another sweep"));
    unlink(db);
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
        cmocka_unit_test(test_pareto),
    };
    return cmocka_run_group_tests_name("sweep", tests, setup, teardown);
}
