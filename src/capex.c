/*
 * capex.c — capital cost of a sized fabric at catalog prices, port group by
 * port group: switches (sold without pluggables or ELS), the transceivers
 * each pluggable group carries and those at the NICs, the ELS laser modules
 * of each CPO group, and (with economics) cabling and up-front spares.
 * A price of 0 in the catalog means unknown and adds nothing.
 */
#include "internal.h"

#include <string.h>

void cp_fabric_capex(const cp_fabric_spec *f, const cp_fabric_result *r,
                     const cp_economics *eco, cp_capex *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < f->ntiers && i < r->ntiers; i++) {
        const cp_design *d = &f->tier[i].design;
        const cp_fabric_tier_result *t = &r->tier[i];
        c->switches_usd += t->switches * d->sys.price_usd;
        for (size_t g = 0; g < d->ngroups && g < t->ngroups; g++) {
            c->optics_usd += t->grp[g].modules * d->group[g].module.price_usd;
            c->lasers_usd += t->grp[g].laser_modules * d->group[g].laser.module_price_usd;
        }
    }
    c->optics_usd += r->nic_modules * f->nic_module.price_usd;
    if (eco) {
        for (size_t l = 0; l < r->ntiers; l++)
            c->cabling_usd += r->level[l].links * (r->level[l].optical
                                                       ? eco->fiber_usd_per_link
                                                       : eco->copper_usd_per_link);
        c->spares_usd = eco->spares_fraction * (c->optics_usd + c->lasers_usd);
    }
    c->total_usd = c->switches_usd + c->optics_usd + c->lasers_usd + c->cabling_usd +
                   c->spares_usd;
}
