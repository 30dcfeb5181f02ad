# evaluate a sweep spec
eval sweep-bailly-laser-fibre-split
