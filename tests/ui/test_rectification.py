"""The 整改台账 as the office works it: a problem of a key evaluation becomes an item and shows in the
ledger; the unit starts, types its measures with a 佐证材料 file and reports; the bureau's 核验未通过
needs an opinion and sends it back, then 核验通过 and 销号 close it. An item typed from an audit
finding passes its 整改期限 and shows as overdue (shaded, 逾期天数 counted) on a later 统计日期; one
date for the selected items; the notices and the ledger are written."""

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.services import key_eval, projects
from tests.support import install_answers
from tests.ui.typing import type_text
from ui.dialogs.key_eval_form import KeyEvalForm
from ui.pages import rectification_page as page_module
from ui.pages.rectification_page import OVERDUE_FILL, qdate

PROBLEM = "原水水费结算依据不完整，部分月份未按合同计量。"


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    return install_answers(monkeypatch)


def click(qtbot, form, name: str) -> None:
    assert form.buttons[name].isEnabled(), name
    qtbot.mouseClick(form.buttons[name], Qt.LeftButton)


def _button(page, name):
    from PySide6.QtWidgets import QPushButton

    return next(b for b in page.findChildren(QPushButton) if b.objectName() == f"btn_{name}")


def open_row(qtbot, page, settle, row: int = 0):
    page.view.selectRow(row)
    qtbot.mouseClick(_button(page, "open_item"), Qt.LeftButton)
    settle()
    return page.form


def test_a_key_evaluation_problem_is_reported_with_a_file_verified_and_closed(qtbot, stage_page, year, settle, tmp_path,
                                                                              answers):
    water = next(p.id for p in projects.list_projects(year, 2023) if p.code == "DH2023005")
    evaluation = key_eval.save(year, key_eval.new_evaluation(year, 2023, "项目", project_id=water))
    found = date.today().year  # an item's 年度 is the year the problem was found
    page = stage_page("rectification", year, found)
    assert page.model.rowCount() == 0 and "还没有整改事项" in page.counts.text()

    source = KeyEvalForm(year, evaluation)
    qtbot.addWidget(source)
    assert source.to_rectification(PROBLEM)  # 转为整改事项 on the evaluation
    settle()
    assert any("【待整改】" + PROBLEM in t for t in source.problems.texts())
    (row,) = page.model.rows()
    assert (row.source, row.description, row.status, row.overdue_days) == ("重点评价", PROBLEM, "待整改", 0)
    assert row.deadline is not None and "待整改1项" in page.counts.text()

    form = open_row(qtbot, page, settle)
    assert "重点评价" in form.origin.text() and "净水厂" in form.origin.text()
    assert form.texts["description"].toPlainText() == PROBLEM and not form.buttons["pass"].isEnabled()
    click(qtbot, form, "start")
    assert form.draft.status == "整改中" and answers.asked[-1] == "开始整改"

    click(qtbot, form, "report")  # nothing typed yet: refused in sentences
    assert form.draft.status == "整改中" and "请填写整改措施" in form.message.text()
    assert "完成日期" in form.message.text() and answers.told
    type_text(form.texts["measures"], "已按合同补齐计量记录，重新结算水费。")
    form.dates["completed_on"].setText("2023-10-10")
    evidence = tmp_path / "结算单.pdf"
    evidence.write_bytes(b"%PDF-1.4 settled")
    assert form.add_evidence(str(evidence))  # the typing is saved first
    assert form.evidence.list.count() == 1 and "结算单.pdf" in form.evidence.list.item(0).text()
    click(qtbot, form, "report")
    assert form.draft.status == "已整改待核验" and form.texts["measures"].isReadOnly()
    assert not form.buttons["save"].isEnabled() and not form.buttons["close_item"].isEnabled()

    form.verifier.setText("王核验")  # the bureau: 未通过 needs its opinion
    click(qtbot, form, "fail")
    assert form.draft.status == "已整改待核验" and "请填写核验意见" in form.message.text()
    type_text(form.opinion, "计量记录缺少监理签字，请补充。")
    click(qtbot, form, "fail")
    assert (form.draft.status, form.draft.verify_result) == ("整改中", "未通过")
    assert form.verify_result.text() == "未通过" and form.draft.verify_opinion == "计量记录缺少监理签字，请补充。"
    settle()
    assert page.model.rows()[0].status == "整改中"

    click(qtbot, form, "report")
    form.verifier.setText("王核验")
    click(qtbot, form, "pass")
    assert form.draft.verify_result == "通过" and form.buttons["close_item"].isEnabled()
    click(qtbot, form, "close_item")
    assert form.draft.status == "已销号" and "只读" in form.state.text() and not form.buttons["fail"].isEnabled()
    settle()
    (row,) = page.model.rows()
    assert row.status == "已销号" and not row.overdue and "已销号1项" in page.counts.text()


def test_an_audit_finding_passes_its_deadline_and_shows_overdue(qtbot, stage_page, year, settle, answers, monkeypatch,
                                                                 tmp_path):
    page = stage_page("rectification", year, 2023)
    page.at.setDate(qdate(date(2023, 10, 15)))
    qtbot.mouseClick(_button(page, "new_item"), Qt.LeftButton)  # 新增（审计发现）…
    settle()
    form = page.form
    assert "尚未保存" in form.state.text() and form.origin.text() == "审计"
    type_text(form.texts["description"], "专项资金未按规定用途使用")
    form.responsible.setText("钢城区城市管理局")
    form.category.setCurrentText("资金管理")
    form.dates["feedback_date"].setText("2023-09-25")
    form.dates["deadline"].setText("2023年10月15日")
    form.reject()  # unsaved typing is guarded
    assert answers.asked[-1] == "尚未保存"
    answers.unsaved = "save"
    form.reject()
    settle()
    (row,) = page.model.rows()
    assert (row.deadline, row.overdue, row.overdue_days) == (date(2023, 10, 15), False, 0)  # the deadline day itself

    page.at.setDate(qdate(date(2023, 10, 20)))
    settle()
    (row,) = page.model.rows()
    assert row.overdue and row.overdue_days == 5 and row.shown_status == "待整改（逾期）"
    assert page.model.index(0, 0).data(Qt.BackgroundRole) == OVERDUE_FILL
    assert page.model.index(0, 6).data() == "5" and "逾期1项" in page.counts.text()
    page.overdue.setChecked(True)
    assert page.model.rowCount() == 1
    page.state.setCurrentText("已销号")
    assert page.model.rowCount() == 0 and "当前显示0项" in page.counts.text()
    page.state.setCurrentText("全部")
    page.unit.setCurrentText("钢城区城市管理局")
    assert page.model.rowCount() == 1

    page.view.selectRow(0)  # one date for the selected items
    monkeypatch.setattr(page_module, "ask_deadline", lambda parent, count: date(2023, 10, 31))
    qtbot.mouseClick(_button(page, "set_deadline"), Qt.LeftButton)
    settle()
    assert "整改期限设为2023-10-31" in page.notice.text()
    assert page.model.rowCount() == 0  # no longer overdue on 10月20日
    page.overdue.setChecked(False)
    (row,) = page.model.rows()
    assert row.deadline == date(2023, 10, 31) and row.overdue_days == 0

    monkeypatch.setattr(page_module, "ask_notice", lambda parent: ("钢财绩〔2023〕5号", date(2023, 9, 25)))
    monkeypatch.setattr(page_module, "ask_folder", lambda parent, caption: str(tmp_path / "通知书"))
    qtbot.mouseClick(_button(page, "notices"), Qt.LeftButton)
    settle()
    assert (tmp_path / "通知书" / "整改通知书-钢城区城市管理局.pdf").stat().st_size > 1000
    assert "已生成1份整改通知书" in page.notice.text()
    ledger = tmp_path / "台账.xlsx"
    page.export_ledger(str(ledger))
    settle()
    assert ledger.stat().st_size > 1000
