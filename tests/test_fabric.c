/*
 * test_fabric.c — fabric sizing against closed forms (k-ary fat tree,
 * 2-tier leaf-spine, oversubscription), port and link conservation, the
 * explicit graph, clear errors, and the published scale figures.
 */
#include "testutil.h"

#include <string.h>

static cp_catalog *cat;
static cp_fabric_spec f;
static cp_fabric_result r;

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

static void load(const char *name, const char *const *sets, size_t n)
{
    char path[1024];
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    if (cp_fabric_load(path, cat, sets, n, &f, &err)) {
        char buf[1024];
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
}

/* a fabric that cannot be built fails to load, at the gpus node */
static void load_fails(const char *name, const char *set, const char *want)
{
    char path[1024];
    cp_error err = {0};
    const char *sets[] = {set};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    assert_int_equal(cp_fabric_load(path, cat, sets, 1, &f, &err), -1);
    if (!strstr(err.msg, want))
        print_error("got: %s\n", err.msg);
    assert_non_null(strstr(err.msg, want));
    assert_true(err.line > 0);
}

static void eval_ok(void)
{
    cp_error err = {0};
    if (cp_fabric_eval(&f, &r, &err)) {
        print_error("%s\n", err.msg);
        fail();
    }
}

/* every switch port is used or free; links x 2 = used ports + NIC ports */
static void conservation(void)
{
    double used = 0, links = 0;
    for (size_t i = 0; i < r.ntiers; i++) {
        used += r.tier[i].ports_used;
        links += r.level[i].links;
        assert_near(r.tier[i].ports_used + r.tier[i].ports_free,
                    r.tier[i].switches * r.tier[i].radix, 1e-6);
        assert_true(r.tier[i].ports_free >= 0);
    }
    assert_near(2 * links, used + r.endpoints, 1e-6);
}

/* k-ary fat tree: k^3/4 hosts, 5k^2/4 switches, k^3/4 links per level */
static void test_k_ary_fat_tree(void **state)
{
    (void)state;
    /* a 51.2T switch at 400G has radix k = 128 */
    const char *sets[] = {"fabric.gpus=524288"};
    load("cluster-100k-pluggable", sets, 1);
    eval_ok();
    double k = 128;
    assert_near(r.tier[0].radix, k, 0);
    assert_near(r.endpoints, k * k * k / 4, 0);
    assert_near(r.switches, 5 * k * k / 4, 0);
    for (int l = 0; l < 3; l++)
        assert_near(r.level[l].links, k * k * k / 4, 0);
    assert_near(r.max_endpoints, k * k * k / 4, 0);
    assert_int_equal(r.hops, 5);
    conservation();
    /* one more GPU does not fit without a 4th tier */
    load_fails("cluster-100k-pluggable", "fabric.gpus=524289", "at most 524288 endpoints");
}


/* 2-tier leaf-spine with radix k: k^2/2 hosts, k leaves, k/2 spines */
static void test_leaf_spine(void **state)
{
    (void)state;
    load("cluster-8k-leaf-spine", NULL, 0);
    eval_ok();
    double k = 128;
    assert_near(r.endpoints, k * k / 2, 0);
    assert_near(r.tier[0].switches, k, 0);
    assert_near(r.tier[1].switches, k / 2, 0);
    assert_near(r.level[1].links, k * k / 2, 0);
    assert_int_equal(r.hops, 3);
    conservation();
    load_fails("cluster-8k-leaf-spine", "fabric.gpus=8193", "at most 8192 endpoints");
    load_fails("cluster-8k-leaf-spine", "fabric.gpus=8193", "fat-tree-3");
}

/* oversubscription o: d = k o / (1 + o) down, u = k - d up */
static void test_oversubscription(void **state)
{
    (void)state;
    const char *sets[] = {"fabric.tiers.leaf.oversubscription=3", "fabric.gpus=6000"};
    load("cluster-8k-leaf-spine", sets, 2);
    eval_ok();
    assert_near(r.tier[0].down, 96, 0);
    assert_near(r.tier[0].up, 32, 0);
    assert_near(r.tier[0].switches, ceil(6000.0 / 96), 0);
    assert_near(r.tier[1].switches, ceil(63 * 32 / 128.0), 0);
    assert_near(r.bisection_tbps, 6000 * 0.4 / 2 / 3, 1e-9);
    conservation();
}

/* the explicit graph: degrees equal used ports, no switch over its radix */
static void test_graph(void **state)
{
    (void)state;
    const char *sets[] = {"fabric.gpus=20000"};
    load("cluster-100k-hybrid", sets, 1);
    eval_ok();
    cp_fabric_graph g;
    cp_error err;
    assert_int_equal(cp_fabric_graph_build(&f, &r, 0, &g, &err), 0);
    assert_int_equal(g.edges, (size_t)r.links);
    for (size_t t = 0; t < r.ntiers; t++) {
        double used = 0;
        for (size_t v = g.tier_first[t + 1]; v < g.tier_first[t + 1] + (size_t)r.tier[t].switches; v++) {
            size_t deg = g.row[v + 1] - g.row[v];
            assert_true(deg <= r.tier[t].radix);
            used += (double)deg;
        }
        assert_near(used, r.tier[t].ports_used, 0);
    }
    for (size_t e = 0; e < (size_t)r.endpoints; e++)
        assert_int_equal(g.row[e + 1] - g.row[e], 1);
    cp_fabric_graph_free(&g);
}

/* ~6 optical transceivers per GPU in a fully optical 3-tier fabric (NVIDIA
 * GTC 2025): 3 links per GPU, 2 ends each; here +/- 2 %. */
static void test_six_per_gpu(void **state)
{
    (void)state;
    load("cluster-100k-cpo", NULL, 0);
    eval_ok();
    assert_near(r.optical_ends / f.gpus, 6, 0.12);
}

/* ~5 million lasers with pluggables vs ~1 million with CPO at 128k GPUs
 * (Lambda): 2 planes x 5 switch ends per GPU x 400G; one laser per lane in
 * pluggables (4 per 400G end), one per 4 lanes in CPO (1 per end).  Switch
 * ends: 5.24 M vs 1.31 M; stated tolerance 5 M +/- 10 %, 1 M -20/+40 %. */
static void test_lasers_128k(void **state)
{
    (void)state;
    load("cluster-128k-pluggable", NULL, 0);
    eval_ok();
    double plug = r.switch_lasers;
    load("cluster-128k-cpo", NULL, 0);
    eval_ok();
    double cpo = r.switch_lasers;
    print_message("128k GPUs: %.2f M lasers pluggable, %.2f M CPO\n", plug / 1e6, cpo / 1e6);
    assert_near(plug, 5e6, 0.5e6);
    assert_between(cpo, 0.8e6, 1.4e6);
    assert_near(plug / cpo, 4, 1e-9); /* NVIDIA: ~4x fewer lasers */
}

/* all-CPO and hybrid use less network power than all-pluggable at 100k */
static void test_100k_savings(void **state)
{
    (void)state;
    cp_fabric_result pr, cr, hr;
    load("cluster-100k-pluggable", NULL, 0);
    eval_ok();
    pr = r;
    load("cluster-100k-cpo", NULL, 0);
    eval_ok();
    cr = r;
    load("cluster-100k-hybrid", NULL, 0);
    eval_ok();
    hr = r;
    assert_true(cr.network_w < pr.network_w && hr.network_w < pr.network_w);
    assert_true(cr.switch_lasers < pr.switch_lasers);
    assert_near(pr.switches, cr.switches, 0); /* same topology */
    /* end-of-row leaves: GPU links are optical in both; the hybrid keeps
     * top-of-rack pluggable leaves with copper to the GPUs */
    assert_true(pr.level[0].optical);
    assert_true(cr.level[0].optical);
    assert_false(hr.level[0].optical);
    assert_true(pr.level[0].reach_m > 3 && hr.level[0].reach_m <= 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_k_ary_fat_tree),
        cmocka_unit_test(test_leaf_spine),
        cmocka_unit_test(test_oversubscription),
        cmocka_unit_test(test_graph),
        cmocka_unit_test(test_six_per_gpu),
        cmocka_unit_test(test_lasers_128k),
        cmocka_unit_test(test_100k_savings),
    };
    return cmocka_run_group_tests_name("fabric", tests, setup, teardown);
}
