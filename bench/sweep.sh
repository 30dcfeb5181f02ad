#!/bin/sh
# Sweep benchmark: points per second of `cposim sweep` into its SQLite store.
#   1. baseline, same run: 2,000 points with a YAML load per point
#      (fast_path: false);
#   2. 1,000,000 points of the switch model chain (Latin hypercube over
#      laser power, fibre length and lanes per laser) into a fresh store.
# Target (issue 11): 1,000,000 points <= 10 s on this 2-core machine.
#   sh bench/sweep.sh path/to/cposim
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-bench-sweep.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
spec() { # name points extra-parameter
    cat > "$tmp/$1.yaml" <<YAML
name: bench-$1
sweep:
  command: eval
  scenario: $root/scenarios/bailly-51t.yaml
  design: lhs
  points: $2
  seed: 3
$3
  parameters:
    - {set: ports.cpo.laser.output_power_dbm, from: 14, to: 24}
    - {set: ports.cpo.link.length_m, from: 10, to: 2000, scale: log}
    - {set: ports.cpo.engine.lanes_per_laser, values: [2, 4, 8]}
  outputs: [power_w.total, pj_per_bit.system, worst_margin_db]
  constraints:
    - {output: worst_margin_db, min: 0}
YAML
}
spec slow 2000 "  fast_path: false"
spec fast 1000000 ""
t0=$(date +%s.%N)
"$bin" --quiet sweep "$tmp/slow.yaml" -o "$tmp/slow.db"
t1=$(date +%s.%N)
/usr/bin/time -f "%M" -o "$tmp/mem" "$bin" --quiet sweep "$tmp/fast.yaml" -o "$tmp/fast.db"
t2=$(date +%s.%N)
n=$(sqlite3 "$tmp/fast.db" "select count(*) from points")
awk -v a="$t0" -v b="$t1" -v c="$t2" -v n="$n" -v mem="$(cat "$tmp/mem")" -v sz="$(stat -c %s "$tmp/fast.db")" 'BEGIN {
    slow = 2000 / (b - a); fast = n / (c - b);
    printf "bench_sweep: baseline (YAML load per point): %10.0f points/s (2000 points, %.2f s)\n", slow, b - a;
    printf "bench_sweep: in-memory chain into SQLite    : %10.0f points/s (%d points, %.2f s, %.0f MB peak, store %.0f MB)\n", fast, n, c - b, mem / 1024, sz / 1048576;
    printf "bench_sweep: speed-up %.0fx; target 1,000,000 points <= 10 s: %s\n", fast / slow, (c - b) <= 10 ? "met" : "NOT met";
}'
