"""系统 → 备份与恢复, as a user works it."""

import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox

from app.services import maintenance
from app.services.projects import list_projects, save_project
from tests.support import project_raw
from ui.dialogs.backup_dialog import BackupDialog
from ui.main_window import MainWindow


@pytest.fixture
def answers(monkeypatch):
    said = []
    monkeypatch.setattr("ui.dialogs.backup_dialog.confirm", lambda *a: True)
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda parent, title, text, _n=name: said.append((_n, text)))
    return said


def test_back_up_change_then_restore(qtbot, county, tmp_path, answers, settle):
    save_project(county, project_raw())
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.show()
    win.show_page("projects")  # the program opens on 工作台
    win.set_year(2023)
    dialog = win.open_backups()
    qtbot.addWidget(dialog)
    backup = tmp_path / "备份.sqlite3"
    assert dialog.backup_now(str(backup))
    save_project(county, project_raw(code="LATER", name="备份之后新增"))
    settle()
    assert win.projects.model.rowCount() == 2  # the page was told of the save
    assert dialog.restore_file(str(backup))
    assert [r.code for r in list_projects(county, 2023)] == ["3701172023001"]
    settle()
    assert win.projects.model.rowCount() == 1  # the window shows the restored data
    aside = [p for p in dialog.ws.db_file.parent.joinpath("backups").iterdir() if "-before-restore-" in p.name]
    assert len(aside) == 1 and answers[-1][0] == "information" and str(aside[0]) in answers[-1][1]


@pytest.mark.parametrize("make,expected", [
    (lambda p: p.write_bytes(b"not a database at all" * 100), "已损坏或不是数据库文件"),
    (lambda p: sqlite3.connect(p).execute("CREATE TABLE other (x)").connection.commit(), "不是本程序的数据库"),
])
def test_a_file_that_is_not_ours_is_refused_and_changes_nothing(qtbot, county, tmp_path, answers, make, expected):
    save_project(county, project_raw())
    source = tmp_path / "bad.sqlite3"
    make(source)
    dialog = BackupDialog(county)
    qtbot.addWidget(dialog)
    assert not dialog.restore_file(str(source))
    assert answers and answers[-1][0] == "warning" and expected in answers[-1][1]
    assert len(list_projects(county, 2023)) == 1


def test_a_backup_from_a_newer_version_is_refused(qtbot, county, tmp_path, answers):
    newer = tmp_path / "newer.sqlite3"
    maintenance.backup_to(county, newer)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    before = county.db_file.read_bytes()
    dialog = BackupDialog(county)
    qtbot.addWidget(dialog)
    assert not dialog.restore_file(str(newer))
    assert "更新版本" in answers[-1][1]
    assert county.db_file.read_bytes() == before


def test_how_many_exit_backups_to_keep(qtbot, county, answers):
    dialog = BackupDialog(county)
    qtbot.addWidget(dialog)
    dialog.keep.setValue(3)
    for _ in range(5):
        maintenance.backup_on_exit(county)
    dialog.refresh()
    assert maintenance.exit_backup_count(county) == 3
    assert len([i for i in range(dialog.backups.count()) if "-exit-" in dialog.backups.item(i).text()]) == 3
    dialog.backups.setCurrentRow(0)
    assert dialog.restore_selected()


def _window(qtbot, ws):
    win = MainWindow(ws)
    qtbot.addWidget(win)
    win.set_year(2023)
    win.show()
    return win


def test_only_the_performance_office_has_the_backup_menu(qtbot, bureau, monkeypatch):
    from PySide6.QtGui import QAction

    from app.services import users

    win = _window(qtbot, bureau)
    assert win.findChild(QAction, "act_backup").isEnabled() and win.findChild(QAction, "act_backups").isEnabled()
    bureau.actor = users.login(bureau, "张主管", "secret-1")
    win.apply_actor()
    assert not win.findChild(QAction, "act_backup").isEnabled() and not win.findChild(QAction, "act_backups").isEnabled()


@pytest.fixture
def logins(qtbot, monkeypatch):
    """Who logs in when the window asks again: each (name, password) typed into the real dialog."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialog

    from tests.ui.typing import type_text
    from ui.dialogs.login import LoginDialog

    queue, intros = [], []

    def exec_(dialog):
        dialog.show()
        intros.append(" ".join(label.text() for label in dialog.findChildren(type(dialog.error))))
        while queue:
            name, password = queue.pop(0)
            dialog.name.setText("")
            type_text(dialog.name, name)
            type_text(dialog.password, password)
            qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
            if dialog.result() == QDialog.Accepted:
                return QDialog.Accepted
        dialog.reject()
        return QDialog.Rejected

    monkeypatch.setattr(LoginDialog, "exec", exec_)
    return queue, intros


def test_after_a_restore_the_user_logs_in_against_the_restored_users(qtbot, bureau, tmp_path, answers, logins, settle):
    from app.services import users

    backup = maintenance.backup_to(bureau, tmp_path / "备份.sqlite3")  # 孙新 is not in it
    users.add_user(bureau, "孙新", "绩效科", None, "secret-2")
    bureau.actor = users.login(bureau, "孙新", "secret-2")
    win = _window(qtbot, bureau)
    settle()
    assert "孙新" in win.windowTitle()
    queue, intros = logins
    queue[:] = [("孙新", "secret-2"), ("刘绩效", "secret-1")]  # the first is no longer a user
    dialog = win.open_backups()
    assert dialog.restore_file(str(backup))
    settle()
    assert any("恢复" in text for text in intros)
    assert bureau.actor.name == "刘绩效" and "刘绩效（绩效科）" in win.windowTitle() and not dialog.isVisible()
    assert answers[-1][0] == "information" and "已恢复" in answers[-1][1]


def test_leaving_the_login_after_a_restore_closes_the_window(qtbot, bureau, tmp_path, answers, logins, settle):
    backup = maintenance.backup_to(bureau, tmp_path / "备份.sqlite3")
    win = _window(qtbot, bureau)
    settle()
    assert win.open_backups().restore_file(str(backup))
    settle()
    assert not win.isVisible()
