#!/bin/sh
# The installed copy works (issue 13 items 1-3).
#
#   sh tests/install.sh [BUILD]     (from anywhere; BUILD defaults to build)
#
# `make install DESTDIR=STAGE` into a temporary directory, then, from a
# directory outside the source tree and without CPOSIM_DATA:
#  - the installed cposim runs every installed preset with the command its
#    kind takes (eval, and thermal for a package; fabric), a short tco of a
#    fabric pair, and the man page's transient example (sweep specs are not
#    run: their base scenarios are presets run here);
#  - a program built with `pkg-config --cflags --libs cposim` against the
#    staged library finds the data through cp_data_dir(), loads the catalog
#    and evaluates a preset; the same program linked with libcposim.a and
#    `pkg-config --static --libs cposim` links (OpenMP included) and runs;
#  - the .pc file is relative to ${prefix} and has a datadir.
# Prints TAP-like lines; exits 1 when anything failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-install.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
stage=$tmp/stage
prefix=/usr/local
unset CPOSIM_DATA
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $1"
    [ $# -gt 1 ] && echo "#   $2"
}

if ! make -s -C "$root" BUILD="$build" install DESTDIR="$stage" PREFIX="$prefix" \
    >"$tmp/make.log" 2>&1; then
    not_ok "make install DESTDIR=..." "$(tail -3 "$tmp/make.log")"
    exit 1
fi
ok "make install DESTDIR=$stage PREFIX=$prefix"
bin=$stage$prefix/bin/cposim
data=$stage$prefix/share/cposim
mkdir -p "$tmp/work"
cd "$tmp/work" || exit 2

# ------------------------------------------------------- every preset
for f in "$data"/scenarios/*.yaml; do
    name=$(basename "$f" .yaml)
    case $name in
    base-*|sweep-*) continue ;; # included by the others; sweep specs
    esac
    "$bin" eval "$name" >"$tmp/out" 2>"$tmp/err"
    rc=$?
    cmd=eval
    if [ $rc -eq 2 ] && grep -q 'try `cposim ' "$tmp/err"; then
        # another kind: the command cposim names
        cmd=$(sed -n 's/.*try `cposim \([a-z]*\) .*/\1/p' "$tmp/err")
        "$bin" "$cmd" "$name" >"$tmp/out" 2>"$tmp/err"
        rc=$?
    fi
    # a package that runs away (exit 3) is a result, not a failure
    if { [ $rc -eq 0 ] || { [ $rc -eq 3 ] && [ "$cmd" = thermal ]; }; } && [ -s "$tmp/out" ]; then
        ok "installed: cposim $cmd $name"
    else
        not_ok "installed: cposim $cmd $name" "exit $rc: $(head -2 "$tmp/err")"
    fi
    if [ "$cmd" = eval ]; then # a package too?
        "$bin" thermal "$name" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ $rc -eq 2 ] && grep -q 'a switch design, not a package' "$tmp/err"; then
            :
        elif { [ $rc -eq 0 ] || [ $rc -eq 3 ]; } && grep -q '^Hottest point' "$tmp/out"; then
            ok "installed: cposim thermal $name"
        else
            not_ok "installed: cposim thermal $name" "exit $rc: $(head -2 "$tmp/err")"
        fi
    fi
done
# reliability and tco of a fabric pair, briefly
"$bin" tco cluster-16k-h100-pluggable --vs cluster-16k-h100-cpo --replicas 4 >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && grep -q '^Winner' "$tmp/out"; then
    ok "installed: cposim tco cluster-16k-h100-pluggable --vs cluster-16k-h100-cpo"
else
    not_ok "installed: cposim tco cluster-16k-h100-pluggable --vs ..." "$(head -2 "$tmp/err")"
fi
# comply reads the requirements file beside the catalog (exit 1: a requirement
# fails, with its clause; the Bailly preset fails IEC 60825-1 Class 1)
"$bin" comply bailly-51t >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 1 ] && grep -q 'FAIL .*60825' "$tmp/out" && [ ! -s "$tmp/err" ]; then
    ok "installed: cposim comply bailly-51t (requirements.yaml is installed)"
else
    not_ok "installed: cposim comply bailly-51t" "$(head -2 "$tmp/err")"
fi
# the man page's example: the transient reads scenarios/traces/
"$bin" thermal thermal-bailly-51t-coldplate --transient --set thermal.transient.t_end_s=0.5 \
    >"$tmp/out" 2>"$tmp/err"
if [ $? -eq 0 ] && [ "$(wc -l <"$tmp/out")" -eq 12 ]; then
    ok "installed: thermal-bailly-51t-coldplate --transient (its trace is installed)"
else
    not_ok "installed: thermal-bailly-51t-coldplate --transient" "$(head -2 "$tmp/err")"
fi

# ------------------------------------------------------- pkg-config
pc=$stage$prefix/lib/pkgconfig/cposim.pc
if grep -q '^libdir=${prefix}/lib$' "$pc" && grep -q '^datadir=${prefix}/share/cposim$' "$pc"; then
    ok "cposim.pc: directories relative to \${prefix}, with a datadir"
else
    not_ok "cposim.pc: directories relative to \${prefix}, with a datadir" "$(head -6 "$pc")"
fi
pkg() { PKG_CONFIG_PATH=$stage$prefix/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$stage pkg-config "$@"; }
got=$(PKG_CONFIG_PATH=$stage$prefix/lib/pkgconfig pkg-config --variable=datadir cposim)
if [ "$got" = "$prefix/share/cposim" ]; then
    ok "pkg-config --variable=datadir cposim is $prefix/share/cposim"
else
    not_ok "pkg-config --variable=datadir cposim" "got '$got'"
fi
if pkg --static --libs cposim | grep -q -- '-fopenmp'; then
    ok "pkg-config --static --libs cposim has OpenMP"
else
    not_ok "pkg-config --static --libs cposim has OpenMP" "$(pkg --static --libs cposim)"
fi

# A library user: the data directory from the library, a preset by name,
# and cp_rel_run (OpenMP) referenced so that a static link needs GOMP_*.
cat >"$tmp/user.c" <<'EOF'
#include <cposim.h>
#include <stdio.h>

int main(int argc, char **argv)
{
    char data[4096], presets[4096], path[8300], buf[1024];
    cp_catalog *cat = NULL;
    cp_design d;
    cp_result r;
    cp_error err = {0};
    if (argc > 1) /* never called: makes the linker pull the OpenMP objects */
        cp_rel_run(NULL, 0, 0, 0, NULL, &err);
    if (cp_data_dir(data, sizeof data) || cp_preset_dir(data, presets, sizeof presets)) {
        fprintf(stderr, "no data directory: %s\n", data);
        return 1;
    }
    snprintf(path, sizeof path, "%s/bailly-51t.yaml", presets);
    if (cp_catalog_load(data, &cat, &err) || cp_scenario_load(path, cat, NULL, 0, &d, &err)) {
        fprintf(stderr, "%s\n", cp_error_format(&err, buf, sizeof buf));
        return 1;
    }
    cp_design_eval(&d, &r);
    printf("%s %s %.1f\n", data, d.name, r.capacity_tbps);
    cp_catalog_free(cat);
    return 0;
}
EOF
# shellcheck disable=SC2046 # pkg-config's flags are words
if cc -o "$tmp/user" "$tmp/user.c" $(pkg --cflags --libs cposim) 2>"$tmp/err"; then
    got=$(LD_LIBRARY_PATH=$stage$prefix/lib "$tmp/user" 2>&1)
    if [ "$got" = "$data bailly-51t 51.2" ]; then
        ok "a program linked with libcposim.so finds the data beside the library"
    else
        not_ok "a program linked with libcposim.so finds the data beside the library" "$got"
    fi
else
    not_ok "cc \$(pkg-config --cflags --libs cposim)" "$(head -3 "$tmp/err")"
fi
static=$(pkg --static --libs cposim | sed "s|-lcposim|$stage$prefix/lib/libcposim.a|")
# shellcheck disable=SC2046,SC2086
if cc -o "$tmp/user-static" "$tmp/user.c" $(pkg --cflags cposim) $static 2>"$tmp/err"; then
    if CPOSIM_DATA=$data "$tmp/user-static" >"$tmp/out" 2>&1; then
        ok "a program linked with libcposim.a and pkg-config --static links and runs"
    else
        not_ok "the program linked with libcposim.a runs" "$(head -2 "$tmp/out")"
    fi
else
    not_ok "cc ... libcposim.a \$(pkg-config --static --libs cposim)" \
        "$(grep -m2 'undefined' "$tmp/err" || head -2 "$tmp/err")"
fi

echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
