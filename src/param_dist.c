/*
 * param_dist.c — the uncertainty of a data figure, written next to its value
 * and source (parsing only):
 *
 *   fit: {value: 300, range: [100, 300, 1500], range_assumption: "why"}
 *       triangular low / likely / high; the likely value is the point value
 *   fit: {value: 300, range: [100, 1500], ...}        triangular, likely = value
 *   price_usd: {value: 1250, dist: uniform, range: [1100, 1400], range_source: KEY}
 *       uniform (or loguniform) over [low, high], the value inside it
 *   fit: {value: 300, dist: lognormal, error_factor: 3, range_assumption: "why"}
 *       lognormal, median = value, error factor x95 / x50
 *   x: {value: 1, dist: normal, sd: 0.1, ...}          normal, mean = value
 *
 * Every range has its own reason: range_source (a key of data/sources.yaml)
 * or range_assumption (text).  A figure without a range is fixed at its value.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define Z95 1.6448536269514722 /* standard normal 95th percentile */
#define WHY_MIN_CHARS 8        /* as the catalog asks of an assumption */

static const char *const dist_keys[] = {"range", "dist", "error_factor", "sd",
                                        "range_source", "range_assumption"};

bool cp_param_dist_key(const char *key)
{
    for (size_t i = 0; i < sizeof dist_keys / sizeof *dist_keys; i++)
        if (strcmp(key, dist_keys[i]) == 0)
            return true;
    return false;
}

void cp_dist_ends(const cp_dist *d, double *lo, double *hi)
{
    switch (d->kind) {
    case CP_DIST_UNIFORM:
    case CP_DIST_LOGUNIFORM:
    case CP_DIST_TRIANGULAR:
        *lo = d->lo, *hi = d->hi;
        return;
    case CP_DIST_LOGNORMAL: /* P5 and P95: median / EF and median x EF */
        *lo = d->value / d->error_factor, *hi = d->value * d->error_factor;
        return;
    case CP_DIST_NORMAL:
        *lo = d->value - Z95 * d->sd, *hi = d->value + Z95 * d->sd;
        return;
    default:
        *lo = *hi = d->value;
    }
}

static int number(const cp_node *v, const char *what, double *out, cp_error *err)
{
    if (v->kind == CP_NODE_SCALAR && cp_param_number(v, out, err) == 0)
        return 0;
    return cp_node_fail(err, v, "%s must be a finite number", what);
}

/* range: [low, high] or [low, likely, high] */
static int bind_range(const cp_node *r, double value, cp_dist *d, cp_error *err)
{
    if (r->kind != CP_NODE_SEQ || (r->n != 2 && r->n != 3))
        return cp_node_fail(err, r, "'range' must be [low, likely, high] or [low, high]");
    double x[3];
    for (size_t i = 0; i < r->n; i++)
        if (number(r->items[i], "every end of 'range'", &x[i], err))
            return -1;
    d->lo = x[0];
    d->hi = x[r->n - 1];
    if (r->n == 3 && x[1] != value)
        return cp_node_fail(err, r->items[1], "the range's likely value %g is not the figure's "
                            "value %g; the likely value is the point value", x[1], value);
    if (!(d->lo <= value && value <= d->hi))
        return cp_node_fail(err, r, "the range %g..%g does not hold the figure's value %g; "
                            "expected low <= value <= high", d->lo, d->hi, value);
    return 0;
}

static int bind_kind(const cp_node *k, cp_dist_kind *out, cp_error *err)
{
    static const char *const names[] = {"uniform", "loguniform", "triangular", "lognormal",
                                        "normal"};
    static const cp_dist_kind kinds[] = {CP_DIST_UNIFORM, CP_DIST_LOGUNIFORM,
                                         CP_DIST_TRIANGULAR, CP_DIST_LOGNORMAL, CP_DIST_NORMAL};
    for (size_t i = 0; k->kind == CP_NODE_SCALAR && i < sizeof names / sizeof *names; i++)
        if (strcmp(k->scalar, names[i]) == 0) {
            *out = kinds[i];
            return 0;
        }
    return cp_node_fail(err, k, "'dist' must be one of: uniform, loguniform, triangular, "
                        "lognormal, normal");
}

/* the parameters each kind takes, and only those */
static int check_keys(const cp_node *n, cp_dist_kind kind, cp_error *err)
{
    const cp_node *r = cp_node_get(n, "range"), *ef = cp_node_get(n, "error_factor"),
                  *sd = cp_node_get(n, "sd");
    bool bounded = kind != CP_DIST_LOGNORMAL && kind != CP_DIST_NORMAL;
    if (bounded && !r)
        return cp_node_fail(err, n, "a %s distribution needs 'range': [low, high]",
                            cp_dist_name(kind));
    if (!bounded && r)
        return cp_node_fail(err, r, "a %s distribution takes no 'range' (its %s is the "
                            "value; give %s)", cp_dist_name(kind),
                            kind == CP_DIST_NORMAL ? "mean" : "median",
                            kind == CP_DIST_NORMAL ? "'sd'" : "'error_factor'");
    if (kind == CP_DIST_LOGNORMAL && !ef)
        return cp_node_fail(err, n, "a lognormal distribution needs 'error_factor' (x95 / "
                            "x50, >= 1)");
    if (kind == CP_DIST_NORMAL && !sd)
        return cp_node_fail(err, n, "a normal distribution needs 'sd'");
    if (ef && kind != CP_DIST_LOGNORMAL)
        return cp_node_fail(err, ef, "'error_factor' belongs to a lognormal distribution "
                            "(dist: lognormal)");
    if (sd && kind != CP_DIST_NORMAL)
        return cp_node_fail(err, sd, "'sd' belongs to a normal distribution (dist: normal)");
    if (r && r->kind == CP_NODE_SEQ && r->n == 3 && kind != CP_DIST_TRIANGULAR)
        return cp_node_fail(err, r, "a %s distribution takes 'range': [low, high]",
                            cp_dist_name(kind));
    return 0;
}

/* exactly one reason: range_source or range_assumption */
static int bind_why(const cp_node *n, const cp_node **why, cp_error *err)
{
    const cp_node *src = cp_node_get(n, "range_source"),
                  *as = cp_node_get(n, "range_assumption");
    if (!src == !as) { /* at the range: a figure given again may sit in another file */
        const cp_node *at = cp_node_get(n, "range");
        at = at ? at : cp_node_get(n, "dist") ? cp_node_get(n, "dist") : n;
        return cp_node_fail(err, at, "a range needs its reason: range_source: KEY (of "
                            "data/sources.yaml) or range_assumption: \"why\" (one of them)");
    }
    const cp_node *w = src ? src : as;
    if (w->kind != CP_NODE_SCALAR || (as && strlen(w->scalar) < WHY_MIN_CHARS))
        return cp_node_fail(err, w, "'%s' must be %s", w->key,
                            src ? "a source key" : "a reason of at least 8 characters");
    if (why)
        *why = w;
    return 0;
}

int cp_param_dist(const cp_node *n, double value, cp_dist *d, const cp_node **why,
                  cp_error *err)
{
    memset(d, 0, sizeof *d);
    d->kind = CP_DIST_FIXED;
    d->value = value;
    if (why)
        *why = NULL;
    bool any = false;
    for (size_t i = 0; n->kind == CP_NODE_MAP && i < n->n; i++)
        any |= cp_param_dist_key(n->items[i]->key);
    if (!any)
        return 0;
    const cp_node *k = cp_node_get(n, "dist"), *r = cp_node_get(n, "range");
    d->kind = CP_DIST_TRIANGULAR;
    if ((k && bind_kind(k, &d->kind, err)) || check_keys(n, d->kind, err) ||
        (r && bind_range(r, value, d, err)) || bind_why(n, why, err))
        return -1;
    const cp_node *ef = cp_node_get(n, "error_factor"), *sd = cp_node_get(n, "sd");
    if ((ef && number(ef, "'error_factor'", &d->error_factor, err)) ||
        (sd && number(sd, "'sd'", &d->sd, err)))
        return -1;
    const cp_node *at = r ? r : ef ? ef : sd ? sd : n;
    cp_error why_not = {0};
    if (cp_dist_check(d, n->key ? n->key : "value", &why_not))
        return cp_node_fail(err, at, "%s", why_not.msg);
    return 0;
}

int cp_param_dist_in(const cp_node *n, const cp_dist *d, double min, double max, cp_error *err)
{
    if (d->kind == CP_DIST_FIXED)
        return 0;
    double lo, hi;
    cp_dist_ends(d, &lo, &hi);
    if (lo >= min && hi <= max)
        return 0;
    const cp_node *at = cp_node_get(n, "range");
    if (!at)
        at = cp_node_get(n, d->kind == CP_DIST_NORMAL ? "sd" : "error_factor");
    return cp_node_fail(err, at ? at : n, "%s: the %s range %g..%g goes outside %g..%g",
                        n->key ? n->key : "value", cp_dist_name(d->kind), lo, hi, min, max);
}
