/*
 * json_writer.c — JSON through libfyaml: build a document, emit it in JSON
 * mode.  Strings are double-quoted scalars (so "true" stays a string),
 * numbers plain scalars with 10 significant digits, non-finite numbers null.
 */
#include "json_writer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fy_node *jw_str(jw *w, const char *s)
{
    char buf[2 * CP_TEXT_MAX + 8];
    size_t at = 0;
    buf[at++] = '"';
    for (const char *p = s; *p && at < sizeof buf - 8; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '"' || c == '\\')
            buf[at++] = '\\', buf[at++] = (char)c;
        else if (c < 0x20)
            at += (size_t)snprintf(buf + at, sizeof buf - at, "\\x%02x", c);
        else
            buf[at++] = (char)c;
    }
    buf[at++] = '"';
    buf[at] = '\0';
    /* the document takes ownership of the copy (libfyaml keeps pointers
     * into the source text of a built node) */
    char *copy = strdup(buf);
    struct fy_node *n = copy ? fy_node_build_from_malloc_string(w->doc, copy, at) : NULL;
    if (!n)
        free(copy);
    w->failed |= !n;
    return n;
}

struct fy_node *jw_num(jw *w, double x)
{
    struct fy_node *n = isfinite(x) ? fy_node_create_scalarf(w->doc, "%.10g", x)
                                    : fy_node_create_scalar(w->doc, "null", 4);
    w->failed |= !n;
    return n;
}

struct fy_node *jw_bool(jw *w, bool b)
{
    struct fy_node *n = fy_node_create_scalar(w->doc, b ? "true" : "false", b ? 4 : 5);
    w->failed |= !n;
    return n;
}

void jw_put(jw *w, struct fy_node *map, const char *key, struct fy_node *v)
{
    if (!v || fy_node_mapping_append(map, fy_node_create_scalar(w->doc, key, strlen(key)), v))
        w->failed = 1;
}

void jw_push(jw *w, struct fy_node *seq, struct fy_node *v)
{
    if (!v || fy_node_sequence_append(seq, v))
        w->failed = 1;
}

struct fy_node *jw_map(jw *w)
{
    struct fy_node *m = fy_node_create_mapping(w->doc);
    w->failed |= !m;
    return m;
}

struct fy_node *jw_seq(jw *w)
{
    struct fy_node *s = fy_node_create_sequence(w->doc);
    w->failed |= !s;
    return s;
}

int jw_emit(jw *w, struct fy_node *root, FILE *f)
{
    int rc = -1;
    if (!w->failed && fy_document_set_root(w->doc, root) == 0)
        rc = fy_emit_document_to_fp(w->doc, FYECF_MODE_JSON_TP | FYECF_INDENT_2 |
                                                FYECF_WIDTH_INF, f);
    fy_document_destroy(w->doc);
    w->doc = NULL;
    return rc;
}

void cp_csv_field(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}
