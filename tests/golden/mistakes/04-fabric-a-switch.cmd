# size a fabric from a switch design
fabric bailly-51t
