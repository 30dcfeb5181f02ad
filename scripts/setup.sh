#!/bin/sh
# Installs what cposim needs to build and test, from Debian packages only.
# Safe to run again: it only calls apt-get when something is missing.
# chromium: the browser the HTML report is tested in (tests/report/browser.sh).
# libomp-dev: clang's OpenMP (omp.h, libomp), for CC=clang builds.
# jq: checks that every --json output is valid JSON (tests/golden/run.sh).
set -eu

PKGS="build-essential pkg-config libfyaml-dev libgsl-dev libcmocka-dev \
clang libclang-rt-14-dev libomp-dev \
libhypre-dev libsuitesparse-dev libopenblas0-pthread libplplot-dev plplot-driver-cairo \
libsqlite3-dev sqlite3 chromium jq"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "setup.sh: run as root (apt-get install$missing)" >&2; exit 1; }
    SUDO=sudo
fi
echo "setup.sh: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
