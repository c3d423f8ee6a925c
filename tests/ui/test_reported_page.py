"""上报数 page as the 绩效科 uses it: the page says what 上报数 are for; 新增上报数… opens the form, an
amount finer than two decimals of 万元 and a missing 来源 are named under their fields as the clerk
types, 保存 lists 德惠's 169 一级 projects with their source; 编辑… shows it again; 删除 (confirmed)
takes it off the list."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui import messages


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    asked = []
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: asked.append(text) or True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: "discard")
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": shown.append(str(error)))
    return asked


def test_add_dehui_169_with_its_source_then_delete_it(qtbot, county, stage_page, settle, answers):
    page = stage_page("reported", county, 2023)
    assert page.heading.text() == "2023年度上报数（尚未录入）"
    assert "系统中没有逐条记录的数字" in page.purpose.text() and "注明“上报数”" in page.purpose.text()
    qtbot.mouseClick(page.findChild(QPushButton, "btn_add_reported"), Qt.LeftButton)
    form = page.form
    qtbot.addWidget(form)
    form.widgets["stage"].setCurrentText("运行监控")
    form.widgets["item"].insert("绩效监控覆盖部门预算一级项目")  # typed (Qt's keyClicks types ASCII only)
    qtbot.keyClicks(form.widgets["count"], "169")
    qtbot.keyClicks(form.widgets["amount_fen"], "12.345")
    assert form.error_text("amount_fen") == "单位是万元，最多两位小数，如9463.50"
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    assert form.isVisible() and form.error_text("source") == "为必填项"
    form.widgets["amount_fen"].clear()
    form.widgets["source"].setCurrentText("省级预算绩效管理系统")  # picked from the list
    form.widgets["text"].setPlainText("绩效监控覆盖部门预算一级项目169个")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    settle()
    assert not form.isVisible()
    [row] = page.model.rows()
    assert (row.stage_text, row.item, row.count, row.amount_text, row.source_text, row.text) == \
        ("运行监控", "绩效监控覆盖部门预算一级项目", 169, "", "省级预算绩效管理系统", "绩效监控覆盖部门预算一级项目169个")
    shown = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert "169" in shown and "省级预算绩效管理系统" in shown
    assert page.counts.text() == "共1条上报数。"

    again = page.edit(0)
    qtbot.addWidget(again)
    assert again.raw()["source"] == "省级预算绩效管理系统" and again.raw()["count"] == "169"
    again.reject()

    page.view.selectRow(0)
    qtbot.mouseClick(page.findChild(QPushButton, "btn_delete_reported"), Qt.LeftButton)
    settle()
    assert "确定删除上报数运行监控“绩效监控覆盖部门预算一级项目”（来源：省级预算绩效管理系统）吗？" in answers[-1]
    assert page.model.rows() == [] and page.heading.text() == "2023年度上报数（尚未录入）"
