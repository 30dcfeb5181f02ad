#!/bin/sh
# Flow-level traffic benchmark (issue 14).  Targets: ring all-reduce over
# 100k GPUs with 10 failed links <= 2 s; all-to-all among 16k GPUs on a
# 3-tier fabric <= 5 s; memory reported; 1 and 2 threads give identical
# output.  The baseline, measured in the same run, is sizing the same fabric
# and building its graph (`cposim fabric --graph`), which every traffic run
# does first.
#
#   sh bench/traffic.sh [build/cposim]
set -eu
bin=${1:-build/cposim}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-bench-traffic.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

# wall seconds and peak resident MB of a command (GNU time)
measure() {
    label=$1
    shift
    /usr/bin/time -f "%e %M" -o "$tmp/time" "$@" >"$tmp/out"
    set -- $(cat "$tmp/time")
    printf '  %-52s %7.2f s %8.1f MB\n' "$label" "$1" "$(echo "$2 / 1024" | bc -l)"
}

echo "cposim traffic benchmark (wall time, peak memory; 1 thread unless said)"
measure "baseline: size 100k fabric + graph" \
    "$bin" fabric bench/traffic-100k-ring.yaml --graph "$tmp/g100k"
measure "ring all-reduce, 100k GPUs, healthy + 10 links down" \
    "$bin" traffic bench/traffic-100k-ring.yaml --threads 1
grep -E '^  (healthy|10 links down) +[0-9p]' "$tmp/out"
measure "baseline: size 16k fabric + graph" \
    "$bin" fabric bench/traffic-16k-a2a.yaml --graph "$tmp/g16k"
measure "all-to-all, 16k GPUs, 3-tier, healthy" \
    "$bin" traffic bench/traffic-16k-a2a.yaml --threads 1
grep -E '^  healthy +[0-9p]' "$tmp/out"
# 1 vs 2 threads: the 100k preset's four cases (healthy, a link, a spine,
# a leaf) and one more from --fail, as JSON
for t in 1 2; do
    measure "16k ring on the 100k CPO fabric, 5 cases, $t thread(s)" \
        "$bin" traffic cluster-100k-cpo --fail link:2:7 --json --threads "$t"
    cp "$tmp/out" "$tmp/t$t.json"
done
if cmp -s "$tmp/t1.json" "$tmp/t2.json"; then
    echo "  1 and 2 threads: identical output"
else
    echo "  1 and 2 threads: OUTPUT DIFFERS" >&2
    exit 1
fi
