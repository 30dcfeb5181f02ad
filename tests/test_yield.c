/* test_yield.c — fibre-attach coupling, package yield Monte Carlo, cost of a
 * good unit: against closed forms derived by hand (in the comments). */
#include "testutil.h"

#include <string.h>

#define LN10_DB 4.342944819032518 /* 10 / ln 10 */

static cp_mode_pair equal_modes(double mfd_um)
{
    return (cp_mode_pair){mfd_um, mfd_um, 1.31, 1.0};
}

/* Equal mode fields of diameter w: a lateral offset d costs
 * 10 log10(e) (2d/w)^2 = 4.343 (2d/w)^2 dB (Marcuse 1977).  1 dB at
 * d = (w/2) sqrt(1/4.343) = 0.23992 w: 2.4952 um for 10.4 um (SMF-28 at
 * 1550 nm), 1.1996 um for 5 um and 0.7198 um for 3 um (a bare spot-size
 * converter). */
static void test_offset_1db(void **state)
{
    (void)state;
    const double mfd[3] = {10.4, 5.0, 3.0}, d1[3] = {2.4952335, 1.1996315, 0.7197789};
    for (int i = 0; i < 3; i++) {
        cp_mode_pair c = equal_modes(mfd[i]);
        assert_near(cp_coupling_loss_db(&c, d1[i], 0, 0), 1.0, 1e-6);
        assert_near(cp_coupling_offset_for_db(&c, 1.0), d1[i], 1e-6);
    }
    /* 1 um on a 10 um mode field: 4.343 * (2/10)^2 = 0.17372 dB */
    cp_mode_pair c = equal_modes(10.0);
    assert_near(cp_coupling_loss_db(&c, 1.0, 0, 0), 0.173718, 1e-6);
    assert_near(cp_coupling_eff(&c, 1.0, 0, 0), exp(-0.04), 1e-12); /* exp(-(d/w0)^2) */
}

/* Tilt, equal modes w0 = 5.2 um, n = 1, 1310 nm, 1 degree:
 * 4.343 (pi n w0 theta / lambda)^2 = 4.343 (pi 5.2 0.0174533 / 1.31)^2
 * = 4.343 * 0.21765^2 = 0.20573 dB.
 * Gap 10 um: Z = lambda z / (2 pi n w0^2) = 13.1 / 169.90 = 0.077104,
 * 10 log10(1 + Z^2) = 0.025743 dB.
 * Mismatch 3 vs 10.4 um: (2 w1 w2 / (w1^2 + w2^2))^2 = (15.6/29.29)^2
 * = 0.28367 -> 5.4719 dB. */
static void test_tilt_gap_mismatch(void **state)
{
    (void)state;
    cp_mode_pair c = equal_modes(10.4);
    assert_near(cp_coupling_loss_db(&c, 0, M_PI / 180.0, 0), 0.2057325, 1e-6);
    assert_near(cp_coupling_loss_db(&c, 0, 0, 10.0), 0.0257434, 1e-6);
    cp_mode_pair m = {3.0, 10.4, 1.31, 1.0};
    assert_near(cp_coupling_loss_db(&m, 0, 0, 0), 5.4718955, 1e-6);
    /* in epoxy (n = 1.5) a gap costs less: Z / 1.5 */
    cp_mode_pair e = {10.4, 10.4, 1.31, 1.5};
    assert_near(cp_coupling_loss_db(&e, 0, 0, 10.0),
                10 * log10(1 + pow(0.0771038 / 1.5, 2)), 1e-6);
}

/* A spec where the only randomness is the lateral offset per fibre:
 * sigma = 0.5 um per axis, 10 um modes, a = 4.343 * 2 / (25 + 25) dB/um^2
 * = 0.173718, so a r^2 is exponential with mean mu = 2 a sigma^2 = 0.086859
 * dB; the margin m = 5 mu makes x = m / mu = 5. */
static cp_yield_spec lanes_only(double lanes, double spares, double engines)
{
    cp_yield_spec s = {0};
    s.engines = engines;
    s.lanes = lanes;
    s.spare_lanes = spares;
    s.lanes_per_laser = 1;
    s.coupling = equal_modes(10.0);
    s.process.lateral_sigma_um = 0.5;
    s.margin_db = 5 * 2 * (LN10_DB * 2 / 50) * 0.25;
    s.asic_yield = s.substrate_yield = s.engine_bond_yield = 1;
    s.packages = 100000;
    s.seed = 7;
    return s;
}

/* A lane fails when its Rx coupling (Exp(mu) > m: e^-x) or its Tx path
 * (laser input + output, Gamma(2, mu) > m: e^-x (1 + x)) does:
 *   q = 1 - (1 - 6 e^-5)(1 - e^-5) = 0.0468932.
 * Independent lanes: an engine of 8 yields (1 - q)^8 = 0.680977, a package
 * of 2 engines (1 - q)^16 = 0.463730; with one spare lane (9 lanes, <= 1
 * failure): (1-q)^9 + 9 q (1-q)^8 = 0.936443.  1e5 packages: sd of a yield
 * <= 0.0016, tolerance 4 sd. */
static void test_binomial_lanes(void **state)
{
    (void)state;
    cp_yield_result y;
    cp_error err = {0};
    cp_yield_spec s = lanes_only(8, 0, 2);
    assert_int_equal(cp_yield_run(&s, 2, &y, &err), 0);
    assert_near(y.p_coupling_fail, exp(-5.0), 1e-9);
    assert_near(y.engine_yield, 0.680977, 0.006);
    assert_near(y.package_yield, 0.463730, 0.0064);
    assert_true(y.package_yield_lo < 0.463730 && 0.463730 < y.package_yield_hi);
    s = lanes_only(8, 1, 1);
    assert_int_equal(cp_yield_run(&s, 2, &y, &err), 0);
    assert_near(y.engine_yield, 0.936443, 0.004);
}

/* No coupling loss (sigma 0): n = 8 engines bonded with yield y = 0.9 and an
 * ASIC of yield a = 0.95 give a y^n = 0.95 * 0.43046721 = 0.408944 without
 * rework (sd 0.0016 at 1e5 packages). */
static void test_ayn(void **state)
{
    (void)state;
    cp_yield_spec s = lanes_only(64, 0, 8);
    s.process.lateral_sigma_um = 0;
    s.asic_yield = 0.95;
    s.engine_bond_yield = 0.9;
    cp_yield_result y;
    cp_error err = {0};
    assert_int_equal(cp_yield_run(&s, 2, &y, &err), 0);
    assert_near(y.package_yield, 0.408944, 0.0064);
    assert_near(y.engine_yield, 1.0, 0);
    assert_near(y.pluggable_package_yield, 0.95, 1e-12);
}

/* Rework: an engine that fails its attach (first-pass yield f = 0.680977
 * from test_binomial_lanes) is redone once: yield 1 - (1 - f)^2 = 0.898224,
 * attaches per engine 1 + (1 - f) = 1.319023. */
static void test_rework(void **state)
{
    (void)state;
    cp_yield_spec s = lanes_only(8, 0, 1);
    s.process.rework_max = 1;
    cp_yield_result y;
    cp_error err = {0};
    assert_int_equal(cp_yield_run(&s, 2, &y, &err), 0);
    assert_near(y.engine_first_pass, 0.680977, 0.006);
    assert_near(y.engine_yield, 0.898224, 0.004);
    assert_near(y.attaches_per_engine, 1.319023, 0.006);
}

/* One package per stream: 1 and 2 threads give the same counts. */
static void test_threads_identical(void **state)
{
    (void)state;
    cp_yield_spec s = lanes_only(64, 2, 16);
    s.packages = 20000;
    s.process.tilt_sigma_deg = 0.1;
    s.process.gap_mean_um = 5;
    s.process.gap_sigma_um = 2;
    cp_yield_result a, b;
    cp_error err = {0};
    assert_int_equal(cp_yield_run(&s, 1, &a, &err), 0);
    assert_int_equal(cp_yield_run(&s, 2, &b, &err), 0);
    assert_true(a.package_yield == b.package_yield);
    assert_true(a.attaches_per_engine == b.attaches_per_engine);
    assert_true(a.engine_yield == b.engine_yield);
}

static void test_bad_spec(void **state)
{
    (void)state;
    cp_yield_spec s = lanes_only(8, 0, 1);
    cp_yield_result y;
    cp_error err = {0};
    s.packages = 2e9;
    assert_int_equal(cp_yield_run(&s, 1, &y, &err), -1);
    s = lanes_only(8, 0, 1);
    s.asic_yield = NAN;
    assert_int_equal(cp_yield_run(&s, 1, &y, &err), -1);
    s = lanes_only(8, 0, 1);
    s.margin_db = NAN;
    assert_int_equal(cp_yield_run(&s, 1, &y, &err), -1);
}

/* Cost of a good unit by hand:
 *   good engine  = (90 + 10) / 0.8 = 125
 *   attach       = 20 + (1.5 - 1) 30 = 35 per engine
 *   started pkg  = 1000 + 100 + 50 + 50 + 4 (125 + 35) = 1840
 *   good package = 1840 / 0.8 = 2300; switch = 2300 + 700 = 3000
 *   per port     = (3000 + 1e6 / 1000) / 10 = 400
 *   pluggable    = 1200 / 0.9 + 500 + 10 * 300 = 4833.33, per port 483.333
 *   crossover    = (1e6 - 0) / (4833.33 - 3000) = 545.45 switches */
static void test_unit_cost(void **state)
{
    (void)state;
    cp_mfg m = {0};
    m.parts = (cp_package_parts){.asic_yield = 0.9, .substrate_yield = 1,
                                 .engine_die_yield = 0.8, .asic_usd = 1000,
                                 .substrate_usd = 100, .engine_usd = 90,
                                 .engine_test_usd = 10, .package_assembly_usd = 50,
                                 .package_test_usd = 50, .switch_other_usd = 700,
                                 .pluggable_other_usd = 500, .module_usd = 300,
                                 .rd_usd = 1e6};
    m.process.attach_cost_usd = 20;
    m.process.rework_cost_usd = 30;
    cp_yield_spec s = {.engines = 4};
    cp_yield_result y = {.package_yield = 0.8, .attaches_per_engine = 1.5};
    cp_unit_cost c;
    cp_error err = {0};
    assert_int_equal(cp_unit_cost_eval(&m, &s, &y, 10, 1000, &c, &err), 0);
    assert_near(c.good_engine_usd, 125, 1e-9);
    assert_near(c.started_package_usd, 1840, 1e-9);
    assert_near(c.good_package_usd, 2300, 1e-9);
    assert_near(c.cpo_switch_usd, 3000, 1e-9);
    assert_near(c.cpo_port_usd, 400, 1e-9);
    assert_near(c.pluggable_port_usd, 483.333333, 1e-5);
    assert_near(c.crossover_volume, 545.454545, 1e-5);
    y.package_yield = 0;
    assert_int_equal(cp_unit_cost_eval(&m, &s, &y, 10, 1000, &c, &err), -1);
}

/* A one-group design to which requirement r applies, its quantity at v. */
static void design_for(const cp_requirement *r, double v, cp_design *d, cp_result *res)
{
    memset(d, 0, sizeof *d);
    memset(res, 0, sizeof *res);
    d->ngroups = res->ngroups = 1;
    cp_port_group *pg = &d->group[0];
    pg->media = r->media >= 0 ? (cp_media)r->media : CP_MEDIA_CPO;
    pg->speed_gbps = r->port_speed_gbps > 0 ? r->port_speed_gbps : 800;
    pg->link.lane_rate_gbps = r->lane_rate_gbps > 0 ? r->lane_rate_gbps : 100;
    pg->link.lanes_per_fiber = 1;
    pg->laser.external = true;
    d->nserdes = 1;
    snprintf(d->serdes[0].cls, sizeof d->serdes[0].cls, "%s",
             r->serdes_class[0] ? r->serdes_class : "LR");
    d->serdes[0].lane_rate_gbps = pg->link.lane_rate_gbps;
    res->group[0].channel.serdes_index = 0;
    switch (r->quantity) {
    case CP_REQ_HOST_LOSS_DB: res->group[0].channel.loss_db = v; break;
    case CP_REQ_OPTICAL_IL_DB: res->group[0].link.channel_loss_db = v; break;
    case CP_REQ_OPTICAL_REACH_M: pg->link.length_m = v; break;
    case CP_REQ_OPTICAL_MARGIN_DB: res->group[0].link.margin_db = v; break;
    default: pg->laser.output_power_dbm = v;
    }
}

static const cp_check *check_of(const cp_compliance *c, int req)
{
    for (size_t i = 0; i < c->n; i++)
        if (c->c[i].req == req)
            return &c->c[i];
    return NULL;
}

/* Every rule of data/requirements.yaml: at its limit it passes with margin
 * 0; 0.01 beyond it (above a max, below a min) it fails with margin -0.01;
 * NaN fails. */
static void test_comply_each_rule_at_limit(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_requirements q;
    cp_error err = {0};
    assert_int_equal(cp_requirements_load(data_dir(), cat, &q, &err), 0);
    assert_true(q.n >= 16);
    cp_design *d = malloc(sizeof *d);
    cp_result *res = malloc(sizeof *res);
    cp_compliance *c = malloc(sizeof *c);
    for (size_t i = 0; i < q.n; i++) {
        const cp_requirement *r = &q.r[i];
        if (r->quantity == CP_REQ_BLOCK_TEMP_C)
            continue; /* a package's blocks: test_comply_thermal_at_limit */
        double beyond = r->at_most ? r->limit + 0.01 : r->limit - 0.01;
        design_for(r, r->limit, d, res);
        cp_comply(d, res, &q, c);
        const cp_check *k = check_of(c, (int)i);
        assert_non_null(k);
        assert_true(k->pass);
        assert_near(k->margin, 0, 1e-12);
        design_for(r, beyond, d, res);
        cp_comply(d, res, &q, c);
        k = check_of(c, (int)i);
        assert_non_null(k);
        if (k->pass)
            print_error("requirement %s passes beyond its limit\n", r->name);
        assert_false(k->pass);
        assert_near(k->margin, -0.01, 1e-9);
        design_for(r, NAN, d, res);
        cp_comply(d, res, &q, c);
        assert_false(check_of(c, (int)i)->pass);
    }
    free(d);
    free(res);
    free(c);
    cp_catalog_free(cat);
}

/* Bailly: the ELSFP fibre carries 20 dBm (elsfp-summary, 100 mW) against
 * the Class 1 limit of 10 dBm of data/requirements.yaml: fails by 10 dB, the
 * only failure; its DR8 lane's fibre + connections sum to the 3.0 dB the
 * PMD allows (tia-fotc-dr8), so that rule passes at margin 0. */
static void test_comply_bailly(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_design d;
    cp_result r;
    eval_preset(cat, "bailly-51t", NULL, 0, &d, &r);
    cp_requirements q;
    cp_error err = {0};
    assert_int_equal(cp_requirements_load(data_dir(), cat, &q, &err), 0);
    cp_compliance c;
    cp_comply(&d, &r, &q, &c);
    assert_int_equal(c.failed, 1);
    for (size_t i = 0; i < c.n; i++) {
        const cp_requirement *req = &q.r[c.c[i].req];
        if (req->quantity == CP_REQ_EYE_SAFETY_DBM) {
            assert_false(c.c[i].pass);
            assert_near(c.c[i].margin, -10.0, 1e-9);
        }
        if (!strcmp(req->name, "800gbase-dr8-il"))
            assert_near(c.c[i].value, 3.0, 1e-9);
    }
    cp_catalog_free(cat);
}


/* The block temperatures of data/requirements.yaml (part_limit: each block's
 * own rating) on a hand-made solved package of three blocks: an ASIC rated
 * 105 C, an engine rated 85 C, a laser without a rating (limit_c 0).  At its
 * rating a block passes with margin 0 (105 - 105); 0.01 K above it fails
 * with margin -0.01; NaN fails; the unrated laser gets no check.  A fixed
 * limit (90 C for engines) takes the requirement's limit: 90 - 85 = +5 K. */
static void test_comply_thermal_at_limit(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_requirements q;
    cp_error err = {0};
    assert_int_equal(cp_requirements_load(data_dir(), cat, &q, &err), 0);
    cp_tblock blk[3] = {{.name = "core", .kind = "asic", .limit_c = 105},
                        {.name = "oe", .kind = "oe", .limit_c = 85},
                        {.name = "ls", .kind = "laser", .limit_c = 0}};
    cp_thermal_spec t = {.nblocks = 3, .block = blk};
    cp_block_temp bt[3] = {{.max_c = 105}, {.max_c = 85}, {.max_c = 500}};
    cp_thermal_result tr = {.nblocks = 3, .block = bt};
    cp_compliance *c = calloc(1, sizeof *c);
    cp_comply_thermal(&t, &tr, &q, c);
    assert_int_equal(c->n, 2); /* asic and oe: the laser has no rating */
    assert_int_equal(c->failed, 0);
    for (size_t i = 0; i < c->n; i++) {
        assert_near(c->c[i].margin, 0, 1e-12);
        assert_int_equal(c->c[i].group, -1);
        assert_near(c->c[i].limit, c->c[i].block == 0 ? 105 : 85, 0);
    }
    assert_near(cp_compliance_worst_margin(c, &q, CP_REQ_BLOCK_TEMP_C), 0, 1e-12);
    assert_true(isinf(cp_compliance_worst_margin(c, &q, CP_REQ_HOST_LOSS_DB)));
    bt[0].max_c = 105.01;
    memset(c, 0, sizeof *c);
    cp_comply_thermal(&t, &tr, &q, c);
    assert_int_equal(c->failed, 1);
    assert_int_equal(c->c[0].block, 0);
    assert_false(c->c[0].pass);
    assert_near(c->c[0].margin, -0.01, 1e-9);
    bt[0].max_c = NAN;
    memset(c, 0, sizeof *c);
    cp_comply_thermal(&t, &tr, &q, c);
    assert_int_equal(c->failed, 1);
    assert_true(isnan(cp_compliance_worst_margin(c, &q, CP_REQ_BLOCK_TEMP_C)));
    cp_requirements fixed = {.n = 1};
    fixed.r[0] = (cp_requirement){.quantity = CP_REQ_BLOCK_TEMP_C, .at_most = true,
                                  .limit = 90, .block_kind = "oe"};
    memset(c, 0, sizeof *c);
    cp_comply_thermal(&t, &tr, &fixed, c);
    assert_int_equal(c->n, 1);
    assert_near(c->c[0].margin, 5, 1e-12);
    free(c);
    cp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_offset_1db),
        cmocka_unit_test(test_tilt_gap_mismatch),
        cmocka_unit_test(test_binomial_lanes),
        cmocka_unit_test(test_ayn),
        cmocka_unit_test(test_rework),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_bad_spec),
        cmocka_unit_test(test_unit_cost),
        cmocka_unit_test(test_comply_each_rule_at_limit),
        cmocka_unit_test(test_comply_bailly),
        cmocka_unit_test(test_comply_thermal_at_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
