#!/bin/sh
# Wall time of `cposim eval` as a whole process (target < 20 ms), against
# the bare process start-up (`cposim --version`) measured in the same run.
set -eu
bin=${1:-build/cposim}
runs=${RUNS:-50}
ms() { # command... -> mean milliseconds over $runs runs
    s=$(date +%s%N)
    i=0
    while [ $i -lt "$runs" ]; do "$@" >/dev/null; i=$((i + 1)); done
    e=$(date +%s%N)
    echo $(( (e - s) / runs / 1000 ))
}
base=$(ms "$bin" --version)
eval_us=$(ms "$bin" eval scenarios/bailly-51t.yaml)
cmp_us=$(ms "$bin" compare pluggable-800g-51t bailly-51t)
printf 'eval_process: %d runs each\n' "$runs"
printf '  cposim --version (start-up baseline) : %6d us\n' "$base"
printf '  cposim eval bailly-51t               : %6d us  (target < 20000 us: %s)\n' \
    "$eval_us" "$([ "$eval_us" -lt 20000 ] && echo met || echo MISSED)"
printf '  cposim compare pluggable vs bailly   : %6d us\n' "$cmp_us"
