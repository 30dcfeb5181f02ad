/*
 * yield.c — process Monte Carlo of a CPO package: fibre attach per engine ->
 * coupling loss per lane -> does the lane budget still close -> engine
 * (with spare lanes, rework) -> package through ASIC, substrate, engine
 * bonds and attaches.
 *
 * Per coupling point (one fibre end on the chip coupler) the lateral offset
 * is (dx, dy), each N(0, sigma^2) with sigma^2 = placement^2 + shrink^2 +
 * drift^2 (independent).  Its excess loss is a r^2 with r^2 = dx^2 + dy^2
 * (src/coupling.c), and r^2 / sigma^2 is chi-square with 2 degrees of
 * freedom, i.e. r^2 = -2 sigma^2 ln U with U uniform.  So a coupling with
 * budget m (dB) left fails with probability
 *     P(a r^2 > m) = exp(-m / (2 a sigma^2)),
 * and drawing U per fibre and comparing it with that threshold is an exact
 * draw of the lane's pass/fail, without a logarithm per lane.
 *
 * Per engine, one attach: tilt (theta_x, theta_y) ~ N(0, sigma_t^2) costs
 * b theta^2 = -2 sigma_t^2 b ln U; the gap z ~ N(mean, sd), cut at 0, costs
 * the gap loss above the loss at the mean gap.  Both take the budget m_c =
 * margin - tilt - gap from every lane of the engine.  A lane's Tx path
 * couples twice in series on this engine: the laser input (shared by
 * lanes_per_laser lanes) and its output fibre; with the input's offset from
 * U_in, the input costs -2 a sigma^2 ln U_in and the output then fails with
 * P0 / U_in, where P0 = exp(-m_c / (2 a sigma^2)) (capped at 1).  A lane's
 * Rx fibre couples once here (its far end, on another engine, is taken at
 * the nominal coupling the link budget already holds): fails with P0.
 * An engine passes when its failed lanes <= spare lanes; a failed attach is
 * redone (a new draw) up to rework_max times.
 *
 * The package is good when ASIC, substrate, every engine bond and every
 * engine attach are (independent Bernoulli draws).  Each package draws from
 * its own stream (seed, package index): any thread count gives the same
 * answer.
 */
#include "internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PACKAGES 1e9
#define MAX_LANES 4096.0      /* per engine, lanes + spares */
#define MAX_ENGINES 1024.0
#define TWO32 4294967296.0
#define Z95 1.959963984540054

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

void cp_rng64_seed(cp_rng64 *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ splitmix64(&stream);
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&x);
}

static inline uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

/* xoshiro256** (Blackman & Vigna, 2018) */
uint64_t cp_rng64_next(cp_rng64 *r)
{
    uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return out;
}

/* uniform in (0, 1] */
static inline double unif(cp_rng64 *r)
{
    return ((double)(cp_rng64_next(r) >> 11) + 1.0) * 0x1.0p-53;
}

static double normal(cp_rng64 *r)
{
    return sqrt(-2.0 * log(unif(r))) * cos(2.0 * M_PI * unif(r));
}

typedef struct plan {
    const cp_yield_spec *s;
    double two_a_sigma2;         /* 2 a sigma^2, dB */
    double two_b_sigma_t2;       /* 2 b sigma_t^2, dB */
    double gap_ref_db;           /* gap loss at the mean gap */
    unsigned lanes_total, groups, lanes_per_group, spares;
} plan;

static double gap_loss_db(const cp_mode_pair *c, double z)
{
    return cp_coupling_loss_db(c, 0, 0, z);
}

/* One attach of one engine: true when it passes. */
static bool attach(const plan *p, cp_rng64 *r)
{
    const cp_yield_spec *s = p->s;
    double m = s->margin_db;
    if (p->two_b_sigma_t2 > 0)
        m += p->two_b_sigma_t2 * log(unif(r));
    if (s->process.gap_sigma_um > 0) {
        double z = s->process.gap_mean_um + s->process.gap_sigma_um * normal(r);
        m -= gap_loss_db(&s->coupling, z < 0 ? 0 : z) - p->gap_ref_db;
    }
    if (m < 0)
        return false;
    double p0 = p->two_a_sigma2 > 0 ? exp(-m / p->two_a_sigma2) : 0.0;
    uint64_t rx_cut = (uint64_t)(p0 * TWO32);
    unsigned failed = 0;
    for (unsigned g = 0; g < p->groups; g++) {
        double pt = p0 / unif(r);
        uint64_t tx_cut = pt >= 1 ? (uint64_t)TWO32 : (uint64_t)(pt * TWO32);
        unsigned nl = p->lanes_per_group;
        if ((g + 1) * nl > p->lanes_total)
            nl = p->lanes_total - g * nl;
        for (unsigned l = 0; l < nl; l++) {
            uint64_t u = cp_rng64_next(r);
            failed += ((u >> 32) < tx_cut) | ((u & 0xffffffffu) < rx_cut);
        }
        if (failed > p->spares)
            return false;
    }
    return true;
}

typedef struct tally {
    double good, first_pass, engines_good, attaches;
} tally;

static void one_package(const plan *p, uint64_t i, tally *t)
{
    const cp_yield_spec *s = p->s;
    cp_rng64 r;
    cp_rng64_seed(&r, s->seed, i);
    bool ok = unif(&r) <= s->asic_yield;
    ok &= unif(&r) <= s->substrate_yield;
    for (unsigned e = 0; e < (unsigned)s->engines; e++) {
        ok &= unif(&r) <= s->engine_bond_yield;
        bool pass = attach(p, &r);
        t->attaches += 1;
        t->first_pass += pass;
        for (unsigned k = 0; !pass && k < (unsigned)s->process.rework_max; k++) {
            pass = attach(p, &r);
            t->attaches += 1;
        }
        t->engines_good += pass;
        ok &= pass;
    }
    t->good += ok;
}

static int check_spec(const cp_yield_spec *s, cp_error *err)
{
    const cp_assembly *a = &s->process;
    if (!(s->packages >= 1 && s->packages <= MAX_PACKAGES))
        return cp_fail(err, "yield", 0, 0, "packages = %g; expected 1 .. 1e9", s->packages);
    if (!(s->engines >= 1 && s->engines <= MAX_ENGINES) ||
        !(s->lanes >= 1 && s->lanes + s->spare_lanes <= MAX_LANES) ||
        !(s->spare_lanes >= 0) || !(s->lanes_per_laser >= 1))
        return cp_fail(err, "yield", 0, 0, "engines %g, lanes %g + %g spares, %g lanes per "
                       "laser: expected 1..1024 engines and 1..4096 lanes",
                       s->engines, s->lanes, s->spare_lanes, s->lanes_per_laser);
    if (!isfinite(s->margin_db) || !(s->coupling.mfd1_um > 0) || !(s->coupling.mfd2_um > 0) ||
        !(s->coupling.wavelength_um > 0) || !(s->coupling.index >= 1))
        return cp_fail(err, "yield", 0, 0, "lane margin or coupling mode fields are not "
                       "finite positive numbers");
    if (s->packages * s->engines * (s->lanes + s->spare_lanes) > CP_YIELD_MAX_LANE_DRAWS)
        return cp_fail(err, "yield", 0, 0, "%g packages x %g engines x %g lanes is more than "
                       "%g lane draws (minutes of work); fewer packages", s->packages,
                       s->engines, s->lanes + s->spare_lanes, CP_YIELD_MAX_LANE_DRAWS);
    double y[3] = {s->asic_yield, s->substrate_yield, s->engine_bond_yield};
    for (int i = 0; i < 3; i++)
        if (!(y[i] >= 0 && y[i] <= 1))
            return cp_fail(err, "yield", 0, 0, "a yield is %g; expected 0..1", y[i]);
    if (!(a->lateral_sigma_um >= 0 && a->shrink_sigma_um >= 0 && a->drift_sigma_um >= 0 &&
          a->tilt_sigma_deg >= 0 && a->gap_sigma_um >= 0 && a->gap_mean_um >= 0 &&
          a->rework_max >= 0 && a->rework_max <= 10))
        return cp_fail(err, "yield", 0, 0, "process '%s': sigmas and gap must be >= 0, "
                       "rework_max 0..10", a->name);
    return 0;
}

int cp_yield_run(const cp_yield_spec *s, int threads, cp_yield_result *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (check_spec(s, err))
        return -1;
    const cp_assembly *a = &s->process;
    double sig2 = a->lateral_sigma_um * a->lateral_sigma_um +
                  a->shrink_sigma_um * a->shrink_sigma_um +
                  a->drift_sigma_um * a->drift_sigma_um;
    double st = a->tilt_sigma_deg * M_PI / 180.0;
    plan p = {.s = s,
              .two_a_sigma2 = 2.0 * cp_coupling_offset_db_per_um2(&s->coupling) * sig2,
              .two_b_sigma_t2 = 2.0 * cp_coupling_tilt_db_per_rad2(&s->coupling) * st * st,
              .gap_ref_db = gap_loss_db(&s->coupling, a->gap_mean_um),
              .lanes_total = (unsigned)(s->lanes + s->spare_lanes),
              .lanes_per_group = (unsigned)s->lanes_per_laser,
              .spares = (unsigned)s->spare_lanes};
    p.groups = (p.lanes_total + p.lanes_per_group - 1) / p.lanes_per_group;
    long n = (long)s->packages;
    double good = 0, first = 0, eng = 0, att = 0;
    int nt = threads > 0 ? threads : omp_get_max_threads();
#pragma omp parallel for num_threads(nt) schedule(static) reduction(+ : good, first, eng, att)
    for (long i = 0; i < n; i++) {
        tally t = {0};
        one_package(&p, (uint64_t)i, &t);
        good += t.good, first += t.first_pass, eng += t.engines_good, att += t.attaches;
    }
    double ne = s->engines * (double)n;
    out->packages = (double)n;
    out->sigma_um = sqrt(sig2);
    out->p_coupling_fail = p.two_a_sigma2 > 0 ? exp(-s->margin_db / p.two_a_sigma2) : 0;
    out->engine_first_pass = first / ne;
    out->engine_yield = eng / ne;
    out->attaches_per_engine = att / ne;
    out->package_yield = good / (double)n;
    /* Wilson score interval */
    double ph = out->package_yield, z2 = Z95 * Z95, dn = (double)n;
    double c = (ph + z2 / (2 * dn)) / (1 + z2 / dn);
    double h = Z95 * sqrt(ph * (1 - ph) / dn + z2 / (4 * dn * dn)) / (1 + z2 / dn);
    out->package_yield_lo = c - h;
    out->package_yield_hi = c + h;
    out->pluggable_package_yield = s->asic_yield * s->substrate_yield;
    return 0;
}

int cp_yield_sigma_curve(const cp_yield_spec *s, double lo_um, double hi_um, size_t n,
                         int threads, cp_yield_curve *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    if (n < 2 || n > CP_CURVE_MAX || !(lo_um >= 0) || !(hi_um > lo_um) || !(hi_um <= 100))
        return cp_fail(err, "yield", 0, 0, "sigma curve: %zu points over %g..%g um; expected "
                       "2..%d points, 0 <= low < high <= 100", n, lo_um, hi_um, CP_CURVE_MAX);
    cp_yield_spec t = *s;
    for (size_t i = 0; i < n; i++) {
        cp_yield_result y;
        t.process.lateral_sigma_um = lo_um + (hi_um - lo_um) * (double)i / (double)(n - 1);
        if (cp_yield_run(&t, threads, &y, err))
            return -1;
        out->sigma_um[i] = t.process.lateral_sigma_um;
        out->yield[i] = y.package_yield;
        out->lo[i] = y.package_yield_lo;
        out->hi[i] = y.package_yield_hi;
    }
    out->n = n;
    return 0;
}
