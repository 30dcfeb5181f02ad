# mistype a command
evaluate bailly-51t
