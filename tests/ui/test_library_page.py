"""指标库 page: browse by tree, search as you type, import a county's library (bad cells shown, a
good file added), export it."""

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from app.io.library_io import HEADERS, SHEET
from tests.support import write_sheet
from tests.ui.typing import type_text
from tests.support import LIBRARY_ROW as ROW
from ui.dialogs.import_report import ImportReportDialog
from ui.main_window import MainWindow


@pytest.fixture
def page(qtbot, county):
    win = MainWindow(county)
    qtbot.addWidget(win)
    return win.show_page("library")


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


def test_import_shows_bad_cells_then_adds_a_good_file(qtbot, page, tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    before = page.browser.model.rowCount()
    bad = list(ROW)
    bad[6] = "大于"
    report = page.import_file(str(write_sheet(tmp_path / "bad.xlsx", SHEET, HEADERS, [bad])))
    assert isinstance(report, ImportReportDialog)
    qtbot.addWidget(report)
    assert [report.model.index(0, c).data() for c in range(3)] == [SHEET, "2", "指标性质"]
    assert page.browser.model.rowCount() == before
    assert page.import_file(str(write_sheet(tmp_path / "good.xlsx", SHEET, HEADERS, [ROW]))) is None
    assert told == ["导入完成：新增指标1个，更新指标0个。"]
    assert page.browser.model.rowCount() == before + 1
    assert page.browser.choose_branch("教育", "产出", "数量")
    assert "资助家庭经济困难学生人数" in [r.level3 for r in page.browser.model.rows()]


def test_export_writes_the_whole_library(qtbot, page, tmp_path):
    out = tmp_path / "库.xlsx"
    assert page.export_file(str(out))
    sheet = openpyxl.load_workbook(out)[SHEET]
    assert sheet.max_row - 3 == page.browser.model.rowCount()
    assert page.save_template(str(tmp_path / "模板.xlsx"))
