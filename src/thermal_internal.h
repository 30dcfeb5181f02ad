/* thermal_internal.h — the grid shared by src/thermal_*.c; not installed. */
#ifndef CPOSIM_THERMAL_INTERNAL_H
#define CPOSIM_THERMAL_INTERNAL_H

#include "internal.h"

typedef struct cp_solver cp_solver; /* thermal_solve.c */

/* thermal_accel.c: Anderson acceleration of x <- F(x) over n unknowns,
 * keeping depth - 1 (at most CP_ANDERSON_MAX - 1) differences. */
#define CP_ANDERSON_MAX 8
typedef struct cp_anderson cp_anderson;
cp_anderson *cp_anderson_new(size_t n, int depth);
void cp_anderson_free(cp_anderson *a);
void cp_anderson_reset(cp_anderson *a);
/* g: F(x) in, the next x out */
void cp_anderson_step(cp_anderson *a, const double *x, double *g);

/* The grid lines of a spec (thermal_mesh.c). */
typedef struct cp_thermal_mesh {
    int nx, ny, nz;
    double *xe, *ye;          /* [nx + 1], [ny + 1] cell edges, m */
    double *dz;               /* [nz] m */
    int layer_k0[CP_MAX_LAYERS + 1];
} cp_thermal_mesh;

int cp_thermal_mesh_build(const cp_thermal_spec *t, cp_thermal_mesh *m, cp_error *err);
void cp_thermal_mesh_free(cp_thermal_mesh *m);
double cp_thermal_min_cell(const cp_thermal_spec *t);

struct cp_thermal_grid {
    int nx, ny, nz;
    size_t n;                 /* nx * ny * nz */
    double *xe, *ye;          /* [nx + 1], [ny + 1] cell edges, m */
    double *dx, *dy;          /* [nx], [ny] cell widths, m */
    double *dz;               /* [nz] m */
    int *klayer;              /* [nz] layer of each z-cell */
    int layer_k0[CP_MAX_LAYERS + 1];
    double *gx;               /* [n] W/K between (i,j,k) and (i+1,j,k) */
    double *gy;               /* [n] between (i,j,k) and (i,j+1,k) */
    double *gz;               /* [n] between (i,j,k) and (i,j,k+1) */
    double *gtop, *gbot;      /* [nx*ny] boundary conductances */
    double *cap;              /* [n] J/K */
    double *q;                /* [n] W from blocks, the face heat split (thermal_face.c) */
    /* Heated faces: the bottom face of each layer that holds blocks.  Per
     * column, the heat the blocks put there and the conductances from the
     * face to the cell above (up) and to the cell below or ambient (dn). */
    double *qface[CP_MAX_LAYERS], *gup[CP_MAX_LAYERS], *gdn[CP_MAX_LAYERS];
    double q_bottom_direct;   /* W of face heat going straight to the bottom ambient */
    size_t nblocks;
    double *power;            /* [nblocks] W per block, now */
    double *t;                /* [n] C, the current solution */
    double *work;             /* [n] scratch */
    double tamb_top, tamb_bot;
    double h_top;             /* W/m2K: the spec's, or its heat sink's (thermal_sink.c) */
    bool has_sink;
    cp_sink_point sink;       /* the sink's operating point */
    double *tcool;            /* [nx*ny] top ambient per column: the coolant's
                               * local temperature (tamb_top without one) */
    /* Microchannels (thermal_channel.c); NULL without any. */
    double *gfl;              /* [n] W/K from a cell to its cavity's fluid */
    double *tfl;              /* [n] C, that fluid where the cell meets it */
    cp_material chmat[CP_MAX_LAYERS]; /* a channel layer's homogenised material */
    double ch_across[CP_MAX_LAYERS];  /* its conductivity across the channels */
    size_t nfl;               /* fluid unknowns: columns x (plate + cavities) */
    double *flx, *flg;        /* [nfl] every fluid now, and its next image */
    cp_anderson *fl_aa;       /* accelerates the steady fluid iteration */
    cp_solver *solver;
    cp_solver_kind kind;
};

#define CP_IDX(g, i, j, k) (((size_t)(k) * (size_t)(g)->ny + (size_t)(j)) * (size_t)(g)->nx + (size_t)(i))

/* thermal_face.c: block powers onto the heated faces, split into the cells */
void cp_thermal_map_power(cp_thermal_grid *g, const cp_thermal_spec *t);
double cp_thermal_overlap(double a0, double a1, double b0, double b1);
/* The hottest of a layer's cells and its heated face in column (i, j). */
double cp_thermal_column_max(const cp_thermal_grid *g, int layer, int i, int j);

/* thermal_coolant.c: the coolant temperatures from the current field; the
 * largest change (K) in *change_k.  Outlet temperature of the coolant. */
void cp_thermal_coolant_update(cp_thermal_grid *g, const cp_thermal_spec *t,
                               bool steady, double *change_k);
double cp_thermal_coolant_outlet(const cp_thermal_grid *g, const cp_thermal_spec *t);
/* Every fluid's temperatures (plate, then cavities), g->nfl values. */
void cp_thermal_fluid_get(const cp_thermal_grid *g, const cp_thermal_spec *t, double *x);
void cp_thermal_fluid_set(cp_thermal_grid *g, const cp_thermal_spec *t, const double *x);
/* The buffers and acceleration of the fluid iteration (after the channels). */
int cp_thermal_fluid_setup(cp_thermal_grid *g, const cp_thermal_spec *t, cp_error *err);
/* A first coolant profile from the block powers (after cp_thermal_map_power). */
void cp_thermal_coolant_guess(cp_thermal_grid *g, const cp_thermal_spec *t);

/* thermal_channel.c */
void cp_channel_material(const cp_tlayer *L, cp_material *m, double *k_across);
int cp_thermal_channels_setup(cp_thermal_grid *g, const cp_thermal_spec *t, cp_error *err);
void cp_thermal_channels_image(const cp_thermal_grid *g, const cp_thermal_spec *t,
                               double *x, double *img);
void cp_thermal_channels_set(cp_thermal_grid *g, const cp_thermal_spec *t, const double *v);
void cp_thermal_channels_get(const cp_thermal_grid *g, const cp_thermal_spec *t, double *x);
size_t cp_thermal_cavities(const cp_thermal_spec *t);
void cp_thermal_channels_guess(cp_thermal_grid *g, const cp_thermal_spec *t);
void cp_thermal_channels_stats(const cp_thermal_grid *g, const cp_thermal_spec *t,
                               cp_thermal_result *out);
bool cp_thermal_has_fluid(const cp_thermal_spec *t);

/* thermal_grid.c */
/* Material of each column of layer l (fill, parts, dies; a channel
 * layer's homogenised material) into m[nx*ny]. */
void cp_thermal_layer_materials(const cp_thermal_grid *g, const cp_thermal_spec *t, int l,
                                const cp_material **m);
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
/* The relative residual the iterative solver stops at from now on. */
void cp_solver_set_tol(cp_thermal_grid *g, double tol);
const char *cp_solver_name(const cp_thermal_grid *g);

#endif
