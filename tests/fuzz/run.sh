#!/bin/sh
# Bounded libFuzzer runs of every input surface under ASan + UBSan + LSan.
#
#   sh tests/fuzz/run.sh SECONDS [HARNESS...]
#
# Harnesses (tests/fuzz/fuzz_NAME.c): scenario (a whole file, alone),
# include (any scenario kind, includes resolved against the presets),
# set (--set lines on presets), sections (fabric, reliability, economics
# through a small simulation and TCO, traffic through a small run), trace (power-trace CSV through a
# transient), jobtrace (job-trace CSV into a workload's job sizes), yield
# (manufacturing sections and the requirements file), catalog
# (catalog files and sources.yaml), cli (argument vectors through the
# driver's main, in-process).  Default: all of them,
# SECONDS each.
#
# The library is compiled once into build-fuzz/obj (again when a source or
# header is newer); each harness gets a fresh working corpus in
# build-fuzz/corpus-NAME from its seeds (bundled scenarios, golden cases,
# data files, traces, crash reproducers of tests/fuzz/crashes/) and the
# dictionary tests/fuzz/cposim.dict.  Any crash, leak, timeout, oracle abort
# or sanitizer report makes libFuzzer exit non-zero, and this script with
# it; the reproducer is left in build-fuzz/ (crash-*, leak-*, timeout-*,
# oom-*).  The last lines of each log give execs and coverage (cov, ft).
set -eu

if [ $# -lt 1 ]; then
    echo "usage: sh tests/fuzz/run.sh SECONDS [HARNESS...]" >&2
    exit 2
fi
secs=$1
shift
case $secs in
'' | *[!0-9]*)
    echo "tests/fuzz/run.sh: SECONDS must be a whole number, got '$secs'" >&2
    exit 2
    ;;
esac
all="scenario include set sections trace jobtrace yield catalog cli"
harnesses=${*:-$all}

cd "$(dirname "$0")/../.."
root=$(pwd)
out=build-fuzz
mkdir -p "$out/obj"
# reproducers of an earlier run would be mistaken for this run's
rm -f "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* \
    "$out"/slow-unit-*

# shellcheck disable=SC2046 # pkg-config output is a list of flags
cflags="-g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -std=c17 -Iinclude -Isrc -Isrc/cli $(pkg-config --cflags libfyaml gsl mpi-c plplot sqlite3)
    -isystem /usr/include/hypre -isystem /usr/include/suitesparse -D_DEFAULT_SOURCE
    -DCPOSIM_DATADIR=\"$root/data\" -fopenmp"
libs="$(pkg-config --libs libfyaml gsl mpi-c plplot sqlite3) -lHYPRE -lcholmod -lm -fopenmp"

# ---------------------------------------------------------------- build
newest_header=$(ls -t include/*.h include/cposim/*.h src/*.h src/cli/*.h | head -n 1)
objs=
for src in src/*.c src/cli/*.c; do
    obj=$out/obj/$(printf '%s' "${src%.c}" | tr '/' '_').o
    extra=
    [ "$src" = src/cli/main.c ] && extra=-Dmain=cposim_cli_main
    if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ] || [ "$newest_header" -nt "$obj" ]; then
        # shellcheck disable=SC2086 # $cflags is a list of flags
        clang $cflags $extra -c "$src" -o "$obj"
    fi
    case $src in
    src/cli/*) cliobjs="${cliobjs:-} $obj" ;;
    *) objs="$objs $obj" ;;
    esac
done
for h in $harnesses; do
    [ -f "tests/fuzz/fuzz_$h.c" ] || {
        echo "tests/fuzz/run.sh: no harness '$h' (have: $all)" >&2
        exit 2
    }
    extra=
    [ "$h" = cli ] && extra=$cliobjs
    # shellcheck disable=SC2086
    clang $cflags -fsanitize=fuzzer "tests/fuzz/fuzz_$h.c" $extra $objs $libs \
        -o "$out/fuzz_$h"
done

# ---------------------------------------------------------------- seeds
seed() { # seed DIR FILE...: copies each file under a flat unique name
    d=$1
    shift
    for f in "$@"; do
        [ -f "$f" ] || continue
        cp "$f" "$d/$(printf '%s' "${f#./}" | tr '/' '_')"
    done
}

corpus() { # corpus NAME: a fresh corpus for harness NAME
    c=$out/corpus-$1
    rm -rf "$c"
    mkdir -p "$c"
    case $1 in
    scenario | include | sections)
        seed "$c" scenarios/*.yaml tests/fuzz/crashes/*
        for f in tests/golden/cases/*.yaml tests/golden/cases/inc/*.yaml; do
            # golden cases include ../../../scenarios/X: the presets sit
            # next to the input in the include and sections harnesses
            sed 's|\.\./\.\./\.\./scenarios/||g' "$f" \
                >"$c/$(printf '%s' "$f" | tr '/' '_')"
        done
        printf '' >"$c/tiny-empty.yaml"
        printf 'include: bailly-51t.yaml\nports:\n  - {name: cpo, count: 32}\n' \
            >"$c/tiny-include.yaml"
        printf 'include: [base-cluster.yaml, base-reliability.yaml]\nfabric: {gpus: 64}\n' \
            >"$c/tiny-cluster.yaml"
        printf 'include: cluster-8k-leaf-spine.yaml\nfabric: {gpus: 256}\ntraffic:\n  job: {collective: all-to-all, message_mb: 8}\n  cases: [{name: s, switches: [{tier: spine, index: 1}]}]\n' \
            >"$c/tiny-traffic.yaml"
        ;;
    set)
        printf 'bailly\nports.cpo.count=32\nsystem.rack_units=1\n' >"$c/s1"
        printf 'thermal\nthermal.grid.nx=64\nthermal.cooling.top.h_w_per_m2k=1e3\n' >"$c/s2"
        printf 'cluster\nfabric.gpus=512\nfabric.planes=2\nreliability.rates.engine=fr-cpo-engine\n' \
            >"$c/s3"
        printf 'x\nports.0.engine.lanes=16\nports.0.engine.lanes.source=ed-bailly\n' >"$c/s4"
        printf 'y\neconomics.pue=1.2\nreliability.job.gpus=100\n' >"$c/s5"
        for f in tests/golden/cases/*.args; do
            tr ' ' '\n' <"$f" | grep -v '^--' | sed '1s/^/p\n/' \
                >"$c/$(printf '%s' "$f" | tr '/' '_')" || true
        done
        ;;
    yield)
        # the first byte picks the surface (fuzz_yield.c): even a scenario, odd requirements
        for f in scenarios/yield-*.yaml scenarios/bailly-51t.yaml tests/golden/cases/41[0-4]-*.yaml; do
            [ -f "$f" ] && { printf '\000'; cat "$f"; } >"$c/s-$(printf '%s' "$f" | tr '/' '_')"
        done
        { printf '\001'; cat data/requirements.yaml; } >"$c/req"
        ;;
    jobtrace)
        seed "$c" tests/golden/cases/traces/*.csv scenarios/traces/jobs-*.csv
        printf 'gpus,duration_h,checkpoint_cost_min\n8,10,1\n8,30\n64,5,2\n1024,2,6\n' >"$c/j1.csv"
        printf '\357\273\277gpus,duration_h\r\n# note\r\n1,1\r\n3,0.5\r\n' >"$c/j2.csv"
        ;;
    trace)
        seed "$c" scenarios/traces/*.csv tests/golden/cases/inc/*.csv
        printf 'time_s,block,power_w\n0,core,100\n0.5,oe-w1,20\n1.0,core,50\n' >"$c/t1.csv"
        printf '\357\273\277time_s,block,power_w\r\n\r\n0.25,laser,3\r\n# note\r\n' >"$c/t2.csv"
        printf '1,serdes-s,10\n0.5,serdes-s,5\n0.5,core,1\n' >"$c/t3.csv"
        ;;
    catalog)
        i=0
        for f in data/sources.yaml data/catalog/*.yaml; do
            # the first byte picks the file a seed replaces (fuzz_catalog.c)
            { printf "\\$(printf '%03o' "$i")"; cat "$f"; } >"$c/seed-$i"
            i=$((i + 1))
        done
        printf 'Zmodule:\n  - {name: x, type: DR4, rate_gbps: {value: 400, assumption: "a fuzz seed"}}\n' \
            >"$c/seed-new"
        ;;
    cli)
        printf 'eval\nbailly-51t\n--json\n' >"$c/c1"
        printf 'compare\npluggable-800g-51t\nbailly-51t\n--csv\n' >"$c/c2"
        printf 'thermal\nthermal-bailly-51t-air\n--json\n' >"$c/c3"
        printf 'fabric\ncluster-8k-leaf-spine\n--graph\ng.txt\n' >"$c/c4"
        printf 'reliability\ncluster-16k-h100-cpo\n--seed\n3\n' >"$c/c5"
        printf 'tco\ncluster-16k-h100-pluggable\n--vs\ncluster-16k-h100-cpo\n' >"$c/c6"
        printf 'catalog\nshow\ntomahawk5\n' >"$c/c7"
        printf 'eval\nbailly-51t\n--set\nports.cpo.count=2.5\n-o\nx.txt\n' >"$c/c8"
        printf 'help\nthermal\n' >"$c/c9"
        ;;
    esac
}

# ------------------------------------------------------------------ run
failed=0
passed=0
for h in $harnesses; do
    corpus "$h"
    log=$out/fuzz-$h.log
    opts=
    case $h in
    cli) opts="-close_fd_mask=3 -timeout=60" ;;
    sections | trace) opts="-timeout=30" ;;
    *) opts="-timeout=10" ;;
    esac
    status=0
    # shellcheck disable=SC2086 # $opts is a list of options
    CPOSIM_DATA=$root/data ASAN_OPTIONS=detect_leaks=1 \
        LSAN_OPTIONS=suppressions=$root/tests/lsan.supp:print_suppressions=0 \
        OMPI_MCA_mca_base_component_disable_dlclose=1 \
        "$out/fuzz_$h" -max_total_time="$secs" -rss_limit_mb=2048 $opts \
        -max_len=8192 -seed="${FUZZ_SEED:-1}" -artifact_prefix="$root/$out/" \
        -dict="$root/tests/fuzz/cposim.dict" "$root/$out/corpus-$h" >"$log" 2>&1 ||
        status=$?
    runs=$(sed -n 's/^Done \([0-9][0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
    if [ "$status" -ne 0 ] || [ -z "$runs" ]; then
        tail -n 60 "$log" >&2
        echo "fuzz $h: FAILED (status $status); log $log" >&2
        for a in "$out"/crash-* "$out"/leak-* "$out"/timeout-* "$out"/oom-* \
            "$out"/slow-unit-*; do
            if [ -e "$a" ]; then echo "fuzz $h: reproducer $a" >&2; fi
        done
        failed=$((failed + 1))
        continue
    fi
    echo "fuzz $h: $runs runs in ${secs} s, $cov, 0 crashes"
    passed=$((passed + 1))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
