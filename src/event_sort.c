/*
 * event_sort.c — the failures of a replica in time order, ties by class,
 * then as generated (a stable sort on (t, class)).
 *
 * A bucket sort over [0, T): failure times are spread over the horizon, so
 * it is O(n) where qsort took half of a 1M-GPU run.  Bucket k of nb = n/2 + 1
 * holds the times in [k T/nb, (k+1) T/nb), filled by a stable scatter;
 * within a bucket, an insertion sort, or qsort (glibc: a stable merge sort)
 * for a crowded one (early Weibull failures).  (Scattering in two passes,
 * coarse buckets first to keep the write fronts in cache, was no faster on
 * a 1M-GPU run.)
 */
#include "internal.h"
#include "rel_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define INSERTION_MAX 32         /* longer buckets go to qsort */

void cp_event_sort_free(cp_event_sort_buf *b)
{
    free(b->tmp);
    free(b->key);
    free(b->count);
    memset(b, 0, sizeof *b);
}

static int cmp_event(const void *a, const void *b)
{
    const cp_rel_event *x = a, *y = b;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->cls > y->cls) - (x->cls < y->cls);
}

static size_t bucket_of(double t, double T, size_t nb)
{
    size_t k = t > 0 ? (t < T ? (size_t)(t / T * (double)nb) : nb - 1) : 0;
    return k < nb ? k : nb - 1;
}

/* one fine bucket, in generated order: sorted in place */
static void sort_bucket(cp_rel_event *p, size_t len)
{
    if (len > INSERTION_MAX) {
        qsort(p, len, sizeof *p, cmp_event);
        return;
    }
    for (size_t i = 1; i < len; i++) {
        cp_rel_event x = p[i];
        size_t j = i;
        while (j > 0 && cmp_event(&p[j - 1], &x) > 0) {
            p[j] = p[j - 1];
            j--;
        }
        p[j] = x;
    }
}

int cp_event_sort(cp_rel_event *e, size_t n, double T, cp_event_sort_buf *b)
{
    if (n < 2)
        return 0;
    if (n / 2 + 1 > UINT_MAX) /* bucket numbers are 32-bit (n is far beyond memory) */
        return -1;
    size_t nb = n / 2 + 1;
    if (cp_grow((void **)&b->tmp, &b->captmp, n, sizeof *b->tmp) ||
        cp_grow((void **)&b->key, &b->capkey, n, sizeof *b->key) ||
        cp_grow((void **)&b->count, &b->capcount, nb + 1, sizeof *b->count))
        return -1;
    size_t *cnt = b->count;
    unsigned *key = b->key;
    memset(cnt, 0, (nb + 1) * sizeof *cnt);
    for (size_t i = 0; i < n; i++) {
        key[i] = (unsigned)bucket_of(e[i].t, T, nb);
        cnt[key[i] + 1]++;
    }
    for (size_t k = 0; k < nb; k++)
        cnt[k + 1] += cnt[k];
    for (size_t i = 0; i < n; i++) /* stable scatter; cnt[k] ends at bucket k's end */
        b->tmp[cnt[key[i]]++] = e[i];
    for (size_t k = 0, from = 0; k < nb; from = cnt[k++])
        if (cnt[k] - from > 1)
            sort_bucket(b->tmp + from, cnt[k] - from);
    memcpy(e, b->tmp, n * sizeof *e);
    return 0;
}
