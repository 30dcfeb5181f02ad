/*
 * store.c — the SQLite results store of a sweep.  A schema a user can query
 * with the sqlite3 shell:
 *   meta(key, value)            spec text and hash, cposim version, scenario,
 *                               command, design, creation time
 *   columns(kind, idx, name)    'param' paths and 'output' names, in order
 *   objectives(idx, output, maximize)
 *   points(hash PRIMARY KEY, seq, status 'ok'|'failed', error, feasible,
 *          one REAL column per parameter path and per output name)
 * Points are written in transactions (WAL journal), so a killed sweep keeps
 * every committed chunk and nothing half-written; the hash key makes a
 * point impossible to store twice.
 */
#include "internal.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

struct cp_store {
    sqlite3 *db;
    sqlite3_stmt *insert;
    size_t nparams, noutputs;
    char path[CP_TEXT_MAX];
};

static int db_fail(cp_error *err, const char *path, sqlite3 *db, const char *what)
{
    return cp_fail(err, path, 0, 0, "%s: %s", what, db ? sqlite3_errmsg(db) : "out of memory");
}

/* "name" with embedded quotes doubled, appended to buf */
static void quoted(char *buf, size_t len, const char *name)
{
    size_t u = strlen(buf);
    if (u + 1 < len)
        buf[u++] = '"';
    for (const char *p = name; *p && u + 3 < len; p++) {
        if (*p == '"')
            buf[u++] = '"';
        buf[u++] = *p;
    }
    if (u + 1 < len)
        buf[u++] = '"';
    buf[u] = '\0';
}

static int exec(sqlite3 *db, const char *path, const char *sql, cp_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        cp_fail(err, path, 0, 0, "results store: %s", msg ? msg : "error");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static int meta_get(sqlite3 *db, const char *key, char *out, size_t len)
{
    sqlite3_stmt *q = NULL;
    int found = 0;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &q, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(q) == SQLITE_ROW) {
            const unsigned char *v = sqlite3_column_text(q, 0);
            cp_strlcpy(out, v ? (const char *)v : "", len);
            found = 1;
        }
    }
    sqlite3_finalize(q);
    return found;
}

static int create_schema(cp_store *st, const cp_sweep_spec *s, const char *spec_text,
                         cp_error *err)
{
    static const char *const design[] = {"grid", "random", "lhs", "sobol"};
    char *sql = malloc(64 * 1024);
    if (!sql)
        return cp_fail(err, st->path, 0, 0, "out of memory");
    snprintf(sql, 64 * 1024, "BEGIN;"
             "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);"
             "CREATE TABLE columns(kind TEXT NOT NULL, idx INTEGER NOT NULL, name TEXT NOT NULL,"
             " PRIMARY KEY(kind, idx));"
             "CREATE TABLE objectives(idx INTEGER PRIMARY KEY, output TEXT, maximize INTEGER);"
             /* rows appended in design order (seq is the rowid); the key of a
              * point, the hash of its inputs, is unique in its own index */
             "CREATE TABLE points(hash INTEGER NOT NULL UNIQUE, seq INTEGER PRIMARY KEY,"
             " status TEXT NOT NULL CHECK(status IN ('ok', 'failed')), error TEXT,"
             " feasible INTEGER");
    for (size_t j = 0; j < s->nparams; j++) {
        strcat(sql, ", ");
        quoted(sql, 64 * 1024, s->param[j].path);
        strcat(sql, " REAL");
    }
    for (size_t k = 0; k < s->noutputs; k++) {
        strcat(sql, ", ");
        quoted(sql, 64 * 1024, s->output[k].output);
        strcat(sql, " REAL");
    }
    strcat(sql, ");COMMIT;");
    int rc = exec(st->db, st->path, sql, err);
    free(sql);
    if (rc)
        return -1;
    sqlite3_stmt *q = NULL;
    char hash[32], when[32];
    snprintf(hash, sizeof hash, "%016llx", s->spec_hash);
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    const char *kv[][2] = {{"name", s->name}, {"spec_hash", hash}, {"spec", spec_text},
                           {"cposim_version", CPOSIM_VERSION},
                           {"command", cp_sweep_cmd_name(s->command)},
                           {"scenario", s->scenario}, {"vs", s->vs},
                           {"design", design[s->design]},
                           {"created", when}};
    rc = exec(st->db, st->path, "BEGIN", err);
    if (rc == 0 && sqlite3_prepare_v2(st->db, "INSERT INTO meta VALUES(?, ?)", -1, &q, NULL) !=
                       SQLITE_OK)
        rc = db_fail(err, st->path, st->db, "results store");
    for (size_t i = 0; rc == 0 && i < sizeof kv / sizeof *kv; i++) {
        sqlite3_bind_text(q, 1, kv[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, kv[i][1] ? kv[i][1] : "", -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_fail(err, st->path, st->db, "results store");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc == 0 && sqlite3_prepare_v2(st->db, "INSERT INTO columns VALUES(?, ?, ?)", -1, &q,
                                      NULL) != SQLITE_OK)
        rc = db_fail(err, st->path, st->db, "results store");
    for (size_t i = 0; rc == 0 && i < s->nparams + s->noutputs; i++) {
        bool par = i < s->nparams;
        sqlite3_bind_text(q, 1, par ? "param" : "output", -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)(par ? i : i - s->nparams));
        sqlite3_bind_text(q, 3, par ? s->param[i].path : s->output[i - s->nparams].output, -1,
                          SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_fail(err, st->path, st->db, "results store");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    q = NULL;
    if (rc == 0 && sqlite3_prepare_v2(st->db, "INSERT INTO objectives VALUES(?, ?, ?)", -1, &q,
                                      NULL) != SQLITE_OK)
        rc = db_fail(err, st->path, st->db, "results store");
    for (size_t i = 0; rc == 0 && i < s->nobjectives; i++) {
        sqlite3_bind_int64(q, 1, (sqlite3_int64)i);
        sqlite3_bind_text(q, 2, s->objective[i].output, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 3, s->objective[i].maximize);
        if (sqlite3_step(q) != SQLITE_DONE)
            rc = db_fail(err, st->path, st->db, "results store");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    if (rc == 0)
        return exec(st->db, st->path, "COMMIT", err);
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static int prepare_insert(cp_store *st, const cp_sweep_spec *s, cp_error *err)
{
    char sql[16384] = "INSERT OR IGNORE INTO points VALUES(?, ?, ?, ?, ?";
    for (size_t i = 0; i < s->nparams + s->noutputs; i++)
        strcat(sql, ", ?");
    strcat(sql, ")");
    if (sqlite3_prepare_v2(st->db, sql, -1, &st->insert, NULL) != SQLITE_OK)
        return db_fail(err, st->path, st->db, "results store");
    return 0;
}

static sqlite3 *open_db(const char *path, int flags, cp_error *err)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        cp_fail(err, path, 0, 0, "a results store must be a regular file");
        return NULL;
    }
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(path, &db, flags, NULL) != SQLITE_OK) {
        db_fail(err, path, db, "cannot open the results store");
        sqlite3_close(db);
        return NULL;
    }
    sqlite3_busy_timeout(db, 10000);
    return db;
}

int cp_store_open(const char *path, const cp_sweep_spec *s, const char *spec_text,
                  cp_store **out, cp_error *err)
{
    *out = NULL;
    cp_store *st = calloc(1, sizeof *st);
    if (!st)
        return cp_fail(err, path, 0, 0, "out of memory");
    cp_strlcpy(st->path, path, sizeof st->path);
    st->nparams = s->nparams, st->noutputs = s->noutputs;
    /* one thread writes: no per-call mutex */
    st->db = open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                     err);
    if (!st->db) {
        free(st);
        return -1;
    }
    /* the hash index takes inserts in random order: its pages stay cached */
    int rc = exec(st->db, path, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; "
                                 "PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=4096; "
                                 "PRAGMA cache_size=-131072;", err);
    char have[64] = "", want[32];
    snprintf(want, sizeof want, "%016llx", s->spec_hash);
    bool exists = rc == 0 && meta_get(st->db, "spec_hash", have, sizeof have);
    if (rc == 0 && !exists) {
        sqlite3_stmt *q = NULL;
        int tables = -1;
        if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) ==
                SQLITE_OK && sqlite3_step(q) == SQLITE_ROW)
            tables = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        rc = tables != 0 ? cp_fail(err, path, 0, 0, "this file is not a cposim results "
                                   "store; choose another -o file")
                         : create_schema(st, s, spec_text, err);
    } else if (rc == 0 && strcmp(have, want) != 0) {
        rc = cp_fail(err, path, 0, 0, "this results store holds another sweep (spec hash "
                     "%s, this spec %s): resume only with the same spec, or choose another "
                     "-o file", have, want);
    }
    if (rc == 0)
        rc = prepare_insert(st, s, err);
    if (rc) {
        cp_store_close(st);
        return -1;
    }
    *out = st;
    return 0;
}

void cp_store_close(cp_store *st)
{
    if (!st)
        return;
    sqlite3_finalize(st->insert);
    sqlite3_close(st->db);
    free(st);
}

static int cmp_u64(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

int cp_store_done(cp_store *st, unsigned long long **hashes, size_t *n, cp_error *err)
{
    *hashes = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    size_t cap = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT hash FROM points", -1, &q, NULL) != SQLITE_OK)
        return db_fail(err, st->path, st->db, "results store");
    int r;
    while ((r = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? 2 * cap : 1024;
            unsigned long long *h = realloc(*hashes, cap * sizeof *h);
            if (!h) {
                sqlite3_finalize(q);
                return cp_fail(err, st->path, 0, 0, "out of memory");
            }
            *hashes = h;
        }
        (*hashes)[(*n)++] = (unsigned long long)sqlite3_column_int64(q, 0);
    }
    sqlite3_finalize(q);
    if (r != SQLITE_DONE)
        return db_fail(err, st->path, st->db, "results store");
    if (*n > 1)
        qsort(*hashes, *n, sizeof **hashes, cmp_u64);
    return 0;
}

int cp_store_put(cp_store *st, const cp_sweep_row *rows, size_t n, cp_error *err)
{
    if (exec(st->db, st->path, "BEGIN IMMEDIATE", err))
        return -1;
    sqlite3_stmt *q = st->insert;
    for (size_t i = 0; i < n; i++) {
        const cp_sweep_row *r = &rows[i];
        sqlite3_reset(q);
        sqlite3_clear_bindings(q);
        sqlite3_bind_int64(q, 1, (sqlite3_int64)r->hash);
        sqlite3_bind_int64(q, 2, (sqlite3_int64)r->seq);
        sqlite3_bind_text(q, 3, r->ok ? "ok" : "failed", -1, SQLITE_STATIC);
        if (r->ok)
            sqlite3_bind_null(q, 4);
        else
            sqlite3_bind_text(q, 4, r->error ? r->error : "", -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(q, 5, r->feasible);
        for (size_t j = 0; j < st->nparams; j++)
            sqlite3_bind_double(q, 6 + (int)j, r->values[j]);
        for (size_t k = 0; k < st->noutputs; k++) {
            if (r->ok)
                sqlite3_bind_double(q, 6 + (int)(st->nparams + k), r->outputs[k]);
            else
                sqlite3_bind_null(q, 6 + (int)(st->nparams + k));
        }
        if (sqlite3_step(q) != SQLITE_DONE) {
            db_fail(err, st->path, st->db, "results store");
            sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
            return -1;
        }
    }
    sqlite3_reset(q);
    return exec(st->db, st->path, "COMMIT", err);
}
