#!/bin/sh
# 1 vs 2 MPI ranks give identical stores: the same rows (hash, seq, status,
# every parameter and output, error message) ordered by point hash, for
#   - an eval sweep that loads the scenario per point (no fast path), 400
#     Latin-hypercube points, some infeasible;
#   - the thermal 3 x 3 over the 1-D slab with one point that fails (its
#     message travels from rank 1 to the writer).
# Fails (not skips) when mpirun is missing: scripts/setup.sh installs it.
#   sh tests/sweep/mpi.sh path/to/cposim
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
fail() { echo "not ok - sweep over MPI ranks: $*"; exit 1; }
command -v mpirun >/dev/null 2>&1 || fail "mpirun not found (sh scripts/setup.sh installs OpenMPI)"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-mpi.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cat > "$tmp/eval.yaml" <<YAML
name: mpi-eval
sweep:
  command: eval
  scenario: $root/scenarios/bailly-51t.yaml
  design: lhs
  points: 400
  seed: 11
  fast_path: false
  parameters:
    - {set: ports.cpo.laser.output_power_dbm, from: 12, to: 24}
    - {set: ports.cpo.link.length_m, from: 10, to: 2000, scale: log}
  outputs: [power_w.total, worst_margin_db]
  constraints:
    - {output: worst_margin_db, min: 0}
YAML
sed -e 's/values: \[1000, 2000, 4000\]/values: [1000, 1e-9, 4000]/' \
    -e "s|scenario: thermal-slab.yaml|scenario: $root/tests/sweep/thermal-slab.yaml|" \
    "$root/tests/sweep/thermal-3x3.yaml" > "$tmp/thermal.yaml" ||
    fail "cannot write the thermal spec"
mpi="mpirun --allow-run-as-root --oversubscribe -np 2"
sql='select * from points order by hash'
for spec in "$tmp/eval.yaml" "$tmp/thermal.yaml"; do
    name=$(basename "$spec" .yaml)
    "$bin" --quiet sweep "$spec" -o "$tmp/$name-1.db" --threads 1 ||
        fail "$name: one process failed"
    $mpi "$bin" --quiet sweep "$spec" -o "$tmp/$name-2.db" --threads 1 ||
        fail "$name: two ranks failed"
    sqlite3 "$tmp/$name-1.db" "$sql" > "$tmp/$name-1.txt"
    sqlite3 "$tmp/$name-2.db" "$sql" > "$tmp/$name-2.txt"
    n=$(wc -l < "$tmp/$name-1.txt")
    [ "$n" -gt 0 ] || fail "$name: no rows"
    cmp -s "$tmp/$name-1.txt" "$tmp/$name-2.txt" ||
        fail "$name: 2 ranks stored other rows than 1 process"
    echo "ok - sweep $name: 1 process and 2 MPI ranks store the same $n rows"
done
failed=$(sqlite3 "$tmp/thermal-2.db" "select count(*) from points where status != 'ok'")
[ "$failed" = 3 ] || fail "thermal: $failed failed points stored, not 3"
