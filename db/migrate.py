"""Open a database for use: check it, refuse one from a newer version, copy it aside, migrate."""

from __future__ import annotations

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


def open_engine(path_or_url: str | Path, *, backup_before_upgrade: bool = True) -> Engine:
    """An engine on an up-to-date schema. Raises DamagedDatabase, NewerDatabase or ForeignDatabase
    (each with a sentence for the user); in those cases nothing in the file was changed."""
    url = url_for(path_or_url)
    file = sqlite_file(url)
    existing = file is not None and file.exists() and file.stat().st_size > 0
    if existing:
        check_integrity(file)
    engine = make_engine(url)
    current = current_revision(engine)
    if current is None and inspect(engine).get_table_names():
        engine.dispose()
        raise ForeignDatabase(file)
    if current is not None and not _known(current):
        engine.dispose()
        raise NewerDatabase(file, current)
    if current != head_revision():
        if existing and current is not None and backup_before_upgrade:
            auto_backup(file, f"before-upgrade-from-{current}")
        with engine.begin() as conn:
            cfg = _config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    return engine
