/*
 * test_traffic.c — the flow-level traffic model against hand derivations:
 * max-min fairness on a hand-drawn network, collectives' closed forms on
 * non-blocking fabrics, permutations at line rate, oversubscription, a
 * spine removed, partitions, aggregated = per flow, thread independence.
 */
#include "testutil.h"

#include <string.h>

static cp_catalog *cat;

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

static void fabric(const char *name, const char *const *sets, size_t n, cp_fabric_spec *f,
                   cp_fabric_result *r)
{
    char path[1024], buf[1024];
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    if (cp_fabric_load(path, cat, sets, n, f, &err) || cp_fabric_eval(f, r, &err)) {
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
}

static void run(const cp_fabric_spec *f, const cp_fabric_result *r, const cp_traffic_spec *t,
                cp_traffic_result *o)
{
    cp_error err = {0};
    char buf[1024];
    if (cp_traffic_run(f, r, t, o, &err)) {
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
}

static cp_traffic_spec job(double gpus, cp_collective c, double bytes, double alpha_s)
{
    cp_traffic_spec t;
    memset(&t, 0, sizeof t);
    t.gpus = gpus, t.collective = c, t.message_bytes = bytes, t.alpha_s = alpha_s;
    t.gpus_per_node = 8, t.seed = 1, t.threads = 1;
    return t;
}

static cp_outage link_out(size_t level, double index)
{
    cp_outage o;
    memset(&o, 0, sizeof o);
    o.kind = CP_OUT_LINK, o.level = level, o.index = index;
    return o;
}

static cp_outage switch_out(size_t tier, double index)
{
    cp_outage o = link_out(tier, index);
    o.kind = CP_OUT_SWITCH;
    return o;
}

/* A hand-drawn network: GPUs a1 a2 under leaf X, c1 c2 c3 under Y, z1 z2
 * under Z, one spine S; X -> S carries 100 Gb/s, S -> Y 200, every other
 * link 1000.  Flows f1 a1->z1 and f2 a2->c1 share X -> S; f2, f3 z2->c2
 * and f4 z1->c3 share S -> Y.  Filling: X -> S fills first, at 100/2 = 50
 * (S -> Y would at 200/3), so f1 = f2 = 50; S -> Y has 200 - 50 = 150
 * left for f3 and f4: 75 each.  Z -> S carries 50 + 75 + 75 = 200 < 1000. */
static void test_maxmin_four_flows(void **state)
{
    (void)state;
    enum { A1, A2, C1, C2, C3, Z1, Z2, X, Y, Z, S, NODES };
    static const unsigned e[][3] = {{A1, X, 0}, {A2, X, 0}, {C1, Y, 0}, {C2, Y, 0},
                                    {C3, Y, 0}, {Z1, Z, 0}, {Z2, Z, 0}, {X, S, 1},
                                    {Y, S, 1}, {Z, S, 1}};
    size_t ne = sizeof e / sizeof *e, row[NODES + 1] = {0}, pos[NODES];
    unsigned col[2 * 10];
    unsigned char level[2 * 10], optical[2 * 10] = {0};
    for (size_t i = 0; i < ne; i++)
        row[e[i][0] + 1]++, row[e[i][1] + 1]++;
    for (size_t v = 0; v < NODES; v++)
        row[v + 1] += row[v], pos[v] = row[v];
    for (size_t i = 0; i < ne; i++) {
        size_t a = pos[e[i][0]]++, b = pos[e[i][1]]++;
        col[a] = e[i][1], col[b] = e[i][0];
        level[a] = level[b] = (unsigned char)e[i][2];
    }
    cp_fabric_graph g = {NODES, ne, row, col, level, optical, {0, X, S, NODES}};
    double gbps[CP_MAX_TIERS] = {1000, 1000, 1000};
    cp_traffic_net *n = NULL;
    cp_error err = {0};
    assert_int_equal(cp_traffic_net_graph(&g, gbps, 7, 1, 1, &n, &err), 0);
    assert_int_equal(cp_traffic_net_capacity(n, X, S, 100, &err), 0);
    assert_int_equal(cp_traffic_net_capacity(n, S, Y, 200, &err), 0);
    cp_flow fl[] = {{A1, Z1}, {A2, C1}, {Z2, C2}, {Z1, C3}};
    double want[] = {50, 50, 75, 75}, rate[4];
    for (int per_flow = 0; per_flow < 2; per_flow++) {
        assert_int_equal(cp_traffic_maxmin(n, fl, 4, per_flow, rate, &err), 0);
        for (int i = 0; i < 4; i++) {
            if (fabs(rate[i] - want[i]) > 1e-9) print_error("per_flow %d flow %d\n", per_flow, i);
            assert_near(rate[i], want[i], 1e-9);
        }
    }
    /* S -> Y out: f2, f3, f4 cannot reach Y any more (the only spine) */
    cp_outage o = link_out(1, 1); /* level-1 links in --graph order: X-S, Y-S, Z-S */
    assert_int_equal(cp_traffic_net_outage(n, &o, &err), 0);
    assert_int_equal(cp_traffic_maxmin(n, fl, 4, true, rate, &err), 0);
    /* f1 alone on X -> S: 100 */
    assert_near(rate[0], 100, 1e-9);
    assert_near(rate[1] + rate[2] + rate[3], 0, 0);
    cp_traffic_net_free(n);
}

/* Ring all-reduce on a non-blocking leaf-spine (512 GPUs on 8 leaves of 64,
 * 4 spines): T = 2(n-1)/n S/B + 2(n-1) alpha.  n = 512, S = 1 GB = 8e9 bit,
 * B = 400 Gb/s, alpha = 5 us: 2 x 511/512 x 0.02 s + 1022 x 5 us
 * = 0.039921875 + 0.00511 = 0.045031875 s.  Reduce-scatter takes half. */
static void test_ring_allreduce_closed_form(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=512"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    cp_traffic_spec t = job(512, CP_COLL_RING_ALLREDUCE, 1e9, 5e-6);
    cp_traffic_result o;
    run(&f, &r, &t, &o);
    assert_near(o.cs[0].step_s, 0.045031875, 1e-12);
    assert_near(o.ideal_s, 0.045031875, 1e-12);
    assert_near(o.phases, 1022, 0);
    assert_near(o.cs[0].min_rate_gbps, 400, 1e-9);
    /* each GPU's NIC link is busy all the transfer time: 0.039921875 / T */
    assert_near(o.cs[0].level[0].max_util, 0.039921875 / 0.045031875, 1e-9);
    t.collective = CP_COLL_REDUCE_SCATTER;
    run(&f, &r, &t, &o);
    assert_near(o.cs[0].step_s, 0.045031875 / 2, 1e-12);
}

/* The same on a 3-tier fat tree across two pods (8192 GPUs: pods of 64 x 64),
 * a job of 4096 contiguous and scattered over servers of both pods: a
 * non-blocking fabric carries the ring's permutation at line rate wherever
 * the GPUs are.  n = 4096: 2 x 4095/4096 x 0.02 + 8190 x 1 us
 * = 0.039990234375 + 0.00819. */
static void test_ring_three_tier(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=8192"};
    fabric("cluster-16k-h100-pluggable", sets, 1, &f, &r);
    for (int scattered = 0; scattered < 2; scattered++) {
        cp_traffic_spec t = job(4096, CP_COLL_RING_ALLREDUCE, 1e9, 1e-6);
        t.placement = scattered ? CP_PLACE_SCATTERED : CP_PLACE_CONTIGUOUS;
        cp_traffic_result o;
        run(&f, &r, &t, &o);
        assert_near(o.gpus, 4096, 0);
        assert_near(o.cs[0].step_s, 0.039990234375 + 0.00819, 1e-12);
    }
}

/* Tree all-reduce: 2 ceil(log2 n) steps of alpha + S/B.  n = 512: 18 steps,
 * S/B = 0.02 s: 18 x (0.02 + 5 us) = 0.36009 s.  All-to-all: alpha +
 * (n-1)/n S/B = 5 us + 511/512 x 0.02.  Hot spot: 511 GPUs send S into one
 * NIC: alpha + 511 x 0.02 = 10.22 s + 5 us. */
static void test_other_collectives(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=512"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    cp_traffic_result o;
    cp_traffic_spec t = job(512, CP_COLL_TREE_ALLREDUCE, 1e9, 5e-6);
    run(&f, &r, &t, &o);
    assert_near(o.phases, 18, 0);
    assert_near(o.cs[0].step_s, 0.36009, 1e-12);
    t.collective = CP_COLL_ALL_TO_ALL;
    run(&f, &r, &t, &o);
    assert_near(o.cs[0].step_s, 5e-6 + 511.0 / 512 * 0.02, 1e-12);
    t.collective = CP_COLL_HOT_SPOT;
    run(&f, &r, &t, &o);
    assert_near(o.cs[0].step_s, 5e-6 + 511 * 0.02, 1e-9);
}

/* A full-bisection fat tree carries any permutation at line rate: random
 * permutations of 8192 GPUs over two pods, each flow at 400 Gb/s, so the
 * step is alpha + S/B = 0 + 0.02 s whatever the seed. */
static void test_permutation_line_rate(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=8192"};
    fabric("cluster-16k-h100-pluggable", sets, 1, &f, &r);
    for (unsigned long seed = 1; seed <= 3; seed++) {
        cp_traffic_spec t = job(0, CP_COLL_PERMUTATION, 1e9, 0);
        t.seed = seed;
        cp_traffic_result o;
        run(&f, &r, &t, &o);
        assert_near(o.cs[0].min_rate_gbps, 400, 1e-9);
        assert_near(o.cs[0].step_s, 0.02, 1e-12);
    }
}

/* Cross-leaf uniform traffic on a leaf-spine oversubscribed 3:1 (radix 128:
 * 96 down, 32 up; 384 GPUs on 4 leaves, one spine): each GPU sends to the
 * 288 GPUs of the other leaves.  A leaf's 96 GPUs share 32 x 400 Gb/s of
 * uplink, so each GPU gets 400/3 Gb/s across: exactly 1/oversubscription. */
static void test_oversubscribed_uniform(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=384", "fabric.tiers.leaf.oversubscription=3"};
    fabric("cluster-8k-leaf-spine", sets, 2, &f, &r);
    assert_near(r.tier[0].down, 96, 0);
    cp_traffic_net *n = NULL;
    cp_error err = {0};
    assert_int_equal(cp_traffic_net_fabric(&f, &r, 0, &n, &err), 0);
    size_t nf = 384 * 288, k = 0;
    cp_flow *fl = malloc(nf * sizeof *fl);
    double *rate = malloc(nf * sizeof *rate);
    for (unsigned a = 0; a < 384; a++)
        for (unsigned b = 0; b < 384; b++)
            if (a / 96 != b / 96)
                fl[k++] = (cp_flow){a, b};
    for (int per_flow = 0; per_flow < 2; per_flow++) {
        assert_int_equal(cp_traffic_maxmin(n, fl, nf, per_flow, rate, &err), 0);
        double lo = INFINITY, hi = 0;
        for (size_t i = 0; i < nf; i++)
            lo = fmin(lo, rate[i]), hi = fmax(hi, rate[i]);
        assert_near(288 * lo, 400.0 / 3, 1e-9);
        assert_near(288 * hi, 400.0 / 3, 1e-9);
    }
    free(fl);
    free(rate);
    cp_traffic_net_free(n);
}

/* Removing one of s spines cuts cross-leaf capacity by 1/s: 1024 GPUs on 16
 * leaves, 8 spines, each leaf with 8 of its 64 uplinks to each.  Every GPU
 * sends to its counterpart on the next leaf (64 flows per leaf pair) or to
 * all GPUs of the other leaves: healthy each leaf's GPUs get 400 Gb/s
 * across; without spine 0, 56 uplinks: 400 x 7/8 = 350 Gb/s. */
static void test_spine_removed(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=1024"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    assert_near(r.tier[1].switches, 8, 0);
    cp_traffic_net *n = NULL;
    cp_error err = {0};
    assert_int_equal(cp_traffic_net_fabric(&f, &r, 0, &n, &err), 0);
    cp_flow shift[1024];
    double rate[1024];
    for (unsigned a = 0; a < 1024; a++)
        shift[a] = (cp_flow){a, (a + 64) % 1024};
    cp_outage o = switch_out(1, 0);
    for (int down = 0; down < 2; down++) {
        if (down)
            assert_int_equal(cp_traffic_net_outage(n, &o, &err), 0);
        for (int per_flow = 0; per_flow < 2; per_flow++) {
            assert_int_equal(cp_traffic_maxmin(n, shift, 1024, per_flow, rate, &err), 0);
            for (int i = 0; i < 1024; i += 97)
                assert_near(rate[i], down ? 350 : 400, 1e-9);
        }
    }
    /* uniform across leaves (960 destinations each), aggregated */
    size_t nf = 1024 * 960, k = 0;
    cp_flow *fl = malloc(nf * sizeof *fl);
    double *ur = malloc(nf * sizeof *ur);
    for (unsigned a = 0; a < 1024; a++)
        for (unsigned b = 0; b < 1024; b++)
            if (a / 64 != b / 64)
                fl[k++] = (cp_flow){a, b};
    assert_int_equal(cp_traffic_maxmin(n, fl, nf, false, ur, &err), 0);
    assert_near(960 * ur[0], 350, 1e-9);
    assert_near(960 * ur[nf - 1], 350, 1e-9);
    cp_traffic_net_restore(n);
    assert_int_equal(cp_traffic_maxmin(n, fl, nf, false, ur, &err), 0);
    assert_near(960 * ur[nf / 2], 400, 1e-9);
    free(fl);
    free(ur);
    cp_traffic_net_free(n);
}

/* The aggregated model (classes per leaf pair) gives the per-flow model's
 * step and per-level utilisation: all-to-all on an oversubscribed leaf-spine
 * with a spine link out, and a scattered ring across two pods of a fat tree
 * with an aggregation switch and a core link out. */
static void same_models(const cp_fabric_spec *f, const cp_fabric_result *r, cp_traffic_spec *t,
                        double want_min_gbps)
{
    cp_traffic_result a, b;
    t->per_flow = false;
    run(f, r, t, &a);
    t->per_flow = true;
    run(f, r, t, &b);
    for (size_t c = 0; c < a.ncases; c++) {
        assert_true(a.cs[c].step_s > 0 && isfinite(a.cs[c].step_s));
        assert_near(a.cs[c].step_s, b.cs[c].step_s, 1e-12 * b.cs[c].step_s);
        assert_near(a.cs[c].min_rate_gbps, b.cs[c].min_rate_gbps, 1e-9);
        for (size_t l = 1; l < f->ntiers; l++) {
            assert_near(a.cs[c].level[l].max_util, b.cs[c].level[l].max_util, 1e-9);
            assert_near(a.cs[c].level[l].mean_util, b.cs[c].level[l].mean_util, 1e-9);
        }
        assert_near(a.cs[c].level[0].max_util, b.cs[c].level[0].max_util, 1e-9);
        if (want_min_gbps > 0)
            assert_near(b.cs[c].min_rate_gbps, want_min_gbps, 1e-9);
    }
}

static void test_aggregated_equals_per_flow(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=256", "fabric.tiers.leaf.oversubscription=3"};
    fabric("cluster-8k-leaf-spine", sets, 2, &f, &r);
    cp_traffic_spec t = job(0, CP_COLL_ALL_TO_ALL, 1e8, 2e-6);
    t.ncases = 1;
    t.cs[0].nout = 1;
    t.cs[0].out[0] = link_out(1, 5);
    /* leaves of 96, 96 and 64 GPUs with 32, 32 and 22 uplinks (one spine);
     * the last is the bottleneck healthy and with leaf 0 down to 31: its 64
     * GPUs send and receive 64 x 192 flows over 22 x 400 Gb/s, 8800/12288
     * Gb/s each (leaf 0 with 31 links: 12400/15360 is more) */
    same_models(&f, &r, &t, 8800.0 / 12288);
    const char *sets3[] = {"fabric.gpus=4160"}; /* a full pod and one leaf of a second */
    fabric("cluster-16k-h100-pluggable", sets3, 1, &f, &r);
    t = job(2048, CP_COLL_RING_ALLREDUCE, 1e9, 1e-6);
    t.placement = CP_PLACE_SCATTERED;
    t.ncases = 1;
    t.cs[0].nout = 2;
    t.cs[0].out[0] = switch_out(1, 3);
    t.cs[0].out[1] = link_out(2, 10);
    same_models(&f, &r, &t, 0);
}

/* A leaf under replacement cuts its GPUs off: the job is partitioned; a
 * spine drained in a 2-spine leaf-spine halves cross-leaf capacity, which
 * the ring (one flow per leaf boundary, 64 uplinks) does not notice. */
static void test_partition_and_threads(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=256"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    cp_traffic_spec t = job(0, CP_COLL_RING_ALLREDUCE, 1e9, 0);
    t.ncases = 3;
    t.cs[0].nout = 1, t.cs[0].out[0] = switch_out(0, 1);
    t.cs[1].nout = 1, t.cs[1].out[0] = switch_out(1, 0);
    t.cs[2].nout = 1, t.cs[2].out[0] = link_out(0, 7); /* GPU 7's NIC link */
    cp_traffic_result a, b;
    run(&f, &r, &t, &a);
    assert_true(a.cs[1].partitioned);
    assert_true(isinf(a.cs[1].step_s));
    assert_false(a.cs[2].partitioned);
    assert_near(a.cs[2].slowdown, 1, 1e-12);
    assert_near(a.cs[2].links_down, 128, 0); /* a spine of 4 leaves x 32 links */
    assert_true(a.cs[3].partitioned);
    t.threads = 2;
    run(&f, &r, &t, &b);
    assert_memory_equal(a.cs, b.cs, sizeof a.cs); /* the memory estimate counts threads */
    /* the all-to-all notices the spine: a leaf's 64 GPUs send 64 x 192
     * flows across, over 32 uplinks of 400 Gb/s: 400 x 32/(64 x 192) =
     * 400/384 Gb/s each, below their NIC share 400/255 */
    t.collective = CP_COLL_ALL_TO_ALL;
    t.message_bytes = 1e8;
    run(&f, &r, &t, &a);
    assert_near(a.cs[2].min_rate_gbps, 400.0 / 2 / 192, 1e-9);
    assert_near(a.cs[2].step_s, 1e8 / 256 * 8 / (400e9 / 2 / 192), 1e-12);
}

/* Ports and planes.  256 GPUs on 4 leaves of 64 and 2 spines (32 links
 * from each leaf to each spine).  Leaf 0's ports 64..95 are 32 of its 64
 * uplinks (down ports first): however they split over the spines, 32
 * uplinks carry its 64 x 192 cross-leaf all-to-all flows out and 32 links
 * bring them in, 400 x 32 / (64 x 192) = 400/384 Gb/s each, as with a
 * spine out.  Port 0 is GPU 0's link: partitioned.  With 2 planes, plane 1
 * out takes its 256 GPU links and 256 uplinks (512 links) and a NIC port of
 * every GPU: partitioned. */
static void test_ports_and_planes(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=256", "fabric.planes=2"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    cp_traffic_spec t = job(0, CP_COLL_ALL_TO_ALL, 1e8, 0);
    cp_error err = {0};
    t.ncases = 2;
    t.cs[0].nout = t.cs[1].nout = 1;
    assert_int_equal(cp_outage_parse(&f, "port:leaf:0:64", "--fail", &t.cs[0].out[0], &err),
                     0);
    t.cs[0].out[0].count = 32;
    assert_int_equal(cp_outage_parse(&f, "port:0:0:0", "--fail", &t.cs[1].out[0], &err), 0);
    cp_traffic_result o;
    run(&f, &r, &t, &o);
    assert_near(o.cs[1].min_rate_gbps, 400.0 / 384, 1e-9);
    assert_near(o.cs[1].links_down, 32, 0);
    assert_true(o.cs[2].partitioned);
    assert_int_equal(cp_outage_parse(&f, "plane:1", "--fail", &t.cs[0].out[0], &err), 0);
    assert_int_equal(cp_traffic_run(&f, &r, &t, &o, &err), -1); /* one plane so far */
    assert_non_null(strstr(err.msg, "planes 0..0"));
    fabric("cluster-8k-leaf-spine", sets, 2, &f, &r);
    t.ncases = 1;
    run(&f, &r, &t, &o);
    assert_true(o.cs[1].partitioned);
    assert_near(o.cs[1].links_down, 512, 0);
    /* a port beyond the switch's 128, and words that are no outage */
    t.cs[0].out[0] = (cp_outage){.kind = CP_OUT_PORT, .level = 0, .port = 120, .count = 9};
    assert_int_equal(cp_traffic_run(&f, &r, &t, &o, &err), -1);
    assert_non_null(strstr(err.msg, "ports 0..127"));
    assert_int_equal(cp_outage_parse(&f, "port:leaf:0", "--fail", &t.cs[0].out[0], &err), -1);
    assert_int_equal(cp_outage_parse(&f, "plane:-1", "--fail", &t.cs[0].out[0], &err), -1);
}

/* NICs that spray over the ports they have left (nic_failover: spray).
 * 256 GPUs, 2 planes of 4 leaves x 64 GPUs and 64 uplinks (1:1), one
 * 400 Gb/s port per GPU per plane; alpha 0, so a step is bytes / rate.
 * Ring all-reduce: each GPU's one flow per phase goes half over each plane
 * at 400 Gb/s, 800 in all.  Plane 1 out: with spray every flow goes over
 * plane 0 alone at 400, slowdown exactly 2; without, partitioned.  Leaf 4
 * (the first leaf of plane 1) out: its 64 GPUs keep plane 0 only, and so do
 * the flows to and from them: the slowest flow runs at 400, slowdown 2.
 * All-to-all, plane 1 out: each GPU's 255 flows share its plane-0 port,
 * 400/255 Gb/s each (the uplinks would give 400 x 64 / (64 x 192) more),
 * against 2 x 400/255 healthy: slowdown 2 again. */
static void test_nic_spray(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=256", "fabric.planes=2"};
    fabric("cluster-8k-leaf-spine", sets, 2, &f, &r);
    cp_traffic_spec t = job(0, CP_COLL_RING_ALLREDUCE, 1e9, 0);
    t.ncases = 2;
    t.cs[0].nout = t.cs[1].nout = 1;
    t.cs[0].out[0] = (cp_outage){.kind = CP_OUT_PLANE, .index = 1};
    t.cs[1].out[0] = switch_out(0, 4);
    cp_traffic_result o;
    run(&f, &r, &t, &o);
    assert_true(o.cs[1].partitioned); /* no failover */
    assert_true(o.cs[2].partitioned);
    t.nic_spray = true;
    run(&f, &r, &t, &o);
    assert_false(o.cs[1].partitioned);
    assert_near(o.cs[0].min_rate_gbps, 800, 1e-9);
    assert_near(o.cs[1].min_rate_gbps, 400, 1e-9);
    assert_near(o.cs[1].slowdown, 2, 1e-12);
    assert_false(o.cs[2].partitioned);
    assert_near(o.cs[2].slowdown, 2, 1e-12);
    t.collective = CP_COLL_ALL_TO_ALL;
    t.message_bytes = 1e8;
    t.ncases = 1;
    run(&f, &r, &t, &o);
    assert_near(o.cs[0].min_rate_gbps, 2 * 400.0 / 255, 1e-9);
    assert_near(o.cs[1].min_rate_gbps, 400.0 / 255, 1e-9);
    assert_near(o.cs[1].slowdown, 2, 1e-9);
    t.per_flow = true; /* the per-flow model agrees */
    cp_traffic_result q;
    run(&f, &r, &t, &q);
    assert_near(q.cs[1].min_rate_gbps, 400.0 / 255, 1e-9);
    assert_near(q.cs[1].step_s, o.cs[1].step_s, 1e-12 * o.cs[1].step_s);
}

/* A class of the reliability model by kind and tier */
static size_t class_of(const cp_rel_spec *rel, cp_rel_kind kind, int tier)
{
    for (size_t k = 0; k < rel->nclasses; k++)
        if (rel->cls[k].kind == kind && rel->cls[k].tier == tier)
            return k;
    fail_msg("no class of kind %d at tier %d", kind, tier);
    return 0;
}

/* Failures drawn from the reliability model, and fed back.  1536 GPUs on 16
 * leaves of 96 at 3:1 (32 uplinks each, 8 to each of 4 spines).  An all-to-
 * all over all of them: a leaf's 96 GPUs send 96 x 1440 flows across over 32
 * uplinks of 400 Gb/s, 400 x 32 / (96 x 1440) = 0.093 Gb/s each, below the
 * NIC share 400/1535 = 0.26: the uplinks set the step (alpha = 0).
 *  - a spine switch out (its event): 24 uplinks, slowdown 32/24 = 4/3;
 *  - a GPU's cable (level 0 link 0): partitioned;
 *  - a spine's module facing down (ports 0-1 of spine 0: two of its 8
 *    links to leaf 0): the other leaves still split what they send to leaf
 *    0 evenly over the 4 spines (ECMP), so 1/4 of it arrives over spine
 *    0's 6 remaining links instead of 8: slowdown 8/6 = 4/3.
 * Fed back (path_faults: slowdown) with only the spine switch class, at
 * lambda per switch, exponential: 4 switches x lambda x T = 4 lambda 43,800
 * h events in 5 years, each slowing the 1536-GPU training job (no spares)
 * for its repair D = 8 h response + 3 h hands-on = 11 h: lost GPU-hours =
 * 4 lambda 43,800 x 1536 x 11 x (1 - 3/4), and 1536 x 11 / 4 = 4224 GPU-h
 * per event in the simulation. */
static void test_events_feedback(void **state)
{
    (void)state;
    const char *sets[] = {"fabric.gpus=1536", "fabric.tiers.leaf.oversubscription=3",
                          "reliability.workloads.training.path_faults=slowdown",
                          "reliability.workloads.training.spare_share=0"};
    char path[1024], buf[1024];
    snprintf(path, sizeof path, "%s/../scenarios/cluster-8k-leaf-spine.yaml", data_dir());
    cp_fabric_spec f;
    cp_fabric_result r;
    fabric("cluster-8k-leaf-spine", sets, 2, &f, &r);
    cp_rel_spec *rel = calloc(1, sizeof *rel);
    cp_rel_inputs *in = calloc(1, sizeof *in);
    cp_error err = {0};
    if (cp_rel_load(path, cat, sets, 4, rel, in, &err) ||
        cp_rel_classes_build(&f, &r, in, rel, &err)) {
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
    assert_true(rel->job.path_slowdown);
    /* without the traffic model's slowdowns the model refuses to run */
    cp_rel_replica rep;
    assert_int_equal(cp_rel_expected(rel, &rep, &err), -1);
    assert_non_null(strstr(err.msg, "path_faults"));
    cp_traffic_spec t = job(0, CP_COLL_ALL_TO_ALL, 1e8, 0);
    if (cp_traffic_rel_slowdowns(&f, &r, &t, rel, &err)) {
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
    size_t sw = class_of(rel, CP_REL_SWITCH, 1), md = class_of(rel, CP_REL_MODULE, 1);
    assert_near(rel->cls[sw].slowdown, 4.0 / 3, 1e-9);
    assert_near(rel->cls[md].slowdown, 4.0 / 3, 1e-9);
    assert_int_equal(rel->cls[md].level, 1); /* facing down: the ports of the spine */
    assert_true(isinf(rel->cls[class_of(rel, CP_REL_CABLE_COPPER, -1)].slowdown));
    /* only the spine switches, exponential, a rate that gives many events */
    rel->cls[0] = rel->cls[sw];
    rel->nclasses = 1;
    rel->cls[0].shape = 1, rel->cls[0].fail_per_h = 1e-4;
    double events = 4 * 1e-4 * 5 * 8760, per = 1536 * 11 * (1 - 3.0 / 4);
    assert_int_equal(cp_rel_expected(rel, &rep, &err), 0);
    assert_near(rep.failures[0], events, 1e-9 * events);
    assert_near(rep.lost_gpu_h, events * per, 1e-6 * events * per);
    assert_near(rep.interruptions, 0, 0);
    rel->replicas = 20;
    cp_rel_summary sum;
    assert_int_equal(cp_rel_simulate(rel, NULL, NULL, &sum, &err), 0);
    /* per event exactly, but for a repair cut by the horizon */
    assert_between(sum.lost_gpu_h.mean / sum.failures[0].mean, 0.995 * per, per + 1e-9);
    assert_near(sum.interruptions.mean, 0, 0);
    /* slowdowns are a training job's: an inference workload asking is an error */
    const char *bad[] = {"reliability.workloads.inference.path_faults=slowdown"};
    assert_int_equal(cp_rel_load(path, cat, bad, 1, rel, in, &err), -1);
    assert_non_null(strstr(err.msg, "is inference"));
    free(rel);
    free(in);
}

/* Link use per tier.  256 GPUs on 4 leaves, 2 spines, 32 links from each
 * leaf to each spine; a ring all-reduce (alpha 0): in every step one flow
 * leaves each leaf at the NIC's 400 Gb/s, split evenly over its 64 uplinks
 * and down the 32 links from each spine to the next leaf, so every
 * leaf-spine link carries 400/64 Gb/s for the whole step: busy 1/64.  The
 * grid: 2 columns (the spines), 8 rows of 16 of their 128 down ports.  With
 * spine 1 out the flows take spine 0's 32 links: 1/32 there, 0 on spine 1.
 * The picture of it is an SVG. */
static void test_link_use(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=256"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    cp_traffic_spec t = job(0, CP_COLL_RING_ALLREDUCE, 1e9, 0);
    t.ncases = 1;
    t.cs[0].nout = 1, t.cs[0].out[0] = switch_out(1, 1);
    cp_traffic_heat h;
    cp_error err = {0};
    for (size_t which = 0; which < 2; which++) {
        assert_int_equal(cp_traffic_link_use(&f, &r, &t, which, &h, &err), 0);
        assert_int_equal(h.nx, 2);
        assert_int_equal(h.ny, 8);
        assert_string_equal(h.row[7], "spine 112-127");
        for (size_t j = 0; j < h.ny; j++) {
            assert_near(h.z[j * 2], which ? 1.0 / 32 : 1.0 / 64, 1e-12);
            assert_near(h.z[j * 2 + 1], which ? 0 : 1.0 / 64, 1e-12);
        }
        char *svg = NULL;
        size_t len = 0;
        assert_int_equal(cp_traffic_heatmap(&h, "svg", &svg, &len, &err), 0);
        assert_non_null(strstr(svg, "<svg"));
        free(svg);
        cp_traffic_heat_free(&h);
    }
    t.cs[0].out[0] = switch_out(0, 0); /* leaf 0 out: partitioned, nothing to show */
    assert_int_equal(cp_traffic_link_use(&f, &r, &t, 1, &h, &err), -1);
    assert_non_null(strstr(err.msg, "partitions"));
}

/* Inputs that name nothing are errors at their origin. */
static void test_bad_outage(void **state)
{
    (void)state;
    cp_fabric_spec f;
    cp_fabric_result r;
    const char *sets[] = {"fabric.gpus=256"};
    fabric("cluster-8k-leaf-spine", sets, 1, &f, &r);
    cp_traffic_spec t = job(0, CP_COLL_RING_ALLREDUCE, 1e9, 0);
    t.ncases = 1;
    t.cs[0].nout = 1, t.cs[0].out[0] = link_out(1, 256);
    strcpy(t.cs[0].out[0].file, "x.yaml");
    t.cs[0].out[0].line = 7, t.cs[0].out[0].col = 9;
    cp_traffic_result o;
    cp_error err = {0};
    assert_int_equal(cp_traffic_run(&f, &r, &t, &o, &err), -1);
    assert_int_equal(err.line, 7);
    assert_non_null(strstr(err.msg, "links 0..255"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maxmin_four_flows),
        cmocka_unit_test(test_ring_allreduce_closed_form),
        cmocka_unit_test(test_ring_three_tier),
        cmocka_unit_test(test_other_collectives),
        cmocka_unit_test(test_permutation_line_rate),
        cmocka_unit_test(test_oversubscribed_uniform),
        cmocka_unit_test(test_spine_removed),
        cmocka_unit_test(test_aggregated_equals_per_flow),
        cmocka_unit_test(test_partition_and_threads),
        cmocka_unit_test(test_bad_outage),
        cmocka_unit_test(test_ports_and_planes),
        cmocka_unit_test(test_nic_spray),
        cmocka_unit_test(test_events_feedback),
        cmocka_unit_test(test_link_use),
    };
    return cmocka_run_group_tests_name("traffic", tests, setup, teardown);
}
