"""Engine and sessions. SQLite is opened safely (foreign keys, WAL, synchronous FULL, busy timeout);
a PostgreSQL URL (postgresql://user:password@host:port/dbname) is driven by psycopg 3; any other
URL is used as given. A URL's password is never shown: `shown` names a database for people and logs."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 10_000
CONNECT_TIMEOUT_S = 10


_PG_SCHEMES = ("postgresql://", "postgres://", "postgresql+psycopg2://")


def url_for(path_or_url: str | Path) -> str:
    """A file path becomes a SQLite URL; postgresql://user@host:port/dbname is driven by psycopg 3
    (SQLAlchemy's default for that scheme would be psycopg2, which the program does not ship)."""
    text = str(path_or_url)
    if "://" not in text:
        return f"sqlite:///{Path(text).resolve()}"
    for scheme in _PG_SCHEMES:
        if text.startswith(scheme):
            return "postgresql+psycopg://" + text[len(scheme):]
    return text


def shown(path_or_url: str | Path) -> str:
    """A database named for a person or a log: the file path, or the URL without its password."""
    text = str(path_or_url)
    if "://" not in text:
        return text
    from sqlalchemy.engine import make_url

    try:
        return make_url(text).render_as_string(hide_password=True).replace(":***@", "@")
    except Exception:  # noqa: BLE001 - a URL SQLAlchemy cannot read: still never show what may be a password
        return re.sub(r"//([^/@:]*):[^/@]*@", r"//\1@", text)


def sqlite_file(url: str) -> Path | None:
    """The database file behind a SQLite URL (None for other backends or in-memory)."""
    if not url.startswith("sqlite:///") or url == "sqlite:///:memory:":
        return None
    return Path(url[len("sqlite:///"):])


def scrubbed(text: str, url: str) -> str:
    """`text` (a driver's message) with the URL's password, if any, blotted out."""
    from sqlalchemy.engine import make_url

    try:
        password = make_url(url).password
    except Exception:  # noqa: BLE001 - nothing to blot out of a URL that cannot be read
        return text
    return text.replace(str(password), "***") if password else text


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


def _sqlite_no_foreign_keys(dbapi_conn, _record) -> None:
    """A migration's connection: SQLite rebuilds a table to change its constraints (batch mode), and
    dropping the old copy of a table others refer to fails while foreign keys are enforced (the
    pragma cannot change inside the transaction). db.migrate.upgrade checks them before committing."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=OFF")
    cur.close()


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
            event.listen(engine, "connect", _sqlite_no_foreign_keys)
            event.listen(engine, "begin", _sqlite_begin)
        return engine
    if not url.startswith("postgresql"):
        return create_engine(url, pool_pre_ping=True)
    # every connection names the program; read_only makes every transaction refuse writes
    args = {"connect_timeout": CONNECT_TIMEOUT_S, "application_name": "perfdesk"}
    if read_only:
        args["options"] = "-c default_transaction_read_only=on"
    engine = create_engine(url, pool_pre_ping=True, connect_args=args)
    event.listen(engine, "after_cursor_execute", _count_written_rows)
    event.listen(engine, "commit", _analyze_bulk_writes)
    event.listen(engine, "rollback", lambda conn: conn.info.pop(_WRITTEN, None))
    return engine


# PostgreSQL plans by its statistics of each table, which its autovacuum refreshes only some time
# after a write. Right after an import of thousands of rows it would still believe the tables
# small and plan the next read as nested loops over them (the monitoring page of a 5,000-project
# round: 17 s instead of 0.2 s). So a transaction that wrote many rows into a table refreshes that
# table's statistics before it commits (ANALYZE of one table: milliseconds).
BULK_ROWS = 1000
_WRITTEN = "perfdesk_rows_written"
_WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)


def _count_written_rows(conn, cursor, statement, parameters, context, executemany) -> None:
    found = _WRITE.match(statement)
    if found is None:
        return
    rows = max(cursor.rowcount or 0, len(parameters) if executemany and parameters else 0)
    written = conn.info.setdefault(_WRITTEN, {})
    written[found.group(1)] = written.get(found.group(1), 0) + rows


def _analyze_bulk_writes(conn) -> None:
    written = conn.info.pop(_WRITTEN, None) or {}
    for table in sorted(t for t, rows in written.items() if rows >= BULK_ROWS):
        conn.exec_driver_sql(f'ANALYZE "{table}"')


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
