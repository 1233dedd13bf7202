"""Open a profile's database safely, or explain in one sentence why not."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import exc as sa_exc

from ovop_desktop.data.db import BUSY_TIMEOUT_S, SQLITE_HEADER, Store, create_sqlite_engine
from ovop_desktop.data.migrations import CURRENT_VERSION
from ovop_desktop.data.schema import migrate, newer_message
from ovop_desktop.errors import StoreError
from ovop_desktop.filelock import FileLock
from ovop_desktop.i18n import _

MIGRATION_WAIT_S = 30.0


def _check_location(db_path: Path) -> None:
    folder = db_path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(_("The data folder {path} cannot be created ({reason}).").format(
            path=folder, reason=exc.strerror or exc)) from None
    if not os.access(folder, os.W_OK) or (db_path.exists() and not os.access(db_path, os.W_OK)):
        raise StoreError(_("The data folder {path} is read-only. Choose a folder you can write "
                           "to with --data-dir.").format(path=folder))
    if db_path.exists() and db_path.stat().st_size > 0:
        with open(db_path, "rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise StoreError(_("{path} is not an OVOP Desktop database (not an SQLite file). "
                                   "Nothing was changed.").format(path=db_path))


def _inspect_readonly(db_path: Path) -> None:
    """Refuse a damaged, foreign or newer database before anything writes to it.

    The engine's connect hook switches the file to WAL, which is itself a write,
    so these checks run on a read-only connection first.
    """
    if not db_path.exists():
        return
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
            tables = {r[0] for r in
                      conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = 0
            if "schema_version" in tables:
                version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(_("The database {path} cannot be read ({reason}). Nothing was changed.")
                         .format(path=db_path, reason=_short(exc))) from None
    if result != "ok":
        raise StoreError(_("The database {path} is damaged ({detail}). Restore a backup.")
                         .format(path=db_path, detail=result))
    if tables and "schema_version" not in tables:
        raise StoreError(_("{path} is a database of another program, not of OVOP Desktop. "
                           "Nothing was changed.").format(path=db_path))
    if version > CURRENT_VERSION:
        raise StoreError(newer_message(version))


def open_store(db_path: Path, backups: Path, lock_path: Path,
               progress: Callable[[int, int], None] | None = None) -> Store:
    """Check, open and migrate the database; raise StoreError with a readable reason."""
    _check_location(db_path)
    _inspect_readonly(db_path)
    store = Store(db_path, create_sqlite_engine(db_path))
    try:
        with FileLock(lock_path) as lock:
            if not lock.acquire(MIGRATION_WAIT_S):
                raise StoreError(_("Another OVOP Desktop is upgrading this database; try again."))
            migrate(store, backups, progress)
    except (sa_exc.DatabaseError, sqlite3.DatabaseError) as exc:
        store.close()
        raise StoreError(_("The database {path} cannot be read ({reason}). Nothing was changed.")
                         .format(path=db_path, reason=_short(exc))) from None
    except BaseException:
        store.close()
        raise
    return store


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0][:200]
