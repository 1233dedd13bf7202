"""Bring a database to the current schema: detect, refuse, back up, migrate."""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import inspect, text

from ovop_desktop import __version__
from ovop_desktop.data.db import Store
from ovop_desktop.data.migrations import CURRENT_VERSION, LADDER
from ovop_desktop.errors import StoreError
from ovop_desktop.i18n import _


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def newer_message(version: int) -> str:
    return _(
        "This database was written by a newer OVOP Desktop (schema version {theirs}); this "
        "version reads up to {ours}. Install the newer version; nothing was changed."
    ).format(theirs=version, ours=CURRENT_VERSION)


def stored_version(store: Store) -> int:
    """0 for an empty database; raises StoreError for a database that is not ours."""
    with store.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        if not tables:
            return 0
        if "schema_version" not in tables:
            raise StoreError(_("{path} is a database of another program, not of OVOP Desktop.")
                             .format(path=store.location))
        row = conn.execute(text("SELECT max(version) FROM schema_version")).scalar()
        return int(row or 0)


def backup_copy(store: Store, target: Path) -> Path:
    """Copy the live database with SQLite's online backup API, then verify the copy.

    The copy is fsynced before it gets its final name, so a name never holds less than a
    whole copy; a copy that cannot be written stops the migration with a sentence.
    """
    tmp = target.with_suffix(target.suffix + ".part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        src = store.raw_connection()
        try:
            dst = sqlite3.connect(tmp)
            try:
                src.backup(dst)
                ok = dst.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dst.close()
        finally:
            src.close()
        if ok != "ok":
            tmp.unlink(missing_ok=True)
            raise StoreError(_("The safety copy of the database failed its integrity check."))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        tmp.replace(target)
    except (OSError, sqlite3.Error) as exc:
        for part in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                part.unlink()
        raise StoreError(_("The safety copy of the database could not be written in {folder} "
                           "({reason}); the database was not changed.").format(
            folder=target.parent, reason=getattr(exc, "strerror", None) or exc)) from None
    return target


def migrate(store: Store, backups: Path | None,
            progress: Callable[[int, int], None] | None = None) -> Path | None:
    """Run the ladder up to CURRENT_VERSION; returns the pre-migration copy, if one was made.

    Only an SQLite file is copied (into `backups`); a PostgreSQL server is backed up by its
    operator (pg_dump)."""
    version = stored_version(store)
    if version > CURRENT_VERSION:
        raise StoreError(newer_message(version))
    if version == CURRENT_VERSION:
        return None
    copy = None
    if version > 0 and store.is_sqlite and backups is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        copy = backup_copy(store, backups / f"pre-migration-v{version}-{stamp}.sqlite3")
    steps = LADDER[version:]
    for i, step in enumerate(steps, start=1):
        # Each step and its version stamp commit together: a crash leaves the old version.
        with store.engine.begin() as conn:
            step(conn)
            conn.execute(text("DELETE FROM schema_version"))
            conn.execute(
                text("INSERT INTO schema_version (id, version, app_version, updated_at) "
                     "VALUES (1, :v, :a, :t)"),
                {"v": version + i, "a": __version__, "t": now_iso()},
            )
        if progress:
            progress(i, len(steps))
    return copy
