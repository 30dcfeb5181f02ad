/*
 * channel.c — electrical host channel: insertion loss at Nyquist and the
 * cheapest SerDes class whose loss budget covers it.
 *
 * Loss model: per segment L(f) = a*sqrt(f) + b*f (skin-effect conductor loss
 * plus dielectric loss; e.g. Bogatin, "Signal and Power Integrity —
 * Simplified", ch. 9), fitted through the two catalogued points at the
 * Nyquist frequencies of 100G and 200G PAM4 lanes.
 */
#include "cposim.h"

#include <math.h>

#define F1_GHZ 26.5625 /* 106.25 Gb/s PAM4 */
#define F2_GHZ 53.125  /* 212.5 Gb/s PAM4 */

double cp_nyquist_ghz(double line_rate_gbps, double bits_per_symbol)
{
    return line_rate_gbps / bits_per_symbol / 2.0;
}

double cp_segment_loss_db(const cp_segment *s, double f_ghz)
{
    const double s1 = sqrt(F1_GHZ), s2 = sqrt(F2_GHZ);
    const double det = s1 * F2_GHZ - s2 * F1_GHZ;
    double a = (s->loss_db_26g * F2_GHZ - s->loss_db_53g * F1_GHZ) / det;
    double b = (s1 * s->loss_db_53g - s2 * s->loss_db_26g) / det;
    double per = a * sqrt(f_ghz) + b * f_ghz;
    if (per < 0)
        per = 0;
    return s->per_mm ? per * s->length_mm : per;
}

static double channel_length_mm(const cp_channel *ch)
{
    double len = 0;
    for (size_t i = 0; i < ch->nseg; i++)
        if (ch->seg[i].per_mm)
            len += ch->seg[i].length_mm;
    return len;
}

double cp_channel_loss_db(const cp_channel *ch, double f_ghz)
{
    double loss = ch->extra_loss_db;
    for (size_t i = 0; i < ch->nseg; i++)
        loss += cp_segment_loss_db(&ch->seg[i], f_ghz);
    return loss;
}

static int same_rate(double a, double b) { return fabs(a - b) <= 0.01 * b; }

/* Cheapest class at this lane rate whose budget covers need_db over a route
 * of len_mm (a class is specified for a reach: XSR in-package, VSR chip to
 * module, MR/LR boards and backplanes); -1 if none. */
static int cheapest(const cp_serdes *c, size_t n, double rate, double need_db,
                    double len_mm)
{
    int best = -1;
    for (size_t i = 0; i < n; i++) {
        if (!same_rate(c[i].lane_rate_gbps, rate) || c[i].loss_budget_db < need_db ||
            c[i].reach_mm < len_mm)
            continue;
        if (best < 0 || c[i].energy_pj_per_bit < c[best].energy_pj_per_bit)
            best = (int)i;
    }
    return best;
}

static int strongest(const cp_serdes *c, size_t n, double rate)
{
    int best = -1;
    for (size_t i = 0; i < n; i++)
        if (same_rate(c[i].lane_rate_gbps, rate) &&
            (best < 0 || c[i].loss_budget_db > c[best].loss_budget_db))
            best = (int)i;
    return best;
}

void cp_channel_eval(const cp_channel *ch, double lane_rate_gbps,
                     const cp_serdes *classes, size_t n,
                     const cp_retimer *retimer, cp_channel_result *out)
{
    *out = (cp_channel_result){.serdes_index = -1};
    int any = strongest(classes, n, lane_rate_gbps);
    if (any < 0)
        return; /* no SerDes at this rate: closes = false */
    out->nyquist_ghz = cp_nyquist_ghz(classes[any].line_rate_gbps, 2.0);
    out->loss_db = cp_channel_loss_db(ch, out->nyquist_ghz);
    out->length_mm = channel_length_mm(ch);
    int k = cheapest(classes, n, lane_rate_gbps, out->loss_db + ch->margin_db,
                     out->length_mm);
    double hop_loss = out->loss_db;
    if (k < 0 && retimer && same_rate(retimer->lane_rate_gbps, lane_rate_gbps)) {
        /* a retimer mid-way splits the channel into two equal hops */
        hop_loss = out->loss_db / 2;
        k = cheapest(classes, n, lane_rate_gbps, hop_loss + ch->margin_db,
                     out->length_mm / 2);
        if (k >= 0) {
            out->retimers = 1;
            out->retimer_w_per_lane = retimer->energy_pj_per_bit *
                                      classes[k].line_rate_gbps * 1e-3;
        }
    }
    out->closes = k >= 0;
    if (k < 0)
        k = any;
    out->serdes_index = k;
    out->serdes_w_per_lane = classes[k].energy_pj_per_bit *
                             classes[k].line_rate_gbps * 1e-3;
    out->budget_margin_db = classes[k].loss_budget_db - hop_loss - ch->margin_db;
}
