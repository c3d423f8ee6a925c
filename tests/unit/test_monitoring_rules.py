"""双监控 rules: rates, lights (exact boundaries), indicator misses, year-end projection, key
candidates and the summary sentence the seeds write."""

from decimal import Decimal
from fractions import Fraction

import pytest

from app.rules import monitoring as m
from app.rules.pack import RulePackData, default_pack

S = m.MonitorSettings.from_pack()
WAN = 1_000_000  # fen


def test_rate_schedule_and_deviation_are_exact():
    assert m.schedule(8) == Fraction(2, 3) and m.percent(m.schedule(8)) == Decimal("66.67")
    assert m.execution_rate(946 * 10_000, 60 * WAN) == Fraction(946, 6000)  # 德惠 救灾物资: 9.46 of 60万
    assert m.percent(m.execution_rate(946 * 10_000, 60 * WAN)) == Decimal("15.77")
    assert m.execution_rate(None, 60 * WAN) is None and m.execution_rate(0, 0) is None
    assert m.percent(m.deviation(30 * WAN, 60 * WAN, 8)) == Decimal("-16.67")


@pytest.mark.parametrize("executed, expected", [
    (40 * WAN, m.GREEN),          # exactly 2/3 at an August cut-off: on the time line
    (40 * WAN - 1, m.YELLOW),     # one fen short of it
    (28 * WAN, m.YELLOW),         # 46.67%: exactly 20 points below is not yet red
    (28 * WAN - 1, m.RED),        # below 序时进度 − 20 points
    (0, m.RED),                   # nothing spent by the cut-off (德惠 净水厂)
    (None, m.NOT_FILLED),
])
def test_lights_at_the_exact_boundaries(executed, expected):
    assert m.light(executed, 60 * WAN, 8, S) == expected


def test_pack_numbers_are_read_exactly():
    content = dict(default_pack().content)
    content["monitoring"] = {**content["monitoring"], "projection_line": 0.9, "key_candidate_min_budget_wan": 200.5}
    s = m.MonitorSettings.from_pack(RulePackData("某省", 2, content))
    assert s.projection_line == Fraction(9, 10) and s.key_min_budget_fen == 200_500_000
    assert not m.project_year_end(36 * WAN, 60 * WAN, 8, s).below_line  # exactly 90% stays on the line


def test_lights_follow_the_rule_pack():
    content = dict(default_pack().content)
    content["monitoring"] = {**content["monitoring"], "red_below_schedule_points": "10", "red_when_nothing_spent": False}
    pack = RulePackData("某省", 2, content)
    strict = m.MonitorSettings.from_pack(pack)
    assert m.light(33 * WAN, 60 * WAN, 8, strict) == m.RED and m.light(33 * WAN, 60 * WAN, 8, S) == m.YELLOW
    assert m.light(34 * WAN, 60 * WAN, 8, strict) == m.YELLOW  # exactly 10 points below
    assert m.light(0, 60 * WAN, 8, strict) == m.RED  # 0 is still far below the line
    assert m.light(0, 0, 8, strict) == m.GREEN  # nothing budgeted, nothing to spend


@pytest.mark.parametrize("direction, target, projected, expected", [
    ("≥", "5800", "5896", False), ("≥", "5800", "5700", True), ("≥", "95%", "95", False),
    ("≤", "60", "46.65", False), ("≤", "60", "61", True),
    ("=", "100", "100", False), ("=", "100", "99.5", True),
    ("定性", "有效保障", "达成", False), ("定性", "有效保障", "部分达成", True), ("定性", "有效保障", "未达成", True),
    ("≥", "5800", "", None), ("≥", "较好", "6000", None),
])
def test_projected_misses_respect_the_direction(direction, target, projected, expected):
    assert m.misses(direction, target, projected) is expected


def test_year_end_projection_carries_the_pace_on_and_suggests_a_cut():
    p = m.project_year_end(946 * 10_000, 60 * WAN, 7, S)  # 9.46万 in 7 months
    assert p.year_end_fen == 16_217_142 and p.below_line and p.suggested_cut_fen == 60 * WAN - 16_217_142
    on_pace = m.project_year_end(45 * WAN, 60 * WAN, 8, S)  # 75% at August → 112.5%, capped at the budget
    assert on_pace.year_end_fen == 60 * WAN and not on_pace.below_line and on_pace.suggested_cut_fen == 0
    line = m.project_year_end(36 * WAN, 60 * WAN, 8, S)  # exactly 90% at year end: not below the line
    assert line.rate == Fraction(9, 10) and not line.below_line
    assert m.project_year_end(None, 60 * WAN, 8, S) is None


def test_key_monitoring_candidates_by_the_pack():
    big_slow = m.key_candidate_reasons(500 * WAN, 0, 8, False, m.RED, S)  # 净水厂: 500万, nothing spent
    assert big_slow == ["全年预算数不低于200万元且执行率低于60%"]
    assert m.key_candidate_reasons(500 * WAN, 0, 5, False, m.RED, S) == []  # only from the August round
    assert m.key_candidate_reasons(500 * WAN, 300 * WAN, 8, False, m.YELLOW, S) == []  # exactly 60%
    assert m.key_candidate_reasons(199 * WAN, 0, 8, False, m.RED, S) == []
    assert m.key_candidate_reasons(60 * WAN, 946 * 10_000, 8, True, m.RED, S) == ["重点项目亮红灯"]


def test_the_summary_sentence_reads_like_the_seeds():
    # 和硕: May 130 projects 24,066万元 46%; August 307 projects 36,905万元 68%
    assert m.overall_sentence(1107036 * 10_000, 24066 * WAN, 5, S) == "总体进度46%，略高于序时进度。"
    assert m.overall_sentence(2509540 * 10_000, 36905 * WAN, 8, S) == "总体进度68%，略高于序时进度。"
    assert m.overall_sentence(20 * WAN, 60 * WAN, 8, S) == "总体进度33.33%，低于序时进度。"
    assert m.overall_sentence(40 * WAN, 60 * WAN, 8, S) == "总体进度66.67%，与序时进度持平。"


def test_one_rule_for_an_indicator_row():
    """The form's save and the import both ask progress_problems; empty text is fine until submitting."""
    assert m.progress_problems("≥", "320", "") == []
    assert m.progress_problems("≥", "320", "300", "天气", "大概") == [
        ("cause_class", "应为经费保障、制度保障、人员保障、硬件条件保障、其他之一"),
        ("likelihood", "应为确定能、有可能、完全不可能之一")]
    assert m.progress_problems("定性", "有效保障", "还行") == [("projected", "定性指标应为达成、部分达成、未达成之一")]
    assert m.progress_problems("≥", "320", "300", submitting=True) == [
        ("cause_class", "全年预计完成值达不到目标，请选择偏差原因类别"),
        ("cause_note", "全年预计完成值达不到目标，请说明偏差原因")]
    assert m.progress_problems("≥", "320", "300", "经费保障", cause_note="延后施工", submitting=True) == []
    assert m.progress_problems("=", "100", "", submitting=True) == [("projected", "提交前请填写全年预计完成值")]
    assert m.progress_problems("≥", "95", "基本达标", submitting=True) == [
        ("projected", "全年目标值是数字，全年预计完成值也应填写数字")]
    assert m.progress_problems("≥", "95", "96", needs_rectification="是", submitting=True) == [
        ("requirement", "需要整改时请填写整改要求和建议")]
    assert m.progress_problems("≥", "95", "96", needs_rectification="也许") == [("needs_rectification", "应为“是”或“否”")]


def test_chart_labels_leave_out_the_countys_name_and_fit_under_a_bar():
    from app.domain.monitoring import chart_labels

    names = ["示范县教育局", "示范县住房和城乡建设局", "中共示范县委宣传部", "示范县人力资源和社会保障局"]
    assert chart_labels(names) == ["教育局", "住房和城乡建", "中共示范县委", "人力资源和社"]
    assert chart_labels(["德惠市教育局"]) == ["德惠市教育局"]  # one name: nothing shared to leave out
