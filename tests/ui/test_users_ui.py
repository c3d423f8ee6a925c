"""Logins in the window: the login dialog refuses a wrong password in the service's sentence and
lets the user try again; 切换用户 changes who works (title, menus); a 只读 user sees the pages and
the target form offers nothing; four users take a target up the four-level chain through the
form, each seeing only their own step; 用户管理 adds a 主管部门 user with a department chosen from
the list, and on a database without users creates the first (绩效科) user and logs it in."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from app.services import targets, users
from app.services.actor import local_actor
from tests.support import GOAL, GOOD_ROWS
from tests.ui.typing import type_text
from ui import messages
from ui.dialogs.login import LoginDialog, ask_login
from ui.dialogs.users_dialog import UsersDialog
from ui.main_window import MainWindow

STEP_BUTTONS = ("save", "submit", "review", "approve", "reopen")


class Logins:
    """Who logs in when the login dialog is asked: `queue` of (name, password); each is typed into
    the real dialog and 登录 clicked (退出 when the queue is empty). Every refusal shown is kept."""

    def __init__(self, qtbot):
        self.qtbot, self.queue, self.refusals = qtbot, [], []

    def exec(self, dialog: LoginDialog) -> int:
        dialog.show()
        while self.queue:
            name, password = self.queue.pop(0)
            dialog.name.setText("")
            type_text(dialog.name, name)
            type_text(dialog.password, password)
            self.qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
            if dialog.result() == QDialog.Accepted:
                return QDialog.Accepted
            self.refusals.append(dialog.error.text())
        dialog.reject()
        return QDialog.Rejected


@pytest.fixture
def logins(qtbot, monkeypatch):
    given = Logins(qtbot)
    monkeypatch.setattr(LoginDialog, "exec", lambda dialog: given.exec(dialog))
    return given


@pytest.fixture(autouse=True)
def confirmed(monkeypatch):
    monkeypatch.setattr(messages, "confirm_step", lambda *a: True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda *a: "discard")


def enabled(form) -> set[str]:
    return {name for name in STEP_BUTTONS if form.buttons[name].isEnabled()}


def open_target_form(qtbot, win, settle):
    page = win.show_targets()
    settle()
    row = next(n for n, r in enumerate(page.model.rows()) if r.code == "3701172023001")
    page.open_target(row)
    settle()
    qtbot.addWidget(page.form)
    assert page.form.isVisible()
    return page.form


@pytest.fixture
def window(qtbot, bureau, settle):
    def make():
        win = MainWindow(bureau)
        qtbot.addWidget(win)
        win.set_year(2023)
        win.show()
        settle()
        return win
    return make


def test_the_login_refuses_a_wrong_password_in_a_sentence_and_accepts_the_right_one(qtbot, bureau):
    bureau.actor = local_actor()
    dialog = LoginDialog(bureau)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.name, "张主管")
    type_text(dialog.password, "secret-2")
    qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
    assert dialog.isVisible() and dialog.error.text() == "用户名或密码不正确，请重新输入（再输错4次账户将锁定15分钟）。"
    assert dialog.password.text() == "" and not bureau.actor.logged_in
    type_text(dialog.password, "secret-1")
    qtbot.mouseClick(dialog.login_button, Qt.LeftButton)
    assert dialog.result() == QDialog.Accepted
    assert bureau.actor.title == "张主管（主管部门：钢城区城市管理局）"


def test_five_wrong_passwords_lock_the_account_and_say_until_when(qtbot, bureau, logins):
    bureau.actor = local_actor()
    logins.queue = [("李单位", "wrong-pw")] * 5 + [("李单位", "secret-1")]
    assert not ask_login(bureau)
    assert "账户已锁定15分钟" in logins.refusals[4] and "账户已锁定" in logins.refusals[5]
    assert not bureau.actor.logged_in


def test_no_users_no_login(qtbot, county, monkeypatch):
    monkeypatch.setattr(LoginDialog, "exec", lambda d: pytest.fail("a database without users asks no login"))
    assert ask_login(county) and not county.actor.logged_in


def test_switching_user_changes_the_title_and_the_menus(qtbot, bureau, window, logins, settle):
    win = window()
    act = {name: win.findChild(QAction, name) for name in ("act_users", "act_audit", "act_password", "act_new_year")}
    assert "刘绩效（绩效科）" in win.windowTitle() and all(a.isEnabled() for a in act.values())
    logins.queue = [("张主管", "secret-1")]
    assert win.switch_user()
    assert "张主管（主管部门：钢城区城市管理局）" in win.windowTitle()
    assert not act["act_users"].isEnabled() and not act["act_audit"].isEnabled() and not act["act_new_year"].isEnabled()
    assert act["act_password"].isEnabled()
    logins.queue = []  # 退出 at the login: the window closes
    assert not win.switch_user() and not win.isVisible()


def test_a_read_only_user_sees_the_pages_and_the_target_form_offers_nothing(qtbot, bureau, window, settle):
    as_unit = users.login(bureau, "李单位", "secret-1")
    bureau.actor = as_unit
    targets.save_target(bureau, replace(targets.open_target(bureau, bureau.project_id), annual_goal=GOAL))
    bureau.actor = users.login(bureau, "领导", "secret-1")
    win = window()
    assert "领导（只读）" in win.windowTitle()
    for key in ("projects", "targets", "monitoring"):
        assert win.show_page(key).isVisible()
    form = open_target_form(qtbot, win, settle)
    assert form.draft.annual_goal == GOAL  # sees the unit's draft …
    assert enabled(form) == set() and form.annual_goal.isReadOnly()  # … and can change nothing


def test_four_users_take_a_target_up_the_chain_each_seeing_only_their_own_step(qtbot, bureau, window, logins, settle):
    bureau.actor = users.login(bureau, "李单位", "secret-1")
    draft = targets.open_target(bureau, bureau.project_id)
    targets.save_target(bureau, replace(draft, annual_goal=GOAL, indicators=[
        replace(r, value="50" if r.level2 == "成本" else r.value) for r in GOOD_ROWS]))
    win = window()

    form = open_target_form(qtbot, win, settle)  # 李单位, 预算单位: fills and submits
    assert enabled(form) == {"save", "submit"}
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交" and enabled(form) == set()
    form.reject()

    def next_user(name: str):
        logins.queue = [(name, "secret-1")]
        assert win.switch_user()
        assert win.windowTitle().count(name) == 1
        return open_target_form(qtbot, win, settle)

    form = next_user("王科室")  # the office's level has not come yet
    assert enabled(form) == set()
    form.reject()
    for name, after in (("张主管", "已提交"), ("王科室", "审核通过")):
        form = next_user(name)
        assert enabled(form) == {"review"}, name
        review = form.open_review()
        qtbot.addWidget(review)
        for spin in review.spins.values():
            spin.setValue(90)
        review.opinion.setPlainText(f"{name}：同意")
        assert review.decide(True)
        assert form.draft.status == after and enabled(form) == set(), name
        form.reject()
    form = next_user("刘绩效")
    assert enabled(form) == {"approve"}
    qtbot.mouseClick(form.buttons["approve"], Qt.LeftButton)
    assert form.draft.status == "已批复"


def test_user_management_adds_a_department_user_with_the_department_chosen(qtbot, bureau):
    dialog = UsersDialog(bureau)
    qtbot.addWidget(dialog)
    dialog.show()
    assert {r.name for r in dialog.model.rows()} == {"刘绩效", "张主管", "李单位", "王科室", "领导", "赵交通"}
    new = dialog.add()
    qtbot.addWidget(new)
    type_text(new.name, "孙交通")
    new.role.setCurrentText("主管部门")
    assert new.scope_caption.text() == "主管部门："
    shown = [new.scope.itemText(i) for i in range(new.scope.count())]
    assert "[207001]钢城区城乡交通运输局" in shown and "[213001001]钢城区环卫中心" not in shown  # departments only
    new.scope.setCurrentIndex(shown.index("[207001]钢城区城乡交通运输局"))
    type_text(new.password, "secret-9")
    type_text(new.again, "secret-8")
    assert not new.try_save() and new.error.text() == "两次输入的密码不一致，请重新输入。"
    new.again.clear()
    type_text(new.again, "secret-9")
    assert new.try_save()
    line = next(r for r in dialog.model.rows() if r.name == "孙交通")
    assert (line.role, line.scope, line.locked) == ("主管部门", "[207001]钢城区城乡交通运输局", "")
    assert users.login(bureau, "孙交通", "secret-9").scope.department_id is not None


def test_a_whole_county_role_takes_no_scope(qtbot, bureau):
    dialog = UsersDialog(bureau)
    qtbot.addWidget(dialog)
    new = dialog.add()
    qtbot.addWidget(new)
    new.role.setCurrentText("只读")
    assert not new.scope.isEnabled() and "不需指定范围" in new.scope_hint.text()


def test_the_first_user_must_be_the_performance_office_and_is_logged_in(qtbot, county, settle):
    win = MainWindow(county)
    qtbot.addWidget(win)
    assert win.findChild(QAction, "act_users").isEnabled() and not win.findChild(QAction, "act_switch_user").isEnabled()
    dialog = win.open_users()
    qtbot.addWidget(dialog)
    assert "还没有用户" in dialog.intro.text()
    new = dialog.add()
    qtbot.addWidget(new)
    assert [new.role.itemText(i) for i in range(new.role.count())] == ["绩效科"]
    type_text(new.name, "刘绩效")
    type_text(new.password, "secret-1")
    type_text(new.again, "secret-1")
    assert new.try_save()
    dialog.accept()
    assert county.actor.title == "刘绩效（绩效科）" and "刘绩效（绩效科）" in win.windowTitle()
    assert [r.name for r in dialog.model.rows()] == ["刘绩效"]


def test_a_reset_password_unlocks_the_account(qtbot, bureau, logins):
    for _ in range(5):
        with pytest.raises(Exception):
            users.login(bureau, "李单位", "wrong-pw")
    dialog = UsersDialog(bureau)
    qtbot.addWidget(dialog)
    row = next(n for n, r in enumerate(dialog.model.rows()) if r.name == "李单位")
    assert dialog.model.row_at(row).locked  # 锁定至 shows until when
    dialog.view.selectRow(row)
    reset = dialog.reset()
    qtbot.addWidget(reset)
    assert not reset.old.isVisible()
    type_text(reset.new, "newpass-1")
    type_text(reset.again, "newpass-1")
    assert reset.try_save()
    assert dialog.model.row_at(row).locked == ""
    assert users.login(bureau, "李单位", "newpass-1").name == "李单位"


def test_changing_ones_own_password_asks_the_old_one(qtbot, bureau, window):
    win = window()
    dialog = win.change_password()
    qtbot.addWidget(dialog)
    type_text(dialog.old, "not-mine")
    type_text(dialog.new, "another-1")
    type_text(dialog.again, "another-1")
    assert not dialog.try_save() and "密码不正确" in dialog.error.text()
    dialog.old.clear()
    type_text(dialog.old, "secret-1")
    assert dialog.try_save()
    assert users.login(bureau, "刘绩效", "another-1").role == "绩效科"


def test_connecting_a_shared_database_refuses_a_bad_address_in_a_sentence(qtbot, bureau, window, monkeypatch):
    win = window()
    told = []
    monkeypatch.setattr("ui.window_users.show_error", lambda parent, error, title="": told.append(error.summary))
    assert not win.connect_shared("postgresql://bob:secret@dbhost")
    assert told == ["请按“postgresql://用户名@服务器:5432/数据库名”的格式填写共享数据库的地址（须有服务器和数据库名）。"]


def test_connecting_another_database_opens_it_in_place_of_this_one_after_its_login(qtbot, tmp_path, logins, settle):
    from app.services.base_data import save_region
    from app.services.workspace import Workspace
    from ui import app as gui

    first = Workspace.open(tmp_path / "township.sqlite3")
    save_region(first, {"code": "370117", "name": "钢城区", "level": "县级"})
    other_path = tmp_path / "shared.sqlite3"
    other = Workspace.open(other_path)
    save_region(other, {"code": "370117", "name": "钢城区", "level": "县级"})
    users.add_user(other, "刘绩效", "绩效科", None, "secret-1")
    other.close()
    old = MainWindow(first)
    old.show()
    logins.queue = [("刘绩效", "secret-1")]
    chosen = []
    old.database_chosen.connect(lambda where: chosen.append(gui.switch_database(old, where)))
    assert old.connect_shared(str(other_path))
    new = chosen[0]
    qtbot.addWidget(new)
    settle()
    from shiboken6 import isValid

    assert new.isVisible() and not isValid(old) and new.ws.db_file == other_path  # the old window is gone
    assert "刘绩效（绩效科）" in new.windowTitle()
    new.close()
    new.ws.close()


def test_the_first_start_may_open_a_shared_database_or_a_file_instead(qtbot, ws, tmp_path):
    from ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(ws)
    qtbot.addWidget(dialog)
    dialog.other.setChecked(True)
    assert dialog.where.isEnabled() and not dialog.region_code.isEnabled()
    type_text(dialog.where, "mysql://bob@dbhost/perf")
    dialog.start()
    assert dialog.result() != QDialog.Accepted and "地址应以 postgresql:// 开头" in dialog.error.text()
    dialog.where.clear()
    type_text(dialog.where, "postgresql://perf@10.1.2.3:5432/perfdesk")
    dialog.start()
    assert dialog.result() == QDialog.Accepted and dialog.chosen == "postgresql://perf@10.1.2.3:5432/perfdesk"
    assert ws.is_empty()  # nothing was loaded into the empty database
