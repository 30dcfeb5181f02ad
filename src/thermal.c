/*
 * thermal.c — steady and transient package temperatures, and the
 * electro-thermal fixed point:
 *   ASIC leakage  P = P0 [(1 - f) + f 2^((T - Tref)/Td)]  (exponential
 *                 subthreshold leakage; doubling every Td kelvin);
 *   lasers        P = P0 / (1 - a (T - Tref))  (wall-plug efficiency falls
 *                 linearly with temperature above Tref);
 *   micro-rings   heater power rings x g (Tlock - T), held at Tlock.
 * Powers are re-evaluated from the block temperatures until no block moves
 * by more than the tolerance; a temperature beyond any physical range or a
 * growing step is reported as thermal runaway instead of looping.
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define RUNAWAY_C 1000.0
#define ABSOLUTE_ZERO_C (-273.15)
/* A steady state must return the heat it receives: the solves reach a
 * relative residual of 1e-10, which gives balances of 1e-7 or better on
 * every preset; a balance off by 0.1 % means the solve failed. */
#define BALANCE_TOL 1e-3
/* Conductance to ambient below this fraction of the stack's conduction
 * leaves the steady state undetermined in double precision (~1e-16). */
#define ADIABATIC_RATIO 1e-9

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double block_area(const cp_tblock *b)
{
    return (b->x1_m - b->x0_m) * (b->y1_m - b->y0_m);
}

/* Sum of block areas (or counts) that share a source with block b. */
static double share_of(const cp_thermal_spec *t, size_t b, bool by_area)
{
    const cp_tblock *B = &t->block[b];
    double tot = 0;
    for (size_t i = 0; i < t->nblocks; i++) {
        const cp_tblock *o = &t->block[i];
        if (o->src == B->src && (B->src < CP_SRC_ENGINE || o->group == B->group))
            tot += by_area ? block_area(o) : 1.0;
    }
    return by_area ? block_area(B) / tot : 1.0 / tot;
}

void cp_thermal_block_powers(const cp_thermal_spec *t, const cp_result *r, double *power_w)
{
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        switch (B->src) {
        case CP_SRC_ASIC:
            power_w[b] = r ? r->asic_w * share_of(t, b, true) : 0;
            break;
        case CP_SRC_SERDES:
            power_w[b] = r ? r->serdes_w * share_of(t, b, true) : 0;
            break;
        case CP_SRC_ENGINE:
            power_w[b] = r ? r->group[B->group].optics_w * share_of(t, b, false) : 0;
            break;
        case CP_SRC_LASER:
            power_w[b] = r ? r->group[B->group].lasers_w * share_of(t, b, false) : 0;
            break;
        default:
            power_w[b] = B->power_w;
            break;
        }
    }
}

const double *cp_thermal_powers(const cp_thermal_grid *g) { return g->power; }

void cp_thermal_set_powers(cp_thermal_grid *g, const double *power_w)
{
    memcpy(g->power, power_w, g->nblocks * sizeof *power_w);
}

/* Total conductance to ambient (W/K) and the largest cell-to-cell one. */
static void conductances(const cp_thermal_grid *g, double *to_ambient, double *cell_max)
{
    size_t a = (size_t)g->nx * g->ny;
    double amb = 0, mx = 0;
    for (size_t c = 0; c < a; c++)
        amb += g->gtop[c] + g->gbot[c];
    for (size_t c = 0; c < g->n; c++) {
        mx = fmax(mx, fmax(g->gx[c], fmax(g->gy[c], g->gz[c])));
        amb += g->gfl ? g->gfl[c] : 0; /* to a cavity's fluid */
    }
    *to_ambient = amb;
    *cell_max = mx;
}

/* Why a field went wrong, for the message: near-adiabatic cooling is the
 * cause seen in practice (h = 1e-9 W/m2K). */
static const char *field_cause(const cp_thermal_grid *g, char *buf, size_t len)
{
    double amb, cell;
    conductances(g, &amb, &cell);
    if (amb < ADIABATIC_RATIO * cell)
        snprintf(buf, len, "the cooling is near-adiabatic: %.3g W/K to ambient against "
                           "%.3g W/K between cells, beyond double precision; raise "
                           "cooling h_w_per_m2k", amb, cell);
    else
        snprintf(buf, len, "the linear solver returned a field that is not a solution; "
                           "try thermal.solver.kind: cholmod or a smaller tolerance");
    return buf;
}

/* Every cell a real temperature above absolute zero, every block over at
 * least one cell, and (steady) heat in = heat out: a result that is not a
 * temperature field is an error, never a "pass". */
static int check_cells(const cp_thermal_grid *g, const cp_thermal_spec *t, cp_error *err)
{
    char why[256];
    for (size_t c = 0; c < g->n; c++)
        if (!isfinite(g->t[c]) || g->t[c] < ABSOLUTE_ZERO_C) {
            int i = (int)(c % (size_t)g->nx), j = (int)(c / (size_t)g->nx % (size_t)g->ny);
            int k = (int)(c / ((size_t)g->nx * g->ny));
            return cp_fail(err, "thermal", 0, 0,
                           "non-physical temperature %g C at cell (%d, %d) of layer "
                           "'%s': %s", g->t[c], i, j, t->layer[g->klayer[k]].name,
                           field_cause(g, why, sizeof why));
        }
    return 0;
}

static int check_field(const cp_thermal_grid *g, const cp_thermal_spec *t,
                       const cp_thermal_result *st, bool steady, cp_error *err)
{
    char why[256];
    if (check_cells(g, t, err))
        return -1;
    for (size_t b = 0; b < t->nblocks; b++)
        if (!isfinite(st->block[b].power_w) || !isfinite(st->block[b].mean_c))
            return cp_fail(err, "thermal", 0, 0, "block '%s' has no finite %s",
                           t->block[b].name, isfinite(st->block[b].power_w)
                           ? "temperature" : "power");
    double in = st->total_power_w,
           out = st->heat_out_top_w + st->heat_out_bottom_w + st->heat_out_channels_w;
    if (steady && !(fabs(in - out) <= BALANCE_TOL * fmax(fabs(in), 1e-300)) && in > 0)
        return cp_fail(err, "thermal", 0, 0,
                       "the steady state does not conserve heat (in %.6g W, out %.6g W): "
                       "%s", in, out, field_cause(g, why, sizeof why));
    return 0;
}

/* Block powers at the current block temperatures (mean over the block). */
static bool couple(cp_thermal_grid *g, const cp_thermal_spec *t, const cp_design *d,
                   const cp_result *r, const cp_thermal_result *st)
{
    const cp_coupling *c = &t->coupling;
    double *P = g->power;
    cp_thermal_block_powers(t, r, P);
    bool ok = true;
    for (size_t b = 0; b < t->nblocks; b++) {
        const cp_tblock *B = &t->block[b];
        double T = st->block[b].mean_c;
        if (B->src == CP_SRC_ASIC && c->leakage_doubling_k > 0) {
            double f = c->leakage_fraction;
            P[b] *= (1 - f) + f * exp2((T - c->leakage_ref_c) / c->leakage_doubling_k);
        } else if (B->src == CP_SRC_ENGINE) {
            const cp_engine *e = &d->group[B->group].engine;
            double share = share_of(t, b, false);
            if (strcmp(e->mod.type, "mrm") == 0 && c->ring_heater_w_per_k > 0) {
                double rings = r->group[B->group].lanes * share;
                double fixed = r->group[B->group].engine.tuning_w * share;
                double heat = rings * c->ring_heater_w_per_k * fmax(0, c->ring_lock_c - T);
                P[b] += heat - fixed;
            }
        } else if (B->src == CP_SRC_LASER && c->laser_wpe_per_k > 0) {
            double rel = 1 - c->laser_wpe_per_k * fmax(0, T - c->laser_wpe_ref_c);
            if (rel < 0.05)
                ok = false; /* the laser cannot make its power any more */
            P[b] /= fmax(rel, 0.05);
        }
    }
    return ok;
}

static long transient_steps(const cp_thermal_spec *t)
{
    return t->dt_s > 0 ? (long)ceil(t->t_end_s / t->dt_s - 1e-9) : 0;
}

cp_solver_kind cp_thermal_solver_kind(const cp_thermal_grid *g, const cp_thermal_spec *t,
                                      bool transient)
{
    if (g->solver)
        return g->kind;
    if (t->solver != CP_SOLVER_AUTO)
        return t->solver;
    /* Measured (bench/thermal.sh, 7 layers): warm-started PFMG-PCG steps as
     * fast as CHOLMOD solves from 128^2 up, without the factorisation
     * (1.3 s at 128^2, 6.4 s and 0.9 GB at 256^2); CHOLMOD pays off only
     * for long runs on small grids. */
    if (transient && g->n <= 40000 && transient_steps(t) >= 100)
        return CP_SOLVER_CHOLMOD;
    /* A small steady grid is factorised faster than MPI starts for HYPRE
     * (~0.35 s here, seconds in containers whose host name does not
     * resolve): bench/hotspot-60mm.yaml, 7,623 unknowns, CHOLMOD 0.13 s,
     * PFMG-PCG 0.006 s after a 0.45 s process; at 52,272 CHOLMOD 1.4 s. */
    if (!transient && g->n <= 10000)
        return CP_SOLVER_CHOLMOD;
    return CP_SOLVER_PFMG;
}

static int solve_once(cp_thermal_grid *g, const cp_thermal_spec *t,
                      cp_thermal_result *out, cp_error *err)
{
    cp_thermal_map_power(g, t);
    double *b = malloc(g->n * sizeof *b);
    if (!b)
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    cp_thermal_rhs(g, b);
    double t0 = now_s();
    int rc = cp_solver_solve(g, 0.0, b, g->t, &out->linear_iterations, err);
    out->solve_s += now_s() - t0;
    free(b);
    if (!rc)
        return 0;
    double amb, cell;
    conductances(g, &amb, &cell);
    if (amb < ADIABATIC_RATIO * cell) { /* the cause, not the symptom */
        char why[256], msg[sizeof err->msg];
        cp_strlcpy(msg, err->msg, sizeof msg);
        return cp_fail(err, "thermal", 0, 0, "%s (%s)", field_cause(g, why, sizeof why), msg);
    }
    return rc;
}

/* The coolant and the field settle together: the grid is solved for the
 * coolant temperatures, the coolant updated from the field, until it moves
 * by less than COOLANT_TOL_K (each solve is warm-started); in a coupled run
 * the coolant is updated once per electro-thermal iteration instead, and
 * the iteration converges when neither blocks nor coolant move.  The first
 * profile comes from the powers (cp_thermal_coolant_guess).  The update is
 * a contraction (a warmer coolant warms the top by at most as much), so
 * the iteration converges; COOLANT_MAX_SOLVES bounds it. */
#define COOLANT_TOL_K 1e-4
#define COOLANT_MAX_SOLVES 200

static int solve_field(cp_thermal_grid *g, const cp_thermal_spec *t, bool once,
                       bool first, cp_thermal_result *out, double *change, cp_error *err)
{
    *change = 0;
    if (once) { /* coupled: the coolant of the last field, then this field */
        if (first) { /* no field yet: the coolant from the powers */
            cp_thermal_map_power(g, t);
            cp_thermal_coolant_guess(g, t);
        } else {
            cp_thermal_coolant_update(g, t, true, change);
        }
        return solve_once(g, t, out, err);
    }
    cp_thermal_map_power(g, t);
    cp_thermal_coolant_guess(g, t);
    if (solve_once(g, t, out, err))
        return -1;
    if (!cp_thermal_has_fluid(t))
        return 0;
    for (int s = 1;; s++) {
        cp_thermal_coolant_update(g, t, true, change);
        if (*change < COOLANT_TOL_K)
            return 0;
        if (s >= COOLANT_MAX_SOLVES || !isfinite(*change))
            return cp_fail(err, "thermal", 0, 0, "the coolant temperatures did not "
                           "settle in %d solves (last change %.3g K)", s, *change);
        if (solve_once(g, t, out, err))
            return -1;
    }
}

/* Inexact fixed point: until the electro-thermal iteration moves by less
 * than its tolerance, the linear solves stop at a relative residual of
 * COARSE_TOL (temperature errors ~1e-6 of the rise, far below the
 * tolerance); then one solve to the user's tolerance, and only a tight
 * solve may end the iteration (it ends there when it too moves by less;
 * thermal-th5-51t-hotspots: 4 tight solves -> 1, 12.5 s -> see the
 * benchmark, the same temperatures). */
#define COARSE_TOL 1e-5

/* The electro-thermal iteration; prev_t[nblocks] is scratch. */
static int steady_loop(cp_thermal_grid *g, const cp_thermal_spec *t, const cp_design *d,
                       const cp_result *r, cp_thermal_result *out, double *prev_t,
                       double setup, cp_error *err)
{
    bool coupled = t->coupled && d && r;
    int max_it = coupled ? (int)t->coupling.max_iterations : 1;
    double prev_dt = INFINITY, solve = 0;
    int growing = 0;
    double tight = t->tolerance > 0 ? t->tolerance : 1e-10;
    bool coarse = coupled && tight < COARSE_TOL;
    cp_block_temp *blocks = out->block; /* the caller's, allocated by cp_thermal_steady */
    for (int it = 1; it <= max_it; it++) {
        cp_solver_set_tol(g, coarse ? COARSE_TOL : tight);
        cp_thermal_result st = {.nblocks = t->nblocks, .block = blocks};
        double coolant_change; /* coupled: one coolant update per iteration */
        if (solve_field(g, t, coupled, it == 1, &st, &coolant_change, err))
            return -1;
        solve += st.solve_s;
        cp_thermal_block_stats(g, t, &st);
        if (check_field(g, t, &st, true, err))
            return -1;
        st.iterations = it;
        *out = st;
        out->setup_s = setup;
        out->solve_s = solve;
        out->solver = cp_solver_name(g);
        if (!(st.max_c < RUNAWAY_C)) {
            out->runaway = true;
            return 0;
        }
        if (!coupled) {
            out->converged = true;
            return 0;
        }
        double dt = 0;
        for (size_t b = 0; b < t->nblocks; b++) {
            if (it > 1)
                dt = fmax(dt, fabs(st.block[b].mean_c - prev_t[b]));
            prev_t[b] = st.block[b].mean_c;
        }
        double moved = fmax(dt, coolant_change);
        if (it > 1 && moved < t->coupling.tolerance_k) {
            if (!coarse) {
                out->converged = true;
                return 0;
            }
            coarse = false; /* one tight solve to end on */
        }
        growing = it > 2 && dt > prev_dt ? growing + 1 : 0;
        prev_dt = it > 1 ? dt : INFINITY;
        if (growing >= 3 || !couple(g, t, d, r, &st)) {
            out->runaway = true;
            return 0;
        }
    }
    return 0; /* not converged within max_iterations: out->converged false */
}

int cp_thermal_steady(cp_thermal_grid *g, const cp_thermal_spec *t, const cp_design *d,
                      const cp_result *r, cp_thermal_result *out, cp_error *err)
{
    memset(out, 0, sizeof *out);
    double t0 = now_s();
    if (!g->solver && cp_solver_create(g, cp_thermal_solver_kind(g, t, false),
                                       t->tolerance, err))
        return -1;
    if (d && r)
        cp_thermal_block_powers(t, r, g->power);
    double setup = now_s() - t0;
    size_t nb = t->nblocks ? t->nblocks : 1;
    double *prev_t = malloc(nb * sizeof *prev_t);
    out->block = calloc(nb, sizeof *out->block);
    out->nblocks = t->nblocks;
    int rc = prev_t && out->block ? steady_loop(g, t, d, r, out, prev_t, setup, err)
                                  : cp_fail(err, "thermal", 0, 0, "out of memory");
    free(prev_t);
    if (rc == 0 && d && r && out->cooling_w > 0 && d->sys.conversion_efficiency > 0) {
        double it = r->dc_w - r->cooling_w;
        out->design_cooling_w = r->cooling_w;
        out->design_wall_w = r->total_w;
        out->switch_cooling_w = d->sys.cooling_fraction * fmax(it - out->total_power_w, 0) +
                                out->cooling_w;
        out->switch_wall_w = (it + out->switch_cooling_w) / d->sys.conversion_efficiency;
    }
    return rc;
}

int cp_thermal_step(cp_thermal_grid *g, const cp_thermal_spec *t, double dt_s,
                    cp_error *err)
{
    if (!g->solver && cp_solver_create(g, cp_thermal_solver_kind(g, t, false),
                                       t->tolerance, err))
        return -1;
    double theta = t->theta > 0 ? t->theta : 1.0;
    cp_solver_set_tol(g, t->tolerance > 0 ? t->tolerance : 1e-10);
    double change;
    cp_thermal_coolant_update(g, t, false, &change); /* one step behind the package */
    cp_thermal_map_power(g, t);
    double *b = malloc(g->n * sizeof *b), *at = malloc(g->n * sizeof *at);
    if (!b || !at) {
        free(b);
        free(at);
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    }
    /* (C/dt + theta A) T' = C/dt T + theta b + (1 - theta)(b - A T) */
    cp_thermal_rhs(g, b);
    cp_thermal_apply(g, g->t, at);
    for (size_t c = 0; c < g->n; c++)
        b[c] = (g->cap[c] / dt_s * g->t[c] + b[c] - (1 - theta) * at[c]) / theta;
    int iters;
    int rc = cp_solver_solve(g, 1.0 / (theta * dt_s), b, g->t, &iters, err);
    free(b);
    free(at);
    return rc ? rc : check_cells(g, t, err);
}

int cp_thermal_transient(cp_thermal_grid *g, const cp_thermal_spec *t,
                         const cp_trace *trace, int sample_every,
                         cp_transient_cb cb, void *ctx, cp_error *err)
{
    size_t next = 0;
    if (!(t->dt_s > 0))
        return cp_fail(err, "thermal", 0, 0, "a transient needs dt_s > 0");
    if (cp_thermal_check_steps(t, err))
        return -1;
    long steps = transient_steps(t);
    if (!g->solver && cp_solver_create(g, cp_thermal_solver_kind(g, t, true),
                                       t->tolerance, err))
        return -1;
    if (cb && cb(0.0, g, t, ctx))
        return 0;
    for (long s = 0; s < steps; s++) {
        double now = s * t->dt_s;
        while (trace && next < trace->n && trace->ev[next].time_s <= now + 1e-12) {
            g->power[trace->ev[next].block] = trace->ev[next].power_w;
            next++;
        }
        if (cp_thermal_step(g, t, t->dt_s, err))
            return -1;
        bool sample = sample_every > 0 && ((s + 1) % sample_every == 0 || s + 1 == steps);
        if (cb && sample && cb((s + 1) * t->dt_s, g, t, ctx))
            return 0;
    }
    return 0;
}
