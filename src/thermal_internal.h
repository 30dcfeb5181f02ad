/* thermal_internal.h — the grid shared by src/thermal_*.c; not installed. */
#ifndef CPOSIM_THERMAL_INTERNAL_H
#define CPOSIM_THERMAL_INTERNAL_H

#include "internal.h"

typedef struct cp_solver cp_solver; /* thermal_solve.c */

struct cp_thermal_grid {
    int nx, ny, nz;
    size_t n;                 /* nx * ny * nz */
    double dx, dy;            /* m */
    double *dz;               /* [nz] m */
    int *klayer;              /* [nz] layer of each z-cell */
    int layer_k0[CP_MAX_LAYERS + 1];
    double *gx;               /* [n] W/K between (i,j,k) and (i+1,j,k) */
    double *gy;               /* [n] between (i,j,k) and (i,j+1,k) */
    double *gz;               /* [n] between (i,j,k) and (i,j,k+1) */
    double *gtop, *gbot;      /* [nx*ny] boundary conductances */
    double *cap;              /* [n] J/K */
    double *q;                /* [n] W from blocks */
    size_t nblocks;
    double power[CP_MAX_BLOCKS]; /* W per block, now */
    double *t;                /* [n] C, the current solution */
    double *work;             /* [n] scratch */
    double tamb_top, tamb_bot;
    cp_solver *solver;
    cp_solver_kind kind;
};

#define CP_IDX(g, i, j, k) (((size_t)(k) * (size_t)(g)->ny + (size_t)(j)) * (size_t)(g)->nx + (size_t)(i))

/* thermal_grid.c */
void cp_thermal_map_power(cp_thermal_grid *g, const cp_thermal_spec *t);
/* y = A x for the conduction operator (boundaries on the diagonal) */
void cp_thermal_apply(const cp_thermal_grid *g, const double *x, double *y);
/* b = q + boundary ambient terms */
void cp_thermal_rhs(const cp_thermal_grid *g, double *b);

/* thermal_solve.c: solve (A + shift * C) x = b, shift in 1/s (0 = steady). */
int cp_solver_create(cp_thermal_grid *g, cp_solver_kind kind, double tol,
                     cp_error *err);
int cp_solver_solve(cp_thermal_grid *g, double shift, const double *b, double *x,
                    int *iterations, cp_error *err);
void cp_solver_free(cp_solver *s);
const char *cp_solver_name(const cp_thermal_grid *g);

#endif
