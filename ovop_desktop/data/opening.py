"""Open a profile's database safely, or explain in one sentence why not."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import exc as sa_exc

from ovop_desktop.data.db import (
    BUSY_TIMEOUT_S,
    PG_MIGRATION_LOCK,
    SQLITE_HEADER,
    Store,
    create_postgres_engine,
    create_sqlite_engine,
    postgres_session_lock,
)
from ovop_desktop.data.migrations import CURRENT_VERSION
from ovop_desktop.data.schema import migrate, newer_message
from ovop_desktop.errors import DamagedStoreError, StoreError
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


# SQLite's own words for "this file is damaged", as opposed to busy, locked or unreadable.
_DAMAGE_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})


def _unreadable(db_path: Path, exc: BaseException) -> StoreError:
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "sqlite_errorname", "") in _DAMAGE_CODES:
        return DamagedStoreError(_("The database {path} is damaged ({detail}). Restore a backup.")
                                 .format(path=db_path, detail=_short(exc)), db_path, _short(exc))
    return StoreError(_("The database {path} cannot be read ({reason}). Nothing was changed.")
                      .format(path=db_path, reason=_short(exc)))


def inspect_database(db_path: Path, *, thorough: bool = False, immutable: bool = False) -> int:
    """Refuse a damaged, foreign or newer database; return its schema version (0: empty).

    Read-only, so a refused file stays byte-identical: the engine's connect hook
    switches the file to WAL, which is itself a write. `quick_check` at every start
    (cheap); `integrity_check` when `thorough` (backups and restores). `immutable`
    is for files nobody writes (backups, perhaps on read-only media): no locks, no
    side files. Raises DamagedStoreError when SQLite finds the file damaged.
    """
    if not db_path.exists() or db_path.stat().st_size == 0:
        return 0
    try:
        with open(db_path, "rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(_("The database {path} cannot be read ({reason}). Nothing was changed.")
                         .format(path=db_path, reason=exc.strerror or exc)) from None
    if header != SQLITE_HEADER:
        raise DamagedStoreError(_("{path} is not an OVOP Desktop database (not an SQLite file). "
                                  "Nothing was changed.").format(path=db_path), db_path,
                                "file header is not SQLite's")
    check = "integrity_check" if thorough else "quick_check"
    try:
        uri = Path(db_path).resolve().as_uri() + ("?mode=ro&immutable=1" if immutable
                                                  else "?mode=ro")
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
        try:
            result = conn.execute(f"PRAGMA {check}").fetchone()[0]
            tables = {r[0] for r in
                      conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            version = 0
            if "schema_version" in tables:
                version = conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _unreadable(db_path, exc) from None
    if result != "ok":
        detail = first_problem(result)
        raise DamagedStoreError(_("The database {path} is damaged ({detail}). Restore a backup.")
                                .format(path=db_path, detail=detail), db_path, detail)
    if tables and "schema_version" not in tables:
        raise StoreError(_("{path} is a database of another program, not of OVOP Desktop. "
                           "Nothing was changed.").format(path=db_path))
    if version > CURRENT_VERSION:
        raise StoreError(newer_message(version))
    return int(version)


def open_store(db_path: Path, backups: Path, lock_path: Path,
               progress: Callable[[int, int], None] | None = None) -> Store:
    """Check, open and migrate the database; raise StoreError with a readable reason."""
    _check_location(db_path)
    inspect_database(db_path)
    store = Store(db_path, create_sqlite_engine(db_path))
    try:
        with FileLock(lock_path) as lock:
            if not lock.acquire(MIGRATION_WAIT_S):
                raise StoreError(_("Another OVOP Desktop is upgrading this database; try again."))
            migrate(store, backups, progress)
    except (sa_exc.DatabaseError, sqlite3.DatabaseError) as exc:
        store.close()
        raise _unreadable(db_path, exc) from None
    except BaseException:
        store.close()
        raise
    return store


def open_postgres_store(url: str,
                        progress: Callable[[int, int], None] | None = None) -> Store:
    """Connect to a coordinator's PostgreSQL database; create or migrate it by the same ladder.

    A newer schema is refused as for SQLite. No copy is made before a migration (there is
    no file to copy): backing the server up (pg_dump) is its operator's job; a failed step
    rolls back with its version stamp (PostgreSQL's DDL is transactional). Coordinators
    starting at once: one migrates under an advisory lock, the others wait, then find the
    schema current.
    """
    store = Store(None, create_postgres_engine(url))
    try:
        with postgres_session_lock(store.engine, PG_MIGRATION_LOCK, MIGRATION_WAIT_S) as got:
            if not got:
                raise StoreError(_("Another OVOP Desktop is upgrading this database; try again."))
            migrate(store, None, progress)
    except sa_exc.DBAPIError as exc:
        store.close()
        raise StoreError(_("The PostgreSQL database {url} cannot be opened ({reason}).").format(
            url=store.location, reason=_short(exc))) from None
    except BaseException:
        store.close()
        raise
    return store


def first_problem(report: str) -> str:
    """The first finding of an integrity/quick check (the full report can run to pages)."""
    lines = [ln.strip() for ln in str(report).splitlines()
             if ln.strip() and not ln.startswith("*** in database")]
    return (lines[0] if lines else str(report))[:160]


def _short(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0][:200]
