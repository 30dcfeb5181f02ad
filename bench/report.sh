#!/bin/sh
# Report benchmark: `cposim report` of a 10,164-point sweep results store
# (a 22 x 22 x 21 grid of the switch model chain: ELS laser power x fibre
# length x splitter excess loss), against a baseline measured in the same run on
# the same store: `cposim sweep show DB --json` (reads and summarises the
# store, writes every point as JSON).
# Target (issue 11): <= 2 s and <= 5 MB of HTML.
#   sh bench/report.sh path/to/cposim
set -eu
bin=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-bench-report.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cat > "$tmp/grid.yaml" <<YAML
name: bench-report-10k
sweep:
  command: eval
  scenario: $root/scenarios/bailly-51t.yaml
  design: grid
  parameters:
    - {set: ports.cpo.laser.output_power_dbm, from: 14, to: 24, steps: 22}
    - {set: ports.cpo.link.length_m, from: 10, to: 2000, steps: 22, scale: log}
    - {set: ports.cpo.engine.splitter_excess_db, from: 0.2, to: 2.2, steps: 21}
  outputs: [power_w.total, pj_per_bit.system, power_w.lasers, worst_margin_db]
  constraints:
    - {output: worst_margin_db, min: 0}
  objectives:
    - {output: power_w.total, goal: min}
    - {output: worst_margin_db, goal: max}
YAML
"$bin" --quiet sweep "$tmp/grid.yaml" -o "$tmp/grid.db"
n=$(sqlite3 "$tmp/grid.db" "select count(*) from points")
t0=$(date +%s.%N)
"$bin" sweep show "$tmp/grid.db" --json > "$tmp/show.json"
t1=$(date +%s.%N)
"$bin" report "$tmp/grid.db" -o "$tmp/report.html"
t2=$(date +%s.%N)
bytes=$(wc -c < "$tmp/report.html")
figs=$(grep -c '<figure class="cp-fig"' "$tmp/report.html")
awk -v n="$n" -v b0="$t0" -v b1="$t1" -v r="$t2" -v bytes="$bytes" -v figs="$figs" 'BEGIN {
    base = b1 - b0; rep = r - b1; mb = bytes / 1e6
    printf "report of a %d-point sweep: %.2f s, %.2f MB of HTML (%d figures); ", n, rep, mb, figs
    printf "baseline `sweep show --json` on the same store: %.2f s\n", base
    printf "target <= 2 s and <= 5 MB: %s\n", rep <= 2 && mb <= 5 ? "met" : "MISSED"
    exit !(rep <= 2 && mb <= 5)
}'
