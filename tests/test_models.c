/*
 * test_models.c — every model formula against a hand-derived value: the
 * expected numbers are literals worked out in the comments, never the
 * implementation's formula evaluated again.
 */
#include "testutil.h"

/* --- optical units and modulation ------------------------------------- */

static void test_dbm(void **state)
{
    (void)state;
    assert_near(cp_dbm_to_w(0), 1e-3, 1e-15);
    assert_near(cp_dbm_to_w(20), 0.1, 1e-12);
    assert_near(cp_w_to_dbm(2e-3), 3.0103, 1e-4);
}

static void test_oma_from_avg(void **state)
{
    (void)state;
    /* ER 3.5 dB: r = 2.2387; 2(r-1)/(r+1) = 0.76481 -> -1.1645 dB */
    assert_near(cp_oma_from_avg_dbm(0, 3.5), -1.1645, 1e-3);
    /* infinite ER -> OMA = 2 Pavg = +3.0103 dB */
    assert_near(cp_oma_from_avg_dbm(0, 60), 3.0103, 1e-3);
}

static void test_pam4_ber(void **state)
{
    (void)state;
    /* BER = 0.75 Q(q); Q(3) = 1.3499e-3 */
    assert_near(cp_pam4_ber(3.0), 0.75 * 1.349898e-3, 1e-9);
    /* inverse round trip at the KP4 threshold */
    double q = cp_pam4_q_for_ber(2.4e-4);
    assert_near(cp_pam4_ber(q), 2.4e-4, 1e-12);
    assert_near(q, 3.41407, 1e-4); /* Qinv(3.2e-4), Python statistics.NormalDist */
}

static void test_sensitivity_from_noise(void **state)
{
    (void)state;
    /* OMA = 6 q sigma / R: sigma 2 uA, R 0.8 A/W, BER 2.4e-4 (q 3.41407)
     * -> 6 x 3.41407 x 2e-6 / 0.8 = 51.211 uW -> 10 log10(0.051211) =
     * -12.906 dBm */
    assert_near(cp_sensitivity_oma_dbm(2e-6, 0.8, 2.4e-4), -12.906, 1e-3);
    /* sigma x 10 is 10 dB less sensitive */
    assert_near(cp_sensitivity_oma_dbm(2e-5, 0.8, 2.4e-4), -2.906, 1e-3);
}

/* --- electrical channel -------------------------------------------------- */

static void test_segment_fit(void **state)
{
    (void)state;
    cp_segment s = {.per_mm = true, .length_mm = 100, .loss_db_26g = 0.033,
                    .loss_db_53g = 0.067};
    /* the fit passes through both anchor points */
    assert_near(cp_segment_loss_db(&s, 26.5625), 3.3, 1e-9);
    assert_near(cp_segment_loss_db(&s, 53.125), 6.7, 1e-9);
    /* pure dielectric loss (L2 = 2 L1) is linear in f: half at 13.28 GHz */
    cp_segment d = {.per_mm = false, .loss_db_26g = 1.0, .loss_db_53g = 2.0};
    assert_near(cp_segment_loss_db(&d, 13.28125), 0.5, 1e-9);
    /* pure skin effect (L2 = sqrt2 L1) scales with sqrt(f) */
    cp_segment c = {.per_mm = false, .loss_db_26g = 1.0, .loss_db_53g = sqrt(2.0)};
    assert_near(cp_segment_loss_db(&c, 4 * 26.5625), 2.0, 1e-9);
}

static void test_nyquist(void **state)
{
    (void)state;
    assert_near(cp_nyquist_ghz(106.25, 2), 26.5625, 1e-12);
    assert_near(cp_nyquist_ghz(212.5, 2), 53.125, 1e-12);
}

static cp_serdes mk(const char *name, double budget, double pj, double reach)
{
    cp_serdes s = {.lane_rate_gbps = 100, .line_rate_gbps = 106.25,
                   .energy_pj_per_bit = pj, .loss_budget_db = budget,
                   .reach_mm = reach};
    snprintf(s.name, sizeof s.name, "%s", name);
    return s;
}

static void test_channel_selection(void **state)
{
    (void)state;
    cp_serdes cls[] = {mk("lr", 35, 5.5, 1000), mk("vsr", 16, 2.5, 300),
                       mk("xsr", 10, 1.1, 50)};
    cp_channel ch = {.nseg = 2, .margin_db = 2};
    ch.seg[0] = (cp_segment){.per_mm = true, .length_mm = 200,
                             .loss_db_26g = 0.04, .loss_db_53g = 0.08};
    ch.seg[1] = (cp_segment){.per_mm = false, .loss_db_26g = 1.0, .loss_db_53g = 2.0};
    cp_channel_result r;
    cp_channel_eval(&ch, 100, cls, 3, NULL, &r);
    /* 200 x 0.04 + 1.0 = 9 dB; +2 margin = 11 > XSR 10 -> VSR */
    assert_near(r.loss_db, 9.0, 1e-9);
    assert_int_equal(r.serdes_index, 1);
    assert_true(r.closes);
    /* 2.5 pJ/bit x 106.25 Gb/s = 0.265625 W per lane */
    assert_near(r.serdes_w_per_lane, 0.265625, 1e-12);
    /* VSR budget 16 dB - 9 dB loss - 2 dB margin */
    assert_near(r.budget_margin_db, 5.0, 1e-9);
    /* a short route fits XSR's budget and reach */
    ch.seg[0].length_mm = 20;
    cp_channel_eval(&ch, 100, cls, 3, NULL, &r);
    assert_int_equal(r.serdes_index, 2);
    /* 30 dB + 2 > 16 and within LR's reach: LR */
    ch.seg[0].length_mm = 725;
    cp_channel_eval(&ch, 100, cls, 3, NULL, &r);
    assert_near(r.loss_db, 30.0, 1e-9);
    assert_int_equal(r.serdes_index, 0);
}

static void test_channel_retimer(void **state)
{
    (void)state;
    cp_serdes cls[] = {mk("lr", 35, 5.5, 1000), mk("vsr", 16, 2.5, 300)};
    cp_retimer rt = {.lane_rate_gbps = 100, .energy_pj_per_bit = 3.4};
    cp_channel ch = {.nseg = 1, .margin_db = 0};
    ch.seg[0] = (cp_segment){.per_mm = true, .length_mm = 1000,
                             .loss_db_26g = 0.04, .loss_db_53g = 0.08};
    cp_channel_result r;
    /* 40 dB: beyond LR without a retimer */
    cp_channel_eval(&ch, 100, cls, 2, NULL, &r);
    assert_false(r.closes);
    assert_int_equal(r.serdes_index, 0);
    /* with a retimer: two 20 dB hops over 500 mm -> LR each, + retimer */
    cp_channel_eval(&ch, 100, cls, 2, &rt, &r);
    assert_true(r.closes);
    assert_int_equal(r.retimers, 1);
    assert_int_equal(r.serdes_index, 0);
    /* 3.4 pJ/bit x 106.25 Gb/s = 0.36125 W per lane */
    assert_near(r.retimer_w_per_lane, 0.36125, 1e-12);
    /* no SerDes at the lane rate at all */
    cp_channel_eval(&ch, 200, cls, 2, &rt, &r);
    assert_false(r.closes);
    assert_int_equal(r.serdes_index, -1);
}

/* --- optical link budget ---------------------------------------------------- */

static cp_link dr8(void)
{
    return (cp_link){.lane_rate_gbps = 100, .tx_oma_dbm = 1.2, .tdecq_db = 3.4,
                     .fiber_db_per_km = 0.5, .length_m = 500, .connectors = 1,
                     .connector_loss_db = 2.75, .other_penalty_db = 0.1,
                     .rx_sensitivity_oma_dbm = -5.3, .target_ber = 2.4e-4,
                     .lanes_per_fiber = 1};
}

static void test_dr8_budget(void **state)
{
    (void)state;
    /* IEEE 802.3df/bs: power budget 6.5 dB = 3.0 dB channel (0.25 fibre +
     * 2.75 connections) + 3.5 dB penalties; margin exactly 0 */
    cp_link l = dr8();
    cp_link_result r;
    cp_link_eval_tx(&l, &r);
    assert_near(r.channel_loss_db, 3.0, 1e-12);
    assert_near(l.tx_oma_dbm - l.rx_sensitivity_oma_dbm, 6.5, 1e-12);
    assert_near(r.penalties_db, 3.5, 1e-12);
    assert_near(r.margin_db, 0.0, 1e-12);
    assert_near(r.ber, 2.4e-4, 1e-12);
    assert_true(r.closes);
    /* 100 m more fibre costs 0.05 dB and the link no longer closes */
    l.length_m = 600;
    cp_link_eval_tx(&l, &r);
    assert_near(r.margin_db, -0.05, 1e-12);
    assert_false(r.closes);
    assert_true(r.ber > 2.4e-4);
}

static void test_datasheet_pair(void **state)
{
    (void)state;
    /* DR8 datasheet Tx at TDECQ 3.4 dB: OMA >= -2.2 + 3.4 = 1.2 dBm; FR4
     * datasheet Rx: sensitivity max(-4.6, SECQ - 6.0) = -2.6 dBm at SECQ 3.4
     * (stressed: the Tx penalty is inside).  Over 3.0 dB: margin 0.8 dB. */
    cp_link l = dr8();
    l.tdecq_db = 0;
    l.other_penalty_db = 0;
    l.rx_sensitivity_oma_dbm = fmax(-4.6, 3.4 - 6.0);
    cp_link_result r;
    cp_link_eval_tx(&l, &r);
    assert_near(r.margin_db, 0.8, 1e-12);
    assert_near(r.laser_min_dbm, 0.4, 1e-12); /* min Tx OMA that closes */
}

static void test_cpo_tx_and_laser(void **state)
{
    (void)state;
    cp_engine e = {.coupler_loss_db = 1.5, .lanes_per_laser = 4,
                   .splitter_excess_db = 0.6};
    e.mod.insertion_loss_db = 7.0;
    e.mod.extinction_ratio_db = 3.5;
    /* 20 - 1.5 - 6.0206 - 0.6 - 7 - 1.5 = 3.3794 dBm avg; OMA -1.1645 dB */
    assert_near(cp_engine_tx_oma_dbm(&e, 20), 3.3794 - 1.1645, 1e-3);
    cp_laser la = {.output_power_dbm = 20, .wall_plug_efficiency = 0.1,
                   .lasers_per_module = 8, .module_overhead_w = 0.5};
    cp_link l = dr8();
    l.rx_sensitivity_oma_dbm = -7.0;
    cp_link_result r;
    cp_link_eval_cpo(&l, &e, &la, &r);
    /* Rx at PD = Tx OMA - 3.0 channel - 1.5 Rx coupler:
     * 3.3794 - 1.1645 - 3.0 - 1.5 = -2.2851 dBm;
     * margin = Rx - 3.5 penalties - (-7.0 sensitivity) = 1.2149 dB */
    assert_near(r.rx_oma_dbm, -2.2851, 1e-3);
    assert_near(r.margin_db, 1.2149, 1e-3);
    /* every laser dB reaches the Rx: the laser can drop by the margin,
     * 20 - 1.2149 = 18.7851 dBm */
    assert_near(r.laser_min_dbm, 18.7851, 1e-3);
    la.output_power_dbm = r.laser_min_dbm;
    cp_link_eval_cpo(&l, &e, &la, &r);
    assert_near(r.margin_db, 0.0, 1e-9);
    /* laser electrical power: 9 lasers x 0.1 W / 0.1 + 2 modules x 0.5 W */
    la.output_power_dbm = 20;
    assert_near(cp_laser_elec_w(&la, 9), 9.0 + 1.0, 1e-9);
}

/* --- optical engine ----------------------------------------------------------- */

static void test_engine_power(void **state)
{
    (void)state;
    cp_engine e = {.lane_rate_gbps = 100, .lanes = 64, .driver_pj_per_bit = 2.0,
                   .tia_pj_per_bit = 1.0, .control_w = 5.0};
    e.mod.drive_pj_per_bit = 0.2;
    e.mod.tuning_w = 0.02;
    cp_engine_result r;
    cp_engine_eval(&e, 64, 1, &r);
    /* 6.4 Tb/s x 3.2 pJ/bit = 20.48 W + 64 x 0.02 + 5 = 26.76 W */
    assert_near(r.modulator_w, 1.28, 1e-12);
    assert_near(r.driver_w, 12.8, 1e-12);
    assert_near(r.tia_w, 6.4, 1e-12);
    assert_near(r.tuning_w, 1.28, 1e-12);
    assert_near(r.electronics_w, 26.76, 1e-9);
    /* 26.76 W / 6400 Gb/s = 4.18125 pJ/bit */
    assert_near(r.pj_per_bit, 4.18125, 1e-9);
}

/* --- switch ---------------------------------------------------------------- */

static void test_switch_hand_calc(void **state)
{
    (void)state;
    cp_design d = {.has_asic = true, .ngroups = 1, .nserdes = 1};
    d.asic = (cp_asic){.capacity_tbps = 51.2, .serdes_lanes = 512,
                       .lane_rate_gbps = 100, .core_power_w = 200};
    d.serdes[0] = mk("vsr", 16, 2.0, 300);
    d.sys = (cp_system){.conversion_efficiency = 0.8, .cooling_fraction = 0.25,
                        .board_other_w = 100, .rack_units = 2,
                        .faceplate_cages_per_ru = 32, .fibers_per_mpo = 16};
    cp_port_group *g = &d.group[0];
    g->media = CP_MEDIA_PLUGGABLE;
    g->count = 64;
    g->speed_gbps = 800;
    g->channel.nseg = 1;
    g->channel.seg[0] = (cp_segment){.loss_db_26g = 10, .loss_db_53g = 20};
    g->link = dr8();
    g->module = (cp_module){.rate_gbps = 800, .lanes = 8, .dsp_w = 7,
                            .driver_tia_w = 3, .laser_w = 3, .other_w = 2};
    cp_result r;
    cp_design_eval(&d, &r);
    /* SerDes: 512 lanes x 2.0 pJ x 106.25 Gb/s = 108.8 W */
    assert_near(r.serdes_w, 108.8, 1e-9);
    assert_near(r.optics_w, 64 * 12.0, 1e-9);
    assert_near(r.lasers_w, 64 * 3.0, 1e-9);
    /* IT load 200 + 108.8 + 768 + 192 + 100 = 1368.8 W; fans 25 % of it =
     * 342.2 W; DC 1711.0 W; at 80 % conversion 2138.75 W from the wall, of
     * which 427.75 W are conversion losses */
    assert_near(r.cooling_w, 342.2, 1e-9);
    assert_near(r.dc_w, 1711.0, 1e-9);
    assert_near(r.total_w, 2138.75, 1e-9);
    assert_near(r.conversion_w, 427.75, 1e-9);
    assert_near(r.optics_w_per_port, 15.0, 1e-12);
    /* 15 W / 800 Gb/s = 18.75 pJ/bit; 2138.75 W / 51.2 Tb/s = 41.7725 pJ/bit */
    assert_near(r.optics_pj_per_bit, 18.75, 1e-9);
    assert_near(r.system_pj_per_bit, 41.7724609375, 1e-9);
    assert_near(r.capacity_tbps, 51.2, 1e-12);
    assert_near(r.fibers, 64 * 16, 1e-12);
    assert_int_equal(r.nwarn, 0);
    /* 65 cages in 2 RU of 32: the faceplate is full */
    g->count = 65;
    cp_design_eval(&d, &r);
    assert_int_equal(r.nwarn, 2); /* faceplate and ASIC lanes */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dbm),
        cmocka_unit_test(test_oma_from_avg),
        cmocka_unit_test(test_pam4_ber),
        cmocka_unit_test(test_sensitivity_from_noise),
        cmocka_unit_test(test_segment_fit),
        cmocka_unit_test(test_nyquist),
        cmocka_unit_test(test_channel_selection),
        cmocka_unit_test(test_channel_retimer),
        cmocka_unit_test(test_dr8_budget),
        cmocka_unit_test(test_datasheet_pair),
        cmocka_unit_test(test_cpo_tx_and_laser),
        cmocka_unit_test(test_engine_power),
        cmocka_unit_test(test_switch_hand_calc),
    };
    return cmocka_run_group_tests_name("models", tests, NULL, NULL);
}
