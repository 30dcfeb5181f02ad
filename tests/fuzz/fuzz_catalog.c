/*
 * fuzz_catalog.c — libFuzzer harness for the catalog and the bibliography.
 *
 * A scratch data directory mirrors data/ through links.  The first byte of
 * the input picks what the rest replaces: sources.yaml, one of the catalog
 * files, or a new catalog file beside them.  The catalog is loaded; when it
 * loads, every entry and parameter is listed (as `cposim catalog show`
 * does), and presets that reference it (two switch designs, a thermal
 * package's design, a fabric with its reliability classes) are loaded and
 * evaluated against it: every figure must be finite.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS catalog
 */
#include "fuzz_common.h"

#define MAX_FILES 64

static char g_real[1100];           /* the real data directory, absolute */
static char g_files[MAX_FILES][256]; /* the YAML files of data/catalog */
static size_t g_nfiles;
static char g_target[1400];          /* the file the last input replaced */
static cp_design g_design;
static cp_result g_result;
static cp_fabric_spec g_fab;
static cp_fabric_result g_fr;
static cp_rel_spec g_rel;
static cp_rel_inputs g_in;

static int cmp_name(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* dst becomes a link to src again */
static void relink(const char *dst, const char *src)
{
    unlink(dst);
    if (symlink(src, dst) != 0)
        fz_die("fuzz: symlink");
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(false, false);
    if (!realpath(fz_data, g_real))
        fz_die("fuzz: data directory");
    char p[1400];
    snprintf(p, sizeof p, "%s/catalog", g_real);
    DIR *d = opendir(p);
    if (!d)
        fz_die("fuzz: opendir catalog");
    struct dirent *e;
    while ((e = readdir(d)) != NULL && g_nfiles < MAX_FILES)
        if (strstr(e->d_name, ".yaml"))
            snprintf(g_files[g_nfiles++], sizeof g_files[0], "%s", e->d_name);
    closedir(d);
    qsort(g_files, g_nfiles, sizeof g_files[0], cmp_name);
    if (mkdir(fz_path("catalog"), 0700) != 0)
        fz_die("fuzz: mkdir");
    snprintf(p, sizeof p, "%s/sources.yaml", g_real);
    relink(fz_path("sources.yaml"), p);
    for (size_t i = 0; i < g_nfiles; i++) {
        char dst[1400];
        snprintf(p, sizeof p, "%s/catalog/%s", g_real, g_files[i]);
        snprintf(dst, sizeof dst, "catalog/%s", g_files[i]);
        relink(fz_path(dst), p);
    }
    return 0;
}

static void restore_target(void)
{
    if (!g_target[0])
        return;
    if (strstr(g_target, "zz-fuzz.yaml")) {
        unlink(g_target);
    } else {
        char src[1500];
        const char *rel = g_target + strlen(fz_dir) + 1;
        snprintf(src, sizeof src, "%s/%s", g_real, rel);
        relink(g_target, src);
    }
    g_target[0] = '\0';
}

static void use_catalog(cp_catalog *cat)
{
    for (size_t i = 0; i < cp_catalog_count(cat); i++) {
        cp_entry_info e;
        cp_param_info pi;
        if (cp_catalog_entry(cat, i, &e) == 0)
            for (size_t k = 0; k < e.nparams; k++)
                cp_catalog_param(cat, i, k, &pi);
    }
    static const char *const designs[] = {"bailly-51t", "pluggable-800g-51t",
                                          "thermal-bailly-51t-coldplate"};
    cp_error err = {0};
    char path[1400];
    for (size_t i = 0; i < sizeof designs / sizeof *designs; i++) {
        snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", g_real, designs[i]);
        if (cp_scenario_load(path, cat, NULL, 0, &g_design, &err) == 0) {
            cp_design_eval(&g_design, &g_result);
            fz_check_design(&g_result);
        }
    }
    snprintf(path, sizeof path, "%s/../scenarios/cluster-8k-leaf-spine.yaml", g_real);
    if (cp_fabric_load(path, cat, NULL, 0, &g_fab, &err) == 0 &&
        cp_fabric_eval(&g_fab, &g_fr, &err) == 0) {
        fz_check_fabric(&g_fr);
        if (cp_rel_load(path, cat, NULL, 0, &g_rel, &g_in, &err) == 0 &&
            cp_rel_classes_build(&g_fab, &g_fr, &g_in, &g_rel, &err) == 0)
            FZ_FINITE(fz_rel_events(&g_rel));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    restore_target();
    size_t pick = data[0] % (g_nfiles + 2);
    char name[300];
    if (pick == 0)
        snprintf(name, sizeof name, "sources.yaml");
    else if (pick <= g_nfiles)
        snprintf(name, sizeof name, "catalog/%s", g_files[pick - 1]);
    else
        snprintf(name, sizeof name, "catalog/zz-fuzz.yaml");
    unlink(fz_path(name));
    snprintf(g_target, sizeof g_target, "%s", fz_write(name, data + 1, size - 1));
    cp_catalog *cat = NULL;
    cp_error err = {0};
    char buf[1024];
    if (cp_catalog_load(fz_dir, &cat, &err) == 0) {
        use_catalog(cat);
        cp_catalog_free(cat);
    } else {
        fz_note(&err);
    }
    return 0;
}
