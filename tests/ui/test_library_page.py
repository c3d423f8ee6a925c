"""指标库 page: browse by tree, search as you type, import a county's library (bad cells shown, a
good file added), export it."""

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from app.io.library_io import HEADERS, SHEET
from app.services import library
from tests.support import LIBRARY_ROW as ROW
from tests.support import write_sheet
from tests.ui.typing import type_text
from ui.dialogs.import_report import ImportReportDialog
from ui.dialogs.library_picker import LibraryPicker
from ui.main_window import MainWindow
from ui.pages.library_page import LibraryPage


@pytest.fixture
def page(qtbot, county, settle):
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("library")
    settle()
    return page


def test_browse_by_tree_then_search(qtbot, page):
    browser = page.browser
    total = browser.model.rowCount()
    assert total >= 250 and browser.tree.topLevelItem(0).text(0) == f"全部（{total}）"
    assert browser.choose_branch("交通运输", "产出", "质量")
    rows = browser.model.rows()
    assert rows and {(r.industry, r.level1, r.level2) for r in rows} == {("交通运输", "产出", "质量")}
    assert browser.count.text().startswith("交通运输／产出／质量：")
    assert browser.choose_branch()  # back to 全部
    type_text(browser.search, "优良中等路率")
    assert [r.level3 for r in browser.model.rows()] == ["农村公路优良中等路率"]


def test_a_branch_chosen_while_the_library_is_read_is_shown_when_it_arrives(qtbot, county, settle):
    picker = LibraryPicker(county)
    qtbot.addWidget(picker)
    assert picker.browser.count.text() == "正在读取…"
    picker.browser.choose_branch("交通运输", "产出")
    type_text(picker.search, "路率")
    settle()
    assert [r.level3 for r in picker.model.rows()] == ["农村公路优良中等路率"]


def test_import_shows_bad_cells_then_adds_a_good_file(qtbot, page, tmp_path, monkeypatch, settle):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    before = page.browser.model.rowCount()
    bad = list(ROW)
    bad[6] = "大于"
    op = page.import_file(str(write_sheet(tmp_path / "bad.xlsx", SHEET, HEADERS, [bad])))
    settle()
    report = op.report
    assert isinstance(report, ImportReportDialog)
    qtbot.addWidget(report)
    assert [report.model.index(0, c).data() for c in range(3)] == [SHEET, "2", "指标性质"]
    assert page.browser.model.rowCount() == before
    op = page.import_file(str(write_sheet(tmp_path / "good.xlsx", SHEET, HEADERS, [ROW])))
    settle()
    assert op.report is None and told == ["导入完成：新增指标1个，更新指标0个。"]
    assert page.browser.model.rowCount() == before + 1  # shown without being asked
    assert page.browser.choose_branch("教育", "产出", "数量")
    assert "资助家庭经济困难学生人数" in [r.level3 for r in page.browser.model.rows()]


def test_an_import_elsewhere_shows_on_the_page(qtbot, county, page_ctx, settle, tmp_path):
    page = LibraryPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    settle()
    page.browser.choose_branch("教育", "产出", "数量")
    before = page.browser.model.rowCount()
    library.import_file(county, write_sheet(tmp_path / "good.xlsx", SHEET, HEADERS, [ROW]))  # e.g. another window
    settle()
    assert page.browser.model.rowCount() == before + 1
    assert page.browser.count.text().startswith("教育／产出／数量：")  # the branch stays chosen


def test_export_writes_the_whole_library(qtbot, page, tmp_path, settle):
    out = tmp_path / "库.xlsx"
    op = page.export_file(str(out))
    settle()
    assert op.outcome.ok
    sheet = openpyxl.load_workbook(out)[SHEET]
    assert sheet.max_row - 3 == page.browser.model.rowCount()
    op = page.save_template(str(tmp_path / "模板.xlsx"))
    settle()
    assert op.outcome.ok and (tmp_path / "模板.xlsx").is_file()
