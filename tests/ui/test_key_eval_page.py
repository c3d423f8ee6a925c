"""The 重点评价 page: the demo county's 2023 evaluations with the grade count; a new evaluation of a
project of the year chosen in the 新建 dialog, scored and saved, appears in the list with its grade
(the list follows the save); a policy needs its name typed."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from tests.support import install_answers
from ui.pages import key_eval_page as page_module
from ui.pages.key_eval_page import NewEvalDialog


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    return install_answers(monkeypatch)


def choosing(kind: str, project: str = "", name: str = ""):
    """ask_new answered as a user: the type picked, the project found by part of its name, or the name typed."""
    seen = {}

    def answer(parent, projects, departments):
        dialog = NewEvalDialog(projects, departments, parent)
        seen["dialog"] = dialog
        dialog.kind.setCurrentText(kind)
        if project:
            dialog.project.setCurrentIndex(next(n for n in range(dialog.project.count())
                                                if project in dialog.project.itemText(n)))
        if name:
            dialog.name.setText(name)
        return dialog.choice()

    return answer, seen


def test_demo_year_lists_evaluations_with_the_grade_count(stage_page, demo_copy):
    page = stage_page("key_eval", demo_copy, 2023)
    rows = page.model.rows()
    assert len(rows) >= 8 and any("净水厂" in r.object_name for r in rows)
    assert "2023年度重点评价" in page.counts.text() and "个项目评价结果为“优”" in page.counts.text()
    page.search.setText("净水厂")
    assert [r.object_name for r in page.model.rows()] == ["净水厂原水水费及场地租金"]


def test_new_evaluation_for_a_project_then_the_list_follows_the_save(qtbot, stage_page, year, settle, monkeypatch):
    page = stage_page("key_eval", year, 2023)
    assert page.model.rowCount() == 0 and "还没有重点评价" in page.counts.text()
    answer, seen = choosing("项目", project="净水厂")
    monkeypatch.setattr(page_module, "ask_new", answer)
    qtbot.mouseClick(page.findChild(QPushButton, "btn_new_evaluation"), Qt.LeftButton)
    settle()
    dialog = seen["dialog"]
    assert dialog.form.isRowVisible(1) and not dialog.form.isRowVisible(3)  # a project is picked, not typed
    form = page.form
    assert form is not None and form.head.edits["object_name"].text() == "净水厂原水水费及场地租金"
    assert form.head.edits["budget"].text() == "500.00" and not form.draft.saved
    for n, line in enumerate(form.model.lines):
        form.model.setData(form.model.index(n, form.model.column_of("score")), line.points)
    form.head.edits["code"].setText("A-01")
    assert form.save()
    settle()
    rows = page.model.rows()
    assert [(r.code, r.object_name, r.grade, r.status) for r in rows] == [("A-01", "净水厂原水水费及场地租金", "优", "草稿")]
    assert "1个项目评价结果为“优”" in page.counts.text()
    form.done(0)

    page.view.selectRow(0)
    page.open_evaluation(0)
    settle()
    assert page.form.draft.code == "A-01" and page.form.dims.value("综合绩效", "score") == "100"
    page.form.done(0)


def test_a_policy_needs_its_name(qtbot, stage_page, year, settle, monkeypatch):
    page = stage_page("key_eval", year, 2023)
    answer, seen = choosing("政策")
    monkeypatch.setattr(page_module, "ask_new", answer)
    page.new_evaluation()
    settle()
    assert page.form is None and "请填写评价对象的名称" in seen["dialog"].problem.text()
    answer, seen = choosing("政策", name="城乡居民基本养老保险政策")
    monkeypatch.setattr(page_module, "ask_new", answer)
    page.new_evaluation()
    settle()
    assert page.form.draft.object_type == "政策" and page.form.head.edits["object_name"].text() == "城乡居民基本养老保险政策"
    page.form.done(0)


def test_attachments_and_check_are_written_from_the_page(qtbot, stage_page, demo_copy, settle, tmp_path, monkeypatch):
    pytest.importorskip("app.io.key_eval_reports")
    import openpyxl

    from ui import files

    page = stage_page("key_eval", demo_copy, 2023)
    target = tmp_path / "附件.xlsx"
    monkeypatch.setattr(files, "ask_save_path", lambda *a, **k: str(target))
    qtbot.mouseClick(page.findChild(QPushButton, "btn_export_year"), Qt.LeftButton)
    settle()
    sheets = openpyxl.load_workbook(target).sheetnames
    assert any("附件1" in s for s in sheets) and any("附件2" in s for s in sheets)
    checked = tmp_path / "检查.xlsx"
    monkeypatch.setattr(files, "ask_save_path", lambda *a, **k: str(checked))
    op = page.check_year()
    settle()
    assert op.outcome.ok and checked.is_file() and page.notice.text().startswith("检查：2023年度")
    op.told.close()
    for widget in page.findChildren(files.ExportedDialog):
        widget.close()
    monkeypatch.setattr(files, "ask_save_path", lambda *a, **k: "")  # cancelled: nothing runs
    assert page.export_year() is None


def test_a_past_report_is_imported_and_its_slip_counted(qtbot, stage_page, year, settle, tmp_path):
    pytest.importorskip("app.services.key_eval_import")
    import openpyxl

    book = openpyxl.Workbook()
    head = book.active
    head.title = "评价项目"
    head.append(["评价编号", "年度", "评价对象类型", "项目编码", "项目名称", "实施单位", "归口科室", "资金性质",
                 "预算批复金额（万元）", "实际支出（万元）", "评价机构", "综合得分", "评价等级"])
    head.append(["QJ-01", 2023, "项目", "", "城区供水管网改造", "示范县水务局", "经建科", "一般公共预算", 300, 280, "财政",
                 91.5, "优"])
    scores = book.create_sheet("评分")
    scores.append(["评价编号", "一级指标", "二级指标", "三级指标", "分值", "得分", "等级", "扣分原因"])
    for name, points, score in (("项目决策", 20, 18), ("项目过程", 30, 26.5), ("项目产出", 30, 28), ("项目效益", 20, 19)):
        scores.append(["QJ-01", name, "", "", points, score, "优", ""])
    path = tmp_path / "往年评价.xlsx"
    book.save(path)
    page = stage_page("key_eval", year, 2023)
    page.import_file(str(path))
    settle()
    assert page.notice.text()
    row = next(r for r in page.model.rows() if r.code == "QJ-01")
    assert row.findings >= 1 and row.grade == "优" and "检查发现" in page.counts.text()
