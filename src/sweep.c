/*
 * sweep.c — the run of a sweep: the design's points less those already in
 * the store (and repeats of an earlier point of the same design), in chunks;
 * each chunk computed on OpenMP threads and, with several processes, split
 * over them (rank r takes the chunk's points r, r + size, ...) and gathered
 * to rank 0, which writes the chunk in one transaction, in design order.
 * Every rank derives the same design, keys and chunks from the spec, so only
 * the skip list (from rank 0's store), a small control word per chunk and
 * the results travel.  The store's content does not depend on the number of
 * threads or processes, nor on where a killed run was interrupted.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Points per transaction: a chunk starts at CHUNK_MIN points per process
 * and doubles while a chunk takes less than CHUNK_S seconds (halves when it
 * takes over CHUNK_SLOW_S), so a kill loses at most about that much work and
 * fast models do not pay a commit per few hundred points. */
#define CHUNK_MIN 1
#define CHUNK 65536
#define CHUNK_S 0.25
#define CHUNK_SLOW_S 4.0

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_u64(const void *a, const void *b)
{
    unsigned long long x = *(const unsigned long long *)a, y = *(const unsigned long long *)b;
    return x < y ? -1 : x > y;
}

typedef struct keyed {
    unsigned long long hash;
    size_t idx;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->hash != y->hash)
        return x->hash < y->hash ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* dup[i] = 1 when an earlier point of the design has the same inputs */
static int mark_duplicates(const unsigned long long *h, size_t n, unsigned char *dup)
{
    keyed *k = malloc(n * sizeof *k);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){h[i], i};
    qsort(k, n, sizeof *k, cmp_keyed);
    for (size_t i = 0; i < n; i++)
        dup[k[i].idx] = i > 0 && k[i].hash == k[i - 1].hash;
    free(k);
    return 0;
}

typedef struct chunk {
    size_t n;
    size_t seq[CHUNK];
    unsigned long long hash[CHUNK];
    double out[CHUNK][CP_SWEEP_MAX_OUTPUTS];
    bool ok[CHUNK], feasible[CHUNK];
    char *msg[CHUNK];            /* a failed point's message (heap), else NULL */
    cp_sweep_row rows[CHUNK];
} chunk;

typedef struct runner {
    const cp_sweep_spec *s;
    const cp_catalog *cat;
    const cp_sweep_base *b;
    const cp_sweep_fast *fp;
    const double *values;
    int rank, size;
} runner;

/* Points of a chunk this rank computes: i = rank, rank + size, ... */
static void run_chunk(const runner *x, chunk *c)
{
    const cp_sweep_spec *s = x->s;
    /* a point of the fast path costs about a microsecond, less than its row
     * in the store: threads would only wait for the writer; thermal and
     * reliability models use the threads themselves */
    bool threads = !x->fp && s->command != CP_SWEEP_THERMAL &&
                   s->command != CP_SWEEP_RELIABILITY;
    size_t mine = c->n > (size_t)x->rank ? (c->n - (size_t)x->rank + (size_t)x->size - 1) /
                                               (size_t)x->size : 0;
    #pragma omp parallel for schedule(dynamic, 4) if (threads)
    for (size_t k = 0; k < mine; k++) {
        size_t i = (size_t)x->rank + k * (size_t)x->size;
        cp_error e = {0};
        const double *v = x->values + c->seq[i] * s->nparams;
        c->ok[i] = (x->fp ? cp_sweep_fast_point(s, x->fp, v, c->out[i], &c->feasible[i], &e)
                          : cp_sweep_point(s, x->cat, x->b, v, c->out[i], &c->feasible[i],
                                           &e)) == 0;
        c->msg[i] = NULL;
        if (!c->ok[i]) {
            char buf[sizeof e.msg + sizeof e.file + 32];
            c->msg[i] = strdup(cp_error_format(&e, buf, sizeof buf));
        }
    }
}

/* ------------------------------------------------- results between ranks
 * A rank's part of a chunk as bytes: per point (in its order) ok, feasible,
 * the message length, the outputs, the message. */
typedef struct packed {
    unsigned char ok, feasible;
    unsigned int msg_len;
} packed;

static void *pack(const runner *x, const chunk *c, size_t *bytes)
{
    size_t no = x->s->noutputs, len = 0;
    for (size_t i = (size_t)x->rank; i < c->n; i += (size_t)x->size)
        len += sizeof(packed) + no * sizeof(double) + (c->msg[i] ? strlen(c->msg[i]) : 0);
    unsigned char *buf = malloc(len ? len : 1), *p = buf;
    if (!buf)
        return NULL;
    for (size_t i = (size_t)x->rank; i < c->n; i += (size_t)x->size) {
        packed h = {c->ok[i], c->feasible[i], c->msg[i] ? (unsigned)strlen(c->msg[i]) : 0};
        memcpy(p, &h, sizeof h);
        p += sizeof h;
        memcpy(p, c->out[i], no * sizeof(double));
        p += no * sizeof(double);
        memcpy(p, c->msg[i] ? c->msg[i] : "", h.msg_len);
        p += h.msg_len;
    }
    *bytes = len;
    return buf;
}

/* Rank r's part into the chunk (rank 0); -1 when it is malformed. */
static int unpack(const runner *x, chunk *c, int r, const unsigned char *p, size_t len)
{
    size_t no = x->s->noutputs;
    const unsigned char *end = p + len;
    for (size_t i = (size_t)r; i < c->n; i += (size_t)x->size) {
        packed h;
        if ((size_t)(end - p) < sizeof h + no * sizeof(double))
            return -1;
        memcpy(&h, p, sizeof h);
        p += sizeof h;
        memcpy(c->out[i], p, no * sizeof(double));
        p += no * sizeof(double);
        if ((size_t)(end - p) < h.msg_len)
            return -1;
        c->ok[i] = h.ok;
        c->feasible[i] = h.feasible;
        c->msg[i] = NULL;
        if (!h.ok && !(c->msg[i] = strndup((const char *)p, h.msg_len)))
            return -1;
        p += h.msg_len;
    }
    return p == end ? 0 : -1;
}

/* The other ranks' parts of the chunk to rank 0. */
static int gather(const runner *x, const cp_sweep_comm *comm, chunk *c, cp_error *err)
{
    size_t bytes = 0;
    void *send = x->rank == 0 ? malloc(1) : pack(x, c, &bytes);
    void **recv = calloc((size_t)x->size, sizeof *recv);
    size_t *len = calloc((size_t)x->size, sizeof *len);
    int rc = send && recv && len ? 0 : -1;
    int crc = comm->gather(comm->ctx, send, rc == 0 ? bytes : 0, recv, len);
    if (rc == 0 && crc)
        rc = cp_fail(err, x->s->file, 0, 0, "sweep: gathering the results of the ranks failed");
    else if (rc)
        cp_fail(err, x->s->file, 0, 0, "sweep: out of memory gathering results");
    for (int r = 1; rc == 0 && x->rank == 0 && r < x->size; r++)
        if (unpack(x, c, r, recv[r], len[r]))
            rc = cp_fail(err, x->s->file, 0, 0, "sweep: rank %d sent malformed results", r);
    if (x->rank == 0)
        for (int r = 0; r < x->size; r++)
            free(recv[r]);
    free(send);
    free(recv);
    free(len);
    return rc;
}

static int write_chunk(const runner *x, cp_store *st, chunk *c, cp_sweep_stats *stats,
                       cp_error *err)
{
    cp_sweep_row *rows = c->rows;
    for (size_t i = 0; i < c->n; i++) {
        rows[i] = (cp_sweep_row){c->hash[i], c->seq[i], x->values + c->seq[i] * x->s->nparams,
                                 c->out[i], c->ok[i], c->ok[i] && c->feasible[i],
                                 c->ok[i] ? NULL : c->msg[i] ? c->msg[i] : "out of memory"};
        stats->failed += !c->ok[i];
        stats->feasible += c->ok[i] && c->feasible[i];
    }
    if (cp_store_put(st, rows, c->n, err))
        return -1;
    stats->computed += c->n;
    return 0;
}

static void free_msgs(chunk *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free(c->msg[i]);
        c->msg[i] = NULL;
    }
}

/* what rank 0 tells every rank before a chunk */
typedef struct control {
    unsigned long long limit;    /* points in the next chunk */
    int go;                      /* 0: stop (done, asked to, or failed) */
    int rc;                      /* rank 0's status when stopping */
} control;

static int bcast(const cp_sweep_comm *comm, void *buf, size_t bytes)
{
    return comm && comm->size > 1 ? comm->bcast(comm->ctx, buf, bytes) : 0;
}

int cp_sweep_run(const cp_sweep_spec *s, const cp_catalog *cat, const cp_sweep_base *b,
                 cp_store *st, const cp_sweep_comm *comm, cp_sweep_progress cb, void *ctx,
                 cp_sweep_stats *stats, cp_error *err)
{
    cp_sweep_stats local = {0};
    stats = stats ? stats : &local;
    memset(stats, 0, sizeof *stats);
    runner x = {s, cat, b, NULL, NULL, comm ? comm->rank : 0, comm ? comm->size : 1};
    if (x.size < 1 || x.rank < 0 || x.rank >= x.size || (x.size > 1 && (!comm->bcast ||
                                                                        !comm->gather)))
        return cp_fail(err, s->file, 0, 0, "sweep: rank %d of %d processes is not a valid "
                       "process set", x.rank, x.size);
    if (x.rank == 0 && !st)
        return cp_fail(err, s->file, 0, 0, "sweep: rank 0 needs the results store");
    size_t n = cp_sweep_count(s), d = s->nparams;
    stats->total = n;
    double *values = malloc(n * d * sizeof *values);
    unsigned long long *hash = malloc(n * sizeof *hash), *done = NULL;
    unsigned char *skip = malloc(n);
    chunk *c = calloc(1, sizeof *c); /* messages NULL: a rank frees only what it set */
    size_t ndone = 0;
    /* every rank: the same design, keys and repeats; rank 0: the store */
    int rc = values && hash && skip && c ? 0 : -1;
    if (rc)
        cp_fail(err, s->file, 0, 0, "out of memory for %zu points", n);
    if (rc == 0 && (cp_sweep_values(s, values, err) ||
                    (x.rank == 0 && cp_store_done(st, &done, &ndone, err))))
        rc = -1;
    if (rc == 0) {
        for (size_t i = 0; i < n; i++)
            hash[i] = cp_sweep_point_hash(s, b, values + i * d);
        if (mark_duplicates(hash, n, skip))
            rc = cp_fail(err, s->file, 0, 0, "out of memory for %zu points", n);
    }
    if (x.rank == 0)
        for (size_t i = 0; rc == 0 && i < n; i++)
            skip[i] = skip[i] || (ndone && bsearch(&hash[i], done, ndone, sizeof *done,
                                                   cmp_u64));
    /* a rank that could not set up stops them all: statuses to rank 0, its
     * verdict to every rank, then the skip list */
    control ctl = {CHUNK_MIN * (unsigned long long)x.size, rc == 0, rc};
    if (x.size > 1) {
        void *st_all[1] = {NULL};
        void **recv = x.rank == 0 ? calloc((size_t)x.size, sizeof *recv) : st_all;
        size_t *len = x.rank == 0 ? calloc((size_t)x.size, sizeof *len) : NULL;
        int mine = rc, crc = recv && (len || x.rank) ? 0 : -1;
        if (comm->gather(comm->ctx, &mine, sizeof mine, recv, len))
            crc = -1;
        for (int r = 1; x.rank == 0 && crc == 0 && r < x.size; r++) {
            int theirs = -1;
            if (len[r] == sizeof theirs)
                memcpy(&theirs, recv[r], sizeof theirs);
            if (theirs && ctl.go)
                cp_fail(err, s->file, 0, 0, "sweep: rank %d could not set up (out of "
                        "memory?)", r);
            ctl.go = ctl.go && theirs == 0;
        }
        if (x.rank == 0) {
            for (int r = 0; recv && r < x.size; r++)
                free(recv[r]);
            free(recv);
            free(len);
            if (crc && ctl.go)
                cp_fail(err, s->file, 0, 0, "sweep: out of memory or gather failed");
            ctl.go = ctl.go && crc == 0;
            ctl.rc = ctl.go ? 0 : -1;
        }
        if (bcast(comm, &ctl, sizeof ctl) || (ctl.go && bcast(comm, skip, n))) {
            rc = cp_fail(err, s->file, 0, 0, "sweep: broadcast failed");
            goto out;
        }
        if (!ctl.go) {
            rc = -1;
            if (x.rank != 0 && err && !err->msg[0])
                cp_fail(err, s->file, 0, 0, "sweep: another rank could not set up");
            goto out;
        }
    } else if (rc) {
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        stats->skipped += skip[i];
    cp_sweep_fast *fp = cp_sweep_fast_probe(s, cat, b, values, n);
    x.fp = fp;
    x.values = values;
    stats->fast = fp != NULL;
    size_t cursor = 0;
    double t0 = seconds();
    for (;;) {
        if (bcast(comm, &ctl, sizeof ctl)) {
            rc = cp_fail(err, s->file, 0, 0, "sweep: broadcast failed");
            break;
        }
        if (!ctl.go) {
            rc = ctl.rc;
            break;
        }
        c->n = 0;
        while (cursor < n && c->n < ctl.limit) {
            if (!skip[cursor]) {
                c->seq[c->n] = cursor;
                c->hash[c->n++] = hash[cursor];
            }
            cursor++;
        }
        if (c->n == 0) /* the same on every rank: the design is done */
            break;
        run_chunk(&x, c);
        int crc = x.size > 1 ? gather(&x, comm, c, err) : 0;
        if (x.rank == 0) {
            crc = crc ? crc : write_chunk(&x, st, c, stats, err);
            double t1 = seconds();
            if (t1 - t0 < CHUNK_S / 2 && ctl.limit < CHUNK)
                ctl.limit *= 2;
            else if (t1 - t0 > CHUNK_SLOW_S && ctl.limit / 2 >= (unsigned long long)x.size)
                ctl.limit /= 2;
            t0 = t1;
            if (crc) {
                ctl.go = 0;
                ctl.rc = -1;
            } else if (cb && cb(stats->skipped + stats->computed, n, ctx)) {
                ctl.go = 0;
            }
        }
        free_msgs(c);
    }
    cp_sweep_fast_free(fp);
out:
    free(values);
    free(hash);
    free(skip);
    free(c);
    free(done);
    return rc;
}
