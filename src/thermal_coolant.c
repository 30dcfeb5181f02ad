/*
 * thermal_coolant.c — a coolant that warms along its path (a cold plate).
 *
 * The coolant enters at the top boundary's ambient temperature and flows
 * along +x (or +y), spread evenly across the package; each strip of cells
 * across the flow is a length of channel whose wall is the package's top
 * face.  With G the strip's conductance to the coolant (the grid's gtop,
 * h in series with the half cell) and T_w its conductance-weighted top
 * temperature, the coolant crossing it obeys the channel of uniform wall
 * temperature (Incropera & DeWitt, Fundamentals of Heat and Mass Transfer,
 * eq. 8.41b, with h P L = G):
 *   T_out = T_w - (T_w - T_in) exp(-G / (m_dot c_p)),
 * and the strip sees the coolant's mean over it,
 *   T_c = T_w - (T_w - T_in) (1 - exp(-N)) / N,  N = G / (m_dot c_p),
 * so that G (T_w - T_c) = m_dot c_p (T_out - T_in): the heat a strip gives
 * is the heat its coolant takes, and the outlet is the inlet plus
 * (heat into the coolant) / (m_dot c_p) — P / (m_dot c_p) when all the
 * power leaves through the top.  The steady state alternates the grid's
 * solve and this update (thermal.c) until the coolant moves by less than
 * COOLANT_TOL_K.
 */
#include "thermal_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double mcp(const cp_thermal_spec *t)
{
    return t->coolant.flow_m3_per_s * t->coolant.fluid.c_j_per_m3k; /* W/K */
}

/* The plate's coolant now (x) and from the field (img), per column. */
static void plate_image(const cp_thermal_grid *g, const cp_thermal_spec *t, double *x,
                        double *img)
{
    const size_t a = (size_t)g->nx * g->ny, top = (size_t)(g->nz - 1) * a;
    const bool along_y = t->coolant.axis == 1;
    const int strips = along_y ? g->ny : g->nx, across = along_y ? g->nx : g->ny;
    const double m = mcp(t);
    double tin = g->tamb_top;
    for (int s = 0; s < strips; s++) {
        double G = 0, GT = 0;
        for (int w = 0; w < across; w++) {
            size_t c = along_y ? (size_t)s * g->nx + w : (size_t)w * g->nx + s;
            G += g->gtop[c];
            GT += g->gtop[c] * g->t[top + c];
        }
        double tc = tin, tout = tin;
        if (G > 0) {
            double tw = GT / G, n = G / m, e = exp(-n);
            tout = tw - (tw - tin) * e;
            tc = tw - (tw - tin) * (n > 1e-12 ? -expm1(-n) / n : 1.0);
        }
        for (int w = 0; w < across; w++) {
            size_t c = along_y ? (size_t)s * g->nx + w : (size_t)w * g->nx + s;
            x[c] = g->tcool[c];
            img[c] = tc;
        }
        tin = tout;
    }
}

static bool has_plate(const cp_thermal_spec *t)
{
    return t->coolant.flow_m3_per_s > 0;
}

/* History of the steady iteration's acceleration: 5 differences. */
#define FLUID_AA_DEPTH 6

int cp_thermal_fluid_setup(cp_thermal_grid *g, const cp_thermal_spec *t, cp_error *err)
{
    const size_t a = (size_t)g->nx * g->ny;
    g->nfl = ((has_plate(t) ? 1 : 0) + cp_thermal_cavities(t)) * a;
    if (g->nfl == 0)
        return 0;
    g->flx = malloc(g->nfl * sizeof *g->flx);
    g->flg = malloc(g->nfl * sizeof *g->flg);
    g->fl_aa = cp_anderson_new(g->nfl, FLUID_AA_DEPTH);
    if (!g->flx || !g->flg || !g->fl_aa)
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    return 0;
}

/* Every fluid's temperatures, laid out as the iteration's vector. */
void cp_thermal_fluid_get(const cp_thermal_grid *g, const cp_thermal_spec *t, double *x)
{
    const size_t a = (size_t)g->nx * g->ny, off = has_plate(t) ? a : 0;
    if (has_plate(t))
        memcpy(x, g->tcool, a * sizeof *x);
    cp_thermal_channels_get(g, t, x + off);
}

void cp_thermal_fluid_set(cp_thermal_grid *g, const cp_thermal_spec *t, const double *x)
{
    const size_t a = (size_t)g->nx * g->ny, off = has_plate(t) ? a : 0;
    if (has_plate(t))
        memcpy(g->tcool, x, a * sizeof *x);
    cp_thermal_channels_set(g, t, x + off);
}

/* Every fluid (the cold plate's coolant, then the cavities' in
 * thermal_channel.c) from the current field: x <- F(x), F the marches
 * along the flow.  A steady run accelerates this fixed point (Anderson,
 * thermal_accel.c): a temperature error otherwise takes as many solves to
 * be washed out along the flow as the flow has heat-exchange lengths.  A
 * transient step takes F as it is, one step behind the package.
 * *change_k: the largest |F(x) - x|. */
void cp_thermal_coolant_update(cp_thermal_grid *g, const cp_thermal_spec *t,
                               bool steady, double *change_k)
{
    *change_k = 0;
    if (g->nfl == 0)
        return;
    const size_t a = (size_t)g->nx * g->ny, off = has_plate(t) ? a : 0;
    if (has_plate(t))
        plate_image(g, t, g->flx, g->flg);
    cp_thermal_channels_image(g, t, g->flx + off, g->flg + off);
    for (size_t i = 0; i < g->nfl; i++)
        *change_k = fmax(*change_k, fabs(g->flg[i] - g->flx[i]));
    if (steady)
        cp_anderson_step(g->fl_aa, g->flx, g->flg);
    if (has_plate(t))
        memcpy(g->tcool, g->flg, a * sizeof *g->tcool);
    cp_thermal_channels_set(g, t, g->flg + off);
}

/* Before the first solve: the coolant as if every strip's power left
 * straight up through the top, each strip warming its coolant by its heat
 * over m_dot c_p, seen at the strip's midpoint.  Lateral spreading moves
 * heat between strips; the iteration corrects it, starting close. */
void cp_thermal_coolant_guess(cp_thermal_grid *g, const cp_thermal_spec *t)
{
    if (g->fl_aa)
        cp_anderson_reset(g->fl_aa); /* a new iteration */
    cp_thermal_channels_guess(g, t);
    if (!(t->coolant.flow_m3_per_s > 0))
        return;
    const bool along_y = t->coolant.axis == 1;
    const int strips = along_y ? g->ny : g->nx, across = along_y ? g->nx : g->ny;
    const size_t a = (size_t)g->nx * g->ny;
    const double m = mcp(t);
    double tin = g->tamb_top;
    for (int s = 0; s < strips; s++) {
        double q = 0;
        for (int w = 0; w < across; w++) {
            size_t c = along_y ? (size_t)s * g->nx + w : (size_t)w * g->nx + s;
            for (int k = 0; k < g->nz; k++)
                q += g->q[(size_t)k * a + c];
        }
        for (int w = 0; w < across; w++) {
            size_t c = along_y ? (size_t)s * g->nx + w : (size_t)w * g->nx + s;
            g->tcool[c] = tin + q / (2 * m);
        }
        tin += q / m;
    }
}

double cp_thermal_coolant_outlet(const cp_thermal_grid *g, const cp_thermal_spec *t)
{
    if (!(t->coolant.flow_m3_per_s > 0))
        return g->tamb_top;
    /* the inlet plus the heat the coolant took, over m_dot c_p */
    const size_t a = (size_t)g->nx * g->ny, top = (size_t)(g->nz - 1) * a;
    double q = 0;
    for (size_t c = 0; c < a; c++)
        q += g->gtop[c] * (g->t[top + c] - g->tcool[c]);
    return g->tamb_top + q / mcp(t);
}
