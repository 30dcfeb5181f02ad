/*
 * node_index.c — an open-addressing hash over the keys of a mapping (or the
 * names of a list's items), so that the duplicate-key check of the parser
 * and the merge of includes stay linear: a generated file of 150k keys took
 * 51 s with a scan per key.  Small mappings are scanned, without allocating.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const char *cp_node_name(const cp_node *n)
{
    const cp_node *k = cp_node_get(n, "name");
    return k && k->kind == CP_NODE_SCALAR ? k->scalar : NULL;
}

static const char *idx_key(const cp_keyidx *x, const cp_node *parent, size_t i)
{
    return x->by_name ? cp_node_name(parent->items[i]) : parent->items[i]->key;
}

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

int cp_keyidx_put(cp_keyidx *x, const cp_node *parent, size_t i)
{
    const char *k = idx_key(x, parent, i);
    if (!k)
        return 0; /* an unnamed item cannot be found by name */
    if (2 * (x->n + 1) > x->cap) {
        size_t nc = x->cap ? 2 * x->cap : 64;
        size_t *ns = calloc(nc, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t s = 0; s < x->cap; s++)
            if (x->slot[s]) {
                size_t h = hash_str(idx_key(x, parent, x->slot[s] - 1)) & (nc - 1);
                while (ns[h])
                    h = (h + 1) & (nc - 1);
                ns[h] = x->slot[s];
            }
        free(x->slot);
        x->slot = ns;
        x->cap = nc;
    }
    size_t h = hash_str(k) & (x->cap - 1);
    while (x->slot[h])
        h = (h + 1) & (x->cap - 1);
    x->slot[h] = i + 1;
    x->n++;
    return 0;
}

/* Index of the entry of parent with key k, or -1; scans small parents. */
long cp_keyidx_find(const cp_keyidx *x, const cp_node *parent, const char *k)
{
    if (!x->n) {
        for (size_t i = 0; i < parent->n; i++) {
            const char *ik = idx_key(x, parent, i);
            if (ik && strcmp(ik, k) == 0)
                return (long)i;
        }
        return -1;
    }
    for (size_t h = hash_str(k) & (x->cap - 1); x->slot[h]; h = (h + 1) & (x->cap - 1)) {
        const char *ik = idx_key(x, parent, x->slot[h] - 1);
        if (ik && strcmp(ik, k) == 0)
            return (long)(x->slot[h] - 1);
    }
    return -1;
}

/* Call after appending item parent->items[n - 1]: indexes it, building the
 * index over every item once the parent holds CP_KEYIDX_MIN of them. */
int cp_keyidx_added(cp_keyidx *x, const cp_node *parent)
{
    if (parent->n < CP_KEYIDX_MIN)
        return 0;
    if (x->n == 0) {
        for (size_t i = 0; i < parent->n; i++)
            if (cp_keyidx_put(x, parent, i))
                return -1;
        return 0;
    }
    return cp_keyidx_put(x, parent, parent->n - 1);
}

void cp_keyidx_reset(cp_keyidx *x)
{
    if (x->n)
        memset(x->slot, 0, x->cap * sizeof *x->slot);
    x->n = 0;
}

void cp_keyidx_free(cp_keyidx *x)
{
    free(x->slot);
    memset(x, 0, sizeof *x);
}
