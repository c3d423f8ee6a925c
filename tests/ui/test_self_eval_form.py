"""A clerk fills a project's 自评表: types the actuals and watches the 参考得分 follow, overrides one
得分 and is asked for its 评分说明, attaches a file, submits; the reviewer returns it with an
opinion, it is submitted again and passed (with an optional 审核意见 asked in a dialog). A
department's table likewise: scores typed on its scoring tree, a score below the points asks for
its 扣分原因, then it is submitted; its tree is edited freely (names, 分值, items added and deleted).
A locked evidence file is said in a sentence; a table imported as printed is submitted as printed,
the check's findings shown as 提醒; the grid's level columns show their words whole at 1366x768."""

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from app.services import projects
from app.services import self_eval as svc
from app.services.self_eval_year import list_year
from tests.support import cell, edit, install_answers
from tests.ui.typing import type_text
from ui import files
from ui.dialogs import self_eval_parts as parts
from ui.dialogs.self_eval_form import SelfEvalForm
from ui.dialogs.self_eval_files import OPEN_FAILED
from ui.models.self_eval_grid import FOLLOWING, NEED_FILL

ASK_OPINION = parts.ask_opinion  # the real dialog, for the test that answers it as a user
ACTUALS = ["320", "96", "100", "48", "98", "92"]  # DH2023002's six indicators, all met


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    return install_answers(monkeypatch)


@pytest.fixture
def form(qtbot, year):
    project_id = next(p.id for p in projects.list_projects(year, 2023) if p.code == "DH2023002")
    opened = SelfEvalForm(year, svc.open_project(year, project_id))
    qtbot.addWidget(opened)
    opened.show()
    return opened


def test_fill_override_attach_submit_return_and_pass(qtbot, form, answers, tmp_path, monkeypatch):
    model = form.model
    assert model.rowCount() == 6 and "未填报" in form.head.text()
    assert cell(model, 0, "reference").data() == "" and not model.flags(cell(model, 0, "points")) & Qt.ItemIsEditable
    edit(model, 0, "actual", "300")  # short of 320: the reference drops and a deviation is asked for
    assert cell(model, 0, "reference").data() == "15.63"
    assert cell(model, 0, "score").data() == "15.63" and cell(model, 0, "score").data(Qt.ForegroundRole) == FOLLOWING
    assert cell(model, 0, "deviation").data(Qt.BackgroundRole) == NEED_FILL
    edit(model, 0, "actual", "320")
    assert cell(model, 0, "reference").data() == "16.67"
    assert cell(model, 0, "deviation").data(Qt.BackgroundRole) != NEED_FILL
    for row, actual in enumerate(ACTUALS[1:], 1):
        edit(model, row, "actual", actual)
    edit(form.budget_model, 0, "executed", "58")
    assert cell(form.budget_model, 0, "rate").data() == "96.67%" and cell(form.budget_model, 0, "score").data() == "9.67"
    assert "总分 99.67" in form.totals.text() and "评价等级 优" in form.totals.text()
    assert form.needs.texts() == []

    edit(model, 0, "score", "15")  # the evaluator decides otherwise: a 评分说明 is demanded
    assert cell(model, 0, "score_note").data(Qt.BackgroundRole) == NEED_FILL
    assert any("评分说明" in t and t.startswith("必须处理") for t in form.needs.texts())
    assert "总分 98" in form.totals.text()
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)  # refused: nothing saved
    assert form.draft.status == "草稿" and not form.draft.saved and "不能提交" in answers.told[-1]
    assert "第1行" in form.message.text()
    form.needs.itemClicked.emit(form.needs.item(0))  # the need takes the user to its cell
    assert form.view.currentIndex() == cell(model, 0, "score_note")
    edit(model, 0, "score_note", "部分路段保洁未按合同频次作业，酌情扣分")
    assert form.needs.texts() == [] and cell(model, 0, "score_note").data(Qt.BackgroundRole) != NEED_FILL

    evidence = tmp_path / "保洁考核记录.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    monkeypatch.setattr(files, "ask_open_path", lambda *a, **k: str(evidence))
    form.tabs.setCurrentIndex(1)
    qtbot.mouseClick(form.evidence.buttons["add_evidence"], Qt.LeftButton)  # saves the new table first
    assert form.draft.saved and form.evidence.list.count() == 1
    assert form.evidence.list.item(0).text().startswith("保洁考核记录.pdf")
    opened = []
    monkeypatch.setattr(files, "open_file", lambda path: opened.append(Path(path)) or True)
    qtbot.mouseClick(form.evidence.buttons["open_evidence"], Qt.LeftButton)
    assert opened and opened[0].read_bytes() == b"%PDF-1.4 evidence"

    type_text(form.texts.boxes["goal_actual"], "全年完成道路保洁320万平方米")
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交" and form.model.read_only and not form.buttons["save"].isEnabled()
    assert form.draft.goal_actual == "全年完成道路保洁320万平方米" and form.draft.indicators[0].score == "15"
    assert not form.evidence.buttons["add_evidence"].isEnabled()

    answers.reason = ""  # 退回修改 needs an opinion
    qtbot.mouseClick(form.buttons["return"], Qt.LeftButton)
    assert form.draft.status == "已提交" and "必须填写审核意见" in form.message.text()
    answers.reason = "请补充保洁考核的佐证材料"
    qtbot.mouseClick(form.buttons["return"], Qt.LeftButton)
    assert form.draft.status == "退回修改" and form.texts.opinion.toPlainText() == "请补充保洁考核的佐证材料"
    assert not form.model.read_only
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交"
    qtbot.mouseClick(form.buttons["pass"], Qt.LeftButton)
    assert form.draft.status == "审核通过" and form.buttons["reopen"].isEnabled()
    assert "总分 98" in form.totals.text()
    assert answers.asked == ["提交", "提交", "退回修改", "提交", "审核通过"]  # the first 提交 was refused
    form.reject()
    assert "尚未保存" not in answers.asked  # nothing typed since the last step: closing asks nothing


def test_closing_with_typing_asks_and_can_save(qtbot, form, answers):
    edit(form.model, 0, "actual", "320")
    answers.unsaved = "cancel"
    form.reject()
    assert form.isVisible() and answers.asked == ["尚未保存"]
    answers.unsaved = "save"
    form.reject()
    assert not form.isVisible() and form.draft.saved and form.draft.indicators[0].actual == "320"


def test_department_scores_ask_for_deduction_reasons_then_submit(qtbot, year, answers):
    dept_row = next(r for r in list_year(year, 2023) if r.kind == "部门整体")
    form = SelfEvalForm(year, svc.open_department(year, dept_row.department_id, 2023))
    qtbot.addWidget(form)
    form.show()
    model = form.model
    assert model.headerData(3, Qt.Horizontal) == "评分标准" and form.budget_model.column_of("points") == -1
    assert form.preset.currentText().startswith("全国通用")
    form.preset.setCurrentIndex(1)  # another province's tree
    assert "综合管理" in {line.level1 for line in form.model.lines} and form.is_dirty()
    form.preset.setCurrentIndex(0)
    model = form.model
    assert "综合管理" not in {line.level1 for line in model.lines}
    budget_item = next(n for n, line in enumerate(model.lines) if line.rule == "预算执行率")
    edit(form.budget_model, 0, "executed", "504")  # of 560万 → 90%
    assert cell(model, budget_item, "reference").data() == "9"
    for n, line in enumerate(model.lines):
        if n != budget_item:
            edit(model, n, "score", line.points)
    assert "总分 99" in form.totals.text() and form.needs.texts() == []
    edit(model, 5, "score", "4")  # 资金使用合规性 5 → 4: the reason is demanded
    assert cell(model, 5, "score_note").data(Qt.BackgroundRole) == NEED_FILL
    assert any("扣分原因" in t for t in form.needs.texts())
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "草稿" and answers.told
    edit(model, 5, "score_note", "发现一笔会议费超标准列支")
    type_text(form.staff_quota, "25")
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交" and form.draft.staff_quota == "25"
    assert "总分 98" in form.totals.text() and "评价等级 优" in form.totals.text()
    form.reject()


def test_not_applicable_rescales_and_a_qualitative_rating_is_picked(qtbot, year, answers):
    from dataclasses import replace

    project_id = next(p.id for p in projects.list_projects(year, 2023) if p.code == "DH2023002")
    draft = svc.open_project(year, project_id)
    lines = list(draft.indicators)
    lines[1] = replace(lines[1], direction="定性", target_value="明显提高", unit="", actual="基本完成")
    form = SelfEvalForm(year, replace(draft, indicators=lines))
    qtbot.addWidget(form)
    model = form.model
    assert cell(model, 1, "rating").data() == "部分达成"  # read from the words, shown greyed
    assert cell(model, 1, "rating").data(Qt.ForegroundRole) == FOLLOWING
    assert cell(model, 1, "reference").data() == "8.75"  # 12.50 × 0.7
    assert not model.flags(cell(model, 0, "rating")) & Qt.ItemIsEditable  # only 定性 rows are rated
    edit(model, 1, "rating", "达成")
    assert cell(model, 1, "reference").data() == "12.50" and cell(model, 1, "rating").data(Qt.ForegroundRole) != FOLLOWING
    assert cell(model, 0, "points").data() == "16.67"
    assert model.setData(cell(model, 3, "applicable"), Qt.Checked, Qt.CheckStateRole)  # 成本 不适用
    assert cell(model, 3, "points").data() == "" and cell(model, 0, "points").data() == "20"  # 产出 rescaled
    assert model.setData(cell(model, 3, "applicable"), Qt.Unchecked, Qt.CheckStateRole)
    assert cell(model, 0, "points").data() == "16.67"
    form.done(0)


def test_passed_table_is_reopened_with_a_reason(qtbot, form, answers):
    for row, actual in enumerate(ACTUALS):
        edit(form.model, row, "actual", actual)
    edit(form.budget_model, 0, "executed", "60")
    assert form.submit() and form.review(True)
    answers.reason = "  "
    assert not form.reopen() and form.draft.status == "审核通过" and "必须填写原因" in form.message.text()
    answers.reason = "满意度调查样本不足"
    qtbot.mouseClick(form.buttons["reopen"], Qt.LeftButton)
    assert form.draft.status == "退回修改" and form.texts.opinion.toPlainText() == "满意度调查样本不足"
    assert form.buttons["save"].isEnabled() and not form.buttons["reopen"].isEnabled()
    form.reject()


def test_a_changed_target_is_offered_and_taken(qtbot, year, answers):
    from dataclasses import replace
    from decimal import Decimal

    from app.services import targets

    project_id = next(p.id for p in projects.list_projects(year, 2023) if p.code == "DH2023002")
    saved = svc.save(year, svc.open_project(year, project_id))
    edited = saved.indicators[0]
    saved = svc.save(year, replace(saved, indicators=[replace(edited, actual="320"), *saved.indicators[1:]]))
    target = targets.reopen(year, targets.open_target(year, project_id), "年中调整保洁面积")
    rows = [replace(r, value="330") if r.level3 == edited.level3 else r for r in target.indicators]
    target = targets.submit(year, replace(target, indicators=rows))
    scores = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
    targets.approve(year, targets.review(year, target, scores, True, "同意"))
    form = SelfEvalForm(year, svc.open_table(year, saved.eval_id))
    qtbot.addWidget(form)
    form.show()
    assert form.banner.isVisible() and not form.is_dirty()
    qtbot.mouseClick(form.buttons["take_target"], Qt.LeftButton)
    assert not form.banner.isVisible() and form.is_dirty()
    assert cell(form.model, 0, "target_value").data() == "330" and cell(form.model, 0, "actual").data() == "320"
    assert cell(form.model, 0, "deviation").data(Qt.BackgroundRole) == NEED_FILL  # 320 of 330 now falls short
    answers.unsaved = "save"
    form.reject()
    assert not form.isVisible() and not svc.open_table(year, saved.eval_id).target_changed


def test_a_locked_evidence_file_is_said_in_a_sentence(qtbot, form, answers, tmp_path, monkeypatch):
    from app.services import attachments

    for row, actual in enumerate(ACTUALS):
        edit(form.model, row, "actual", actual)
    edit(form.budget_model, 0, "executed", "60")
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    monkeypatch.setattr(files, "ask_open_path", lambda *a, **k: str(evidence))
    form.tabs.setCurrentIndex(1)
    qtbot.mouseClick(form.evidence.buttons["add_evidence"], Qt.LeftButton)
    assert form.evidence.list.count() == 1

    def locked(*a, **k):
        raise PermissionError(13, "Permission denied", str(tmp_path / "验收报告.pdf"))

    monkeypatch.setattr(attachments, "copy_out", locked)
    qtbot.mouseClick(form.evidence.buttons["open_evidence"], Qt.LeftButton)
    assert answers.told[-1] == OPEN_FAILED == "文件正被其他程序打开或无法写出，请关闭后再试。"
    assert "验收报告.pdf" in form.message.text() and "Traceback" not in form.message.text()
    monkeypatch.setattr(attachments, "copy_out", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom")))
    qtbot.mouseClick(form.evidence.buttons["open_evidence"], Qt.LeftButton)
    assert "意外错误" in answers.told[-1] and "boom" not in answers.told[-1]

    svc.submit(form.ws, form.draft)  # meanwhile submitted from another window
    qtbot.mouseClick(form.evidence.buttons["remove_evidence"], Qt.LeftButton)
    assert "不能再改动佐证材料" in answers.told[-1] and "不能再改动佐证材料" in form.message.text()
    form.done(0)


def answer_opinion(qtbot, text, ok=True):
    """When the 审核意见 dialog opens: type `text` into it and press 审核通过 (or 取消)."""
    def act():
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, parts.OpinionDialog):
            QTimer.singleShot(10, act)
            return
        type_text(dialog.text, text)
        qtbot.mouseClick(dialog.ok if ok else dialog.cancel, Qt.LeftButton)

    QTimer.singleShot(0, act)


def test_pass_asks_an_optional_opinion_and_cancel_stops(qtbot, form, answers, monkeypatch):
    monkeypatch.setattr(parts, "ask_opinion", ASK_OPINION)
    for row, actual in enumerate(ACTUALS):
        edit(form.model, row, "actual", actual)
    edit(form.budget_model, 0, "executed", "60")
    assert form.submit() and answers.asked == ["提交"]
    answer_opinion(qtbot, "佐证材料齐全", ok=False)
    qtbot.mouseClick(form.buttons["pass"], Qt.LeftButton)
    assert form.draft.status == "已提交" and answers.asked == ["提交"]  # 取消: nothing confirmed, nothing moved
    answer_opinion(qtbot, "佐证材料齐全")
    qtbot.mouseClick(form.buttons["pass"], Qt.LeftButton)
    assert form.draft.status == "审核通过" and answers.asked == ["提交", "审核通过"]
    assert form.texts.opinion.toPlainText() == "佐证材料齐全"
    form.reject()


def test_pass_with_an_empty_opinion(qtbot, form, answers, monkeypatch):
    monkeypatch.setattr(parts, "ask_opinion", ASK_OPINION)
    for row, actual in enumerate(ACTUALS):
        edit(form.model, row, "actual", actual)
    edit(form.budget_model, 0, "executed", "60")
    assert form.submit()
    answer_opinion(qtbot, "")
    qtbot.mouseClick(form.buttons["pass"], Qt.LeftButton)
    assert form.draft.status == "审核通过" and form.texts.opinion.toPlainText() == ""
    form.reject()


def test_level_columns_show_their_words_whole_at_1366x768(qtbot, form):
    form.resize(1320, 700)
    qtbot.wait(10)
    view, model = form.view, form.model
    metrics = view.fontMetrics()
    for attr, words in (("level1", "满意度"), ("level2", "社会效益"), ("level2", "可持续影响")):
        assert view.columnWidth(model.column_of(attr)) >= metrics.horizontalAdvance(words) + 8, (attr, words)
    assert view.horizontalScrollBar().maximum() == 0  # every column on screen, nothing scrolled off
