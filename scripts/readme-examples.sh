#!/bin/sh
# The README's example outputs, regenerated from the binary.
#
#   sh scripts/readme-examples.sh [--check] [README.md]
#
# A block of the README of the form
#   <!-- example: build/cposim ARGS... -->
#   ```
#   $ build/cposim ARGS...
#   ...output...
#   ```
#   <!-- /example -->
# is rewritten with the command's current standard output (run from the
# repository root).  With --check nothing is written: the script fails,
# naming each block, when an output has drifted from what the README shows.
# Files an example writes go to /tmp/cposim-example-*: they are removed
# before each example runs, so every run starts from nothing.
set -eu
check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
root=$(cd "$(dirname "$0")/.." && pwd)
readme=${1:-$root/README.md}
cd "$root"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cposim-readme.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
out=$tmp/README.md
: > "$out"
drift=0
inside=0
while IFS= read -r line || [ -n "$line" ]; do
    case $line in
    "<!-- example: "*" -->")
        cmd=${line#<!-- example: }
        cmd=${cmd% -->}
        printf '%s\n' "$line" >> "$out"
        printf '```\n$ %s\n' "$cmd" >> "$out"
        rm -rf /tmp/cposim-example-*
        if ! sh -c "$cmd" > "$tmp/cmd.out" 2> "$tmp/cmd.err"; then
            echo "readme-examples: '$cmd' failed:" >&2
            cat "$tmp/cmd.err" >&2
            exit 1
        fi
        cat "$tmp/cmd.out" >> "$out"
        printf '```\n' >> "$out"
        inside=1
        : > "$tmp/old"
        ;;
    "<!-- /example -->")
        if [ $inside -eq 1 ]; then
            # the old block without its fences and $ line, against the new output
            sed -e '1,2d' -e '$d' "$tmp/old" > "$tmp/old.body"
            if [ $check -eq 1 ] && ! cmp -s "$tmp/old.body" "$tmp/cmd.out"; then
                drift=1
                echo "readme-examples: the output of '$cmd' has drifted from the README" >&2
                diff "$tmp/old.body" "$tmp/cmd.out" | head -20 >&2 || true
            fi
        fi
        inside=0
        printf '%s\n' "$line" >> "$out"
        ;;
    *)
        if [ $inside -eq 1 ]; then
            printf '%s\n' "$line" >> "$tmp/old"
        else
            printf '%s\n' "$line" >> "$out"
        fi
        ;;
    esac
done < "$readme"
rm -rf /tmp/cposim-example-*
if [ $check -eq 1 ]; then
    [ $drift -eq 0 ] && echo "ok - README examples match the binary"
    exit $drift
fi
cp "$out" "$readme"
