/*
 * report_input.c — what an input of `cposim report` is: a sweep's results
 * store (SQLite), or a scenario told apart by its top-level sections.
 */
#include "internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* The first 16 bytes of every SQLite 3 database (sqlite.org/fileformat.html, 1.3). */
static const char sqlite_magic[16] = "SQLite format 3";

int cp_input_kind_of(const char *path, cp_input_kind *out, cp_error *err)
{
    char head[16] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return cp_fail(err, path, 0, 0, "cannot read the file: %s", strerror(errno));
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    size_t len = strlen(path);
    if ((n == sizeof head && memcmp(head, sqlite_magic, sizeof head) == 0) ||
        (len > 3 && strcmp(path + len - 3, ".db") == 0)) {
        *out = CP_INPUT_SWEEP_DB;
        return 0;
    }
    if (cp_scenario_kind(path, out, err))
        *out = CP_INPUT_SWITCH; /* its loader will say what is wrong */
    return 0;
}

int cp_scenario_kind(const char *path, cp_input_kind *out, cp_error *err)
{
    cp_pool pool = {0};
    cp_node *root = cp_scenario_tree(&pool, path, NULL, 0, err);
    if (root)
        *out = cp_node_get(root, "fabric")    ? CP_INPUT_FABRIC
               : cp_node_get(root, "thermal") ? CP_INPUT_THERMAL
               : cp_node_get(root, "sweep")   ? CP_INPUT_SWEEP_SPEC
                                              : CP_INPUT_SWITCH;
    cp_pool_free(&pool);
    return root ? 0 : -1;
}
