#!/bin/sh
# What the documentation promises, checked against the project:
#  - every preset the README, docs/*.md and the man page name exists
#    (scenarios/NAME.yaml; a `cluster-100k-*` pattern matches at least one);
#  - every source of data/sources.yaml has a URL or DOI that points at a page
#    (an article, not a bare domain), and something uses it (a catalog entry,
#    a scenario, docs/validation.md or docs/calibration.md, a test);
#  - a document that shows mpirun says how to run it as root;
#  - nothing outside docs/research points a user at a file that is not part
#    of the project (../shared/reference/...).
#
#   sh scripts/check-docs.sh      (from anywhere; exit 1 naming each problem)
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
bad=0
fail() {
    echo "check-docs: $*" >&2
    bad=1
}

# ---------------------------------------------------------------- presets
# preset-like names: the families of scenarios/ (cluster-, thermal-, sweep-,
# and the switch presets' own names), as words of the docs
families=$(ls scenarios/*.yaml | sed -e 's|scenarios/||' -e 's|-.*||' | sort -u |
    tr '\n' '|' | sed 's/|$//')
for doc in README.md docs/*.md docs/cposim.1; do
    sed 's/\\-/-/g' "$doc" |
        grep -oE "(^|[^A-Za-z0-9./_-])($families)-[a-z0-9*-]*[a-z0-9*]" |
        sed -E 's/^[^A-Za-z0-9]//' | sort -u |
        while read -r name; do
            case $name in
            base-*|*-yaml) continue ;;
            esac
            # shellcheck disable=SC2086 # the pattern is meant to glob
            set -- scenarios/$name.yaml scenarios/$name-*.yaml
            # a preset, a family of them (cluster-100k), or a catalog entry or
            # source key of that name, or a file the example writes
            [ -f "$1" ] || [ -f "$2" ] || grep -rqw -e "$name" data ||
                sed 's/\\-/-/g' "$doc" | grep -q -e "$name\.[a-z]" ||
                echo "$doc names '$name', which is not in scenarios/"
        done
done >"${TMPDIR:-/tmp}/check-docs.$$"
while read -r line; do fail "$line"; done <"${TMPDIR:-/tmp}/check-docs.$$"
rm -f "${TMPDIR:-/tmp}/check-docs.$$"

# ---------------------------------------------------------------- sources
awk '/^  [A-Za-z0-9._-]+:$/ { if (k != "") print k, u; k = $1; sub(/:$/, "", k); u = "-" }
     /^    (url|doi):/ { u = $2; gsub(/"/, "", u) }
     END { if (k != "") print k, u }' data/sources.yaml >"${TMPDIR:-/tmp}/check-src.$$"
n=0
while read -r key url; do
    n=$((n + 1))
    case $url in
    -) fail "data/sources.yaml: '$key' has neither url nor doi" ;;
    http://*/?*|https://*/?*|10.*/*) ;;
    *) fail "data/sources.yaml: '$key' points at '$url': a bare domain, not the article" ;;
    esac
    grep -rqw -e "$key" data/catalog data/requirements.yaml scenarios docs/validation.md docs/calibration.md \
        tests/*.c src ||
        fail "data/sources.yaml: '$key' is used by nothing (catalog, scenarios, validation, tests)"
done <"${TMPDIR:-/tmp}/check-src.$$"
rm -f "${TMPDIR:-/tmp}/check-src.$$"
[ "$n" -gt 0 ] || fail "data/sources.yaml: no sources read"

# ------------------------------------------------------------ mpirun as root
# the README tells users to work as root, where Open MPI's mpirun refuses to
# start: every document that shows mpirun says how to allow it
for doc in README.md docs/cposim.1; do
    if grep -q "mpirun" "$doc" && ! sed 's/\\-/-/g' "$doc" | grep -q -- "--allow-run-as-root"; then
        fail "$doc shows mpirun but not --allow-run-as-root (needed as root)"
    fi
done

# ------------------------------------------------------ outside the project
if grep -rn "shared/reference" README.md docs/*.md docs/cposim.1 data >/dev/null 2>&1; then
    fail "a file outside the project (shared/reference) is named: $(grep -rln \
        "shared/reference" README.md docs/*.md docs/cposim.1 data | tr '\n' ' ')"
fi

[ $bad -eq 0 ] && echo "ok - docs name only presets and sources that exist and are used"
exit $bad
