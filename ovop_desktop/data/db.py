"""The SQLite store: durable pragmas on every connection, one writer at a time.

Python 3.11's sqlite3 driver opens transactions lazily and skips BEGIN for
DDL, so we take BEGIN away from it (isolation_level=None) and emit our own:
BEGIN IMMEDIATE for writers, so the write lock is taken up front and a second
writer waits (busy timeout) instead of failing half-way through its work.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session, sessionmaker

from ovop_desktop.errors import StoreError
from ovop_desktop.i18n import _

BUSY_TIMEOUT_S = 10.0
SQLITE_HEADER = b"SQLite format 3\x00"
_READONLY = "ovop_readonly"


def _on_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves (see module docstring)
    cur = dbapi_conn.cursor()
    # Outside any transaction, or foreign_keys is silently ignored.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
    cur.close()


def _on_begin(conn: Connection) -> None:
    readonly = conn.get_execution_options().get(_READONLY, False)
    conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")


def create_sqlite_engine(path: Path) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


class Store:
    """An open profile database: sessions for writing and for reading.

    One `with store.write() as s:` block is one unit of work: it commits at the
    end, or rolls back entirely if anything raises. Sessions never cross threads.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(
            engine.execution_options(**{_READONLY: True}), expire_on_commit=False
        )

    @contextmanager
    def write(self) -> Iterator[Session]:
        try:
            with self._writer() as session, session.begin():
                yield session
        except (sa_exc.OperationalError, sqlite3.OperationalError) as exc:
            # A full or failing disk is the user's to fix, not a bug: say so in one sentence
            # (SQLite has rolled the transaction back).
            orig = getattr(exc, "orig", None) or exc
            name = getattr(orig, "sqlite_errorname", "")
            if name != "SQLITE_FULL" and not name.startswith("SQLITE_IOERR"):
                raise
            raise StoreError(_("The database could not be written ({reason}); the change was "
                               "not saved. Free some disk space or check the disk, then try "
                               "again.").format(reason=orig)) from None

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._reader() as session, session.begin():
            yield session

    def raw_connection(self) -> sqlite3.Connection:
        """A plain sqlite3 connection with the same pragmas (integrity checks, backups)."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        _on_connect(conn, None)
        return conn

    def close(self) -> None:
        self.engine.dispose()
