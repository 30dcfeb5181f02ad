/*
 * test_uncertainty.c — the TCO answer as a probability and the break-even
 * map, against closed forms on hand-built cases:
 *   a TCO difference linear in one lognormal input: its quantiles are the
 *   lognormal's mapped through the line, P(B wins) the lognormal CDF at the
 *   break-even value (found by the break-even solver), the rank correlation
 *   -1; a case without uncertain inputs: P = 1 and no spread, with the Wilson
 *   interval of n successes in n; 1 and 2 threads give the same runs bit for
 *   bit; a map whose break-even line is a hyperbola flips exactly across it;
 *   ranges in the data load as the uncertain inputs of a preset.
 */
#include "testutil.h"

#include <omp.h>
#include <string.h>

static cp_tco_case A, B;

/* No fabric and no failures: only the energy of network_w, and the capex of
 * nic_modules transceivers at price_usd (capex.c: optics += nic_modules x
 * price), $0.1/kWh, PUE 1.5, 2 years undiscounted. */
static void bare_case(cp_tco_case *c, double network_w, double nic_modules, double price_usd)
{
    memset(c, 0, sizeof *c);
    snprintf(c->fabric.name, sizeof c->fabric.name, "bare");
    c->fr.network_w = network_w;
    c->fr.nic_modules = nic_modules;
    c->fabric.nic_module.price_usd = price_usd;
    c->eco = (cp_economics){.electricity_usd_per_kwh = 0.1, .pue = 1.5, .discount_rate = 0};
    c->rel.years = 2;
    c->rel.job = (cp_job){.gpus = 1, .cluster_gpus = 1, .gpu_hour_usd = 2};
    c->rel.geo = (cp_rel_geometry){.gpus = 1, .nics_per_gpu = 1, .planes = 1, .leaves = 1,
                                   .endpoints_per_leaf = 1, .leaves_per_pod = 1};
}

static void add_input(cp_tco_case *c, const char *name, int eco_field, cp_dist d)
{
    cp_unc_input *in = &c->unc.in[c->unc.n++];
    memset(in, 0, sizeof *in);
    snprintf(in->name, sizeof in->name, "%s", name);
    in->target = CP_UT_ECONOMICS;
    in->arg = eco_field;
    in->dist = d;
    snprintf(in->why, sizeof in->why, "test");
}

/* A: 1 MW.  B: 0.5 MW and $1 M more capex (1000 transceivers at $1000).
 *   B - A = 1e6 - 500 kW x 8760 h x 1.5 x p x 2 y = 1e6 - 13.14e6 p,
 * linear in the electricity price p, which is lognormal with median 0.1 and
 * error factor 2 (sigma = ln 2 / 1.6449 = 0.421404), the same in A and B. */
static void linear_cases(void)
{
    bare_case(&A, 1e6, 0, 0);
    bare_case(&B, 0.5e6, 1000, 1000);
    cp_dist d = {.kind = CP_DIST_LOGNORMAL, .value = 0.1, .error_factor = 2};
    add_input(&A, "electricity_usd_per_kwh", CP_ECO_ELECTRICITY, d);
    add_input(&B, "electricity_usd_per_kwh", CP_ECO_ELECTRICITY, d);
}

/* Quantiles of B - A = 1e6 - 13.14e6 p, decreasing in p, so its P5 is at
 * the price's P95 = 0.1 x 2 = 0.2: 1e6 - 2.628e6 = -1,628,000; P50 at 0.1:
 * -314,000; P95 at 0.1 / 2 = 0.05: +343,000.  Mean: E[p] = 0.1 exp(sigma^2
 * / 2) = 0.1092852, so 1e6 - 13.14e6 x 0.1092852 = -436,007.  B wins when
 * p > p* = 1e6 / 13.14e6 = 0.0761035 (the break-even):
 *   P = 1 - Phi(ln(p* / 0.1) / sigma) = 1 - Phi(-0.648015) = 0.741512.
 * LHS puts one of 4000 points in each 1/4000 of probability: the tolerances
 * are a few strata (P5: 13.14e6 x 0.00025 / f(0.2), f(0.2) = 1.22 /$:
 * ~2.7 k$). */
static void test_linear_lognormal(void **state)
{
    (void)state;
    linear_cases();
    cp_error err = {0};
    bool flips = false;
    double root = 0;
    assert_int_equal(cp_tco_break_even(&A, &B, CP_TP_ELECTRICITY, 0, 1, &flips, &root, &err), 0);
    assert_true(flips);
    assert_near(root, 0.0761035, 1e-7);
    static cp_unc_result r;
    cp_unc_opts o = {4000, CP_UNC_LHS, 7, false};
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r, &err), 0);
    assert_int_equal(r.inputs.n, 1);
    assert_true(r.in_a[0] && r.in_b[0]);
    assert_int_equal(r.runs, 4000);
    const cp_unc_output *u = &r.out[0];
    assert_near(u->point, -314000, 1e-6);
    assert_near(u->p5, -1628000, 10000);
    assert_near(u->p50, -314000, 2000);
    assert_near(u->p95, 343000, 2000);
    assert_near(u->mean, -436007, 2000);
    assert_near(u->p_b_wins, 0.741512, 0.002);
    assert_true(u->p_lo < u->p_b_wins && u->p_b_wins < u->p_hi);
    assert_near(u->rho[0], -1, 1e-12); /* B - A falls as p rises: ranks reversed */
    print_message("linear lognormal: P(B wins) %.4f [%.4f, %.4f] (closed form 0.7415), "
                  "P5 %.0f P50 %.0f P95 %.0f\n", u->p_b_wins, u->p_lo, u->p_hi, u->p5,
                  u->p50, u->p95);
    /* the same with plain Monte Carlo: within its binomial error (sd of the
     * share: sqrt(0.7415 x 0.2585 / 4000) = 0.0069; 4 sd) */
    cp_unc_result_free(&r);
    o.design = CP_UNC_RANDOM;
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r, &err), 0);
    assert_near(r.out[0].p_b_wins, 0.741512, 4 * 0.0069);
    cp_unc_result_free(&r);
}

/* Saltelli on B - A = 1e6 - 13.14e6 p, the price p the one input: all the
 * variance is its, S1 = ST = 1 (within the estimators' error at 1024 base
 * points); 1024 x (1 + 2) runs. */
static void test_sobol_one_input(void **state)
{
    (void)state;
    linear_cases();
    static cp_unc_result r;
    cp_error err = {0};
    cp_unc_opts o = {1024, CP_UNC_SALTELLI, 0, false};
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r, &err), 0);
    assert_int_equal(r.runs, 1024 * 3);
    assert_true(r.out[0].sobol);
    assert_near(r.out[0].s1[0], 1, 0.05);
    assert_near(r.out[0].st[0], 1, 0.05);
    cp_unc_result_free(&r);
}

/* No uncertain input: every run is the point answer, B - A = -500 kW x 8760
 * x 1.5 x 0.1 x 2 = -1,314,000 with no spread, P(B wins) = 1, and the Wilson
 * interval of 100 successes in 100 is [n / (n + z^2), 1] = [0.963007, 1]. */
static void test_fixed_only(void **state)
{
    (void)state;
    bare_case(&A, 1e6, 0, 0);
    bare_case(&B, 0.5e6, 0, 0);
    static cp_unc_result r;
    cp_error err = {0};
    cp_unc_opts o = {100, CP_UNC_LHS, 1, false};
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r, &err), 0);
    assert_int_equal(r.inputs.n, 0);
    const cp_unc_output *u = &r.out[0];
    assert_near(u->p_b_wins, 1, 0);
    assert_near(u->p_lo, 0.963007, 1e-6);
    assert_near(u->p_hi, 1, 0);
    assert_near(u->p5, -1314000, 1e-6);
    assert_near(u->p95, -1314000, 1e-6);
    assert_near(u->max - u->min, 0, 0);
    cp_unc_result_free(&r);
    /* the other way round: A always wins, P = 0 */
    assert_int_equal(cp_tco_uncertainty(&B, &A, &o, &r, &err), 0);
    assert_near(r.out[0].p_b_wins, 0, 0);
    assert_near(r.out[0].p_hi, 1 - 0.963007, 1e-6);
    cp_unc_result_free(&r);
    /* and Sobol indices need an input: refused before any run */
    o.design = CP_UNC_SALTELLI;
    size_t runs = 0;
    assert_int_equal(cp_tco_unc_estimate(&A, &B, &o, &runs, &err), -1);
    o = (cp_unc_opts){0, CP_UNC_LHS, 1, false};
    assert_int_equal(cp_tco_unc_estimate(&A, &B, &o, &runs, &err), -1);
    o.samples = CP_UNC_MAX_SAMPLES + 1;
    assert_int_equal(cp_tco_unc_estimate(&A, &B, &o, &runs, &err), -1);
}

/* The preset pair: its inputs come from the data (engine FIT lognormal,
 * median 300, EF 5, from data/catalog/reliability.yaml; the switch
 * replacement 4 / 8 / 24 h from scenarios/base-reliability.yaml), inputs
 * both options use are shared, and 1 and 2 threads give identical runs. */
static void test_presets_threads(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    load_tco_preset(cat, "cluster-100k-pluggable", &A);
    load_tco_preset(cat, "cluster-100k-cpo", &B);
    static cp_unc_result r1, r2;
    cp_error err = {0};
    cp_unc_opts o = {64, CP_UNC_LHS, 42, false};
    omp_set_num_threads(1);
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r1, &err), 0);
    omp_set_num_threads(2);
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r2, &err), 0);
    assert_int_equal(r1.runs, r2.runs);
    assert_memory_equal(r1.x, r2.x, r1.runs * r1.inputs.n * sizeof *r1.x);
    assert_memory_equal(r1.diff, r2.diff, r1.runs * r1.noutputs * sizeof *r1.diff);
    assert_memory_equal(&r1.out[0], &r2.out[0], sizeof r1.out[0]);
    int e = cp_unc_find(&r1.inputs, "engine_fit", &err);
    int s = cp_unc_find(&r1.inputs, "switch_replacement_h", &err);
    assert_true(e >= 0 && s >= 0);
    assert_int_equal(r1.inputs.in[e].dist.kind, CP_DIST_LOGNORMAL);
    assert_near(r1.inputs.in[e].dist.value, 300, 0);
    assert_near(r1.inputs.in[e].dist.error_factor, 5, 0);
    assert_false(r1.in_a[e]); /* no CPO engines in the pluggable fabric */
    assert_true(r1.in_b[e]);
    assert_true(r1.in_a[s] && r1.in_b[s]);
    assert_near(r1.inputs.in[s].dist.lo, 4, 0);
    assert_near(r1.inputs.in[s].dist.hi, 24, 0);
    /* the point run is the point answer of the TCO */
    cp_tco ta, tb;
    assert_int_equal(cp_tco_eval(&A, NULL, &ta, &err), 0);
    assert_int_equal(cp_tco_eval(&B, NULL, &tb, &err), 0);
    assert_near(r1.out[0].point, tb.total_usd - ta.total_usd, 0);
    cp_unc_result_free(&r1);
    cp_unc_result_free(&r2);
    /* Sobol indices over more than 20 inputs (a 2 x inputs Sobol sequence
     * stops at 40 dimensions: A and B then come from a Latin hypercube):
     * 8 x (inputs + 2) runs, and every index finite */
    o = (cp_unc_opts){8, CP_UNC_SALTELLI, 42, false};
    assert_true(r1.inputs.n > 20);
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &r1, &err), 0);
    assert_int_equal(r1.runs, 8 * (r1.inputs.n + 2));
    assert_true(r1.out[0].sobol);
    for (size_t i = 0; i < r1.inputs.n; i++)
        assert_true(isfinite(r1.out[0].s1[i]) && isfinite(r1.out[0].st[i]));
    cp_unc_result_free(&r1);
    cp_catalog_free(cat);
}

/* The map over electricity p (0.05 / 0.1 / 0.2) and PUE u (1.1 / 1.5 / 1.6):
 *   B - A = 1e6 - 500 kW x 8760 h x u x p x 2 y = 1e6 - 8.76e6 u p,
 * so the break-even line is the hyperbola p u = 1e6 / 8.76e6 = 0.1141553.
 * Every grid point has that value, and along each row (fixed u) the winner
 * flips between the two columns that bracket p* = 0.1141553 / u. */
static void test_map_hyperbola(void **state)
{
    (void)state;
    bare_case(&A, 1e6, 0, 0);
    bare_case(&B, 0.5e6, 1000, 1000);
    cp_dist p = {.kind = CP_DIST_TRIANGULAR, .lo = 0.05, .value = 0.1, .hi = 0.2};
    cp_dist u = {.kind = CP_DIST_TRIANGULAR, .lo = 1.1, .value = 1.5, .hi = 1.6};
    cp_tco_case *c[2] = {&A, &B};
    for (int i = 0; i < 2; i++) {
        add_input(c[i], "electricity_usd_per_kwh", CP_ECO_ELECTRICITY, p);
        add_input(c[i], "pue", CP_ECO_PUE, u);
    }
    static cp_tco_map m;
    cp_error err = {0};
    assert_int_equal(cp_tco_map_eval(&A, &B, "electricity_usd_per_kwh", "pue", 31, 11, &m,
                                     &err), 0);
    assert_near(m.xv[0], 0.05, 0);
    assert_near(m.xv[30], 0.2, 0);
    assert_near(m.yv[10], 1.6, 0);
    for (size_t j = 0; j < m.ny; j++) {
        double pstar = 0.1141553 / m.yv[j];
        size_t flips = 0;
        for (size_t i = 0; i < m.nx; i++) {
            double d = m.diff[j * m.nx + i], want = 1e6 - 8.76e6 * m.yv[j] * m.xv[i];
            assert_near(d, want, 1e-6 * 1e6);
            assert_true((d < 0) == (m.xv[i] > pstar));
            if (i > 0 && (d < 0) != (m.diff[j * m.nx + i - 1] < 0)) {
                flips++;
                assert_true(m.xv[i - 1] < pstar && pstar < m.xv[i]);
            }
        }
        assert_int_equal(flips, 1);
    }
    cp_tco_map_free(&m);
    /* an input neither option has is an error naming the ones they have */
    assert_int_equal(cp_tco_map_eval(&A, &B, "engine_fit", "pue", 3, 3, &m, &err), -1);
    assert_non_null(strstr(err.msg, "electricity_usd_per_kwh"));
}

/* One output per workload: each is the answer of that workload alone, run
 * for run (the same samples: common random numbers across profiles), and a
 * figure only one profile uses moves only that profile's answer. */
static void test_outputs_by_workload(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    load_tco_preset(cat, "cluster-100k-pluggable", &A);
    load_tco_preset(cat, "cluster-100k-cpo", &B);
    static cp_unc_result all, one;
    cp_error err = {0};
    cp_unc_opts o = {16, CP_UNC_LHS, 3, true};
    assert_int_equal(cp_tco_uncertainty(&A, &B, &o, &all, &err), 0);
    assert_int_equal(all.noutputs, 3);
    static const char *const name[3] = {"training", "inference", "cloud"};
    static cp_tco_case a1, b1;
    for (size_t w = 0; w < 3; w++) {
        assert_string_equal(all.out[w].name, name[w]);
        a1 = A, b1 = B;
        assert_int_equal(cp_tco_case_workload(&a1, name[w], &err), 0);
        assert_int_equal(cp_tco_case_workload(&b1, name[w], &err), 0);
        o.by_workload = false;
        assert_int_equal(cp_tco_uncertainty(&a1, &b1, &o, &one, &err), 0);
        assert_int_equal(one.noutputs, 1);
        for (size_t k = 0; k < all.runs; k++)
            assert_true(all.diff[k * 3 + w] == one.diff[k]);
        cp_unc_result_free(&one);
    }
    /* degraded_usd_per_gpu_h is a price of the cloud profile only: across
     * the samples it leaves training alone (rho is that of the other inputs
     * only) -- set it alone and compare */
    int d = cp_unc_find(&all.inputs, "degraded_usd_per_gpu_h", &err);
    assert_true(d >= 0);
    double out[2][3];
    for (int e = 0; e < 2; e++) {
        a1 = A, b1 = B;
        for (size_t w = 0; w < 3; w++) {
            cp_tco ta, tb;
            static cp_tco_case x, y;
            x = a1, y = b1;
            assert_int_equal(cp_tco_case_workload(&x, name[w], &err), 0);
            assert_int_equal(cp_tco_case_workload(&y, name[w], &err), 0);
            cp_unc_apply(&x, &all.inputs.in[d], e ? 1.0 : 0.25); /* $/degraded GPU-h */
            cp_unc_apply(&y, &all.inputs.in[d], e ? 1.0 : 0.25);
            assert_int_equal(cp_tco_eval(&x, NULL, &ta, &err), 0);
            assert_int_equal(cp_tco_eval(&y, NULL, &tb, &err), 0);
            out[e][w] = tb.total_usd - ta.total_usd;
        }
    }
    assert_true(out[0][0] == out[1][0]); /* training */
    assert_true(out[0][1] == out[1][1]); /* inference */
    assert_true(out[0][2] != out[1][2]); /* cloud pays SLA credits */
    cp_unc_result_free(&all);
    cp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_linear_lognormal),
        cmocka_unit_test(test_sobol_one_input),
        cmocka_unit_test(test_fixed_only),
        cmocka_unit_test(test_presets_threads),
        cmocka_unit_test(test_outputs_by_workload),
        cmocka_unit_test(test_map_hyperbola),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
