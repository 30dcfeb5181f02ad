#!/bin/sh
# A killed sweep resumes with no point lost or repeated:
#   1. run a 4,000-point Latin-hypercube sweep to a.db, uninterrupted;
#   2. run it to b.db on one thread and kill -9 it once some chunks are
#      committed, then run the same command again;
#   3. b.db has exactly the points of a.db (same hashes, no duplicate) with
#      identical outputs, and the second run computed only the missing ones.
#   sh tests/sweep/resume.sh path/to/cposim
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-resume.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
cat > "$tmp/spec.yaml" <<YAML
name: resume-test
sweep:
  command: eval
  scenario: $root/scenarios/bailly-51t.yaml
  design: lhs
  points: 4000
  seed: 7
  fast_path: false
  parameters:
    - {set: ports.cpo.laser.output_power_dbm, from: 14, to: 24}
    - {set: ports.cpo.link.length_m, from: 10, to: 2000, scale: log}
  outputs: [power_w.total, worst_margin_db]
YAML
fail() { echo "not ok - sweep resume: $*"; exit 1; }
q() { sqlite3 "$1" "$2"; }

"$bin" --quiet sweep "$tmp/spec.yaml" -o "$tmp/a.db" || fail "uninterrupted run failed"
n=$(q "$tmp/a.db" "select count(*) from points")
[ "$n" = 4000 ] || fail "uninterrupted run stored $n points, not 4000"

"$bin" --quiet sweep "$tmp/spec.yaml" -o "$tmp/b.db" --threads 1 &
pid=$!
i=0
while :; do
    sleep 0.05
    i=$((i + 1))
    c=$(q "$tmp/b.db" "select count(*) from points" 2>/dev/null || echo 0)
    [ "${c:-0}" -ge 256 ] && break
    [ $i -gt 600 ] && { kill -9 $pid; fail "no chunk committed in 30 s"; }
done
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
partial=$(q "$tmp/b.db" "select count(*) from points")
[ "$partial" -gt 0 ] && [ "$partial" -lt 4000 ] || fail "kill left $partial points (wanted 0 < n < 4000)"

out=$("$bin" sweep "$tmp/spec.yaml" -o "$tmp/b.db" 2>&1 >/dev/null) || fail "resume failed: $out"
echo "$out" | grep -q "$partial already stored, $((4000 - partial)) computed" ||
    fail "resume did not compute exactly the missing points: $out"
n=$(q "$tmp/b.db" "select count(*), count(distinct hash) from points")
[ "$n" = "4000|4000" ] || fail "after resume: $n (count, distinct hashes)"
sql='select hash, seq, "power_w.total", worst_margin_db from points order by hash'
q "$tmp/a.db" "$sql" > "$tmp/a.txt"
q "$tmp/b.db" "$sql" > "$tmp/b.txt"
cmp -s "$tmp/a.txt" "$tmp/b.txt" || fail "resumed results differ from the uninterrupted run"
echo "ok - sweep resume: killed after $partial of 4000 points, resumed $((4000 - partial)), identical to the uninterrupted run"
