/*
 * bind.c — maps YAML mappings onto plain structs through field tables, with
 * the type and range checks that give every bad input its file:line:col.
 */
#include "internal.h"

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* printf-checked like its callers (clang's -Wformat-nonliteral wants it) */
__attribute__((format(printf, 5, 0)))
static int vfail_at(cp_error *err, const char *file, int line, int col,
                    const char *fmt, va_list ap)
{
    char msg[sizeof err->msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    return cp_fail(err, file, line, col, "%s", msg);
}

int cp_node_fail(cp_error *err, const cp_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(err, n->file, n->line, n->col, fmt, ap);
    va_end(ap);
    return rc;
}

int cp_key_fail(cp_error *err, const cp_node *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail_at(err, n->file, n->key_line ? n->key_line : n->line,
                      n->key_line ? n->key_col : n->col, fmt, ap);
    va_end(ap);
    return rc;
}

const cp_node *cp_param_value_node(const cp_node *n)
{
    if (n && n->kind == CP_NODE_MAP) {
        const cp_node *v = cp_node_get(n, "value");
        return v ? v : n;
    }
    return n;
}

/* {value: 1.0, source: key} | {value: 1.0, assumption: "why"} |
 * {value: 1.0, source: key, calibrated: "fitted how"}, each with an optional
 * range or distribution (src/param_dist.c) */
static int check_param_map(const cp_node *n, cp_error *err)
{
    static const char *const keys[] = {"value", "source", "assumption",
                                       "calibrated", "note"};
    for (size_t i = 0; i < n->n; i++) {
        const cp_node *c = n->items[i];
        bool ok = cp_param_dist_key(c->key);
        for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
            ok |= strcmp(c->key, keys[k]) == 0;
        if (!ok)
            return cp_key_fail(err, c,
                               "unknown key '%s' in a parameter; expected "
                               "value, source, assumption, calibrated, note, range, dist, "
                               "error_factor, sd, range_source or range_assumption", c->key);
        if (c->kind != CP_NODE_SCALAR && strcmp(c->key, "range") != 0)
            return cp_node_fail(err, c, "'%s' must be a plain value", c->key);
    }
    if (!cp_node_get(n, "value"))
        return cp_node_fail(err, n, "parameter '%s' has no 'value'",
                            n->key ? n->key : "?");
    return 0;
}

int cp_param_number(const cp_node *n, double *out, cp_error *err)
{
    if (n->kind == CP_NODE_MAP && check_param_map(n, err))
        return -1;
    const cp_node *v = cp_param_value_node(n);
    if (v->kind != CP_NODE_SCALAR || v->quoted)
        return cp_node_fail(err, v, "'%s' must be a number",
                            n->key ? n->key : "value");
    const char *s = v->scalar;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(x))
        return cp_node_fail(err, v, "'%s' must be a finite number, got '%s'",
                            n->key ? n->key : "value", s);
    cp_dist d; /* a range next to the value is checked wherever it is read */
    if (n->kind == CP_NODE_MAP && cp_param_dist(n, x, &d, NULL, err))
        return -1;
    *out = x;
    return 0;
}

static int bind_enum(const cp_node *v, const cp_field *f, int *out,
                     cp_error *err)
{
    const char *c = f->choices;
    for (int idx = 0; c && *c; idx++) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (strlen(v->scalar) == len && strncmp(v->scalar, c, len) == 0) {
            *out = idx;
            return 0;
        }
        c = bar ? bar + 1 : c + len;
    }
    return cp_node_fail(err, v, "'%s' is not a valid %s; expected one of: %s",
                        v->scalar, f->key, f->choices);
}

static int bind_one(const cp_node *n, const cp_field *f, char *base,
                    cp_error *err)
{
    const cp_node *v = cp_param_value_node(n);
    if (f->type == CP_F_NUM) {
        double x;
        if (cp_param_number(n, &x, err))
            return -1;
        if (x < f->min || x > f->max)
            return cp_node_fail(err, v,
                                "%s = %g is out of range; expected %g..%g",
                                f->key, x, f->min, f->max);
        cp_dist d; /* and so must its range, if it has one */
        if (n->kind == CP_NODE_MAP &&
            (cp_param_dist(n, x, &d, NULL, err) || cp_param_dist_in(n, &d, f->min, f->max, err)))
            return -1;
        *(double *)(base + f->offset) = x;
        return 0;
    }
    if (f->type == CP_F_INT) {
        double x;
        if (cp_param_number(n, &x, err))
            return -1;
        if (x != floor(x) || x < f->min || x > f->max)
            return cp_node_fail(err, v, "'%s' must be a whole number in [%.0f, %.0f], got %s",
                                f->key, f->min, f->max, v->scalar);
        *(double *)(base + f->offset) = x;
        return 0;
    }
    if (n->kind == CP_NODE_MAP && check_param_map(n, err))
        return -1;
    if (v->kind != CP_NODE_SCALAR)
        return cp_node_fail(err, v, "'%s' must be a plain value", f->key);
    switch (f->type) {
    case CP_F_STR:
        if (strlen(v->scalar) >= f->size)
            return cp_node_fail(err, v, "'%s' is longer than %zu characters",
                                f->key, f->size - 1);
        cp_strlcpy(base + f->offset, v->scalar, f->size);
        return 0;
    case CP_F_BOOL:
        if (!v->quoted && (!strcmp(v->scalar, "true") || !strcmp(v->scalar, "false"))) {
            *(bool *)(base + f->offset) = v->scalar[0] == 't';
            return 0;
        }
        return cp_node_fail(err, v, "'%s' must be true or false", f->key);
    case CP_F_ENUM:
        return bind_enum(v, f, (int *)(base + f->offset), err);
    default:
        return cp_node_fail(err, v, "internal: bad field type");
    }
}

static bool is_extra(const cp_bind_ctx *ctx, const char *key)
{
    for (const char *const *e = ctx->extra; e && *e; e++)
        if (strcmp(*e, key) == 0)
            return true;
    return false;
}

/* The keys a mapping accepts: its fields, then the caller's extra keys. */
static void list_keys(const cp_bind_ctx *ctx, const cp_field *fields, size_t nf,
                      char *buf, size_t len)
{
    size_t at = 0, k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < nf && at < len; i++)
        at += (size_t)snprintf(buf + at, len - at, "%s%s", k++ ? ", " : "", fields[i].key);
    for (const char *const *e = ctx->extra; e && *e && at < len; e++)
        if (strcmp(*e, "note") != 0 && strcmp(*e, "description") != 0)
            at += (size_t)snprintf(buf + at, len - at, "%s%s", k++ ? ", " : "", *e);
}

int cp_bind(const cp_bind_ctx *ctx, const cp_field *fields, size_t nf,
            void *out, cp_error *err)
{
    const cp_node *m = ctx->node;
    if (m->kind != CP_NODE_MAP)
        return cp_node_fail(err, m, "%s must be a mapping", ctx->what);
    for (size_t i = 0; i < m->n; i++) {
        const cp_node *c = m->items[i];
        if (is_extra(ctx, c->key))
            continue;
        const cp_field *f = NULL;
        for (size_t k = 0; k < nf && !f; k++)
            if (strcmp(fields[k].key, c->key) == 0)
                f = &fields[k];
        if (!f) {
            char keys[400];
            list_keys(ctx, fields, nf, keys, sizeof keys);
            return cp_key_fail(err, c, "unknown key '%s' in %s; expected one of: %s",
                               c->key, ctx->what, keys);
        }
        if (bind_one(c, f, out, err))
            return -1;
    }
    for (size_t k = 0; k < nf; k++)
        if (fields[k].required && !cp_node_get(m, fields[k].key))
            return cp_node_fail(err, m, "missing required field '%s' in %s",
                                fields[k].key, ctx->what);
    return 0;
}

int cp_bind_child(const cp_node *parent, const char *key, const char *what,
                  const cp_field *fields, size_t nf, void *out, bool required,
                  const char *const *extra, cp_error *err)
{
    const cp_node *n = cp_node_get(parent, key);
    if (!n)
        return required ? cp_node_fail(err, parent, "missing required field '%s'", key) : 0;
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "'%s' must be a mapping", key);
    cp_bind_ctx ctx = {n, what, extra};
    return cp_bind(&ctx, fields, nf, out, err);
}

const char *cp_item_name(const cp_node *item, const char *what, cp_error *err)
{
    const cp_node *nm = item->kind == CP_NODE_MAP ? cp_node_get(item, "name") : NULL;
    if (!nm || nm->kind != CP_NODE_SCALAR) {
        cp_node_fail(err, item, "a %s needs a 'name'", what);
        return NULL;
    }
    return cp_check_text(nm, err) ? NULL : nm->scalar;
}

int cp_check_keys(const cp_node *m, const char *what, const char *const *allowed,
                  cp_error *err)
{
    if (m->kind != CP_NODE_MAP)
        return cp_node_fail(err, m, "%s must be a mapping", what);
    cp_bind_ctx ctx = {m, what, allowed};
    return cp_bind(&ctx, NULL, 0, NULL, err);
}

/* Bytes of a C0 or C1 control character (ESC, CSI ...) at s, or 0: names
 * and titles are printed on terminals, where these are commands. */
static size_t control_at(const unsigned char *s)
{
    if (*s < 0x20 || *s == 0x7f)
        return 1;
    if (s[0] == 0xc2 && s[1] >= 0x80 && s[1] <= 0x9f) /* U+0080..U+009F */
        return 2;
    return 0;
}

int cp_check_text(const cp_node *n, cp_error *err)
{
    const char *key = n->key ? n->key : "value";
    if (n->kind != CP_NODE_SCALAR)
        return cp_node_fail(err, n, "'%s' must be plain text, not a %s", key,
                            n->kind == CP_NODE_MAP ? "mapping" : "list");
    for (const unsigned char *s = (const unsigned char *)n->scalar; *s; s++)
        if (control_at(s))
            return cp_node_fail(err, n, "'%s' contains a control character (byte "
                                        "%zu); expected printable text", key,
                                (size_t)(s - (const unsigned char *)n->scalar) + 1);
    return 0;
}
