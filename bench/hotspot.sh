#!/bin/sh
# cposim against HotSpot (issue 12): the same package, timed on the same
# machine in the same run, both scored against the exact solution.
#
# The case (bench/hotspot-60mm.yaml): a 60 mm die in 3 x 3 tiles of 5 to
# 80 W (220 W), 0.15 mm silicon, 20 um TIM, 1 mm copper spreader, 6.9 mm
# copper sink, 0.1 K/W to 45 C on top: HotSpot's default stack, every layer
# as large as the die, so that a double cosine series solves it exactly
# (bench/hotspot_case.c).  Accuracy: the worst error of a tile's mean and of
# a tile's max on the junction face.  Time: the whole process, best of 3
# below a second.
#
# HotSpot (github.com/uvahotspot/HotSpot, pinned below) is built from source
# with Debian's SuperLU (libsuperlu-dev, pulled in by libhypre-dev), its
# fast steady solver; HOTSPOT=path/to/hotspot uses a binary already built,
# HOTSPOT_SRC=dir a source tree already there; otherwise it is cloned into
# build/hotspot-src.  HOTSPOT_GRIDS (default "32 64 128 256") are its grid
# sizes (256: ~70 s and 2 GB here).
#
#   sh bench/hotspot.sh [build/cposim] [build/hotspot_case]
set -eu
cposim=${1:-build/cposim}
case_bin=${2:-build/hotspot_case}
scenario=bench/hotspot-60mm.yaml
export CPOSIM_DATA=${CPOSIM_DATA:-$PWD/data}
commit=f18831e48cef5d62580585cca0d7fab6c71bc3cc
grids=${HOTSPOT_GRIDS:-32 64 128 256}

if [ -z "${HOTSPOT:-}" ]; then
    src=${HOTSPOT_SRC:-build/hotspot-src}
    if [ ! -f "$src/hotspot.c" ]; then
        if ! git clone -q https://github.com/uvahotspot/HotSpot "$src" 2>/dev/null; then
            echo "hotspot.sh: HotSpot could not be cloned (no network?): set HOTSPOT or" \
                 "HOTSPOT_SRC; comparison skipped" >&2
            exit 0
        fi
        git -C "$src" checkout -q "$commit"
    fi
    [ -x "$src/hotspot" ] || make -s -C "$src" SUPERLU=1 >/dev/null
    HOTSPOT=$src/hotspot
    echo "HotSpot $(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '(source tree)'), SuperLU build"
fi
case $HOTSPOT in /*) ;; *) HOTSPOT=$PWD/$HOTSPOT ;; esac
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
"$case_bin" write "$scenario" "$work" 2>"$work/ref.log" || { cat "$work/ref.log" >&2; exit 1; }
cat "$work/ref.log"

# best wall time (s) of a command: 3 runs when one takes under a second
timeit() {
    best=
    for i in 1 2 3; do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
        t=$(( $(date +%s%N) - t0 ))
        [ -z "$best" ] || [ "$t" -lt "$best" ] && best=$t
        [ "$t" -gt 1000000000 ] && break
    done
    echo "$best" | awk '{ printf "%.3f", $1 / 1e9 }'
}

# HotSpot reads the LCF's floorplan names from the working directory
hotspot_run() { # grid
    cd "$work" && "$HOTSPOT" -f case.flp -p case.ptrace -grid_layer_file case.lcf \
        -model_type grid $(cat case.args) -grid_rows "$1" -grid_cols "$1" \
        -steady_file hs.steady -grid_steady_file hs.grid
}

printf '%-28s %9s %10s %10s\n' "run" "time s" "mean err K" "max err K"
: > "$work/runs"
for n in $grids; do
    t=$(timeit hotspot_run "$n")
    e=$("$case_bin" grid "$scenario" "$work" "$work/hs.grid" "$n" |
        "$case_bin" error "$scenario" "$work" -)
    echo "hotspot $n $t $e" >> "$work/runs"
    printf '%-28s %9s %10s %10s\n' "HotSpot grid ${n}x$n" "$t" $e
done
for n in default 32 64; do
    sets=
    [ "$n" = default ] || sets="--set thermal.grid.nx=$n --set thermal.grid.ny=$n"
    t=$(timeit "$cposim" thermal "$scenario" $sets --json -o "$work/cp.json")
    e=$(jq -r '.blocks[] | "\(.name) \(.mean_c) \(.max_c)"' "$work/cp.json" |
        "$case_bin" error "$scenario" "$work" -)
    cells=$(jq -r '"\(.grid_nx)x\(.grid_ny)x\(.grid_nz)"' "$work/cp.json")
    echo "cposim $n $t $e" >> "$work/runs"
    printf '%-28s %9s %10s %10s\n' "cposim nx $n ($cells)" "$t" $e
done
# For each cposim run: the HotSpot runs it is at least as accurate as (on
# both errors), and how much faster it is than each (target: 50x).
awk '
    $1 == "hotspot" { n++; g[n] = $2; t[n] = $3; em[n] = $4; ex[n] = $5 }
    $1 == "cposim" {
        line = ""; best = 0
        for (i = 1; i <= n; i++)
            if ($4 <= em[i] && $5 <= ex[i]) {
                line = line sprintf(" %sx%s %.0fx,", g[i], g[i], t[i] / $3)
                if (g[i] == 64) best = t[i] / $3
            }
        if (line == "") line = " none,"
        printf "cposim nx %s vs HotSpot runs no more accurate:%s", $2,
               substr(line, 1, length(line) - 1)
        if (best > 0)
            printf "  (HotSpot default 64x64: %.0fx, target 50x: %s)", best,
                   (best >= 50 ? "met" : "MISSED")
        printf "\n"
    }' "$work/runs"
