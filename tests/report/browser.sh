#!/bin/sh
# The HTML report in a real browser (headless Chromium, Debian's `chromium`,
# installed by scripts/setup.sh; without it this test FAILS).
#
#   sh tests/report/browser.sh path/to/cposim
#
# For a switch scenario, a comparison, a thermal scenario, a fabric, a TCO
# pair and a sweep results store it writes a report, then checks:
#   - the file names no URL and loads nothing (no http:, https:, src=, href=,
#     url(, @import);
#   - in the DOM after load (--dump-dom), every figure has data-rendered="1"
#     (set by the report's own script when the figure's SVG has a non-empty
#     bounding box), as many as the figures expected for that input;
#   - the browser's console logged no error and no uncaught exception;
#   - figures say what the model says: the wall power on the stacked bars of
#     bailly-51t is `cposim eval --json`'s, the fabric's network power is
#     `cposim fabric --json`'s;
# and keeps a screenshot of each as a test artefact: BUILD/report-NAME.png
# (BUILD: the directory of the cposim binary).
set -u
if [ $# -ne 1 ]; then
    echo "usage: sh tests/report/browser.sh path/to/cposim" >&2
    exit 2
fi
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
art=$(cd "$(dirname "$bin")" && pwd) || exit 2
cd "$root" || exit 2
unset CPOSIM_DATA

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
    not_ok "chromium is not installed: run scripts/setup.sh (the report must be tested in a browser)"
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-browser.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
# Chromium wants a writable home for its profile; keep it out of the user's
chrome() {
    HOME=$tmp/home timeout 120 "$browser" --headless --no-sandbox --disable-gpu \
        --no-first-run --user-data-dir="$tmp/profile" --enable-logging=stderr --v=0 "$@"
}

# What the page wrote to the console (Chromium logs console.error and an
# uncaught exception alike as INFO:CONSOLE lines): the report's script
# writes nothing, so any line is an error.
console_errors() {
    grep -E ':CONSOLE[:(]' "$1" || true
}

# name, expected figures, cposim report arguments...
check_report() {
    name=$1
    want=$2
    shift 2
    html=$tmp/$name.html
    if ! "$bin" report "$@" -o "$html" 2> "$tmp/$name.err"; then
        not_ok "$name: cposim report $* failed: $(head -3 "$tmp/$name.err")"
        return
    fi
    # url(#id) is a reference inside the document (clip paths)
    if grep -qiE 'https?:|src=|href=|url\([^#]|@import' "$html"; then
        not_ok "$name: the report refers to something outside itself: $(grep -oiE '.{20}(https?:|src=|href=|url\([^#]|@import).{20}' "$html" | head -2)"
    else
        ok "$name: self-contained (no URL, src, href, url() or @import)"
    fi
    chrome --dump-dom "file://$html" > "$tmp/$name.dom" 2> "$tmp/$name.log"
    figures=$(grep -o '<figure class="cp-fig"' "$tmp/$name.dom" | wc -l)
    rendered=$(grep -o 'data-rendered="1"' "$tmp/$name.dom" | wc -l)
    if [ "$figures" -eq "$want" ] && [ "$rendered" -eq "$want" ]; then
        ok "$name: $rendered of $want figures rendered in Chromium"
    else
        not_ok "$name: $rendered rendered of $figures figures in the DOM, expected $want"
    fi
    errs=$(console_errors "$tmp/$name.log")
    if [ -z "$errs" ]; then
        ok "$name: no console error"
    else
        not_ok "$name: console errors: $errs"
    fi
    rm -f "$art/report-$name.png"
    chrome --hide-scrollbars --window-size=1280,2400 --screenshot="$art/report-$name.png" \
        "file://$html" > /dev/null 2>&1
    if [ -s "$art/report-$name.png" ]; then
        ok "$name: screenshot $art/report-$name.png"
    else
        not_ok "$name: no screenshot"
    fi
}

# The console check can fail: a page that logs an error is caught.
printf '<!DOCTYPE html><html><body><script>console.error("broken figure")</script></body></html>\n' \
    > "$tmp/bad.html"
chrome --dump-dom "file://$tmp/bad.html" > /dev/null 2> "$tmp/bad.log"
if [ -n "$(console_errors "$tmp/bad.log")" ]; then
    ok "a console error on a page is detected"
else
    not_ok "a console error on a page went unnoticed (Chromium's logging changed?)"
fi

"$bin" sweep scenarios/sweep-bailly-laser-fibre-split.yaml -o "$tmp/sweep.db" -q ||
    not_ok "the sweep for the report failed"

# figures: switch 2 + 1 lane budget per port group; thermal 2; fabric 2 per
# fabric; comparison of 2 fabrics +1; TCO +3; sweep 3
check_report switch 3 bailly-51t
check_report compare 4 pluggable-800g-51t bailly-51t
check_report thermal 2 thermal-bailly-51t-coldplate
check_report fabric 2 cluster-8k-leaf-spine
check_report tco 8 cluster-16k-h100-pluggable cluster-16k-h100-cpo
check_report sweep 3 "$tmp/sweep.db"

# The numbers in the figures are the model's.
total=$("$bin" eval bailly-51t --json | grep -m1 '"total"' | sed 's/.*: *\([0-9.eE+-]*\).*/\1/')
want=$(printf 'bailly-51t %.1f W' "$total")
if grep -q "$want" "$tmp/switch.html"; then
    ok "the stacked bars' wall total is eval's: $want"
else
    not_ok "the report does not give eval's wall power ($want)"
fi
net=$("$bin" fabric cluster-8k-leaf-spine --json | grep -m1 '"network_w"' | sed 's/.*: *\([0-9.eE+-]*\).*/\1/')
want=$(awk -v w="$net" 'BEGIN { printf "the network power, %.1f kW", w / 1000 }')
if grep -q "$want" "$tmp/fabric.html"; then
    ok "the tiers' power adds up to fabric's network power: $want"
else
    not_ok "the report does not give fabric's network power ($want)"
fi

# A report that cannot be drawn leaves nothing behind.
echo "not a results store" > "$tmp/junk.db"
echo keep > "$tmp/keep.html"
if "$bin" report bailly-51t "$tmp/junk.db" -o "$tmp/keep.html" 2> /dev/null; then
    not_ok "a bad results store was accepted"
elif [ "$(cat "$tmp/keep.html")" = keep ] && [ -z "$(ls "$tmp" | grep 'keep.html.tmp')" ]; then
    ok "a failed report leaves the old file as it was, and no temporary file"
else
    not_ok "a failed report changed the output or left a temporary file"
fi

echo "1..$n"
if [ $failed -ne 0 ]; then
    echo "tests/report/browser.sh: $failed of $n failed" >&2
    exit 1
fi
echo "tests/report/browser.sh: all $n passed"
