/*
 * test_sample.c — designs, distributions and sensitivity against analytic
 * results: Latin-hypercube strata, the first Sobol points, quantiles of
 * lognormal / triangular distributions, the mean of a linear function of a
 * lognormal input, and the Sobol indices of the Ishigami function.
 */
#include "testutil.h"

#include <string.h>

/* each of the n strata of every dimension is hit exactly once */
static void test_lhs_strata(void **state)
{
    (void)state;
    enum { N = 50, D = 3 };
    double u[N * D];
    cp_error err;
    assert_int_equal(cp_doe_unit(CP_DOE_LHS, D, N, 7, NULL, u, &err), 0);
    for (int j = 0; j < D; j++) {
        int hit[N] = {0};
        for (int i = 0; i < N; i++) {
            double x = u[i * D + j];
            assert_true(x > 0 && x < 1);
            hit[(int)(x * N)]++;
        }
        for (int k = 0; k < N; k++)
            assert_int_equal(hit[k], 1);
    }
}

/* Sobol in 2-D: (1/2, 1/2), (3/4, 1/4), (1/4, 3/4), (3/8, 3/8) (Bratley & Fox) */
static void test_sobol_points(void **state)
{
    (void)state;
    double u[8];
    cp_error err;
    assert_int_equal(cp_doe_unit(CP_DOE_SOBOL, 2, 4, 0, NULL, u, &err), 0);
    const double want[8] = {0.5, 0.5, 0.75, 0.25, 0.25, 0.75, 0.375, 0.375};
    for (int i = 0; i < 8; i++)
        assert_near(u[i], want[i], 0);
    assert_int_equal(cp_doe_unit(CP_DOE_SOBOL, 41, 4, 0, NULL, u, &err), -1);
}

/* grid 3 x 2: last input fastest, ends included */
static void test_grid(void **state)
{
    (void)state;
    double u[12];
    size_t lv[2] = {3, 2};
    cp_error err;
    assert_int_equal(cp_doe_unit(CP_DOE_GRID, 2, 6, 0, lv, u, &err), 0);
    const double want[12] = {0, 0, 0, 1, 0.5, 0, 0.5, 1, 1, 0, 1, 1};
    for (int i = 0; i < 12; i++)
        assert_near(u[i], want[i], 0);
    assert_int_equal(cp_doe_unit(CP_DOE_GRID, 2, 5, 0, lv, u, &err), -1);
}

/* lognormal with median m and error factor EF: the 95th percentile is m EF,
 * the 5th m / EF; triangular(0, 1, 4): F(1) = 1/4, so q(1/4) = 1 */
static void test_quantiles(void **state)
{
    (void)state;
    cp_dist ln = {.kind = CP_DIST_LOGNORMAL, .value = 300, .error_factor = 3};
    assert_near(cp_dist_quantile(&ln, 0.95), 900, 1e-6);
    assert_near(cp_dist_quantile(&ln, 0.05), 100, 1e-6);
    assert_near(cp_dist_quantile(&ln, 0.5), 300, 1e-9);
    cp_dist tr = {.kind = CP_DIST_TRIANGULAR, .lo = 0, .value = 1, .hi = 4};
    assert_near(cp_dist_quantile(&tr, 0.25), 1, 1e-12);
    assert_near(cp_dist_quantile(&tr, 1), 4, 1e-12);
    cp_error err;
    cp_dist bad = {.kind = CP_DIST_LOGUNIFORM, .lo = 0, .hi = 1};
    assert_int_equal(cp_dist_check(&bad, "x", &err), -1);
    assert_int_equal(cp_dist_check(&ln, "x", &err), 0);
}

/* y = a + b x with x lognormal (median 300, EF 3): E[y] = a + b m exp(s^2/2)
 * with s = ln 3 / 1.6449 (= 0.6679, so E[x] = 300 x 1.2496 = 374.9).  A
 * 4096-point Latin hypercube reproduces it within 0.5 %, and the sample
 * median of y within 0.5 % of a + b m. */
static void test_linear_in_lognormal(void **state)
{
    (void)state;
    enum { N = 4096 };
    static double u[N], y[N];
    cp_error err;
    cp_dist x = {.kind = CP_DIST_LOGNORMAL, .value = 300, .error_factor = 3};
    assert_int_equal(cp_doe_unit(CP_DOE_LHS, 1, N, 11, NULL, u, &err), 0);
    double a = 1e6, b = -2e3, mean = 0;
    for (int i = 0; i < N; i++) {
        y[i] = a + b * cp_dist_quantile(&x, u[i]);
        mean += y[i] / N;
    }
    double s = log(3.0) / 1.6448536269514722;
    double exact = a + b * 300 * exp(s * s / 2);
    assert_near(mean, exact, 0.005 * fabs(exact));
    double p = 0.5, med;
    assert_int_equal(cp_quantiles(y, N, &p, 1, &med, &err), 0);
    assert_near(med, a + b * 300, 0.005 * fabs(a + b * 300));
    assert_near(cp_dist_mean(&x), 300 * exp(s * s / 2), 1e-9);
}

/* Ishigami f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3, a = 7,
 * b = 0.1 (Ishigami & Homma 1990).  Analytic: V = a^2/8 + b pi^4/5 +
 * b^2 pi^8/18 + 1/2, V1 = (1 + b pi^4/5)^2 / 2, V2 = a^2/8,
 * V13 = b^2 pi^8 (1/18 - 1/50); S1 = V1/V = 0.3139, S2 = 0.4424, S3 = 0,
 * ST1 = (V1 + V13)/V = 0.5576, ST2 = 0.4424, ST3 = V13/V = 0.2437.
 * With 2^14 base points the estimates are within 0.02. */
static double ishigami(const double *u)
{
    double x1 = -M_PI + 2 * M_PI * u[0], x2 = -M_PI + 2 * M_PI * u[1],
           x3 = -M_PI + 2 * M_PI * u[2];
    return sin(x1) + 7 * sin(x2) * sin(x2) + 0.1 * pow(x3, 4) * sin(x1);
}

static void test_ishigami(void **state)
{
    (void)state;
    enum { D = 3, N = 1 << 14 };
    double *pts = malloc((D + 2) * N * D * sizeof *pts), *f = malloc((D + 2) * N * sizeof *f);
    cp_error err;
    assert_int_equal(cp_saltelli_design(D, N, pts, &err), 0);
    for (size_t k = 0; k < (size_t)(D + 2) * N; k++)
        f[k] = ishigami(pts + k * D);
    double s1[D], st[D];
    assert_int_equal(cp_sobol_indices(D, N, f, s1, st, &err), 0);
    double a = 7, b = 0.1, pi4 = pow(M_PI, 4), pi8 = pow(M_PI, 8);
    double V = a * a / 8 + b * pi4 / 5 + b * b * pi8 / 18 + 0.5;
    double V1 = 0.5 * pow(1 + b * pi4 / 5, 2), V2 = a * a / 8;
    double V13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
    print_message("Ishigami S1 %.4f %.4f %.4f (exact %.4f %.4f 0), ST %.4f %.4f %.4f "
                  "(exact %.4f %.4f %.4f)\n", s1[0], s1[1], s1[2], V1 / V, V2 / V, st[0],
                  st[1], st[2], (V1 + V13) / V, V2 / V, V13 / V);
    assert_near(s1[0], V1 / V, 0.02);
    assert_near(s1[1], V2 / V, 0.02);
    assert_near(s1[2], 0, 0.02);
    assert_near(st[0], (V1 + V13) / V, 0.02);
    assert_near(st[1], V2 / V, 0.02);
    assert_near(st[2], V13 / V, 0.02);
    /* a monotone output has rank correlation 1 with its only input */
    double x[5] = {1, 2, 3, 4, 5}, y[5] = {1, 8, 27, 64, 125};
    assert_near(cp_spearman(x, y, 5), 1, 1e-12);
    free(pts);
    free(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lhs_strata),
        cmocka_unit_test(test_sobol_points),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_quantiles),
        cmocka_unit_test(test_linear_in_lognormal),
        cmocka_unit_test(test_ishigami),
    };
    return cmocka_run_group_tests_name("sample", tests, NULL, NULL);
}
