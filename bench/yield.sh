#!/bin/sh
# Package yield Monte Carlo benchmark: 1e6 packages of 16 engines x 64 lanes
# on 1 and 2 threads (identical results) against the naive per-lane draw
# measured in the same run (bench/bench_yield.c).  Target: <= 5 s on 2 cores.
set -eu
bin=${1:-build/bench_yield}
"$bin"
