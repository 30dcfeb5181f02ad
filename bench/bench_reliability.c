/*
 * bench_reliability.c — the fleet Monte Carlo: a cluster scenario (default
 * the 100k-GPU CPO fabric), N replicas (default 1000) of its horizon, with 1
 * thread (the baseline) and 2 threads; replicas/s, events/s, peak memory,
 * and whether the two runs agree bit for bit.
 *
 *   bench_reliability [SCENARIO [N [PATH=VALUE...]]]   (PATH=VALUE: --set)
 */
#include "bench.h"
#include "cposim.h"

#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv)
{
    const char *data = getenv("CPOSIM_DATA") ? getenv("CPOSIM_DATA") : "data";
    const char *scen = argc > 1 ? argv[1] : "scenarios/cluster-100k-cpo.yaml";
    size_t n = argc > 2 ? (size_t)atoi(argv[2]) : 1000;
    const char *const *sets = argc > 3 ? (const char *const *)argv + 3 : NULL;
    size_t nsets = argc > 3 ? (size_t)(argc - 3) : 0;
    cp_catalog *cat;
    cp_error err;
    static cp_fabric_spec f;
    static cp_fabric_result r;
    static cp_rel_spec rel;
    static cp_rel_inputs in;
    char buf[1024];
    if (cp_catalog_load(data, &cat, &err) || cp_fabric_load(scen, cat, sets, nsets, &f, &err) ||
        cp_fabric_eval(&f, &r, &err) || cp_rel_load(scen, cat, sets, nsets, &rel, &in, &err) ||
        cp_rel_classes_build(&f, &r, &in, &rel, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    cp_rel_replica *reps = calloc(n, sizeof *reps), *first = calloc(n, sizeof *first);
    if (!reps || !first)
        return 1;
    double units = 0;
    for (size_t k = 0; k < rel.nclasses; k++)
        units += rel.cls[k].units;
    printf("bench_reliability: %s, %g GPUs, %.0f components in %zu classes, %g years, %zu "
           "replicas, workload '%s' (%zu job sizes)\n", f.name, rel.geo.gpus, units,
           rel.nclasses, rel.years, n, rel.job.name, rel.job.nsizes ? rel.job.nsizes : 1);
    double base = 0;
    for (int th = 1; th <= 2; th++) {
        omp_set_num_threads(th);
        double t0 = now_s();
        if (cp_rel_run(&rel, 0, 1, n, reps, &err)) {
            fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
            return 1;
        }
        double dt = now_s() - t0, ev = 0;
        for (size_t i = 0; i < n; i++)
            ev += reps[i].events;
        if (th == 1) {
            base = dt;
            memcpy(first, reps, n * sizeof *reps);
        }
        printf("  %d thread%s: %6.2f s  %8.1f replicas/s  %10.3g events/s  (%.0f events/replica)"
               "  speed-up %.2fx  target <= 10 s: %s\n",
               th, th > 1 ? "s" : " ", dt, n / dt, ev / dt, ev / n, base / dt,
               dt <= 10 ? "met" : "MISSED");
    }
    printf("  1 and 2 threads: %s\n",
           memcmp(first, reps, n * sizeof *reps) == 0 ? "identical replicas" : "REPLICAS DIFFER");
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("  peak memory %.0f MB\n", ru.ru_maxrss / 1024.0);
    free(reps);
    free(first);
    cp_catalog_free(cat);
    return 0;
}
