#!/bin/sh
# Thermal solver benchmark: the 7-layer CPO preset stack at 64^2..512^2 per
# layer, HYPRE PFMG-PCG against CHOLMOD (the baseline, where it fits in
# memory), one process per point so each peak RSS is its own.
# Targets (2 cores): 256^2 steady <= 1 s and <= 300 MB; 512^2 x >= 6 layers
# <= 5 s; a transient step <= 0.2 s at 256^2.
set -eu
bin=${1:-build/bench_thermal}
for n in 64 128 256 512; do
    "$bin" "$n" pfmg 5
done
for n in 64 128 256; do
    "$bin" "$n" cholmod 5
done
