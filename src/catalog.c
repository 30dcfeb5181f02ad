/*
 * catalog.c — the component catalog: data/catalog/<class>.yaml and the
 * bibliography data/sources.yaml.  Every figure in the catalog carries a
 * `source:` (a bibliography key) or an `assumption:` (why); loading refuses
 * a bare number, an unknown source key, or a value its class cannot bind.
 */
#include "internal.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>

typedef struct cat_entry {
    const char *cls;
    const cp_node *node;
} cat_entry;

struct cp_catalog {
    cp_pool pool;
    cat_entry *e;
    size_t n, cap;
    const cp_node *sources; /* mapping key -> {title, url, date} */
    char data_dir[1024];    /* where it was loaded from (requirements.yaml beside) */
};

const char *cp_catalog_data_dir(const cp_catalog *cat)
{
    return cat->data_dir;
}

/* Keys of an entry that are text, not figures. */
static const char *const text_keys[] = {
    "name", "description", "class", "type", "modulator", "driver", "tia",
    "photodetector", "coupler", "fiber", "connector", "trace", "segments",
    "external",
    "source", "assumption", "calibrated", "note", NULL};

static bool is_text_key(const char *k)
{
    for (const char *const *t = text_keys; *t; t++)
        if (strcmp(*t, k) == 0)
            return true;
    return false;
}

const char *cp_catalog_source_title(const cp_catalog *cat, const char *key)
{
    const cp_node *s = cp_node_get(cat->sources, key);
    const cp_node *t = s ? cp_node_get(s, "title") : NULL;
    return t && t->kind == CP_NODE_SCALAR ? t->scalar : NULL;
}

const char *cp_catalog_source_url(const cp_catalog *cat, const char *key)
{
    const cp_node *s = cp_node_get(cat->sources, key);
    const cp_node *t = s ? cp_node_get(s, "url") : NULL;
    return t && t->kind == CP_NODE_SCALAR ? t->scalar : NULL;
}

static int check_source(const cp_catalog *cat, const cp_node *n, cp_error *err)
{
    const cp_node *src = cp_node_get(n, "source");
    const cp_node *why = cp_node_get(n, "assumption");
    if (!src && !why)
        return cp_key_fail(err, n,
                           "figure '%s' has no source: give {value, source: "
                           "KEY} or {value, assumption: \"why\"}", n->key);
    if (src && (src->kind != CP_NODE_SCALAR ||
                !cp_catalog_source_title(cat, src->scalar)))
        return cp_node_fail(err, src,
                            "unknown source '%s'; expected a key of "
                            "data/sources.yaml", src->kind == CP_NODE_SCALAR ? src->scalar : "?");
    const cp_node *rsrc = cp_node_get(n, "range_source");
    if (rsrc && (rsrc->kind != CP_NODE_SCALAR || !cp_catalog_source_title(cat, rsrc->scalar)))
        return cp_node_fail(err, rsrc, "unknown source '%s'; expected a key of "
                            "data/sources.yaml", rsrc->kind == CP_NODE_SCALAR ? rsrc->scalar : "?");
    if (why && (why->kind != CP_NODE_SCALAR || strlen(why->scalar) < 8))
        return cp_node_fail(err, why,
                            "an assumption needs a reason (8 characters or more)");
    /* a calibrated figure was fitted to a published one: name it */
    const cp_node *cal = cp_node_get(n, "calibrated");
    if (cal && !src)
        return cp_node_fail(err, cal,
                            "a calibrated figure needs the source it was fitted "
                            "to: {value, source: KEY, calibrated: \"how\"}");
    if (cal && (cal->kind != CP_NODE_SCALAR || strlen(cal->scalar) < 8))
        return cp_node_fail(err, cal,
                            "'calibrated' needs the fit it states (8 characters or more)");
    return 0;
}

/* A scenario's parameters ({value, source}) cite known sources, wherever in
 * the tree and whoever set them (--set x.source=nosuch). */
int cp_check_param_sources(const cp_catalog *cat, const cp_node *n, cp_error *err)
{
    if (n->kind == CP_NODE_SCALAR)
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        const cp_node *c = n->items[i];
        if (n->kind == CP_NODE_MAP &&
            (strcmp(c->key, "source") == 0 || strcmp(c->key, "range_source") == 0) &&
            (c->kind != CP_NODE_SCALAR || !cp_catalog_source_title(cat, c->scalar)))
            return cp_node_fail(err, c, "unknown source '%s'; expected a key of "
                                        "data/sources.yaml",
                                c->kind == CP_NODE_SCALAR ? c->scalar : "?");
        if (cp_check_param_sources(cat, c, err))
            return -1;
    }
    return 0;
}

/* Every figure of an entry (and of its inline segments) is sourced. */
static int audit_figures(const cp_catalog *cat, const cp_node *entry,
                         cp_error *err)
{
    for (size_t i = 0; i < entry->n; i++) {
        const cp_node *c = entry->items[i];
        if (strcmp(c->key, "segments") == 0 && c->kind == CP_NODE_SEQ) {
            for (size_t j = 0; j < c->n; j++)
                if (audit_figures(cat, c->items[j], err))
                    return -1;
            continue;
        }
        if (is_text_key(c->key))
            continue;
        if (c->kind == CP_NODE_MAP) {
            if (cp_node_get(c, "value") && check_source(cat, c, err))
                return -1;
        } else if (c->kind == CP_NODE_SCALAR) {
            return cp_key_fail(err, c,
                               "figure '%s' has no source: give {value, "
                               "source: KEY} or {value, assumption: \"why\"}",
                               c->key);
        }
    }
    return 0;
}

static int add_entry(cp_catalog *cat, const char *cls, const cp_node *n,
                     cp_error *err)
{
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "a %s entry must be a mapping", cls);
    const cp_node *name = cp_node_get(n, "name");
    if (!name || name->kind != CP_NODE_SCALAR || !name->scalar[0])
        return cp_node_fail(err, n, "catalog entry without a 'name'");
    if (strlen(name->scalar) >= CP_NAME_MAX)
        return cp_node_fail(err, name, "name longer than %d characters",
                            CP_NAME_MAX - 1);
    if (cp_catalog_find(cat, name->scalar) >= 0)
        return cp_node_fail(err, name, "duplicate catalog name '%s'",
                            name->scalar);
    cat_entry *ne = realloc(cat->e, (cat->n + 1) * sizeof *ne);
    if (!ne)
        return cp_node_fail(err, n, "out of memory");
    cat->e = ne;
    cat->e[cat->n].cls = cp_pool_intern(&cat->pool, cls);
    cat->e[cat->n].node = n;
    cat->n++;
    return 0;
}

static int load_file(cp_catalog *cat, const char *path, cp_error *err)
{
    cp_node *root = cp_yaml_load(&cat->pool, path, NULL, 0, err);
    if (!root)
        return -1;
    for (size_t i = 0; i < root->n; i++) {
        const cp_node *cls = root->items[i];
        if (cls->kind != CP_NODE_SEQ)
            return cp_node_fail(err, cls,
                                "'%s' must be a list of catalog entries",
                                cls->key);
        for (size_t j = 0; j < cls->n; j++)
            if (add_entry(cat, cls->key, cls->items[j], err))
                return -1;
    }
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int load_dir(cp_catalog *cat, const char *dir, cp_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return cp_fail(err, dir, 0, 0,
                       "cannot open the catalog directory (set --data DIR or "
                       "CPOSIM_DATA)");
    char *names[256];
    size_t nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL && nn < 256) {
        size_t len = strlen(de->d_name);
        if (len > 5 && strcmp(de->d_name + len - 5, ".yaml") == 0)
            names[nn++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str);
    int rc = 0;
    for (size_t i = 0; i < nn; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (!rc && load_file(cat, path, err))
            rc = -1;
        free(names[i]);
    }
    return rc;
}

int cp_catalog_load(const char *data_dir, cp_catalog **out, cp_error *err)
{
    cp_catalog *cat = calloc(1, sizeof *cat);
    if (!cat)
        return cp_fail(err, data_dir, 0, 0, "out of memory");
    snprintf(cat->data_dir, sizeof cat->data_dir, "%s", data_dir);
    char path[1024];
    snprintf(path, sizeof path, "%s/sources.yaml", data_dir);
    cp_node *src = cp_yaml_load(&cat->pool, path, NULL, 0, err);
    if (!src)
        goto fail;
    cat->sources = cp_node_get(src, "sources");
    if (!cat->sources || cat->sources->kind != CP_NODE_MAP) {
        cp_node_fail(err, src, "expected a mapping 'sources:'");
        goto fail;
    }
    snprintf(path, sizeof path, "%s/catalog", data_dir);
    if (load_dir(cat, path, err))
        goto fail;
    for (size_t i = 0; i < cat->n; i++) {
        union {
            cp_serdes s; cp_channel c; cp_link l; cp_engine e; cp_module m;
            cp_asic a; cp_laser la; cp_retimer r; cp_segment g;
            cp_modulator mo; cp_material ma; cp_failure fa;
            cp_assembly as; cp_package_parts pp;
        } scratch;
        if (audit_figures(cat, cat->e[i].node, err) ||
            cp_bind_entry(cat, &cat->pool, cat->e[i].cls, cat->e[i].node, &scratch, err))
            goto fail;
    }
    *out = cat;
    return 0;
fail:
    cp_catalog_free(cat);
    return -1;
}

void cp_catalog_free(cp_catalog *cat)
{
    if (!cat)
        return;
    cp_pool_free(&cat->pool);
    free(cat->e);
    free(cat);
}

size_t cp_catalog_count(const cp_catalog *cat) { return cat->n; }

int cp_catalog_find(const cp_catalog *cat, const char *name)
{
    for (size_t i = 0; i < cat->n; i++) {
        const cp_node *nm = cp_node_get(cat->e[i].node, "name");
        if (nm && strcmp(nm->scalar, name) == 0)
            return (int)i;
    }
    return -1;
}

const cp_node *cp_catalog_node(const cp_catalog *cat, const char *cls,
                               const char *name)
{
    int i = cp_catalog_find(cat, name);
    if (i < 0 || (cls && strcmp(cat->e[i].cls, cls) != 0))
        return NULL;
    return cat->e[i].node;
}

size_t cp_catalog_class_entries(const cp_catalog *cat, const char *cls,
                                const cp_node **out, size_t max)
{
    size_t k = 0;
    for (size_t i = 0; i < cat->n; i++)
        if (strcmp(cat->e[i].cls, cls) == 0) {
            if (k < max)
                out[k] = cat->e[i].node;
            k++;
        }
    return k;
}

int cp_catalog_entry(const cp_catalog *cat, size_t i, cp_entry_info *out)
{
    if (i >= cat->n)
        return -1;
    const cp_node *n = cat->e[i].node;
    const cp_node *d = cp_node_get(n, "description");
    out->cls = cat->e[i].cls;
    out->name = cp_node_get(n, "name")->scalar;
    out->description = d && d->kind == CP_NODE_SCALAR ? d->scalar : "";
    out->file = n->file;
    out->line = n->line;
    out->col = n->col;
    out->nparams = 0;
    for (size_t k = 0; k < n->n; k++)
        if (!is_text_key(n->items[k]->key))
            out->nparams++;
    return 0;
}

int cp_catalog_param(const cp_catalog *cat, size_t i, size_t k,
                     cp_param_info *out)
{
    if (i >= cat->n)
        return -1;
    const cp_node *n = cat->e[i].node;
    for (size_t j = 0; j < n->n; j++) {
        const cp_node *c = n->items[j];
        if (is_text_key(c->key) || k-- > 0)
            continue;
        const cp_node *v = cp_param_value_node(c);
        const cp_node *s = cp_node_get(c, "source");
        const cp_node *a = cp_node_get(c, "assumption");
        const cp_node *cal = cp_node_get(c, "calibrated");
        out->key = c->key;
        out->value = v->kind == CP_NODE_SCALAR ? v->scalar : "(structured)";
        out->source = s ? s->scalar : NULL;
        out->assumption = a ? a->scalar : NULL;
        out->calibrated = cal ? cal->scalar : NULL;
        double x;
        cp_dist d;
        const cp_node *why = NULL;
        out->dist = out->range_why = NULL;
        out->range_low = out->range_high = NAN;
        if (c->kind == CP_NODE_MAP && cp_param_number(c, &x, NULL) == 0 &&
            cp_param_dist(c, x, &d, &why, NULL) == 0 && d.kind != CP_DIST_FIXED) {
            out->dist = cp_dist_name(d.kind); /* checked when the catalog loaded */
            cp_dist_ends(&d, &out->range_low, &out->range_high);
            out->range_why = why->scalar;
        }
        out->line = c->key_line;
        out->col = c->key_col;
        return 0;
    }
    return -1;
}
