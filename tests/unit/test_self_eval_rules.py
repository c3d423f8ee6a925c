"""绩效自评 scoring by the rule pack: 分值 split over the categories, 参考得分 by formula, what the
form asks for, and the totals under the pack's conventions."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

from app.rules.pack import RulePackData, default_pack
from app.rules.self_eval import Line, SelfEvalRules, allot_points, budget_reference, reference_score, score_table


def rules_with(**changes) -> SelfEvalRules:
    content = json.loads(json.dumps(default_pack().content))
    content["self_evaluation"].update(changes)
    content["version"] = 7
    return SelfEvalRules.from_pack(RulePackData.from_json(json.dumps(content)))


RULES = SelfEvalRules.from_pack()


def test_forward_reverse_and_qualitative_reference_scores():
    twenty = D(20)
    assert reference_score(Line("产出", "≥", "≥5000", "5896"), twenty, RULES) == D("20.00")
    assert reference_score(Line("产出", "≥", "≥98%", "95%"), twenty, RULES) == D("19.39")  # 20 × 95/98
    assert reference_score(Line("产出", "≥", "≥266米", "≥250米"), twenty, RULES) == D("18.80")
    assert reference_score(Line("产出", "≤", "≤100", "125"), twenty, RULES) == D("16.00")  # 20 × 100/125
    assert reference_score(Line("产出", "≤", "≤3", "0"), twenty, RULES) == D("20.00")  # none at all: met
    assert reference_score(Line("产出", "定性", "按时完成", "按时完成"), twenty, RULES) == D("20.00")
    assert reference_score(Line("产出", "定性", "按时完成", "基本完成"), twenty, RULES) == D("14.00")
    assert reference_score(Line("产出", "定性", "按时完成", "未完成"), twenty, RULES) == D("6.00")
    assert reference_score(Line("产出", "定性", "按时完成", "", rating="部分达成"), twenty, RULES) == D("14.00")


def test_a_quantitative_actual_without_a_number_gets_no_reference_and_asks_for_a_note():
    lines = [Line("产出", "≥", "≥266", "完成"), Line("效益", "≥", "≥90%", "95%")]
    scored = score_table(lines, ["道路长度", "满意率"], RULES, annual_fen=100, executed_fen=100)
    assert scored.lines[0].reference is None
    assert any(n.row == 0 and n.field == "score_note" and "没有数字" in n.sentence for n in scored.needs)
    filled = score_table([Line("产出", "≥", "≥266", "完成", score=D(50), score_note="已按设计全部建成"), lines[1]],
                         ["道路长度", "满意率"], RULES, annual_fen=100, executed_fen=100)
    assert not [n for n in filled.needs if n.row == 0]


def test_points_follow_the_pack_satisfaction_to_benefit_and_not_applicable_rescales():
    lines = [Line("产出", "≥", "1", "1", weight=D(20)), Line("产出", "≥", "1", "1", weight=D(10)),
             Line("效益", "≥", "1", "1", weight=D(30))]
    assert allot_points(lines, RULES) == [D("33.33"), D("16.67"), D("40.00")]  # 效益 30 + 满意度 10
    dropped = [lines[0], Line("产出", "≥", "1", "1", weight=D(10), applicable=False), lines[2]]
    assert allot_points(dropped, RULES) == [D("50.00"), None, D("40.00")]
    three = [Line("产出", "≥", "1", "1")] * 3 + [Line("效益", "≥", "1", "1"), Line("满意度", "≥", "1", "1")]
    points = allot_points(three, RULES)
    assert points == [D("16.67"), D("16.67"), D("16.66"), D("30.00"), D("10.00")]
    assert sum(points) == RULES.indicator_points  # the column adds up to the pack's 90


def test_score_within_tolerance_needs_no_note_beyond_it_does_and_a_met_row_needs_one_for_any_deduction():
    # one 产出 indicator carries all 90 points: 90 of 100 done gives 81.00
    near = score_table([Line("产出", "≥", "100", "90", score=D("81.3"), deviation="原料延迟")], ["数量"], RULES,
                       annual_fen=1, executed_fen=1)
    assert not [n for n in near.needs if n.field == "score_note"]
    off = score_table([Line("产出", "≥", "100", "90", score=D(80), deviation="原料延迟")], ["数量"], RULES,
                      annual_fen=1, executed_fen=1)
    assert any(n.field == "score_note" and "参考得分" in n.sentence for n in off.needs)
    met = score_table([Line("产出", "≥", "100", "100", score=D("89.6"))], ["数量"], RULES, annual_fen=1, executed_fen=1)
    assert any(n.field == "score_note" and "已完成年度指标值，却扣了0.40分" in n.sentence for n in met.needs)


def test_a_miss_asks_for_its_cause_and_an_overshoot_flags_a_low_target():
    scored = score_table([Line("产出", "≥", "100", "90"), Line("产出", "≥", "100", "130"), Line("效益", "≥", "100", "110")],
                         ["a", "b", "c"], RULES, annual_fen=1, executed_fen=1)
    assert scored.lines[0].missed and any(n.row == 0 and n.field == "deviation" for n in scored.needs)
    assert scored.lines[1].too_low and any(n.row == 1 and "目标设置偏低" in n.sentence and n.blocking for n in scored.needs)
    assert not scored.lines[2].too_low
    explained = score_table([Line("产出", "≥", "100", "130", deviation="上级追加任务")], ["b"], RULES,
                            annual_fen=1, executed_fen=1)
    assert [n.blocking for n in explained.needs if n.row == 0] == [False]  # still shown, no longer stops a submit


def test_a_qualitative_score_must_sit_inside_its_band():
    scored = score_table([Line("产出", "定性", "按时", "基本完成", score=D(45))], ["x"], RULES, annual_fen=1, executed_fen=1)
    assert any(n.field == "score" and "部分达成" in n.sentence for n in scored.needs)  # 90 points: 54–72


def test_budget_rate_rounded_first_or_not_by_the_pack():
    rate = D("0.99745")
    assert budget_reference(rate, D(10), RULES) == D("9.97")
    assert budget_reference(rate, D(10), rules_with(round_rate_first=True)) == D("9.98")


def test_cause_required_below_the_line_or_when_the_budget_was_adjusted():
    low = score_table([], [], RULES, annual_fen=1000, executed_fen=850, initial_fen=1000)
    assert any(n.field == "budget_cause" and "85.00%" in n.sentence for n in low.needs)
    adjusted = score_table([], [], RULES, annual_fen=1000, executed_fen=1000, initial_fen=800)
    assert any(n.field == "budget_cause" and "调整" in n.sentence for n in adjusted.needs)
    said = score_table([], [], RULES, annual_fen=1000, executed_fen=850, initial_fen=1000, budget_cause="工程款按进度支付")
    assert not [n for n in said.needs if n.field == "budget_cause"]


def test_total_and_grade_under_either_convention():
    lines = [Line("产出", "≥", "100", "100"), Line("效益", "≥", "100", "100")]
    counted = score_table(lines, ["a", "b"], RULES, annual_fen=100, executed_fen=70)
    assert (counted.budget_score, counted.total, counted.grade) == (D("7.00"), D("97.00"), "优")
    left_out = score_table(lines, ["a", "b"], rules_with(total_counts_budget_points=False), annual_fen=100, executed_fen=70)
    assert left_out.total == D("90.00") and left_out.grade == "优"  # 90 of 90
    twenty = rules_with(budget_points="20", indicator_points={"产出": "50", "效益": "20", "满意度": "10"})
    assert score_table(lines, ["a", "b"], twenty, annual_fen=100, executed_fen=70).total == D("94.00")
    assert counted.pack_version == default_pack().version


def test_inflated_self_evaluation_is_warned_not_blocked():
    lines = [Line("产出", "≥", "100", "100"), Line("效益", "≥", "100", "100")]
    scored = score_table(lines, ["a", "b"], RULES, annual_fen=100, executed_fen=80, budget_cause="项目结余")
    warning = [n for n in scored.needs if n.field == "table"]
    assert warning and not warning[0].blocking and "自评虚高" in warning[0].sentence
    close = score_table(lines, ["a", "b"], RULES, annual_fen=100, executed_fen=96)
    assert not [n for n in close.needs if n.field == "table"]


@pytest.mark.parametrize("actual,expected", [
    ("完成", "达成"), ("按时完成", "达成"), ("未完成", "未达成"), ("基本完成", "部分达成"), ("部分完成", "部分达成"),
    ("未按时完成", "未达成"), ("未达标", "未达成"), ("无法完成", "未达成"), ("未全部完成", "未达成"),
    ("不能按时完成", "未达成"), ("没有达到", "未达成"), ("部分未完成", "部分达成"), ("天气原因", None)])
def test_qualitative_words_read_as_ratings(actual, expected):
    from app.rules.self_eval import rating_of

    assert rating_of(Line("产出", "定性", "按时完成", actual), RULES) == expected


def test_percent_and_fraction_are_read_on_one_scale():
    ten = D(10)
    assert reference_score(Line("产出", "≥", "≥95%", "0.98"), ten, RULES) == D("10.00")
    assert reference_score(Line("产出", "≥", "100%", "1", unit="%"), ten, RULES) == D("10.00")
    assert reference_score(Line("产出", "≥", "0.95", "90%"), ten, RULES) == D("9.47")  # 90 ÷ 95


def test_equal_to_zero_is_met_only_by_zero_and_negative_targets_get_no_formula():
    ten = D(10)
    assert reference_score(Line("效益", "=", "0", "0"), ten, RULES) == D("10.00")
    assert reference_score(Line("效益", "=", "0", "2"), ten, RULES) == D("0.00")
    assert reference_score(Line("效益", "≥", "0", "2"), ten, RULES) == D("10.00")
    assert reference_score(Line("效益", "≥", "-5", "3"), ten, RULES) is None


def test_an_indicator_outside_the_packs_tree_cannot_score():
    lines = [Line("产出", "≥", "1", "1"), Line("成本", "≥", "1", "1", score=D(30))]
    scored = score_table(lines, ["数量", "成本控制"], RULES, annual_fen=1, executed_fen=1)
    assert scored.total == D("100.00")  # 产出 carries the 90 indicator points; the 30 under 成本 counts nowhere
    assert [(n.field, n.blocking) for n in scored.needs if n.row == 1] == [("level1", True)]


def test_full_points_on_a_miss_is_a_reminder_on_the_form():
    scored = score_table([Line("产出", "≥", "100", "90", score=D(90), score_note="上级认可", deviation="原料延迟")],
                         ["数量"], RULES, annual_fen=1, executed_fen=1)
    assert [(n.field, n.blocking) for n in scored.needs if n.row == 0] == [("score", False)]


def test_a_tree_not_of_100_points_is_graded_on_its_share():
    from app.rules.self_eval import tree_grade

    assert tree_grade(D(72), D(80), RULES) == "优"  # 90%
    assert tree_grade(D(85), D(100), RULES) == "良"


def test_staff_counts_are_whole_numbers_and_a_circled_digit_is_named_not_saved():
    from app.domain.self_eval import SelfEvalDraft
    from app.rules.self_eval_draft import validate

    def staff(quota: str, actual: str):
        draft = SelfEvalDraft(None, "部门整体", 2023, "草稿", 0, staff_quota=quota, staff_actual=actual)
        report = validate(draft)
        return report.for_field("staff_quota"), report.for_field("staff_actual")

    assert staff("25", "２４") == ([], [])  # full-width digits typed with a Chinese input method
    assert staff("①", "2.5") == (["应为人数，如 25"], ["应为人数，如 25"])  # ① is a digit to str.isdigit
    assert staff("", "1234567") == ([], ["应为人数，如 25"])
