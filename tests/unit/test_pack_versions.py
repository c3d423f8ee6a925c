"""Every stored score keeps the 规则方案 version it was computed with and says it (issue 16): a
monitoring round is judged by the pack it was opened under, a target handed in by the pack of its
last save, its 审核得分 names the version of the review, and the 乡镇考核 names the version it counted
with — while a hand score given under an earlier version names its own."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from decimal import Decimal

import openpyxl

from app.io import monitoring_reports, township_assessment_io as town_io
from app.rules import monitoring as rules
from app.services import monitoring as mon, monitoring_records as rec, rule_packs, targets
from app.services.pack_versions import pack_at
from tests.support import GOAL, GOOD_ROWS, SCORES, rows_by_code


def _cells(path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)


def _pdf_text(path) -> str:
    found = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return found.replace(" ", "").replace("\n", "")


def test_pack_at_reads_a_stored_version_and_falls_back_to_the_active_one(ws):
    assert rule_packs.save(ws, {"monitoring/red_below_schedule_points": "30"}, "放宽红灯线") == 2
    assert pack_at(ws, 1).section("monitoring")["red_below_schedule_points"] == "20"
    assert pack_at(ws, 2).section("monitoring")["red_below_schedule_points"] == "30"
    assert pack_at(ws, None).version == pack_at(ws, 9).version == 2


def test_a_round_keeps_judging_by_the_version_it_was_opened_under(year, round_id, tmp_path):
    relief = rows_by_code(year, round_id)["DH2023002"]
    draft = rec.open_record(year, relief.record_id)
    rec.save_record(year, replace(draft, executed="24"))  # 40% at 1-8月: red below 46.67% (20 points)
    rule_packs.save(year, {"monitoring/red_below_schedule_points": "30"}, "县里放宽红灯线")  # red below 36.67%
    view = mon.round_view(year, round_id)
    row = next(r for r in view.rows if r.code == "DH2023002")
    assert row.light == rules.RED and view.summary.overall.red == 1  # not re-judged as 黄 under 第2版
    assert view.round.judged == "按规则方案第1版判定预警"
    record = rec.open_record(year, relief.record_id)
    assert rec.lamp(year, record) == rules.RED
    sheet = monitoring_reports.record_form(rec.record_sheet(year, relief.record_id))
    assert ("预警", "红（按规则方案第1版判定预警）") in sheet.fields
    monitoring_reports.render_summary(view, "xlsx", tmp_path / "s.xlsx")
    monitoring_reports.render_summary(view, "pdf", tmp_path / "s.pdf")
    monitoring_reports.render_warnings(view, "xlsx", tmp_path / "w.xlsx")
    for text in (_cells(tmp_path / "s.xlsx"), _pdf_text(tmp_path / "s.pdf"), _cells(tmp_path / "w.xlsx")):
        assert "按规则方案第1版判定预警" in text
    later = mon.open_round(year, 2023, 10, "1-10月")  # opened after the change: judged by 第2版
    assert mon.round_view(year, later).round.judged == "按规则方案第2版判定预警"
    assert mon.settings(year, 2).red_below != mon.settings(year, 1).red_below


def test_a_target_handed_in_keeps_the_check_and_review_of_its_version(year, tmp_path):
    approved = targets.open_target(year, rows_by_project(year)["DH2023002"])
    stored = next(x for x in targets.summary_lines(year, 2023) if x.code == "DH2023002").quality_score
    assert approved.pack_version == 1 and approved.review_version == 1 and approved.review_score == Decimal("90.00")
    rule_packs.save(year, {"target_check/min_annual_goal_chars": "300", "target_review/weights/完整性": "40",
                           "target_review/weights/相关性": "20", "target_review/weights/合理性": "20",
                           "target_review/weights/可衡量性": "20"}, "提高年度目标字数要求")
    # the approved target: its check is 第1版's (the 审核汇总表's 质量得分 is what the list shows)
    assert targets.check_version(year, approved) == 1 and targets.check(year, approved).quality_score == stored
    line = next(x for x in targets.summary_lines(year, 2023) if x.code == "DH2023002")
    listed = next(x for x in targets.list_targets(year, 2023) if x.code == "DH2023002")
    assert line.quality_score == stored == listed.quality_score
    view = targets.form_view(year, approved)
    assert ("审核得分", "90分（按规则方案第1版计分）") in view.texts
    targets.export_form(year, approved, tmp_path / "form.xlsx")
    assert "90分（按规则方案第1版计分）" in _cells(tmp_path / "form.xlsx")
    # a target still being edited is checked under the active 第2版 (its goal is now too short)
    other = targets.open_target(year, rows_by_project(year)["DH2023005"])
    fresh = replace(other, annual_goal=GOAL, indicators=[replace(r, value="50" if r.level2 == "成本" else r.value)
                                                         for r in GOOD_ROWS])
    assert targets.check_version(year, fresh) == 2
    assert targets.check(year, fresh).quality_score < targets.check(year, replace(fresh, status="已提交",
                                                                                  pack_version=1)).quality_score
    reviewed = targets.review(year, targets.submit(year, fresh), SCORES, True, "同意")
    assert reviewed.pack_version == 2 and reviewed.review_version == 2
    assert targets.review_words(reviewed) == "86.6分（按规则方案第2版计分）"  # 40/20/20/20 of 90, 85, 80, 88


def rows_by_project(ws) -> dict[str, int]:
    return {r.code: r.project_id for r in targets.list_targets(ws, 2023)}


def test_the_township_table_names_its_version_and_a_hand_score_its_own(county, tmp_path):
    from app.services import township_assessment as svc
    from app.services.base_data import save_region

    save_region(county, {"code": "370117101", "name": "艾山街道", "level": "乡镇"}, parent_code="370117")
    svc.set_score(county, 2023, "370117101", "目标申报覆盖率", "18", "以纸质材料报送")
    rule_packs.save(county, {"monitoring/red_below_schedule_points": "30"}, "放宽红灯线")
    table = svc.assessment(county, 2023)
    assert table.pack_version == 2
    m = table.rows[0].measure("目标申报覆盖率")
    assert (m.hand, m.hand_version) == (Decimal("18.00"), 1)
    basis = town_io.basis_rows(table)
    said = next(line[-1] for line in basis if line[1] == "目标申报覆盖率")
    assert said == "无数据；手工评分（按规则方案第1版评分）：以纸质材料报送"
    assert "按规则方案第2版计分" in town_io.unit_line(table)
    town_io.render_xlsx(table, tmp_path / "t.xlsx")
    town_io.render_pdf(table, tmp_path / "t.pdf")
    for text in (_cells(tmp_path / "t.xlsx"), _pdf_text(tmp_path / "t.pdf")):
        assert "按规则方案第2版计分" in text and "按规则方案第1版评分" in text
    svc.set_score(county, 2023, "370117101", "目标申报覆盖率", "19", "以纸质材料报送，补报了电子数据")  # scored again: 第2版
    again = svc.assessment(county, 2023)
    line = next(x for x in town_io.basis_rows(again) if x[1] == "目标申报覆盖率")
    assert line[-1] == "无数据；手工评分：以纸质材料报送，补报了电子数据"
