# ask a sweep run for JSON (it writes a store)
sweep sweep-bailly-laser-fibre-split -o /tmp/cposim-golden-x.db --json
