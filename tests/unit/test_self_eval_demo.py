"""The demo county carries the 24 自评表 of 2022 budgets one report re-checked in 2023 (7 部门整体 and
17 项目支出): 17 优 (70.83%), 3 良 (12.50%), 4 中 (16.67%), no 差 — real tables made through the
services, scored by the pack, not typed in as printed. No Qt."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from sqlalchemy import select

from app.domain.self_eval import DEPARTMENT, PROJECT
from app.services import self_eval_year as year_svc

SENTENCE = ("本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；自评等级为“良”的3份，占12.50%；"
            "自评等级为“中”的4份，占16.67%，无“差”等级。")


def test_the_2022_summary_says_what_the_report_printed(demo_copy):
    summary = year_svc.summary(demo_copy, 2022)
    assert len(summary.rows) == 24
    assert Counter(r.kind for r in summary.rows) == {PROJECT: 17, DEPARTMENT: 7}
    assert [(g.grade, g.count, g.share) for g in summary.distribution] == [
        ("优", 17, Decimal("70.83")), ("良", 3, Decimal("12.50")), ("中", 4, Decimal("16.67")), ("差", 0, Decimal("0.00"))]
    assert summary.sentence == SENTENCE


def test_the_tables_are_the_programs_own_passed_or_submitted(demo_copy):
    rows = year_svc.summary(demo_copy, 2022).rows
    assert not any(r.as_printed for r in rows)
    assert Counter(r.status for r in rows) == {"审核通过": 22, "已提交": 2}
    # the total is the pack's: every own table's stored total is its 参考总分 unless the evaluator set a score apart
    tables = {t.code: t for t in year_svc.year_tables(demo_copy, 2022)}
    overridden = [t for t in tables.values() if t.kind == PROJECT
                  and any(s.score != s.reference for s in t.score.lines)]
    assert [t.code for t in overridden] == ["9901012022004"]
    line, scored = next((i, s) for i, s in zip(overridden[0].lines, overridden[0].score.lines) if s.score != s.reference)
    assert scored.score == Decimal(11) and "扣1.5分" in line.score_note
    assert tables["9901012022004"].score.reference_total - tables["9901012022004"].score.total == Decimal("1.5")


def test_missed_indicators_carry_their_deviation_and_low_execution_its_cause(demo_copy):
    from app.services.self_eval import open_table, score

    tables = [t for t in year_svc.year_tables(demo_copy, 2022) if t.kind == PROJECT]
    missed = [(t, i) for t in tables for i, s in zip(t.lines, t.score.lines) if s.missed]
    assert len(missed) >= 10 and all(i.deviation for _, i in missed)
    low = [t for t in tables if t.score.rate is not None and t.score.rate < Decimal("0.9")]
    assert {t.code for t in low} >= {"9901012022013", "9901012022015", "9901012022016"}
    assert all(open_table(demo_copy, t.eval_id).budget_cause for t in low)
    assert all(not t.score.blocking for t in tables)
    # the year view reads a table as its form does: the same score
    for t in tables[:5]:
        assert score(demo_copy, open_table(demo_copy, t.eval_id)).total == t.score.total == t.row.total


def test_the_check_finds_no_total_or_grade_slip_on_the_demos_own_tables(demo_copy):
    findings = year_svc.check_year(demo_copy, 2022)
    assert not [f for f in findings if f.category in ("总分不符", "等级不符", "分值即得分", "执行率不符")]
    # the low-execution tables do show the 自评虚高 warning the provincial systems give
    assert {f.code for f in findings if f.category == "自评虚高"} >= {"9901012022013", "9901012022016"}


def test_the_24_tables_budgets_add_up_to_the_checked_amount(demo_copy):
    from db.models import SelfEvaluation

    with demo_copy.session() as s:
        total = sum(s.scalars(select(SelfEvaluation.annual_fen).where(SelfEvaluation.year == 2022)))
    assert total == 196_579_940_000  # 核查金额196,579.94万元 in fen


def test_a_department_table_is_scored_item_by_item_with_the_reasons(demo_copy):
    tables = {t.code: t for t in year_svc.year_tables(demo_copy, 2022)}
    water = tables["403001"]
    assert water.score.grade == "中" and water.kind == DEPARTMENT
    typed = [(i, s) for i, s in zip(water.lines, water.score.lines) if s.reference is None]
    off = [(i, s) for i, s in typed if s.score < s.points]
    assert len(off) >= 10 and all(i.score_note for i, _ in off)
    # the 预算执行率 item follows the formula: (820 + 3520) ÷ 6000 = 72.33% of its 10 points
    rate_item = next(s for i, s in zip(water.lines, water.score.lines) if i.rule == "预算执行率")
    assert rate_item.score == rate_item.reference == Decimal("7.23")
    assert water.score.total == sum(s.score for s in water.score.lines)
