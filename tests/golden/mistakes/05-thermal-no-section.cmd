# solve the package of a design that has no thermal section
thermal bailly-51t
