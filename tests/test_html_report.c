/*
 * test_html_report.c — the HTML report and its figures: the lane budget's
 * steps against a hand-derived budget, the stacked power bars against the
 * wall power, a sweep heatmap against a hand-made grid, the HTML's figure
 * count, escaping and self-containment, PNG output, input kinds.
 */
#include "testutil.h"

#include <string.h>

/* The text of an SVG with PLplot's character references (&#xHH;) decoded:
 * PLplot writes every character of a label that way. */
static char *svg_text(const char *svg, size_t len)
{
    char *out = malloc(len + 1);
    size_t at = 0;
    for (size_t i = 0; i < len;) {
        unsigned v;
        int n = 0;
        if (svg[i] == '&' && sscanf(svg + i, "&#x%x;%n", &v, &n) == 1 && n > 0 && v < 128) {
            out[at++] = (char)v;
            i += (size_t)n;
        } else {
            out[at++] = svg[i++];
        }
    }
    out[at] = '\0';
    return out;
}

static size_t count(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = strstr(s, what); p; p = strstr(p + 1, what))
        n++;
    return n;
}

static char *html_of(const cp_report *rep)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(cp_report_html(f, rep), 0);
    fclose(f);
    return buf;
}

/* A CPO lane, by hand (dB):
 *   laser 20 dBm, coupler in -1.5, split 1:4 -6.0206, split excess -0.6,
 *   modulator -7, mux 0, coupler out -1.5  -> average 3.3794 dBm;
 *   OMA at ER 4 dB: r = 10^0.4 = 2.51189, 2 (r-1)/(r+1) = 0.861042, 10 log10 of it = -0.649913;
 *   fibre 0.5 dB/km x 2 km = -1, 2 connectors x 0.5 = -1, coupler rx -1.5
 *   -> Rx OMA = 3.3794 - 0.649913 - 3.5 = -0.770513 dBm;
 *   sensitivity -7 dBm, penalties 3 + 0.5, required margin 1
 *   -> margin = -0.770513 + 7 - 3.5 - 1 = 1.729487 dB. */
static void test_lane_budget(void **state)
{
    (void)state;
    cp_port_group pg = {.media = CP_MEDIA_CPO};
    pg.laser.output_power_dbm = 20;
    pg.laser.wall_plug_efficiency = 0.2;
    pg.engine.coupler_loss_db = 1.5;
    pg.engine.lanes_per_laser = 4;
    pg.engine.splitter_excess_db = 0.6;
    pg.engine.mod.insertion_loss_db = 7;
    pg.engine.mod.extinction_ratio_db = 4;
    pg.engine.mux_loss_db = 0;
    pg.link = (cp_link){.fiber_db_per_km = 0.5, .length_m = 2000, .connectors = 2,
                        .connector_loss_db = 0.5, .tdecq_db = 3, .other_penalty_db = 0.5,
                        .rx_sensitivity_oma_dbm = -7, .target_ber = 2.4e-4,
                        .required_margin_db = 1};
    cp_link_budget b;
    cp_link_budget_eval(&pg, &b);
    assert_int_equal(b.nsteps, 12);
    assert_true(b.step[0].level);
    assert_near(b.step[0].db, 20, 0);
    assert_near(b.step[2].db, -6.0206, 1e-4);
    assert_near(b.step[7].db, -0.649913, 1e-6);
    assert_true(b.step[11].level);
    assert_near(b.rx_oma_dbm, -0.770513, 1e-5);
    assert_near(b.step[11].db, -0.770513, 1e-5);
    assert_near(b.margin_db, 1.729487, 1e-5);
    /* the same lane through the model */
    cp_link_result lr;
    cp_link_eval_cpo(&pg.link, &pg.engine, &pg.laser, &lr);
    assert_near(lr.rx_oma_dbm, b.rx_oma_dbm, 1e-12);
    assert_near(lr.margin_db, b.margin_db, 1e-12);
    /* a pluggable: Tx OMA 1 dBm, fibre -1, connectors -1 -> Rx -1 dBm */
    pg.media = CP_MEDIA_PLUGGABLE;
    pg.link.tx_oma_dbm = 1;
    cp_link_budget_eval(&pg, &b);
    assert_int_equal(b.nsteps, 4);
    assert_near(b.rx_oma_dbm, -1, 1e-12);
}

static void test_switch_report(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_design d[2];
    cp_result r[2];
    eval_preset(cat, "pluggable-800g-51t", NULL, 0, &d[0], &r[0]);
    eval_preset(cat, "bailly-51t", NULL, 0, &d[1], &r[1]);
    /* the parts the bars stack add up to the wall power (switch_power.c:
     * total = dc / efficiency, conversion = total - dc, dc = IT + cooling) */
    for (int i = 0; i < 2; i++)
        assert_near(r[i].asic_w + r[i].serdes_w + r[i].optics_w + r[i].lasers_w + r[i].board_w +
                        r[i].cooling_w + r[i].conversion_w,
                    r[i].total_w, 1e-9 * r[i].total_w);
    cp_report *rep = NULL;
    cp_error err = {0};
    assert_int_equal(cp_report_create("test <report>", 0, &rep, &err), 0);
    assert_int_equal(cp_report_add_switch(rep, d, r, 2, &err), 0);
    size_t groups = d[0].ngroups + d[1].ngroups;
    assert_int_equal(cp_report_nfigures(rep), 2 + groups);
    /* the total printed above each stacked bar is the plot's own sum of the
     * parts: it must read as the model's wall power */
    cp_report_figure fig;
    assert_int_equal(cp_report_figure_get(rep, 0, &fig), 0);
    assert_string_equal(fig.id, "01-power-breakdown");
    char *text = svg_text(fig.svg, fig.svg_len);
    for (int i = 0; i < 2; i++) {
        char want[64];
        snprintf(want, sizeof want, ">%.1f</tspan>", r[i].total_w);
        assert_int_equal(count(text, want), 1);
    }
    assert_non_null(strstr(text, "power (W)"));
    free(text);
    assert_non_null(strstr(fig.caption, "cposim " CPOSIM_VERSION));
    assert_non_null(strstr(fig.caption, "bailly-51t"));
    assert_null(fig.png);
    char *html = html_of(rep);
    assert_int_equal(count(html, "<figure class=\"cp-fig\""), 2 + groups);
    assert_int_equal(count(html, "<svg"), 2 + groups);
    assert_non_null(strstr(html, "<title>test &lt;report&gt;</title>"));
    /* self-contained: no URL, no external reference of any kind */
    assert_null(strstr(html, "http:"));
    assert_null(strstr(html, "https:"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "href="));
    assert_null(strstr(html, "<?xml"));
    /* PLplot gives every figure the same clip-path ids: each is prefixed */
    assert_null(strstr(html, "id=\"text-clipping"));
    assert_non_null(strstr(html, "id=\"f1-text-clipping"));
    assert_non_null(strstr(html, "url(#f2-text-clipping"));
    free(html);
    cp_report_free(rep);
    cp_catalog_free(cat);
}

static void test_escaping_and_png(void **state)
{
    (void)state;
    if (!cp_report_png_available())
        fail_msg("PLplot's pngcairo driver is missing (plplot-driver-cairo)");
    cp_catalog *cat = load_catalog();
    cp_design d;
    cp_result r;
    eval_preset(cat, "bailly-51t", NULL, 0, &d, &r);
    snprintf(d.name, sizeof d.name, "a<b&c>\"q");
    snprintf(d.title, sizeof d.title, "<script>alert(1)</script>");
    cp_report *rep = NULL;
    cp_error err = {0};
    assert_int_equal(cp_report_create("t", CP_REPORT_PNG, &rep, &err), 0);
    assert_int_equal(cp_report_add_switch(rep, &d, &r, 1, &err), 0);
    char *html = html_of(rep);
    assert_null(strstr(html, "a<b&c>"));
    assert_null(strstr(html, "<script>alert"));
    assert_non_null(strstr(html, "a&lt;b&amp;c&gt;&quot;q"));
    assert_int_equal(count(html, "<script>"), 1); /* the report's own, nothing else */
    free(html);
    cp_report_figure fig;
    assert_int_equal(cp_report_figure_get(rep, 2, &fig), 0);
    assert_non_null(fig.png);
    assert_true(fig.png_len > 8 && memcmp(fig.png, "\x89PNG\r\n\x1a\n", 8) == 0);
    assert_int_equal(cp_report_figure_get(rep, 3, &fig), -1);
    /* a section that cannot be drawn adds no figure */
    assert_int_equal(cp_report_add_switch(rep, &d, &r, 0, &err), -1);
    assert_int_equal(cp_report_nfigures(rep), 3);
    cp_report_free(rep);
    cp_catalog_free(cat);
}

/* A 3 x 3 grid over p0 in {1, 2, 3} and p1 in {10, 20, 30}; outputs
 * o0 = p0 + p1 + 0.5 and o1 = p0; point (2, 20) infeasible; objectives min o0 and
 * max o1.  The heatmap of min o0 over (p0, p1) holds each point's o0 (no
 * other parameter), "none" at (2, 20). */
static void test_sweep_report(void **state)
{
    (void)state;
    static char params[2][CP_TEXT_MAX] = {"ports.cpo.laser.output_power_dbm",
                                         "ports.cpo.link.length_m"};
    static char outputs[2][CP_NAME_MAX] = {"power_w.total", "worst_margin_db"};
    double values[18], out[18];
    unsigned long long hash[9];
    size_t seq[9];
    unsigned char ok[9], feas[9];
    char *errors[9] = {0};
    for (size_t i = 0; i < 9; i++) {
        double p0 = 1 + (double)(i % 3), p1 = 10 * (1 + (double)(i / 3));
        values[2 * i] = p0;
        values[2 * i + 1] = p1;
        out[2 * i] = p0 + p1 + 0.5;
        out[2 * i + 1] = p0;
        hash[i] = i + 1;
        seq[i] = i;
        ok[i] = 1;
        feas[i] = !(p0 == 2 && p1 == 20);
    }
    cp_sweep_table t = {.name = "grid", .command = "eval", .scenario = "bailly-51t",
                        .version = "0.1.0", .nparams = 2, .noutputs = 2, .nrows = 9,
                        .nobjectives = 2, .param = params, .output = outputs, .hash = hash,
                        .seq = seq, .ok = ok, .feasible = feas, .values = values,
                        .outputs = out, .error = errors};
    t.objective[0] = (cp_sweep_rule){.id = 0};
    t.objective[1] = (cp_sweep_rule){.id = 1, .maximize = true};
    cp_sweep_summary s;
    cp_error err = {0};
    assert_int_equal(cp_sweep_summarize(&t, &s, &err), 0);
    cp_report *rep = NULL;
    assert_int_equal(cp_report_create("sweep", 0, &rep, &err), 0);
    assert_int_equal(cp_report_add_sweep(rep, "grid.db", &t, &s, &err), 0);
    assert_int_equal(cp_report_nfigures(rep), 3);
    cp_report_figure fig;
    cp_report_figure_get(rep, 0, &fig);
    assert_string_equal(fig.id, "01-sweep-heatmap");
    char *text = svg_text(fig.svg, fig.svg_len);
    assert_int_equal(count(text, ">none</tspan>"), 1);
    /* cells (2, 30) and (3, 20), written in them (the colour bar's ticks are round) */
    assert_int_equal(count(text, ">32.5</tspan>"), 1);
    assert_int_equal(count(text, ">23.5</tspan>"), 1);
    assert_non_null(strstr(text, "laser.output_power_dbm (dBm)"));
    assert_non_null(strstr(text, "link.length_m (m)"));
    free(text);
    assert_non_null(strstr(fig.caption, "grid.db"));
    cp_report_figure_get(rep, 1, &fig);
    assert_string_equal(fig.id, "02-sweep-pareto");
    /* the front of min o0, max o1 over the feasible points: for each p0 the
     * point with p1 = 10 (o0 = 11.5, 12.5, 13.5 with o1 = 1, 2, 3): 3 points */
    assert_int_equal(s.pareto, 3);
    assert_non_null(strstr(fig.caption, "the 3 on the Pareto front"));
    cp_sweep_summary_free(&s);
    /* no points: refused, nothing added */
    t.nrows = 0;
    assert_int_equal(cp_report_add_sweep(rep, "grid.db", &t, &s, &err), -1);
    assert_int_equal(cp_report_nfigures(rep), 3);
    cp_report_free(rep);
}

static void test_input_kind(void **state)
{
    (void)state;
    char path[1024];
    cp_input_kind k;
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../scenarios/bailly-51t.yaml", data_dir());
    assert_int_equal(cp_input_kind_of(path, &k, &err), 0);
    assert_int_equal(k, CP_INPUT_SWITCH);
    snprintf(path, sizeof path, "%s/../scenarios/thermal-bailly-51t-coldplate.yaml", data_dir());
    assert_int_equal(cp_input_kind_of(path, &k, &err), 0);
    assert_int_equal(k, CP_INPUT_THERMAL);
    snprintf(path, sizeof path, "%s/../scenarios/cluster-8k-leaf-spine.yaml", data_dir());
    assert_int_equal(cp_input_kind_of(path, &k, &err), 0);
    assert_int_equal(k, CP_INPUT_FABRIC);
    snprintf(path, sizeof path, "%s/../scenarios/sweep-bailly-laser-fibre-split.yaml",
             data_dir());
    assert_int_equal(cp_input_kind_of(path, &k, &err), 0);
    assert_int_equal(k, CP_INPUT_SWEEP_SPEC);
    /* the SQLite header, whatever the name */
    char tmp[] = "/tmp/cposim-test-kind-XXXXXX";
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fwrite("SQLite format 3\0rest", 1, 20, f);
    fclose(f);
    assert_int_equal(cp_input_kind_of(tmp, &k, &err), 0);
    assert_int_equal(k, CP_INPUT_SWEEP_DB);
    remove(tmp);
    assert_int_equal(cp_input_kind_of("/nonexistent/x.yaml", &k, &err), -1);
    assert_non_null(strstr(err.msg, "cannot read"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lane_budget),
        cmocka_unit_test(test_switch_report),
        cmocka_unit_test(test_escaping_and_png),
        cmocka_unit_test(test_sweep_report),
        cmocka_unit_test(test_input_kind),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
