#!/bin/sh
# Thermal presets against the targets (2 cores): the 1 kW/cm2
# hot-spot package (thermal-th5-51t-hotspots) converged within 1 K in
# <= 2 s, and a 102.4T package with 16 engines and microchannels
# (thermal-davisson-102t-microchannel) <= 5 s steady.  Each preset runs at
# its default grid (or the settings given) and at a finer one (nx = ny =
# 128, the baseline of accuracy, timed in the same run); "from the fine
# grid" compares the hottest block's junction maximum.
set -eu
bin=${1:-build/bench_thermal_preset}
run() { # preset target_s [sets...]
    p=$1; target=$2; shift 2
    fine=$("$bin" "scenarios/$p.yaml" thermal.grid.nx=128 thermal.grid.ny=128)
    dflt=$("$bin" "scenarios/$p.yaml" "$@")
    echo "baseline $fine"
    echo "run      $dflt${*:+  [$*]}"
    echo "$fine
$dflt" | awk -v target="$target" '
        { for (i = 1; i <= NF; i++) { if ($i == "s") s[NR] = $(i - 1);
                                      if ($i == "C") c[NR] = $(i - 1) } }
        END { d = c[2] - c[1]; if (d < 0) d = -d;
              printf "  -> %.2f s (target %s s: %s), %.3f K from the fine grid (target 1 K: %s), %.1fx faster than it\n",
                     s[2], target, s[2] <= target ? "met" : "MISSED", d,
                     d <= 1 ? "met" : "MISSED", s[1] / s[2] }'
}
run thermal-th5-51t-hotspots 2
# the same with cells of 0.125 mm at the spots' edges (4 across a spot
# instead of 8): fewer lines and thicker die cells for the multigrid
run thermal-th5-51t-hotspots 2 thermal.grid.min_cell_mm=0.125
run thermal-davisson-102t-microchannel 5
