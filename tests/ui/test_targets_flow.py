"""A clerk builds a target from the library, the check flags what is wrong as they type, they fix
it and submit; a reviewer returns it with opinions, then it is approved and becomes read-only. The
page shows each change without being told to reload (change notifications)."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.domain.targets import IndicatorDraft, TaskDraft
from app.services import projects, targets
from tests.support import project_raw
from tests.ui.typing import type_text
from ui import messages
from ui.dialogs.target_review import VersionsDialog
from ui.main_window import MainWindow
from ui.pages.targets_page import TargetsPage

GOAL = "按月向符合条件的困难残疾人发放生活补贴，全年发放不少于5800人次，资金足额按时发放，受益群众满意度达到90%以上。"


class Answers:
    """What the user answers the form's questions: each workflow step's confirmation (`confirm`,
    yes unless told) and 保存 / 不保存 / 取消 on closing with changes (`unsaved`: "save", "discard"
    or "cancel"); every question asked is kept in `asked`."""

    def __init__(self):
        self.confirm, self.unsaved, self.asked = True, "discard", []

    def confirm_step(self, parent, title, sentence):
        self.asked.append((title, sentence))
        return self.confirm

    def ask_unsaved(self, parent, what):
        self.asked.append(("尚未保存", what))
        return self.unsaved


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    """The user's answers to the confirmations (patched where the forms look them up: ui.messages)."""
    given = Answers()
    monkeypatch.setattr(messages, "confirm_step", given.confirm_step)
    monkeypatch.setattr(messages, "ask_unsaved", given.ask_unsaved)
    return given


@pytest.fixture
def window(qtbot, county, settle):
    projects.save_project(county, project_raw(code="DH2023006", name="困难残疾人生活补贴", annual_budget="576",
                                              initial_budget="576", fiscal=""))
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.set_year(2023)
    win.show()
    settle()
    return win


@pytest.fixture
def targets_page(window, settle):
    """The 绩效目标 page on screen with the year's list read."""
    page = window.show_targets()
    settle()
    return page


def open_form(qtbot, page, settle, row):
    """Open the row's target as a user does: the target is read in the background, then its form opens."""
    op = page.open_target(row)
    assert page.status.text() == "正在读取…"
    settle()
    assert op.outcome.ok and page.form.isVisible()
    qtbot.addWidget(page.form)
    return page.form


def add_from_library(qtbot, form, words):
    picker = form.pick_from_library()
    qtbot.addWidget(picker)
    qtbot.waitUntil(lambda: not picker.browser.loading)  # the library is read in the background
    for word in words:
        picker.search.clear()
        type_text(picker.search, word)
        exact = [n for n, r in enumerate(picker.model.rows()) if r.level3 == word]
        assert exact, word
        picker.add_rows(exact[:1])
    picker.accept()


def set_cell(form, row, column, value):
    model = form.model
    assert model.setData(model.index(row, column), value)


def test_build_check_fix_submit_return_approve(qtbot, window, targets_page, settle, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page = targets_page
    assert [(r.name, r.status) for r in page.model.rows()] == [("困难残疾人生活补贴", "未填报")]
    form = open_form(qtbot, page, settle, 0)
    type_text(form.annual_goal, "完成全年既定目标")
    assert "年度目标只写了" in "\n".join(form.findings.item(i).text() for i in range(form.findings.count()))
    add_from_library(qtbot, form, ["困难残疾人生活补贴发放人次", "补贴资金发放准确率", "补贴按月发放及时率",
                                   "困难残疾人生活补贴标准", "残疾人两项补贴政策知晓率", "补贴对象满意度"])
    assert form.model.rowCount() == 6
    assert form.result.blocks_submission  # quantity and cost values are still empty, goal says nothing
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert shown and "不能提交" in shown[-1]
    shown.clear()
    set_cell(form, 0, 4, "5800")
    set_cell(form, 3, 4, "80")
    form.annual_goal.clear()
    type_text(form.annual_goal, GOAL)
    assert not form.result.blocks_submission and form.result.quality_score == 95  # no 分值 yet: a warning
    assert any("各指标都没有填分值" in form.findings.item(i).text() for i in range(form.findings.count()))
    for row, points in enumerate(("20", "15", "15", "10", "20", "20")):
        set_cell(form, row, 6, points)
    assert form.result.quality_score == 100
    form.model.remove(5)
    assert any("服务对象满意度" in form.findings.item(i).text() for i in range(form.findings.count()))
    form.model.undo_delete()  # a mistaken delete, undone before saving
    assert form.model.rowCount() == 6 and form.result.quality_score == 100
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert shown[-1:] == [] or form.draft.status == "已提交", shown
    assert form.draft.status == "已提交" and not form.buttons["save"].isEnabled()
    assert not form.model.flags(form.model.index(0, 4)) & Qt.ItemIsEditable  # read-only once submitted
    review = form.open_review()
    qtbot.addWidget(review)
    review.opinion.setPlainText("补贴标准请写明元/人·月的省定标准文件。")
    assert review.decide(False)  # returned without scores
    assert form.draft.status == "退回修改" and form.buttons["save"].isEnabled()
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    review = form.open_review()
    qtbot.addWidget(review)
    assert not review.decide(True) and "各打分" in review.problem.text()  # not scored yet
    for spin in review.spins.values():
        spin.setValue(90)
    assert review.decide(True)
    assert form.draft.status == "审核通过"
    qtbot.mouseClick(form.buttons["approve"], Qt.LeftButton)
    assert form.draft.status == "已批复" and form.annual_goal.isReadOnly()
    form.close()  # nothing unsaved: closes without asking
    settle()
    row = page.model.rows()[0]
    assert (row.status, row.quality_score, row.review_score) == ("已批复", Decimal("100.00"), Decimal("90.00"))
    assert not form.buttons["versions"].isEnabled()  # nothing earlier to show yet
    assert form.reopen("年中追加预算") and form.draft.status == "退回修改"
    assert [s["revision"] for s in targets.snapshots(window.ws, form.draft.target_id)] == [1]
    set_cell(form, 0, 4, "6000")  # the change the reopening was for
    assert form.save() and form.draft.indicators[0].value == "6000"
    qtbot.mouseClick(form.buttons["versions"], Qt.LeftButton)
    versions = form.findChild(VersionsDialog)
    qtbot.addWidget(versions)
    assert "年中追加预算" in versions.list.item(0).text()
    kept = versions.view.model()
    assert kept.index(0, 4).data() == "5800" and not kept.flags(kept.index(0, 4)) & Qt.ItemIsEditable
    assert GOAL in versions.goals.text()


def test_the_checks_findings_prefill_the_review_opinion(qtbot, targets_page, settle):
    form = open_form(qtbot, targets_page, settle, 0)
    add_from_library(qtbot, form, ["困难残疾人生活补贴发放人次"])
    type_text(form.annual_goal, GOAL)
    assert form.save()
    lines = form.opinion_from_findings().splitlines()  # the check's findings, as a numbered list
    assert lines[0] == "自动检查发现以下问题：" and lines[1].startswith("1. ") and "缺少“产出—质量”指标" in "\n".join(lines)


def test_indicator_grid_model_passes_the_model_tester(qtmodeltester):
    from ui.models.indicator_grid import IndicatorGridModel

    model = IndicatorGridModel([IndicatorDraft("产出", "数量", "发放人次", "≥", "5800", "人次")] * 3)
    qtmodeltester.check(model)
    model.remove(1)
    model.move(0, 1)
    qtmodeltester.check(model)


def test_copy_last_years_target_and_paste_rows_from_excel(qtbot, targets_page, county, settle):
    from dataclasses import replace as dc_replace

    from tests.support import GOAL as OTHER_GOAL, GOOD_ROWS

    last = projects.save_project(county, project_raw(code="DH2023006", year="2022", name="困难残疾人生活补贴",
                                                     annual_budget="576", initial_budget="576", fiscal=""))
    targets.save_target(county, dc_replace(targets.open_target(county, last), annual_goal=OTHER_GOAL, indicators=GOOD_ROWS))
    form = open_form(qtbot, targets_page, settle, 0)
    assert form.copy_last_year() == 6
    assert [r.level3 for r in form.model.rows()] == [r.level3 for r in GOOD_ROWS]
    pasted = "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\n产出\t数量\t走访核查残疾人户数\t≥\t300\t户\r\n"
    assert form.paste(pasted) == 1
    assert form.model.rows()[-1].level3 == "走访核查残疾人户数" and form.model.rows()[-1].unit == "户"


def test_export_the_declaration_form_from_the_target_form(qtbot, targets_page, tmp_path, settle):
    form = open_form(qtbot, targets_page, settle, 0)
    type_text(form.annual_goal, GOAL)
    assert form.save()
    pdf, xlsx = form.export_form(str(tmp_path / "申报表.pdf")), form.export_form(str(tmp_path / "申报表.xlsx"))
    assert not (pdf.done and xlsx.done)  # written in the background: the form never waits
    settle()
    assert pdf.outcome.ok and (tmp_path / "申报表.pdf").read_bytes().startswith(b"%PDF")
    assert xlsx.outcome.ok and (tmp_path / "申报表.xlsx").stat().st_size > 4000


def test_targets_page_imports_a_file_and_exports_the_review_and_summary(qtbot, targets_page, settle, tmp_path,
                                                                      monkeypatch):
    import openpyxl

    from app.io.targets_import import HEADERS

    told = []
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: told.append(text))
    page = targets_page
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "绩效目标"
    sheet.append(HEADERS)
    sheet.append(["DH2023006", "2023", "", GOAL, "产出", "数量", "困难残疾人生活补贴发放人次", "≥", "5800", "人次", "", ""])
    sheet.append(["DH2023006", "2023", "", "", "产出", "质量", "补贴资金发放准确率", "约等于", "100", "%", "", ""])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    op = page.import_file(str(bad))
    settle()
    report = op.report
    qtbot.addWidget(report)
    assert report.model.rowCount() == 1 and report.model.row_at(0).header == "指标性质"
    assert page.model.rows()[0].status == "未填报"  # nothing landed
    sheet["H3"] = "="
    good = tmp_path / "good.xlsx"
    wb.save(good)
    op = page.import_file(str(good))
    settle()
    assert op.outcome.ok and op.report is None and told == ["导入完成：1个项目的绩效目标，共2个指标。"]
    assert page.model.rows()[0].status == "草稿" and page.model.rows()[0].quality_score is not None
    review, summary = page.export_review(str(tmp_path / "review.xlsx")), page.export_summary(str(tmp_path / "summary.pdf"))
    settle()
    assert review.outcome.result >= 1 and summary.outcome.result == 1  # lines: findings; one target
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF")


def test_a_department_declares_its_overall_target(qtbot, targets_page, settle, tmp_path):
    """部门整体支出: pick the kind, open the bureau, write 职能 and 年度主要任务, fill the grid, submit."""
    page = targets_page
    page.kind.setCurrentText("部门整体支出")
    settle()
    names = [r.name for r in page.model.rows()]
    assert names == ["钢城区城乡交通运输局", "钢城区城市管理局"] and page.model.headerData(0, Qt.Horizontal) == "部门编码"
    bureau = names.index("钢城区城市管理局")
    assert page.model.rows()[bureau].annual_fen == 576_000_000  # its one project, 576万元 in fen
    form = open_form(qtbot, page, settle, bureau)
    assert form.windowTitle().startswith("部门整体支出绩效目标")
    type_text(form.functions, "负责城区市容环境卫生管理")
    qtbot.mouseClick(form.buttons["add_task"], Qt.LeftButton)
    tasks = form.tasks.model()
    assert tasks.setData(tasks.index(0, 0), "困难残疾人生活补贴发放") and tasks.setData(tasks.index(0, 1), "576")
    add_from_library(qtbot, form, ["困难残疾人生活补贴发放人次", "补贴资金发放准确率", "补贴按月发放及时率",
                                   "残疾人两项补贴政策知晓率", "补贴对象满意度"])
    set_cell(form, 0, 4, "5800")
    type_text(form.annual_goal, GOAL)
    assert not form.result.blocks_submission  # a department needs no 成本 indicator
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交" and form.draft.tasks == [TaskDraft("困难残疾人生活补贴发放", "576.00")]
    assert not form.buttons["add_task"].isEnabled()
    exported = form.export_form(str(tmp_path / "部门.pdf"))
    form.accept()
    settle()
    assert exported.outcome.ok and (tmp_path / "部门.pdf").read_bytes().startswith(b"%PDF")
    assert page.model.rows()[bureau].status == "已提交"


def test_a_target_submitted_in_the_form_shows_as_submitted_in_the_list_without_a_reload(qtbot, county, page_ctx,
                                                                                       settle):
    from tests.support import GOAL as ROAD_GOAL, GOOD_ROWS

    projects.save_project(county, project_raw())
    page = TargetsPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    assert page.status.text() == "正在读取…"  # the list is read in the background
    settle()
    assert [r.status for r in page.model.rows()] == ["未填报"] and "未填报1个" in page.status.text()
    form = open_form(qtbot, page, settle, 0)
    settle()
    assert [r.status for r in page.model.rows()] == ["未填报"] and "未填报1个" in page.status.text()  # opening writes nothing
    form.model.append(GOOD_ROWS)
    type_text(form.annual_goal, ROAD_GOAL)
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交"
    settle()
    assert [(r.status, r.quality_score) for r in page.model.rows()] == [("已提交", Decimal("100.00"))]
    assert "已提交1个" in page.status.text()


def test_a_change_elsewhere_keeps_the_selected_row(qtbot, county, page_ctx, settle):
    """A colleague starts another project's target: the list follows, the clerk's row stays selected."""
    projects.save_project(county, project_raw())
    projects.save_project(county, project_raw(code="3701172023002", name="路灯电费及维护", annual_budget="88.5",
                                              initial_budget="88.5"))
    page = TargetsPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    settle()
    page.view.selectRow(1)
    chosen, other = page.model.row_at(1).project_id, page.model.row_at(0).project_id
    targets.save_target(county, targets.open_target(county, other))  # saves the other project's 草稿
    settle()
    assert [r.status for r in page.model.rows()] == ["草稿", "未填报"]  # the change arrived
    assert [page.model.row_at(i.row()).project_id for i in page.view.selectionModel().selectedRows()] == [chosen]


# -- no lost typing, no surprise records --------------------------------------------------------------
def fill(form):
    """A complete target typed into the form (no errors: it can be submitted)."""
    from tests.support import GOAL as ROAD_GOAL, GOOD_ROWS

    form.model.append(GOOD_ROWS)
    type_text(form.annual_goal, ROAD_GOAL)


@pytest.fixture
def road_page(qtbot, county, page_ctx, settle):
    """The 绩效目标 page of a county with one project and no target yet."""
    projects.save_project(county, project_raw())
    page = TargetsPage(page_ctx(county))
    qtbot.addWidget(page)
    page.show()
    page.set_year(2023)
    settle()
    return page


def statuses(page):
    return [r.status for r in page.model.rows()]


@pytest.mark.parametrize("close", ["close_button", "window", "escape"])
def test_closing_with_unsaved_changes_asks_and_each_answer_does_what_it_says(qtbot, road_page, answers, settle,
                                                                            monkeypatch, close):
    page = road_page
    form = open_form(qtbot, page, settle, 0)

    def close_it():
        if close == "close_button":
            qtbot.mouseClick(form.buttons["close"], Qt.LeftButton)
        elif close == "window":
            form.close()  # the window's close button
        else:
            qtbot.keyClick(form, Qt.Key_Escape)

    type_text(form.annual_goal, "全年完成城区道路清扫保洁")
    answers.unsaved = "cancel"
    close_it()
    assert answers.asked == [("尚未保存", "这个绩效目标")] and form.isVisible()
    assert form.annual_goal.toPlainText() == "全年完成城区道路清扫保洁"  # the typing is still there
    answers.unsaved = "save"
    form.model.append([IndicatorDraft("产出", "数量", "保洁面积", "大于", "320", "万平方米")])  # a bad cell
    refused = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: refused.append(text))
    close_it()  # 保存 refused: the form stays open with the typing
    assert refused and form.isVisible() and statuses(page) == ["未填报"]
    form.model.remove(0)
    close_it()  # 保存 now succeeds: saved, then closed
    settle()
    assert not form.isVisible() and statuses(page) == ["草稿"]
    assert targets.open_target(page.ws, page.model.row_at(0).project_id).annual_goal == "全年完成城区道路清扫保洁"


def test_closing_without_saving_keeps_nothing_and_an_unchanged_form_closes_silently(qtbot, road_page, answers, settle):
    page = road_page
    form = open_form(qtbot, page, settle, 0)
    qtbot.mouseClick(form.buttons["close"], Qt.LeftButton)
    assert not form.isVisible() and answers.asked == []  # nothing typed: nothing asked
    form = open_form(qtbot, page, settle, 0)
    fill(form)
    answers.unsaved = "discard"
    qtbot.keyClick(form, Qt.Key_Escape)
    settle()
    assert not form.isVisible() and answers.asked == [("尚未保存", "这个绩效目标")]
    assert statuses(page) == ["未填报"] and targets.open_target(page.ws, page.model.row_at(0).project_id).indicators == []


def test_opening_a_target_leaves_the_count_and_the_first_save_makes_the_draft(qtbot, road_page, answers, settle):
    page = road_page
    form = open_form(qtbot, page, settle, 0)
    settle()
    assert statuses(page) == ["未填报"] and "未填报1个" in page.status.text()
    assert "尚未保存" in form.head.text() and not form.draft.saved
    type_text(form.annual_goal, "全年完成城区道路清扫保洁")
    assert form.save() and form.draft.saved and form.draft.status == "草稿"
    settle()
    assert statuses(page) == ["草稿"] and "草稿1个" in page.status.text()
    form.close()
    assert answers.asked == []  # saved: nothing left to ask


def test_a_department_target_opened_is_not_created_until_saved(qtbot, road_page, answers, settle):
    page = road_page
    page.kind.setCurrentText("部门整体支出")
    settle()
    before = page.status.text()
    bureau = [r.name for r in page.model.rows()].index("钢城区城市管理局")
    form = open_form(qtbot, page, settle, bureau)
    settle()
    assert page.status.text() == before and page.model.rows()[bureau].status == "未填报"
    assert form.draft.funds_fen == 3_201_180_000  # the money of its projects, before any save
    type_text(form.functions, "负责城区市容环境卫生管理")
    assert form.save()
    settle()
    assert page.model.rows()[bureau].status == "草稿"


def test_a_step_asks_first_and_a_refusal_changes_nothing(qtbot, road_page, answers, settle):
    page = road_page
    form = open_form(qtbot, page, settle, 0)
    fill(form)
    answers.confirm = False
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    settle()
    assert answers.asked[-1][0] == "提交审核" and "保存并提交" in answers.asked[-1][1]  # never saved: said so
    assert form.draft.status == "草稿" and not form.draft.saved and statuses(page) == ["未填报"]
    answers.confirm = True
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)  # a never-saved form: created, then submitted
    settle()
    assert form.draft.status == "已提交" and statuses(page) == ["已提交"]
    review = form.open_review()
    qtbot.addWidget(review)
    for spin in review.spins.values():
        spin.setValue(90)
    answers.confirm = False
    assert not review.decide(True) and review.isVisible()  # refused: the dialog stays, nothing moved
    assert answers.asked[-1] == ("审核通过", "审核通过后这个绩效目标不能再修改，等待批复。确定审核通过吗？")
    assert form.draft.status == "已提交"
    answers.confirm = True
    assert review.decide(True) and not review.isVisible() and form.draft.status == "审核通过"
    answers.confirm = False
    qtbot.mouseClick(form.buttons["approve"], Qt.LeftButton)
    assert answers.asked[-1][0] == "批复" and "不能再修改" in answers.asked[-1][1] and form.draft.status == "审核通过"
    answers.confirm = True
    qtbot.mouseClick(form.buttons["approve"], Qt.LeftButton)
    assert form.draft.status == "已批复"
    answers.confirm = False
    assert not form.reopen("年中追加预算")
    assert answers.asked[-1][0] == "退回已批复目标" and "原因：年中追加预算" in answers.asked[-1][1]
    assert form.draft.status == "已批复" and targets.snapshots(page.ws, form.draft.target_id) == []
    answers.confirm = True
    assert form.reopen("年中追加预算") and form.draft.status == "退回修改"
    settle()
    assert statuses(page) == ["退回修改"]


def test_a_return_in_review_asks_first(qtbot, road_page, answers, settle):
    page = road_page
    form = open_form(qtbot, page, settle, 0)
    fill(form)
    assert form.submit()
    review = form.open_review()
    qtbot.addWidget(review)
    answers.confirm = False
    assert not review.decide(False) and form.draft.status == "已提交"
    assert answers.asked[-1][0] == "退回修改" and "退回填报人修改" in answers.asked[-1][1]
    review.opinion.clear()
    answers.confirm = True
    assert not review.decide(False) and review.problem.text() == "退回修改时请填写审核意见，说明要改什么。"
    review.opinion.setPlainText("请细化成本指标。")
    assert review.decide(False) and form.draft.status == "退回修改"


def test_the_review_dialog_starts_with_no_scores_and_an_opinion_drafted_from_the_findings(qtbot, road_page, answers,
                                                                                         settle):
    from dataclasses import replace as dc_replace

    from tests.support import GOAL as ROAD_GOAL, GOOD_ROWS

    form = open_form(qtbot, road_page, settle, 0)
    form.model.append(GOOD_ROWS[:5] + [dc_replace(GOOD_ROWS[5], points="")])  # warnings only: it can be submitted
    type_text(form.annual_goal, ROAD_GOAL)
    assert form.submit()
    review = form.open_review()
    qtbot.addWidget(review)
    assert [s.text() for s in review.spins.values()] == ["未打分"] * 4 and review.scores() == {}
    assert review.opinion.toPlainText().splitlines() == [
        "自动检查发现以下问题：",
        "1. 整体：第6行指标没有填分值。为每个指标填写分值，合计100分。",
        "2. 整体：各指标分值合计80分，不等于100分。调整分值使合计为100分。"]
    review.opinion.appendPlainText("请补填满意度指标的分值。")  # the draft is the reviewer's to edit
    assert review.decide(False) and form.draft.status == "退回修改"


def test_directions_typed_or_pasted_as_users_write_them_become_the_sign(qtbot, road_page, settle):
    form = open_form(qtbot, road_page, settle, 0)
    form.add_blank()
    set_cell(form, 0, 3, ">=")
    assert form.model.rows()[0].direction == "≥"
    set_cell(form, 0, 3, "小于等于")
    assert form.model.rows()[0].direction == "≤"
    form.paste("产出\t数量\t保洁面积\t大于等于\t320\t万平方米\n产出\t成本\t合同金额\t＜＝\t3201.18\t万元\n"
               "产出\t时效\t日产日清率\t等于\t100\t%\n满意度\t服务对象满意度\t居民满意度\t正向\t90\t%")
    assert [r.direction for r in form.model.rows()] == ["≤", "≥", "≤", "=", "≥"]
    assert not any(p.field.endswith(":direction") for p in targets.validate_grid(form.current()).problems)
    form.done(0)


def test_closing_the_main_window_asks_an_open_form_about_its_typing(qtbot, demo_copy, settle, monkeypatch):
    """The program's window closing does not drop a target form's typing: the form asks; 取消 keeps
    both open, 不保存 lets the window close."""
    from ui import messages
    from ui.main_window import MainWindow

    win = MainWindow(demo_copy)
    qtbot.addWidget(win)
    win.set_year(2023)
    win.show()
    page = win.show_targets()
    settle()
    page.open_target(0)
    settle()
    form = page.form
    form.annual_goal.setPlainText("全年完成示范县城区道路清扫保洁320万平方米。")
    answers = ["cancel", "discard"]
    asked = []
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: asked.append(what) or answers.pop(0))
    win.close()
    assert asked == ["这个绩效目标"] and win.isVisible() and form.isVisible()
    win.close()
    assert not win.isVisible() and not form.isVisible()
