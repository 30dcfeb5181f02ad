/* rel_internal.h — constants and helpers shared by the reliability files. */
#ifndef CPOSIM_REL_INTERNAL_H
#define CPOSIM_REL_INTERNAL_H

#include "cposim.h"

#include <math.h>

#define CP_HOURS_PER_YEAR 8760.0
#define CP_BOLTZMANN_EV 8.617333262e-5 /* CODATA 2018, eV/K */
/* units of one class: the Monte Carlo draws unit indices as 32-bit */
#define CP_REL_MAX_UNITS 4e9
/* Weibull shapes the models accept: the catalog's range of weibull_shape */
#define CP_REL_SHAPE_MIN 0.1
#define CP_REL_SHAPE_MAX 10.0

/* year of an instant, the last year collecting anything beyond */
static inline int cp_rel_year(double t_h)
{
    int y = (int)(t_h / CP_HOURS_PER_YEAR);
    return y < 0 ? 0 : y >= CP_MAX_YEARS ? CP_MAX_YEARS - 1 : y;
}

/* GPUs of the fabric: set by the class builder, else from the job's share */
static inline double cp_rel_cluster_gpus(const cp_rel_spec *rel)
{
    if (rel->job.cluster_gpus > 0)
        return rel->job.cluster_gpus;
    return rel->job.share > 0 ? rel->job.gpus / rel->job.share : rel->job.gpus;
}

#endif
