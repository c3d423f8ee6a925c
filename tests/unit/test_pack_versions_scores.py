"""The remaining stored scores judged by their own 规则方案 version (issue 16): a finalized 重点评价
keeps the grade its version gave it — in its 报告摘要, the year's check and 附件 — and says the
version; a 事前评估 handed in prints the score of its version; the 工作台 counts each monitoring
round's red lights by the pack the round was opened under; the 审核汇总表 and the targets list say
which version each target's scores were computed with. A record scored after the change uses the new one."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import openpyxl

from app.io.key_eval_reports import render_report, render_year
from app.services import key_eval as ke, monitoring as mon, monitoring_records as rec, rule_packs, targets
from app.services.key_eval_year import check_year, list_year, report, year_view
from app.services.projects import list_projects
from app.services.todo import todo
from tests.support import rows_by_code


def _cells(path) -> str:
    book = openpyxl.load_workbook(path)
    return "\n".join(str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row if c)


def _pdf_text(path) -> str:
    found = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return found.replace(" ", "").replace("\n", "")


def _scored_97_5(ws, code):
    """An evaluation of the project `code` on 德惠's tree with full marks but 2.5 off the first leaf: 97.5."""
    pid = next(p.id for p in list_projects(ws, 2023) if p.code == code)
    draft = ke.with_preset(ws, ke.new_evaluation(ws, 2023, project_id=pid), "德惠 15/15/50/20")
    leaves = [replace(line, score=line.points) for line in draft.leaves]
    leaves[0] = replace(leaves[0], score=f"{D(leaves[0].points) - D('2.5')}", deduction="立项依据不充分")
    return replace(draft, leaves=leaves)


def test_a_finalized_key_evaluation_keeps_the_grade_of_its_version(year, tmp_path):
    final = ke.finalize(year, ke.review(year, ke.submit(year, _scored_97_5(year, "DH2023005")), True, "同意"))
    assert (final.pack_version, report(year, final).grade) == (1, "优")
    rule_packs.save(year, {"grades/0/min": "98"}, "提高“优”的分数线")  # 97.5 is 良 under 第2版
    stored = ke.open_evaluation(year, final.eval_id)
    summary = report(year, stored)
    assert (summary.total, summary.grade) == (D("97.5"), "优")
    assert "绩效评价结果为“优”" in summary.conclusion and summary.pack_note == "综合得分和评价等级按规则方案第1版计分。"
    assert check_year(year, 2023) == []  # its 优 is right under 第1版: nothing to flag
    render_report(summary, tmp_path / "summary.pdf")
    assert "综合得分和评价等级按规则方案第1版计分" in _pdf_text(tmp_path / "summary.pdf")
    # a new evaluation scored after the change: 第2版's 良
    fresh = ke.save(year, _scored_97_5(year, "DH2023002"))
    assert (fresh.pack_version, report(year, fresh).grade) == (2, "良")
    assert "按规则方案第2版计分" in report(year, fresh).pack_note
    rows = {r.eval_id: r for r in list_year(year, 2023)}
    assert (rows[final.eval_id].grade, rows[final.eval_id].pack_version) == ("优", 1)
    assert (rows[fresh.eval_id].grade, rows[fresh.eval_id].pack_version) == ("良", 2)
    view = year_view(year, 2023)
    first = [n for n, r in enumerate(view.rows, 1) if r.eval_id == final.eval_id][0]
    assert view.versions == f"综合评分中，序号{first}按规则方案第1版计分，其余按规则方案第2版计分。"
    render_year(view, "xlsx", tmp_path / "year.xlsx")
    render_year(view, "pdf", tmp_path / "year.pdf")
    for text in (_cells(tmp_path / "year.xlsx"), _pdf_text(tmp_path / "year.pdf")):
        assert f"序号{first}按规则方案第1版计分" in text
    # reopened for changes, it is scored afresh under the active version (its next save records it)
    reopened = ke.reopen(year, stored, "补充佐证材料")
    assert report(year, reopened).grade == "良" and "第2版" in report(year, reopened).pack_note


def test_one_version_for_the_whole_year_is_said_once(year):
    ke.save(year, _scored_97_5(year, "DH2023005"))
    assert year_view(year, 2023).versions == "综合评分按规则方案第1版计分。"


def _rated(draft, grade):
    return replace(draft, lines=[replace(line, grade=grade, self_grade=grade) for line in draft.lines],
                   recommended="150", conclusion="予以支持")


def test_an_ex_ante_assessment_handed_in_prints_the_score_of_its_version(year):
    from app.services import exante as svc, exante_year as year_svc

    pid = next(p.id for p in list_projects(year, 2023) if p.code == "DH2023005")
    handed = svc.submit(year, _rated(svc.new_for_project(year, pid), "良"))
    rule_packs.save(year, {"exante/ratings/良": "0.70"}, "“良”按七成计分")
    stored = svc.open_assessment(year, handed.assessment_id)
    view = year_svc.report_view(year, stored)
    assert view.dimension_rows[-1][4:] == ("80.00", "良") and "按规则方案第1版计分" in view.note
    assert "综合得分80分" in view.conclusion_line
    # returned for changes, it is scored under 第2版 — and saving records that version
    returned = svc.review(year, stored, False, "请补充测算依据")
    again = year_svc.report_view(year, returned)
    assert again.dimension_rows[-1][4] == "70.00" and "按规则方案第2版计分" in again.note
    assert svc.save(year, returned).pack_version == 2


def test_the_workbench_counts_each_rounds_red_lights_by_its_own_version(year, round_id):
    relief = rows_by_code(year, round_id)["DH2023002"]
    rec.save_record(year, replace(rec.open_record(year, relief.record_id), executed="24"))  # 40% at 1-8月: red
    rule_packs.save(year, {"monitoring/red_below_schedule_points": "30"}, "县里放宽红灯线")  # 40% is yellow under 第2版
    later = mon.open_round(year, 2023, 10, "1-10月")  # 第2版: red below 53.33%
    record = rows_by_code(year, later)["DH2023002"]
    rec.save_record(year, replace(rec.open_record(year, record.record_id), executed="36"))  # 60%: red under 第1版 only
    red = [line for line in todo(year, at=date(2023, 11, 1)) if line.kind == "监控红灯待说明原因"]
    assert [(line.what, line.target.round_id) for line in red] == [("2023年1-8月：1个项目", round_id)]


def test_the_review_summary_and_the_list_say_the_version_of_each_score(year, tmp_path):
    from app.io.targets_io import render_summary

    approved = next(r for r in targets.list_targets(year, 2023) if r.code == "DH2023002")
    assert approved.review_score is not None and approved.versions == "第1版"
    rule_packs.save(year, {"target_check/min_annual_goal_chars": "300"}, "提高年度目标字数要求")
    lines = {x.code: x for x in targets.summary_lines(year, 2023)}
    assert lines["DH2023002"].versions == "第1版" and lines["DH2023002"].review_score == approved.review_score
    render_summary(list(lines.values()), 2023, "xlsx", tmp_path / "s.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx").active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "项目编码")
    line = next(r for r in rows if r and r[0] == "DH2023002")
    assert header.index("计分规则方案") == header.index("审核得分") + 1
    assert line[header.index("计分规则方案")] == "第1版" and isinstance(line[header.index("审核得分")], (int, float))


def test_the_versions_sentence_names_the_fewer_by_number_and_the_rest_as_the_most():
    from types import SimpleNamespace as Row

    from app.services.key_eval_year import versions_sentence

    rows = [Row(pack_version=v, as_printed=v is None) for v in (None, None, 1, None, 2)]
    assert versions_sentence(rows) == "综合评分中，序号3按规则方案第1版计分；序号5按规则方案第2版计分，其余按原报告所印。"
    rows[1] = Row(pack_version=None, as_printed=False)  # one not yet scored: not said to be printed
    assert versions_sentence(rows) == \
        "综合评分中，序号3按规则方案第1版计分；序号5按规则方案第2版计分，其余按原报告所印或尚未评分。"
    assert versions_sentence([Row(pack_version=None, as_printed=True)] * 3) == ""
    assert versions_sentence([Row(pack_version=2), Row(pack_version=1), Row(pack_version=2)]) == \
        "综合评分中，序号2按规则方案第1版计分，其余按规则方案第2版计分。"
