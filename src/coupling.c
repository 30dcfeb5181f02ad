/*
 * coupling.c — power coupling between two fundamental Gaussian modes (fibre
 * to chip coupler), after D. Marcuse, "Loss analysis of single-mode fiber
 * splices", Bell Syst. Tech. J. 56(5):703-718 (1977), and W. B. Joyce and
 * B. C. DeLoach, "Alignment of Gaussian beams", Appl. Opt. 23(23):4187-4196
 * (1984).  With mode-field radii w1, w2 (1/e^2 intensity), wavelength lambda,
 * gap index n, k = 2 pi n / lambda:
 *
 *   mismatch and gap z:  eta_z = 4 / ((w1/w2 + w2/w1)^2 + (2 z / (k w1 w2))^2)
 *   lateral offset d:    eta_d = exp(-2 d^2 / (w1^2 + w2^2))
 *   tilt theta:          eta_t = exp(-(k theta)^2 w1^2 w2^2 / (2 (w1^2 + w2^2)))
 *
 * For w1 = w2 = w these are Marcuse's 1/(1 + Z^2) with Z = z lambda /
 * (2 pi n w^2), exp(-d^2/w^2) and exp(-(pi n w theta / lambda)^2): a lateral
 * offset costs 10 log10(e) (d/w)^2 = 4.34 (2d/MFD)^2 dB.  Offset and tilt
 * are exact at z = 0; their coupling to the gap (the beam widens over z) is
 * left out, which holds while z is small against the Rayleigh range k w^2/2
 * (~ 60 um for a 10 um MFD in epoxy; attach gaps are a few um).
 */
#include "cposim.h"

#include <math.h>

#define DB_PER_NEPER_POWER 4.342944819032518 /* 10 / ln 10 */

static double k_per_um(const cp_mode_pair *c)
{
    return 2.0 * M_PI * c->index / c->wavelength_um;
}

double cp_coupling_offset_db_per_um2(const cp_mode_pair *c)
{
    double w1 = c->mfd1_um / 2, w2 = c->mfd2_um / 2;
    return DB_PER_NEPER_POWER * 2.0 / (w1 * w1 + w2 * w2);
}

double cp_coupling_tilt_db_per_rad2(const cp_mode_pair *c)
{
    double w1 = c->mfd1_um / 2, w2 = c->mfd2_um / 2, k = k_per_um(c);
    return DB_PER_NEPER_POWER * k * k * w1 * w1 * w2 * w2 / (2.0 * (w1 * w1 + w2 * w2));
}

static double gap_eff(const cp_mode_pair *c, double gap_um)
{
    double w1 = c->mfd1_um / 2, w2 = c->mfd2_um / 2;
    double m = w1 / w2 + w2 / w1, g = 2.0 * gap_um / (k_per_um(c) * w1 * w2);
    return 4.0 / (m * m + g * g);
}

double cp_coupling_loss_db(const cp_mode_pair *c, double offset_um, double tilt_rad,
                           double gap_um)
{
    return -10.0 * log10(gap_eff(c, gap_um)) +
           cp_coupling_offset_db_per_um2(c) * offset_um * offset_um +
           cp_coupling_tilt_db_per_rad2(c) * tilt_rad * tilt_rad;
}

double cp_coupling_eff(const cp_mode_pair *c, double offset_um, double tilt_rad,
                       double gap_um)
{
    return pow(10.0, -cp_coupling_loss_db(c, offset_um, tilt_rad, gap_um) / 10.0);
}

double cp_coupling_offset_for_db(const cp_mode_pair *c, double loss_db)
{
    return sqrt(loss_db / cp_coupling_offset_db_per_um2(c));
}
