/* cmd_catalog.c — `cposim catalog list|show`: entries and their sources. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

static void list(const cp_catalog *cat, const char *cls)
{
    cp_entry_info e;
    printf("%-18s %-24s %s\n", "class", "name", "description");
    for (size_t i = 0; cp_catalog_entry(cat, i, &e) == 0; i++)
        if (!cls || !strcmp(cls, e.cls))
            printf("%-18s %-24s %s\n", e.cls, e.name, e.description);
}

static int show(const cp_catalog *cat, const char *name)
{
    int i = cp_catalog_find(cat, name);
    if (i < 0) {
        fprintf(stderr, "cposim: no catalog entry '%s'; see 'cposim catalog list'\n", name);
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
        list(cat, o->nargs == 3 ? o->args[2] : NULL);
    else if (!strcmp(sub, "show") && o->nargs == 3)
        rc = show(cat, o->args[2]);
    else {
        fprintf(stderr, "usage: cposim catalog [list [CLASS] | show NAME]\n");
        rc = 2;
    }
    cp_catalog_free(cat);
    return rc;
}
