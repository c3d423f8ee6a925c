"""Every source makes its own 整改事项 in one action and lists them: a monitoring indicator marked
需要整改, a 自评表's 存在问题, a 真实性核查 finding of 佐证与填报不一致, an 事前评估's conclusion. The item
lands on the 整改台账 pre-filled and linked back; a second click on the same problem is refused in a
sentence; double-clicking the listed item opens its form."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt

from app.services import projects
from app.services import rectification as ledger
from tests.support import install_answers
from tests.ui.test_verification_dialog import submitted  # noqa: F401 — the eight drawn tables' fixture
from tests.ui.typing import type_text


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    return install_answers(monkeypatch)


def items_now(ws):
    return list(ledger.list_year(ws, date.today().year).rows)


def convert(qtbot, box) -> None:
    assert box.convert.isEnabled()
    qtbot.mouseClick(box.convert, Qt.LeftButton)


def test_a_monitoring_indicator_marked_for_rectification_becomes_an_item(qtbot, year, stage_page, settle, answers):
    page = stage_page("monitoring", year)
    page.new_round(8, "1-8月")
    settle()
    row = next(n for n, r in enumerate(page.model.rows()) if r.code == "DH2023002")
    dialog = page.open_record(row)
    qtbot.addWidget(dialog)
    settle()
    assert dialog.items.texts() == ["还没有转为整改事项的问题。"]
    model = dialog.model
    dialog.view.setCurrentIndex(model.index(1, 0))
    convert(qtbot, dialog.items)  # the row is not marked 需要整改: refused, nothing made
    assert "没有标为需要整改" in answers.told[-1] and items_now(year) == []

    assert model.setData(model.index(0, 5), "300")
    assert model.setData(model.index(0, 6), "经费保障")
    assert model.setData(model.index(0, 7), "部分路段延后施工")
    assert model.setData(model.index(0, 10), "是")
    assert model.setData(model.index(0, 11), "加快施工进度，10月底前完成")
    dialog.view.setCurrentIndex(model.index(0, 0))
    convert(qtbot, dialog.items)  # the typing is saved first, then the item is made
    assert not dialog.dirty() and answers.asked[-1] == "转为整改事项"
    (item,) = items_now(year)
    assert (item.source, item.requirement, item.status) == ("监控", "加快施工进度，10月底前完成", "待整改")
    assert "部分路段延后施工" in item.description and item.responsible
    assert dialog.items.texts()[0].startswith("【待整改】救灾物资和防汛物资管理")
    assert f"整改期限{item.deadline.isoformat()}" in dialog.items.texts()[0]

    convert(qtbot, dialog.items)  # the same indicator again
    assert "已经转为整改事项" in answers.told[-1] and len(items_now(year)) == 1
    form = dialog.items.open_item(0)
    qtbot.addWidget(form)
    assert form.texts["requirement"].toPlainText() == "加快施工进度，10月底前完成" and "监控" in form.origin.text()
    form.reject()


def test_a_self_evaluation_problem_becomes_an_item_after_it_is_saved(qtbot, year, answers):
    from app.services import self_eval as svc
    from ui.dialogs.self_eval_form import SelfEvalForm

    project_id = next(p.id for p in projects.list_projects(year, 2023) if p.code == "DH2023002")
    form = SelfEvalForm(year, svc.open_project(year, project_id))
    qtbot.addWidget(form)
    form.show()
    convert(qtbot, form.items)  # 存在问题 empty: the first save happens, then a sentence
    assert form.draft.eval_id is not None and "没有填写存在问题" in answers.told[-1]
    type_text(form.texts.boxes["problems"], "物资入库验收记录不全。")
    type_text(form.texts.boxes["improvements"], "建立入库验收台账，逐批签字。")
    convert(qtbot, form.items)
    (item,) = items_now(year)
    assert (item.source, item.description, item.requirement) == ("自评", "物资入库验收记录不全。", "建立入库验收台账，逐批签字。")
    assert not form.is_dirty() and form.items.texts()[0].startswith("【待整改】物资入库验收记录不全。")


def test_a_verification_mismatch_becomes_an_item(qtbot, settle, page_ctx, submitted, answers):  # noqa: F811
    from ui.dialogs.verification import VerificationDialog

    dialog = VerificationDialog(page_ctx(submitted), 2023)
    qtbot.addWidget(dialog)
    settle()
    dialog.count.setValue(2)
    dialog.seed.setText("7")
    dialog.draw_button.click()
    settle()
    dialog.checks.selectRow(0)
    assert not dialog.items.convert.isEnabled()  # not checked yet: nothing to rectify
    dialog.result.setCurrentText("佐证与填报不一致")
    dialog.note.setText("验收单载明完成10座")
    assert dialog.save_check()
    convert(qtbot, dialog.items)
    (item,) = items_now(submitted)
    assert item.source == "真实性核查" and "验收单载明完成10座" in item.description
    assert dialog.items.texts()[0].startswith("【待整改】")
    dialog.checks.selectRow(1)  # the other indicator shows its own (none)
    assert dialog.items.texts() == ["还没有转为整改事项的问题。"]


def test_an_exante_conclusion_becomes_an_item(qtbot, county, answers):
    from app.services import exante as svc
    from ui.dialogs.exante_form import ExAnteForm

    project_id = projects.save_project(county, _new_project())
    form = ExAnteForm(county, svc.new_for_project(county, project_id))
    qtbot.addWidget(form)
    form.conclusion.setCurrentText("调整后支持")
    form.recommended.setText("100")
    type_text(form.boxes["report_suggestions"], "压减设备购置规模，分年实施。")
    convert(qtbot, form.items)  # a new assessment is saved first
    assert form.draft.assessment_id is not None and not form.is_dirty()
    (item,) = items_now(county)
    assert item.source == "事前评估" and "调整后支持" in item.description
    assert item.requirement == "压减设备购置规模，分年实施。" and item.category == "立项"


def _new_project():
    from tests.support import project_raw

    return project_raw(code="C2023001", name="智慧城管平台", category="新增", annual_budget="150", initial_budget="150")
