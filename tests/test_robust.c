/*
 * test_robust.c — bounded work and results that cannot pass when wrong:
 * large mappings and include fan-out load in linear time, traces sort in
 * n log n and keep file order for equal times, traces in spreadsheet
 * formats (BOM, CR LF) load, a near-adiabatic steady state and a block
 * below grid resolution are errors, and job sizes are estimated before
 * anything is allocated.  Each case reproduces a report of issue 9.
 */
#include "testutil.h"

#include "internal.h"

#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* A scratch directory, removed (with the files the test names) at the end. */
static char g_dir[] = "/tmp/cposim-robust-XXXXXX";

static const char *path_in(const char *name)
{
    static char p[4][512];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", g_dir, name);
    return p[k];
}

static void write_file(const char *name, const char *text, size_t len)
{
    FILE *f = fopen(path_in(name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(g_dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* n keys "kNNNNNNN: v", and, with dup, the key of line n/2 again at the end */
static char *keys_text(size_t n, bool dup, size_t *len)
{
    const size_t line_len = 16;
    char *text = malloc((n + 1) * line_len + 1);
    size_t at = 0;
    for (size_t i = 0; i < n; i++)
        at += (size_t)sprintf(text + at, "k%07zu: %5zu\n", i, i % 10000);
    if (dup)
        at += (size_t)sprintf(text + at, "k%07zu: %5d\n", n / 2, 1);
    *len = at;
    return text;
}

/* 150k keys with a duplicate on the last line: found, at its line, in
 * linear time (a scan per key took 51 s).  Linear is checked by scaling,
 * not by the clock: 4x the keys must cost less than 10x the time (a scan
 * per key costs 16x), measured in the same run, so a loaded machine or a
 * sanitizer build does not matter. */
static void test_duplicate_key_linear(void **state)
{
    (void)state;
    const size_t n = 150000;
    size_t len_small, len;
    char *small = keys_text(n / 4, false, &len_small), *text = keys_text(n, true, &len);
    cp_pool pool = {0};
    cp_error err = {0};
    double t0 = now_s();
    bool small_ok = cp_yaml_load(&pool, "small.yaml", small, len_small, &err) != NULL;
    double t_small = now_s() - t0;
    cp_pool_free(&pool);
    t0 = now_s();
    cp_error dup = {0};
    bool big_failed = cp_yaml_load(&pool, "big.yaml", text, len, &dup) == NULL;
    double t_big = now_s() - t0;
    cp_pool_free(&pool);
    /* without the duplicate it loads, and merges into itself in linear time */
    cp_node *a = cp_yaml_load(&pool, "a.yaml", text, len - 16, &err);
    t0 = now_s();
    cp_node *b = a ? cp_node_copy(&pool, a) : NULL;
    int merged = b ? cp_node_merge(&pool, a, b, &err) : -1;
    double t_merge = now_s() - t0;
    size_t keys = a ? a->n : 0;
    cp_pool_free(&pool);
    free(small);
    free(text);
    print_message("150k keys: %.3f s (37.5k: %.3f s), merge %.3f s\n", t_big, t_small, t_merge);
    assert_true(small_ok);
    assert_true(big_failed);
    assert_int_equal(dup.line, (int)n + 1);
    assert_non_null(strstr(dup.msg, "duplicate key 'k0075000'"));
    assert_true(t_big < 10 * t_small + 0.05);
    assert_int_equal(merged, 0);
    assert_int_equal(keys, n);
    assert_true(t_merge < 10 * t_big + 0.05);
}

/* f0 includes f1 eight times, f1 includes f2 eight times ... f7: 8^7 = 2.1M
 * include paths (24 s and 1.8 GB), 8 distinct files.  Loaded once each, the
 * merged tree holds k0..k6 and f7's name. */
static void test_include_fanout(void **state)
{
    (void)state;
    for (int i = 0; i < 7; i++) {
        char name[32], text[256];
        snprintf(name, sizeof name, "f%d.yaml", i);
        int len = snprintf(text, sizeof text, "include: [f%d.yaml, f%d.yaml, f%d.yaml, "
                           "f%d.yaml, f%d.yaml, f%d.yaml, f%d.yaml, f%d.yaml]\nk%d: %d\n",
                           i + 1, i + 1, i + 1, i + 1, i + 1, i + 1, i + 1, i + 1, i, i);
        write_file(name, text, (size_t)len);
    }
    write_file("f7.yaml", "name: leaf\n", 11);
    cp_pool pool = {0};
    cp_error err = {0};
    cp_node *root = cp_scenario_tree(&pool, path_in("f0.yaml"), NULL, 0, &err);
    assert_non_null(root);
    assert_int_equal(root->n, 8);
    assert_string_equal(cp_node_get(root, "k6")->scalar, "6");
    assert_string_equal(cp_node_get(root, "name")->scalar, "leaf");
    assert_true(pool.nn < 1000); /* nodes: a few per file, not per path */
    cp_pool_free(&pool);
}

/* 70 distinct files in one chain: refused at the 64th with a reason. */
static void test_include_file_limit(void **state)
{
    (void)state;
    for (int i = 0; i < 70; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "c%d.yaml", i);
        int len = snprintf(text, sizeof text, "include: [c%d.yaml]\n", i + 1);
        write_file(name, text, (size_t)len);
    }
    write_file("c70.yaml", "name: end\n", 10);
    cp_pool pool = {0};
    cp_error err = {0};
    /* the chain is deeper than 8 first: keep it flat, one list of 70 */
    char text[2048];
    size_t at = (size_t)sprintf(text, "include: [");
    for (int i = 0; i <= 70; i++)
        at += (size_t)sprintf(text + at, "%sc70.yaml", i ? ", " : "");
    at += (size_t)sprintf(text + at, "]\n");
    write_file("flat-same.yaml", text, at);
    /* one file 71 times: loaded once, fine */
    assert_non_null(cp_scenario_tree(&pool, path_in("flat-same.yaml"), NULL, 0, &err));
    cp_pool_free(&pool);
    for (int i = 0; i < 70; i++) { /* 70 leaf files, all distinct */
        char name[32];
        snprintf(name, sizeof name, "l%d.yaml", i);
        write_file(name, "note: x\n", 8);
    }
    at = (size_t)sprintf(text, "include: [");
    for (int i = 0; i < 70; i++)
        at += (size_t)sprintf(text + at, "%sl%d.yaml", i ? ", " : "", i);
    at += (size_t)sprintf(text + at, "]\n");
    write_file("flat-many.yaml", text, at);
    assert_null(cp_scenario_tree(&pool, path_in("flat-many.yaml"), NULL, 0, &err));
    assert_non_null(strstr(err.msg, "more than 64 files included"));
    cp_pool_free(&pool);
}

static void trace_spec(cp_thermal_spec *t)
{
    memset(t, 0, sizeof *t);
    t->block = test_blocks();
    t->nblocks = 2;
    strcpy(t->block[0].name, "core");
    strcpy(t->block[1].name, "oe");
}

/* 250k rows in descending time (insertion sort: 41 s for 5 MB), with two
 * rows at each time: sorted ascending, the two of one time in file order. */
static void test_trace_sort(void **state)
{
    (void)state;
    const size_t n = 125000;
    cp_thermal_spec t;
    trace_spec(&t);
    cp_trace tr;
    cp_error err = {0};
    double took[2];
    for (int pass = 0; pass < 2; pass++) { /* n/4 rows, then n: the time must scale */
        size_t m = pass ? n : n / 4;
        char *text = malloc(m * 2 * 32 + 32);
        size_t at = (size_t)sprintf(text, "time_s,block,power_w\n");
        for (size_t i = 0; i < m; i++) {
            double tt = (double)(m - i) * 1e-3;
            at += (size_t)sprintf(text + at, "%.3f,core,%zu\n%.3f,oe,%zu\n", tt, i % 1000,
                                  tt, i % 1000);
        }
        write_file("desc.csv", text, at);
        free(text);
        double t0 = now_s();
        assert_int_equal(cp_trace_load(path_in("desc.csv"), &t, &tr, &err), 0);
        took[pass] = now_s() - t0;
        if (!pass)
            cp_trace_free(&tr);
    }
    /* insertion by time was quadratic (41 s at this size): 4x the rows must
     * cost less than 10x the time, measured in the same run */
    print_message("trace of %zu rows: %.3f s (a quarter: %.3f s)\n", 2 * n, took[1], took[0]);
    assert_true(took[1] < 10 * took[0] + 0.05);
    assert_int_equal(tr.n, 2 * n);
    for (size_t i = 0; i + 1 < tr.n; i++)
        assert_true(tr.ev[i].time_s <= tr.ev[i + 1].time_s);
    /* the last time (0.001 s) comes first: rows n-1 of each block, core then oe */
    assert_near(tr.ev[0].time_s, 1e-3, 1e-12);
    assert_int_equal(tr.ev[0].block, 0);
    assert_int_equal(tr.ev[1].block, 1);
    assert_near(tr.ev[0].power_w, (double)((n - 1) % 1000), 0);
    cp_trace_free(&tr);
}

/* A spreadsheet's export: BOM, CR LF, a blank CR LF line, spaces around the
 * block name, a 600-character comment (split at 511 before, with the rest
 * read as a row). */
static void test_trace_formats(void **state)
{
    (void)state;
    char text[2048];
    size_t at = (size_t)sprintf(text, "\xEF\xBB\xBFtime_s,block,power_w\r\n1.5, core ,80\r\n"
                                      "\r\n# ");
    memset(text + at, 'x', 600);
    at += 600;
    at += (size_t)sprintf(text + at, "\r\n2,oe,7.5\r\n");
    write_file("excel.csv", text, at);
    cp_thermal_spec t;
    trace_spec(&t);
    cp_trace tr;
    cp_error err = {0};
    if (cp_trace_load(path_in("excel.csv"), &t, &tr, &err)) {
        char buf[600];
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
    assert_int_equal(tr.n, 2);
    assert_near(tr.ev[0].time_s, 1.5, 0);
    assert_int_equal(tr.ev[0].block, 0);
    assert_near(tr.ev[0].power_w, 80, 0);
    assert_int_equal(tr.ev[1].block, 1);
    assert_near(tr.ev[1].power_w, 7.5, 0);
    cp_trace_free(&tr);
    /* a bad row after the long comment is reported at its own line (5) */
    at -= strlen("2,oe,7.5\r\n");
    at += (size_t)sprintf(text + at, "2,oe,1e300\r\n");
    write_file("excel-bad.csv", text, at);
    assert_int_equal(cp_trace_load(path_in("excel-bad.csv"), &t, &tr, &err), -1);
    assert_int_equal(err.line, 5);
    assert_int_equal(err.col, 6);
}

static cp_material mat(double k, double c)
{
    return (cp_material){.k_xy_w_per_mk = k, .k_z_w_per_mk = k, .c_j_per_m3k = c};
}

/* 10 x 10 mm copper, 1 mm thick, 8 x 8 cells, a 4 x 4 mm block of P on the
 * bottom, h on top at 25 C. */
static void plate(cp_thermal_spec *t, double h, double P)
{
    memset(t, 0, sizeof *t);
    t->block = test_blocks();
    t->size_x_m = t->size_y_m = 0.01;
    t->nx = t->ny = 8;
    t->nlayers = 1;
    t->layer[0] = (cp_tlayer){.thickness_m = 1e-3, .cells = 1, .mat = mat(400, 3.4e6)};
    t->nblocks = 1;
    t->block[0] = (cp_tblock){.name = "hot", .x0_m = 0.003, .y0_m = 0.003, .x1_m = 0.007,
                              .y1_m = 0.007, .power_w = P, .limit_c = 105};
    t->top = (cp_boundary){h, 25};
    t->tolerance = 1e-10;
}

/* Near-adiabatic cooling (h = 1e-12 W/m2K over 1 cm2: 1e-16 W/K against
 * ~0.4 W/K between cells): the true rise P / (h A) = 1e17 K cannot be
 * computed in doubles.  It printed 25 C and "pass"; now an error naming
 * the cause.  At h = 1e4 the same plate is fine and conserves heat. */
static void test_near_adiabatic_is_error(void **state)
{
    (void)state;
    cp_thermal_spec t;
    cp_thermal_grid *g;
    cp_thermal_result r = {0};
    cp_error err = {0};
    plate(&t, 1e-12, 10);
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), -1);
    assert_non_null(strstr(err.msg, "near-adiabatic"));
    cp_thermal_grid_free(g);
    cp_thermal_result_free(&r); /* allocated before the error */
    plate(&t, 1e4, 10);
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), 0);
    /* 1-D bound: mean rise >= P / (h A) = 10 / (1e4 * 1e-4) = 10 K */
    assert_true(r.block[0].mean_c > 35 && r.block[0].mean_c < 45);
    cp_thermal_grid_free(g);
    cp_thermal_result_free(&r);
}

/* No fixed block limit (it was 96): 200 tiles of 0.5 x 1 mm, 0.5 W each,
 * cover a 10 x 10 mm silicon / TIM / copper stack with h = 1e4 on top
 * (100 W in all).  Every column is then the 1-D series stack, whose heated
 * face is by hand at 25 + 100 (0.5e-3/130 + 50e-6/4 + 2e-3/400 + 1e-4)
 * / 1e-4 = 146.346 C, on every block. */
static void test_many_blocks(void **state)
{
    (void)state;
    cp_thermal_spec t;
    memset(&t, 0, sizeof t);
    t.size_x_m = t.size_y_m = 0.01;
    t.nx = t.ny = 20;
    t.nlayers = 3;
    const double th[3] = {0.5e-3, 50e-6, 2e-3}, k[3] = {130, 4, 400};
    for (int l = 0; l < 3; l++)
        t.layer[l] = (cp_tlayer){.thickness_m = th[l], .cells = 1, .mat = mat(k[l], 2e6)};
    assert_int_equal(cp_thermal_spec_set_blocks(&t, 200), 0);
    for (size_t b = 0; b < 200; b++) {
        double x = 0.5e-3 * (double)(b % 20), y = 1e-3 * (double)(b / 20);
        t.block[b] = (cp_tblock){.layer = 0, .x0_m = x, .y0_m = y, .x1_m = x + 0.5e-3,
                                 .y1_m = y + 1e-3, .src = CP_SRC_FIXED, .power_w = 0.5};
        snprintf(t.block[b].name, sizeof t.block[b].name, "tile%zu", b);
    }
    t.top = (cp_boundary){1e4, 25};
    t.bottom = (cp_boundary){0, 25};
    t.tolerance = 1e-12;
    t.solver = CP_SOLVER_CHOLMOD;
    cp_thermal_grid *g;
    cp_thermal_result r = {0};
    cp_error err = {0};
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), 0);
    assert_int_equal(cp_thermal_steady(g, &t, NULL, NULL, &r, &err), 0);
    assert_int_equal(r.nblocks, 200);
    for (size_t b = 0; b < 200; b++)
        assert_near(r.block[b].max_c, 146.346, 0.1);
    assert_near(r.total_power_w, 100, 1e-9);
    cp_thermal_grid_free(g);
    cp_thermal_result_free(&r);
    cp_thermal_spec_free(&t);
    assert_null(t.block);
}

/* A 0.5 mm block on 1.25 mm cells covered no cell centre: NaN and "pass".
 * Refused, naming the grid it needs: 10 mm / 0.5 mm = 20 cells. */
static void test_block_below_cell_is_error(void **state)
{
    (void)state;
    cp_thermal_spec t;
    cp_thermal_grid *g = NULL;
    cp_error err = {0};
    plate(&t, 1e4, 1);
    t.block[0].x0_m = 0.0031; /* [3.1, 3.6) mm: no centre (i + 0.5) 1.25 mm */
    t.block[0].x1_m = 0.0036;
    assert_int_equal(cp_thermal_grid_create(&t, &g, &err), -1);
    assert_non_null(strstr(err.msg, "block 'hot'"));
    assert_non_null(strstr(err.msg, "nx >= 20"));
    cp_thermal_grid_free(g);
}

/* Sizes before a run: a 4096^2 grid of 7 one-cell layers is 117.4 M cells,
 * about 26 GB on PFMG as the issue measured (222 bytes per cell): the
 * estimate must be in 25..32 GB and refused at the default 8 GB, accepted
 * at 40 GB; dt 1e-9 to 1e8 s is 1e17 steps, above 1e6. */
static void test_thermal_estimate(void **state)
{
    (void)state;
    cp_thermal_spec t;
    plate(&t, 1e4, 1);
    t.nx = t.ny = 4096;
    t.nlayers = 7;
    for (int l = 0; l < 7; l++)
        t.layer[l] = t.layer[0];
    cp_thermal_size z;
    cp_thermal_estimate(&t, &z);
    assert_near(z.cells, 4096.0 * 4096 * 7, 0);
    assert_between(z.bytes / 1e9, 25, 32);
    cp_error err = {0};
    assert_int_equal(cp_thermal_check_size(&t, &err), -1);
    assert_non_null(strstr(err.msg, "the limit is 8 GB"));
    t.max_memory_gb = 40;
    assert_int_equal(cp_thermal_check_size(&t, &err), 0);
    t.dt_s = 1e-9;
    t.t_end_s = 1e8;
    cp_thermal_estimate(&t, &z);
    assert_near(z.steps, 1e17, 1e3);
    assert_int_equal(cp_thermal_check_size(&t, &err), -1);
    assert_non_null(strstr(err.msg, "max_steps"));
}

/* The graph of 4M GPUs on 64 planes (issue: ~11 GB of RAM): the estimate
 * is refused at 8 GB before anything is allocated, and the graph of a small
 * fabric fits its estimate. */
static void test_graph_estimate(void **state)
{
    (void)state;
    cp_catalog *cat = load_catalog();
    cp_fabric_spec f;
    cp_fabric_result r;
    cp_error err = {0};
    char path[1024];
    snprintf(path, sizeof path, "%s/../scenarios/cluster-1m-cpo.yaml", data_dir());
    const char *sets[] = {"fabric.gpus=4000000", "fabric.planes=64"};
    assert_int_equal(cp_fabric_load(path, cat, sets, 2, &f, &err), 0);
    assert_int_equal(cp_fabric_eval(&f, &r, &err), 0);
    assert_between(cp_fabric_graph_bytes(&r) / 1e9, 9, 16);
    cp_fabric_graph g;
    assert_int_equal(cp_fabric_graph_build(&f, &r, 0, &g, &err), -1);
    assert_non_null(strstr(err.msg, "the limit is 8 GB"));
    snprintf(path, sizeof path, "%s/../scenarios/cluster-8k-leaf-spine.yaml", data_dir());
    assert_int_equal(cp_fabric_load(path, cat, NULL, 0, &f, &err), 0);
    assert_int_equal(cp_fabric_eval(&f, &r, &err), 0);
    assert_int_equal(cp_fabric_graph_build(&f, &r, 0, &g, &err), 0);
    double used = (double)(g.nodes + 1) * sizeof(size_t) * 2 +
                  (double)g.edges * 2 * (sizeof(unsigned) + 2);
    assert_true(cp_fabric_graph_bytes(&r) >= used);
    cp_fabric_graph_free(&g);
    cp_catalog_free(cat);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_duplicate_key_linear),
        cmocka_unit_test(test_include_fanout),
        cmocka_unit_test(test_include_file_limit),
        cmocka_unit_test(test_trace_sort),
        cmocka_unit_test(test_trace_formats),
        cmocka_unit_test(test_near_adiabatic_is_error),
        cmocka_unit_test(test_many_blocks),
        cmocka_unit_test(test_block_below_cell_is_error),
        cmocka_unit_test(test_thermal_estimate),
        cmocka_unit_test(test_graph_estimate),
    };
    /* the thermal cases solve with HYPRE, which needs MPI: the program
     * starts it (the library never does) */
    cp_error err = {0};
    if (cp_init(NULL, NULL, CP_INIT_MPI, &err)) {
        fprintf(stderr, "cp_init: %s\n", err.msg);
        return 1;
    }
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    cp_finalize();
    return rc;
}
