"""系统 → 规则方案: a threshold typed on the page saves as a new version with its note and its change
in words; a score made afterwards records the new version while one made before keeps its own."""

from dataclasses import replace
from decimal import Decimal

from PySide6.QtGui import QAction

from app.services import self_eval as se, targets
from app.services.projects import list_projects
from tests.support import GOAL, GOOD_ROWS
from ui import messages
from ui.main_window import RULE_PACK, MainWindow

ACTUALS = ["330", "96%", "100", "48", "99", "92"]


def _filled(draft):
    return replace(draft, indicators=[replace(i, actual=a) for i, a in zip(draft.indicators, ACTUALS)],
                   budget=[replace(draft.budget[0], executed="58"), *draft.budget[1:]])


def test_editing_a_threshold_makes_a_version_new_scores_record_it(qtbot, year, settle, monkeypatch):
    pid = {p.code: p.id for p in list_projects(year, 2023)}
    before = se.review(year, se.submit(year, _filled(se.open_project(year, pid["DH2023002"]))), True)
    assert before.pack_version == 1
    win = MainWindow(year)
    qtbot.addWidget(win)
    win.show()
    win.findChild(QAction, "act_rule_pack").trigger()
    settle()
    page = win.built[RULE_PACK]
    assert page.isVisible() and "现行第1版" in page.heading.text()
    page.set_value("monitoring/red_below_schedule_points", "十五")
    assert page.edits() == {"monitoring/red_below_schedule_points": "十五"}
    shown = []
    monkeypatch.setattr(messages, "show_error", lambda _page, exc, _title: shown.append(exc.summary))
    assert not page.save() and year.rule_pack().version == 1
    assert shown == ["“监控：红灯偏差”应为数字，“十五”不是数字。规则方案没有保存。"] == [page.status.text()]
    page.set_value("monitoring/red_below_schedule_points", "15")
    page.set_value("self_evaluation/score_tolerance", "1")
    page.note.setText("按市局通知调整")
    assert page.save()
    settle()
    assert year.rule_pack().version == 2 and "现行第2版" in page.heading.text()
    newest = page.versions.row_at(0)
    assert (newest.number, newest.state, newest.note) == ("第2版", "现行", "按市局通知调整")
    assert "监控：红灯偏差由20调整为15" in newest.changes and "自评：评分差容许值由0.5调整为1" in newest.changes
    assert page.versions.rowCount() == 2 and not page.edits()
    # a score made after the edit records version 2; the one made before keeps version 1
    scores = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}
    draft = targets.submit(year, replace(targets.open_target(year, pid["DH2023005"]), annual_goal=GOAL,
                                         indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                     for r in GOOD_ROWS]))
    targets.approve(year, targets.review(year, draft, scores, True, "同意"))
    after = se.save(year, _filled(se.open_project(year, pid["DH2023005"])))
    assert after.pack_version == 2
    assert se.open_table(year, before.eval_id).pack_version == 1
