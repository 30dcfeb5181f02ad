/*
 * optical_engine.c — power of a co-packaged optical engine built from its
 * parts (DSENT-style composition): modulator drive, driver, TIA, ring/phase
 * tuning, control; and the electrical power of its CW lasers.
 */
#include "cposim.h"

#include <math.h>

void cp_engine_eval(const cp_engine *e, double lanes_used, double engines,
                    cp_engine_result *out)
{
    double gbps = lanes_used * e->lane_rate_gbps; /* per direction */
    out->lanes_used = lanes_used;
    /* pJ/bit x Gb/s = mW */
    out->modulator_w = e->mod.drive_pj_per_bit * gbps * 1e-3;
    out->driver_w = e->driver_pj_per_bit * gbps * 1e-3;
    out->tia_w = e->tia_pj_per_bit * gbps * 1e-3;
    out->tuning_w = e->mod.tuning_w * lanes_used;
    out->control_w = e->control_w * engines;
    out->electronics_w = out->modulator_w + out->driver_w + out->tia_w +
                         out->tuning_w + out->control_w;
    out->pj_per_bit = gbps > 0 ? out->electronics_w / gbps * 1e3 : 0;
}

double cp_laser_elec_w(const cp_laser *la, double n_lasers)
{
    double modules = ceil(n_lasers / la->lasers_per_module);
    return n_lasers * cp_dbm_to_w(la->output_power_dbm) / la->wall_plug_efficiency +
           modules * la->module_overhead_w;
}
