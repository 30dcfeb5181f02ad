/*
 * test_reliability.c — the fleet Monte Carlo against closed forms (Poisson
 * counts, alternating-renewal availability, k-out-of-n spares, lost work per
 * interruption), determinism across thread counts, the TCO arithmetic, a
 * break-even with a closed-form root, and the Llama 3 calibration.
 */
#include "testutil.h"

#include <gsl/gsl_cdf.h>
#include <omp.h>
#include <string.h>

static cp_rel_spec one_class(double units, double per_h, double mttr_h)
{
    cp_rel_spec r;
    memset(&r, 0, sizeof r);
    r.nclasses = 1;
    r.cls[0] = (cp_rel_class){.units = units, .fail_per_h = per_h, .shape = 1,
                              .service = CP_SVC_MODULE, .links_per_event = 1};
    snprintf(r.cls[0].name, sizeof r.cls[0].name, "test");
    r.svc.response_h[CP_SVC_MODULE] = mttr_h;
    r.svc.technicians = 256;
    r.job = (cp_job){.gpus = 1000, .checkpoint_h = 0.5, .restart_h = 0.25, .share = 1};
    r.years = 1;
    r.seed = 7;
    return r;
}

static cp_rel_replica reps[2000];

/* N units at rate l over T: counts are Poisson(N l T): mean and variance */
static void test_poisson_counts(void **state)
{
    (void)state;
    cp_rel_spec r = one_class(1000, 2e-6, 1e-6); /* 17.52 expected per year */
    size_t n = 2000;
    cp_rel_run(&r, 0, 1, n, reps);
    double s = 0, s2 = 0;
    for (size_t i = 0; i < n; i++)
        s += reps[i].failures[0], s2 += reps[i].failures[0] * reps[i].failures[0];
    double mean = s / n, var = (s2 - s * s / n) / (n - 1), want = 1000 * 2e-6 * 8760;
    print_message("Poisson: mean %.3f var %.3f (expected %.3f)\n", mean, var, want);
    assert_near(mean, want, 4 * sqrt(want / n));      /* ~4 standard errors */
    assert_near(var / want, 1, 0.1);                 /* variance = mean */
}

/* alternating renewal: unavailability = MTTR / (MTBF + MTTR) */
static void test_availability(void **state)
{
    (void)state;
    cp_rel_spec r = one_class(50, 1.0 / 100, 10);
    cp_rel_run(&r, 0, 1, 400, reps);
    cp_rel_summary s;
    cp_rel_reduce(&r, reps, 400, &s);
    double unavail = s.link_down_h.mean / (50 * 8760);
    print_message("availability: %.5f (formula %.5f)\n", 1 - unavail, 100.0 / 110);
    assert_near(1 - unavail, 100.0 / 110, 0.002);
}

/* spare lasers: a failure is absorbed while fewer than s others of its group
 * are down; the absorbed share is the binomial (k-out-of-n) probability */
static void test_k_out_of_n(void **state)
{
    (void)state;
    const double n_grp = 8, lam = 1.0 / 200, d = 20, spares = 1;
    cp_rel_spec r = one_class(8 * 200, lam, d);
    r.cls[0].spares = spares;
    r.cls[0].group_units = n_grp;
    r.cls[0].interrupts = true;
    cp_rel_run(&r, 0, 1, 200, reps);
    cp_rel_summary s;
    cp_rel_reduce(&r, reps, 200, &s);
    /* per-unit unavailability q; impact when >= 1 of the 7 others is down */
    double q = lam * d / (1 + lam * d);
    double p_impact = 1 - gsl_cdf_binomial_P(0, q, 7);
    double got = s.interruptions.mean / s.failures[0].mean;
    print_message("k-out-of-n: impact share %.4f (binomial %.4f)\n", got, p_impact);
    assert_near(got, p_impact, 0.01);
}

/* periodic checkpoints: lost work per interruption = G (tau/2 + R) */
static void test_lost_work(void **state)
{
    (void)state;
    cp_rel_spec r = one_class(1000, 1e-4, 1);
    r.cls[0].interrupts = true;
    cp_rel_run(&r, 0, 1, 300, reps);
    cp_rel_summary s;
    cp_rel_reduce(&r, reps, 300, &s);
    double per = s.lost_gpu_h.mean / s.interruptions.mean;
    assert_near(per, 1000 * (0.5 / 2 + 0.25), 1000 * 0.01);
    /* the expected-value model gives the same */
    cp_rel_replica e;
    cp_rel_expected(&r, &e);
    assert_near(e.lost_gpu_h / e.interruptions, 1000 * 0.5, 1e-9);
    assert_near(s.interruptions.mean, e.interruptions, 4 * sqrt(e.interruptions / 300));
}

/* replicas are seeded by index: 1 and 2 threads give identical results */
static void test_threads_identical(void **state)
{
    (void)state;
    static cp_rel_replica a[64], b[64];
    cp_rel_spec r = one_class(5000, 1e-5, 2);
    r.cls[0].interrupts = true;
    omp_set_num_threads(1);
    cp_rel_run(&r, 0, 1, 64, a);
    omp_set_num_threads(2);
    cp_rel_run(&r, 0, 1, 64, b);
    assert_memory_equal(a, b, sizeof a);
    /* and a split run (as over two MPI ranks) equals the whole */
    cp_rel_run(&r, 0, 2, 32, b);
    cp_rel_run(&r, 1, 2, 32, b + 32);
    for (int i = 0; i < 32; i++) {
        assert_memory_equal(&a[2 * i], &b[i], sizeof *a);
        assert_memory_equal(&a[2 * i + 1], &b[32 + i], sizeof *a);
    }
}

/* Arrhenius: 0.7 eV from 40 to 70 C accelerates ~9.7x */
static void test_arrhenius(void **state)
{
    (void)state;
    double af = cp_arrhenius(0.7, 40, 70);
    assert_near(af, exp(0.7 / 8.617333262e-5 * (1 / 313.15 - 1 / 343.15)), 1e-12);
    assert_near(af, 9.7, 0.1);
    assert_near(cp_arrhenius(0.35, 55, 55), 1, 0);
}

static cp_tco_case A, B;

static void load_case(const cp_catalog *cat, const char *name, cp_tco_case *c)
{
    char path[1024];
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    if (cp_fabric_load(path, cat, NULL, 0, &c->fabric, &err) ||
        cp_fabric_eval(&c->fabric, &c->fr, &err) ||
        cp_rel_load(path, cat, NULL, 0, &c->fabric, &c->fr, &c->rel, &err) ||
        cp_economics_load(path, NULL, 0, &c->eco, &err)) {
        char buf[1024];
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
}

/* energy = W x 8760 x PUE / 1000 x $/kWh x sum (1 + r)^-y */
static void test_energy_arithmetic(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    load_case(cat, "cluster-100k-cpo", &A);
    cp_tco t;
    cp_tco_eval(&A, NULL, &t);
    double ann = 0;
    for (int y = 1; y <= 5; y++)
        ann += pow(1.08, -y);
    double kwh = A.fr.network_w * 8760 * 1.3 / 1000;
    assert_near(t.energy_kwh_per_year, kwh, 1e-6 * kwh);
    assert_near(t.energy_usd, kwh * 0.0806 * ann, 1e-6 * t.energy_usd);
    assert_near(t.carbon_t, kwh * 5 * 0.367 / 1000, 1e-6 * t.carbon_t);
    assert_near(t.total_usd, t.capex + t.energy_usd + t.service_usd + t.gpu_idle_usd, 1e-3);
    cp_catalog_free(cat);
}

/* TCO(B) - TCO(A) is linear in the electricity price p: the root is
 * -d(0) / (d(1) - d(0)); Brent must find it */
static void test_break_even_closed_form(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    load_case(cat, "cluster-100k-pluggable", &A);
    load_case(cat, "cluster-100k-cpo", &B);
    cp_tco_apply(&B, CP_TP_CPO_PRICE, 3.0); /* dearer CPO: energy must pay it back */
    cp_tco ta, tb;
    cp_tco_apply(&A, CP_TP_ELECTRICITY, 0);
    cp_tco_apply(&B, CP_TP_ELECTRICITY, 0);
    cp_tco_eval(&A, NULL, &ta);
    cp_tco_eval(&B, NULL, &tb);
    double d0 = tb.total_usd - ta.total_usd;
    cp_tco_apply(&A, CP_TP_ELECTRICITY, 1);
    cp_tco_apply(&B, CP_TP_ELECTRICITY, 1);
    cp_tco_eval(&A, NULL, &ta);
    cp_tco_eval(&B, NULL, &tb);
    double d1 = tb.total_usd - ta.total_usd;
    double want = -d0 / (d1 - d0), root = -1;
    assert_true(want > 0);
    assert_int_equal(cp_tco_break_even(&A, &B, CP_TP_ELECTRICITY, 0, 1000, &root), 0);
    print_message("break-even electricity: %.6f $/kWh (closed form %.6f)\n", root, want);
    assert_near(root, want, 1e-6 * want);
    cp_catalog_free(cat);
}

/* Llama 3: 35 network switch/cable interruptions in 54 days on 16,384 GPUs;
 * the catalog rates on the 16k preset must give the same order (x3). */
static void test_llama3_calibration(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    load_case(cat, "cluster-16k-h100-pluggable", &A);
    A.rel.years = 54.0 / 365;
    cp_rel_run(&A.rel, 0, 1, 400, reps);
    cp_rel_summary s;
    cp_rel_reduce(&A.rel, reps, 400, &s);
    print_message("16k GPUs, 54 days: %.1f network interruptions (Llama 3: 35)\n",
                  s.interruptions.mean);
    assert_between(s.interruptions.mean, 35.0 / 3, 35.0 * 3);
    cp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poisson_counts),
        cmocka_unit_test(test_availability),
        cmocka_unit_test(test_k_out_of_n),
        cmocka_unit_test(test_lost_work),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_arrhenius),
        cmocka_unit_test(test_energy_arithmetic),
        cmocka_unit_test(test_break_even_closed_form),
        cmocka_unit_test(test_llama3_calibration),
    };
    return cmocka_run_group_tests_name("reliability", tests, NULL, NULL);
}
