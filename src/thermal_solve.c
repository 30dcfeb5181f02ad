/*
 * thermal_solve.c — the sparse SPD solves of the thermal grid, by two
 * well-kept libraries:
 *   - HYPRE Struct PCG preconditioned by PFMG multigrid (semi-coarsening,
 *     robust for thin layers of very different conductivity); iterative,
 *     warm-started from the previous temperatures: the steady-state default;
 *   - SuiteSparse CHOLMOD (supernodal Cholesky on BLAS): factor once for a
 *     given time step, then each transient step is two triangular solves.
 * Both solve (A + shift * C) x = b, shift = 1/(theta dt), 0 for steady state.
 */
#include "thermal_internal.h"

#include <HYPRE_struct_ls.h>
#include <cholmod.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

struct cp_solver {
    cp_solver_kind kind;
    double tol;
    double shift;             /* the shift the matrix / factor holds */
    bool ready;
    /* HYPRE */
    HYPRE_StructGrid grid;
    HYPRE_StructStencil stencil;
    HYPRE_StructMatrix A;
    HYPRE_StructVector b, x;
    HYPRE_StructSolver pcg, pfmg;
    /* CHOLMOD */
    cholmod_common cc;
    cholmod_sparse *S;
    cholmod_factor *L;
};

/* HYPRE needs MPI, which only the program may start (cp_init, src/runtime.c):
 * a PFMG-PCG solve that finds MPI down is an error, never an MPI_Init here.
 * Every HYPRE object lives on MPI_COMM_SELF: one grid per process, so ranks
 * under mpirun neither share nor wait for each other's solves. */
static int require_mpi(cp_error *err)
{
    if (cp_mpi_ready())
        return 0;
    return cp_fail(err, "thermal", 0, 0,
                   "the pfmg-pcg solver (HYPRE) needs MPI, which is not initialised: "
                   "call cp_init(&argc, &argv, CP_INIT_MPI, &err) first, or use "
                   "thermal.solver.kind=cholmod");
}

/* ------------------------------------------------------------------ HYPRE */

static void box(const cp_thermal_grid *g, HYPRE_Int lo[3], HYPRE_Int hi[3])
{
    lo[0] = lo[1] = lo[2] = 0;
    hi[0] = g->nx - 1;
    hi[1] = g->ny - 1;
    hi[2] = g->nz - 1;
}

static double diag_at(const cp_thermal_grid *g, int i, int j, int k, size_t c,
                      double shift)
{
    const size_t sy = (size_t)g->nx, sz = (size_t)g->nx * g->ny;
    double d = shift * g->cap[c];
    if (i > 0) d += g->gx[c - 1];
    if (i + 1 < g->nx) d += g->gx[c];
    if (j > 0) d += g->gy[c - sy];
    if (j + 1 < g->ny) d += g->gy[c];
    if (k > 0) d += g->gz[c - sz];
    if (k + 1 < g->nz) d += g->gz[c];
    else d += g->gtop[c - (size_t)k * sz];
    if (k == 0) d += g->gbot[c];
    if (g->gfl) d += g->gfl[c];
    return d;
}

static int hypre_matrix(cp_thermal_grid *g, cp_solver *s, double shift)
{
    const size_t sy = (size_t)g->nx, sz = (size_t)g->nx * g->ny;
    double *v = malloc(4 * g->n * sizeof *v);
    if (!v)
        return -1;
    for (int k = 0; k < g->nz; k++)
        for (int j = 0; j < g->ny; j++)
            for (int i = 0; i < g->nx; i++) {
                size_t c = CP_IDX(g, i, j, k);
                double *e = v + 4 * c;
                e[0] = diag_at(g, i, j, k, c, shift);
                e[1] = i > 0 ? -g->gx[c - 1] : 0;
                e[2] = j > 0 ? -g->gy[c - sy] : 0;
                e[3] = k > 0 ? -g->gz[c - sz] : 0;
            }
    HYPRE_Int entries[4] = {0, 1, 2, 3};
    HYPRE_Int lo[3], hi[3];
    box(g, lo, hi);
    HYPRE_StructMatrixSetBoxValues(s->A, lo, hi, 4, entries, v);
    HYPRE_StructMatrixAssemble(s->A);
    free(v);
    return 0;
}

static int hypre_create(cp_thermal_grid *g, cp_solver *s, cp_error *err)
{
    if (require_mpi(err))
        return -1;
    HYPRE_Int lo[3], hi[3];
    box(g, lo, hi);
    HYPRE_StructGridCreate(MPI_COMM_SELF, 3, &s->grid);
    HYPRE_StructGridSetExtents(s->grid, lo, hi);
    HYPRE_StructGridAssemble(s->grid);
    /* symmetric: the centre and the three lower neighbours */
    HYPRE_Int off[4][3] = {{0, 0, 0}, {-1, 0, 0}, {0, -1, 0}, {0, 0, -1}};
    HYPRE_StructStencilCreate(3, 4, &s->stencil);
    for (int e = 0; e < 4; e++)
        HYPRE_StructStencilSetElement(s->stencil, e, off[e]);
    HYPRE_StructMatrixCreate(MPI_COMM_SELF, s->grid, s->stencil, &s->A);
    HYPRE_StructMatrixSetSymmetric(s->A, 1);
    HYPRE_StructMatrixInitialize(s->A);
    HYPRE_StructVectorCreate(MPI_COMM_SELF, s->grid, &s->b);
    HYPRE_StructVectorCreate(MPI_COMM_SELF, s->grid, &s->x);
    HYPRE_StructVectorInitialize(s->b);
    HYPRE_StructVectorInitialize(s->x);
    return 0;
}

static void hypre_free_solvers(cp_solver *s)
{
    if (s->pcg)
        HYPRE_StructPCGDestroy(s->pcg);
    if (s->pfmg)
        HYPRE_StructPFMGDestroy(s->pfmg);
    s->pcg = s->pfmg = NULL;
}

static int hypre_setup(cp_thermal_grid *g, cp_solver *s, double shift)
{
    if (hypre_matrix(g, s, shift))
        return -1;
    hypre_free_solvers(s);
    HYPRE_StructPCGCreate(MPI_COMM_SELF, &s->pcg);
    HYPRE_StructPCGSetTol(s->pcg, s->tol);
    HYPRE_StructPCGSetTwoNorm(s->pcg, 1);
    HYPRE_StructPCGSetRelChange(s->pcg, 0);
    HYPRE_StructPCGSetMaxIter(s->pcg, 500);
    HYPRE_StructPFMGCreate(MPI_COMM_SELF, &s->pfmg);
    HYPRE_StructPFMGSetMaxIter(s->pfmg, 1);
    HYPRE_StructPFMGSetTol(s->pfmg, 0.0);
    HYPRE_StructPFMGSetZeroGuess(s->pfmg);
    HYPRE_StructPFMGSetRelaxType(s->pfmg, 2); /* symmetric red-black GS */
    HYPRE_StructPFMGSetNumPreRelax(s->pfmg, 1);
    HYPRE_StructPFMGSetNumPostRelax(s->pfmg, 1);
    HYPRE_StructPCGSetPrecond(s->pcg, HYPRE_StructPFMGSolve, HYPRE_StructPFMGSetup,
                              s->pfmg);
    HYPRE_Int lo[3], hi[3];
    box(g, lo, hi);
    HYPRE_StructVectorSetBoxValues(s->b, lo, hi, g->work);
    HYPRE_StructVectorSetBoxValues(s->x, lo, hi, g->t);
    HYPRE_StructVectorAssemble(s->b);
    HYPRE_StructVectorAssemble(s->x);
    HYPRE_StructPCGSetup(s->pcg, s->A, s->b, s->x);
    return 0;
}

static int hypre_solve(cp_thermal_grid *g, cp_solver *s, const double *b,
                       double *x, int *iters, cp_error *err)
{
    HYPRE_Int lo[3], hi[3];
    box(g, lo, hi);
    HYPRE_StructVectorSetBoxValues(s->b, lo, hi, (double *)b);
    HYPRE_StructVectorSetBoxValues(s->x, lo, hi, x); /* warm start */
    HYPRE_StructVectorAssemble(s->b);
    HYPRE_StructVectorAssemble(s->x);
    HYPRE_StructPCGSolve(s->pcg, s->A, s->b, s->x);
    HYPRE_StructVectorGetBoxValues(s->x, lo, hi, x);
    HYPRE_Int it = 0;
    double res = 0;
    HYPRE_StructPCGGetNumIterations(s->pcg, &it);
    HYPRE_StructPCGGetFinalRelativeResidualNorm(s->pcg, &res);
    *iters = (int)it;
    if (!(res <= s->tol * 10))
        return cp_fail(err, "thermal", 0, 0,
                       "PFMG-PCG did not converge (relative residual %.2e after "
                       "%d iterations)", res, (int)it);
    return 0;
}

/* ---------------------------------------------------------------- CHOLMOD */

static int cholmod_build(cp_thermal_grid *g, cp_solver *s, double shift)
{
    const size_t sy = (size_t)g->nx, sz = (size_t)g->nx * g->ny;
    if (!s->S) {
        s->S = cholmod_allocate_sparse(g->n, g->n, 4 * g->n, 1, 1, -1,
                                       CHOLMOD_REAL, &s->cc);
        if (!s->S)
            return -1;
    }
    int *p = s->S->p, *ri = s->S->i;
    double *v = s->S->x;
    size_t nz = 0;
    for (int k = 0; k < g->nz; k++)
        for (int j = 0; j < g->ny; j++)
            for (int i = 0; i < g->nx; i++) {
                size_t c = CP_IDX(g, i, j, k);
                p[c] = (int)nz; /* lower triangle, column c, sorted rows */
                ri[nz] = (int)c;
                v[nz++] = diag_at(g, i, j, k, c, shift);
                if (i + 1 < g->nx)
                    ri[nz] = (int)(c + 1), v[nz++] = -g->gx[c];
                if (j + 1 < g->ny)
                    ri[nz] = (int)(c + sy), v[nz++] = -g->gy[c];
                if (k + 1 < g->nz)
                    ri[nz] = (int)(c + sz), v[nz++] = -g->gz[c];
            }
    p[g->n] = (int)nz;
    if (!s->L && !(s->L = cholmod_analyze(s->S, &s->cc)))
        return -1;
    return cholmod_factorize(s->S, s->L, &s->cc) && s->cc.status == CHOLMOD_OK ? 0 : -1;
}

static int cholmod_do_solve(cp_thermal_grid *g, cp_solver *s, const double *b,
                            double *x, cp_error *err)
{
    cholmod_dense B = {.nrow = g->n, .ncol = 1, .nzmax = g->n, .d = g->n,
                       .x = (void *)b, .xtype = CHOLMOD_REAL, .dtype = CHOLMOD_DOUBLE};
    cholmod_dense *X = cholmod_solve(CHOLMOD_A, s->L, &B, &s->cc);
    if (!X)
        return cp_fail(err, "thermal", 0, 0, "CHOLMOD solve failed");
    memcpy(x, X->x, g->n * sizeof *x);
    cholmod_free_dense(&X, &s->cc);
    return 0;
}

/* ----------------------------------------------------------------- common */

int cp_solver_create(cp_thermal_grid *g, cp_solver_kind kind, double tol,
                     cp_error *err)
{
    cp_solver *s = calloc(1, sizeof *s);
    if (!s)
        return cp_fail(err, "thermal", 0, 0, "out of memory");
    s->kind = kind == CP_SOLVER_CHOLMOD ? CP_SOLVER_CHOLMOD : CP_SOLVER_PFMG;
    s->tol = tol > 0 ? tol : 1e-10;
    g->solver = s;
    g->kind = s->kind;
    if (s->kind == CP_SOLVER_CHOLMOD) {
        cholmod_start(&s->cc);
        s->cc.print = 0;
        return 0;
    }
    return hypre_create(g, s, err);
}

int cp_solver_solve(cp_thermal_grid *g, double shift, const double *b, double *x,
                    int *iterations, cp_error *err)
{
    cp_solver *s = g->solver;
    *iterations = 0;
    if (!s->ready || s->shift != shift) {
        int rc;
        if (s->kind == CP_SOLVER_CHOLMOD) {
            rc = cholmod_build(g, s, shift);
        } else {
            memcpy(g->work, b, g->n * sizeof *b);
            rc = hypre_setup(g, s, shift);
        }
        if (rc)
            return cp_fail(err, "thermal", 0, 0, "%s set-up failed (out of memory?)",
                           cp_solver_name(g));
        s->shift = shift;
        s->ready = true;
    }
    if (s->kind == CP_SOLVER_CHOLMOD)
        return cholmod_do_solve(g, s, b, x, err);
    return hypre_solve(g, s, b, x, iterations, err);
}

void cp_solver_free(cp_solver *s)
{
    if (!s)
        return;
    if (s->kind == CP_SOLVER_CHOLMOD) {
        cholmod_free_factor(&s->L, &s->cc);
        cholmod_free_sparse(&s->S, &s->cc);
        cholmod_finish(&s->cc);
    } else {
        hypre_free_solvers(s);
        if (s->A) HYPRE_StructMatrixDestroy(s->A);
        if (s->b) HYPRE_StructVectorDestroy(s->b);
        if (s->x) HYPRE_StructVectorDestroy(s->x);
        if (s->stencil) HYPRE_StructStencilDestroy(s->stencil);
        if (s->grid) HYPRE_StructGridDestroy(s->grid);
    }
    free(s);
}

void cp_solver_set_tol(cp_thermal_grid *g, double tol)
{
    cp_solver *s = g->solver;
    if (!s || s->kind == CP_SOLVER_CHOLMOD || !(tol > 0) || tol == s->tol)
        return;
    s->tol = tol;
    if (s->pcg)
        HYPRE_StructPCGSetTol(s->pcg, tol);
}

const char *cp_solver_name(const cp_thermal_grid *g)
{
    return g->kind == CP_SOLVER_CHOLMOD ? "cholmod" : "pfmg-pcg";
}
