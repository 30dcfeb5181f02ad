/*
 * thermal_sink.c — an air heat sink and its fan: the operating point.
 *
 * A fan delivers airflow Q at the static pressure of its curve p_fan(Q)
 * (falling); the sink and its ducting drop p_sink(Q) (rising); n fans in
 * parallel deliver n Q at the same pressure.  The airflow settles where
 *   p_fan(Q / n) = p_sink(Q)
 * (the system operating point of fan selection, e.g. ASHRAE Handbook, HVAC
 * Systems and Equipment, ch. 21, Fans: "system effect"), found by GSL's
 * Brent solver between no flow (the fan's shut-off pressure above the
 * sink's zero drop) and the fans' free delivery (no pressure left).  The
 * sink's thermal resistance at that airflow becomes the top boundary,
 * h = 1 / (R A) over the package area.  Curves are tables, linear between
 * points, held constant beyond the last (the resistance) or extended by
 * their last segment (the pressures).
 */
#include "thermal_internal.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>
#include <math.h>

/* Linear interpolation in (x, y), ascending x; the end segments extended. */
static double interp(const double *x, const double *y, size_t n, double at)
{
    if (n == 1)
        return y[0];
    size_t i = 1;
    while (i + 1 < n && at > x[i])
        i++;
    double f = (at - x[i - 1]) / (x[i] - x[i - 1]);
    return y[i - 1] + f * (y[i] - y[i - 1]);
}

typedef struct { const cp_heatsink *s; } sink_ctx;

static double excess(double q, void *p)
{
    const cp_heatsink *s = ((sink_ctx *)p)->s;
    double fan = interp(s->fan_flow_m3_per_s, s->fan_dp_pa, s->nfan, q / s->fans);
    double sink = interp(s->sink_flow_m3_per_s, s->sink_dp_pa, s->nsink, q);
    return fan - sink;
}

/* Root-finding tolerances: airflow to 1e-9 relative (the resistance then
 * to far better than its table's digits), at most 200 Brent steps. */
#define SINK_REL_TOL 1e-9
#define SINK_MAX_STEPS 200

int cp_heatsink_eval(const cp_heatsink *s, cp_sink_point *out, cp_error *err)
{
    sink_ctx c = {s};
    /* free delivery: where the fan curve reaches zero pressure */
    double qmax = s->fans * s->fan_flow_m3_per_s[s->nfan - 1];
    double lo = 0, hi = qmax;
    double flo = excess(lo, &c), fhi = excess(hi, &c);
    if (!(flo > 0 && fhi < 0)) { /* checked before GSL sees it: no error handler */
        double s0 = interp(s->sink_flow_m3_per_s, s->sink_dp_pa, s->nsink, lo);
        double s1 = interp(s->sink_flow_m3_per_s, s->sink_dp_pa, s->nsink, hi);
        return cp_fail(err, "thermal", 0, 0, "the fans' curve does not cross the heat "
                       "sink's pressure drop: at no flow the fans give %.4g Pa against the "
                       "sink's %.4g Pa, at their free delivery (%.4g m3/min) %.4g Pa against "
                       "%.4g Pa", flo + s0, s0, qmax * 60, fhi + s1, s1);
    }
    gsl_function F = {excess, &c};
    gsl_root_fsolver *r = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!r)
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    gsl_root_fsolver_set(r, &F, lo, hi);
    int status = GSL_CONTINUE;
    for (int i = 0; i < SINK_MAX_STEPS && status == GSL_CONTINUE; i++) {
        if (gsl_root_fsolver_iterate(r) != GSL_SUCCESS)
            break;
        status = gsl_root_test_interval(gsl_root_fsolver_x_lower(r),
                                        gsl_root_fsolver_x_upper(r), 0, SINK_REL_TOL);
    }
    double q = gsl_root_fsolver_root(r);
    gsl_root_fsolver_free(r);
    if (status != GSL_SUCCESS)
        return cp_fail(err, "thermal", 0, 0, "the heat sink's operating point did not "
                       "converge");
    out->flow_m3_per_s = q;
    out->dp_pa = interp(s->sink_flow_m3_per_s, s->sink_dp_pa, s->nsink, q);
    /* the resistance held at the table's ends: no extrapolation below zero */
    double qr = fmin(fmax(q, s->sink_flow_m3_per_s[0]), s->sink_flow_m3_per_s[s->nsink - 1]);
    out->r_k_per_w = interp(s->sink_flow_m3_per_s, s->sink_r_k_per_w, s->nsink, qr);
    out->fan_w = s->fans * s->fan_power_w;
    return 0;
}
