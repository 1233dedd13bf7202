"""SQLAlchemy 2.x persistence: the SQLite store, its schema ladder, repositories."""
