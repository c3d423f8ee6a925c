"""Backups and checks of the database: a SQLite file, or a database on a PostgreSQL server."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.rules.validation import RejectedError
from db.backup import backup_file, check_integrity, list_backups, restore_file
from db.errors import DatabaseProblem, ForeignDatabase
from db.migrate import head_revision, refuse_if_not_ours
from app.services import guard
from app.services.actor import Actor
from app.services.workspace import Workspace


def backup_to(ws: Workspace, out: Path, actor: Actor | None = None) -> Path:
    """A consistent copy of the open database at `out`: the SQLite file's online backup, or for a
    server database pg_dump's custom format (the program's portable file where pg_dump is missing).
    Once the database has users, 绩效科's alone: a backup holds every record and the password hashes."""
    guard.permit(actor or ws.actor, guard.BACKUP, "备份")
    if ws.db_file is None:
        from db.pg_backup import backup

        return backup(ws.url, Path(out))
    if out.resolve() == ws.db_file.resolve():
        raise RejectedError("备份文件不能是正在使用的数据库本身，请另选一个文件名。")
    return backup_file(ws.db_file, out)


@dataclass
class CheckResult:
    ok: bool
    message: str
    revision: str | None = None

    def sentence(self) -> str:
        return self.message


def check_database(path: Path | str) -> CheckResult:
    """Integrity and schema version, read without changing the file (or the server database)."""
    if isinstance(path, str) and "://" in path:
        return _check_server(path)
    path = Path(path)
    if not path.exists():
        return CheckResult(False, f"找不到数据库文件：{path}")
    try:
        check_integrity(path)
        rev = refuse_if_not_ours(path)
    except DatabaseProblem as exc:
        return CheckResult(False, exc.message)
    head = head_revision()
    if rev == head:
        return CheckResult(True, f"数据库完好，结构版本{rev}（最新）。", rev)
    if rev is None:
        return CheckResult(False, "数据库文件完好，但还没有初始化（本程序打开时会建立）。", rev)
    return CheckResult(True, f"数据库完好，结构版本{rev}，打开时将升级到{head}（升级前自动备份）。", rev)


def _check_server(url: str) -> CheckResult:
    """What can be checked of a server database from here: that it answers, is this program's, at
    which schema revision, and that every table of this version is there. (Its pages are the
    server's to keep whole.)"""
    from db.migrate import server_state

    try:
        rev, missing = server_state(url)
    except DatabaseProblem as exc:
        return CheckResult(False, exc.message)
    head = head_revision()
    if rev is None:
        return CheckResult(False, "服务器数据库可以连接，但还没有初始化（本程序打开时会建立）。", rev)
    if rev == head and missing:
        return CheckResult(False, f"服务器数据库缺少数据表：{'、'.join(missing)}。请从备份恢复或联系技术支持。", rev)
    if rev == head:
        return CheckResult(True, f"服务器数据库可以连接，数据表齐全，结构版本{rev}（最新）。", rev)
    return CheckResult(True, f"服务器数据库可以连接，结构版本{rev}，打开时将升级到{head}。", rev)


def newest_backup(db_file: Path) -> Path | None:
    backups = list_backups(db_file)
    return backups[0] if backups else None


def restore_newest(db_file: Path) -> Path:
    """Restore the newest good backup over a damaged database, keeping the damaged file aside."""
    for backup in list_backups(db_file):
        try:
            check_integrity(backup)
        except DatabaseProblem:
            continue
        damaged = db_file.with_name(db_file.name + ".damaged")
        if db_file.exists():
            db_file.replace(damaged)
        restore_file(backup, db_file)
        return backup
    raise DatabaseProblem(db_file, "没有找到可用的备份，无法恢复。请联系技术支持。")


EXIT_BACKUPS_DEFAULT = 10


def backup_on_exit(ws: Workspace) -> Path | None:
    """An automatic backup when the program closes, keeping the newest N (setting exit_backups)."""
    if ws.db_file is None:
        return None
    from db.backup import auto_backup, prune_backups
    path = auto_backup(ws.db_file, "exit")
    prune_backups(ws.db_file, "exit", exit_backup_count(ws))
    return path


def restore_from(ws: Workspace, source: Path, actor: Actor | None = None) -> Path:
    """Put a chosen backup in place of the open database. The file must be an intact perfdesk
    database no newer than this program; the current database is copied aside first (returned).
    A refused file changes nothing. An older backup is migrated after it is put in place.
    Once the database has users, 绩效科's alone (the backup replaces every record and the users)."""
    guard.permit(actor or ws.actor, guard.BACKUP, "恢复")
    if ws.db_file is None:
        return _restore_server(ws, Path(source))
    source = Path(source)
    if not source.is_file():
        raise DatabaseProblem(source, f"找不到备份文件“{source}”。")
    if source.resolve() == ws.db_file.resolve():
        raise RejectedError("选择的就是正在使用的数据库，不需要恢复。")
    check_integrity(source)
    revision = refuse_if_not_ours(source)
    if revision is None:
        raise ForeignDatabase(source)
    from db.backup import auto_backup
    from db.migrate import upgrade

    aside = auto_backup(ws.db_file, "before-restore")
    ws.engine.dispose()  # no connection may hold the old file while it is replaced
    restore_file(source, ws.db_file)
    if revision != head_revision():
        upgrade(ws.url)
    ws.forget_cached()
    return aside


def _restore_server(ws: Workspace, source: Path) -> Path:
    """A server database: its content now is kept first (in the data folder's backups), then the
    backup replaces it in one transaction; an older backup is migrated after."""
    from datetime import datetime

    from sqlalchemy.engine import make_url

    from app.paths import data_dir
    from db.migrate import upgrade
    from db.pg_backup import backup, kind_of, restore

    if not source.is_file():
        raise DatabaseProblem(source, f"找不到备份文件“{source}”。")
    if not kind_of(source):
        raise DatabaseProblem(source, f"“{source.name}”不是本程序的服务器数据库备份，未作任何改动。")
    name = make_url(ws.url).database or "server"
    aside = backup(ws.url, data_dir() / "backups" / f"{name}-before-restore-{datetime.now():%Y%m%d-%H%M%S-%f}.backup")
    ws.engine.dispose()
    restore(ws.url, source)
    upgrade(ws.url)  # nothing to do when the backup is at head
    ws.forget_cached()
    return aside


def exit_backup_count(ws: Workspace) -> int:
    return int(ws.get_setting("exit_backups", str(EXIT_BACKUPS_DEFAULT)) or EXIT_BACKUPS_DEFAULT)


def set_exit_backup_count(ws: Workspace, count: int) -> None:
    if not 1 <= count <= 100:
        raise RejectedError("自动备份保留份数应在1到100之间。")
    ws.set_setting("exit_backups", str(count))
