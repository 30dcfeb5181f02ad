# give eval an option of another command
eval bailly-51t --replicas 10
