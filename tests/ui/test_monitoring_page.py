"""运行监控 page as a bureau uses it: open a round, fill a record (the light follows the amount),
hit the required-cause rule, submit, filter to red; the summary, chart and candidates."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.rules import monitoring as rules
from tests.ui.typing import type_text
from ui.main_window import MainWindow


@pytest.fixture
def page(qtbot, year):  # noqa: F811
    win = MainWindow(year)
    qtbot.addWidget(win)
    win.set_year(2023)
    return win.show_page("monitoring")


def row_of(page, code):
    return next(n for n, r in enumerate(page.model.rows()) if r.code == code)


def test_fill_a_record_hit_the_cause_rule_submit_and_filter_to_red(qtbot, page, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
    assert page.model.rowCount() == 0 and "还没有监控批次" in page.status.text()
    assert page.new_round(8, "1-8月")
    assert page.rounds.currentText() == "1-8月（截至8月）" and page.model.rowCount() == 2
    assert {r.light for r in page.model.rows()} == {rules.NOT_FILLED}
    dialog = page.open_record(row_of(page, "DH2023002"))
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 6 and not dialog.model.flags(dialog.model.index(0, 0)) & Qt.ItemIsEditable
    type_text(dialog.executed, "9.46")
    assert dialog.light.text() == "执行率15.77%　预警：红"
    assert dialog.model.setData(dialog.model.index(0, 5), "300")  # 全年预计完成值 below the 320 target
    assert dialog.model.index(0, 5).data(Qt.ToolTipRole).startswith("全年预计完成值达不到目标")
    qtbot.mouseClick(dialog.buttons["submit"], Qt.LeftButton)
    assert dialog.draft.status == "填报" and told and "不能提交" in told[-1]
    assert "执行进度亮红灯" in dialog.message.text() and "第1行偏差原因类别" in dialog.message.text()
    type_text(dialog.budget_cause, "汛期后集中采购")
    assert dialog.model.setData(dialog.model.index(0, 6), "经费保障")
    assert dialog.model.setData(dialog.model.index(0, 7), "部分路段延后施工")
    for n in range(1, 6):  # the other indicators are on target
        assert dialog.model.setData(dialog.model.index(n, 5), dialog.model.index(n, 2).data())
    qtbot.mouseClick(dialog.buttons["submit"], Qt.LeftButton)
    assert dialog.draft.status == "已提交" and dialog.executed.isReadOnly() and not dialog.buttons["save"].isEnabled()
    dialog.accept()
    row = page.model.rows()[row_of(page, "DH2023002")]
    assert (row.light, row.status, row.missed) == (rules.RED, "已提交", 1)
    icon = page.model.index(row_of(page, "DH2023002"), 0).data(Qt.DecorationRole)
    assert icon is not None and not icon.isNull()  # the coloured dot beside the word
    page.red_only.click()
    assert [r.code for r in page.model.rows()] == ["DH2023002"]
    assert "红灯1个" in page.status.text()


def test_summary_chart_and_key_candidates(qtbot, page):
    from app.services import monitoring_records as rec

    page.new_round(8)
    for code, executed in (("DH2023002", "9.46"), ("DH2023005", "0")):
        draft = rec.open_record(page.ws, page.model.rows()[row_of(page, code)].record_id)
        draft.executed = executed
        rec.save_record(page.ws, draft)
    page.reload()
    page.view.sortByColumn(7, Qt.AscendingOrder)  # by deviation: furthest behind first
    assert [r.code for r in page.model.rows()] == ["DH2023005", "DH2023002"]
    page.tabs.setCurrentIndex(1)
    assert page.sentence.text().startswith("总体进度1.69%，低于序时进度。")
    assert [page.dept_model.row_at(i).department for i in range(page.dept_model.rowCount())][-1] == "合计"
    assert len(page.chart.bars) == 1 and page.chart.bars[0] == pytest.approx(1.69)
    page.tabs.setCurrentIndex(2)
    codes = [page.projection_model.row_at(i).code for i in range(page.projection_model.rowCount())]
    assert sorted(codes) == ["DH2023002", "DH2023005"]
    page.projection_view.selectRow(codes.index("DH2023005"))
    assert page.mark_key(True) == 1
    assert {r.code: r.is_key for r in page._all} == {"DH2023002": False, "DH2023005": True}
    page.projection_view.selectRow(codes.index("DH2023002"))
    assert page.mark_key(True) == 2  # added to the list, the earlier choice kept
    page.projection_view.selectRow(codes.index("DH2023005"))
    assert page.mark_key(False) == 1  # and taken off again
    assert {r.code: r.is_key for r in page._all} == {"DH2023002": True, "DH2023005": False}
    page.tabs.setCurrentIndex(0)
    page.view.sortByColumn(0, Qt.DescendingOrder)  # 预警 by severity, not by character
    page.view.sortByColumn(0, Qt.AscendingOrder)
    assert [r.light for r in page.model.rows()] == [rules.RED, rules.RED]


def test_exports_from_the_page(qtbot, page, tmp_path):
    page.new_round(5)
    assert page.export_summary(str(tmp_path / "汇总.pdf")) and (tmp_path / "汇总.pdf").read_bytes().startswith(b"%PDF")
    assert page.export_warnings(str(tmp_path / "预警.xlsx"))
    assert page.save_fill_sheet(str(tmp_path / "填报.xlsx"))
    from app.io.xlsx import read_table

    table = read_table(tmp_path / "填报.xlsx", sheet="指标完成", required=["项目编码", "三级指标"])
    assert len(table.rows) == 6 and table.rows[0][1]["项目编码"] == "DH2023002"
