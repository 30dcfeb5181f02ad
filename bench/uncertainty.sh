#!/bin/sh
# Uncertainty benchmark: `cposim tco cluster-100k-pluggable --vs
# cluster-100k-cpo --uncertainty 1000` (Latin hypercube over every figure of
# the two options with a range in the data, the TCO model per sample for both
# options and each of the workloads they define).
#   1. baseline, same run: the point answer alone (the same command without
#      --uncertainty: the TCOs, break-even, tornado, 200 simulated replicas);
#   2. with --uncertainty 1000, on 1 and on 2 threads (same figures).
# Target (issue 10): 1000 samples <= 60 s on this 2-core machine.
#   sh bench/uncertainty.sh path/to/cposim
set -eu
bin=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-bench-unc.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
run() { # out-file args...
    out=$1
    shift
    "$bin" --quiet tco cluster-100k-pluggable --vs cluster-100k-cpo "$@" > "$out"
}
t0=$(date +%s.%N)
run "$tmp/point.txt"
t1=$(date +%s.%N)
run "$tmp/u1.txt" --uncertainty 1000 --threads 1
t2=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$tmp/mem" "$bin" --quiet tco cluster-100k-pluggable \
    --vs cluster-100k-cpo --uncertainty 1000 --threads 2 > "$tmp/u2.txt"
t3=$(date +%s.%N)
same=$(cmp -s "$tmp/u1.txt" "$tmp/u2.txt" && echo identical || echo DIFFERENT)
p=$(sed -n 's/^  P(\([^)]*\) wins)  \([0-9.]*\).*/P(\1 wins) = \2/p' "$tmp/u2.txt" | head -1)
q=$(grep -m1 'B - A (\$M):' "$tmp/u2.txt" | sed 's/^  //')
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v mem="$(cat "$tmp/mem")" \
    -v same="$same" -v p="$p" -v q="$q" 'BEGIN {
    printf "bench_uncertainty: baseline, point answer only     : %6.2f s\n", b - a;
    printf "bench_uncertainty: --uncertainty 1000, 1 thread    : %6.2f s (%.2f s over the baseline)\n", c - b, (c - b) - (b - a);
    printf "bench_uncertainty: --uncertainty 1000, 2 threads   : %6.2f s (%.0f MB peak); reports %s\n", d - c, mem / 1024, same;
    printf "bench_uncertainty: %s; %s\n", p, q;
    printf "bench_uncertainty: target 1000 samples <= 60 s: %s\n", (d - c) <= 60 ? "met" : "NOT met";
}'
sed -n '/^By workload (B =/,/^$/p' "$tmp/u2.txt" | sed 's/^/bench_uncertainty: /'
