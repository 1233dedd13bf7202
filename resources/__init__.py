"""Data shipped with OVOP Desktop (installed as the package ``ovop_desktop.resources``)."""
