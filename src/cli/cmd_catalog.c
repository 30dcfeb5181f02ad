/* cmd_catalog.c — `cposim catalog list|show`: entries and their sources. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* The catalog's classes, in the order they first appear, into out ("a, b"). */
static void classes(const cp_catalog *cat, char *out, size_t len)
{
    cp_entry_info e, f;
    size_t at = 0;
    out[0] = '\0';
    for (size_t i = 0; cp_catalog_entry(cat, i, &e) == 0 && at < len; i++) {
        size_t j = 0;
        while (j < i && cp_catalog_entry(cat, j, &f) == 0 && strcmp(f.cls, e.cls))
            j++;
        if (j == i)
            at += (size_t)snprintf(out + at, len - at, "%s%s", at ? ", " : "", e.cls);
    }
}

static int list(const cp_catalog *cat, const char *cls)
{
    cp_entry_info e;
    bool known = !cls;
    for (size_t i = 0; !known && cp_catalog_entry(cat, i, &e) == 0; i++)
        known = !strcmp(cls, e.cls);
    if (!known) {
        char all[1024];
        classes(cat, all, sizeof all);
        const char *near = NULL;
        size_t best = (size_t)-1;
        for (size_t i = 0; cp_catalog_entry(cat, i, &e) == 0; i++)
            if (cli_distance(cls, e.cls) < best)
                best = cli_distance(cls, e.cls), near = e.cls;
        fprintf(stderr, "cposim: no catalog class '%s'%s%s%s; the classes are %s\n", cls,
                near && CLI_NEAR(cls, best) ? " (did you mean " : "",
                near && CLI_NEAR(cls, best) ? near : "",
                near && CLI_NEAR(cls, best) ? "?)" : "", all);
        return 2;
    }
    printf("%-18s %-24s %s\n", "class", "name", "description");
    for (size_t i = 0; cp_catalog_entry(cat, i, &e) == 0; i++)
        if (!cls || !strcmp(cls, e.cls))
            printf("%-18s %-24s %s\n", e.cls, e.name, e.description);
    return 0;
}

static int show(const cp_catalog *cat, const char *name)
{
    int i = cp_catalog_find(cat, name);
    if (i < 0) {
        cp_entry_info e;
        const char *near = NULL;
        size_t best = (size_t)-1;
        for (size_t k = 0; cp_catalog_entry(cat, k, &e) == 0; k++)
            if (cli_distance(name, e.name) < best)
                best = cli_distance(name, e.name), near = e.name;
        if (near && !CLI_NEAR(name, best))
            near = NULL;
        for (size_t k = 0; !near && cp_catalog_entry(cat, k, &e) == 0; k++)
            if (!strncmp(e.name, name, strlen(name)))
                near = e.name; /* the first entry that begins so */
        fprintf(stderr, "cposim: no catalog entry '%s'%s%s%s; see 'cposim catalog list'\n",
                name, near ? " (did you mean " : "", near ? near : "", near ? "?)" : "");
        return 2;
    }
    cp_entry_info e;
    cp_catalog_entry(cat, (size_t)i, &e);
    printf("%s (%s) — %s\n%s:%d:%d\n\n", e.name, e.cls, e.description, e.file, e.line, e.col);
    cp_param_info p;
    for (size_t k = 0; cp_catalog_param(cat, (size_t)i, k, &p) == 0; k++) {
        printf("  %-24s %-12s ", p.key, p.value);
        if (p.source) {
            const char *url = cp_catalog_source_url(cat, p.source);
            printf("source [%s] %s%s%s%s\n", p.source,
                   cp_catalog_source_title(cat, p.source), url ? " <" : "",
                   url ? url : "", url ? ">" : "");
            if (p.calibrated)
                printf("  %-24s %-12s calibrated: %s\n", "", "", p.calibrated);
        } else if (p.assumption) {
            printf("assumption: %s\n", p.assumption);
        } else {
            printf("\n");
        }
        if (p.dist)
            printf("  %-24s %-12s range: %s %g .. %g (%s)\n", "", "", p.dist, p.range_low,
                   p.range_high, p.range_why);
    }
    return 0;
}

int cmd_catalog(cli_opts *o)
{
    cp_catalog *cat = NULL;
    char dir[4096];
    int rc = cli_load_catalog(o, &cat, dir, sizeof dir);
    if (rc)
        return rc;
    const char *sub = o->nargs > 1 ? o->args[1] : "list";
    if (!strcmp(sub, "list") && o->nargs <= 3)
        rc = list(cat, o->nargs == 3 ? o->args[2] : NULL);
    else if (!strcmp(sub, "show") && o->nargs == 3)
        rc = show(cat, o->args[2]);
    else
        rc = cli_usage_error("catalog");
    cp_catalog_free(cat);
    return rc;
}
