/* bench_yield.c — the package yield Monte Carlo: 1e6 packages of 16 engines
 * x 64 lanes (target <= 5 s on 2 cores), 1 vs 2 threads identical, against a
 * baseline measured in the same run: the naive draw (two Box-Muller normals
 * per coupling, the loss computed and compared with the budget) on 1e4
 * packages, scaled to 1e6. */
#include "cposim.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

static cp_yield_spec spec(double packages)
{
    cp_yield_spec s = {.engines = 16, .lanes = 64, .spare_lanes = 0, .lanes_per_laser = 4,
                       .margin_db = 1.22, .coupling = {9.0, 9.2, 1.31, 1.5},
                       .asic_yield = 0.99, .substrate_yield = 0.98,
                       .engine_bond_yield = 0.995, .packages = packages, .seed = 1};
    s.process = (cp_assembly){.lateral_sigma_um = 0.4, .shrink_sigma_um = 0.2,
                              .drift_sigma_um = 0.15, .tilt_sigma_deg = 0.1,
                              .gap_mean_um = 5, .gap_sigma_um = 2, .gap_index = 1.5,
                              .rework_max = 1};
    return s;
}

static double normal(cp_rng64 *r)
{
    double u1 = ((double)(cp_rng64_next(r) >> 11) + 1) * 0x1.0p-53;
    double u2 = (double)(cp_rng64_next(r) >> 11) * 0x1.0p-53;
    return sqrt(-2 * log(u1)) * cos(2 * M_PI * u2);
}

/* lateral offsets only (tilt and gap as the fast path's per-attach terms are
 * left out: the baseline is the cost of the per-lane draws) */
static double naive(const cp_yield_spec *s, long n)
{
    const cp_assembly *a = &s->process;
    double sig = sqrt(a->lateral_sigma_um * a->lateral_sigma_um +
                      a->shrink_sigma_um * a->shrink_sigma_um +
                      a->drift_sigma_um * a->drift_sigma_um);
    double good = 0;
    for (long i = 0; i < n; i++) {
        cp_rng64 r;
        cp_rng64_seed(&r, 99, (uint64_t)i);
        int ok = 1;
        for (int e = 0; e < 16; e++)
            for (int l = 0; l < 64; l++) {
                double tx = 0, rx;
                for (int k = 0; k < 2; k++) {
                    double dx = sig * normal(&r), dy = sig * normal(&r);
                    tx += cp_coupling_loss_db(&s->coupling, hypot(dx, dy), 0, 0) -
                          cp_coupling_loss_db(&s->coupling, 0, 0, 0);
                }
                double dx = sig * normal(&r), dy = sig * normal(&r);
                rx = cp_coupling_loss_db(&s->coupling, hypot(dx, dy), 0, 0) -
                     cp_coupling_loss_db(&s->coupling, 0, 0, 0);
                ok &= tx <= s->margin_db && rx <= s->margin_db;
            }
        good += ok;
    }
    return good / (double)n;
}

int main(void)
{
    cp_yield_spec s = spec(1e6);
    cp_yield_result y1, y2;
    cp_error err = {0};
    double t0 = omp_get_wtime();
    double ny = naive(&s, 10000);
    double t_naive = (omp_get_wtime() - t0) * 100;
    t0 = omp_get_wtime();
    if (cp_yield_run(&s, 1, &y1, &err))
        return fprintf(stderr, "%s\n", err.msg), 1;
    double t1 = omp_get_wtime() - t0;
    t0 = omp_get_wtime();
    if (cp_yield_run(&s, 2, &y2, &err))
        return fprintf(stderr, "%s\n", err.msg), 1;
    double t2 = omp_get_wtime() - t0;
    int same = y1.package_yield == y2.package_yield &&
               y1.attaches_per_engine == y2.attaches_per_engine &&
               y1.engine_yield == y2.engine_yield;
    printf("yield MC, 1e6 packages x 16 engines x 64 lanes (sigma %.3f um, margin 1.22 dB)\n",
           y1.sigma_um);
    printf("  baseline (naive normals, 1e4 packages x 100, 1 thread)  %7.2f s  "
           "(lateral-only yield %.4f)\n", t_naive, ny);
    printf("  fast path, 1 thread                                    %7.2f s  yield %.5f\n",
           t1, y1.package_yield);
    printf("  fast path, 2 threads                                   %7.2f s  yield %.5f\n",
           t2, y2.package_yield);
    printf("  1 vs 2 threads identical: %s; target <= 5 s on 2 cores: %s\n",
           same ? "yes" : "NO", t2 <= 5 ? "met" : "MISSED");
    return same ? 0 : 1;
}
