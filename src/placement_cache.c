/*
 * placement_cache.c — placements kept across evaluations of the expected
 * values (an uncertainty run evaluates both options' workloads once per
 * sample; the placement depends on the fabric and the workload, not on the
 * sampled rates or prices, and building it walked every GPU each time).
 *
 * An entry is found by the inputs cp_placement_build reads (the geometry,
 * the job sizes, spares, placement kind and seed), so a sample that changes
 * any of them gets its own placement.  The checkpoint interval is not in the
 * key: cp_wl_intervals rewrites every job's on each use, before it is read.  One cache per
 * thread: it is not shared.
 */
#include "internal.h"
#include "rel_internal.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_SLOTS 16           /* two options x their workloads */

typedef struct pkey {            /* what cp_placement_build reads of a spec */
    cp_rel_geometry geo;
    double gpus, cluster_gpus, spare_gpus, checkpoint_cost_h;
    cp_job_size size[CP_MAX_JOB_SIZES];
    size_t nsizes;
    int placement;
    unsigned long seed;
} pkey;

struct cp_placement_cache {
    pkey key[CACHE_SLOTS];
    cp_placement pl[CACHE_SLOTS];
    bool used[CACHE_SLOTS];
    size_t next;                 /* the slot replaced next when all are used */
};

static void key_of(const cp_rel_spec *rel, pkey *k)
{
    memset(k, 0, sizeof *k); /* padding too: keys compare with memcmp */
    k->geo = rel->geo;
    k->gpus = rel->job.gpus;
    k->cluster_gpus = rel->job.cluster_gpus;
    k->spare_gpus = rel->job.spare_gpus;
    k->checkpoint_cost_h = rel->job.checkpoint_cost_h;
    k->nsizes = rel->job.nsizes < CP_MAX_JOB_SIZES ? rel->job.nsizes : CP_MAX_JOB_SIZES;
    memcpy(k->size, rel->job.size, k->nsizes * sizeof *k->size);
    k->placement = (int)rel->job.placement;
    k->seed = rel->seed;
}

cp_placement_cache *cp_placement_cache_new(void)
{
    return calloc(1, sizeof(cp_placement_cache));
}

void cp_placement_cache_free(cp_placement_cache *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (c->used[i])
            cp_placement_free(&c->pl[i]);
    free(c);
}

int cp_placement_cached(cp_placement_cache *c, const cp_rel_spec *rel, cp_placement **pl,
                        cp_error *err)
{
    pkey k;
    key_of(rel, &k);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (c->used[i] && memcmp(&c->key[i], &k, sizeof k) == 0) {
            *pl = &c->pl[i];
            return 0;
        }
    size_t i = c->next;
    c->next = (c->next + 1) % CACHE_SLOTS;
    if (c->used[i])
        cp_placement_free(&c->pl[i]);
    c->used[i] = false;
    if (cp_placement_build(rel, &c->pl[i], err))
        return -1;
    c->used[i] = true;
    c->key[i] = k;
    *pl = &c->pl[i];
    return 0;
}
