/*
 * fuzz_yield.c — libFuzzer harness for the manufacturing section (package
 * yield and cost of a good unit) and the requirements file (cposim comply).
 *
 * The first byte picks the surface; the rest is the file.
 *  - even: a switch scenario written next to links to every preset (so
 *    `include: yield-bailly-51t.yaml` works), loaded and evaluated, its
 *    `manufacturing:` section loaded with the Monte Carlo cut to 50
 *    packages, the yield run, the cost of a good unit and the cost-volume
 *    curve computed.  Oracle: yields are shares in [0, 1], costs finite.
 *  - odd: data/requirements.yaml replaced by the input (the catalog beside
 *    it is the bundled one), loaded and checked against bailly-51t.
 *    Oracle: every check's value and margin are numbers or it fails.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS yield
 */
#include "fuzz_common.h"

static const char *const g_sets[] = {"manufacturing.packages=50"};
static cp_design g_d, g_bailly;
static cp_result g_r, g_bailly_r;
static cp_mfg g_m;
static cp_requirements g_q;
static cp_compliance g_c;
static char g_req_dir[1200];

static void share(double x, const char *what)
{
    if (!(x >= 0 && x <= 1)) {
        fprintf(stderr, "fuzz oracle: %s = %g, not a share\n", what, x);
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(true, true);
    /* a data directory of links to the bundled files, requirements replaced */
    snprintf(g_req_dir, sizeof g_req_dir, "%s", fz_path("data"));
    if (mkdir(g_req_dir, 0700) != 0)
        fz_die("fuzz: mkdir data");
    char abs[4096], from[4400], to[2400];
    if (!realpath(fz_data, abs))
        fz_die("fuzz: data directory");
    snprintf(from, sizeof from, "%s/catalog", abs);
    snprintf(to, sizeof to, "%s/catalog", g_req_dir);
    if (symlink(from, to) != 0)
        fz_die("fuzz: symlink catalog");
    snprintf(from, sizeof from, "%s/sources.yaml", abs);
    snprintf(to, sizeof to, "%s/sources.yaml", g_req_dir);
    if (symlink(from, to) != 0)
        fz_die("fuzz: symlink sources");
    cp_error err = {0};
    char path[4400];
    snprintf(path, sizeof path, "%s/../scenarios/bailly-51t.yaml", abs);
    if (cp_scenario_load(path, fz_cat, NULL, 0, &g_bailly, &err)) {
        fprintf(stderr, "fuzz: bailly-51t: %s\n", err.msg);
        exit(1);
    }
    cp_design_eval(&g_bailly, &g_bailly_r);
    return 0;
}

static void manufacturing(const uint8_t *data, size_t size)
{
    const char *path = fz_write("scenario.yaml", data, size);
    cp_error err = {0};
    if (cp_scenario_load(path, fz_cat, g_sets, 1, &g_d, &err)) {
        fz_note(&err);
        return;
    }
    cp_design_eval(&g_d, &g_r);
    if (cp_mfg_load(path, fz_cat, g_sets, 1, &g_m, &err)) {
        fz_note(&err);
        return;
    }
    cp_yield_spec s;
    cp_yield_result y;
    cp_unit_cost c;
    static cp_cost_curve cc;
    if (cp_yield_spec_of(&g_d, &g_r, &g_m, &s, &err) || cp_yield_run(&s, 1, &y, &err)) {
        fz_note(&err);
        return;
    }
    share(y.package_yield, "package_yield");
    share(y.engine_yield, "engine_yield");
    share(y.pluggable_package_yield, "pluggable_package_yield");
    if (cp_unit_cost_eval(&g_m, &s, &y, g_r.ports, g_m.volume, &c, &err) ||
        cp_cost_volume_curve(&g_m, &s, &y, g_r.ports, 1e2, 1e6, 8, &cc, &err)) {
        fz_note(&err);
        return;
    }
    FZ_FINITE(c.good_package_usd);
    FZ_FINITE(c.cpo_port_usd);
    FZ_FINITE(c.pluggable_port_usd);
    for (size_t i = 0; i < cc.n; i++)
        FZ_FINITE(cc.cpo_port_usd[i]);
}

static void requirements(const uint8_t *data, size_t size)
{
    char name[1300];
    snprintf(name, sizeof name, "data/requirements.yaml");
    fz_write(name, data, size);
    cp_error err = {0};
    if (cp_requirements_load(g_req_dir, fz_cat, &g_q, &err)) {
        fz_note(&err);
        return;
    }
    cp_comply(&g_bailly, &g_bailly_r, &g_q, &g_c);
    for (size_t i = 0; i < g_c.n; i++)
        if (g_c.c[i].pass && !(isfinite(g_c.c[i].value) && isfinite(g_c.c[i].margin))) {
            fprintf(stderr, "fuzz oracle: check %zu passes with value %g, margin %g\n", i,
                    g_c.c[i].value, g_c.c[i].margin);
            abort();
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    if (data[0] & 1)
        requirements(data + 1, size - 1);
    else
        manufacturing(data + 1, size - 1);
    return 0;
}
