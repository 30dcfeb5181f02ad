# name a preset that does not exist
eval nosuch
