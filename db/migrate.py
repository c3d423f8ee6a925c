"""Open a database for use: check it, refuse one from a newer version, copy it aside, migrate."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Engine, inspect

from db.backup import auto_backup, check_integrity
from db.engine import make_engine, sqlite_file, url_for
from db.errors import ForeignDatabase, NewerDatabase

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _known(revision: str) -> bool:
    try:
        return ScriptDirectory.from_config(_config()).get_revision(revision) is not None
    except CommandError:
        return False


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


def open_engine(path_or_url: str | Path, *, backup_before_upgrade: bool = True) -> Engine:
    """An engine on an up-to-date schema. Raises DamagedDatabase, NewerDatabase or ForeignDatabase
    (each with a sentence for the user); in those cases nothing in the file was changed."""
    url = url_for(path_or_url)
    file = sqlite_file(url)
    existing = file is not None and file.exists() and file.stat().st_size > 0
    if existing:
        check_integrity(file)
        refuse_if_not_ours(file)  # before our engine's pragmas (WAL) touch the file
    engine = make_engine(url)
    current = current_revision(engine)
    if not existing:
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
        migrator = make_engine(url, transactional_ddl=True)
        try:
            with migrator.begin() as conn:
                cfg = _config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
        finally:
            migrator.dispose()
    return engine
