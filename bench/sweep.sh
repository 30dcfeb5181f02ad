#!/bin/sh
# Sweep benchmark: points per second of `cposim sweep` into its SQLite store.
#   1. baseline, same run: 2,000 points with a YAML load per point
#      (fast_path: false);
#   2. 1,000,000 points of the switch model chain (Latin hypercube over
#      laser power, fibre length and lanes per laser) into a fresh store.
#   3. a 256-point thermal sweep of the 51.2T cold-plate package at 128 x 128
#      (cold-plate h x coolant temperature, Latin hypercube; each point a
#      coupled steady state) on 1 process, then on 2 MPI ranks (one thread
#      each, so the ranks are the only parallelism): the speed-up.
# Targets (issue 11): 1,000,000 points <= 10 s on this 2-core machine;
# the thermal sweep >= 1.8x faster on 2 ranks than on 1.
#   sh bench/sweep.sh path/to/cposim [thermal]   (thermal: part 3 only)
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
if [ "${2:-all}" != thermal ]; then
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

fi

# ------------------------------------------------ thermal over MPI ranks
if ! command -v mpirun >/dev/null 2>&1; then
    echo "bench_sweep: mpirun not found: the thermal sweep over ranks is not measured"
    exit 0
fi
cat > "$tmp/thermal.yaml" <<YAML
name: bench-thermal
sweep:
  command: thermal
  scenario: $root/scenarios/thermal-bailly-51t-coldplate.yaml
  design: lhs
  points: 256
  seed: 5
  parameters:
    - {set: thermal.cooling.top.h_w_per_m2k, from: 5000, to: 40000, scale: log}
    - {set: thermal.cooling.top.ambient_c, from: 25, to: 45}
  outputs: [max_c, worst_margin_k, blocks.0.max_c]
YAML
t3=$(date +%s.%N)
OMP_NUM_THREADS=1 "$bin" --quiet sweep "$tmp/thermal.yaml" -o "$tmp/th1.db" --threads 1
t4=$(date +%s.%N)
OMP_NUM_THREADS=1 mpirun --allow-run-as-root --oversubscribe -np 2 -x OMP_NUM_THREADS \
    "$bin" --quiet sweep "$tmp/thermal.yaml" -o "$tmp/th2.db" --threads 1
t5=$(date +%s.%N)
for db in th1 th2; do
    bad=$(sqlite3 "$tmp/$db.db" "select count(*) from points where status != 'ok'")
    [ "$bad" = 0 ] || { echo "bench_sweep: $bad thermal points failed in $db"; exit 1; }
done
sql='select * from points order by hash'
same=$([ "$(sqlite3 "$tmp/th1.db" "$sql" | md5sum)" = "$(sqlite3 "$tmp/th2.db" "$sql" | md5sum)" ] &&
    echo identical || echo DIFFERENT)
awk -v a="$t3" -v b="$t4" -v c="$t5" -v same="$same" 'BEGIN {
    printf "bench_sweep: thermal 256 points at 128x128, 1 process : %6.1f s (%.2f s/point)\n", b - a, (b - a) / 256;
    printf "bench_sweep: thermal 256 points at 128x128, 2 ranks   : %6.1f s (stores %s)\n", c - b, same;
    s = (b - a) / (c - b);
    printf "bench_sweep: speed-up %.2fx; target >= 1.8x: %s\n", s, (s >= 1.8) ? "met" : "NOT met";
}'
