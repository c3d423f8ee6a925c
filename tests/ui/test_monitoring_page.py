"""运行监控 page as a bureau uses it: open a round, fill a record (the light follows the amount),
hit the required-cause rule, submit — the page's row follows without a reload — filter to red; the
detail panel shows the row clicked; the summary, chart and candidates; import and exports."""

from dataclasses import replace

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.rules import monitoring as rules
from ui import messages
from tests.ui.typing import type_text


@pytest.fixture
def page(year, stage_page):
    return stage_page("monitoring", year)


def row_of(page, code):
    return next(n for n, r in enumerate(page.model.rows()) if r.code == code)


def click_row(qtbot, page, row):
    rect = page.view.visualRect(page.model.index(row, 2))
    qtbot.mouseClick(page.view.viewport(), Qt.LeftButton, pos=rect.center())


def test_fill_a_record_hit_the_cause_rule_submit_and_filter_to_red(qtbot, page, settle, monkeypatch):
    told, asked = [], []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: told.append(text))
    monkeypatch.setattr(messages, "confirm_step", lambda parent, title, sentence: asked.append(title) or True)
    assert page.model.rowCount() == 0 and "还没有监控批次" in page.status.text()
    opened = page.new_round(8, "1-8月")
    settle()
    assert opened.outcome.ok
    assert page.rounds.currentText() == "1-8月（截至8月）" and page.model.rowCount() == 2
    assert {r.light for r in page.model.rows()} == {rules.NOT_FILLED}
    assert {r.status for r in page.model.rows()} == {"草稿"}
    dialog = page.open_record(row_of(page, "DH2023002"))
    qtbot.addWidget(dialog)
    assert dialog.head.text() == "正在读取…" and not dialog.buttons["save"].isEnabled()  # read in the background
    settle()
    assert dialog.model.rowCount() == 6 and not dialog.model.flags(dialog.model.index(0, 0)) & Qt.ItemIsEditable
    type_text(dialog.executed, "9.46")
    assert dialog.light.text() == "执行率15.77%　预警：红"
    assert dialog.model.setData(dialog.model.index(0, 5), "300")  # 全年预计完成值 below the 320 target
    assert dialog.model.index(0, 5).data(Qt.ToolTipRole).startswith("全年预计完成值达不到目标")
    qtbot.mouseClick(dialog.buttons["submit"], Qt.LeftButton)
    assert dialog.draft.status == "草稿" and told and "不能提交" in told[-1]
    assert "执行进度亮红灯" in dialog.message.text() and "第1行偏差原因类别" in dialog.message.text()
    type_text(dialog.budget_cause, "汛期后集中采购")
    assert dialog.model.setData(dialog.model.index(0, 6), "经费保障")
    assert dialog.model.setData(dialog.model.index(0, 7), "部分路段延后施工")
    for n in range(1, 6):  # the other indicators are on target
        assert dialog.model.setData(dialog.model.index(n, 5), dialog.model.index(n, 2).data())
    qtbot.mouseClick(dialog.buttons["submit"], Qt.LeftButton)
    assert dialog.draft.status == "已提交" and dialog.executed.isReadOnly() and not dialog.buttons["save"].isEnabled()
    assert dialog.buttons["pass"].isEnabled() and dialog.buttons["return"].isEnabled()
    settle()  # the dialog is still open: the change notification alone refreshed the page
    row = page.model.rows()[row_of(page, "DH2023002")]
    assert (row.light, row.status, row.missed) == (rules.RED, "已提交", 1)
    icon = page.model.index(row_of(page, "DH2023002"), 0).data(Qt.DecorationRole)
    assert icon is not None and not icon.isNull()  # the coloured dot beside the word
    assert dialog.review(True)
    assert dialog.draft.status == "审核通过" and dialog.buttons["return"].isEnabled()  # 退回, with a reason
    assert dialog.review(False, "执行数与国库数据不一致。") and dialog.draft.status == "退回修改"
    assert asked == ["提交", "提交", "审核通过", "退回"]  # every step asked first (the first 提交 was refused)
    dialog.accept()
    settle()
    assert page.model.rows()[row_of(page, "DH2023002")].status == "退回修改"
    page.red_only.click()
    assert [r.code for r in page.model.rows()] == ["DH2023002"]
    assert "红灯1个" in page.status.text()


def test_the_detail_panel_shows_the_row_clicked(qtbot, page, settle):
    page.new_round(8)
    settle()
    for code in ("DH2023005", "DH2023002", "DH2023005"):
        click_row(qtbot, page, row_of(page, code))
        assert page.detail.toPlainText().endswith("正在读取…")  # the record is read in the background
        settle()
        assert page.detail.toPlainText().startswith(code)
    assert "城区道路清扫保洁面积" not in page.detail.toPlainText() and "无绩效目标" in page.detail.toPlainText()
    page.search.setText("救灾")
    assert page.detail.toPlainText().startswith("选中一个项目")


def test_summary_chart_and_key_candidates(qtbot, page, settle):
    from app.services import monitoring_records as rec

    page.new_round(8)
    settle()
    for code, executed in (("DH2023002", "9.46"), ("DH2023005", "0")):
        draft = rec.open_record(page.ws, page.model.rows()[row_of(page, code)].record_id)
        draft.executed = executed
        rec.save_record(page.ws, draft)
    assert page.reload() and page.status.text() == "正在读取…"
    settle()
    page.view.sortByColumn(7, Qt.AscendingOrder)  # by deviation: furthest behind first
    assert [r.code for r in page.model.rows()] == ["DH2023005", "DH2023002"]
    page.tabs.setCurrentIndex(1)
    assert page.sentence.text().startswith("总体进度1.69%，低于序时进度。")
    assert [page.dept_model.row_at(i).department for i in range(page.dept_model.rowCount())][-1] == "合计"
    assert page.dept_model.index(0, 4).data() == "9.46" and page.dept_model.index(0, 6).data() == "2"  # 截至执行数, 红灯
    assert len(page.chart.bars) == 1 and page.chart.bars[0] == pytest.approx(1.69)
    page.tabs.setCurrentIndex(2)
    codes = [page.projection_model.row_at(i).code for i in range(page.projection_model.rowCount())]
    assert sorted(codes) == ["DH2023002", "DH2023005"]
    page.projection_view.selectRow(codes.index("DH2023005"))
    assert page.mark_key(True) == 1
    settle()
    assert {r.code: r.is_key for r in page.round_view.rows} == {"DH2023002": False, "DH2023005": True}
    page.projection_view.selectRow(codes.index("DH2023002"))
    assert page.mark_key(True) == 2  # added to the list, the earlier choice kept
    settle()
    page.projection_view.selectRow(codes.index("DH2023005"))
    assert page.mark_key(False) == 1  # and taken off again
    settle()
    assert {r.code: r.is_key for r in page.round_view.rows} == {"DH2023002": True, "DH2023005": False}
    assert page.projection_model.index(codes.index("DH2023002"), 6).data() == "是"
    page.tabs.setCurrentIndex(0)
    page.view.sortByColumn(0, Qt.DescendingOrder)  # 预警 by severity, not by character
    page.view.sortByColumn(0, Qt.AscendingOrder)
    assert [r.light for r in page.model.rows()] == [rules.RED, rules.RED]


def test_import_from_the_page_and_the_error_list(qtbot, page, settle, tmp_path, monkeypatch):
    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    page.new_round(8)
    settle()

    def workbook(path, rows):
        wb = openpyxl.Workbook()
        wb.active.title = "预算执行"
        wb.active.append(["项目编码", "截至执行数（万元）"])
        for row in rows:
            wb.active.append(row)
        wb.save(path)
        return str(path)

    bad = page.import_file(workbook(tmp_path / "bad.xlsx", [["NOPE", "1"]]))
    settle()
    assert bad.report is not None and not told
    bad.report.close()
    page.import_file(workbook(tmp_path / "ok.xlsx", [["DH2023005", "0"]]))
    settle()
    assert told == ["导入完成：更新项目执行数1个，指标完成情况0条。"]
    assert page.model.rows()[row_of(page, "DH2023005")].light == rules.RED  # the page followed the import


def test_exports_from_the_page(qtbot, page, settle, tmp_path):
    page.new_round(5)
    settle()
    assert page.export_summary(str(tmp_path / "汇总.pdf"))
    assert page.export_warnings(str(tmp_path / "预警.xlsx"))
    assert page.save_fill_sheet(str(tmp_path / "填报.xlsx"))
    settle()
    assert (tmp_path / "汇总.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "预警.xlsx").exists()
    from app.io.xlsx import read_table

    table = read_table(tmp_path / "填报.xlsx", sheet="指标完成", required=["项目编码", "三级指标"])
    assert len(table.rows) == 6 and table.rows[0][1]["项目编码"] == "DH2023002"


def test_a_change_keeps_the_selected_row_and_its_detail(qtbot, page, settle):
    """Someone saves another record: the list follows (re-sorted), the row the user is on stays
    selected and its detail stays shown."""
    from app.services import monitoring_records as rec

    page.new_round(8)
    settle()
    assert [r.code for r in page.model.rows()] == ["DH2023002", "DH2023005"]
    click_row(qtbot, page, row_of(page, "DH2023002"))
    settle()
    other = rec.open_record(page.ws, page.model.rows()[row_of(page, "DH2023005")].record_id)
    other.executed = "0"
    rec.save_record(page.ws, other)
    settle()
    assert [(r.code, r.light) for r in page.model.rows()][0] == ("DH2023005", rules.RED)  # red first now
    selected = page.view.selectionModel().selectedRows()
    assert [page.model.row_at(i.row()).code for i in selected] == ["DH2023002"]
    assert page.view.currentIndex().row() == row_of(page, "DH2023002")
    assert page.detail.toPlainText().startswith("DH2023002") and "城区道路清扫保洁面积" in page.detail.toPlainText()


def test_a_record_form_opened_before_the_key_list_changed_still_saves(qtbot, page, settle):
    """The bureau's 重点监控 decision is not a change to the clerk's record: their open form saves."""
    from app.services import monitoring as mon

    page.new_round(8)
    settle()
    record_id = page.model.rows()[row_of(page, "DH2023005")].record_id
    dialog = page.open_record(row_of(page, "DH2023005"))
    qtbot.addWidget(dialog)
    settle()
    assert mon.mark_key(page.ws, page.round_id(), [record_id]) == 1
    settle()
    type_text(dialog.executed, "100")
    assert dialog.save()
    settle()
    row = next(r for r in page.round_view.rows if r.code == "DH2023005")
    assert (row.is_key, row.executed_fen) == (True, 100_000_000)


# -- the round follows the year; no lost typing (issue 10) ------------------------------------------
def refresh_button(page):
    from PySide6.QtWidgets import QPushButton

    return page.findChild(QPushButton, "btn_refresh_round")


def test_refresh_round_brings_in_a_project_added_by_another_program(qtbot, page, settle, db_path):
    """Another copy of the data (e.g. a command-line import) adds a project: the page was not
    told; 刷新批次 brings it into the round and says so in a sentence."""
    from app.services import projects
    from app.services.workspace import Workspace
    from tests.support import project_raw

    page.new_round(8)
    settle()
    other = Workspace.open(db_path)
    try:
        projects.save_project(other, project_raw(code="DH2023009", name="农村公路养护", annual_budget="300",
                                                 initial_budget="300"))
    finally:
        other.close()
    settle()
    assert "DH2023009" not in {r.code for r in page.model.rows()}
    qtbot.mouseClick(refresh_button(page), Qt.LeftButton)
    settle()
    assert page.notice.text() == "已刷新：新增项目1个。"
    added = page.model.rows()[row_of(page, "DH2023009")]
    assert (added.status, added.budget_fen, added.target_state) == ("草稿", 300_000_000, "无绩效目标")
    qtbot.mouseClick(refresh_button(page), Qt.LeftButton)
    settle()
    assert page.notice.text() == "批次已是最新，没有变化。"


def test_a_budget_adjusted_on_the_projects_page_follows_in_a_draft_and_is_noted_on_a_submitted_one(qtbot, page, settle):
    from app.services import monitoring_records as rec, projects

    page.new_round(8)
    settle()
    water = page.model.rows()[row_of(page, "DH2023005")]
    filed = rec.open_record(page.ws, water.record_id)
    filed.executed = "300"
    rec.submit_record(page.ws, filed)
    relief = page.model.rows()[row_of(page, "DH2023002")]
    for project_id, amount in ((relief.project_id, "80"), (water.project_id, "800")):
        raw = projects.form_values(page.ws, project_id)
        projects.save_project(page.ws, dict(raw, annual_budget=amount, initial_budget=amount, fiscal="", other=""),
                              project_id)
    settle()  # the page was told of the projects' change: its load brought the round up to the year
    rows = {r.code: r for r in page.model.rows()}
    assert rows["DH2023002"].budget_fen == 80_000_000 and rows["DH2023002"].changed_since == ""
    assert rows["DH2023005"].budget_fen == 500_000_000
    assert rows["DH2023005"].changed_since == "预算已调整：500.00 → 800.00万元"
    click_row(qtbot, page, row_of(page, "DH2023005"))
    settle()
    assert page.detail.toPlainText().startswith("DH2023005")
    assert "自填报后：预算已调整：500.00 → 800.00万元" in page.detail.toPlainText()
    dialog = page.open_record(row_of(page, "DH2023005"))  # the form keeps what was filed, and says so
    qtbot.addWidget(dialog)
    settle()
    assert "全年预算数：500.00万元" in dialog.head.text()
    assert "自填报后：预算已调整：500.00 → 800.00万元" in dialog.head.text()
    dialog.close()


@pytest.mark.parametrize("answer", ["cancel", "discard", "save"])
def test_closing_a_record_with_unsaved_typing_asks_save_discard_or_cancel(qtbot, page, settle, monkeypatch, answer):
    from app.services import monitoring_records as rec

    asked = []
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: asked.append(what) or answer)
    page.new_round(8)
    settle()
    dialog = page.open_record(row_of(page, "DH2023005"))
    qtbot.addWidget(dialog)
    settle()
    dialog.close()  # nothing typed: closes without asking
    assert not dialog.isVisible() and asked == []
    for how in ("esc", "关闭", "close button"):
        dialog = page.open_record(row_of(page, "DH2023005"))
        qtbot.addWidget(dialog)
        settle()
        type_text(dialog.executed, "100")
        if how == "esc":
            qtbot.keyClick(dialog.executed, Qt.Key_Escape)
        elif how == "关闭":
            qtbot.mouseClick(dialog.buttons["close"], Qt.LeftButton)
        else:
            dialog.close()  # the window's close button
        assert asked[-1] == "监控表"
        stored = rec.open_record(page.ws, dialog.record_id)
        if answer == "cancel":
            assert dialog.isVisible() and dialog.executed.text() == "100" and stored.executed == ""
            monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: "discard")
            dialog.close()
            monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: asked.append(what) or answer)
        elif answer == "discard":
            assert not dialog.isVisible() and stored.executed == ""
        else:
            assert not dialog.isVisible() and stored.executed == "100.00"
            rec.save_record(page.ws, replace(stored, executed=""))  # the next way starts from an empty record
        settle()
    assert len(asked) == 3


def test_submit_and_pass_ask_first_and_a_passed_record_returns_with_a_reason(qtbot, page, settle, monkeypatch):
    from ui.dialogs import monitoring_record

    confirmations, answers = [], []
    monkeypatch.setattr(messages, "confirm_step",
                        lambda parent, title, sentence: confirmations.append((title, sentence)) or answers.pop(0))
    page.new_round(8)
    settle()
    dialog = page.open_record(row_of(page, "DH2023005"))
    qtbot.addWidget(dialog)
    settle()
    type_text(dialog.executed, "300")
    answers[:] = [False]
    qtbot.mouseClick(dialog.buttons["submit"], Qt.LeftButton)
    assert confirmations[-1] == ("提交", "提交后监控表不能再修改，由绩效科审核。确定提交吗？")
    assert dialog.draft.status == "草稿"  # declined: nothing happened
    answers[:] = [True, True]
    qtbot.mouseClick(dialog.buttons["submit"], Qt.LeftButton)
    assert dialog.draft.status == "已提交"
    qtbot.mouseClick(dialog.buttons["pass"], Qt.LeftButton)
    assert dialog.draft.status == "审核通过" and confirmations[-1][0] == "审核通过"
    assert dialog.buttons["return"].isEnabled()
    # 退回… on a passed record: the reason is asked, then what will happen
    monkeypatch.setattr(monitoring_record, "ask_reason", lambda parent, title, label: None)
    qtbot.mouseClick(dialog.buttons["return"], Qt.LeftButton)  # the reason prompt cancelled
    assert dialog.draft.status == "审核通过" and len(confirmations) == 3
    monkeypatch.setattr(monitoring_record, "ask_reason", lambda parent, title, label: "  ")
    qtbot.mouseClick(dialog.buttons["return"], Qt.LeftButton)  # no reason: said under the table, nothing asked
    assert dialog.draft.status == "审核通过" and "必须填写原因" in dialog.message.text() and len(confirmations) == 3
    monkeypatch.setattr(monitoring_record, "ask_reason", lambda parent, title, label: "执行数与国库集中支付数据不一致，请核对。")
    answers[:] = [True]
    qtbot.mouseClick(dialog.buttons["return"], Qt.LeftButton)
    assert confirmations[-1][0] == "退回" and "已审核通过" in confirmations[-1][1]
    assert dialog.draft.status == "退回修改" and dialog.draft.review_opinion == "执行数与国库集中支付数据不一致，请核对。"
    assert "审核意见：执行数与国库集中支付数据不一致，请核对。" in dialog.head.text()
    assert dialog.draft.editable and dialog.buttons["save"].isEnabled()
    settle()
    assert page.model.rows()[row_of(page, "DH2023005")].status == "退回修改"
    dialog.close()
