"""A clerk evaluates 净水厂 (500万) on 德惠's 15/15/50/20 tree: picks the preset, scores every leaf,
takes points off two 决策 leaves and watches 决策 fall from 优 to 中 while the 扣分原因 is demanded,
types the reasons and the spend (执行率 follows), saves, submits; the reviewer passes it, it is
finalized, a problem selected in 存在问题及原因 becomes a 整改 item (待整改) and the 摘要 is printed.
Also: 退回修改 and 退回 of a finalized report need a reason, the tree is edited freely, unsaved typing
is guarded, and a past report imported as printed opens read-only with the check's 等级不符 as 提醒."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from app.domain.key_eval import TreeLine
from app.services import key_eval as svc
from app.services import projects
from tests.support import cell, edit, install_answers
from tests.ui.typing import type_text
from ui.dialogs import key_eval_parts as parts
from ui.dialogs.key_eval_form import KeyEvalForm
from ui.models.key_eval_grid import HINT_FILL, NEED_FILL

DEHUI = "德惠 15/15/50/20"
PROBLEM = "原水水费结算依据不完整，部分月份未按合同计量。"


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    given = install_answers(monkeypatch)
    given.problem = None
    monkeypatch.setattr(parts, "ask_reason", lambda parent, title, label: given.reason)
    monkeypatch.setattr(parts, "ask_opinion", lambda parent: given.opinion)
    monkeypatch.setattr(parts, "ask_problem", lambda parent: given.problem)
    return given


def water_draft(ws):
    project_id = next(p.id for p in projects.list_projects(ws, 2023) if p.code == "DH2023005")
    return svc.new_evaluation(ws, 2023, "项目", project_id=project_id)


@pytest.fixture
def form(qtbot, year):
    opened = KeyEvalForm(year, water_draft(year))
    qtbot.addWidget(opened)
    opened.resize(1320, 700)
    opened.show()
    return opened


def score_all(form) -> None:
    for n, line in enumerate(form.model.lines):
        edit(form.model, n, "score", line.points)


def test_preset_scores_deductions_grades_workflow_rectification(qtbot, form, answers):
    assert form.head.edits["object_name"].text() == "净水厂原水水费及场地租金" and "尚未保存" in form.head.state.text()
    assert form.head.edits["budget"].text() == "500.00" and form.head.rate.text() == "—"
    form.preset.setCurrentText(DEHUI)
    dims = form.dims
    assert [dims.value(d, "points") for d in ("决策", "过程", "产出", "效益", "综合绩效")] == ["15", "15", "50", "20", "100"]
    assert dims.value("决策", "score") == "" and form.is_dirty()
    score_all(form)
    assert dims.value("决策", "grade") == "优" and dims.value("综合绩效", "score") == "100"
    assert "综合得分 100" in form.totals.text() and form.needs.texts() == []

    model = form.model
    assert model.lines[0].level1 == "决策" and model.lines[0].points == "3"
    edit(model, 0, "score", "1.5")  # 立项依据充分性 3 → 1.5
    assert dims.value("决策", "score") == "13.5" and dims.value("决策", "grade") == "优"  # 90% is still 优
    assert cell(model, 0, "deduction").data(Qt.BackgroundRole) == NEED_FILL
    assert any(t.startswith("必须处理") and "扣分原因" in t for t in form.needs.texts())
    edit(model, 2, "score", "1.2")  # 绩效目标合理性 3 → 1.2: 决策 11.7 of 15 = 78%
    assert dims.value("决策", "score") == "11.7" and dims.value("决策", "grade") == "中"
    assert dims.value("综合绩效", "score") == "96.7" and dims.value("综合绩效", "grade") == "优"
    assert model.flags(cell(model, 0, "level1")) & Qt.ItemIsEditable  # names are typed freely too

    type_text(form.texts.boxes["problems"], PROBLEM)
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)  # refused: the reasons are missing
    assert not form.draft.saved and "不能提交" in answers.told[-1] and "第1行" in form.message.text()
    form.needs.itemClicked.emit(form.needs.item(0))  # the need takes the user to its cell
    assert form.view.currentIndex() == cell(model, 0, "deduction")
    edit(model, 0, "deduction", "立项依据未附可行性研究")
    edit(model, 2, "deduction", "绩效目标与预算不匹配")
    assert form.needs.texts() == [] and cell(model, 0, "deduction").data(Qt.BackgroundRole) != NEED_FILL
    type_text(form.head.edits["spend"], "442.5")
    assert form.head.rate.text() == "88.50%"

    qtbot.mouseClick(form.buttons["save"], Qt.LeftButton)
    assert form.draft.saved and form.draft.status == "草稿" and not form.is_dirty()
    assert form.draft.preset == DEHUI and form.draft.spend == "442.50"
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交" and form.model.read_only and not form.buttons["save"].isEnabled()
    qtbot.mouseClick(form.buttons["pass"], Qt.LeftButton)
    assert form.draft.status == "审核通过" and form.buttons["finalize"].isEnabled()
    qtbot.mouseClick(form.buttons["finalize"], Qt.LeftButton)
    assert form.draft.status == "已定稿" and form.buttons["reopen"].isEnabled()
    assert dims.value("决策", "grade") == "中" and dims.value("综合绩效", "score") == "96.7"
    assert answers.asked == ["提交", "提交", "审核通过", "定稿"]  # the first 提交 was refused

    form.tabs.setCurrentIndex(1)
    box = form.texts.boxes["problems"]
    cursor = box.textCursor()  # the user selects the problem's first sentence
    cursor.setPosition(0)
    cursor.setPosition(PROBLEM.index("，"), QTextCursor.KeepAnchor)
    box.setTextCursor(cursor)
    qtbot.mouseClick(form.problems.convert, Qt.LeftButton)
    assert form.problems.texts() == ["【待整改】原水水费结算依据不完整"]
    assert answers.asked[-1] == "转为整改事项"
    box.setTextCursor(QTextCursor(box.document()))  # nothing selected: the problem is asked for
    answers.problem = "场地租金合同未按期续签"
    qtbot.mouseClick(form.problems.convert, Qt.LeftButton)
    assert form.problems.texts()[-1] == "【待整改】场地租金合同未按期续签" and len(form.draft.rectifications) == 2
    form.reject()
    assert "尚未保存" not in answers.asked


def test_print_summary_writes_the_pdf(qtbot, form, answers, monkeypatch, tmp_path, settle):
    pytest.importorskip("app.io.key_eval_reports")
    from ui import print_preview

    printed = []

    def fake_print(parent, title, write_pdf):
        path = tmp_path / "摘要.pdf"
        write_pdf(str(path), None)
        printed.append((title, path))

    monkeypatch.setattr(print_preview, "print_report", fake_print)
    form.preset.setCurrentText(DEHUI)
    score_all(form)
    qtbot.mouseClick(form.buttons["print"], Qt.LeftButton)
    title, path = printed[0]
    assert title == "净水厂原水水费及场地租金绩效评价报告摘要" and path.read_bytes().startswith(b"%PDF")
    form.done(0)


def test_return_and_reopen_need_reasons(qtbot, form, answers):
    score_all(form)
    assert form.submit()
    answers.reason = " "
    qtbot.mouseClick(form.buttons["return"], Qt.LeftButton)
    assert form.draft.status == "已提交" and "必须填写审核意见" in form.message.text()
    answers.reason = "请补充现场调研记录"
    qtbot.mouseClick(form.buttons["return"], Qt.LeftButton)
    assert form.draft.status == "退回修改" and form.texts.opinion.toPlainText() == "请补充现场调研记录"
    assert form.buttons["save"].isEnabled() and not form.model.read_only
    assert form.submit() and form.review(True) and form.finalize()
    answers.reason = ""
    assert not form.reopen() and form.draft.status == "已定稿" and "必须填写原因" in form.message.text()
    answers.reason = "评价等级需复核"
    qtbot.mouseClick(form.buttons["reopen"], Qt.LeftButton)
    assert form.draft.status == "退回修改" and form.texts.opinion.toPlainText() == "评价等级需复核"
    form.reject()


def test_tree_is_edited_freely_and_weights_must_add_up(qtbot, form, answers):
    model, rows = form.model, form.model.rowCount()
    score_all(form)
    form.view.setCurrentIndex(cell(model, 1, "score"))
    qtbot.mouseClick(form.buttons["add_leaf"], Qt.LeftButton)
    assert model.rowCount() == rows + 1 and (model.lines[2].level1, model.lines[2].points) == ("决策", "0")
    assert form.view.currentIndex() == cell(model, 2, "level3")
    edit(model, 2, "level3", "绩效目标公开")
    edit(model, 2, "points", "5")
    edit(model, 2, "score", "5")
    assert form.dims.value("决策", "points") == "25" and "分值合计 105" in form.totals.text()
    assert any("应为100分" in t for t in form.needs.texts())
    edit(model, 3, "points", "abc")
    assert cell(model, 3, "points").data(Qt.BackgroundRole) == NEED_FILL
    assert any(t.startswith("必须处理：第4行") for t in form.needs.texts())
    form.view.setCurrentIndex(cell(model, 3, "score"))
    qtbot.mouseClick(form.buttons["remove_leaf"], Qt.LeftButton)
    form.view.setCurrentIndex(cell(model, 2, "score"))
    qtbot.mouseClick(form.buttons["remove_leaf"], Qt.LeftButton)
    assert model.rowCount() == rows - 1 and form.dims.value("决策", "points") == "16"
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)  # the weights do not add up to 100
    assert not form.draft.saved and "不能提交" in answers.told[-1]
    form.done(0)


def test_closing_with_typing_asks_and_can_save(qtbot, form, answers):
    edit(form.model, 0, "score", "4")
    answers.unsaved = "cancel"
    form.reject()
    assert form.isVisible() and answers.asked == ["尚未保存"]
    answers.unsaved = "save"
    form.reject()
    assert not form.isVisible() and form.draft.saved and form.draft.leaves[0].score == "4"


def test_a_past_report_as_printed_is_read_only_with_its_findings(qtbot, year, answers):
    dims = [("项目决策", "20", "18", "优"), ("项目过程", "30", "26.5", "优"), ("项目产出", "30", "28", "优"),
            ("项目效益", "20", "19", "优")]
    draft = svc.new_evaluation(year, 2023, "政策", object_name="潜江城乡供水政策")
    draft.leaves = [TreeLine(name, points=points, score=score, printed_grade=grade) for name, points, score, grade in dims]
    draft.as_printed, draft.printed_total, draft.printed_grade = True, Decimal("91.5"), "优"
    saved = svc.save(year, draft)
    form = KeyEvalForm(year, svc.open_evaluation(year, saved.eval_id))
    qtbot.addWidget(form)
    form.show()
    assert form.model.read_only and not form.buttons["save"].isEnabled() and not form.buttons["submit"].isEnabled()
    assert form.printed.isVisible() and "91.5" in form.printed.text()
    assert form.dims.value("综合绩效", "score") == "91.5" and form.dims.value("项目过程", "grade") == "良"
    texts = form.needs.texts()
    assert any(t.startswith("提醒：等级不符") and "项目过程" in t for t in texts)
    assert not any(t.startswith("必须处理") for t in texts)
    assert cell(form.model, 1, "printed_grade").data() == "优"
    assert cell(form.model, 1, "score").data(Qt.BackgroundRole) == HINT_FILL
    form.reject()
