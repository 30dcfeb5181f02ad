/*
 * optical_link.c — optical lane budget in the IEEE 802.3 style: transmitter
 * OMA, channel insertion loss (fibre x length + connections), penalties
 * (TDECQ and others), receiver OMA sensitivity at a target pre-FEC BER.
 *
 * BER of PAM4 with Gray coding and Gaussian noise (thermal-noise-limited
 * receiver), eye amplitude d = OMA_outer/3 and q = d/(2*sigma):
 *   SER = 2(1 - 1/M) Q(q) = 1.5 Q(q),  BER = SER/log2(M) = 0.75 Q(q)
 * (Proakis, Digital Communications, 5th ed., eq. 4.3-17).  The photocurrent
 * is linear in optical power, so q scales with the OMA in linear units.
 */
#include "cposim.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

double cp_dbm_to_w(double dbm) { return 1e-3 * pow(10.0, dbm / 10.0); }
double cp_w_to_dbm(double w) { return 10.0 * log10(w / 1e-3); }

/* OMA = P1 - P0 = 2 Pavg (r - 1)/(r + 1), r = P1/P0 (extinction ratio). */
double cp_oma_from_avg_dbm(double avg_dbm, double er_db)
{
    double r = pow(10.0, er_db / 10.0);
    return avg_dbm + 10.0 * log10(2.0 * (r - 1.0) / (r + 1.0));
}

double cp_pam4_ber(double q) { return 0.75 * gsl_cdf_ugaussian_Q(q); }

double cp_pam4_q_for_ber(double ber) { return gsl_cdf_ugaussian_Qinv(ber / 0.75); }

/* OMA_outer current = 3d = 6 q sigma; optical OMA = that / responsivity. */
double cp_sensitivity_oma_dbm(double noise_a_rms, double resp_a_per_w, double ber)
{
    double q = cp_pam4_q_for_ber(ber);
    return cp_w_to_dbm(6.0 * q * noise_a_rms / resp_a_per_w);
}

static void finish(const cp_link *l, double tx_oma_dbm, double rx_extra_db,
                   double laser_ref_dbm, double wpe, cp_link_result *out)
{
    out->tx_oma_dbm = tx_oma_dbm;
    out->channel_loss_db = l->fiber_db_per_km * l->length_m / 1000.0 +
                           l->connectors * l->connector_loss_db;
    out->rx_oma_dbm = tx_oma_dbm - out->channel_loss_db - rx_extra_db;
    out->penalties_db = l->tdecq_db + l->other_penalty_db;
    double over = out->rx_oma_dbm - out->penalties_db - l->rx_sensitivity_oma_dbm;
    out->margin_db = over - l->required_margin_db;
    double q = cp_pam4_q_for_ber(l->target_ber) * pow(10.0, over / 10.0);
    out->ber = cp_pam4_ber(q);
    out->laser_min_dbm = laser_ref_dbm - out->margin_db;
    out->laser_min_w_elec = wpe > 0 ? cp_dbm_to_w(out->laser_min_dbm) / wpe : 0;
    out->closes = out->margin_db >= 0;
}

void cp_link_eval_tx(const cp_link *l, cp_link_result *out)
{
    *out = (cp_link_result){0};
    finish(l, l->tx_oma_dbm, 0.0, l->tx_oma_dbm, 0.0, out);
}

/* Laser -> PIC coupler -> 1:N split -> modulator -> mux -> output coupler. */
double cp_engine_tx_oma_dbm(const cp_engine *e, double laser_dbm)
{
    double avg = laser_dbm - e->coupler_loss_db -
                 10.0 * log10(e->lanes_per_laser) - e->splitter_excess_db -
                 e->mod.insertion_loss_db - e->mux_loss_db - e->coupler_loss_db;
    return cp_oma_from_avg_dbm(avg, e->mod.extinction_ratio_db);
}

void cp_link_eval_cpo(const cp_link *l, const cp_engine *e, const cp_laser *la,
                      cp_link_result *out)
{
    *out = (cp_link_result){0};
    double tx = cp_engine_tx_oma_dbm(e, la->output_power_dbm);
    /* the receiving engine couples fibre to PIC once more */
    finish(l, tx, e->coupler_loss_db, la->output_power_dbm,
           la->wall_plug_efficiency, out);
}

static void step(cp_link_budget *b, const char *name, double db, bool level)
{
    if (b->nsteps >= CP_BUDGET_MAX_STEPS)
        return;
    cp_budget_step *s = &b->step[b->nsteps++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->db = db;
    s->level = level;
}

/* The same terms as cp_engine_tx_oma_dbm and finish() above, one by one. */
void cp_link_budget_eval(const cp_port_group *pg, cp_link_budget *out)
{
    const cp_link *l = &pg->link;
    *out = (cp_link_budget){0};
    double rx_extra_db = 0;
    if (pg->media == CP_MEDIA_CPO) {
        const cp_engine *e = &pg->engine;
        char split[32];
        double avg = pg->laser.output_power_dbm - e->coupler_loss_db -
                     10.0 * log10(e->lanes_per_laser) - e->splitter_excess_db -
                     e->mod.insertion_loss_db - e->mux_loss_db - e->coupler_loss_db;
        snprintf(split, sizeof split, "split 1:%g", e->lanes_per_laser);
        step(out, "laser", pg->laser.output_power_dbm, true);
        step(out, "coupler in", -e->coupler_loss_db, false);
        step(out, split, -10.0 * log10(e->lanes_per_laser), false);
        step(out, "split excess", -e->splitter_excess_db, false);
        step(out, "modulator", -e->mod.insertion_loss_db, false);
        step(out, "mux", -e->mux_loss_db, false);
        step(out, "coupler out", -e->coupler_loss_db, false);
        step(out, "OMA at ER", cp_oma_from_avg_dbm(avg, e->mod.extinction_ratio_db) - avg,
             false);
        rx_extra_db = e->coupler_loss_db;
    } else {
        step(out, "Tx OMA", l->tx_oma_dbm, true);
    }
    step(out, "fibre", -l->fiber_db_per_km * l->length_m / 1000.0, false);
    step(out, "connectors", -l->connectors * l->connector_loss_db, false);
    if (pg->media == CP_MEDIA_CPO)
        step(out, "coupler rx", -rx_extra_db, false);
    double rx = 0;
    for (size_t i = 0; i < out->nsteps; i++)
        rx = out->step[i].level ? out->step[i].db : rx + out->step[i].db;
    step(out, "Rx OMA", rx, true);
    out->rx_oma_dbm = rx;
    out->sensitivity_oma_dbm = l->rx_sensitivity_oma_dbm;
    out->penalties_db = l->tdecq_db + l->other_penalty_db;
    out->required_margin_db = l->required_margin_db;
    out->margin_db = rx - out->penalties_db - l->rx_sensitivity_oma_dbm - l->required_margin_db;
}
