/*
 * cposim.h — the public C API of libcposim, a simulator and design-space tool
 * for Co-Packaged Optics (CPO) switch systems.
 *
 * The pipeline reads top-down:
 *   catalog + scenario (YAML)  --cp_scenario_load-->  cp_design (plain struct)
 *   cp_design                  --cp_design_eval--->   cp_result (plain struct)
 * Models are pure functions over plain structs: no I/O, no globals, no
 * allocation on the evaluation path.  Units are SI-prefixed in every name.
 *
 * Errors are values: loaders fill a cp_error with file:line:col and a message;
 * only the CLI decides to print and exit.
 */
#ifndef CPOSIM_H
#define CPOSIM_H

/* The API is split by stage; this umbrella includes every part in order. */
#include "cposim/core.h"
#include "cposim/sample.h"
#include "cposim/thermal.h"
#include "cposim/fabric.h"
#include "cposim/reliability.h"
#include "cposim/traffic.h"
#include "cposim/tco.h"
#include "cposim/sweep.h"
#include "cposim/report.h"
#include "cposim/yield.h"

#endif /* CPOSIM_H */
