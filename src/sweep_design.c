/*
 * sweep_design.c — the points of a sweep's design and their keys: a grid of
 * lists and ranges, or random / Latin hypercube / Sobol points of the unit
 * cube mapped through ranges, lists and distributions; each point keyed by
 * a 64-bit FNV-1a hash of its inputs (command, scenarios, each path and the
 * bits of its value), so that a resumed sweep skips exactly the points
 * already committed, whichever process computed them.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *cp_sweep_cmd_name(cp_sweep_cmd c)
{
    static const char *const n[] = {"eval",        "fabric", "thermal", "reliability",
                                     "tco",         "yield",  "comply"};
    return (size_t)c < sizeof n / sizeof *n ? n[c] : "?";
}

static size_t levels(const cp_sweep_param *p)
{
    return p->nvalues ? p->nvalues : p->range ? (p->steps ? p->steps : 1) : 1;
}

size_t cp_sweep_count(const cp_sweep_spec *s)
{
    if (s->design != CP_DOE_GRID)
        return s->points;
    size_t n = 1;
    for (size_t i = 0; i < s->nparams; i++) {
        size_t m = levels(&s->param[i]);
        if (m && n > ((size_t)1 << 40) / m)
            return 0; /* beyond any store */
        n *= m;
    }
    return n;
}

/* Value of a parameter at unit coordinate u (grid: u = k / (m - 1)). */
static double value_at(const cp_sweep_param *p, double u, bool grid)
{
    if (p->nvalues) {
        size_t m = p->nvalues;
        size_t k = grid ? (size_t)llround(u * (double)(m - 1)) : (size_t)(u * (double)m);
        return p->values[k < m ? k : m - 1];
    }
    if (p->range)
        return p->log_scale ? p->from * pow(p->to / p->from, u)
                            : p->from + u * (p->to - p->from);
    return cp_dist_quantile(&p->dist, u);
}

int cp_sweep_values(const cp_sweep_spec *s, double *values, cp_error *err)
{
    size_t n = cp_sweep_count(s), d = s->nparams;
    size_t lv[CP_SWEEP_MAX_PARAMS];
    for (size_t j = 0; j < d; j++)
        lv[j] = levels(&s->param[j]);
    if (cp_doe_unit(s->design, d, n, s->seed, lv, values, err))
        return -1;
    bool grid = s->design == CP_DOE_GRID;
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < d; j++)
            values[i * d + j] = value_at(&s->param[j], values[i * d + j], grid);
    return 0;
}

static unsigned long long fnv(unsigned long long h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

unsigned long long cp_sweep_point_hash(const cp_sweep_spec *s, const cp_sweep_base *b,
                                       const double *values)
{
    char buf[2 * CP_TEXT_MAX + 64];
    unsigned long long h = 14695981039346656037ULL;
    /* option B only where there is one: eval and fabric keys stay as they were */
    if (b->vs)
        snprintf(buf, sizeof buf, "%d|%s|vs|%s|", (int)s->command, b->scenario, b->vs);
    else
        snprintf(buf, sizeof buf, "%d|%s|", (int)s->command, b->scenario);
    h = fnv(h, buf);
    for (size_t j = 0; j < s->nparams; j++) {
        h = fnv(h, s->param[j].path);
        if (values) { /* the value's bits: exact, and no printf per point */
            unsigned long long bits;
            memcpy(&bits, &values[j], sizeof bits);
            for (int byte = 0; byte < 8; byte++) {
                h ^= (bits >> (8 * byte)) & 0xff;
                h *= 1099511628211ULL;
            }
            h = fnv(h, ";");
            continue;
        } else { /* the spec: the design and everything that defines a point */
            const cp_sweep_param *p = &s->param[j];
            snprintf(buf, sizeof buf, "#%zu:%d:%.17g:%.17g:%zu:%d:%d;", p->nvalues, p->range,
                     p->from, p->to, p->steps, p->log_scale, p->has_dist);
            h = fnv(h, buf);
            for (size_t k = 0; k < p->nvalues; k++) {
                snprintf(buf, sizeof buf, "%.17g,", p->values[k]);
                h = fnv(h, buf);
            }
            snprintf(buf, sizeof buf, "%d:%.17g:%.17g:%.17g:%.17g:%.17g", (int)p->dist.kind,
                     p->dist.value, p->dist.lo, p->dist.hi, p->dist.error_factor, p->dist.sd);
        }
        h = fnv(h, buf);
    }
    if (!values) {
        snprintf(buf, sizeof buf, "|%d|%zu|%lu|", (int)s->design, s->points, s->seed);
        h = fnv(h, buf);
        for (size_t k = 0; k < s->noutputs; k++)
            h = fnv(fnv(h, s->output[k].output), ",");
    }
    return h;
}

