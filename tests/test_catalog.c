/*
 * test_catalog.c — the catalog audit (every figure has a source or an
 * assumption, every source resolves) and the loader's refusals.
 */
#include "testutil.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_every_figure_sourced(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    size_t n = cp_catalog_count(cat), figures = 0, sourced = 0;
    assert_true(n >= 40);
    cp_entry_info e;
    for (size_t i = 0; cp_catalog_entry(cat, i, &e) == 0; i++) {
        assert_true(e.nparams > 0);
        assert_true(strlen(e.description) > 0);
        cp_param_info p;
        for (size_t k = 0; cp_catalog_param(cat, i, k, &p) == 0; k++) {
            figures++;
            if (!p.source && !p.assumption)
                print_error("%s: %s has no source\n", e.name, p.key);
            assert_true(p.source || p.assumption);
            /* a calibrated figure is fitted to a published one: it names it */
            if (p.calibrated)
                assert_non_null(p.source);
            if (p.source) {
                sourced++;
                assert_non_null(cp_catalog_source_title(cat, p.source));
            }
        }
    }
    print_message("%zu entries, %zu figures, %zu with a source, %zu assumptions\n",
                  n, figures, sourced, figures - sourced);
    /* the classes the foundation needs are all present */
    const char *needed[] = {"cei-112g-lr", "cei-112g-mr", "cei-112g-vsr",
                            "cei-112g-xsr", "cei-112g-xsr-plus", "ucie-32g-d2d",
                            "cei-224g-lr", "retimer-112g", "osfp-800g-dr8",
                            "osfp-800g-2xfr4", "osfp-1p6t-dr8", "osfp-800g-lpo",
                            "qsfpdd-400g-dr4", "mzm-sip-100g", "mrm-sip-200g",
                            "ge-pd-oband", "tia-100g", "mzm-driver-100g",
                            "edge-coupler", "elsfp-20dbm", "smf-os2-cabled",
                            "mpo-standard", "megtron7-stripline", "abf-package",
                            "dr8-800g", "dr8-1p6t"};
    for (size_t i = 0; i < sizeof needed / sizeof *needed; i++)
        assert_true(cp_catalog_find(cat, needed[i]) >= 0);
    cp_catalog_free(cat);
}

/* writes a one-file catalog into a temp data dir and loads it */
static int try_catalog(const char *yaml, cp_error *err)
{
    char dir[] = "/tmp/cposim-cat-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/sources.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs("sources:\n  s1: {title: \"A paper\", url: \"https://x\"}\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/catalog", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/catalog/a.yaml", dir);
    f = fopen(path, "w");
    fputs(yaml, f);
    fclose(f);
    cp_catalog *cat = NULL;
    int rc = cp_catalog_load(dir, &cat, err);
    cp_catalog_free(cat);
    unlink(path);
    snprintf(path, sizeof path, "%s/catalog", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/sources.yaml", dir);
    unlink(path);
    rmdir(dir);
    return rc;
}

static void test_loader_refusals(void **state)
{
    (void)state;
    cp_error err;
    const char *ok = "fiber:\n  - name: f\n    description: d\n"
                     "    attenuation_db_per_km: {value: 0.4, source: s1}\n";
    assert_int_equal(try_catalog(ok, &err), 0);
    /* a bare number */
    const char *bare = "fiber:\n  - name: f\n    attenuation_db_per_km: 0.4\n";
    assert_int_equal(try_catalog(bare, &err), -1);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 5);
    assert_non_null(strstr(err.msg, "has no source"));
    /* an unknown bibliography key */
    const char *unk = "fiber:\n  - name: f\n    attenuation_db_per_km: {value: 0.4, source: nope}\n";
    assert_int_equal(try_catalog(unk, &err), -1);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "unknown source 'nope'"));
    /* out of physical range */
    const char *neg = "fiber:\n  - name: f\n    attenuation_db_per_km: {value: -1, source: s1}\n";
    assert_int_equal(try_catalog(neg, &err), -1);
    assert_non_null(strstr(err.msg, "out of range"));
    /* a too-short assumption */
    const char *why = "fiber:\n  - name: f\n    attenuation_db_per_km: {value: 1, assumption: \"x\"}\n";
    assert_int_equal(try_catalog(why, &err), -1);
    assert_non_null(strstr(err.msg, "needs a reason"));
    /* a calibrated figure names the source it was fitted to */
    const char *cal = "fiber:\n  - name: f\n    attenuation_db_per_km: {value: 1, "
                      "assumption: \"a guess, then\", calibrated: \"fitted to a loss\"}\n";
    assert_int_equal(try_catalog(cal, &err), -1);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.msg, "needs the source it was fitted to"));
    const char *cal2 = "fiber:\n  - name: f\n    attenuation_db_per_km: {value: 1, "
                       "source: s1, calibrated: \"x\"}\n";
    assert_int_equal(try_catalog(cal2, &err), -1);
    assert_non_null(strstr(err.msg, "needs the fit it states"));
    /* duplicate names and unknown classes */
    const char *dup = "fiber:\n  - name: f\n    attenuation_db_per_km: {value: 1, source: s1}\n"
                      "  - name: f\n    attenuation_db_per_km: {value: 1, source: s1}\n";
    assert_int_equal(try_catalog(dup, &err), -1);
    assert_int_equal(err.line, 4);
    assert_non_null(strstr(err.msg, "duplicate"));
    const char *cls = "gadget:\n  - name: g\n    x: {value: 1, source: s1}\n";
    assert_int_equal(try_catalog(cls, &err), -1);
    assert_non_null(strstr(err.msg, "unknown catalog class"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_figure_sourced),
        cmocka_unit_test(test_loader_refusals),
    };
    return cmocka_run_group_tests_name("catalog", tests, NULL, NULL);
}
