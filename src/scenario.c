/*
 * scenario.c — a scenario file (YAML) into a cp_design: includes merged,
 * --set overrides applied, catalog references resolved, every value checked.
 */
#include "internal.h"

#include <float.h>
#include <libgen.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_INCLUDE_DEPTH 8


static const cp_field system_fields[] = {
    {"conversion_efficiency", CP_F_NUM, offsetof(cp_system, conversion_efficiency), 0, false, 0.05, 1, NULL},
    {"cooling_fraction", CP_F_NUM, offsetof(cp_system, cooling_fraction), 0, false, 0, 2, NULL},
    {"board_other_w", CP_F_NUM, offsetof(cp_system, board_other_w), 0, false, 0, 1e5, NULL},
    {"rack_units", CP_F_NUM, offsetof(cp_system, rack_units), 0, false, 0.5, 100, NULL},
    {"faceplate_cages_per_ru", CP_F_INT, offsetof(cp_system, faceplate_cages_per_ru), 0, false, 1, 1000, NULL},
    {"fibers_per_mpo", CP_F_INT, offsetof(cp_system, fibers_per_mpo), 0, false, 1, 128, NULL},
    {"price_usd", CP_F_NUM, offsetof(cp_system, price_usd), 0, false, 0, 1e9, NULL},
};

static const cp_field group_fields[] = {
    {"media", CP_F_ENUM, offsetof(cp_port_group, media), 0, true, 0, 0, "pluggable|lpo|cpo"},
    {"count", CP_F_INT, offsetof(cp_port_group, count), 0, true, 1, 1e6, NULL},
    {"speed_gbps", CP_F_NUM, offsetof(cp_port_group, speed_gbps), 0, true, 1, 1e5, NULL},
};

/* ------------------------------------------------------------- includes
 * Each file is loaded once per scenario: a file included twice (a diamond,
 * or a list naming it eight times) merges the same resolved tree again, so
 * the work grows with the number of distinct files, not with the paths
 * through them (8 files each including the next 8 times took 24 s and
 * 1.8 GB at depth 7).  A file still being resolved when it is included again
 * is a cycle.  At most MAX_INCLUDE_FILES files and MAX_INCLUDE_BYTES of text
 * go into one scenario. */
#define MAX_INCLUDE_FILES 64
#define MAX_INCLUDE_BYTES (32u << 20)

typedef struct inc_file {
    dev_t dev;            /* the file, whatever path names it */
    ino_t ino;
    cp_node *tree;        /* resolved; NULL while being resolved */
} inc_file;

typedef struct inc_set {
    inc_file file[MAX_INCLUDE_FILES];
    size_t n;
    unsigned long long bytes;
} inc_set;

static cp_node *load_tree(cp_pool *p, inc_set *s, const char *path, int depth,
                          cp_error *err);

static bool has_yaml_ext(const char *path)
{
    size_t n = strlen(path);
    return (n > 5 && strcmp(path + n - 5, ".yaml") == 0) ||
           (n > 4 && strcmp(path + n - 4, ".yml") == 0);
}

/* The resolved tree of path: from the set when loaded before, else loaded,
 * its includes merged, and remembered. */
static cp_node *include_tree(cp_pool *p, inc_set *s, const cp_node *inc,
                             const char *path, int depth, cp_error *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return load_tree(p, s, path, depth + 1, err); /* reports why */
    for (size_t i = 0; i < s->n; i++)
        if (s->file[i].dev == st.st_dev && s->file[i].ino == st.st_ino) {
            if (!s->file[i].tree)
                cp_node_fail(err, inc, "include cycle: '%s' is this file or one that includes it",
                             inc->scalar);
            return s->file[i].tree;
        }
    s->bytes += (unsigned long long)st.st_size;
    if (s->bytes > MAX_INCLUDE_BYTES) {
        cp_node_fail(err, inc, "includes add up to more than %u MiB of text",
                     MAX_INCLUDE_BYTES >> 20);
        return NULL;
    }
    if (s->n >= MAX_INCLUDE_FILES) {
        cp_node_fail(err, inc, "more than %d files included", MAX_INCLUDE_FILES);
        return NULL;
    }
    size_t me = s->n++;
    s->file[me] = (inc_file){st.st_dev, st.st_ino, NULL};
    return s->file[me].tree = load_tree(p, s, path, depth + 1, err);
}

/* `include: base-th5.yaml` in a file of the user's own, outside the
 * presets: a plain name that is not beside the including file is looked for
 * among the bundled presets, so that a scenario can build on one by name.
 * path is left as it was when the preset does not exist either (the error
 * then names the file beside the includer). */
static void preset_fallback(const char *name, char *path, size_t len)
{
    struct stat st;
    char data[1024], presets[1536], cand[2048];
    if (strchr(name, '/') || stat(path, &st) == 0 || cp_data_dir(data, sizeof data) ||
        cp_preset_dir(data, presets, sizeof presets))
        return;
    snprintf(cand, sizeof cand, "%s/%s", presets, name);
    if (stat(cand, &st) == 0)
        cp_strlcpy(path, cand, len);
}

static int merge_include(cp_pool *p, inc_set *s, cp_node *acc, const cp_node *inc,
                         const char *from, int depth, cp_error *err)
{
    if (inc->kind != CP_NODE_SCALAR)
        return cp_node_fail(err, inc, "'include' takes a file name or a list of them");
    char dir[1024], path[2048];
    cp_strlcpy(dir, from, sizeof dir);
    if (inc->scalar[0] == '/')
        cp_strlcpy(path, inc->scalar, sizeof path);
    else
        snprintf(path, sizeof path, "%s/%s", dirname(dir), inc->scalar);
    cp_path_normalize(path, sizeof path);
    preset_fallback(inc->scalar, path, sizeof path);
    /* only scenario files: an error about a key of any other file would
     * print a piece of it (include: /etc/shadow) */
    if (!has_yaml_ext(path))
        return cp_node_fail(err, inc, "cannot include '%s': not a scenario file "
                                      "(expected a name ending in .yaml)", inc->scalar);
    if (depth >= MAX_INCLUDE_DEPTH)
        return cp_node_fail(err, inc, "includes nested deeper than %d",
                            MAX_INCLUDE_DEPTH);
    cp_node *t = include_tree(p, s, inc, path, depth, err);
    if (!t) {
        if (err->line == 0) /* the file itself is missing: point at the include */
            cp_node_fail(err, inc, "cannot include '%s': %s", inc->scalar,
                         err->msg);
        return -1;
    }
    return cp_node_merge(p, acc, t, err);
}

static cp_node *load_tree(cp_pool *p, inc_set *s, const char *path, int depth,
                          cp_error *err)
{
    cp_node *root = cp_yaml_load(p, path, NULL, 0, err);
    if (!root)
        return NULL;
    const cp_node *inc = cp_node_get(root, "include");
    if (!inc)
        return root;
    cp_node *acc = cp_node_new(p, CP_NODE_MAP, root->file, root->line, root->col);
    if (!acc)
        return NULL;
    if (inc->kind == CP_NODE_SEQ) {
        for (size_t i = 0; i < inc->n; i++)
            if (merge_include(p, s, acc, inc->items[i], path, depth, err))
                return NULL;
    } else if (merge_include(p, s, acc, inc, path, depth, err)) {
        return NULL;
    }
    /* the including file wins; drop its include key */
    for (size_t i = 0; i < root->n; i++)
        if (strcmp(root->items[i]->key, "include") == 0) {
            memmove(&root->items[i], &root->items[i + 1],
                    (root->n - i - 1) * sizeof *root->items);
            root->n--;
            break;
        }
    return cp_node_merge(p, acc, root, err) ? NULL : acc;
}

/* ------------------------------------------------------------- binding */

static int forbid(const cp_node *g, const char *key, const char *media,
                  cp_error *err)
{
    const cp_node *n = cp_node_get(g, key);
    return n ? cp_key_fail(err, n, "'%s' does not apply to %s ports", key, media)
             : 0;
}

static int bind_group(const cp_catalog *cat, cp_pool *pool, const cp_node *g,
                      cp_port_group *pg, cp_error *err)
{
    static const char *const extra[] = {"name", "channel", "link", "module",
                                        "engine", "laser", "note", NULL};
    if (g->kind != CP_NODE_MAP)
        return cp_node_fail(err, g, "a port group must be a mapping");
    const char *name = cp_item_name(g, "port group", err);
    if (!name)
        return -1;
    memset(pg, 0, sizeof *pg);
    cp_strlcpy(pg->name, name, sizeof pg->name);
    char what[96];
    snprintf(what, sizeof what, "port group '%s'", pg->name);
    cp_bind_ctx ctx = {g, what, extra};
    if (cp_bind(&ctx, group_fields, sizeof group_fields / sizeof *group_fields,
                pg, err))
        return -1;
    if (cp_bind_ref(cat, pool, "channel", g, "channel", true, &pg->channel, err) ||
        cp_bind_ref(cat, pool, "link", g, "link", true, &pg->link, err))
        return -1;
    if (pg->media == CP_MEDIA_CPO) {
        if (forbid(g, "module", "cpo", err) ||
            cp_bind_ref(cat, pool, "engine", g, "engine", true, &pg->engine, err) ||
            cp_bind_ref(cat, pool, "laser", g, "laser", true, &pg->laser, err))
            return -1;
        return 0;
    }
    const char *media = cp_media_name(pg->media);
    if (forbid(g, "engine", media, err) || forbid(g, "laser", media, err) ||
        cp_bind_ref(cat, pool, "module", g, "module", true, &pg->module, err))
        return -1;
    if (pg->module.rate_gbps != pg->speed_gbps)
        return cp_node_fail(err, cp_node_get(g, "module"),
                            "module '%s' runs at %g Gb/s but the ports are %g "
                            "Gb/s", pg->module.name, pg->module.rate_gbps,
                            pg->speed_gbps);
    if (pg->link.tx_oma_dbm <= -99)
        return cp_node_fail(err, cp_node_get(g, "link"),
                            "link '%s' has no tx_oma_dbm: a %s port needs its "
                            "transmitter's OMA", pg->link.name, media);
    return 0;
}

static int bind_ports(const cp_catalog *cat, cp_pool *pool, const cp_node *root, cp_design *d,
                      cp_error *err)
{
    const cp_node *ports = cp_node_get(root, "ports");
    if (!ports)
        return cp_node_fail(err, root, "missing required field 'ports'");
    if (ports->kind != CP_NODE_SEQ || ports->n == 0)
        return cp_node_fail(err, ports, "'ports' must be a non-empty list of "
                                        "port groups");
    if (ports->n > CP_MAX_GROUPS)
        return cp_node_fail(err, ports->items[CP_MAX_GROUPS],
                            "at most %d port groups", CP_MAX_GROUPS);
    for (size_t i = 0; i < ports->n; i++)
        if (bind_group(cat, pool, ports->items[i], &d->group[i], err))
            return -1;
    d->ngroups = ports->n;
    return 0;
}

static int bind_serdes(const cp_catalog *cat, cp_pool *pool, const cp_node *root, cp_design *d,
                       cp_error *err)
{
    const cp_node *list = cp_node_get(root, "serdes");
    if (list) {
        if (list->kind != CP_NODE_SEQ || list->n == 0 || list->n > CP_MAX_SERDES)
            return cp_node_fail(err, list, "'serdes' must be a list of 1..%d "
                                           "SerDes class names", CP_MAX_SERDES);
        for (size_t i = 0; i < list->n; i++) {
            cp_node holder = {.kind = CP_NODE_MAP, .n = 1, .items = &list->items[i]};
            cp_node *it = list->items[i];
            const char *saved = it->key;
            it->key = "serdes";
            int rc = cp_bind_ref(cat, pool, "serdes", &holder, "serdes", true,
                                 &d->serdes[i], err);
            it->key = (char *)saved;
            if (rc)
                return -1;
        }
        d->nserdes = list->n;
        return 0;
    }
    const cp_node *all[CP_MAX_SERDES];
    size_t n = cp_catalog_class_entries(cat, "serdes", all, CP_MAX_SERDES);
    if (n > CP_MAX_SERDES)
        n = CP_MAX_SERDES;
    for (size_t i = 0; i < n; i++)
        if (cp_bind_entry(cat, pool, "serdes", all[i], &d->serdes[i], err))
            return -1;
    d->nserdes = n;
    return 0;
}

static int bind_system(const cp_node *root, cp_design *d, cp_error *err)
{
    /* defaults: an ideal, fan-less, one-RU box unless the scenario says */
    d->sys.conversion_efficiency = 1.0;
    d->sys.rack_units = 1;
    d->sys.faceplate_cages_per_ru = 32;
    d->sys.fibers_per_mpo = 16;
    const cp_node *s = cp_node_get(root, "system");
    if (!s)
        return 0;
    static const char *const extra[] = {"note", NULL};
    cp_bind_ctx ctx = {s, "system", extra};
    return cp_bind(&ctx, system_fields, sizeof system_fields / sizeof *system_fields,
                   &d->sys, err);
}

static int check_sources(const cp_catalog *cat, const cp_node *root,
                         cp_error *err)
{
    const cp_node *s = cp_node_get(root, "sources");
    if (!s)
        return 0;
    if (s->kind != CP_NODE_SEQ)
        return cp_node_fail(err, s, "'sources' must be a list of bibliography keys");
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i]->kind != CP_NODE_SCALAR ||
            !cp_catalog_source_title(cat, s->items[i]->scalar))
            return cp_node_fail(err, s->items[i],
                                "unknown source '%s'; expected a key of "
                                "data/sources.yaml",
                                s->items[i]->kind == CP_NODE_SCALAR
                                    ? s->items[i]->scalar : "?");
    return 0;
}

/* Every {value, source: KEY} in the scenario names a bibliography key, and a
 * calibrated figure names the source it was fitted to. */
static int check_param_sources(const cp_catalog *cat, const cp_node *n,
                               cp_error *err)
{
    if (n->kind == CP_NODE_MAP && cp_node_get(n, "value")) {
        const cp_node *src = cp_node_get(n, "source");
        const cp_node *cal = cp_node_get(n, "calibrated");
        if (src && (src->kind != CP_NODE_SCALAR ||
                    !cp_catalog_source_title(cat, src->scalar)))
            return cp_node_fail(err, src,
                                "unknown source '%s'; expected a key of "
                                "data/sources.yaml",
                                src->kind == CP_NODE_SCALAR ? src->scalar : "?");
        if (cal && !src)
            return cp_node_fail(err, cal,
                                "a calibrated figure needs the source it was "
                                "fitted to: {value, source: KEY, calibrated: \"how\"}");
        return 0;
    }
    for (size_t i = 0; i < n->n; i++)
        if (check_param_sources(cat, n->items[i], err))
            return -1;
    return 0;
}

static int bind_design(const cp_catalog *cat, cp_pool *pool, const cp_node *root, cp_design *d,
                       cp_error *err)
{
    static const char *const top[] = {"name", "title", "description", "sources",
                                      "asic", "serdes", "retimer", "ports",
                                      "system", "thermal", "reliability",
                                      "economics", "manufacturing", "note", NULL};
    if (cp_check_keys(root, "a scenario", top, err) || check_sources(cat, root, err) ||
        cp_check_param_sources(cat, root, err) || check_param_sources(cat, root, err))
        return -1;
    const cp_node *nm = cp_node_get(root, "name");
    const cp_node *ti = cp_node_get(root, "title");
    cp_strlcpy(d->name, nm && nm->kind == CP_NODE_SCALAR ? nm->scalar : "", CP_NAME_MAX);
    cp_strlcpy(d->title, ti && ti->kind == CP_NODE_SCALAR ? ti->scalar : "", CP_TEXT_MAX);
    d->has_asic = cp_node_get(root, "asic") != NULL;
    d->has_retimer = cp_node_get(root, "retimer") != NULL;
    if (cp_bind_ref(cat, pool, "asic", root, "asic", false, &d->asic, err) ||
        cp_bind_ref(cat, pool, "retimer", root, "retimer", false, &d->retimer, err) ||
        bind_serdes(cat, pool, root, d, err) || bind_system(root, d, err))
        return -1;
    return bind_ports(cat, pool, root, d, err);
}

/* keys whose scalar value names a catalog entry */
static const char *const ref_keys[] = {
    "asic", "retimer", "channel", "link", "module", "engine", "laser",
    "modulator", "driver", "tia", "photodetector", "coupler", "fiber",
    "connector", "trace", "material", "die_material", "assembly", "package_parts",
    NULL};

/* A scenario's name and title, whatever its kind: one line of printable
 * text that fits (a list became "", an escape sequence went to the
 * terminal). */
static int check_titles(const cp_node *root, cp_error *err)
{
    static const struct { const char *key; size_t max; } text[] = {
        {"name", CP_NAME_MAX}, {"title", CP_TEXT_MAX}};
    for (size_t i = 0; i < sizeof text / sizeof *text; i++) {
        const cp_node *n = cp_node_get(root, text[i].key);
        if (!n)
            continue;
        if (cp_check_text(n, err))
            return -1;
        if (strlen(n->scalar) >= text[i].max)
            return cp_node_fail(err, n, "'%s' is longer than %zu characters",
                                text[i].key, text[i].max - 1);
    }
    return 0;
}

/* After --set the design is no longer the one its title describes ("64 x
 * 800G" after ports.cpo.count=32): the title says what was changed, so that
 * every report of it (table, JSON, HTML) does.  Cut to fit CP_TEXT_MAX. */
static void title_with_sets(cp_pool *pool, cp_node *root, const char *const *sets,
                            size_t nsets)
{
    cp_node *ti = (cp_node *)cp_node_get(root, "title");
    if (!ti || ti->kind != CP_NODE_SCALAR || nsets == 0)
        return;
    char t[CP_TEXT_MAX];
    size_t at = (size_t)snprintf(t, sizeof t, "%s (with --set", ti->scalar);
    for (size_t i = 0; i < nsets && at < sizeof t; i++)
        at += (size_t)snprintf(t + at, sizeof t - at, " %s", sets[i]);
    if (at < sizeof t)
        snprintf(t + at, sizeof t - at, ")");
    else /* cut: end with an ellipsis */
        memcpy(t + sizeof t - 5, "...)", 5);
    const char *s = cp_pool_intern(pool, t);
    if (s)
        ti->scalar = (char *)s;
}

cp_node *cp_scenario_tree(cp_pool *pool, const char *path,
                          const char *const *sets, size_t nsets, cp_error *err)
{
    inc_set *s = calloc(1, sizeof *s);
    if (!s) {
        cp_fail(err, path, 0, 0, "out of memory");
        return NULL;
    }
    /* the scenario itself is the first file: including it is a cycle */
    struct stat st;
    if (stat(path, &st) == 0)
        s->file[s->n++] = (inc_file){st.st_dev, st.st_ino, NULL};
    cp_node *root = load_tree(pool, s, path, 0, err);
    free(s);
    for (size_t i = 0; root && i < nsets; i++)
        if (cp_node_set_path(pool, root, sets[i], ref_keys, err))
            return NULL;
    if (!root || check_titles(root, err))
        return NULL;
    title_with_sets(pool, root, sets, nsets);
    return root;
}

int cp_scenario_bind(const char *path, const char *const *sets, size_t nsets,
                     cp_tree_binder bind, void *ctx, cp_error *err)
{
    cp_pool pool = {0};
    cp_node *root = cp_scenario_tree(&pool, path, sets, nsets, err);
    int rc = root ? bind(&pool, root, ctx, err) : -1;
    cp_pool_free(&pool);
    return rc;
}

typedef struct design_ctx {
    const cp_catalog *cat;
    cp_design *out;
} design_ctx;

static int design_binder(cp_pool *pool, const cp_node *root, void *ctx, cp_error *err)
{
    design_ctx *x = ctx;
    return bind_design(x->cat, pool, root, x->out, err);
}

int cp_scenario_load(const char *path, const cp_catalog *cat,
                     const char *const *sets, size_t nsets, cp_design *out,
                     cp_error *err)
{
    memset(out, 0, sizeof *out);
    design_ctx x = {cat, out};
    return cp_scenario_bind(path, sets, nsets, design_binder, &x, err);
}
