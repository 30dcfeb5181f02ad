# mistype a --set path
eval bailly-51t --set ports.cpo.cout=32
