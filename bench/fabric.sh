#!/bin/sh
# Fabric sizing benchmark: 1k, 100k and 1M GPUs (targets: 1M endpoints with
# the explicit graph < 1 s and < 200 MB; counts alone in microseconds).
set -eu
bin=${1:-build/bench_fabric}
"$bin" scenarios/cluster-100k-cpo.yaml 1024
"$bin" scenarios/cluster-100k-cpo.yaml 100000
"$bin" scenarios/cluster-1m-cpo.yaml 500000
"$bin" scenarios/cluster-1m-cpo.yaml 1000000
