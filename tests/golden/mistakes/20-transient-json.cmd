# ask for a transient as JSON
thermal thermal-bailly-51t-coldplate --transient --json
