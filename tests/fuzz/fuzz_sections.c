/*
 * fuzz_sections.c — libFuzzer harness for the fabric, reliability and
 * economics sections, through a small simulation.
 *
 * The input is a fabric scenario written next to links to every preset (so
 * `include: cluster-16k-h100-cpo.yaml` works).  It is loaded with two
 * replicas over 0.1 year forced by --set, sized, its failure classes
 * simulated (unless more than 2e6 failures are expected: the size of a
 * reliability job is not bounded yet, issue 9 item 7) and reduced, and its
 * TCO computed against cluster-16k-h100-pluggable: totals, break-even of the
 * engine FIT and the tornado.  Every figure must be finite.  A `traffic:`
 * section is run too (on fabrics of at most MAX_TRAFFIC_GPUS GPUs and runs
 * estimated below MAX_TRAFFIC_BYTES): every step time is finite and
 * positive, or the case is partitioned.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS sections
 */
#include "fuzz_common.h"

#define MAX_EVENTS 2e6
#define MAX_TRAFFIC_GPUS 20000
#define MAX_TRAFFIC_BYTES 2e8

static cp_tco_case g_a, g_b;
static cp_rel_summary g_sum;
static cp_rel_replica g_reps[2];
static cp_rel_inputs g_in;

static const char *const g_sets[] = {"reliability.simulation.replicas=2",
                                     "reliability.simulation.years=0.1"};

static int load_case(const char *path, cp_tco_case *c, cp_error *err)
{
    return cp_fabric_load(path, fz_cat, g_sets, 2, &c->fabric, err) ||
           cp_fabric_eval(&c->fabric, &c->fr, err) ||
           cp_rel_load(path, fz_cat, g_sets, 2, &c->rel, &g_in, err) ||
           cp_rel_classes_build(&c->fabric, &c->fr, &g_in, &c->rel, err) ||
           cp_economics_load(path, g_sets, 2, &c->eco, err);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(true, true);
    cp_error err = {0};
    if (load_case(fz_path("cluster-16k-h100-pluggable.yaml"), &g_a, &err)) {
        char buf[1024];
        fprintf(stderr, "fuzz: %s\n", cp_error_format(&err, buf, sizeof buf));
        exit(1);
    }
    return 0;
}

/* the traffic: section, when the input has one and it is small, and the
 * slowdowns of the failure classes from it (what path_faults: slowdown uses) */
static void traffic(const char *path, cp_tco_case *c)
{
    static cp_traffic_spec t;
    static cp_traffic_result r;
    cp_error err = {0};
    if (!cp_scenario_has(path, "traffic") || c->fabric.gpus > MAX_TRAFFIC_GPUS)
        return;
    if (cp_traffic_load(path, g_sets, 2, &t, &err)) {
        fz_note(&err);
        return;
    }
    t.threads = 1;
    if (cp_traffic_bytes(&c->fabric, &c->fr, &t) > MAX_TRAFFIC_BYTES ||
        cp_traffic_run(&c->fabric, &c->fr, &t, &r, &err)) {
        fz_note(&err);
        return;
    }
    for (size_t i = 0; i < r.ncases; i++)
        if (!r.cs[i].partitioned && !(r.gpus < 2 || (r.cs[i].step_s > 0 &&
                                                     isfinite(r.cs[i].step_s))))
            abort();
    if (cp_traffic_rel_slowdowns(&c->fabric, &c->fr, &t, &c->rel, &err)) {
        fz_note(&err);
        return;
    }
    for (size_t k = 0; k < c->rel.nclasses; k++)
        if (!c->rel.cls[k].server_side && !(c->rel.cls[k].slowdown >= 1) && r.gpus >= 2)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("input.yaml", data, size);
    cp_error err = {0};
    char buf[1024];
    if (load_case(path, &g_b, &err)) {
        fz_note(&err);
        return 0;
    }
    fz_check_fabric(&g_b.fr);
    traffic(path, &g_b);
    if (fz_rel_events(&g_b.rel) <= MAX_EVENTS) {
        if (cp_rel_run(&g_b.rel, 0, 1, 2, g_reps, &err) == 0) {
            cp_rel_reduce(&g_b.rel, g_reps, 2, &g_sum);
            FZ_FINITE(g_sum.failures_per_year.mean);
            FZ_FINITE(g_sum.lost_gpu_h.mean);
            FZ_FINITE(g_sum.service_usd.mean);
        }
    }
    cp_tco ta, tb;
    if (cp_tco_eval(&g_a, NULL, &ta, &err) || cp_tco_eval(&g_b, NULL, &tb, &err)) {
        fz_note(&err);
        return 0;
    }
    FZ_FINITE(tb.capex);
    FZ_FINITE(tb.total_usd);
    double root;
    bool flips;
    if (cp_tco_break_even(&g_a, &g_b, CP_TP_ENGINE_FIT, 0, 1e6, &flips, &root, &err) == 0 &&
        flips)
        FZ_FINITE(root);
    cp_tornado_bar bars[CP_UNC_MAX_INPUTS];
    size_t n = 0;
    if (cp_tco_tornado(&g_a, &g_b, bars, &n, &err))
        n = 0;
    for (size_t i = 0; i < n; i++) {
        FZ_FINITE(bars[i].low_delta);
        FZ_FINITE(bars[i].high_delta);
    }
    return 0;
}
