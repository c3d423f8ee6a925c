"""A department's 自评表 on a scoring tree edited freely (items renamed, re-pointed, added and
deleted; a submitted tree is read-only), and a past table imported as printed, submitted as printed
with the check's findings shown as 提醒 only."""

from decimal import Decimal

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from app.services import self_eval as svc
from app.services.self_eval_year import list_year
from tests.support import cell, edit, install_answers
from tests.ui.typing import type_text
from ui.dialogs.self_eval_form import SelfEvalForm
from ui.models.self_eval_grid import NEED_FILL


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    return install_answers(monkeypatch)


def department_form(qtbot, ws):
    dept_row = next(r for r in list_year(ws, 2023) if r.kind == "部门整体")
    form = SelfEvalForm(ws, svc.open_department(ws, dept_row.department_id, 2023))
    qtbot.addWidget(form)
    form.resize(1320, 700)
    form.show()
    return form


def type_in_cell(qtbot, view, index, text):
    """Select the cell, open its editor (as F2 does), type over what is there and press Enter."""
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key_F2)
    editors = [e for e in view.viewport().findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "no editor opened"
    editors[0].selectAll()
    type_text(editors[0], text)
    qtbot.keyClick(editors[0], Qt.Key_Return)
    qtbot.waitUntil(lambda: index.data(Qt.EditRole) == text, timeout=1000)  # Enter wrote it into the cell


def test_department_tree_items_are_renamed_repointed_added_and_deleted(qtbot, year, answers):
    form = department_form(qtbot, year)
    model, view = form.model, form.view
    assert "分值合计 100" in form.totals.text() and form.buttons["add_item"].isEnabled()
    rows = model.rowCount()
    for n, line in enumerate(model.lines):  # every item scored at its points: 总分 follows live
        if line.rule != "预算执行率":
            edit(model, n, "score", line.points)
    full = total_of(form)
    view.setCurrentIndex(cell(model, 1, "score"))
    qtbot.mouseClick(form.buttons["add_item"], Qt.LeftButton)  # under 绩效指标明确性, in 目标设定
    assert model.rowCount() == rows + 1
    new = model.lines[2]
    assert (new.level1, new.level2, new.level3, new.points) == ("部门决策", "目标设定", "", "0")
    assert view.currentIndex() == cell(model, 2, "level3")
    type_in_cell(qtbot, view, cell(model, 2, "level3"), "绩效目标公开")
    type_in_cell(qtbot, view, cell(model, 2, "standard"), "按时公开得满分")
    type_in_cell(qtbot, view, cell(model, 2, "points"), "2.555")  # three decimals: refused at once
    assert cell(model, 2, "points").data(Qt.BackgroundRole) == NEED_FILL
    assert any(t.startswith("必须处理：第3行") and "两位小数" in t for t in form.needs.texts())
    type_in_cell(qtbot, view, cell(model, 2, "points"), "-1")
    assert any(t.startswith("必须处理：第3行") and "数字" in t for t in form.needs.texts())
    type_in_cell(qtbot, view, cell(model, 2, "points"), "5")
    assert "分值合计 105" in form.totals.text() and cell(model, 2, "points").data(Qt.BackgroundRole) != NEED_FILL
    before = form.totals.text()
    type_in_cell(qtbot, view, cell(model, 2, "score"), "4")  # a score below its points: 扣分原因 asked
    assert "扣分原因" in " ".join(form.needs.texts()) and form.totals.text() != before
    type_in_cell(qtbot, view, cell(model, 2, "score_note"), "公开晚了两天")
    type_in_cell(qtbot, view, cell(model, 0, "points"), "3")  # 绩效目标合理性 5 → 3
    assert "分值合计 103" in form.totals.text()
    type_in_cell(qtbot, view, cell(model, 0, "level2"), "目标管理")

    view.setCurrentIndex(cell(model, 4, "level3"))  # 资金分配合理性 leaves the tree
    gone = model.lines[4].level3
    qtbot.mouseClick(form.buttons["remove_item"], Qt.LeftButton)
    assert model.rowCount() == rows and gone not in {line.level3 for line in model.lines}
    assert "分值合计 98" in form.totals.text()
    # 绩效目标合理性 scored 5 of 3 now asks to be put right; 资金分配合理性's 5 left with it; the new item's 4 came
    assert total_of(form) == full - 5 + 4 and any("绩效目标合理性" in t and "0到3" in t for t in form.needs.texts())
    type_in_cell(qtbot, view, cell(model, 0, "score"), "3")
    assert total_of(form) == full - 2 - 5 + 4

    qtbot.mouseClick(form.buttons["save"], Qt.LeftButton)
    stored = svc.open_table(year, form.draft.eval_id)
    assert [(i.level2, i.level3, i.points) for i in stored.indicators[:3]] == [
        ("目标管理", "绩效目标合理性", "3"), ("目标设定", "绩效指标明确性", "5"), ("目标设定", "绩效目标公开", "5")]
    assert stored.indicators[2].standard == "按时公开得满分" and gone not in {i.level3 for i in stored.indicators}
    form.reject()


def total_of(form) -> Decimal:
    """The 总分 the form shows under the grid."""
    return Decimal(next(p for p in form.totals.text().split("　") if p.startswith("总分 ")).split()[1])


def test_a_submitted_department_tree_cannot_be_edited(qtbot, year, answers):
    form = department_form(qtbot, year)
    model = form.model
    for n, line in enumerate(model.lines):
        if line.rule != "预算执行率":
            edit(model, n, "score", line.points)
    edit(form.budget_model, 0, "executed", form.budget_model.lines[0].annual)
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交"
    assert not form.buttons["add_item"].isEnabled() and not form.buttons["remove_item"].isEnabled()
    assert not form.model.flags(cell(form.model, 0, "points")) & Qt.ItemIsEditable
    assert form.model.add_item(0) == -1 and not form.model.remove_item(0)
    form.reject()


BUDGET_HEADERS = ["项目编码", "年度", "预算行", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "分值",
                  "得分", "原因", "总分", "评价等级", "状态"]
INDICATOR_HEADERS = ["项目编码", "年度", "一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值",
                     "分值", "得分", "评分说明", "偏差原因分析及改进措施"]


def test_a_printed_draft_is_submitted_as_printed_with_reminders_only(qtbot, year, answers, tmp_path):
    from app.services.self_eval_import import import_file

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "预算执行"
    sheet.append(BUDGET_HEADERS)
    sheet.append(["DH2023005", 2023, "总额", 500, 500, 480, "96%", 10, 9.6, "", 99.6, "良", "填报"])
    sheet = book.create_sheet("指标")
    sheet.append(INDICATOR_HEADERS)  # 分值 overwritten by 得分 although 供水量 fell short
    sheet.append(["DH2023005", 2023, "产出指标", "数量指标", "供水量", "≥", "≥500万吨", "万吨", "460万吨", 50, 50, "", ""])
    sheet.append(["DH2023005", 2023, "效益指标", "社会效益指标", "供水保障率", "≥", "≥98%", "%", "完成", 40, 40, "", ""])
    book.save(tmp_path / "往年.xlsx")
    import_file(year, tmp_path / "往年.xlsx")
    row = next(r for r in list_year(year, 2023) if r.code == "DH2023005")
    form = SelfEvalForm(year, svc.open_table(year, row.eval_id))
    qtbot.addWidget(form)
    form.show()
    assert form.draft.as_printed and form.draft.status == "草稿"
    assert form.buttons["submit"].isEnabled() and not form.buttons["save"].isEnabled()
    texts = form.needs.texts()
    assert texts and all(t.startswith("提醒：") for t in texts)
    assert any("分值即得分" in t for t in texts) and any("未达成却满分" in t for t in texts)
    assert cell(form.model, 0, "score").data(Qt.BackgroundRole) not in (None, NEED_FILL)  # shaded as a 提醒
    qtbot.mouseClick(form.buttons["submit"], Qt.LeftButton)
    assert form.draft.status == "已提交", answers.told
    assert all(t.startswith("提醒：") for t in form.needs.texts())
    form.reject()
