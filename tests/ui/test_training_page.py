"""培训 page as the 绩效科 uses it: 新增培训… opens the form, a date outside the page's year and a 人次
that is not a whole number are named under their fields as the clerk types, 保存 adds the session
to the list and to the year's 合计; a report's 全年汇总 row is not edited as one session."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from ui import messages


@pytest.fixture(autouse=True)
def answers(monkeypatch):
    monkeypatch.setattr(messages, "confirm", lambda parent, title, text: True)
    monkeypatch.setattr(messages, "ask_unsaved", lambda parent, what: "discard")
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda parent, error, title="": shown.append(str(error)))
    return shown


def test_add_a_session_through_the_form(qtbot, demo_ws, stage_page, settle, answers):
    page = stage_page("training", demo_ws, 2023)
    assert page.counts.text() == "合计：培训8次，参训730人次。"  # 和硕 6次 380人次, 澄江 2次 350人次
    assert page.edit(0) is None and "全年汇总数" in answers[-1]
    qtbot.mouseClick(page.findChild(QPushButton, "btn_add_training"), Qt.LeftButton)
    form = page.form
    qtbot.addWidget(form)
    for key, typed in (("held_on", "2024-03-01"), ("title", "预算绩效自评培训"), ("organiser", "县财政局绩效科"),
                       ("attendees", "六十")):
        form.widgets[key].insert(typed)  # typed (Qt's keyClicks types ASCII only)
    assert form.error_text("held_on") == "应在2023年内（本页是2023年度的培训）"
    assert form.error_text("attendees") == "应为正整数（人次），如120"
    for key, typed in (("held_on", "2023-09-20"), ("attendees", "60")):
        form.widgets[key].clear()
        qtbot.keyClicks(form.widgets[key], typed)
    form.widgets["units"].setPlainText("县教育局、县卫健局")
    qtbot.mouseClick(form.save_button, Qt.LeftButton)
    settle()
    assert not form.isVisible()
    [last] = [r for r in page.model.rows() if not r.summary]
    assert (last.date_text, last.topic, last.organiser, last.attendees, last.units) == \
        ("2023-09-20", "预算绩效自评培训", "县财政局绩效科", 60, "县教育局、县卫健局")
    assert page.counts.text() == "合计：培训9次，参训790人次。"
