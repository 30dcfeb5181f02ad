# draw the thermal map as a JPEG
thermal thermal-bailly-51t-coldplate --map x.jpg
