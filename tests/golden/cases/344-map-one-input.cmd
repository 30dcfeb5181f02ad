tco
