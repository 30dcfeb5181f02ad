/* bench.h — shared by the benchmarks: a monotonic clock in seconds. */
#ifndef CPOSIM_BENCH_H
#define CPOSIM_BENCH_H

#include <time.h>

static inline double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

#endif
