# compare a switch with a fabric
compare bailly-51t cluster-100k-cpo
