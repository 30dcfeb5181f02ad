#!/bin/sh
# Bounded libFuzzer run of the scenario loader under ASan + UBSan + LSan.
#
#   sh tests/fuzz/run.sh SECONDS
#
# Builds build-fuzz/fuzz_scenario, makes a fresh working corpus in
# build-fuzz/corpus from the seeds (bundled scenarios, golden cases, a few
# tiny inputs) and fuzzes for SECONDS.  Any crash, leak, timeout or sanitizer
# report makes libFuzzer exit non-zero, and this script with it; the
# reproducer is left in build-fuzz/ (crash-*, leak-*, timeout-*, oom-*).
set -eu

if [ $# -ne 1 ]; then
    echo "usage: sh tests/fuzz/run.sh SECONDS" >&2
    exit 2
fi
secs=$1
case $secs in
'' | *[!0-9]*)
    echo "tests/fuzz/run.sh: SECONDS must be a whole number, got '$secs'" >&2
    exit 2
    ;;
esac

cd "$(dirname "$0")/../.."
out=build-fuzz
mkdir -p "$out"
# reproducers of an earlier run would be mistaken for this run's
rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* \
    "$out"/slow-unit-*

# shellcheck disable=SC2046 # pkg-config output is a list of flags
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -std=c17 -Iinclude -Isrc $(pkg-config --cflags libfyaml gsl mpi-c plplot) \
    -isystem /usr/include/hypre -isystem /usr/include/suitesparse \
    -D_DEFAULT_SOURCE tests/fuzz/fuzz_scenario.c src/*.c \
    $(pkg-config --libs libfyaml gsl mpi-c plplot) -lHYPRE -lcholmod -lm \
    -o "$out/fuzz_scenario"

# A fresh working corpus: the seeds only, never what an earlier run grew.
rm -rf "$out/corpus"
mkdir -p "$out/corpus"
for f in scenarios/*.yaml tests/golden/cases/*.yaml tests/golden/cases/inc/*.yaml \
    tests/fuzz/crashes/*; do
    [ -f "$f" ] || continue
    n=${f#./}
    cp "$f" "$out/corpus/$(printf '%s' "$n" | tr '/' '_')"
done
printf '' >"$out/corpus/tiny-empty.yaml"
printf '{}\n' >"$out/corpus/tiny-empty-map.yaml"
printf 'ports: []\n' >"$out/corpus/tiny-ports-empty.yaml"
printf 'include: x.yaml\n' >"$out/corpus/tiny-include.yaml"
printf 'ports:\n  - {name: a, media: cpo, count: 1, speed_gbps: 800}\n' \
    >"$out/corpus/tiny-group.yaml"
printf 'system: {rack_units: {value: 2, source: x}}\nports: [1]\n' \
    >"$out/corpus/tiny-param.yaml"
printf 'asic: {ref: tomahawk5, core_power_w: 1e308}\n' >"$out/corpus/tiny-ref.yaml"

log=$out/fuzz.log
status=0
CPOSIM_DATA=$(pwd)/data ASAN_OPTIONS=detect_leaks=1 \
    LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0 \
    "$out/fuzz_scenario" -max_total_time="$secs" -rss_limit_mb=2048 \
    -timeout=10 -max_len=4096 -seed="${FUZZ_SEED:-1}" -artifact_prefix="$out/" \
    "$out/corpus" \
    >"$log" 2>&1 || status=$?

runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
if [ "$status" -ne 0 ] || [ -z "$runs" ]; then
    tail -n 80 "$log" >&2
    echo "fuzz: FAILED (status $status); reproducer and log in $out/" >&2
    for a in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* \
        "$out"/slow-unit-*; do
        if [ -e "$a" ]; then echo "fuzz: reproducer $a" >&2; fi
    done
    echo "0 passed, 1 failed"
    exit 1
fi
tail -n 5 "$log"
echo "fuzz: $runs runs, 0 crashes"
echo "1 passed, 0 failed"
