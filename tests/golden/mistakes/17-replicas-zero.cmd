# ask for zero Monte Carlo replicas
reliability cluster-16k-h100-hybrid --replicas 0
