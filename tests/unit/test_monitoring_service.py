"""Monitoring rounds through the services: open a round, fill a record, the required-cause rule,
submit and review, the summary, the projection and the key candidates."""

from dataclasses import replace
from decimal import Decimal

import pytest

from app.rules import monitoring as rules
from app.rules.validation import RejectedError
from app.services import monitoring as mon, monitoring_records as rec, projects, targets
from tests.support import GOAL, GOOD_ROWS, project_raw, rows_by_code

SCORES = {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}


def test_a_round_gives_every_project_a_record_and_approved_targets_their_indicators(year, round_id):
    rows = rows_by_code(year, round_id)
    assert set(rows) == {"DH2023002", "DH2023005"}
    assert rows["DH2023002"].target_state == "有绩效目标" and rows["DH2023005"].target_state == "无绩效目标"
    assert all(r.light == rules.NOT_FILLED and r.schedule == rules.schedule(8) for r in rows.values())
    relief = rec.open_record(year, rows["DH2023002"].record_id)
    assert [i.level3 for i in relief.indicators] == [r.level3 for r in GOOD_ROWS]
    assert relief.indicators[0].target == "320" and relief.budget_fen == 60_000_000
    assert rec.open_record(year, rows["DH2023005"].record_id).indicators == []
    with pytest.raises(RejectedError, match="已有截至8月的监控批次"):
        mon.open_round(year, 2023, 8)
    assert [r.title for r in mon.list_rounds(year, 2023)] == ["2023年1-8月（截至8月）"]


def test_a_red_light_and_a_missed_projection_need_a_cause_before_submitting(year, round_id):
    rows = rows_by_code(year, round_id)
    draft = rec.open_record(year, rows["DH2023002"].record_id)
    draft.executed = "9.46"
    for ind in draft.indicators:  # on target, except the first
        ind.projected = ind.target
    draft.indicators[0].projected = "300"  # below the 320 target
    draft.indicators[1].projected = "基本达标"  # words where the target is a number
    draft.indicators[2].projected = ""
    saved = rec.save_record(year, draft)  # saving a draft needs no cause
    assert rec.lamp(year, saved) == rules.RED and saved.executed == "9.46"
    with pytest.raises(RejectedError) as exc:
        rec.submit_record(year, saved)
    assert {p.field: p.message for p in exc.value.report.problems} == {
        "budget_cause": "执行进度亮红灯，请说明执行偏慢的原因和纠偏措施",
        "0:cause_class": "全年预计完成值达不到目标，请选择偏差原因类别",
        "0:cause_note": "全年预计完成值达不到目标，请说明偏差原因",
        "1:projected": "全年目标值是数字，全年预计完成值也应填写数字",
        "2:projected": "提交前请填写全年预计完成值"}
    saved.budget_cause = "物资采购集中在汛期后，下半年集中支付。"
    saved.indicators[0].cause_class = "其他"
    with pytest.raises(RejectedError) as exc:
        rec.submit_record(year, saved)
    assert "0:cause_note" in {p.field for p in exc.value.report.problems}  # a class alone is not a cause
    saved.indicators[0].cause_class, saved.indicators[0].cause_note = "经费保障", "部分路段延后"
    saved.indicators[1].projected, saved.indicators[2].projected = "95", "100"
    submitted = rec.submit_record(year, saved)
    assert submitted.status == "已提交" and not submitted.editable
    with pytest.raises(RejectedError):
        rec.save_record(year, submitted)  # read-only once submitted
    with pytest.raises(RejectedError, match="审核意见"):
        rec.review_record(year, submitted, False, "")
    returned = rec.review_record(year, submitted, False, "请补充纠偏措施。")
    assert returned.status == "退回" and returned.editable and returned.review_opinion == "请补充纠偏措施。"


def test_changing_only_indicators_outdates_an_open_record(year, round_id, tmp_path):
    """A colleague (or an import) changed only an indicator row: the open form is refused."""
    record = rows_by_code(year, round_id)["DH2023002"].record_id
    mine, theirs = rec.open_record(year, record), rec.open_record(year, record)
    theirs.indicators[0].completed = "200"
    rec.save_record(year, theirs)
    mine.indicators[0].completed = "150"
    with pytest.raises(RejectedError, match="刚被其他人修改过"):
        rec.save_record(year, mine)
    assert rec.open_record(year, record).indicators[0].completed == "200"


def test_bad_amounts_and_answers_are_named(year, round_id):
    draft = rec.open_record(year, rows_by_code(year, round_id)["DH2023002"].record_id)
    draft.executed, draft.projected = "九万", "-1"
    draft.indicators[0].cause_class = "天气"
    with pytest.raises(RejectedError) as exc:
        rec.save_record(year, draft)
    assert {p.field: p.message for p in exc.value.report.problems} == {
        "executed": "应为不小于0的数字", "projected": "应为不小于0的数字",
        "0:cause_class": "应为经费保障、制度保障、人员保障、硬件条件保障、其他之一"}


def test_summary_projection_and_candidates(year, round_id):
    rows = rows_by_code(year, round_id)
    for code, executed in (("DH2023002", "9.46"), ("DH2023005", "0")):
        draft = rec.open_record(year, rows[code].record_id)
        draft.executed = executed
        rec.save_record(year, draft)
    all_rows = mon.round_rows(year, round_id)
    assert [r.light for r in all_rows] == [rules.RED, rules.RED]
    summary = mon.summarize(year, all_rows, 8)
    assert summary.overall.filled_budget_fen == summary.overall.budget_fen  # both reported
    assert summary.overall.projects == 2 and summary.overall.budget_fen == 560_000_000
    assert summary.overall.executed_fen == 9_460_000 and summary.overall.lights[rules.RED] == 2
    assert summary.sentence == "总体进度1.69%，低于序时进度。"
    assert [r.code for r in summary.red] == ["DH2023005", "DH2023002"]  # furthest behind first
    listed = mon.projections(year, all_rows, 8)
    assert [(p.row.code, p.projection.suggested_cut_fen) for p in listed] == [
        ("DH2023005", 500_000_000), ("DH2023002", 60_000_000 - 14_190_000)]
    candidates = {r.code: reasons for r, reasons in mon.key_candidates(year, all_rows, 8)}
    assert candidates == {"DH2023002": ["重点项目亮红灯"], "DH2023005": ["全年预算数不低于200万元且执行率低于60%"]}
    assert mon.mark_key(year, round_id, [rows["DH2023005"].record_id]) == 1
    assert {r.code: r.is_key for r in mon.round_rows(year, round_id)} == {"DH2023002": False, "DH2023005": True}
