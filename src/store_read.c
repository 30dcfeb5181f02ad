/*
 * store_read.c — a sweep's results store read back whole (design order),
 * for `cposim sweep show`, exports and reports.  Read-only: the file is
 * opened without write access and never modified.
 */
#include "internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int fail_db(cp_error *err, const char *path, sqlite3 *db)
{
    return cp_fail(err, path, 0, 0, "results store: %s",
                   db ? sqlite3_errmsg(db) : "out of memory");
}

static void meta(sqlite3 *db, const char *key, char *out, size_t len)
{
    sqlite3_stmt *q = NULL;
    out[0] = '\0';
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0))
            cp_strlcpy(out, (const char *)sqlite3_column_text(q, 0), len);
    }
    sqlite3_finalize(q);
}

static int read_columns(sqlite3 *db, const char *path, cp_sweep_table *t, cp_error *err)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(db, "SELECT kind, name FROM columns ORDER BY kind DESC, idx", -1,
                           &q, NULL) != SQLITE_OK)
        return fail_db(err, path, db);
    size_t np = 0, no = 0;
    t->param = calloc(CP_SWEEP_MAX_PARAMS, sizeof *t->param);
    t->output = calloc(CP_SWEEP_MAX_OUTPUTS, sizeof *t->output);
    if (!t->param || !t->output) {
        sqlite3_finalize(q);
        return cp_fail(err, path, 0, 0, "out of memory");
    }
    while (sqlite3_step(q) == SQLITE_ROW) {
        const char *kind = (const char *)sqlite3_column_text(q, 0);
        const char *name = (const char *)sqlite3_column_text(q, 1);
        if (!kind || !name)
            continue;
        if (strcmp(kind, "param") == 0 && np < CP_SWEEP_MAX_PARAMS)
            cp_strlcpy(t->param[np++], name, CP_TEXT_MAX);
        else if (strcmp(kind, "output") == 0 && no < CP_SWEEP_MAX_OUTPUTS)
            cp_strlcpy(t->output[no++], name, CP_NAME_MAX);
    }
    sqlite3_finalize(q);
    t->nparams = np, t->noutputs = no;
    if (sqlite3_prepare_v2(db, "SELECT output, maximize FROM objectives ORDER BY idx", -1, &q,
                           NULL) != SQLITE_OK)
        return fail_db(err, path, db);
    while (sqlite3_step(q) == SQLITE_ROW && t->nobjectives < CP_SWEEP_MAX_RULES) {
        cp_sweep_rule *r = &t->objective[t->nobjectives];
        const char *o = (const char *)sqlite3_column_text(q, 0);
        cp_strlcpy(r->output, o ? o : "", sizeof r->output);
        r->maximize = sqlite3_column_int(q, 1) != 0;
        r->id = -1;
        for (size_t k = 0; k < no; k++)
            if (strcmp(t->output[k], r->output) == 0)
                r->id = (int)k;
        if (r->id >= 0)
            t->nobjectives++;
    }
    sqlite3_finalize(q);
    return 0;
}

static int grow(cp_sweep_table *t, size_t cap)
{
    void *p[8] = {realloc(t->hash, cap * sizeof *t->hash), NULL};
    if (!p[0])
        return -1;
    t->hash = p[0];
#define GROW(f, n)                                                   \
    do {                                                             \
        void *q_ = realloc(t->f, (n) * sizeof *t->f);                \
        if (!q_)                                                     \
            return -1;                                               \
        t->f = q_;                                                   \
    } while (0)
    GROW(seq, cap);
    GROW(ok, cap);
    GROW(feasible, cap);
    GROW(error, cap);
    GROW(values, cap * (t->nparams ? t->nparams : 1));
    GROW(outputs, cap * (t->noutputs ? t->noutputs : 1));
#undef GROW
    return 0;
}

int cp_store_read(const char *path, cp_sweep_table *t, cp_error *err)
{
    memset(t, 0, sizeof *t);
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return cp_fail(err, path, 0, 0, "no results store here (a file written by "
                       "`cposim sweep SPEC -o FILE`)");
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        fail_db(err, path, db);
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 10000);
    char hash[64];
    meta(db, "spec_hash", hash, sizeof hash);
    if (!hash[0]) {
        sqlite3_close(db);
        return cp_fail(err, path, 0, 0, "not a cposim results store");
    }
    meta(db, "name", t->name, sizeof t->name);
    meta(db, "command", t->command, sizeof t->command);
    meta(db, "scenario", t->scenario, sizeof t->scenario);
    meta(db, "vs", t->vs, sizeof t->vs); /* "" but for tco (and stores before it) */
    meta(db, "cposim_version", t->version, sizeof t->version);
    int rc = read_columns(db, path, t, err);
    sqlite3_stmt *q = NULL;
    if (rc == 0 && sqlite3_prepare_v2(db, "SELECT * FROM points ORDER BY seq", -1, &q, NULL) !=
                       SQLITE_OK)
        rc = fail_db(err, path, db);
    size_t cap = 0;
    while (rc == 0 && sqlite3_step(q) == SQLITE_ROW) {
        if (t->nrows == cap && (cap = cap ? 2 * cap : 1024, grow(t, cap))) {
            rc = cp_fail(err, path, 0, 0, "out of memory");
            break;
        }
        size_t i = t->nrows++;
        t->hash[i] = (unsigned long long)sqlite3_column_int64(q, 0);
        t->seq[i] = (size_t)sqlite3_column_int64(q, 1);
        const char *status = (const char *)sqlite3_column_text(q, 2);
        t->ok[i] = status && strcmp(status, "ok") == 0;
        const char *e = (const char *)sqlite3_column_text(q, 3);
        t->error[i] = e ? strdup(e) : NULL;
        t->feasible[i] = (unsigned char)sqlite3_column_int(q, 4);
        for (size_t j = 0; j < t->nparams; j++)
            t->values[i * t->nparams + j] = sqlite3_column_double(q, 5 + (int)j);
        for (size_t k = 0; k < t->noutputs; k++) {
            int col = 5 + (int)(t->nparams + k);
            t->outputs[i * t->noutputs + k] = sqlite3_column_type(q, col) == SQLITE_NULL
                                                  ? NAN : sqlite3_column_double(q, col);
        }
    }
    sqlite3_finalize(q);
    sqlite3_close(db);
    if (rc)
        cp_sweep_table_free(t);
    return rc;
}

void cp_sweep_table_free(cp_sweep_table *t)
{
    for (size_t i = 0; t->error && i < t->nrows; i++)
        free(t->error[i]);
    free(t->param);
    free(t->output);
    free(t->hash);
    free(t->seq);
    free(t->ok);
    free(t->feasible);
    free(t->values);
    free(t->outputs);
    free(t->error);
    memset(t, 0, sizeof *t);
}
