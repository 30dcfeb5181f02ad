#!/bin/sh
# Golden tests of cposim's error reporting, plus a few positive checks.
#
#   sh tests/golden/run.sh path/to/cposim
#
# Every tests/golden/cases/NN-name.yaml is a bad scenario.  It is evaluated
# from the repository root as `cposim eval tests/golden/cases/NN-name.yaml`
# (or the subcommand in NN-name.cmd, e.g. thermal)
# (plus the extra arguments in NN-name.args, if that file exists), with
# CPOSIM_DATA unset.  The case passes when cposim exits with status 2 (or the
# status in NN-name.status: 1 for a solver or result failure), prints nothing
# on stdout, and its stderr is exactly one line (`file:line:col: message`)
# equal to NN-name.expected byte for byte.
# Files under cases/inc/ are helpers that cases include; they are not cases.
#
# GOLDEN_UPDATE=1 rewrites the .expected files from the current binary
# (read every changed one before keeping it).

if [ $# -ne 1 ]; then
    echo "usage: sh tests/golden/run.sh path/to/cposim" >&2
    exit 2
fi

bin=$1
case $bin in
/*) ;;
*) bin=$(pwd)/$bin ;;
esac
if [ ! -x "$bin" ]; then
    echo "tests/golden/run.sh: '$1' is not an executable" >&2
    exit 2
fi

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
cd "$root" || exit 2
unset CPOSIM_DATA

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

n=0
passed=0
failed=0

ok() {
    n=$((n + 1))
    passed=$((passed + 1))
    echo "ok $n - $1"
}

not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    shift
    for line in "$@"; do
        echo "#   $line"
    done
}

# ------------------------------------------------------------- bad inputs
for yaml in tests/golden/cases/*.yaml; do
    [ -f "$yaml" ] || continue
    base=${yaml%.yaml}
    name=${base##*/}
    args=
    cmd=eval
    [ -f "$base.args" ] && args=$(cat "$base.args")
    [ -f "$base.cmd" ] && cmd=$(cat "$base.cmd") # e.g. thermal
    set -f # the .args words are split on blanks, never globbed
    # shellcheck disable=SC2086 # word splitting of $args is intended
    "$bin" $cmd "$yaml" $args >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set +f
    if [ "${GOLDEN_UPDATE:-0}" = 1 ]; then
        cp "$tmp/err" "$base.expected"
    fi
    if [ ! -f "$base.expected" ]; then
        not_ok "$name" "missing $base.expected"
        continue
    fi
    why=
    want=2
    [ -f "$base.status" ] && want=$(cat "$base.status")
    [ "$rc" -eq "$want" ] || why="exit status $rc, expected $want"
    if [ -s "$tmp/out" ]; then
        why="${why:+$why; }stdout is not empty"
    fi
    lines=$(wc -l <"$tmp/err" | tr -d ' ')
    if [ "$lines" -ne 1 ]; then
        why="${why:+$why; }stderr has $lines lines, expected exactly 1"
    fi
    if ! cmp -s "$tmp/err" "$base.expected"; then
        why="${why:+$why; }stderr differs from $base.expected"
    fi
    if [ -z "$why" ]; then
        ok "$name"
    else
        not_ok "$name" "$why" "expected: $(cat "$base.expected")" \
            "got:      $(cat "$tmp/err")"
    fi
done

# ------------------------------------------------------- first mistakes
# Every tests/golden/mistakes/NN-name.cmd is a mistake a new user makes: a
# "# what they did" line, then the arguments of cposim (run from the
# repository root, CPOSIM_DATA unset).  It passes when cposim exits with 2
# (or NN-name.status), prints nothing on stdout, and its stderr, with this
# checkout's root directory written as ".", equals NN-name.expected.
# docs/first-hour.md is made from them (scripts/first-hour.sh).
for cmdf in tests/golden/mistakes/*.cmd; do
    [ -f "$cmdf" ] || continue
    base=${cmdf%.cmd}
    name=mistake-${base##*/}
    args=$(grep -v '^#' "$cmdf")
    set -f
    # shellcheck disable=SC2086 # word splitting of $args is intended
    "$bin" $args >"$tmp/out" 2>"$tmp/err.raw"
    rc=$?
    set +f
    sed "s|$root/|./|g" "$tmp/err.raw" >"$tmp/err"
    [ "${GOLDEN_UPDATE:-0}" = 1 ] && cp "$tmp/err" "$base.expected"
    why=
    want=2
    [ -f "$base.status" ] && want=$(cat "$base.status")
    [ "$rc" -eq "$want" ] || why="exit status $rc, expected $want"
    [ -s "$tmp/out" ] && why="${why:+$why; }stdout is not empty"
    cmp -s "$tmp/err" "$base.expected" 2>/dev/null ||
        why="${why:+$why; }stderr differs from $base.expected"
    if [ -z "$why" ]; then
        ok "$name"
    else
        not_ok "$name" "$why" "expected: $(cat "$base.expected" 2>/dev/null)" \
            "got:      $(cat "$tmp/err")"
    fi
done

# ---------------------------------------------------------- good inputs
# 1. --json is valid JSON, checked by jq (scripts/setup.sh installs it: a
# check that skipped when its tool was missing would be no check), and
# carries its figures: eval, compare, thermal, fabric, reliability, tco.
if ! command -v jq >/dev/null 2>&1; then
    not_ok "jq is installed (sh scripts/setup.sh): the JSON checks need it"
else
    for run in "eval scenarios/bailly-51t.yaml|.capacity_tbps == 51.2" \
        "compare pluggable-800g-51t bailly-51t|.designs[1].power_w.optics > 0" \
        "thermal thermal-bailly-51t-coldplate|.blocks | length > 0" \
        "fabric cluster-16k-h100-cpo|.endpoints == 16384" \
        "traffic cluster-100k-cpo --fail link:1:0|.cases[0].step_s > 0 and .cases[3].partitioned" \
        "traffic cluster-100k-cpo --events|(.events | length) > 10 and .events[0].partitioned and .events[3].slowdown == 1" \
        "traffic cluster-100k-pluggable cluster-100k-cpo --fail switch:spine:0|(.fabrics | length) == 2 and .fabrics[1].cases[4].slowdown == 1" \
        "reliability cluster-16k-h100-hybrid --replicas 4|.replicas == 4" \
        "tco cluster-16k-h100-pluggable --vs cluster-16k-h100-cpo --replicas 4|.winner != null"; do
        args=${run%%|*}
        test=${run#*|}
        # shellcheck disable=SC2086 # the arguments are words
        "$bin" $args --json >"$tmp/json" 2>"$tmp/err"
        rc=$?
        what="${args%% *} --json is valid JSON (jq) with $test"
        if [ "$rc" -ne 0 ]; then
            not_ok "$what" "exit status $rc: $(head -2 "$tmp/err")"
        elif ! jq -e "$test" "$tmp/json" >/dev/null 2>"$tmp/jq.err"; then
            not_ok "$what" "jq: $(head -2 "$tmp/jq.err") $(head -c 200 "$tmp/json")"
        else
            ok "$what"
        fi
    done
fi

# 2. --version.
got=$("$bin" --version 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ "$got" = "cposim 0.1.0" ]; then
    ok "--version prints cposim 0.1.0"
else
    not_ok "--version prints cposim 0.1.0" "status $rc, got '$got'"
fi

# 3. -o writes the report atomically and leaves no temporary file.
"$bin" eval scenarios/bailly-51t.yaml -o "$tmp/x.txt" >"$tmp/out" 2>"$tmp/err"
rc=$?
why=
[ "$rc" -eq 0 ] || why="exit status $rc: $(cat "$tmp/err")"
[ -s "$tmp/x.txt" ] || why="${why:+$why; }$tmp/x.txt not written"
[ -s "$tmp/out" ] && why="${why:+$why; }stdout is not empty"
for left in "$tmp"/x.txt.tmp.*; do
    [ -e "$left" ] && why="${why:+$why; }left behind ${left##*/}"
done
if [ -z "$why" ]; then
    ok "eval -o writes the file and no *.tmp.* remains"
else
    not_ok "eval -o writes the file and no *.tmp.* remains" "$why"
fi

# ---------------------------------------------- help and data directories
# issue 13 item 10: `cposim eval --help` is eval's help, not the general one
"$bin" eval --help >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(head -1 "$tmp/out")" = "usage: cposim eval SCENARIO [--json|--csv] [--set PATH=VALUE]... [-o FILE]" ]; then
    ok "eval --help prints eval's usage"
else
    not_ok "eval --help prints eval's usage" "got: $(head -1 "$tmp/out")"
fi
# the SYNOPSIS of docs/cposim.1 is the synopsis of `cposim --help`, line for
# line (the man page's font escapes removed)
sed -n '/^\.SH SYNOPSIS/,/^\.SH DESCRIPTION/p' docs/cposim.1 | grep -v '^\.' |
    sed -e 's/\\f[BIRP]//g' -e 's/\\-/-/g' -e 's/\\&//g' >"$tmp/man.syn"
"$bin" --help | awk 'NR == 1 { sub(/^usage: /, ""); print; next }
    /^commands:/ { on = 1; next } on && /^$/ { exit } on { sub(/^ +/, ""); print }' \
    >"$tmp/help.syn"
if [ -s "$tmp/man.syn" ] && cmp -s "$tmp/man.syn" "$tmp/help.syn"; then
    ok "the man page's SYNOPSIS is cposim --help's"
else
    not_ok "the man page's SYNOPSIS is cposim --help's" \
        "$(diff "$tmp/man.syn" "$tmp/help.syn" | head -6 | tr '\n' ' ')"
fi
# traffic --heatmap writes an SVG that PLplot drew (and nothing on stderr)
"$bin" traffic cluster-100k-cpo --fail switch:spine:0 --heatmap "$tmp/heat.svg" >/dev/null \
    2>"$tmp/err"
if [ $? -eq 0 ] && grep -q '<svg' "$tmp/heat.svg" 2>/dev/null && [ ! -s "$tmp/err" ]; then
    ok "traffic --heatmap writes the link use as SVG"
else
    not_ok "traffic --heatmap writes the link use as SVG" "$(head -2 "$tmp/err")"
fi

# yield --figures writes both figures (it crashed before the report's state
# was set) and the JSON next to them
mkdir -p "$tmp/yfig"
"$bin" yield yield-bailly-51t --set manufacturing.packages=2000 --figures "$tmp/yfig" \
    --json -o "$tmp/yfig/y.json" 2>"$tmp/err"
if [ $? -eq 0 ] && [ -s "$tmp/yfig/yield-vs-sigma.svg" ] && [ -s "$tmp/yfig/cost-vs-volume.svg" ] &&
    jq -e '.package_yield > 0' "$tmp/yfig/y.json" >/dev/null; then
    ok "yield --figures writes yield-vs-sigma and cost-vs-volume"
else
    not_ok "yield --figures writes yield-vs-sigma and cost-vs-volume" "$(head -2 "$tmp/err")"
fi
# every class the catalog has is named by `cposim help catalog`
"$bin" help catalog >"$tmp/help" 2>&1
missing=$("$bin" catalog list | awk 'NR > 1 { print $1 }' | sort -u | while read -r cls; do
    tr -s ' \n,()' '\n' <"$tmp/help" | grep -qx "$cls" || printf '%s ' "$cls"
done)
if [ -z "$missing" ]; then
    ok "help catalog names every catalog class"
else
    not_ok "help catalog names every catalog class" "missing: $missing"
fi
# issue 13 item 6: with --data DIR (a catalog of the user's own) the bundled
# presets are still found by name
mkdir -p "$tmp/mydata"
cp -r data/catalog data/sources.yaml "$tmp/mydata/"
"$bin" --data "$tmp/mydata" eval bailly-51t >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q "^Capacity 51.2" "$tmp/out"; then
    ok "--data DIR still finds the bundled preset bailly-51t"
else
    not_ok "--data DIR still finds the bundled preset bailly-51t" "$(head -2 "$tmp/err")"
fi
# issue 13 item 11: paths are shown normalised (no build/../data/../)
"$bin" thermal bailly-51t >"$tmp/out" 2>"$tmp/err"
if ! grep -q '/\.\./' "$tmp/err" && grep -q "^$root/scenarios/bailly-51t.yaml:" "$tmp/err"; then
    ok "a preset's path in a message is normalised"
else
    not_ok "a preset's path in a message is normalised" "$(head -1 "$tmp/err")"
fi

# issue 13 item 11: after --set the title no longer claims 64 x 800G alone
"$bin" eval bailly-51t --set ports.cpo.count=32 >"$tmp/out" 2>"$tmp/err"
if head -1 "$tmp/out" | grep -q "64 x 800G (with --set ports.cpo.count=32)$" &&
    grep -q "^Capacity 25.6 Tb/s, 32 ports" "$tmp/out"; then
    ok "the title says which --set changed the design"
else
    not_ok "the title says which --set changed the design" "$(head -1 "$tmp/out")"
fi

# ------------------------------------------------------------ safe output
# Every reproducer of issue 9 items 1-4; each failed on the old build.
# check WHAT COND...: ok when every shell condition holds.
check() {
    what=$1
    shift
    why=
    for cond in "$@"; do
        eval "$cond" || why="${why:+$why; }not: $cond"
    done
    if [ -z "$why" ]; then ok "$what"; else not_ok "$what" "$why" "$(head -3 "$tmp/err")"; fi
}
o=$tmp/out-files
mkdir -p "$o"
# 1. a FIFO (or character device, e.g. /dev/null) is written through, not replaced
mkfifo "$o/fifo" 2>/dev/null
cat "$o/fifo" >"$o/fifo.got" &
reader=$!
"$bin" eval scenarios/bailly-51t.yaml -o "$o/fifo" >"$tmp/out" 2>"$tmp/err"
rc=$?
if [ -p "$o/fifo" ]; then # release the reader if nothing opened the FIFO
    exec 3<>"$o/fifo"
    exec 3>&-
else
    kill "$reader" 2>/dev/null
fi
wait "$reader"
check "-o FIFO writes into the FIFO and keeps it" '[ $rc -eq 0 ]' '[ -p "$o/fifo" ]' \
    'grep -q "^Capacity 51.2" "$o/fifo.got"'
# 1. a symbolic link is followed: its target is replaced, the link stays
echo old >"$o/target.txt"
ln -s target.txt "$o/link"
"$bin" eval scenarios/bailly-51t.yaml -o "$o/link" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "-o SYMLINK replaces the link's target and keeps the link" '[ $rc -eq 0 ]' \
    '[ -L "$o/link" ]' 'grep -q "^Capacity 51.2" "$o/target.txt"'
# 1. a new file gets 0666 less the umask; a replaced file keeps its mode
(umask 027 && "$bin" eval scenarios/bailly-51t.yaml -o "$o/new.txt") >"$tmp/out" 2>"$tmp/err"
check "-o NEW respects the umask (027: rw-r-----)" \
    '[ "$(ls -l "$o/new.txt" | cut -c1-10)" = "-rw-r-----" ]'
echo old >"$o/kept.txt"
chmod 0604 "$o/kept.txt"
"$bin" eval scenarios/bailly-51t.yaml -o "$o/kept.txt" >"$tmp/out" 2>"$tmp/err"
check "-o EXISTING keeps the file's mode (rw----r--)" \
    '[ "$(ls -l "$o/kept.txt" | cut -c1-10)" = "-rw----r--" ]' 'grep -q "^Capacity 51.2" "$o/kept.txt"'
# 2. a bad trace is reported before the output is opened: out.csv stays
printf 'time_s,block,power_w\n0.1,core,abc\n' >"$o/bad-trace.csv"
echo keep >"$o/out.csv"
"$bin" thermal thermal-bailly-51t-coldplate --transient \
    --set "thermal.transient.trace=$o/bad-trace.csv" -o "$o/out.csv" >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--transient with a bad trace exits 2 and leaves -o FILE as it was" '[ $rc -eq 2 ]' \
    '[ "$(cat "$o/out.csv")" = keep ]' '! ls "$o"/out.csv.tmp.* >/dev/null 2>&1'
# 3. SIGTERM during a long transient removes the temporary file
"$bin" thermal thermal-bailly-51t-coldplate --transient --set thermal.transient.t_end_s=60 \
    -o "$o/out.csv" >"$tmp/out" 2>"$tmp/err" &
pid=$!
i=0
while [ $i -lt 100 ] && ! ls "$o"/out.csv.tmp.* >/dev/null 2>&1; do
    sleep 0.1
    i=$((i + 1))
done
seen=$(ls "$o"/out.csv.tmp.* 2>/dev/null | wc -l)
kill -TERM "$pid"
wait "$pid" 2>/dev/null
rc=$?
check "SIGTERM during --transient -o removes the temporary file" '[ "$seen" -eq 1 ]' \
    '[ $rc -eq 143 ]' '! ls "$o"/out.csv.tmp.* >/dev/null 2>&1' '[ "$(cat "$o/out.csv")" = keep ]'
# 4. an unwritable --map is refused before any work, and -o is not written
"$bin" thermal thermal-bailly-51t-coldplate --map "$o/no/such/dir/x.svg" -o "$o/rep.txt" \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--map in a missing directory: exit 1, one line, nothing written" '[ $rc -eq 1 ]' \
    '[ "$(wc -l <"$tmp/err")" -eq 1 ]' 'grep -q "cannot write" "$tmp/err"' '[ ! -e "$o/rep.txt" ]'
# 4. PLplot does not read %n in a map name (it was its family-member number)
(cd "$o" && "$bin" thermal thermal-bailly-51t-coldplate --map 'a%nb.svg') >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--map 'a%nb.svg' writes exactly that file" '[ $rc -eq 0 ]' '[ -s "$o/a%nb.svg" ]' \
    '[ ! -e "$o/ab.svg" ]' '[ ! -s "$tmp/err" ]'

# --------------------------------------------------- positive end-to-end runs
# thermal steady state with a PNG map (PLplot), a transient, a fabric graph,
# a reliability run and a TCO: each exits 0 and writes what it says.
"$bin" thermal thermal-bailly-51t-coldplate --map "$tmp/map.png" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ -s "$tmp/map.png" ] && grep -q "Heat in" "$tmp/out" && [ ! -s "$tmp/err" ]; then
    ok "thermal writes the per-block table and a PNG map"
else
    not_ok "thermal writes the per-block table and a PNG map" "$(head -3 "$tmp/err")"
fi
"$bin" thermal thermal-bailly-51t-coldplate --transient --set thermal.transient.t_end_s=0.5 \
    -o "$tmp/tr.csv" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(wc -l <"$tmp/tr.csv")" -eq 12 ] && [ ! -s "$tmp/err" ]; then
    ok "thermal --transient writes a timeline of 11 samples"
else
    not_ok "thermal --transient writes a timeline of 11 samples" "$(head -3 "$tmp/err")"
fi
"$bin" fabric cluster-8k-leaf-spine --graph "$tmp/g.txt" >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(grep -vc '^#' "$tmp/g.txt")" -eq 16384 ] && [ ! -s "$tmp/err" ]; then
    ok "fabric --graph writes one line per link (16384)"
else
    not_ok "fabric --graph writes one line per link (16384)" "$(head -3 "$tmp/err")"
fi
"$bin" tco cluster-16k-h100-pluggable --vs cluster-16k-h100-hybrid --replicas 20 \
    >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q "^Winner over 5 years" "$tmp/out" && [ ! -s "$tmp/err" ]; then
    ok "tco names a winner"
else
    not_ok "tco names a winner" "$(head -3 "$tmp/err")"
fi

# ------------------------------------------------------------ under mpirun
# Thermal does not split work over ranks: rank 0 alone solves (HYPRE on
# MPI_COMM_SELF) and prints one report (the old build printed one per rank and
# solved on MPI_COMM_WORLD).  Reliability splits its replicas over the ranks
# and prints the same report as a single process.
if command -v mpirun >/dev/null 2>&1; then
    mpi="mpirun --oversubscribe -np 2"
    [ "$(id -u)" -eq 0 ] && mpi="$mpi --allow-run-as-root"
    $mpi "$bin" thermal thermal-bailly-51t-coldplate >"$tmp/out" 2>"$tmp/err"
    rc=$?
    what="mpirun -np 2 thermal prints its report once"
    if [ $rc -eq 0 ] && [ "$(grep -c "^Hottest point" "$tmp/out")" -eq 1 ]; then
        ok "$what"
    else
        not_ok "$what" "exit $rc, $(grep -c "^Hottest point" "$tmp/out") report(s)" \
            "$(head -3 "$tmp/err")"
    fi
    "$bin" reliability cluster-16k-h100-hybrid --replicas 24 >"$tmp/one" 2>"$tmp/err"
    $mpi "$bin" reliability cluster-16k-h100-hybrid --replicas 24 >"$tmp/two" 2>>"$tmp/err"
    what="mpirun -np 2 reliability prints the single-process report"
    if [ -s "$tmp/one" ] && cmp -s "$tmp/one" "$tmp/two"; then
        ok "$what"
    else
        not_ok "$what" "$(head -3 "$tmp/err")"
    fi
else
    echo "# mpirun not found: the MPI checks are skipped"
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
