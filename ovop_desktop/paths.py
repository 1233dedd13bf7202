"""Where a profile keeps its files: database, keys, settings, backups, logs.

A profile is one directory. The default is the platform's user data directory;
`--data-dir DIR` or `OVOP_DATA_DIR` selects another (a second profile, a test,
a demo). A coordinator's store may live on a PostgreSQL server instead of the
folder's SQLite file (`--db-url`, `OVOP_DB_URL`, the `db_url` setting); the folder
still holds keys, settings, backups and bundle evidence. Nothing here touches the
disk at import time.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DATA_DIR = "OVOP_DATA_DIR"
ENV_DB_URL = "OVOP_DB_URL"
APP_DIR_NAME = "ovop-desktop"


def default_data_dir() -> Path:
    """The per-user data directory given by platformdirs (imported lazily: CLI start-up)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def resolve_data_dir(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """--data-dir wins over OVOP_DATA_DIR, which wins over the platform default."""
    if cli_value:
        return Path(cli_value).expanduser().resolve()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser().resolve()
    return default_data_dir()


def resolve_db_url(cli_value: str | None = None) -> str | None:
    """--db-url wins over OVOP_DB_URL; None: the profile's `db_url` setting, else its SQLite
    file. Only the profile the user chose gets it (never a demo's assessor laptops)."""
    return cli_value or os.environ.get(ENV_DB_URL) or None


@dataclass(frozen=True)
class ProfilePaths:
    """The files of one profile directory."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "ovop.sqlite3"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def keys(self) -> Path:
        return self.root / "keys"

    @property
    def bundles(self) -> Path:
        """Raw score bundles as received, kept as evidence (content-addressed)."""
        return self.root / "bundles"

    @property
    def evidence(self) -> Path:
        """Evidence photos (originals by SHA-256, plus display copies)."""
        return self.root / "evidence"

    @property
    def backups(self) -> Path:
        return self.root / "backups"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def gui_lock(self) -> Path:
        return self.root / "gui.lock"

    @property
    def migration_lock(self) -> Path:
        return self.root / "migration.lock"
