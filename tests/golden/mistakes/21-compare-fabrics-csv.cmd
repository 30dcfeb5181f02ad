# compare fabrics as CSV
compare cluster-16k-h100-cpo cluster-16k-h100-pluggable --csv
