/* yield_internal.h — the binders of the manufacturing catalog classes
 * (assembly, package; src/yield_scenario.c), called by cp_bind_entry. */
#ifndef CPOSIM_YIELD_INTERNAL_H
#define CPOSIM_YIELD_INTERNAL_H

#include "internal.h"

int cp_bind_assembly(const cp_node *n, cp_assembly *out, cp_error *err);
int cp_bind_package_parts(const cp_node *n, cp_package_parts *out, cp_error *err);

#endif
