# name a layer the stack does not have
thermal thermal-bailly-51t-coldplate --map /tmp/cposim-golden-x.svg --layer nosuch
