"""OVOP Desktop: offline assessment panels for Indonesia's One Village One Product award."""

__version__ = "0.1.0"
APP_NAME = "OVOP Desktop"
