# ask for two output formats
eval bailly-51t --json --csv
