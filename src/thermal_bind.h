/* thermal_bind.h — shared by the thermal scenario binders
 * (src/thermal_scenario*.c); not installed. */
#ifndef CPOSIM_THERMAL_BIND_H
#define CPOSIM_THERMAL_BIND_H

#include "internal.h"

#define N(a) (sizeof(a) / sizeof *(a))

int cp_tbind_map(const cp_node *n, const char *what, const cp_field *f, size_t nf,
                 void *out, const char *const *extra, cp_error *err);
int cp_tbind_material(const cp_catalog *cat, cp_pool *pool, const cp_node *l,
                      const char *key, bool required, cp_material *m, cp_error *err);

/* thermal_scenario_cooling.c */
int cp_tbind_channels(const cp_catalog *cat, cp_pool *pool, const cp_node *l,
                      const cp_thermal_spec *t, cp_tlayer *L, cp_error *err);
int cp_tcheck_channels(const cp_node *th, const cp_thermal_spec *t, cp_error *err);
int cp_tbind_coolant(const cp_catalog *cat, cp_pool *pool, const cp_node *n,
                     cp_coolant *out, cp_error *err);
int cp_tbind_heatsink(const cp_node *n, cp_heatsink *s, cp_error *err);

#endif
