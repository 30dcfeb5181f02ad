/*
 * runtime.c — the process set-up libcposim needs but never does on its own.
 *
 * HYPRE (the PFMG-PCG thermal solver) runs on MPI, and MPI may be started
 * once per process, by the program: a library that called MPI_Init would
 * take that decision away from it (and make every run pay MPI's start-up:
 * ~0.3 s, 5 s in containers whose host name does not resolve).  So the
 * program calls cp_init(..., CP_INIT_MPI, ...) (or MPI_Init itself) before a
 * PFMG-PCG solve, and cp_finalize() before it exits; a solve that finds MPI
 * down returns an error.  Each solve runs on MPI_COMM_SELF: under mpirun,
 * ranks never share a thermal grid.
 */
#include "internal.h"

#include <mpi.h>

static bool g_mpi_ours; /* MPI was started by cp_init: cp_finalize ends it */

int cp_init(int *argc, char ***argv, unsigned flags, cp_error *err)
{
    if (flags & ~(unsigned)CP_INIT_MPI)
        return cp_fail(err, "cp_init", 0, 0, "unknown flags 0x%x", flags);
    if (!(flags & CP_INIT_MPI))
        return 0;
    int on = 0, off = 0;
    MPI_Initialized(&on);
    MPI_Finalized(&off);
    if (off)
        return cp_fail(err, "cp_init", 0, 0, "MPI was already finalised (it can be "
                                             "started once per process)");
    if (on)
        return 0; /* the program started MPI: it also ends it */
    /* FUNNELED: OpenMP threads run, only the main thread calls MPI */
    int got = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &got) != MPI_SUCCESS)
        return cp_fail(err, "cp_init", 0, 0, "MPI_Init_thread failed");
    g_mpi_ours = true;
    return 0;
}

void cp_finalize(void)
{
    int off = 0;
    if (!g_mpi_ours)
        return;
    MPI_Finalized(&off);
    if (!off)
        MPI_Finalize();
    g_mpi_ours = false;
}

bool cp_mpi_ready(void)
{
    int on = 0, off = 0;
    MPI_Initialized(&on);
    MPI_Finalized(&off);
    return on && !off;
}
