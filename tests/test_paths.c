/*
 * test_paths.c — the data directory a library user gets (issue 13 item 3),
 * presets included by name from a scenario outside scenarios/ (item 7), and
 * paths as messages show them (item 11).
 */
#include "testutil.h"

#include "internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_normalize(void **state)
{
    (void)state;
    static const struct { const char *in, *want; } cases[] = {
        {"/work/x/build/../data/../scenarios/bailly-51t.yaml", "/work/x/scenarios/bailly-51t.yaml"},
        {"build/../data/../scenarios/a.yaml", "scenarios/a.yaml"},
        {"./a//b/./c", "a/b/c"},
        {"../a/../../b", "../../b"}, /* leading .. cannot collapse */
        {"/../a", "/a"},             /* nothing above the root */
        {"a/..", "."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char p[256];
        snprintf(p, sizeof p, "%s", cases[i].in);
        cp_path_normalize(p, sizeof p);
        assert_string_equal(p, cases[i].want);
    }
}

/* $CPOSIM_DATA wins, normalised; without it, the library finds the data
 * beside the test binary's build/ directory: build/tests/../data does not
 * exist, so it is the compiled-in directory — a data directory either way,
 * never an empty string. */
static void test_data_dir(void **state)
{
    (void)state;
    char cwd[PATH_MAX], want[PATH_MAX + 32], got[PATH_MAX + 32];
    assert_non_null(getcwd(cwd, sizeof cwd));
    const char *old = getenv("CPOSIM_DATA");
    char *keep = old ? strdup(old) : NULL;
    snprintf(want, sizeof want, "%s/build/../data", cwd);
    setenv("CPOSIM_DATA", want, 1);
    assert_int_equal(cp_data_dir(got, sizeof got), 0);
    snprintf(want, sizeof want, "%s/data", cwd);
    assert_string_equal(got, want);
    setenv("CPOSIM_DATA", "/nonexistent-cposim-data", 1);
    assert_int_equal(cp_data_dir(got, sizeof got), -1);
    unsetenv("CPOSIM_DATA");
    cp_data_dir(got, sizeof got);
    assert_true(got[0] == '/');
    if (keep)
        setenv("CPOSIM_DATA", keep, 1);
    free(keep);
}

/* A build tree keeps its presets beside data/, an install inside it. */
static void test_preset_dir(void **state)
{
    (void)state;
    char cwd[PATH_MAX], data[PATH_MAX + 16], got[PATH_MAX + 32], want[PATH_MAX + 32];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(data, sizeof data, "%s/data", cwd);
    assert_int_equal(cp_preset_dir(data, got, sizeof got), 0);
    snprintf(want, sizeof want, "%s/scenarios", cwd);
    assert_string_equal(got, want);
    assert_int_equal(cp_preset_dir("/nonexistent-cposim-data", got, sizeof got), -1);
}

/* Issue 13 item 7: a scenario of the user's own, in a directory of its own,
 * includes a preset by name and changes one figure.  It failed with
 * "cannot include 'bailly-51t.yaml': No such file" before. */
static void test_include_preset_by_name(void **state)
{
    (void)state;
    char dir[] = "/tmp/cposim-inc-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/mine.yaml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("include: bailly-51t.yaml\nname: mine\nsystem:\n  board_other_w: 100\n", f);
    fclose(f);
    char cwd[PATH_MAX], data[PATH_MAX + 16];
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(data, sizeof data, "%s/data", cwd);
    const char *old = getenv("CPOSIM_DATA");
    char *keep = old ? strdup(old) : NULL;
    setenv("CPOSIM_DATA", data, 1);
    cp_catalog *cat = load_catalog();
    cp_design d;
    cp_error err = {0};
    int rc = cp_scenario_load(path, cat, NULL, 0, &d, &err);
    if (rc)
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
    assert_int_equal(rc, 0);
    assert_string_equal(d.name, "mine");
    assert_int_equal(d.group[0].count, 64); /* bailly-51t's 64 x 800G */
    assert_near(d.sys.board_other_w, 100, 0);
    /* a name that is neither beside it nor a preset names the file beside it */
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("include: no-such-preset.yaml\nname: mine\n", f);
    fclose(f);
    assert_int_equal(cp_scenario_load(path, cat, NULL, 0, &d, &err), -1);
    assert_non_null(strstr(err.msg, "cannot include 'no-such-preset.yaml'"));
    cp_catalog_free(cat);
    unlink(path);
    rmdir(dir);
    if (keep)
        setenv("CPOSIM_DATA", keep, 1);
    else
        unsetenv("CPOSIM_DATA");
    free(keep);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalize),
        cmocka_unit_test(test_data_dir),
        cmocka_unit_test(test_preset_dir),
        cmocka_unit_test(test_include_preset_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
