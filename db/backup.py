"""File-level safety for SQLite: online backups (sqlite3 backup API), integrity checks, restore."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import datetime
from pathlib import Path

from db.errors import DamagedDatabase


def backups_dir(db_file: Path) -> Path:
    """Backups sit beside the database they protect, in backups/."""
    return db_file.parent / "backups"


def _connect_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def backup_file(src: Path, dest: Path) -> Path:
    """A consistent copy of a live database, even while another connection writes to it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".part")
    tmp.unlink(missing_ok=True)
    with closing(_connect_readonly(src)) as source, closing(sqlite3.connect(tmp)) as target:
        source.backup(target)
    tmp.replace(dest)
    return dest


def auto_backup(db_file: Path, reason: str) -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    return backup_file(db_file, backups_dir(db_file) / f"{db_file.stem}-{reason}-{stamp}.sqlite3")


def list_backups(db_file: Path) -> list[Path]:
    """Newest first."""
    folder = backups_dir(db_file)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{db_file.stem}-*.sqlite3"), key=lambda p: p.stat().st_mtime, reverse=True)


def check_integrity(path: Path) -> None:
    """Raises DamagedDatabase when SQLite's own check fails or the file is not a database."""
    try:
        with closing(_connect_readonly(path)) as conn:
            rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise DamagedDatabase(path, str(exc)) from exc
    if rows != [("ok",)]:
        raise DamagedDatabase(path, "; ".join(str(r[0]) for r in rows[:5]))


def restore_file(backup: Path, db_file: Path) -> None:
    """Put a backup in place of the database (the caller has checked it and copied the current
    file aside). The WAL and shared-memory files of the old database are removed with it."""
    check_integrity(backup)
    for suffix in ("-wal", "-shm"):
        Path(str(db_file) + suffix).unlink(missing_ok=True)
    tmp = db_file.with_name(db_file.name + ".restoring")
    shutil.copyfile(backup, tmp)
    tmp.replace(db_file)


def prune_backups(db_file: Path, reason: str, keep: int) -> None:
    """Keep the newest `keep` automatic backups made for `reason`; older ones are removed."""
    mine = [p for p in list_backups(db_file) if p.name.startswith(f"{db_file.stem}-{reason}-")]
    for old in mine[keep:]:
        old.unlink(missing_ok=True)
