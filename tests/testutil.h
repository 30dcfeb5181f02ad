/* testutil.h — shared helpers for the cmocka suites. */
#ifndef CPOSIM_TESTUTIL_H
#define CPOSIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cposim.h"

/* Blocks of a spec a test builds by hand: static storage, zeroed, room
 * for TEST_BLOCKS (never cp_thermal_spec_free'd: only a loaded spec's or
 * cp_thermal_spec_set_blocks' blocks are the spec's to free). */
#define TEST_BLOCKS 8
static inline cp_tblock *test_blocks(void)
{
    static cp_tblock b[TEST_BLOCKS];
    memset(b, 0, sizeof b);
    return b;
}

static inline const char *data_dir(void)
{
    const char *d = getenv("CPOSIM_DATA");
    return d && *d ? d : "data";
}

/* assert |got - want| <= tol, with a readable message */
#define assert_near(got, want, tol)                                              \
    do {                                                                         \
        double g_ = (got), w_ = (want), t_ = (tol);                              \
        if (!(fabs(g_ - w_) <= t_)) {                                            \
            print_error("%s = %.9g, expected %.9g +/- %.3g\n", #got, g_, w_, t_); \
            fail();                                                              \
        }                                                                        \
    } while (0)

#define assert_between(got, lo, hi)                                              \
    do {                                                                         \
        double g_ = (got);                                                       \
        if (!(g_ >= (lo) && g_ <= (hi))) {                                       \
            print_error("%s = %.9g, expected within [%g, %g]\n", #got, g_,       \
                        (double)(lo), (double)(hi));                             \
            fail();                                                              \
        }                                                                        \
    } while (0)

static inline cp_catalog *load_catalog(void)
{
    cp_catalog *cat = NULL;
    cp_error err = {0};
    if (cp_catalog_load(data_dir(), &cat, &err)) {
        char buf[1024];
        print_error("catalog: %s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
    return cat;
}

/* Loads scenarios/<name>.yaml next to the data directory and evaluates it. */
static inline void eval_preset(const cp_catalog *cat, const char *name,
                               const char *const *sets, size_t nsets,
                               cp_design *d, cp_result *r)
{
    char path[1024];
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    if (cp_scenario_load(path, cat, sets, nsets, d, &err)) {
        char buf[1024];
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
    cp_design_eval(d, r);
}

/* Loads the fabric preset scenarios/<name>.yaml as a TCO case (sized, its
 * failure classes built, economics and uncertain inputs). */
static inline void load_tco_preset(const cp_catalog *cat, const char *name, cp_tco_case *c)
{
    char path[1024];
    cp_error err = {0};
    snprintf(path, sizeof path, "%s/../scenarios/%s.yaml", data_dir(), name);
    if (cp_tco_case_load(path, cat, NULL, 0, true, c, &err)) {
        char buf[1024];
        print_error("%s\n", cp_error_format(&err, buf, sizeof buf));
        fail();
    }
}

#endif
