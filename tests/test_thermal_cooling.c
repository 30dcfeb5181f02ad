/*
 * test_thermal_cooling.c — cooling hardware: microchannel cavities
 * (src/thermal_channel.c) against tabulated laminar-duct figures, a
 * hand-computed pressure drop, the coolant's energy balance and the
 * closed-form fin + channel estimate; an air heat sink's fan operating
 * point (src/thermal_sink.c) by hand.
 */
#include "testutil.h"

#include <string.h>

static cp_material mat(double k, double c)
{
    return (cp_material){.k_xy_w_per_mk = k, .k_z_w_per_mk = k, .c_j_per_m3k = c};
}

/* Water at 300 K as in data/catalog/materials.yaml (NIST). */
static cp_material water(void)
{
    cp_material w = mat(0.61, 4.166e6);
    w.density_kg_per_m3 = 996.5;
    w.viscosity_pa_s = 8.538e-4;
    return w;
}

/* The Shah & London polynomials against Incropera & DeWitt, Fundamentals
 * of Heat and Mass Transfer, Table 8.1 (rectangles, fully developed
 * laminar flow, uniform heat flux): b/a = 1, 2, 4, 8 -> Nu 3.61, 4.12,
 * 5.33, 6.49 and f Re_Dh 57, 62, 73, 82 (tabulated to 2-3 digits; parallel
 * plates, a -> 0: 8.23 and 96). */
static void test_duct_correlations(void **state)
{
    (void)state;
    const double a[5] = {1, 0.5, 0.25, 0.125, 0};
    const double nu[5] = {3.61, 4.12, 5.33, 6.49, 8.23}, fre[5] = {57, 62, 73, 82, 96};
    for (int i = 0; i < 5; i++) {
        assert_near(cp_channel_nusselt(a[i]), nu[i], 0.01);
        assert_near(cp_channel_fre(a[i]), fre[i], 0.5);
    }
}

/* 10 x 10 mm package; a 0.5 mm silicon base (k 130) heated over its whole
 * bottom face (adiabatic); on it a 200 um silicon layer with channels
 * 100 um wide every 200 um along x; top adiabatic: every watt leaves in
 * the water, entering at 30 C. */
static void cavity_spec(cp_thermal_spec *t, double flow_m3_per_s, double P, int fin_cells,
                        int base_cells)
{
    memset(t, 0, sizeof *t);
    t->block = test_blocks();
    t->size_x_m = t->size_y_m = 0.01;
    t->nx = t->ny = 8;
    t->nlayers = 2;
    t->layer[0] = (cp_tlayer){.thickness_m = 0.5e-3, .cells = base_cells, .mat = mat(130, 1.63e6)};
    t->layer[1] = (cp_tlayer){.thickness_m = 200e-6, .cells = fin_cells,
                              .mat = mat(130, 1.63e6)};
    t->layer[1].channels = (cp_channels){.on = true, .width_m = 100e-6, .pitch_m = 200e-6,
                                         .flow_m3_per_s = flow_m3_per_s, .fluid = water(),
                                         .axis = 0, .inlet_c = 30, .pump_efficiency = 0.5};
    t->nblocks = 1;
    t->block[0] = (cp_tblock){.layer = 0, .x1_m = 0.01, .y1_m = 0.01, .src = CP_SRC_FIXED,
                              .power_w = P};
    t->top = (cp_boundary){0, 30};
    t->bottom = (cp_boundary){0, 30};
    t->tolerance = 1e-12;
    t->solver = CP_SOLVER_CHOLMOD;
}

/* The flow of that cavity at 50 mL/min, by hand: 10 mm / 200 um = 50
 * channels of 1 mL/min = 1.6667e-8 m3/s; u = 1.6667e-8 / (100e-6 x
 * 200e-6) = 0.8333 m/s; D_h = 2 x 100 x 200 / 300 = 133.33 um; Re =
 * 996.5 x 0.8333 x 133.33e-6 / 8.538e-4 = 129.68; a = 0.5: f Re = 62.2293,
 * dp = 62.2293 x 8.538e-4 x 0.8333 x 0.01 / (2 x 133.33e-6^2) = 12452.7 Pa;
 * hydraulic power dp Q = 12452.7 x 8.3333e-7 = 0.010377 W, pump at 50 %
 * 0.020754 W; Nu 4.12581, h = 4.12581 x 0.61 / 133.33e-6 = 18875.6 W/m2K. */
static void test_channel_flow_by_hand(void **state)
{
    (void)state;
    cp_thermal_spec t;
    cp_channel_flow f;
    cp_error err;
    cavity_spec(&t, 50e-6 / 60, 100, 4, 4);
    assert_int_equal(cp_channel_flow_eval(&t, 1, &f, &err), 0);
    assert_near(f.channels, 50, 1e-9);
    assert_near(f.velocity_m_per_s, 0.83333, 1e-5);
    assert_near(f.hydraulic_diameter_m, 133.333e-6, 1e-9);
    assert_near(f.reynolds, 129.68, 0.01);
    assert_near(f.dp_pa, 12452.7, 0.1);
    assert_near(f.hydraulic_w, 0.010377, 1e-6);
    assert_near(f.pump_w, 0.020754, 1e-6);
    assert_near(f.h_w_per_m2k, 18875.6, 0.1);
    /* 10x the flow: Re 1297, still laminar; 20x: Re 2594, refused */
    cavity_spec(&t, 20 * 50e-6 / 60, 100, 4, 4);
    assert_int_equal(cp_channel_flow_eval(&t, 1, &f, &err), -1);
    assert_non_null(strstr(err.msg, "Reynolds"));
}

/* 100 W into water at 200 mL/min: m_dot c_p = 3.3333e-6 x 4.166e6 =
 * 13.8867 W/K, so the outlet is P / (m_dot c_p) = 7.2012 K above the
 * inlet, exactly (the balance of the march, to the solver's tolerance).
 * The heated face averages (uniform flux q = 1e6 W/m2; the water's mean
 * over the package is the inlet plus half the rise):
 *   T_in + rise / 2 + q t_b / k_s + q p / (h w + sqrt(2 h k_s t) tanh(m H))
 * with the fin (walls t = 100 um thick, H = 200 um tall, adiabatic tip),
 * m = sqrt(2 h / (k_s t)) = 1704.1 /m, mH = 0.34082:
 *   fin   sqrt(2 x 18875.6 x 130 x 100e-6) tanh(0.34082) = 7.2709 W/m/K,
 *   floor h w = 1.8876 W/m/K;  q p = 200 W/m over 9.1584 -> 21.838 K,
 *   base  1e6 x 0.5e-3 / 130 = 3.846 K,
 *   face mean 30 + 3.601 + 3.846 + 21.838 = 59.285 C.
 * The grid converges to it with the z-cells of base and fin (the fin's
 * slices resolve its efficiency; the floor's heat leaves from the base's
 * top cell centre, half a cell short of the floor): measured -0.165,
 * -0.088, -0.035 K at 2, 4, 8 cells. */
static void test_cavity_energy_and_fin(void **state)
{
    (void)state;
    const double P = 100, Q = 200e-6 / 60, rise = P / (Q * 4.166e6);
    assert_near(rise, 7.2012, 1e-4);
    const int cells[3] = {2, 4, 8};
    double err_k[3];
    for (int i = 0; i < 3; i++) {
        cp_thermal_spec t;
        cp_thermal_result r = {0};
        cp_thermal_grid *g;
        cp_error err;
        cavity_spec(&t, Q, P, cells[i], cells[i]);
        assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
        if (cp_thermal_steady(g, &t, NULL, NULL, &r, &err)) {
            print_error("%s\n", err.msg);
            fail();
        }
        cp_thermal_grid_free(g);
        assert_int_equal(r.ncavities, 1);
        assert_near(r.cavity[0].rise_k, rise, 1e-6 * rise);
        assert_near(r.cavity[0].outlet_c, 30 + rise, 1e-6 * rise);
        assert_near(r.heat_out_channels_w, P, 1e-6 * P);
        assert_near(r.pump_w, r.cavity[0].flow.pump_w, 1e-12);
        err_k[i] = r.block[0].mean_c - 59.285;
        print_message("fin cells %d: face mean %.3f C (closed form 59.285), max %.3f\n",
                      cells[i], r.block[0].mean_c, r.block[0].max_c);
        cp_thermal_result_free(&r);
    }
    assert_near(err_k[2], 0, 0.05);
    assert_true(fabs(err_k[2]) < fabs(err_k[1]) && fabs(err_k[1]) < fabs(err_k[0]));
}

/* A fan of straight curve 400 Pa at no flow to 0 Pa at 2 m3/min, a sink
 * whose drop rises straight from 0 to 400 Pa at 2 m3/min and whose
 * resistance falls from 0.2 to 0.1 K/W over the same range.  One fan:
 * 400 (1 - Q/2) = 400 Q/2 at Q = 1 m3/min, 200 Pa, R = 0.15 K/W.  Two in
 * parallel: 400 (1 - Q/4) = 200 Q at Q = 4/3 m3/min, 266.67 Pa,
 * R = 0.2 - 0.1 (2/3) = 0.13333 K/W.  On a 10 x 10 mm copper plate 2 mm
 * thick heated by 100 W at its bottom face (adiabatic), the face is at
 * 25 + 100 (2e-3 / (400 x 1e-4) + R) = 45.00 C with one fan. */
static void test_fan_operating_point(void **state)
{
    (void)state;
    cp_heatsink s = {.on = true, .nsink = 2, .nfan = 2, .fans = 1, .fan_power_w = 12,
                     .sink_flow_m3_per_s = {0, 2.0 / 60}, .sink_r_k_per_w = {0.2, 0.1},
                     .sink_dp_pa = {0, 400}, .fan_flow_m3_per_s = {0, 2.0 / 60},
                     .fan_dp_pa = {400, 0}};
    cp_sink_point op;
    cp_error err;
    assert_int_equal(cp_heatsink_eval(&s, &op, &err), 0);
    assert_near(op.flow_m3_per_s * 60, 1.0, 1e-6);
    assert_near(op.dp_pa, 200, 1e-4);
    assert_near(op.r_k_per_w, 0.15, 1e-8);
    assert_near(op.fan_w, 12, 1e-12);
    s.fans = 2;
    assert_int_equal(cp_heatsink_eval(&s, &op, &err), 0);
    assert_near(op.flow_m3_per_s * 60, 4.0 / 3, 1e-6);
    assert_near(op.dp_pa, 266.667, 1e-3);
    assert_near(op.r_k_per_w, 0.133333, 1e-6);
    assert_near(op.fan_w, 24, 1e-12);
    /* a fan too weak for the sink: no crossing, an error */
    s.fan_dp_pa[0] = 0;
    assert_int_equal(cp_heatsink_eval(&s, &op, &err), -1);
    /* the plate under one fan */
    s.fans = 1;
    s.fan_dp_pa[0] = 400;
    cp_thermal_spec t;
    memset(&t, 0, sizeof t);
    t.block = test_blocks();
    t.size_x_m = t.size_y_m = 0.01;
    t.nx = t.ny = 4;
    t.nlayers = 1;
    t.layer[0] = (cp_tlayer){.thickness_m = 2e-3, .cells = 1, .mat = mat(400, 3.45e6)};
    t.nblocks = 1;
    t.block[0] = (cp_tblock){.layer = 0, .x1_m = 0.01, .y1_m = 0.01, .src = CP_SRC_FIXED,
                             .power_w = 100};
    t.top = (cp_boundary){0, 25};
    t.bottom = (cp_boundary){0, 25};
    t.sink = s;
    t.tolerance = 1e-12;
    t.solver = CP_SOLVER_CHOLMOD;
    cp_thermal_grid *g;
    cp_thermal_result r = {0};
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), 0);
    cp_thermal_grid_free(g);
    assert_near(r.block[0].mean_c, 45.0, 1e-6);
    assert_true(r.has_sink);
    assert_near(r.cooling_w, 12, 1e-12);
    cp_thermal_result_free(&r);
}

/* The switch's wall power with the package cooled as modelled (by hand):
 * a design of IT load 1000 W, cooling share f = 0.1 (100 W), conversion
 * 0.9: its own estimate (1000 + 100) / 0.9 = 1222.22 W.  With the 100 W
 * package in channels whose pump takes p W: the box's fans keep cooling the
 * other 900 W at 10 % (90 W), the pump cools the package:
 *   wall' = (1000 + 90 + p) / 0.9. */
static void test_switch_wall_with_cooling(void **state)
{
    (void)state;
    cp_thermal_spec t;
    cp_thermal_result r = {0};
    cp_thermal_grid *g;
    cp_error err;
    cavity_spec(&t, 200e-6 / 60, 100, 2, 2);
    cp_design d;
    memset(&d, 0, sizeof d);
    d.sys.cooling_fraction = 0.1;
    d.sys.conversion_efficiency = 0.9;
    cp_result sw;
    memset(&sw, 0, sizeof sw);
    sw.cooling_w = 100;
    sw.dc_w = 1100;
    sw.total_w = 1100 / 0.9;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, &d, &sw, &r, &err), 0);
    cp_thermal_grid_free(g);
    assert_true(r.pump_w > 0);
    assert_near(r.switch_cooling_w, 90 + r.pump_w, 1e-9);
    assert_near(r.switch_wall_w, (1090 + r.pump_w) / 0.9, 1e-9);
    assert_near(r.design_wall_w, 1222.2222222, 1e-6);
    cp_thermal_result_free(&r);
}

int main(void)
{
    cp_error err = {0};
    if (cp_init(NULL, NULL, CP_INIT_MPI, &err)) {
        fprintf(stderr, "cp_init: %s\n", err.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duct_correlations),
        cmocka_unit_test(test_channel_flow_by_hand),
        cmocka_unit_test(test_cavity_energy_and_fin),
        cmocka_unit_test(test_switch_wall_with_cooling),
        cmocka_unit_test(test_fan_operating_point),
    };
    int failed = cmocka_run_group_tests_name("thermal cooling", tests, NULL, NULL);
    cp_finalize();
    return failed;
}
