"""Open a database for use: check it, refuse one from a newer version, copy it aside, migrate.

Alembic (with mako and pygments behind it) is imported only when an upgrade is really needed:
an everyday start reads the revisions itself, which keeps the window quick to open."""

from __future__ import annotations

import logging
import re
import sqlite3
from contextlib import closing
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Column, Engine, MetaData, String, Table, inspect, select, text
from sqlalchemy.exc import DBAPIError

from db.backup import auto_backup, check_integrity
from db.engine import make_engine, scrubbed, shown, sqlite_file, url_for
from db.errors import DatabaseProblem, ForeignDatabase, NewerDatabase, UpgradeNeeded, server_name

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
_VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32)))
_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_UPGRADE_LOCK = 0x70657266  # "perf": the advisory lock a PostgreSQL upgrade holds
_DOWN = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)", re.M)


@lru_cache(maxsize=None)
def _revisions(folder: Path) -> tuple[frozenset[str], str]:
    """(every known revision, the head) from the migration scripts' own `revision =` lines."""
    known, parents = set(), set()
    for script in (folder / "versions").glob("*.py"):
        text = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev:
            known.add(rev.group(1))
            if down and down.group(1):
                parents.add(down.group(1))
    heads = known - parents
    if len(heads) != 1:
        raise RuntimeError(f"migration history must have one head, found {sorted(heads)}")
    return frozenset(known), heads.pop()


def head_revision() -> str:
    return _revisions(MIGRATIONS)[1]


def _known(revision: str) -> bool:
    return revision in _revisions(MIGRATIONS)[0]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(select(_VERSION_TABLE.c.version_num)).scalar()


def file_revision(path: Path) -> tuple[set[str], str | None]:
    """(table names, alembic revision) of a SQLite file, read without changing a byte of it."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        revision = None
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return tables, revision


def refuse_if_not_ours(path: Path) -> str | None:
    """Raises ForeignDatabase or NewerDatabase; returns the file's revision (None when empty)."""
    tables, revision = file_revision(path)
    if revision is None and tables - {"alembic_version"}:
        raise ForeignDatabase(path)
    if revision is not None and not _known(revision):
        raise NewerDatabase(path, revision)
    return revision


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade(url: str) -> None:
    """Run the migrations to head in one transaction (all or nothing)."""
    from alembic import command

    cfg = _config()
    migrator = make_engine(url, transactional_ddl=True)
    try:
        with migrator.begin() as conn:
            if conn.dialect.name == "postgresql":
                # two programs opening one new server database at once: the second waits, then
                # finds the schema at head and does nothing
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _UPGRADE_LOCK})
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            broken = conn.dialect.name == "sqlite" and conn.exec_driver_sql("PRAGMA foreign_key_check").first()
            if broken:  # the migrator's connection does not enforce them (db.engine): check before committing
                raise DatabaseProblem(url, "升级数据库结构时发现记录之间的关联不完整，已撤销升级，数据库保持原样。"
                                      "请用“系统 → 备份与恢复”恢复最近的备份，或把数据库文件和日志交给技术支持。",
                                      detail=f"foreign_key_check: {tuple(broken)}")
    finally:
        migrator.dispose()


def open_engine(path_or_url: str | Path, *, backup_before_upgrade: bool = True, read_only: bool = False) -> Engine:
    """An engine on an up-to-date schema. Raises DamagedDatabase, NewerDatabase or ForeignDatabase
    (each with a sentence for the user); in those cases nothing in the file was changed.
    read_only (another program holds the file): nothing is created, checked or upgraded — a file
    that would need it raises UpgradeNeeded; every connection refuses writes. A server URL
    (PostgreSQL) skips the file checks and copies: see _open_server."""
    url = url_for(path_or_url)
    file = sqlite_file(url)
    if file is None and not url.startswith("sqlite"):
        return _open_server(str(path_or_url), read_only=read_only)
    existing = file is not None and file.exists() and file.stat().st_size > 0
    if read_only and file is not None:
        if not existing:
            raise DatabaseProblem(file, f"找不到数据库文件“{file}”。")
        if refuse_if_not_ours(file) != head_revision():
            raise UpgradeNeeded(file)
        return make_engine(url, read_only=True)
    if existing:
        check_integrity(file)
        current = refuse_if_not_ours(file)  # before our engine's pragmas (WAL) touch the file
        engine = make_engine(url)
    else:
        engine = make_engine(url)
        current = current_revision(engine)
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        if current is None and tables:
            engine.dispose()
            raise ForeignDatabase(file)
        if current is not None and not _known(current):
            engine.dispose()
            raise NewerDatabase(file, current)
    if current != head_revision():
        if existing and current is not None and backup_before_upgrade:
            auto_backup(file, f"before-upgrade-from-{current}")
        upgrade(url)
    return engine


def server_state(given: str) -> tuple[str | None, list[str]]:
    """(schema revision, tables of this version missing) of a server database, changing nothing.
    Raises DatabaseProblem when it cannot be reached, holds another program's tables or comes from
    a newer version of the program."""
    from db.models import Base

    engine = _reach(given)
    try:
        current = current_revision(engine)
        tables = set(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    if current is None and tables - {"alembic_version"}:
        raise ForeignDatabase(given)
    if current is not None and not _known(current):
        raise NewerDatabase(given, current)
    return current, sorted(set(Base.metadata.tables) - tables)


def _reach(given: str, *, read_only: bool = False) -> Engine:
    """An engine on the server database whose first connection worked; else DatabaseProblem."""
    url = url_for(given)
    engine = make_engine(url, read_only=read_only)
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        engine.dispose()
        detail = scrubbed(str(getattr(exc, "orig", None) or exc), url)
        logging.getLogger("perfdesk").warning("cannot reach %s: %s", shown(given), detail)
        raise DatabaseProblem(given, UNREACHABLE.format(server=server_name(given)), detail) from None
    return engine


UNREACHABLE = ("无法连接{server}。请检查地址、端口、数据库名、用户名和密码是否正确，服务器是否在运行，"
               "以及本机能否访问该服务器。")


def _open_server(given: str, *, read_only: bool) -> Engine:
    """A database on a server (PostgreSQL): no file to check or copy aside; a database written by a
    newer program, or holding another program's tables, is refused untouched; an older one is
    migrated in one transaction. A server that cannot be reached gets a sentence (the driver's
    words go to the log, never the password)."""
    url = url_for(given)
    engine = _reach(given, read_only=read_only)
    try:
        current = current_revision(engine)
        tables = set(inspect(engine).get_table_names()) - {"alembic_version"}
        if current is None and tables:
            raise ForeignDatabase(given)
        if current is not None and not _known(current):
            raise NewerDatabase(given, current)
        if current != head_revision():
            if read_only:
                raise UpgradeNeeded(given)
            upgrade(url)
    except BaseException:
        engine.dispose()
        raise
    return engine
