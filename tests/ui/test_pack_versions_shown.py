"""A 规则方案 edit makes a new version; a score made after it uses it while one made before keeps its
own, and the screens say which (issue 16): the monitoring round's lights and lines, a target's
审核得分 in its form, the 乡镇考核 heading and a hand score's 计分依据."""

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app.rules import monitoring as rules
from app.services import monitoring_records as rec, rule_packs
from tests.support import GOAL, GOOD_ROWS
from ui import messages


@pytest.fixture(autouse=True)
def yes(monkeypatch):
    monkeypatch.setattr(messages, "confirm_step", lambda parent, title, sentence: True)


def test_a_round_opened_before_the_change_keeps_its_version_and_lights(qtbot, year, stage_page, settle):
    page = stage_page("monitoring", year, 2023)
    assert page.new_round(8, "1-8月")
    settle()
    record = next(r for r in page.model.rows() if r.code == "DH2023002").record_id
    rec.save_record(year, replace(rec.open_record(year, record), executed="24"))  # 40%: red by 第1版's 20 points
    rule_packs.save(year, {"monitoring/red_below_schedule_points": "30"}, "县里放宽红灯线")  # 第2版: 40% is yellow
    page.reload()
    settle()
    assert next(r for r in page.model.rows() if r.code == "DH2023002").light == rules.RED
    assert page.status.text().endswith("（按规则方案第1版判定预警）")
    assert "红灯1个" in page.sentence.text() and "按规则方案第1版判定预警" in page.sentence.text()
    assert page.new_round(10, "1-10月")  # opened after the change
    settle()
    assert page.rounds.currentText() == "1-10月（截至10月）"
    assert page.status.text().endswith("（按规则方案第2版判定预警）")


def test_a_review_score_shows_the_version_of_its_review(qtbot, year, stage_page, settle):
    page = stage_page("targets", year, 2023)
    rule_packs.save(year, {"target_review/weights/完整性": "40", "target_review/weights/相关性": "20",
                           "target_review/weights/合理性": "20", "target_review/weights/可衡量性": "20"}, "调整审核权重")
    codes = [r.code for r in page.model.rows()]
    page.open_target(codes.index("DH2023002"))  # approved under 第1版
    settle()
    form = page.form
    qtbot.addWidget(form)
    assert "质量得分按规则方案第1版计算" in form.score.text() and "审核得分 90分（按规则方案第1版计分）" in form.score.text()
    form.close()
    page.open_target(codes.index("DH2023005"))  # a new target, written and reviewed after the change
    settle()
    form = page.form
    qtbot.addWidget(form)
    form.annual_goal.setPlainText(GOAL)
    form.model.append([replace(r, value="50" if r.level2 == "成本" else r.value) for r in GOOD_ROWS])
    assert "质量得分按规则方案第2版计算" in form.score.text() and "审核得分" not in form.score.text()
    assert form.submit()
    dialog = form.open_review()
    qtbot.addWidget(dialog)
    for item, score in (("完整性", 90), ("相关性", 85), ("合理性", 80), ("可衡量性", 88)):
        dialog.spins[item].setValue(score)
    qtbot.mouseClick(dialog.buttons[True], Qt.LeftButton)  # 审核通过
    assert form.draft.status == "审核通过"
    assert "审核得分 86.6分（按规则方案第2版计分）" in form.score.text()


def test_the_township_table_says_its_version_and_an_older_hand_score_its_own(qtbot, county, stage_page, settle):
    from app.services import township_assessment as svc
    from app.services.base_data import save_region

    save_region(county, {"code": "370117101", "name": "艾山街道", "level": "乡镇"}, parent_code="370117")
    svc.set_score(county, 2023, "370117101", "目标申报覆盖率", "18", "以纸质材料报送")  # under 第1版
    page = stage_page("township", county, 2023)
    assert "按规则方案第1版计分" in page.heading.text()
    rule_packs.save(county, {"township_assessment/grades/0/min": "85"}, "优秀线下调")
    page.reload()
    settle()
    assert "按规则方案第2版计分" in page.heading.text()
    said = [page.basis.index(r, 7).data() for r in range(page.basis.rowCount())]
    assert said[0] == "无数据；手工评分（按规则方案第1版评分）：以纸质材料报送"
