/*
 * bench_fabric.c — fabric sizing at 1k, 100k and 1M GPUs: the counts alone
 * (many evaluations, microseconds each) and with the explicit CSR graph
 * (time and the process's peak memory).  Baseline in the same run: loading
 * the fabric scenario (YAML + three switch designs), which counts include.
 *   bench_fabric SCENARIO GPUS
 */
#include "bench.h"
#include "cposim.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    const char *data = getenv("CPOSIM_DATA") ? getenv("CPOSIM_DATA") : "data";
    char set[64];
    snprintf(set, sizeof set, "fabric.gpus=%s", argv[2]);
    const char *sets[] = {set};
    cp_catalog *cat;
    cp_error err;
    static cp_fabric_spec f;
    static cp_fabric_result r;
    char buf[1024];
    if (cp_catalog_load(data, &cat, &err))
        return 1;
    double t0 = now_s();
    if (cp_fabric_load(argv[1], cat, sets, 1, &f, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    double t_load = now_s() - t0;
    const int n = 20000;
    t0 = now_s();
    double sink = 0;
    for (int i = 0; i < n; i++) {
        if (cp_fabric_eval(&f, &r, &err))
            return 1;
        sink += r.switches;
    }
    double t_count = (now_s() - t0) / n;
    t0 = now_s();
    cp_fabric_graph g;
    if (cp_fabric_graph_build(&f, &r, 0, &g, &err))
        return 1;
    double t_graph = now_s() - t0;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("%-24s %9s GPUs: counts %7.2f us  graph %7.3f s (%zu nodes, %zu links)  "
           "load %6.2f ms  peak %6.0f MB  (%.0f)\n",
           f.name, argv[2], t_count * 1e6, t_graph, g.nodes, g.edges, t_load * 1e3,
           ru.ru_maxrss / 1024.0, sink / n);
    cp_fabric_graph_free(&g);
    cp_catalog_free(cat);
    return 0;
}
