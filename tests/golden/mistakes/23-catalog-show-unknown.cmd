# show a catalog entry that does not exist
catalog show elsfp
