# price one fabric without the one to compare with
tco cluster-16k-h100-cpo
