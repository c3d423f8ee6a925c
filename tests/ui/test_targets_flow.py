"""A clerk builds a target from the library, the check flags what is wrong as they type, they fix
it and submit; a reviewer returns it with opinions, then it is approved and becomes read-only."""

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services import projects, targets
from tests.support import project_raw
from tests.ui.typing import type_text
from ui.dialogs.target_review import VersionsDialog
from ui.main_window import MainWindow

GOAL = "按月向符合条件的困难残疾人发放生活补贴，全年发放不少于5800人次，资金足额按时发放，受益群众满意度达到90%以上。"


@pytest.fixture
def window(qtbot, county):
    projects.save_project(county, project_raw(code="DH2023006", name="困难残疾人生活补贴", annual_budget="576",
                                              initial_budget="576", fiscal=""))
    win = MainWindow(county)
    qtbot.addWidget(win)
    win.set_year(2023)
    return win


def add_from_library(qtbot, form, words):
    picker = form.pick_from_library()
    qtbot.addWidget(picker)
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


def test_build_check_fix_submit_return_approve(qtbot, window, monkeypatch):
    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: shown.append(text))
    page = window.show_targets()
    assert [(r.name, r.status) for r in page.model.rows()] == [("困难残疾人生活补贴", "未填报")]
    form = page.open_target(0)
    qtbot.addWidget(form)
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
    assert not form.result.blocks_submission and form.result.quality_score == 100
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
    review.decide(False)
    assert form.draft.status == "退回修改" and form.buttons["save"].isEnabled()
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    review = form.open_review()
    qtbot.addWidget(review)
    for spin in review.spins.values():
        spin.setValue(90)
    review.decide(True)
    assert form.draft.status == "审核通过"
    qtbot.mouseClick(form.buttons["approve"], Qt.LeftButton)
    assert form.draft.status == "已批复" and form.annual_goal.isReadOnly()
    form.accept()
    page.reload()
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


def test_the_checks_findings_prefill_the_review_opinion(qtbot, window):
    form = window.show_targets().open_target(0)
    qtbot.addWidget(form)
    add_from_library(qtbot, form, ["困难残疾人生活补贴发放人次"])
    type_text(form.annual_goal, GOAL)
    assert form.save()
    assert form.opinion_from_findings().startswith("1. ")  # the check's findings pre-fill the opinion


def test_indicator_grid_model_passes_the_model_tester(qtmodeltester):
    from app.services.targets import IndicatorDraft
    from ui.models.indicator_grid import IndicatorGridModel

    model = IndicatorGridModel([IndicatorDraft("产出", "数量", "发放人次", "≥", "5800", "人次")] * 3)
    qtmodeltester.check(model)
    model.remove(1)
    model.move(0, 1)
    qtmodeltester.check(model)


def test_copy_last_years_target_and_paste_rows_from_excel(qtbot, window, county):
    from dataclasses import replace as dc_replace

    from tests.support import GOAL as OTHER_GOAL, GOOD_ROWS

    last = projects.save_project(county, project_raw(code="DH2023006", year="2022", name="困难残疾人生活补贴",
                                                     annual_budget="576", initial_budget="576", fiscal=""))
    targets.save_target(county, dc_replace(targets.open_target(county, last), annual_goal=OTHER_GOAL, indicators=GOOD_ROWS))
    form = window.show_targets().open_target(0)
    qtbot.addWidget(form)
    assert form.copy_last_year() == 6
    assert [r.level3 for r in form.model.rows()] == [r.level3 for r in GOOD_ROWS]
    pasted = "一级指标\t二级指标\t三级指标\t指标性质\t指标值\t计量单位\n产出\t数量\t走访核查残疾人户数\t≥\t300\t户\r\n"
    assert form.paste(pasted) == 1
    assert form.model.rows()[-1].level3 == "走访核查残疾人户数" and form.model.rows()[-1].unit == "户"


def test_export_the_declaration_form_from_the_target_form(qtbot, window, tmp_path):
    form = window.show_targets().open_target(0)
    qtbot.addWidget(form)
    type_text(form.annual_goal, GOAL)
    assert form.save()
    assert form.export_form(str(tmp_path / "申报表.pdf")) and (tmp_path / "申报表.pdf").read_bytes().startswith(b"%PDF")
    assert form.export_form(str(tmp_path / "申报表.xlsx")) and (tmp_path / "申报表.xlsx").stat().st_size > 4000


def test_targets_page_imports_a_file_and_exports_the_review_and_summary(qtbot, window, tmp_path, monkeypatch):
    import openpyxl

    from app.io.targets_import import HEADERS

    monkeypatch.setattr(QMessageBox, "information", lambda *a: None)
    page = window.show_targets()
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "绩效目标"
    sheet.append(HEADERS)
    sheet.append(["DH2023006", "2023", "", GOAL, "产出", "数量", "困难残疾人生活补贴发放人次", "≥", "5800", "人次", "", ""])
    sheet.append(["DH2023006", "2023", "", "", "产出", "质量", "补贴资金发放准确率", "约等于", "100", "%", "", ""])
    bad = tmp_path / "bad.xlsx"
    wb.save(bad)
    report = page.import_file(str(bad))
    qtbot.addWidget(report)
    assert report.model.rowCount() == 1 and report.model.row_at(0).header == "指标性质"
    sheet["H3"] = "="
    good = tmp_path / "good.xlsx"
    wb.save(good)
    assert page.import_file(str(good)) is None
    assert page.model.rows()[0].status == "草稿" and page.model.rows()[0].quality_score is not None
    assert page.export_review(str(tmp_path / "review.xlsx")) and page.export_summary(str(tmp_path / "summary.pdf"))
    assert (tmp_path / "summary.pdf").read_bytes().startswith(b"%PDF")


def test_a_department_declares_its_overall_target(qtbot, window, county, tmp_path):
    """部门整体支出: pick the kind, open the bureau, write 职能 and 年度主要任务, fill the grid, submit."""
    page = window.show_targets()
    page.kind.setCurrentText("部门整体支出")
    names = [r.name for r in page.model.rows()]
    assert names == ["钢城区城乡交通运输局", "钢城区城市管理局"] and page.model.headerData(0, Qt.Horizontal) == "部门编码"
    bureau = names.index("钢城区城市管理局")
    assert page.model.rows()[bureau].annual_fen == 576_000_000  # its one project, 576万元 in fen
    form = page.open_target(bureau)
    qtbot.addWidget(form)
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
    assert form.draft.status == "已提交" and form.draft.tasks == [targets.TaskDraft("困难残疾人生活补贴发放", "576.00")]
    assert not form.buttons["add_task"].isEnabled()
    assert form.export_form(str(tmp_path / "部门.pdf"))
    form.accept()
    assert page.model.rows()[bureau].status == "已提交"
