# evaluate a cluster (a fabric scenario) as a switch
eval cluster-100k-cpo
