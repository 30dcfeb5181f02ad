/*
 * fuzz_jobtrace.c — libFuzzer harness for job-trace CSV files (a workload's
 * job sizes, src/job_trace.c).
 *
 * The input is the trace.  A trace that loads must give 1..CP_MAX_JOB_SIZES
 * sizes in increasing order, each a whole number of GPUs >= 1, with finite
 * shares in (0, 1] summing to 1 and finite checkpoint costs >= 0.
 *
 * Build and run: sh tests/fuzz/run.sh SECONDS jobtrace
 */
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init(false, false);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("jobs.csv", data, size);
    cp_job j = {.checkpoint_cost_h = 0.05};
    cp_error err = {0};
    if (cp_job_trace_load(path, &j, &err)) {
        fz_note(&err);
        return 0;
    }
    double sum = 0;
    if (j.nsizes < 1 || j.nsizes > CP_MAX_JOB_SIZES) {
        fprintf(stderr, "fuzz oracle: %zu sizes\n", j.nsizes);
        abort();
    }
    for (size_t i = 0; i < j.nsizes; i++) {
        const cp_job_size *s = &j.size[i];
        if (!(s->gpus >= 1 && s->gpus == floor(s->gpus)) || (i && !(s->gpus > j.size[i - 1].gpus)) ||
            !(s->share > 0 && s->share <= 1) || !(s->checkpoint_cost_h >= 0) ||
            !isfinite(s->checkpoint_cost_h)) {
            fprintf(stderr, "fuzz oracle: size %zu: %g GPUs, share %g, cost %g h\n", i, s->gpus,
                    s->share, s->checkpoint_cost_h);
            abort();
        }
        sum += s->share;
    }
    if (fabs(sum - 1) > 1e-9) {
        fprintf(stderr, "fuzz oracle: shares sum to %.17g\n", sum);
        abort();
    }
    return 0;
}
