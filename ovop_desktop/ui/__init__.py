"""The PySide6 GUI. Views call services through the AppContext; they never touch the database."""
