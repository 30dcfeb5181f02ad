/*
 * test_report.c — the JSON report is valid (parsed back with libfyaml) and
 * carries the stable keys with the evaluated values; the CSV row matches.
 */
#include "testutil.h"

#include <libfyaml.h>
#include <string.h>

static double get(struct fy_document *doc, const char *path)
{
    struct fy_node *n = fy_node_by_path(fy_document_root(doc), path, (size_t)-1,
                                        FYNWF_DONT_FOLLOW);
    if (!n) {
        print_error("missing JSON key %s\n", path);
        fail();
    }
    return strtod(fy_node_get_scalar0(n), NULL);
}

static void test_json_keys(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_design d[2];
    cp_result r[2];
    eval_preset(cat, "pluggable-800g-51t", NULL, 0, &d[0], &r[0]);
    eval_preset(cat, "bailly-51t", NULL, 0, &d[1], &r[1]);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(cp_report_json(f, &d[1], &r[1], 1), 0);
    fclose(f);
    struct fy_document *doc = fy_document_build_from_string(NULL, buf, len);
    assert_non_null(doc);
    assert_near(get(doc, "/capacity_tbps"), 51.2, 1e-9);
    assert_near(get(doc, "/ports"), 64, 0);
    assert_near(get(doc, "/port_speed_gbps"), 800, 0);
    assert_near(get(doc, "/power_w/total"), r[1].total_w, 1e-3);
    assert_near(get(doc, "/power_w/optics"), r[1].optics_w + r[1].lasers_w, 1e-3);
    assert_near(get(doc, "/pj_per_bit/optics"), r[1].optics_pj_per_bit, 1e-4);
    assert_near(get(doc, "/pj_per_bit/system"), r[1].system_pj_per_bit, 1e-4);
    assert_near(get(doc, "/links/0/margin_db"), r[1].group[0].link.margin_db, 1e-4);
    struct fy_node *name = fy_node_by_path(fy_document_root(doc), "/name", (size_t)-1, 0);
    assert_string_equal(fy_node_get_scalar0(name), "bailly-51t");
    fy_document_destroy(doc);
    free(buf);
    /* compare: designs[] and the saving figures */
    f = open_memstream(&buf, &len);
    assert_int_equal(cp_report_json(f, d, r, 2), 0);
    fclose(f);
    doc = fy_document_build_from_string(NULL, buf, len);
    assert_non_null(doc);
    double want = 100 * (1 - r[1].total_w / r[0].total_w);
    assert_near(get(doc, "/comparison/0/system_saving_pct"), want, 1e-3);
    assert_near(get(doc, "/designs/1/power_w/total"), r[1].total_w, 1e-3);
    fy_document_destroy(doc);
    free(buf);
    /* CSV: a header and one row per design */
    f = open_memstream(&buf, &len);
    cp_report_csv(f, d, r, 2);
    fclose(f);
    size_t lines = 0;
    for (char *p = buf; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, 3);
    assert_non_null(strstr(buf, "\"bailly-51t\",51.2,64,800,"));
    free(buf);
    cp_catalog_free(cat);
}

/* Issue 13 item 11: one name, one number in every format.  The CSV column
 * X_w is the JSON power_w.X, X_w_per_port is power_w.X_per_port,
 * X_pj_per_bit is pj_per_bit.X, any other the top-level key of that name;
 * the table's power rows are named as their JSON key.  Before, the CSV's
 * optics_w and the table's "Optics" were 225.6 W (modules or engines) while
 * JSON's power_w.optics was 353.6 W (with the lasers). */
static double json_of(struct fy_document *doc, const char *col)
{
    char path[128], stem[64];
    size_t n = strlen(col);
    if (n > 11 && !strcmp(col + n - 11, "_pj_per_bit"))
        snprintf(path, sizeof path, "/pj_per_bit/%.*s", (int)(n - 11), col);
    else if (n > 11 && !strcmp(col + n - 11, "_w_per_port"))
        snprintf(path, sizeof path, "/power_w/%.*s_per_port", (int)(n - 11), col);
    else if (n > 2 && !strcmp(col + n - 2, "_w"))
        snprintf(path, sizeof path, "/power_w/%s", (snprintf(stem, sizeof stem, "%.*s",
                                                             (int)(n - 2), col), stem));
    else
        snprintf(path, sizeof path, "/%s", col);
    return get(doc, path);
}

static void test_same_name_same_number(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_design d;
    cp_result r;
    eval_preset(cat, "bailly-51t", NULL, 0, &d, &r);
    char *json = NULL, *csv = NULL, *table = NULL;
    size_t jlen = 0, clen = 0, tlen = 0;
    FILE *f = open_memstream(&json, &jlen);
    assert_int_equal(cp_report_json(f, &d, &r, 1), 0);
    fclose(f);
    f = open_memstream(&csv, &clen);
    cp_report_csv(f, &d, &r, 1);
    fclose(f);
    f = open_memstream(&table, &tlen);
    cp_report_table(f, &d, &r);
    fclose(f);
    struct fy_document *doc = fy_document_build_from_string(NULL, json, jlen);
    assert_non_null(doc);
    /* the CSV header and its row, column by column */
    char *row = strchr(csv, '\n');
    assert_non_null(row);
    *row++ = '\0';
    char *hs = NULL, *vs = NULL;
    size_t checked = 0;
    for (char *h = strtok_r(csv, ",", &hs), *v = strtok_r(row, ",\n", &vs); h && v;
         h = strtok_r(NULL, ",", &hs), v = strtok_r(NULL, ",\n", &vs)) {
        if (!strcmp(h, "name") || !strcmp(h, "warnings"))
            continue;
        double want = json_of(doc, h), got = strtod(v, NULL);
        if (!(fabs(got - want) <= 1e-6 * fabs(want) + 1e-9)) {
            print_error("CSV %s = %.9g but JSON says %.9g\n", h, got, want);
            fail();
        }
        checked++;
    }
    assert_true(checked >= 15);
    /* the table's optics rows: "Optics excl. lasers" is power_w.optics_excl_lasers
     * and no row calls a number "Optics" that is not power_w.optics */
    const char *ex = strstr(table, "Optics excl. lasers");
    assert_non_null(ex);
    assert_near(strtod(ex + strlen("Optics excl. lasers"), NULL),
                get(doc, "/power_w/optics_excl_lasers"), 0.05);
    for (const char *p = strstr(table, "\n  Optics"); p; p = strstr(p + 1, "\n  Optics"))
        assert_true(!strncmp(p, "\n  Optics excl. lasers", 22));
    fy_document_destroy(doc);
    free(json);
    free(csv);
    free(table);
    cp_catalog_free(cat);
}

/* fabric JSON parses back with its counts */
static void test_fabric_json(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    static cp_fabric_spec f;
    static cp_fabric_result r;
    char path[1024];
    cp_error err;
    snprintf(path, sizeof path, "%s/../scenarios/cluster-16k-h100-cpo.yaml", data_dir());
    assert_int_equal(cp_fabric_load(path, cat, NULL, 0, &f, &err), 0);
    assert_int_equal(cp_fabric_eval(&f, &r, &err), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    assert_int_equal(cp_report_fabric_json(out, &f, &r, 1), 0);
    fclose(out);
    struct fy_document *doc = fy_document_build_from_string(NULL, buf, len);
    assert_non_null(doc);
    assert_near(get(doc, "/gpus"), 16384, 0);
    assert_near(get(doc, "/switches"), r.switches, 0);
    assert_near(get(doc, "/lasers"), r.lasers, 0);
    assert_near(get(doc, "/tiers/2/switches"), r.tier[2].switches, 0);
    assert_near(get(doc, "/levels/0/links"), 16384, 0);
    fy_document_destroy(doc);
    free(buf);
    cp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_json_keys),
                                       cmocka_unit_test(test_fabric_json),
                                       cmocka_unit_test(test_same_name_same_number)};
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
