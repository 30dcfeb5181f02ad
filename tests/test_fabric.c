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

/* a fabric that cannot be built loads, then fails to evaluate, at the gpus node */
static void load_fails(const char *name, const char *set, const char *want)
{
    char path[1024];
    cp_error err = {0};
    const char *sets[] = {set};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    assert_int_equal(cp_fabric_load(path, cat, sets, 1, &f, &err), 0);
    assert_int_equal(cp_fabric_eval(&f, &r, &err), -1);
    if (!strstr(err.msg, want))
        print_error("got: %s\n", err.msg);
    assert_non_null(strstr(err.msg, want));
    assert_true(err.line > 0);
}

/* a scenario of the test suite (tests/scenarios/) */
static void load_test(const char *name, const char *const *sets, size_t n)
{
    char path[1024];
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../tests/scenarios/%s.yaml", data_dir(), name);
    if (cp_fabric_load(path, cat, sets, n, &f, &err)) {
        char buf[1024];
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
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

/* Issue 8 item 1: a switch with CPO and pluggable port groups as a tier.
 * 2048 GPUs at 800G, leaf-spine of the hybrid 32 x CPO + 32 x OSFP switch:
 * a leaf faces down with its first 32 ports (CPO) and up with the OSFP ones;
 * 64 leaves and 32 spines, every port of every switch in use.  By hand:
 *   leaf tier power = 64 whole switches = 64 x total_w of the design
 *   transceivers    = 2048 (NICs) + 64 x 32 (leaf OSFP) + 32 x 32 (spine OSFP) = 5120
 *   CPO ports       = 64 x 32 + 32 x 32 = 3072, engines = 96 x 4 = 384.
 * Before the fix: 150.1 kW of leaves, 8192 transceivers and 0 CPO ports. */
static void test_hybrid_switch_tier(void **state)
{
    (void)state;
    cp_design d;
    cp_result sw;
    eval_preset(cat, "hybrid-cpo-pluggable-51t", NULL, 0, &d, &sw);
    load_test("fabric-hybrid-2048", NULL, 0);
    eval_ok();
    assert_near(r.tier[0].switches, 64, 0);
    assert_near(r.tier[1].switches, 32, 0);
    assert_near(r.tier[0].power_w, 64 * sw.total_w, 1e-6);
    assert_near(r.tier[1].power_w, 32 * sw.total_w, 1e-6);
    assert_near(r.modules, 5120, 0);
    assert_near(r.cpo_ports, 3072, 0);
    assert_near(r.engines, 384, 0);
    assert_near(r.tier[0].grp[0].cpo_ports, 2048, 0);   /* leaf CPO faces the GPUs */
    assert_near(r.tier[0].grp[1].modules, 2048, 0);     /* leaf OSFP faces the spines */
    conservation();
    cp_capex c;
    cp_fabric_capex(&f, &r, NULL, &c); /* by hand: 96 switches, 3072 + 2048 modules, ELS */
    assert_near(c.switches_usd, 96 * d.sys.price_usd, 1e-6);
    assert_near(c.optics_usd, 3072 * d.group[1].module.price_usd +
                                  2048 * f.nic_module.price_usd, 1e-6);
    assert_near(c.lasers_usd, 96 * sw.group[0].laser_modules * d.group[0].laser.module_price_usd,
                1e-6);
    assert_near(r.capex_usd, c.total_usd, 1e-6);
    /* explicit facing: OSFP down to the GPUs (2 m: copper), CPO up.  No
     * transceiver at leaves or NICs; spines carry 32 OSFP ports each. */
    const char *sets[] = {"fabric.tiers.leaf.facing.osfp=down", "fabric.tiers.leaf.facing.cpo=up"};
    load_test("fabric-hybrid-2048", sets, 2);
    eval_ok();
    assert_false(r.level[0].optical);
    assert_near(r.tier[0].modules, 0, 0);
    assert_near(r.nic_modules, 0, 0);
    assert_near(r.modules, 32 * 32, 0);
    assert_near(r.cpo_ports, 64 * 32 + 32 * 32, 0);
}

/* Issue 8 item 2: lasers of pluggables come from the module's optical lanes.
 * k = 64 fat tree of 64 x 400G DR4 switches (8 host lanes, 4 optical lanes,
 * one laser each), GPU links copper: 4 x k^3/4 = 262144 switch-side modules
 * (leaf up, spine down and up, core down), 4 lasers each = 1,048,576
 * (before: 8 per module, 2,097,152). */
static void test_module_lasers(void **state)
{
    (void)state;
    load_test("fabric-th4-dr4-k64", NULL, 0);
    eval_ok();
    double k = 64;
    assert_false(r.level[0].optical);
    assert_near(r.modules, 4 * k * k * k / 4, 0);
    assert_near(r.switch_lasers, 4 * 4 * k * k * k / 4, 0);
    /* the fibre count agrees: 2 fibres per optical lane of every link */
    assert_near(r.fibers, 2 * 4 * 2 * k * k * k / 4, 0);
}

/* Issue 8 item 6: bisection from the realised split.  2:1 on a 128-port
 * leaf gives d = floor(128 x 2 / 3) = 85 down, 43 up (85:43 = 1.977:1).
 * 8160 GPUs = 96 full leaves: 96 x 43 = 4128 uplinks of 400G, so the
 * bisection is 4128 x 0.4 / 2 = 825.6 Tb/s (the requested 2:1 would say
 * 8160 x 0.4 / 2 / 2 = 816, -1.1 %). */
static void test_realised_oversubscription(void **state)
{
    (void)state;
    const char *sets[] = {"fabric.tiers.leaf.oversubscription=2", "fabric.gpus=8160"};
    load("cluster-8k-leaf-spine", sets, 2);
    eval_ok();
    assert_near(r.tier[0].down, 85, 0);
    assert_near(r.tier[0].up, 43, 0);
    assert_near(r.tier[0].oversubscription, 85.0 / 43.0, 1e-12);
    assert_near(r.level[1].links, 4128, 0);
    assert_near(r.bisection_tbps, 825.6, 1e-9);
}

/* Issue 8 item 7: partial pods get the links they need.  A non-blocking
 * 3-tier fabric has exactly E links per level.  100k GPUs on 128-port
 * switches (d = u = 64): 1563 leaves, 24 full pods + 1 partial pod with
 * 1696 endpoints (26 full leaves + one of 32: 64 aggregation switches),
 * aggregation 25 x 64 = 1600, cores ceil(100000 / 128) = 782: 3945 switches
 * (before: 102,400 core links and 3963 switches).  One GPU in a 3-tier
 * fabric: one leaf, one aggregation, one core switch, and a warning. */
static void test_partial_pods(void **state)
{
    (void)state;
    load("cluster-100k-pluggable", NULL, 0);
    eval_ok();
    for (int l = 0; l < 3; l++)
        assert_near(r.level[l].links, 100000, 0);
    assert_near(r.tier[0].switches, 1563, 0);
    assert_near(r.tier[1].switches, 1600, 0);
    assert_near(r.tier[2].switches, 782, 0);
    conservation();
    const char *one[] = {"fabric.gpus=1"};
    load("cluster-100k-pluggable", one, 1);
    eval_ok();
    assert_near(r.switches, 3, 0);
    assert_int_equal(r.nwarn, 1);
    assert_int_equal(r.warn[0].code, CP_WARN_FABRIC_OVERSIZED);
    assert_near(r.warn[0].value, 1, 0);
    assert_near(r.warn[0].limit, 128, 0);
    conservation();
}

/* Issue 8 item 9: NIC-side optics at the wall through the host's cooling and
 * conversion, like switch-side ones: 100000 NIC modules of 9 W each add
 * 9 x 100000 x (1.1 / 0.91 - 1) W when host overheads of 10 % fans and 91 %
 * conversion replace none.  A link whose ends run different lane rates
 * is refused. */
static void test_nic_wall_and_pmd(void **state)
{
    (void)state;
    const char *bare[] = {"fabric.power.host_cooling_fraction=0",
                          "fabric.power.host_conversion_efficiency=1"};
    load("cluster-100k-cpo", bare, 2);
    eval_ok();
    double dc = r.network_w;
    load("cluster-100k-cpo", NULL, 0);
    eval_ok();
    assert_near(r.network_w - dc, 9.0 * 100000 * (1.1 / 0.91 - 1), 1e-3);
    load_fails("cluster-1m-cpo", "fabric.nic_module.ref=osfp-400g-dr4", "the same PMD");
}

/* Rail-optimized: GPU i of every 8-GPU server on rail i.  2050 GPUs =
 * 256 servers and a partial one of 2 GPUs (rails 0 and 1), 128-port leaves
 * with d = u = 64: per rail ceil(257 / 64) = 5 leaves, 40 leaves in all.
 * Rails 0-1 carry 257 GPUs (4 full leaves + 1 GPU), rails 2-7 carry 256
 * (4 full leaves + an empty one, which cables nothing): uplinks
 * 2 x (4 x 64 + 1) + 6 x 4 x 64 = 2050 = E (non-blocking), spines
 * ceil(2050 / 128) = 17.  In the graph every leaf holds one rail only. */
static void test_rail_optimized(void **state)
{
    (void)state;
    const char *sets[] = {"fabric.topology=rail-optimized", "fabric.gpus=2050",
                          "fabric.rails=8"};
    load("cluster-8k-leaf-spine", sets, 3);
    eval_ok();
    assert_near(r.tier[0].switches, 40, 0);
    assert_near(r.level[1].links, 2050, 0);
    assert_near(r.tier[1].switches, 17, 0);
    assert_int_equal(r.hops, 3);
    conservation();
    cp_fabric_graph g;
    cp_error err;
    assert_int_equal(cp_fabric_graph_build(&f, &r, 0, &g, &err), 0);
    assert_int_equal(g.edges, (size_t)r.links);
    for (size_t e = 0; e < 2050; e++) {
        size_t leaf = g.col[g.row[e]] - g.tier_first[1];
        assert_int_equal(leaf % 8, e % 8);
    }
    cp_fabric_graph_free(&g);
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
        cmocka_unit_test(test_hybrid_switch_tier),
        cmocka_unit_test(test_module_lasers),
        cmocka_unit_test(test_realised_oversubscription),
        cmocka_unit_test(test_partial_pods),
        cmocka_unit_test(test_nic_wall_and_pmd),
        cmocka_unit_test(test_rail_optimized),
    };
    return cmocka_run_group_tests_name("fabric", tests, setup, teardown);
}
