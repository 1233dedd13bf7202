"""The store: SQLite (every laptop) or PostgreSQL (a shared coordinator store); one writer
at a time on both.

Python 3.11's sqlite3 driver opens transactions lazily and skips BEGIN for
DDL, so we take BEGIN away from it (isolation_level=None) and emit our own:
BEGIN IMMEDIATE for writers, so the write lock is taken up front and a second
writer waits (busy timeout) instead of failing half-way through its work.

PostgreSQL gets the same single writer: every write transaction starts with
pg_advisory_xact_lock on one key (held to commit or rollback), readers are not
blocked. The simplest correct choice: the writers read, then write what they read
(audit.append's max(seq)+1, the import's duplicate and sequence checks, the current
moderation), and under SERIALIZABLE two of them would collide and one would have to be
re-run from the start, which a `with store.write()` block cannot do; queued, none
collides, so there is nothing to retry. Writers run at READ COMMITTED so that every
statement after the lock sees every commit made before it (REPEATABLE READ would keep
the snapshot taken at the lock statement); read sessions run at REPEATABLE READ READ
ONLY: one consistent snapshot, as on SQLite, and a write by mistake fails loudly.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.orm import Session, sessionmaker

from ovop_desktop.errors import StoreError
from ovop_desktop.i18n import _

BUSY_TIMEOUT_S = 10.0
SQLITE_HEADER = b"SQLite format 3\x00"
_READONLY = "ovop_readonly"  # no writer lock (reads; the migration lock's own connection)
PG_WRITE_WAIT_S = 120.0  # a PostgreSQL writer waits this long for the others (lock_timeout)
# Advisory lock keys (per database): every writer's, and the one a migration holds.
PG_WRITER_LOCK = int.from_bytes(b"OVOPwrit", "big")
PG_MIGRATION_LOCK = int.from_bytes(b"OVOPmigr", "big")


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


def postgres_url(url: str) -> URL:
    """A PostgreSQL address for psycopg 3 (`postgresql://…` means psycopg here), or a refusal."""
    try:
        parsed = make_url(url.strip())
    except sa_exc.ArgumentError:
        parsed = None
    if (parsed is None or parsed.drivername not in ("postgresql", "postgres",
                                                    "postgresql+psycopg")
            or not parsed.database):
        raise StoreError(_("{url} is not a PostgreSQL database address; write it as "
                           "postgresql://user@host/database.").format(url=_masked(url)))
    return parsed.set(drivername="postgresql+psycopg")


def _masked(url: str) -> str:
    try:
        return make_url(url.strip()).render_as_string(hide_password=True)
    except sa_exc.ArgumentError:
        return "?"


def _on_pg_connect(dbapi_conn: Any, _record: Any) -> None:
    """A writer that cannot get the lock in PG_WRITE_WAIT_S fails instead of hanging."""
    autocommit = dbapi_conn.autocommit
    dbapi_conn.autocommit = True
    try:
        dbapi_conn.execute(f"SET lock_timeout = {int(PG_WRITE_WAIT_S * 1000)}")
    finally:
        dbapi_conn.autocommit = autocommit


def _on_pg_begin(conn: Connection) -> None:
    if not conn.get_execution_options().get(_READONLY, False):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({PG_WRITER_LOCK})")


def create_postgres_engine(url: str) -> Engine:
    """An engine on a coordinator's PostgreSQL database (the `postgres` extra: psycopg 3)."""
    address = postgres_url(url)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        raise StoreError(_("PostgreSQL support is not installed. Install it with: "
                           "pip install 'ovop-desktop[postgres]'")) from None
    # READ COMMITTED explicitly: a server whose default is stricter would freeze a writer's
    # snapshot before its lock was granted (see the module docstring).
    engine = create_engine(address, isolation_level="READ COMMITTED", pool_pre_ping=True)
    event.listen(engine, "connect", _on_pg_connect)
    event.listen(engine, "begin", _on_pg_begin)
    return engine


@contextmanager
def postgres_session_lock(engine: Engine, key: int, wait_s: float) -> Iterator[bool]:
    """Hold a session advisory lock for the block (True), or say it stayed taken (False).

    On its own connection, outside any transaction, so the block's own transactions
    commit as usual; released before the connection goes back to the pool.
    """
    conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT", **{_READONLY: True})
    try:
        deadline = time.monotonic() + wait_s
        while not (got := bool(conn.exec_driver_sql(
                f"SELECT pg_try_advisory_lock({key})").scalar())):
            if time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        try:
            yield got
        finally:
            if got:
                try:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({key})")
                except sa_exc.DBAPIError:
                    conn.invalidate()  # a closed connection holds no lock
    finally:
        conn.close()


def _postgres_problem(exc: BaseException, location: str, writing: bool = True) -> str | None:
    """The sentence for what the server refused for a reason the user can act on."""
    orig = getattr(exc, "orig", None) or exc
    state = str(getattr(orig, "sqlstate", "") or "")
    if state == "55P03":  # lock_not_available: lock_timeout ran out
        return _("Another coordinator kept the shared database busy for more than {s} seconds; "
                 "the change was not saved. Try again.").format(s=int(PG_WRITE_WAIT_S))
    if (state[:2] in ("08", "57") or getattr(exc, "connection_invalidated", False)
            or (not state and isinstance(exc, sa_exc.OperationalError))):
        reason = str(orig).splitlines()[0][:200] if str(orig) else type(orig).__name__
        if not writing:
            return _("The database server {where} cannot be reached ({reason}).").format(
                where=location, reason=reason)
        return _("The database server {where} cannot be reached ({reason}); the change was "
                 "not saved.").format(where=location, reason=reason)
    if state[:2] == "53":  # insufficient resources: disk full, out of memory
        return _("The database server could not store the change ({reason}); the change was "
                 "not saved. Ask its administrator to free disk space.").format(
            reason=str(orig).splitlines()[0][:200])
    return None


class Store:
    """An open profile database: sessions for writing and for reading.

    One `with store.write() as s:` block is one unit of work: it commits at the
    end, or rolls back entirely if anything raises. Sessions never cross threads.
    `path` is the SQLite file; None for a PostgreSQL store (see `location`).
    """

    def __init__(self, path: Path | None, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        reading: dict[str, Any] = {_READONLY: True}
        if not self.is_sqlite:
            reading.update(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(engine.execution_options(**reading), expire_on_commit=False)

    @property
    def location(self) -> str:
        """Where the data is, for messages: the file, or the server address (no password)."""
        if self.path is not None:
            return str(self.path)
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def write(self) -> Iterator[Session]:
        try:
            with self._writer() as session, session.begin():
                yield session
        except (sa_exc.OperationalError, sqlite3.OperationalError) as exc:
            if not self.is_sqlite:
                problem = _postgres_problem(exc, self.location)
                if problem is None:
                    raise
                raise StoreError(problem) from None
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
        try:
            with self._reader() as session, session.begin():
                yield session
        except sa_exc.OperationalError as exc:  # a server gone away: a sentence, not a crash
            problem = None if self.is_sqlite else _postgres_problem(exc, self.location,
                                                                    writing=False)
            if problem is None:
                raise
            raise StoreError(problem) from None

    def raw_connection(self) -> sqlite3.Connection:
        """A plain sqlite3 connection with the same pragmas (integrity checks, backups).

        SQLite only: callers check `is_sqlite` first (a PostgreSQL store has no file)."""
        if self.path is None:
            raise StoreError(_("This works only on an SQLite store; {location} is a PostgreSQL "
                               "database.").format(location=self.location))
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        _on_connect(conn, None)
        return conn

    def close(self) -> None:
        self.engine.dispose()
