/*
 * yaml_tree.c — YAML (via libfyaml's event parser) into a small tree whose
 * every node keeps file:line:col; deep merge for `include`, and --set paths.
 *
 * libfyaml does the parsing and reports syntax errors with positions; this
 * file only builds nodes from its events.  Anchors/aliases are refused: a
 * scenario never needs them and they invite expansion bombs.
 */
#include "internal.h"

#include <errno.h>
#include <libfyaml.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CP_MAX_DEPTH 64

void cp_strlcpy(char *dst, const char *src, size_t n)
{
    if (n == 0)
        return;
    size_t len = src ? strlen(src) : 0;
    if (len >= n)
        len = n - 1;
    if (len)
        memcpy(dst, src, len);
    dst[len] = '\0';
}

int cp_fail(cp_error *err, const char *file, int line, int col,
            const char *fmt, ...)
{
    if (err) {
        cp_strlcpy(err->file, file ? file : "", sizeof err->file);
        err->line = line;
        err->col = col;
        char raw[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* one line, always: control characters from the input are escaped */
        size_t at = 0;
        for (const char *c = raw; *c && at + 5 < sizeof err->msg; c++) {
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                at += (size_t)snprintf(err->msg + at, sizeof err->msg - at,
                                       "\\x%02x", (unsigned char)*c);
            else
                err->msg[at++] = *c;
        }
        err->msg[at] = '\0';
    }
    return -1;
}

const char *cp_error_format(const cp_error *err, char *buf, size_t len)
{
    if (err->line > 0)
        snprintf(buf, len, "%s:%d:%d: %s", err->file, err->line, err->col,
                 err->msg);
    else if (err->file[0])
        snprintf(buf, len, "%s: %s", err->file, err->msg);
    else
        snprintf(buf, len, "%s", err->msg);
    return buf;
}

/* ------------------------------------------------------------------ pool */

static void *grow(void *ptr, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return ptr;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need)
        nc *= 2;
    void *np = realloc(ptr, nc * elem);
    if (!np)
        return NULL;
    *cap = nc;
    return np;
}

static char *pool_strdup(cp_pool *p, const char *s, size_t len)
{
    char **ns = grow(p->str, &p->cap, p->n + 1, sizeof *ns);
    if (!ns)
        return NULL;
    p->str = ns;
    char *d = malloc(len + 1);
    if (!d)
        return NULL;
    memcpy(d, s, len);
    d[len] = '\0';
    p->str[p->n++] = d;
    return d;
}

const char *cp_pool_intern(cp_pool *p, const char *s)
{
    for (size_t i = p->n; i-- > 0;)
        if (strcmp(p->str[i], s) == 0)
            return p->str[i];
    return pool_strdup(p, s, strlen(s));
}

void cp_pool_free(cp_pool *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->str[i]);
    for (size_t i = 0; i < p->nn; i++) {
        free(p->nodes[i]->items);
        free(p->nodes[i]);
    }
    free(p->str);
    free(p->nodes);
    memset(p, 0, sizeof *p);
}

cp_node *cp_node_new(cp_pool *p, cp_node_kind kind, const char *file, int line,
                     int col)
{
    cp_node **nn = grow(p->nodes, &p->ncap, p->nn + 1, sizeof *nn);
    if (!nn)
        return NULL;
    p->nodes = nn;
    cp_node *n = calloc(1, sizeof *n);
    if (!n)
        return NULL;
    n->kind = kind;
    n->file = file;
    n->line = line;
    n->col = col;
    p->nodes[p->nn++] = n;
    return n;
}

int cp_node_append(cp_pool *p, cp_node *parent, cp_node *child)
{
    (void)p;
    cp_node **ni = grow(parent->items, &parent->cap, parent->n + 1, sizeof *ni);
    if (!ni)
        return -1;
    parent->items = ni;
    parent->items[parent->n++] = child;
    return 0;
}

cp_node *cp_node_get(const cp_node *map, const char *key)
{
    if (!map || map->kind != CP_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->items[i]->key, key) == 0)
            return map->items[i];
    return NULL;
}

cp_node *cp_node_copy(cp_pool *p, const cp_node *n)
{
    cp_node *c = cp_node_new(p, n->kind, n->file, n->line, n->col);
    if (!c)
        return NULL;
    c->key = n->key;
    c->key_line = n->key_line;
    c->key_col = n->key_col;
    c->scalar = n->scalar;
    c->quoted = n->quoted;
    for (size_t i = 0; i < n->n; i++) {
        cp_node *ci = cp_node_copy(p, n->items[i]);
        if (!ci || cp_node_append(p, c, ci))
            return NULL;
    }
    return c;
}

/* ---------------------------------------------------------------- parse */

typedef struct builder {
    cp_pool *pool;
    const char *file;
    cp_node *stack[CP_MAX_DEPTH];
    cp_keyidx idx[CP_MAX_DEPTH];   /* keys of the mapping at each depth */
    int depth;
    cp_node *root;
    char *pending_key; /* mapping key waiting for its value */
    int pk_line, pk_col;
    int docs;
} builder;

static int diag_error(struct fy_diag *diag, const char *file, cp_error *err)
{
    void *it = NULL;
    struct fy_diag_error *de = fy_diag_errors_iterate(diag, &it);
    if (de)
        return cp_fail(err, file, de->line > 0 ? de->line : 1,
                       de->column > 0 ? de->column : 1,
                       "YAML syntax error: %s", de->msg ? de->msg : "?");
    return cp_fail(err, file, 0, 0, "cannot read the file: %s",
                   errno ? strerror(errno) : "parse error");
}

static int attach(builder *b, cp_node *n, cp_error *err)
{
    if (b->depth == 0) {
        if (b->root)
            return cp_fail(err, b->file, n->line, n->col,
                           "more than one YAML document; expected one");
        b->root = n;
        return 0;
    }
    cp_node *top = b->stack[b->depth - 1];
    if (top->kind == CP_NODE_MAP) {
        if (!b->pending_key) {
            if (n->kind != CP_NODE_SCALAR)
                return cp_fail(err, b->file, n->line, n->col,
                               "mapping key must be a plain scalar");
            if (cp_keyidx_find(&b->idx[b->depth - 1], top, n->scalar) >= 0)
                return cp_fail(err, b->file, n->line, n->col,
                               "duplicate key '%s'", n->scalar);
            b->pending_key = n->scalar;
            b->pk_line = n->line;
            b->pk_col = n->col;
            return 0; /* the key node itself is dropped */
        }
        n->key = b->pending_key;
        n->key_line = b->pk_line;
        n->key_col = b->pk_col;
        b->pending_key = NULL;
        if (cp_node_append(b->pool, top, n) || cp_keyidx_added(&b->idx[b->depth - 1], top))
            return cp_fail(err, b->file, n->line, n->col, "out of memory");
        return 0;
    }
    return cp_node_append(b->pool, top, n);
}

static int on_event(builder *b, struct fy_event *ev, cp_error *err)
{
    const struct fy_mark *m = fy_event_start_mark(ev);
    int line = m ? m->line + 1 : 0, col = m ? m->column + 1 : 0;
    cp_node *n;
    switch (ev->type) {
    case FYET_DOCUMENT_START:
        if (++b->docs > 1)
            return cp_fail(err, b->file, line, col,
                           "more than one YAML document; expected one");
        return 0;
    case FYET_ALIAS: /* libfyaml marks the name, one past the '*' */
        return cp_fail(err, b->file, line, col > 1 ? col - 1 : col,
                       "YAML aliases are not supported; use 'include' to "
                       "share settings");
    case FYET_SCALAR: {
        if (ev->scalar.anchor)
            return cp_fail(err, b->file, line, col,
                           "YAML anchors are not supported");
        size_t len = 0;
        const char *t = fy_token_get_text(ev->scalar.value, &len);
        n = cp_node_new(b->pool, CP_NODE_SCALAR, b->file, line, col);
        if (!n || !(n->scalar = pool_strdup(b->pool, t ? t : "", t ? len : 0)))
            return cp_fail(err, b->file, line, col, "out of memory");
        enum fy_scalar_style st = fy_token_scalar_style(ev->scalar.value);
        n->quoted = st == FYSS_SINGLE_QUOTED || st == FYSS_DOUBLE_QUOTED ||
                    st == FYSS_LITERAL || st == FYSS_FOLDED;
        /* libfyaml marks a quoted scalar after its opening quote */
        if ((st == FYSS_SINGLE_QUOTED || st == FYSS_DOUBLE_QUOTED) && n->col > 1)
            n->col--;
        return attach(b, n, err);
    }
    case FYET_MAPPING_START:
    case FYET_SEQUENCE_START: {
        bool map = ev->type == FYET_MAPPING_START;
        if ((map && ev->mapping_start.anchor) ||
            (!map && ev->sequence_start.anchor))
            return cp_fail(err, b->file, line, col,
                           "YAML anchors are not supported");
        if (b->depth >= CP_MAX_DEPTH)
            return cp_fail(err, b->file, line, col,
                           "nesting deeper than %d levels", CP_MAX_DEPTH);
        n = cp_node_new(b->pool, map ? CP_NODE_MAP : CP_NODE_SEQ, b->file,
                        line, col);
        if (!n || attach(b, n, err))
            return n ? -1 : cp_fail(err, b->file, line, col, "out of memory");
        cp_keyidx_reset(&b->idx[b->depth]);
        b->stack[b->depth++] = n;
        return 0;
    }
    case FYET_MAPPING_END:
    case FYET_SEQUENCE_END:
        if (b->depth > 0)
            b->depth--;
        return 0;
    default:
        return 0;
    }
}

#define CP_MAX_FILE_BYTES (8u << 20)

/* Offset of the first byte that is not well-formed UTF-8 (RFC 3629), or a
 * NUL, or len when all is well.  libfyaml 0.7 can loop on some malformed
 * input (found by fuzzing), so text is checked before it is handed over. */
static size_t utf8_bad_offset(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        size_t n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2
                 : (c & 0xF8) == 0xF0 ? 3 : 9;
        if (c == 0 || n == 9 || (n == 1 && c < 0xC2) || (n == 3 && c > 0xF4) ||
            i + n >= len + (n == 0))
            return i;
        for (size_t k = 1; k <= n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        if ((n == 2 && c == 0xE0 && s[i + 1] < 0xA0) ||   /* overlong */
            (n == 2 && c == 0xED && s[i + 1] >= 0xA0) ||  /* surrogates */
            (n == 3 && c == 0xF0 && s[i + 1] < 0x90) ||   /* overlong */
            (n == 3 && c == 0xF4 && s[i + 1] >= 0x90))    /* > U+10FFFF */
            return i;
        i += n + 1;
    }
    return len;
}

static int check_text(const char *file, const char *text, size_t len, cp_error *err)
{
    size_t bad = utf8_bad_offset((const unsigned char *)text, len);
    if (bad == len)
        return 0;
    int line = 1, col = 1;
    for (size_t i = 0; i < bad; i++) {
        if (text[i] == '\n')
            line++, col = 1;
        else if (((unsigned char)text[i] & 0xC0) != 0x80)
            col++;
    }
    return cp_fail(err, file, line, col,
                   "%s; expected UTF-8 text", text[bad] ? "invalid UTF-8 byte"
                                                       : "NUL byte");
}

/* Reads a regular file of at most CP_MAX_FILE_BYTES into a new buffer. */
static char *read_file(const char *file, size_t *len, cp_error *err)
{
    struct stat st;
    if (stat(file, &st) != 0) {
        cp_fail(err, file, 0, 0, "cannot open: %s", strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        cp_fail(err, file, 0, 0, "cannot open: not a regular file");
        return NULL;
    }
    if ((unsigned long long)st.st_size > CP_MAX_FILE_BYTES) {
        cp_fail(err, file, 0, 0, "file larger than %u MiB", CP_MAX_FILE_BYTES >> 20);
        return NULL;
    }
    FILE *f = fopen(file, "rb");
    char *buf = f ? malloc((size_t)st.st_size + 1) : NULL;
    size_t got = buf ? fread(buf, 1, (size_t)st.st_size, f) : 0;
    if (!f || !buf || got != (size_t)st.st_size) {
        cp_fail(err, file, 0, 0, "cannot read: %s", strerror(errno ? errno : EIO));
        free(buf);
        buf = NULL;
    }
    if (f)
        fclose(f);
    if (buf)
        buf[got] = '\0';
    *len = got;
    return buf;
}

static struct fy_parser *make_parser(struct fy_diag **diag)
{
    struct fy_diag_cfg dcfg;
    fy_diag_cfg_default(&dcfg);
    dcfg.fp = NULL;
    dcfg.output_fn = NULL;
    dcfg.colorize = false;
    *diag = fy_diag_create(&dcfg);
    if (!*diag)
        return NULL;
    fy_diag_set_collect_errors(*diag, true);
    struct fy_parse_cfg cfg = {.flags = FYPCF_QUIET | FYPCF_COLLECT_DIAG |
                                        FYPCF_JSON_NONE,
                               .diag = *diag};
    return fy_parser_create(&cfg);
}

static int run_parser(struct fy_parser *fyp, struct fy_diag *diag, builder *b,
                      const char *file, cp_error *err)
{
    struct fy_event *ev;
    while ((ev = fy_parser_parse(fyp)) != NULL) {
        int rc = on_event(b, ev, err);
        fy_parser_event_free(fyp, ev);
        if (rc)
            return rc;
    }
    if (fy_parser_get_stream_error(fyp))
        return diag_error(diag, file, err);
    if (!b->root || b->root->kind != CP_NODE_MAP)
        return cp_fail(err, file, b->root ? b->root->line : 1,
                       b->root ? b->root->col : 1,
                       "the document must be a mapping of keys to values");
    return 0;
}

cp_node *cp_yaml_load(cp_pool *p, const char *file, const char *text,
                      size_t len, cp_error *err)
{
    char *owned = NULL;
    if (!text && !(text = owned = read_file(file, &len, err)))
        return NULL;
    struct fy_diag *diag = NULL;
    struct fy_parser *fyp = NULL;
    builder b = {.pool = p, .file = cp_pool_intern(p, file)};
    int rc = check_text(file, text, len, err);
    if (rc == 0) {
        fyp = make_parser(&diag);
        if (!fyp || fy_parser_set_string(fyp, text, len))
            rc = cp_fail(err, file, 0, 0, "out of memory");
        else
            rc = run_parser(fyp, diag, &b, file, err);
    }
    if (fyp)
        fy_parser_destroy(fyp);
    if (diag)
        fy_diag_destroy(diag);
    for (int d = 0; d < CP_MAX_DEPTH; d++)
        cp_keyidx_free(&b.idx[d]);
    free(owned);
    return rc ? NULL : b.root;
}

/* ---------------------------------------------------------------- merge */


static cp_node *find_named(const cp_node *seq, const char *name)
{
    cp_keyidx x = {.by_name = true};
    long i = cp_keyidx_find(&x, seq, name);
    return i < 0 ? NULL : seq->items[i];
}

static int merge_seq(cp_pool *p, cp_node *base, const cp_node *over,
                     cp_error *err)
{
    bool named = over->n > 0;
    for (size_t i = 0; i < over->n && named; i++)
        named = over->items[i]->kind == CP_NODE_MAP && cp_node_name(over->items[i]);
    if (!named) { /* replace wholesale */
        base->n = 0;
        for (size_t i = 0; i < over->n; i++) {
            cp_node *c = cp_node_copy(p, over->items[i]);
            if (!c || cp_node_append(p, base, c))
                return cp_fail(err, over->file, over->line, over->col,
                               "out of memory");
        }
        return 0;
    }
    cp_keyidx x = {.by_name = true};
    int rc = 0;
    for (size_t i = 0; i < base->n && base->n >= CP_KEYIDX_MIN && rc == 0; i++)
        rc = cp_keyidx_put(&x, base, i);
    for (size_t i = 0; i < over->n && rc == 0; i++) {
        long at = cp_keyidx_find(&x, base, cp_node_name(over->items[i]));
        if (at >= 0) {
            rc = cp_node_merge(p, base->items[at], over->items[i], err);
            continue;
        }
        cp_node *c = cp_node_copy(p, over->items[i]);
        if (!c || cp_node_append(p, base, c) || cp_keyidx_added(&x, base))
            rc = cp_fail(err, over->file, over->line, over->col, "out of memory");
    }
    cp_keyidx_free(&x);
    return rc;
}

/* over's key o into base (indexed by x): a mapping merges into a mapping,
 * a list into a list; anything else replaces. */
static int merge_key(cp_pool *p, cp_node *base, cp_keyidx *x, const cp_node *o,
                     cp_error *err)
{
    long j = cp_keyidx_find(x, base, o->key);
    if (j >= 0 && base->items[j]->kind == o->kind && o->kind != CP_NODE_SCALAR)
        return cp_node_merge(p, base->items[j], o, err);
    cp_node *c = cp_node_copy(p, o);
    if (!c)
        return cp_fail(err, o->file, o->line, o->col, "out of memory");
    if (j >= 0) {
        base->items[j] = c;
        return 0;
    }
    if (cp_node_append(p, base, c) || cp_keyidx_added(x, base))
        return cp_fail(err, o->file, o->line, o->col, "out of memory");
    return 0;
}

/* A figure's range belongs to its value: a figure given again (a new value)
 * keeps its source but not the old range; it brings its own or is pinned. */
static void drop_range(cp_node *param)
{
    size_t kept = 0;
    for (size_t i = 0; i < param->n; i++)
        if (!cp_param_dist_key(param->items[i]->key))
            param->items[kept++] = param->items[i];
    param->n = kept;
}

int cp_node_merge(cp_pool *p, cp_node *base, const cp_node *over, cp_error *err)
{
    if (base->kind == CP_NODE_SEQ && over->kind == CP_NODE_SEQ)
        return merge_seq(p, base, over, err);
    if (base->kind != CP_NODE_MAP || over->kind != CP_NODE_MAP)
        return cp_fail(err, over->file, over->line, over->col,
                       "cannot merge a %s into a %s",
                       over->kind == CP_NODE_MAP ? "mapping" : "value",
                       base->kind == CP_NODE_MAP ? "mapping" : "value");
    if (cp_node_get(base, "value") && cp_node_get(over, "value"))
        drop_range(base);
    cp_keyidx x = {0};
    int rc = 0;
    for (size_t i = 0; i < base->n && base->n >= CP_KEYIDX_MIN && rc == 0; i++)
        rc = cp_keyidx_put(&x, base, i);
    if (rc)
        rc = cp_fail(err, over->file, over->line, over->col, "out of memory");
    for (size_t i = 0; i < over->n && rc == 0; i++)
        rc = merge_key(p, base, &x, over->items[i], err);
    cp_keyidx_free(&x);
    return rc;
}

/* ------------------------------------------------------------------ --set */

static bool is_number(const char *s)
{
    char *end;
    strtod(s, &end);
    return end != s && *end == '\0';
}

static bool in_list(const char *const *list, const char *s)
{
    for (; list && *list; list++)
        if (strcmp(*list, s) == 0)
            return true;
    return false;
}

static cp_node *set_child(cp_pool *p, cp_node *cur, const char *seg,
                          const char *const *ref_keys, const char *file,
                          int col, cp_error *err)
{
    if (cur->kind == CP_NODE_SEQ) {
        char *end;
        errno = 0;
        long idx = strtol(seg, &end, 10);
        if (*end == '\0' && !errno && idx >= 0 && (size_t)idx < cur->n)
            return cur->items[idx];
        cp_node *c = find_named(cur, seg);
        if (!c)
            cp_fail(err, file, 1, col,
                    "no list item '%s' (expected an index below %zu or an "
                    "item name)", seg, cur->n);
        return c;
    }
    if (cur->kind == CP_NODE_SCALAR && cur->key && in_list(ref_keys, cur->key) &&
        !is_number(cur->scalar)) {
        /* `engine: NAME` becomes `engine: {ref: NAME}` so that a catalog
         * parameter of a referenced component can be overridden */
        cp_node *ref = cp_node_new(p, CP_NODE_SCALAR, cur->file, cur->line, cur->col);
        if (!ref) {
            cp_fail(err, file, 1, col, "out of memory");
            return NULL;
        }
        ref->scalar = cur->scalar;
        ref->key = (char *)cp_pool_intern(p, "ref");
        cur->kind = CP_NODE_MAP;
        cur->scalar = NULL;
        cur->n = 0;
        if (cp_node_append(p, cur, ref)) {
            cp_fail(err, file, 1, col, "out of memory");
            return NULL;
        }
    }
    if (cur->kind != CP_NODE_MAP) {
        cp_fail(err, file, 1, col, "'%s' is below a plain value", seg);
        return NULL;
    }
    cp_node *c = cp_node_get(cur, seg);
    if (c)
        return c;
    c = cp_node_new(p, CP_NODE_MAP, file, 1, col);
    if (!c || !(c->key = (char *)cp_pool_intern(p, seg)) ||
        cp_node_append(p, cur, c)) {
        cp_fail(err, file, 1, col, "out of memory");
        return NULL;
    }
    c->key_line = 1;
    c->key_col = col;
    return c;
}

int cp_node_set_path(cp_pool *p, cp_node *root, const char *assignment,
                     const char *const *ref_keys, cp_error *err)
{
    const char *file = cp_pool_intern(p, "--set");
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        return cp_fail(err, file, 1, 1,
                       "'%s': expected path=value, e.g. system.rack_units=2",
                       assignment);
    char path[512];
    size_t plen = (size_t)(eq - assignment);
    if (plen >= sizeof path)
        return cp_fail(err, file, 1, 1, "path too long");
    memcpy(path, assignment, plen);
    path[plen] = '\0';
    cp_node *cur = root;
    char *save = NULL;
    int col = 1;
    for (char *seg = strtok_r(path, ".", &save); seg;
         seg = strtok_r(NULL, ".", &save)) {
        col = (int)(seg - path) + 1;
        cur = set_child(p, cur, seg, ref_keys, file, col, err);
        if (!cur)
            return -1;
    }
    if (cur == root)
        return cp_fail(err, file, 1, 1, "empty path");
    /* A {value, source} parameter keeps its source; the value is replaced,
     * and pinned: a range given with the old value no longer applies. */
    cp_node *target = cur;
    if (cur->kind == CP_NODE_MAP && cp_node_get(cur, "value")) {
        target = cp_node_get(cur, "value");
        drop_range(cur);
    }
    else if (cur->kind != CP_NODE_SCALAR && cur->n > 0)
        return cp_fail(err, file, 1, col,
                       "'%s' is a mapping or list; --set takes a plain value",
                       path);
    target->kind = CP_NODE_SCALAR;
    target->n = 0;
    target->scalar = (char *)cp_pool_intern(p, eq + 1);
    target->quoted = false;
    target->file = file;
    target->line = 1;
    target->col = (int)plen + 2;
    return 0;
}
