"""Use cases over the store, in plain Python: what the GUI and the CLI both call."""
