"""The `ovop` command line: the same services as the GUI, for scripts and the terminal."""
