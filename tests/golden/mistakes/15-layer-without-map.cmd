# name a map layer without a map
thermal thermal-bailly-51t-coldplate --layer nosuch
