"""One writer per database file: the instance lock beside it (db.lock), the workspace that takes it,
and the read-only workspace a second program may open instead."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.errors import is_expected, user_sentence
from app.services.base_data import save_department
from app.services.workspace import Workspace
from db.errors import DatabaseInUse, ReadOnlyDatabase
from db.lock import Holder, InstanceLock, lock_path

ROOT = Path(__file__).resolve().parents[2]

HOLD = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from db.lock import InstanceLock
    lock = InstanceLock({db!r})
    print("held" if lock.acquire() else "refused", flush=True)
    sys.stdin.readline()
""")


def hold_in_another_process(db: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD.format(root=str(ROOT), db=str(db))],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_lock_on_the_same_file_is_refused_and_says_who_holds_it(tmp_path):
    db = tmp_path / "县.sqlite3"
    first, second = InstanceLock(db), InstanceLock(db)
    assert first.acquire() and first.held
    assert lock_path(db).exists()
    assert not second.acquire() and not second.held
    me = Holder.me()
    assert second.holder() == Holder(me.user, me.host, os.getpid())
    first.release()
    assert second.acquire()  # a released lock lets the next one in
    second.release()


def test_a_lock_held_by_another_process_refuses_an_exclusive_open_until_it_ends(ws, tmp_path):
    db = ws.db_file
    ws.close()
    holder = hold_in_another_process(db)
    try:
        with pytest.raises(DatabaseInUse) as refused:
            Workspace.open(db, exclusive=True)
        me = Holder.me()
        assert refused.value.message == f"这个数据库正在被 {me.user}（{me.host}）使用。"
        assert is_expected(refused.value)
    finally:
        holder.kill()  # a crash: the OS lets go of the lock, the file stays behind
        holder.wait()
    assert lock_path(db).exists()
    again = Workspace.open(db, exclusive=True)
    assert again.lock is not None and again.lock.held
    again.close()
    assert not again.lock.held


def test_an_exclusive_workspace_holds_the_file_until_closed(ws):
    db = ws.db_file
    first = Workspace.open(db, exclusive=True)
    with pytest.raises(DatabaseInUse):
        Workspace.open(db, exclusive=True)
    first.close()
    second = Workspace.open(db, exclusive=True)
    second.close()


def test_a_failed_exclusive_open_lets_go_of_the_lock(tmp_path):
    db = tmp_path / "坏.sqlite3"
    db.write_bytes(b"\x00garbage" * 2000)
    from db.errors import DamagedDatabase

    with pytest.raises(DamagedDatabase):
        Workspace.open(db, exclusive=True)
    lock = InstanceLock(db)
    assert lock.acquire()
    lock.release()


def test_a_read_only_workspace_reads_and_refuses_every_write_in_a_sentence(county):
    db = county.db_file
    writer = Workspace.open(db, exclusive=True)  # the other program
    try:
        reader = Workspace.open(db, read_only=True)
        assert reader.read_only and reader.lock is None
        assert reader.home_region() == "370117"
        with pytest.raises(ReadOnlyDatabase) as refused:
            save_department(reader, {"code": "301001", "name": "示范县教育局", "kind": "部门"})
        assert user_sentence(refused.value) == "数据库以只读方式打开，不能保存修改。"
        with pytest.raises(ReadOnlyDatabase):
            reader.set_setting("last_year", "2024")
        # the writer still writes, and the reader sees it
        save_department(writer, {"code": "301001", "name": "示范县教育局", "kind": "部门"})
        from app.services.base_data import list_departments

        assert any(d.code == "301001" for d in list_departments(reader))
        reader.close()
    finally:
        writer.close()


def test_the_sentence_for_a_raw_read_only_refusal(county):
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    reader = Workspace.open(county.db_file, read_only=True)
    try:
        with pytest.raises(OperationalError) as raw:
            with reader.engine.begin() as conn:
                conn.execute(text("UPDATE setting SET value = 'x'"))
        assert user_sentence(raw.value) == "数据库以只读方式打开，不能保存修改。"
    finally:
        reader.close()
