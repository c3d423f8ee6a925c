"""Opening the database from the GUI: damaged files, newer versions, backups on exit."""

import sqlite3

from PySide6.QtWidgets import QMessageBox

from app.services import maintenance
from app.services.projects import list_projects
from db.backup import list_backups
from ui.app import open_workspace


def damage(path):
    with open(path, "r+b") as fh:
        fh.seek(0)
        fh.write(b"this is not a database any more" * 200)


def test_a_damaged_database_is_restored_from_the_newest_backup_after_asking(qtbot, demo_ws, monkeypatch):
    path = demo_ws.db_file
    assert maintenance.backup_on_exit(demo_ws) is not None
    demo_ws.close()
    damage(path)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda parent, title, text: asked.append(text) or QMessageBox.Yes)
    ws = open_workspace(path)
    assert asked and "已损坏" in asked[0] and "是否用它恢复" in asked[0]
    assert len(list_projects(ws, 2022)) == 17
    assert path.with_name(path.name + ".damaged").exists()
    ws.close()


def test_declining_the_restore_changes_nothing(qtbot, demo_ws, monkeypatch):
    path = demo_ws.db_file
    maintenance.backup_on_exit(demo_ws)
    demo_ws.close()
    damage(path)
    before = path.read_bytes()
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.No)
    assert open_workspace(path) is None
    assert path.read_bytes() == before


def test_a_database_from_a_newer_version_is_refused_with_a_sentence(qtbot, ws, monkeypatch):
    path = ws.db_file
    ws.close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    shown = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: shown.append(text))
    assert open_workspace(path) is None
    assert shown == ["这个数据库是由更新版本的本程序创建的，当前版本无法打开。请安装最新版本后再打开，数据不会有任何改动。"]


def test_exit_backups_keep_only_the_newest(ws):
    ws.set_setting("exit_backups", "2")
    for _ in range(4):
        maintenance.backup_on_exit(ws)
    assert len([p for p in list_backups(ws.db_file) if "-exit-" in p.name]) == 2


def test_no_garbage_collection_runs_in_a_worker_thread(qtbot):
    """A collection in a worker could destroy Qt objects off the GUI thread and crash the program:
    the one program-wide policy keeps automatic collection off while jobs run, and no job
    switches it; the op returns at once and its result arrives on the GUI thread."""
    import gc
    import threading

    from ui.ops import QueryOp, idle

    seen, arrived = [], []
    gate = threading.Event()

    def work(job):
        gate.wait(5)
        seen.append((gc.isenabled(), threading.current_thread() is threading.main_thread()))
        return 42

    op = QueryOp(None, work, lambda result: arrived.append((result, threading.current_thread() is threading.main_thread())))
    op.run()
    assert not op.done and not idle()  # returned at once, no nested event loop
    gate.set()
    qtbot.waitUntil(lambda: op.done, timeout=5000)
    assert seen == [(False, False)] and arrived == [(42, True)]
    assert not gc.isenabled()  # the program's policy, not switched back on by a job


def test_the_application_carries_the_one_collection_policy(qapp):
    """make_application — used by the program, --selftest and the screenshots — turns automatic
    collection off and collects on the GUI thread on a timer; a second call adds no second timer."""
    import gc

    from PySide6.QtCore import QTimer

    from ui.app import make_application

    make_application()
    timers = [t for t in qapp.findChildren(QTimer) if t.objectName() == "gc_timer"]
    assert not gc.isenabled() and len(timers) == 1 and timers[0].isActive()


# -- a second program on the same file (issue 10) ----------------------------------------------------
def test_a_database_in_use_is_opened_read_only_when_the_user_chooses_so(qtbot, county, monkeypatch):
    import ui.app
    from app.services.workspace import Workspace
    from db.errors import ReadOnlyDatabase
    from db.lock import Holder

    path = county.db_file
    other = Workspace.open(path, exclusive=True)  # the first window
    asked = []
    monkeypatch.setattr(ui.app, "ask_in_use", lambda text: asked.append(text) or ui.app.READ_ONLY)
    try:
        ws = open_workspace(path)
        me = Holder.me()
        assert asked == [f"这个数据库正在被 {me.user}（{me.host}）使用。"]
        assert ws is not None and ws.read_only and ws.lock is None
        assert ws.home_region() == "370117"
        try:
            ws.set_setting("last_year", "2023")
            raise AssertionError("a read-only workspace wrote")
        except ReadOnlyDatabase as refused:
            assert refused.message == "数据库以只读方式打开，不能保存修改。"
        ws.close()
    finally:
        other.close()


def test_a_database_in_use_is_not_opened_when_the_user_quits(qtbot, county, monkeypatch):
    import ui.app
    from app.services.workspace import Workspace

    path = county.db_file
    other = Workspace.open(path, exclusive=True)
    monkeypatch.setattr(ui.app, "ask_in_use", lambda text: ui.app.QUIT)
    try:
        assert open_workspace(path) is None
    finally:
        other.close()
    monkeypatch.setattr(ui.app, "ask_in_use", lambda text: (_ for _ in ()).throw(AssertionError("asked")))
    ws = open_workspace(path)  # released: opened as the one writer without asking
    assert ws is not None and not ws.read_only and ws.lock.held
    ws.close()


def test_the_in_use_question_offers_read_only_or_quit(qtbot):
    from ui.app import in_use_box

    box, read_only = in_use_box("这个数据库正在被 张三（财政局-PC01）使用。")
    qtbot.addWidget(box)
    assert "这个数据库正在被 张三（财政局-PC01）使用。" in box.text()
    assert sorted(b.text() for b in box.buttons()) == ["只读打开", "退出"]
    assert read_only.text() == "只读打开" and box.escapeButton().text() == "退出"
