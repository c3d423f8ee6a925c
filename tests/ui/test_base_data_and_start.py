"""Base data page, first start and the main window's system menu, driven as a user would."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services.base_data import list_departments, list_offices
from app.services.projects import list_projects, save_project
from tests.support import project_raw
from tests.ui.typing import type_text
from ui.dialogs.first_run import FirstRunDialog
from ui.main_window import MainWindow
from ui.pages.base_data_page import BaseDataPage


def tree_rows(page):
    """(name, code, kind) of every node, depth first."""
    out, model = [], page.tree_model

    def walk(parent):
        for r in range(model.rowCount(parent)):
            idx = model.index(r, 0, parent)
            out.append(tuple(model.index(r, c, parent).data() for c in range(3)))
            walk(idx)

    walk(model.index(-1, -1))
    return out


def select_node(page, name):
    model = page.tree_model
    for item in model.findItems(name, Qt.MatchExactly | Qt.MatchRecursive):
        page.tree.setCurrentIndex(item.index())
        return
    raise AssertionError(name)


def test_first_start_offers_the_demo_county(qtbot, ws, settle):
    dialog = FirstRunDialog(ws)
    qtbot.addWidget(dialog)
    assert dialog.demo.isChecked() and not dialog.region_code.isEnabled()
    dialog.start()
    assert dialog.result() == FirstRunDialog.Accepted
    own = [p for p in list_projects(ws, 2022) if p.region_code == "990101"]
    assert len(own) == 17 and not ws.is_empty()  # the county's own; its three townships' came by package
    win = MainWindow(ws)  # the demo opens on the year the five reports speak of
    qtbot.addWidget(win)
    settle()
    page = win.projects
    assert win.current_year() == 2023 and page.model.rowCount() > 30
    assert page.region_filter.isVisibleTo(page) and page.region_filter.count() == 5  # 全部, 本级, 3 townships
    page.region_filter.setCurrentIndex(page.region_filter.findData("990101"))
    assert page.model.rowCount() == 30


def test_first_start_empty_asks_for_our_county_and_checks_the_code(qtbot, ws):
    dialog = FirstRunDialog(ws)
    qtbot.addWidget(dialog)
    dialog.empty.setChecked(True)
    type_text(dialog.region_name, "钢城区")
    type_text(dialog.region_code, "3701")
    dialog.start()
    assert dialog.result() != FirstRunDialog.Accepted and dialog.error.text() == "应为6位或9位数字"
    dialog.region_code.setText("370117")
    dialog.start()
    assert dialog.result() == FirstRunDialog.Accepted and ws.home_region() == "370117"


@pytest.fixture
def page(qtbot, county, page_ctx, settle):
    page = BaseDataPage(page_ctx(county))  # reads its data when built: it belongs to no year
    qtbot.addWidget(page)
    page.show()
    settle()
    return page


def test_departments_and_units_as_a_tree_with_codes(qtbot, county, page, settle):
    form = page.add_department()
    type_text(form.widgets["code"], "213001")
    type_text(form.widgets["name"], "重复编码局")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.isVisible() and form.errors["code"].text() == "与已有部门/单位编码重复，编码在本区划内应唯一"
    form.widgets["code"].setText("402001")
    form.widgets["name"].setText("钢城区自然资源局")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert not form.isVisible()
    settle()  # the save's change notification reads the tree again
    select_node(page, "钢城区自然资源局")
    unit_form = page.add_unit()
    type_text(unit_form.widgets["code"], "402002")
    type_text(unit_form.widgets["name"], "钢城区不动产登记中心")
    qtbot.mouseClick(unit_form.save_button, Qt.LeftButton)
    settle()
    rows = tree_rows(page)
    assert rows[0] == ("钢城区", "370117", "县级")
    i = rows.index(("钢城区自然资源局", "402001", "部门"))
    assert rows[i + 1] == ("钢城区不动产登记中心", "402002", "单位")  # the unit sits under its department
    unit = next(d for d in list_departments(county) if d.code == "402002")
    parent = next(d for d in list_departments(county) if d.code == "402001")
    assert unit.parent_id == parent.id


def test_a_department_in_use_cannot_be_deleted(qtbot, county, page, monkeypatch, settle):
    save_project(county, project_raw())
    shown = []
    monkeypatch.setattr("ui.pages.base_data_page.confirm", lambda *a: True)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    select_node(page, "钢城区城市管理局")
    page.delete_selected()
    assert shown == ["部门“[213001]钢城区城市管理局”正被2条项目使用，不能删除。请先删除或改挂这些记录后再删。"]
    select_node(page, "钢城区城乡交通运输局")
    page.delete_selected()
    settle()
    assert ("钢城区城乡交通运输局", "207001", "部门") not in tree_rows(page)


def test_finance_offices_are_kept(qtbot, county, page, monkeypatch, settle):
    monkeypatch.setattr("ui.pages.base_data_page.QInputDialog.getText", lambda *a: ("社保科", True))
    page.add_office()
    settle()
    assert list_offices(county) == ["社保科", "经建科"]
    assert [page.offices.item(i).text() for i in range(page.offices.count())] == ["社保科", "经建科"]


def test_departments_an_import_creates_show_on_the_page(qtbot, county, page, settle, tmp_path):
    from app.domain.projects import PROJECT_FIELDS
    from app.services.project_import import import_file
    from tests.support import write_sheet

    raw = project_raw(department="[208001]钢城区住房和城乡建设局", unit="[208001]钢城区住房和城乡建设局")
    import_file(county, write_sheet(tmp_path / "p.xlsx", "项目", [s.label for s in PROJECT_FIELDS],
                                    [[raw[s.key] for s in PROJECT_FIELDS]]))
    settle()
    assert ("钢城区住房和城乡建设局", "208001", "部门") in tree_rows(page)


def test_backup_from_the_system_menu(qtbot, demo_ws, tmp_path, monkeypatch):
    target = tmp_path / "backup.sqlite3"
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName", lambda *a: (str(target), ""))
    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    win = MainWindow(demo_ws)
    qtbot.addWidget(win)
    win.findChild(type(win.menuBar().actions()[0]), "act_backup").trigger()
    from app.services.workspace import Workspace
    copy = Workspace.open(target)
    assert len(list_projects(copy, 2022)) == 17
    copy.close()
