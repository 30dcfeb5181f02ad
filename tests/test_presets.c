/*
 * test_presets.c — the bundled presets against the published figures of
 * shared/reference/public-figures.md, each with its stated tolerance.
 */
#include "testutil.h"

#include <string.h>

static cp_catalog *cat;
static cp_design d, d2;
static cp_result r, r2;

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

/* Bailly: 5.5 W per 800G (Laser Focus World), +/- 10 % */
static void test_bailly_per_port(void **state)
{
    (void)state;
    eval_preset(cat, "bailly-51t", NULL, 0, &d, &r);
    assert_near(r.optics_w_per_port, 5.5, 0.55);
    assert_near(r.capacity_tbps, 51.2, 1e-9);
    assert_near(r.group[0].engines, 8, 0); /* 8 x 6.4T engines */
    assert_true(r.group[0].link.closes);
    assert_int_equal(r.nwarn, 0);
    /* CPO host channel is XSR-class (~4 dB, NVIDIA/Broadcom) */
    assert_string_equal(d.serdes[r.group[0].channel.serdes_index].cls, "XSR");
}

/* Pluggable 800G: 14-16 W per module (Broadcom interview); DR8 budget 0 dB */
static void test_pluggable_800g(void **state)
{
    (void)state;
    eval_preset(cat, "pluggable-800g-51t", NULL, 0, &d, &r);
    assert_between(r.optics_w_per_port, 14.0, 16.0);
    assert_near(r.group[0].link.channel_loss_db, 3.0, 1e-9);
    assert_near(r.group[0].link.margin_db, 0.0, 1e-9);
    assert_string_equal(d.serdes[r.group[0].channel.serdes_index].cls, "VSR");
    /* 64 x 800G in 2RU: 32 cages per RU, no faceplate warning */
    assert_near(r.ports_per_ru, 32, 1e-9);
    assert_int_equal(r.nwarn, 0);
    /* without optics the box is ~913 W (UfiSpace S9321-64E), +/- 10 % */
    double no_optics = (r.asic_w + r.serdes_w + r.board_w) *
                       (1 + d.sys.cooling_fraction) / d.sys.conversion_efficiency;
    assert_near(no_optics, 913, 91.3);
}

/* Optics saving Bailly vs pluggable: published 50 % (Bailly I/O) .. 65 %
 * (Broadcom/Meta, ECOC 2025) .. 71 % (NVIDIA 3.5x); system saving: 30 %
 * (Broadcom Bailly, Cisco) .. 44 % (NVIDIA Q3450 vs pluggable, Lambda). */
static void test_bailly_vs_pluggable(void **state)
{
    (void)state;
    eval_preset(cat, "pluggable-800g-51t", NULL, 0, &d, &r);
    eval_preset(cat, "bailly-51t", NULL, 0, &d2, &r2);
    double optics = 1 - (r2.optics_w + r2.lasers_w) / (r.optics_w + r.lasers_w);
    double system = 1 - r2.total_w / r.total_w;
    print_message("bailly vs pluggable: optics saving %.1f %%, system %.1f %%\n",
                  100 * optics, 100 * system);
    assert_between(100 * optics, 50, 71);
    assert_between(100 * system, 30, 44);
}

/* NVIDIA GTC 2025: ~30 W per 1.6T pluggable port vs ~9 W CPO, +/- 15 %;
 * electrical loss ~22 dB vs ~4 dB at 200G/lane, +/- 15 %. */
static void test_nvidia_ports(void **state)
{
    (void)state;
    eval_preset(cat, "pluggable-1p6t-102t", NULL, 0, &d, &r);
    assert_near(r.optics_w_per_port, 30, 4.5);
    assert_near(r.group[0].channel.loss_db, 22, 3.3);
    assert_string_equal(d.serdes[r.group[0].channel.serdes_index].cls, "LR");
    eval_preset(cat, "nvidia-spectrum-x-photonics-102t", NULL, 0, &d2, &r2);
    double per_1p6t = r2.optics_w_per_port * 1600 / r2.port_speed_gbps;
    assert_near(per_1p6t, 9, 1.35);
    assert_near(r2.group[0].channel.loss_db, 4, 0.6);
    /* 5.6 pJ/bit derived, +/- 15 % */
    assert_near(r2.optics_pj_per_bit, 5.6, 0.84);
}

/* Quantum-X Photonics: 144 x 800G, 18 detachable light-source modules
 * (Lambda), one laser per 8 data links (IEEE Spectrum). */
static void test_quantum_x(void **state)
{
    (void)state;
    eval_preset(cat, "nvidia-quantum-x-photonics-115t", NULL, 0, &d, &r);
    assert_near(r.capacity_tbps, 115.2, 1e-9);
    assert_near(r.group[0].laser_modules, 18, 0);
    assert_near(r.group[0].lanes / r.group[0].lasers, 4, 0); /* 4 Tx + 4 Rx links */
    /* 3.95 kW per switch (Lambda), +/- 25 % for an unknown ASIC split */
    assert_near(r.total_w, 3950, 0.25 * 3950);
}

/* Davisson: ~70 % lower optics power than 200G pluggables (Broadcom). */
static void test_davisson(void **state)
{
    (void)state;
    eval_preset(cat, "pluggable-1p6t-102t", NULL, 0, &d, &r);
    eval_preset(cat, "davisson-102t", NULL, 0, &d2, &r2);
    double saving = 1 - r2.optics_w_per_port / r.optics_w_per_port;
    assert_near(100 * saving, 70, 7);
    assert_near(r2.group[0].engines, 16, 0);
}

/* Every preset evaluates, all links close, and hybrid lies in between. */
static void test_all_presets_close(void **state)
{
    (void)state;
    const char *names[] = {"pluggable-800g-51t", "lpo-800g-51t", "bailly-51t",
                           "humboldt-25t", "davisson-102t", "pluggable-1p6t-102t",
                           "nvidia-spectrum-x-photonics-102t",
                           "nvidia-quantum-x-photonics-115t", "ayar-teraphy",
                           "hybrid-cpo-pluggable-51t", "default"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        eval_preset(cat, names[i], NULL, 0, &d, &r);
        for (size_t g = 0; g < r.ngroups; g++) {
            if (!r.group[g].link.closes || !r.group[g].channel.closes)
                print_error("%s group %zu does not close\n", names[i], g);
            assert_true(r.group[g].link.closes);
            assert_true(r.group[g].channel.closes);
        }
        assert_true(r.total_w > 0 && isfinite(r.total_w));
    }
    eval_preset(cat, "pluggable-800g-51t", NULL, 0, &d, &r);
    eval_preset(cat, "bailly-51t", NULL, 0, &d2, &r2);
    cp_design dh;
    cp_result rh;
    eval_preset(cat, "hybrid-cpo-pluggable-51t", NULL, 0, &dh, &rh);
    assert_true(rh.total_w < r.total_w && rh.total_w > r2.total_w);
    /* LPO: 8-9 W per module, but the host must drive LR-class SerDes */
    eval_preset(cat, "lpo-800g-51t", NULL, 0, &d, &r);
    assert_between(r.optics_w_per_port, 8, 9);
    assert_string_equal(d.serdes[r.group[0].channel.serdes_index].cls, "LR");
}

/* --set overrides a named port group and a sourced parameter. */
static void test_set_overrides(void **state)
{
    (void)state;
    const char *sets[] = {"ports.cpo.count=32", "system.cooling_fraction=0"};
    eval_preset(cat, "bailly-51t", sets, 2, &d, &r);
    assert_near(r.ports, 32, 0);
    assert_near(r.group[0].engines, 4, 0);
    assert_near(r.cooling_w, 0, 0);
    /* an engine override by {ref} keeps the rest of the catalog entry */
    const char *sets2[] = {"ports.cpo.engine.control_w=0"};
    eval_preset(cat, "bailly-51t", sets2, 1, &d2, &r2);
    assert_near(d2.group[0].engine.control_w, 0, 0);
    assert_near(d2.group[0].engine.lanes, 64, 0);
    eval_preset(cat, "bailly-51t", NULL, 0, &d, &r);
    assert_near(d.group[0].engine.control_w, 6.7, 1e-12);
    /* 8 engines x 6.7 W less */
    assert_near(r.optics_w - r2.optics_w, 8 * 6.7, 1e-9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bailly_per_port),
        cmocka_unit_test(test_pluggable_800g),
        cmocka_unit_test(test_bailly_vs_pluggable),
        cmocka_unit_test(test_nvidia_ports),
        cmocka_unit_test(test_quantum_x),
        cmocka_unit_test(test_davisson),
        cmocka_unit_test(test_all_presets_close),
        cmocka_unit_test(test_set_overrides),
    };
    return cmocka_run_group_tests_name("presets", tests, setup, teardown);
}
