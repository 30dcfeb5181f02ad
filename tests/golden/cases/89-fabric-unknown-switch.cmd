fabric
