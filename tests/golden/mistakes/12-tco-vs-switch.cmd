# price a fabric against a switch design
tco cluster-100k-cpo --vs bailly-51t
