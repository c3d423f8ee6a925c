"""The consistency check over finished 自评表: every slip DESIGN.md §3 lists is named, with its
category word, and a table done right is left alone."""

from __future__ import annotations

from decimal import Decimal as D

from app.rules.self_eval import Line, SelfEvalRules
from app.rules.self_eval_check import CheckedTable, check_table

RULES = SelfEvalRules.from_pack()
NAMES = ("道路长度", "合格率", "满意度")


def table(lines, **kw) -> CheckedTable:
    base = dict(code="P1", name="城区道路", lines=tuple(lines), names=NAMES[:len(lines)], annual_fen=1_000_000,
                executed_fen=1_000_000, budget_points=D(10), budget_score=D(10))
    base.update(kw)
    return CheckedTable(**base)


def met(points, score=None, note=""):
    return Line("产出", "≥", "100", "100", points=D(points), score=D(points if score is None else score), score_note=note)


def categories(t: CheckedTable) -> list[str]:
    return [f.category for f in check_table(t, RULES)]


def test_a_table_done_right_has_no_findings():
    lines = [met(50), Line("效益", "≥", "90%", "95%", points=D(30), score=D(30)), Line("满意度", "≥", "90", "92", points=D(10), score=D(10))]
    assert check_table(table(lines, total=D(100), grade="优", printed_rate="100%"), RULES) == []


def test_full_points_on_a_missed_indicator():
    lines = [Line("产出", "≥", "100", "80", points=D(50), score=D(50)), met(40)]
    found = check_table(table(lines, total=D(100)), RULES)
    miss = [f for f in found if f.category == "未达成却满分"]
    assert miss and miss[0].where == "指标“道路长度”" and miss[0].filed == "50" and miss[0].reference == "40"


def test_points_off_a_met_indicator_without_a_note_but_not_with_one():
    assert "达成却扣分" in categories(table([met(50, 45), met(40)], total=D(95)))
    assert "达成却扣分" not in categories(table([met(50, 45, "佐证不全"), met(40)], total=D(95)))


def test_total_not_the_sum_and_the_other_convention_is_only_noted():
    lines = [met(50), met(40)]
    assert "总分不符" in categories(table(lines, total=D(98)))
    other = check_table(table(lines, total=D(90), grade="优"), RULES)  # budget points left out of the total
    assert [f.category for f in other] == ["口径"]
    assert "未计入预算执行得分" in other[0].problem


def test_grade_disagrees_with_total():
    found = check_table(table([met(50), met(40)], total=D(100), grade="良"), RULES)
    assert [(f.category, f.reference) for f in found] == [("等级不符", "优")]


def test_grade_of_a_total_without_budget_points_is_judged_on_90():
    lines = [met(50, 40, "少建一段"), met(40, 33, "材料延迟")]  # 73 of 90 = 81.1%: 良, not 中
    found = check_table(table(lines, total=D(73), grade="良"), RULES)
    assert "等级不符" not in [f.category for f in found]


def test_points_column_overwritten_with_scores():
    short = [Line("产出", "≥", "100", "80", points=D(40), score=D(40)), met(45)]
    assert "分值即得分" in categories(table(short, total=D(95)))
    not_adding = [met(30), met(40)]  # every row full, but 70 is not the pack's 90
    assert "分值即得分" in categories(table(not_adding, total=D(80)))
    all_met = [met(50), met(40)]  # met in full and adding up: nothing to say
    assert "分值即得分" not in categories(table(all_met, total=D(100)))


def test_printed_rate_checked_beyond_rounding_only():
    lines = [met(50), met(40)]
    assert "执行率不符" not in categories(table(lines, total=D(100), executed_fen=985_600, printed_rate="98.56%"))
    assert "执行率不符" not in categories(table(lines, total=D(100), executed_fen=985_600, printed_rate="99%"))
    wrong = check_table(table(lines, total=D(100), executed_fen=985_600, printed_rate="99.56%"), RULES)
    rate = [f for f in wrong if f.category == "执行率不符"]
    assert rate and rate[0].reference == "98.56%"


def test_unverifiable_actual_zero_budget_row_and_inflation():
    lines = [Line("产出", "≥", "≥266米", "完成", points=D(50), score=D(50)), met(40)]
    assert "实际值无法核对" in categories(table(lines, total=D(100)))
    zero = table([met(50), met(40)], annual_fen=0, fiscal_annual_fen=500_000, total=D(100))
    assert "预算行为零" in categories(zero)
    inflated = table([met(50), met(40)], executed_fen=700_000, budget_score=D(7), total=D(97))
    assert "自评虚高" in categories(inflated)


def test_a_rate_printed_as_a_fraction_is_judged_at_its_own_places():
    lines = [met(50), met(40)]
    assert "执行率不符" not in categories(table(lines, total=D(100), executed_fen=984_600, printed_rate="0.985"))
    assert "执行率不符" in categories(table(lines, total=D(100), executed_fen=974_600, printed_rate="0.985"))


def test_points_against_a_table_with_twenty_budget_points():
    lines = [met(50), met(30)]  # 80 indicator points beside 20 budget points: met in full, adds up
    assert "分值即得分" not in categories(table(lines, budget_points=D(20), budget_score=D(20), total=D(100)))


def test_a_total_rounded_across_a_grade_line():
    lines = [met(50, "49.5", "一处未验收"), met(40)]  # rows 89.5 + budget 10 = 99.5 …
    assert "等级不符" not in categories(table(lines, total=D("99.5"), grade="优"))
    low = [met(50, "39.5", "少建"), met(40)]  # 79.5 + 10 = 89.5, printed as 90 优: 良 by the exact sum
    found = check_table(table(low, total=D(90), grade="优"), RULES)
    assert [(f.category, f.reference) for f in found if f.category == "等级不符"] == [("等级不符", "良")]
