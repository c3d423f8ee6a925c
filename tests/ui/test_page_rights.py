"""A page's write buttons are offered only to users who may use them: a 只读 user's 项目库 offers
export and print but no 新增/编辑/删除/导入; a 主管部门 user writes projects but not 基础数据 or the
指标库; a 预算单位 fills and imports monitoring tables but opens no round; 绩效科 has them all;
切换用户 re-applies them on the pages already built; a database without users offers everything."""

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton

from app.services import users
from ui.dialogs import login
from ui.main_window import MainWindow

PROJECT_WRITES = ("add", "edit", "delete", "import")
PROJECT_VIEWS = ("export_xlsx", "export_pdf", "print")
BASE_DATA_WRITES = ("add_region", "add_dept", "add_unit", "edit_dept", "delete_dept", "add_office", "delete_office")
# every page's write buttons (the stage key, its buttons), all offered to 绩效科
WRITES = {"projects": PROJECT_WRITES, "base_data": BASE_DATA_WRITES, "library": ("import_library",),
          "agencies": ("add_agency", "edit_agency", "delete_agency", "assess_agency"),
          "monitoring": ("new_round", "refresh_round", "import", "confirm_key", "unmark_key"),
          "targets": ("import_targets",), "self_eval": ("create_year", "import", "verify"),
          "key_eval": ("new_evaluation", "import"), "exante": ("new_exante", "import"),
          "rectification": ("new_item", "set_deadline", "import"),
          "results": ("add_measure", "edit_measure", "delete_measure")}


def on(win, key: str, names) -> dict[str, bool]:
    """Which of the page's buttons are enabled, the page shown as the user would open it."""
    page = win.show_page(key)
    found = {name: page.findChild(QPushButton, f"btn_{name}") for name in names}
    assert None not in found.values(), found
    return {name: b.isEnabled() for name, b in found.items()}


@pytest.fixture
def window(qtbot, settle):
    def make(ws, name=None):
        if name:
            ws.actor = users.login(ws, name, "secret-1")
        win = MainWindow(ws)
        qtbot.addWidget(win)
        win.set_year(2023)
        win.show()
        settle()
        return win
    return make


def switch(win, monkeypatch, name: str) -> None:
    """切换用户… with `name` logging in at the login dialog."""
    def ask(ws, parent=None, intro=""):
        ws.actor = users.login(ws, name, "secret-1")
        return True

    monkeypatch.setattr(login, "ask_login", ask)
    assert win.switch_user()


def test_a_read_only_user_may_export_and_print_the_projects_but_not_change_them(bureau, window):
    win = window(bureau, "领导")
    assert on(win, "projects", PROJECT_WRITES) == dict.fromkeys(PROJECT_WRITES, False)
    assert on(win, "projects", PROJECT_VIEWS) == dict.fromkeys(PROJECT_VIEWS, True)
    assert not win.findChild(QAction, "act_import").isEnabled()  # 文件 → 导入项目清单… too
    assert win.findChild(QAction, "act_export_xlsx").isEnabled()
    for key, names in WRITES.items():
        assert not any(on(win, key, names).values()), key


def test_a_department_user_writes_projects_but_not_base_data_or_the_library(bureau, window):
    win = window(bureau, "张主管")
    assert all(on(win, "projects", PROJECT_WRITES).values())
    assert not any(on(win, "base_data", BASE_DATA_WRITES).values())
    assert on(win, "library", ("import_library", "export_library", "library_template")) == {
        "import_library": False, "export_library": True, "library_template": True}
    assert not any(on(win, "agencies", WRITES["agencies"]).values())
    assert on(win, "exante", WRITES["exante"]) == {"new_exante": True, "import": False}  # the import is 绩效科's


def test_a_unit_fills_monitoring_tables_but_opens_no_round(bureau, window):
    win = window(bureau, "李单位")
    assert on(win, "monitoring", WRITES["monitoring"]) == {"new_round": False, "refresh_round": False, "import": True,
                                                           "confirm_key": False, "unmark_key": False}
    assert on(win, "targets", ("import_targets",)) == {"import_targets": True}
    assert on(win, "self_eval", WRITES["self_eval"]) == {"create_year": True, "import": True, "verify": False}
    assert not any(on(win, "rectification", WRITES["rectification"]).values())


def test_the_performance_office_has_every_write_button(bureau, window):
    win = window(bureau)  # the fixture logged in 刘绩效 (绩效科)
    for key, names in WRITES.items():
        assert all(on(win, key, names).values()), key


def test_a_database_without_users_offers_every_write_button(county, window):
    win = window(county)
    assert not county.actor.logged_in
    for key, names in WRITES.items():
        assert all(on(win, key, names).values()), key


def test_switching_user_applies_the_new_users_rights_to_the_pages_already_built(bureau, window, monkeypatch):
    win = window(bureau)
    assert all(on(win, "base_data", BASE_DATA_WRITES).values())
    projects = win.projects
    switch(win, monkeypatch, "领导")  # the 基础数据 page stays on screen
    assert not any(projects.findChild(QPushButton, f"btn_{n}").isEnabled() for n in PROJECT_WRITES)
    assert not any(win.base_data.findChild(QPushButton, f"btn_{n}").isEnabled() for n in BASE_DATA_WRITES)
    assert not win.findChild(QAction, "act_import").isEnabled()
    switch(win, monkeypatch, "张主管")
    assert all(projects.findChild(QPushButton, f"btn_{n}").isEnabled() for n in PROJECT_WRITES)
    assert not any(win.base_data.findChild(QPushButton, f"btn_{n}").isEnabled() for n in BASE_DATA_WRITES)
    switch(win, monkeypatch, "刘绩效")
    assert all(win.base_data.findChild(QPushButton, f"btn_{n}").isEnabled() for n in BASE_DATA_WRITES)
    # the 一体化 import of targets is for 项目支出 only, whoever may write targets
    targets = win.show_page("targets")
    assert targets.findChild(QPushButton, "btn_import_targets").isEnabled()
    targets.kind.setCurrentIndex(1)
    assert not targets.findChild(QPushButton, "btn_import_targets").isEnabled()
    switch(win, monkeypatch, "李单位")
    assert not targets.findChild(QPushButton, "btn_import_targets").isEnabled()
    targets.kind.setCurrentIndex(0)
    assert targets.findChild(QPushButton, "btn_import_targets").isEnabled()
