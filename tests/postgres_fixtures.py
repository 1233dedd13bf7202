"""A real PostgreSQL server for the tests (OVOP_TEST_PG_URL): a database per test module,
emptied before every test. Used by tests/conftest.py and the load test (scripts/load_test.py).
"""

from __future__ import annotations

import secrets
import time

PG_ENV = "OVOP_TEST_PG_URL"


def admin_engine(url: str):  # type: ignore[no-untyped-def]
    from sqlalchemy import create_engine

    from ovop_desktop.data.db import postgres_url

    return create_engine(postgres_url(url), isolation_level="AUTOCOMMIT")


def end_sessions(conn, database: str) -> None:  # type: ignore[no-untyped-def]
    """End our own sessions on `database` that a test left open (a workspace not closed)."""
    conn.exec_driver_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %(db)s "
        "AND usename = current_user AND pid <> pg_backend_pid()", {"db": database})


_SHAPE = ("SELECT md5(string_agg(table_name || '.' || column_name || ':' || data_type || ':' "
          "|| is_nullable, ',' ORDER BY table_name, column_name)) || ("
          "SELECT md5(string_agg(indexname || indexdef, ',' ORDER BY indexname)) FROM pg_indexes "
          "WHERE schemaname = 'public') FROM information_schema.columns "
          "WHERE table_schema = 'public'")
_CURRENT_SHAPE: dict[str, str] = {}  # database URL → its shape right after the ladder


def empty_pg_database(url: str, *, keep_schema: bool = False) -> None:
    """Empty the database (ending the sessions a test left open first).

    keep_schema: if it still has exactly the tables the ladder makes, only empty them (fast;
    the schema_version row stays, as after a first start); otherwise, and by default, drop
    everything, as in a database just created."""
    engine = admin_engine(url)
    try:
        with engine.connect() as conn:
            end_sessions(conn, engine.url.database)
            shape = conn.exec_driver_sql(_SHAPE).scalar() if url in _CURRENT_SHAPE else None
            if keep_schema and shape is not None and shape == _CURRENT_SHAPE[url]:
                # DELETE, children first: TRUNCATE makes new files for every table (slow).
                from ovop_desktop.data.models import Base

                sequences = conn.exec_driver_sql(
                    "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")
                conn.exec_driver_sql("; ".join(
                    [f'DELETE FROM "{t.name}"' for t in reversed(Base.metadata.sorted_tables)
                     if t.name != "schema_version"]
                    + [f'ALTER SEQUENCE "{name}" RESTART' for (name,) in sequences]))
                return
            conn.exec_driver_sql("DROP SCHEMA public CASCADE")
            conn.exec_driver_sql("CREATE SCHEMA public")
            if keep_schema:  # the ladder once, then remember what it made
                from ovop_desktop.data.opening import open_postgres_store

                open_postgres_store(url).close()
                _CURRENT_SHAPE[url] = conn.exec_driver_sql(_SHAPE).scalar()
    finally:
        engine.dispose()


def create_test_database(server: str) -> str:
    """CREATE DATABASE ovop_test_<random> on the server of `server` (a URL whose role may
    create databases); the new database's URL."""
    name = f"ovop_test_{secrets.token_hex(6)}"
    admin = admin_engine(server)
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        return admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        admin.dispose()


def drop_test_database(server: str, url: str) -> None:
    """Drop a database create_test_database made (its sessions ended first)."""
    admin = admin_engine(server)
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    try:
        with admin.connect() as conn:
            for attempt in range(10):  # autovacuum may still be in it for a moment
                end_sessions(conn, name)
                try:
                    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
                    break
                except Exception:
                    if attempt == 9:
                        raise
                    time.sleep(0.3)
    finally:
        admin.dispose()
