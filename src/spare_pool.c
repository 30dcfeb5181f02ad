/*
 * spare_pool.c — the spare GPUs of a workload: a job cut off from some of
 * its GPUs restarts on spares when enough are free and holds them until the
 * repair of what cut it off (workload.c; an Erlang loss system).
 *
 * Only the number of GPUs held at an instant matters, so the holds are kept
 * where releasing them is cheapest.  Impacts come in time order and a hold
 * of a class ends a fixed repair time after its impact for the server team's
 * classes (no crew queue), so the holds of one class mostly end in the order
 * they are taken: a FIFO per class takes those, a binary min-heap on the end
 * the others.  Holds that ended by t are released before each request.  GPU
 * counts are whole numbers, so the sum held is exact in any release order.
 */
#include "internal.h"
#include "workload.h"

#include <stdlib.h>
#include <string.h>

void cp_spare_pool_reset(cp_spare_pool *p)
{
    for (unsigned k = 0; k < CP_MAX_CLASSES; k++)
        p->fifo[k].head = p->fifo[k].n = 0;
    p->active = 0;
    p->nheap = 0;
    p->busy = 0;
}

void cp_spare_pool_free(cp_spare_pool *p)
{
    for (unsigned k = 0; k < CP_MAX_CLASSES; k++)
        free(p->fifo[k].h);
    free(p->heap);
    memset(p, 0, sizeof *p);
}

/* restore the heap below i */
static void heap_down(cp_wl_hold *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l].end < h[m].end)
            m = l;
        if (l + 1 < n && h[l + 1].end < h[m].end)
            m = l + 1;
        if (m == i)
            return;
        cp_wl_hold t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static int heap_push(cp_spare_pool *p, cp_wl_hold x)
{
    if (p->nheap == p->capheap) {
        size_t nc = p->capheap ? 2 * p->capheap : 64;
        cp_wl_hold *n = realloc(p->heap, nc * sizeof *n);
        if (!n)
            return -1;
        p->heap = n;
        p->capheap = nc;
    }
    cp_wl_hold *h = p->heap;
    size_t i = p->nheap++;
    h[i] = x;
    while (i > 0 && h[(i - 1) / 2].end > h[i].end) {
        cp_wl_hold t = h[i];
        h[i] = h[(i - 1) / 2];
        h[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
    return 0;
}

/* append to a class's FIFO (its holds [head, head + n) in order of end) */
static int fifo_push(cp_spare_fifo *f, cp_wl_hold x)
{
    if (f->head + f->n == f->cap) {
        if (f->head > f->cap / 2) { /* mostly released: move the rest down */
            memmove(f->h, f->h + f->head, f->n * sizeof *f->h);
            f->head = 0;
        } else {
            size_t nc = f->cap ? 2 * f->cap : 64;
            cp_wl_hold *n = realloc(f->h, nc * sizeof *n);
            if (!n)
                return -1;
            f->h = n;
            f->cap = nc;
        }
    }
    f->h[f->head + f->n++] = x;
    return 0;
}

/* release the holds that ended by t */
static void release(cp_spare_pool *p, double t)
{
    for (unsigned long long a = p->active; a; a &= a - 1) {
        unsigned k = (unsigned)__builtin_ctzll(a);
        cp_spare_fifo *f = &p->fifo[k];
        while (f->n > 0 && !(f->h[f->head].end > t)) {
            p->busy -= f->h[f->head].gpus;
            f->head++;
            f->n--;
        }
        if (f->n == 0) {
            f->head = 0;
            p->active &= ~(1ULL << k);
        }
    }
    cp_wl_hold *h = p->heap;
    while (p->nheap > 0 && !(h[0].end > t)) {
        p->busy -= h[0].gpus;
        h[0] = h[--p->nheap];
        heap_down(h, p->nheap, 0);
    }
}

int cp_spare_take(cp_spare_pool *p, double spares, unsigned cls, double t, double end,
                  double need, bool *got)
{
    release(p, t);
    *got = p->busy + need <= spares + 1e-9;
    if (!*got)
        return 0;
    cp_wl_hold x = {end, need};
    cp_spare_fifo *f = &p->fifo[cls % CP_MAX_CLASSES];
    int rc = f->n == 0 || !(end < f->h[f->head + f->n - 1].end) ? fifo_push(f, x)
                                                                 : heap_push(p, x);
    if (rc)
        return -1;
    if (f->n > 0)
        p->active |= 1ULL << (cls % CP_MAX_CLASSES);
    p->busy += need;
    return 0;
}
