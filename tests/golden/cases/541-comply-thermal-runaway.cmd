comply
