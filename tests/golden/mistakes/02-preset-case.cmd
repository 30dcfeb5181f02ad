# type a preset's name with a capital
eval Bailly-51t
