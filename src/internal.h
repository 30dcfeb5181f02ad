/* internal.h — declarations shared inside libcposim, not installed. */
#ifndef CPOSIM_INTERNAL_H
#define CPOSIM_INTERNAL_H

#include "cposim.h"

#include <stdarg.h>
#include <stdlib.h>

/* ---------------------------------------------------------------- errors */
int cp_fail(cp_error *err, const char *file, int line, int col,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* ------------------------------------------------------------ YAML tree
 * libfyaml parses; we keep our own small tree so that every node remembers
 * file:line:col across include-merges and --set overrides. */
typedef enum { CP_NODE_SCALAR, CP_NODE_MAP, CP_NODE_SEQ } cp_node_kind;

typedef struct cp_node {
    cp_node_kind kind;
    char *key;            /* key when the node is a mapping value */
    int key_line, key_col;
    char *scalar;         /* scalar text */
    bool quoted;          /* scalar was quoted (a string, never a number) */
    struct cp_node **items;
    size_t n, cap;
    const char *file;     /* interned in the tree's string pool */
    int line, col;
} cp_node;

/* All strings of all trees hang on one pool so merged trees may share them. */
typedef struct cp_pool {
    char **str;
    size_t n, cap;
    cp_node **nodes;
    size_t nn, ncap;
} cp_pool;

void cp_pool_free(cp_pool *p);
const char *cp_pool_intern(cp_pool *p, const char *s);

cp_node *cp_node_new(cp_pool *p, cp_node_kind kind, const char *file, int line,
                     int col);
int cp_node_append(cp_pool *p, cp_node *parent, cp_node *child);
cp_node *cp_node_get(const cp_node *map, const char *key);
cp_node *cp_node_copy(cp_pool *p, const cp_node *n);

/* Key index (src/node_index.c): finds an entry of a mapping by key (or a
 * list item by its `name`) in constant time once it holds CP_KEYIDX_MIN
 * entries; below that, a scan.  Zero-initialise; free with cp_keyidx_free. */
#define CP_KEYIDX_MIN 16
typedef struct cp_keyidx {
    size_t *slot;  /* item index + 1; 0 = empty */
    size_t cap;    /* a power of two, at least twice the entries */
    size_t n;
    bool by_name;  /* list items by their `name`, else mapping keys */
} cp_keyidx;
/* The scalar `name` of a mapping, or NULL. */
const char *cp_node_name(const cp_node *n);
int cp_keyidx_put(cp_keyidx *x, const cp_node *parent, size_t i);
/* Index of the entry with key k, or -1. */
long cp_keyidx_find(const cp_keyidx *x, const cp_node *parent, const char *k);
/* After appending parent's last item: indexes it (the whole parent once it
 * reaches CP_KEYIDX_MIN items); -1 when out of memory. */
int cp_keyidx_added(cp_keyidx *x, const cp_node *parent);
void cp_keyidx_reset(cp_keyidx *x);
void cp_keyidx_free(cp_keyidx *x);

/* Parses one YAML file (or an in-memory buffer when text != NULL). The root
 * of a scenario or catalog file must be a mapping. */
cp_node *cp_yaml_load(cp_pool *p, const char *file, const char *text,
                      size_t len, cp_error *err);

/* Deep merge: keys of over replace or merge into base; sequences of mappings
 * with "name" merge item by item, other sequences are replaced. */
int cp_node_merge(cp_pool *p, cp_node *base, const cp_node *over, cp_error *err);

/* Applies "a.b.c=value" to a mapping tree; sequence items by index or name.
 * A scalar under one of ref_keys (a catalog reference such as `engine: X`)
 * becomes {ref: X} so that a path may continue into the referenced entry. */
int cp_node_set_path(cp_pool *p, cp_node *root, const char *assignment,
                     const char *const *ref_keys, cp_error *err);

/* ---------------------------------------------------------------- binding
 * A field table maps YAML keys onto struct members, with type and range.
 * CP_F_INT is a count: a whole number in [min, max], stored in a double
 * (models compute with counts as doubles; the binder guarantees them whole). */
typedef enum { CP_F_NUM, CP_F_STR, CP_F_BOOL, CP_F_ENUM, CP_F_INT } cp_ftype;

typedef struct cp_field {
    const char *key;
    cp_ftype type;
    size_t offset;
    size_t size;          /* for strings */
    bool required;
    double min, max;      /* inclusive range for numbers */
    const char *choices;  /* "a|b|c" for enums, stored as index (int) */
} cp_field;

typedef struct cp_bind_ctx {
    const cp_node *node;      /* the mapping being bound */
    const char *what;         /* "serdes entry 'x'" for messages */
    const char *const *extra; /* keys handled by the caller, NULL-terminated */
} cp_bind_ctx;

int cp_bind(const cp_bind_ctx *ctx, const cp_field *fields, size_t nfields,
            void *out, cp_error *err);
/* Binds the mapping parent[key] (absent: an error when required). */
int cp_bind_child(const cp_node *parent, const char *key, const char *what,
                  const cp_field *fields, size_t nf, void *out, bool required,
                  const char *const *extra, cp_error *err);
/* A numeric parameter: a plain scalar, or {value, source|assumption}. */
int cp_param_number(const cp_node *n, double *out, cp_error *err);
const cp_node *cp_param_value_node(const cp_node *n);
/* The distribution a parameter map carries next to its value (src/param_dist.c):
 * CP_DIST_FIXED at value when it has none; *why (may be NULL) its
 * range_source or range_assumption node. */
int cp_param_dist(const cp_node *n, double value, cp_dist *out, const cp_node **why,
                  cp_error *err);
/* Its ends (cp_dist_ends) inside [min, max], else an error at the range. */
int cp_param_dist_in(const cp_node *n, const cp_dist *d, double min, double max,
                     cp_error *err);
/* A key of a parameter map that belongs to its distribution. */
bool cp_param_dist_key(const char *key);
int cp_node_fail(cp_error *err, const cp_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int cp_key_fail(cp_error *err, const cp_node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void cp_strlcpy(char *dst, const char *src, size_t n);
/* paths.c: removes "./", "//" and "dir/../" from path (a buffer of len). */
void cp_path_normalize(char *path, size_t len);

/* Uplinks a switch with used_down of its down ports in use cables, keeping
 * its down : up ratio (fabric.c; the graph wires the same links). */
double cp_fabric_uplinks(double used_down, double down, double up);

/* ------------------------------------------------- thermal input ranges
 * Shared by the scenario binder and the power-trace reader, so a block's
 * power has one range whichever file sets it. */
#define CP_BLOCK_MAX_POWER_W 1e5      /* one block: 100 kW, beyond any package */
#define CP_THERMAL_MAX_TIME_S 1e8     /* ~3 years of simulated time */
#define CP_TRACE_MAX_LINE 1023        /* characters of a trace data row */
#define CP_TRACE_MAX_ROWS 10000000    /* 240 MB of events */
#define CP_TRACE_MAX_BYTES (256ull << 20)
#define CP_TRACE_MAX_BYTES_TEXT "256 MiB"

/* CSV data files (csv_lines.c).  cp_csv_each reads path (a regular file of
 * at most CP_TRACE_MAX_BYTES) and calls row() on each data row (at most
 * CP_TRACE_MAX_ROWS `rows`), skipping a byte order mark, comments, blank
 * lines and lines starting with `header`; a NUL byte or an overlong line is
 * an error at its file:line:col; *lines: the lines read.  row() returns 0,
 * or -1 having filled err.  cp_csv_path_beside makes the path of a CSV file
 * named at node n relative to the file that names it (an error unless it
 * ends in .csv: `what` names the kind in the message). */
typedef int (*cp_csv_row_fn)(void *ctx, const char *path, int line, const char *row,
                             cp_error *err);
int cp_csv_each(const char *path, const char *header, const char *rows, cp_csv_row_fn row,
                void *ctx, int *lines, cp_error *err);
int cp_csv_path_beside(const cp_node *n, char *path, size_t cap, const char *what,
                       cp_error *err);
/* 0, or -1 with why (naming the grid it needs) for a block below grid
 * resolution (src/thermal_mesh.c). */
int cp_thermal_block_resolution(const cp_thermal_spec *t, size_t b, char *why, size_t len);
int cp_thermal_rect_resolution(const cp_thermal_spec *t, const char *what,
                               const char *name, double x0, double y0, double x1,
                               double y1, char *why, size_t len);
/* The two halves of cp_thermal_check_size (src/thermal_grid.c). */
int cp_thermal_check_memory(const cp_thermal_spec *t, cp_error *err);
int cp_thermal_check_steps(const cp_thermal_spec *t, cp_error *err);

/* --------------------------------------------------------------- catalog */
const cp_node *cp_catalog_node(const cp_catalog *cat, const char *cls,
                               const char *name);
size_t cp_catalog_class_entries(const cp_catalog *cat, const char *cls,
                                const cp_node **out, size_t max);

/* Loads the scenario's merged tree into a scratch pool, calls bind on it,
 * frees the pool: the one shape of every section loader. */
typedef int (*cp_tree_binder)(cp_pool *pool, const cp_node *root, void *ctx,
                              cp_error *err);
int cp_scenario_bind(const char *path, const char *const *sets, size_t nsets,
                     cp_tree_binder bind, void *ctx, cp_error *err);
/* Every key of mapping m is in allowed (NULL-terminated), else "unknown key
 * 'k' in WHAT; expected one of: ..." (the binder's message). */
int cp_check_keys(const cp_node *m, const char *what, const char *const *allowed,
                  cp_error *err);
/* n is a scalar without control characters (a name or title, printed on
 * terminals): else an error at n. */
int cp_check_text(const cp_node *n, cp_error *err);
/* Every `source:` in the tree names a key of data/sources.yaml (catalog.c). */
int cp_check_param_sources(const cp_catalog *cat, const cp_node *n, cp_error *err);
/* The scalar `name` of a list item, or NULL after "a WHAT needs a 'name'". */
const char *cp_item_name(const cp_node *item, const char *what, cp_error *err);
/* A scenario's merged tree: includes resolved, --set applied. */
cp_node *cp_scenario_tree(cp_pool *pool, const char *path,
                          const char *const *sets, size_t nsets, cp_error *err);

/* Binders shared by catalog audit and scenario loading (src/bind_models.c). */
int cp_bind_entry(const cp_catalog *cat, cp_pool *pool, const char *cls,
                  const cp_node *n, void *out, cp_error *err);
/* The catalog entry a reference names (a name, or {ref: NAME, overrides}
 * merged into a copy in pool), or an inline entry itself. */
const cp_node *cp_catalog_resolve(const cp_catalog *cat, cp_pool *pool, const char *cls,
                                  const cp_node *n, cp_error *err);
/* The file of a tier's `switch:` scenario, relative to the file naming it. */
int cp_switch_path(const cp_node *sw, char *path, size_t len, cp_error *err);
int cp_bind_ref(const cp_catalog *cat, cp_pool *pool, const char *cls,
                const cp_node *parent, const char *key, bool required,
                void *out, cp_error *err);

/* ------------------------------------------------------------- sweeps
 * The fast path of eval sweeps (sweep_point.c): NULL when it does not apply
 * or did not reproduce full loads on its probe points. */
typedef struct cp_sweep_fast cp_sweep_fast;
cp_sweep_fast *cp_sweep_fast_probe(const cp_sweep_spec *s, const cp_catalog *cat,
                                   const cp_sweep_base *b, const double *values, size_t n);
int cp_sweep_fast_point(const cp_sweep_spec *s, const cp_sweep_fast *fp, const double *values,
                        double *outputs, bool *feasible, cp_error *err);
void cp_sweep_fast_free(cp_sweep_fast *fp);

/* ------------------------------------------------- TCO runs (tco_uncertainty.c)
 * Runs k = 0 .. runs-1 on OpenMP threads, each on work copies of a and b that
 * set() changes, then both TCOs, once per output: the cases' own workload
 * (w == NULL or w->n == 0: one output) or each workload named in w, made the
 * cases' own before set():  out[k * nout + i] = TCO(b) - TCO(a).  The first
 * failing run's error wins; results do not depend on the threads. */
typedef struct cp_tco_workloads {
    size_t n;                    /* 0: the cases' own workload */
    char name[CP_MAX_WORKLOADS][CP_NAME_MAX];
} cp_tco_workloads;
typedef void (*cp_tco_run_set)(size_t k, cp_tco_case *wa, cp_tco_case *wb, const void *ctx);
/* cp_tco_eval with a cache of placements for the expected values (NULL: none) */
typedef struct cp_placement_cache cp_placement_cache;
int cp_tco_eval_in(const cp_tco_case *c, const cp_rel_replica *rep, cp_placement_cache *cache,
                   cp_tco *t, cp_error *err);
int cp_tco_runs(const cp_tco_case *a, const cp_tco_case *b, const cp_tco_workloads *w,
                size_t runs, cp_tco_run_set set, const void *ctx, double *out, cp_error *err);
/* The workloads both a and b have, in a's order. */
void cp_tco_common_workloads(const cp_tco_case *a, const cp_tco_case *b, cp_tco_workloads *w);

/* Grows the array *p of *cap items of size bytes to hold at least need
 * (doubling, from 4096): 0, or -1 (the array kept) when out of memory. */
static inline int cp_grow(void **p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 4096;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * size);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

#endif
