"""Engine and sessions. SQLite is opened safely (foreign keys, WAL, synchronous FULL, busy timeout);
any other URL (e.g. PostgreSQL) is used as given."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000


def url_for(path_or_url: str | Path) -> str:
    text = str(path_or_url)
    return text if "://" in text else f"sqlite:///{Path(text).resolve()}"


def sqlite_file(url: str) -> Path | None:
    """The database file behind a SQLite URL (None for other backends or in-memory)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    return Path(url[len("sqlite:///"):])


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.close()


def _sqlite_query_only(dbapi_conn, _record) -> None:
    """A read-only workspace (another program holds the file): any write fails in SQLite itself."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def _driver_autocommit(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(path_or_url: str | Path, *, transactional_ddl: bool = False, read_only: bool = False) -> Engine:
    """transactional_ddl: for migrations. The driver's own transaction handling commits DDL at
    once, so a failed upgrade would leave half a schema; with this, BEGIN is issued for every
    statement and the whole upgrade rolls back. Everyday sessions keep the driver's handling,
    where reads take no snapshot and a write starts its transaction (no BUSY_SNAPSHOT between
    two windows editing at once). read_only: every connection refuses writes (PRAGMA query_only)."""
    url = url_for(path_or_url)
    if url.startswith("sqlite"):
        # One connection per thread at a time (pool); workers open their own sessions.
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
        if transactional_ddl:
            event.listen(engine, "connect", _driver_autocommit)
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
