#!/bin/sh
# Reliability benchmark (issue 10 figures): the 100k-GPU fabric, 5 years,
# 1000 replicas, with one job and with ~1000 jobs; 1M GPUs, 5 years, 100
# replicas; 1 vs 2 threads (bench_reliability: times, events/s, memory,
# identical replicas) and MPI ranks (mpirun -np 1 vs 2 of the CLI, whose
# output must be identical).
set -eu
bench=${1:-build/bench_reliability}
cli=${2:-build/cposim}
"$bench" scenarios/cluster-100k-cpo.yaml 1000
"$bench" bench/cluster-100k-1000-jobs.yaml 1000
"$bench" scenarios/cluster-1m-cpo.yaml 100
if command -v mpirun >/dev/null 2>&1; then
    tmp=$(mktemp -d)
    for np in 1 2; do
        s=$(date +%s%N)
        mpirun --allow-run-as-root --oversubscribe -np "$np" "$cli" reliability \
            cluster-100k-cpo --replicas 1000 --threads 1 -o "$tmp/np$np.txt"
        e=$(date +%s%N)
        printf '  mpirun -np %d (1 thread each): %s s (process incl. start-up)\n' "$np" \
            "$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.2f", (e - s) / 1e9 }')"
    done
    cmp -s "$tmp/np1.txt" "$tmp/np2.txt" && echo "  1 and 2 ranks: identical results" \
        || echo "  1 and 2 ranks: RESULTS DIFFER"
    rm -rf "$tmp"
fi
