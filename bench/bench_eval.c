/*
 * bench_eval.c — design points per second of the model chain (no I/O) on
 * one core, varying parameters each point, against a baseline in the same
 * run: the same points with the scenario re-loaded from YAML each time.
 */
#include "bench.h"
#include "cposim.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    const char *data = getenv("CPOSIM_DATA") ? getenv("CPOSIM_DATA") : "data";
    const char *scen = argc > 1 ? argv[1] : "scenarios/hybrid-cpo-pluggable-51t.yaml";
    cp_catalog *cat;
    cp_error err;
    cp_design base, d;
    if (cp_catalog_load(data, &cat, &err) ||
        cp_scenario_load(scen, cat, NULL, 0, &base, &err)) {
        char buf[1024];
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    static cp_result r;
    double sink = 0;
    const long n = 2000000;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        d = base;
        /* vary what a sweep varies: port split, trace length, laser, control */
        d.group[0].count = 8 + (double)(i % 57);
        d.group[0].channel.seg[0].length_mm = 10 + (double)(i % 40);
        d.group[0].laser.output_power_dbm = 14 + (double)(i % 12) * 0.5;
        d.group[0].engine.control_w = 2 + (double)(i % 7);
        cp_design_eval(&d, &r);
        sink += r.total_w;
    }
    double t_chain = now_s() - t0;
    const long nb = 300;
    t0 = now_s();
    for (long i = 0; i < nb; i++) {
        char set[64];
        snprintf(set, sizeof set, "ports.cpo.count=%ld", 8 + i % 57);
        const char *sets[] = {set};
        if (cp_scenario_load(scen, cat, sets, 1, &d, &err))
            return 1;
        cp_design_eval(&d, &r);
        sink += r.total_w;
    }
    double t_load = now_s() - t0;
    double pps = (double)n / t_chain, bps = (double)nb / t_load;
    printf("bench_eval: scenario %s\n", scen);
    printf("  model chain (no I/O), 1 core : %12.0f design points/s  (%.1f ns/point, %ld points)\n",
           pps, 1e9 * t_chain / (double)n, n);
    printf("  baseline: YAML load + eval   : %12.0f design points/s  (%.1f us/point, %ld points)\n",
           bps, 1e6 * t_load / (double)nb, nb);
    printf("  speed-up of the in-memory chain over the baseline: %.0fx\n", pps / bps);
    printf("  target >= 1,000,000 points/s: %s   (checksum %.6g)\n",
           pps >= 1e6 ? "met" : "MISSED", sink);
    cp_catalog_free(cat);
    return 0;
}
