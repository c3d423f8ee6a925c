"""The automatic target check: every rule with a target that passes it and one that fails it.
The failing targets are the seeds' own complaints (定性多定量少, 仅描述完成全年既定目标, …)."""

from dataclasses import replace
from decimal import Decimal

import pytest

from app.rules.pack import RulePackData, default_pack
from app.rules.target_check import ERROR, WARNING, CheckSettings, IndicatorIn, TargetIn, check_target


def ind(level1, level2, level3, direction="≥", value="100", unit="%", points=None, last_year=""):
    return IndicatorIn(level1, level2, level3, direction, value, unit, points, last_year)


GOOD = TargetIn(
    year=2023, funds_fen=576 * 1_000_000,
    annual_goal="按月向全市符合条件的困难残疾人发放生活补贴，全年发放不少于5800人次，资金足额及时到位，受益群众满意度达到95%以上。",
    indicators=[
        ind("产出", "数量", "困难残疾人生活补贴发放人次", "≥", "5800", "人次", Decimal(20), "5700"),
        ind("产出", "质量", "补贴发放准确率", "=", "100", "%", Decimal(15)),
        ind("产出", "时效", "补贴按月发放及时率", "=", "100", "%", Decimal(15)),
        ind("产出", "成本", "补贴标准", "=", "80", "元", Decimal(10)),
        ind("效益", "社会效益", "困难残疾人基本生活保障覆盖率", "≥", "100", "%", Decimal(20)),
        ind("满意度", "服务对象满意度", "受益残疾人满意度", "≥", "95", "%", Decimal(20)),
    ],
)


def rules_hit(target, settings=None):
    return {(f.rule, f.severity) for f in check_target(target, settings).findings}


def with_row(n, **changes):
    rows = list(GOOD.indicators)
    rows[n] = replace(rows[n], **changes)
    return replace(GOOD, indicators=rows)


def test_a_well_made_target_has_no_findings_and_full_score():
    result = check_target(GOOD)
    assert result.findings == [] and result.quality_score == 100 and not result.blocks_submission


def test_no_quantitative_indicator_blocks_submission():
    rows = [replace(i, direction="定性", value="达成", unit="") for i in GOOD.indicators]
    result = check_target(replace(GOOD, indicators=rows))
    assert ("定量指标", ERROR) in {(f.rule, f.severity) for f in result.findings} and result.blocks_submission


def test_more_qualitative_than_quantitative_is_warned():
    rows = [replace(i, direction="定性", value="达成", unit="") if n < 4 else i for n, i in enumerate(GOOD.indicators)]
    finding = next(f for f in check_target(replace(GOOD, indicators=rows)).findings if f.rule == "定量指标")
    assert finding.severity == WARNING and finding.problem == "定性指标（4个）多于定量指标（2个）。"


def test_missing_mandatory_categories_are_named():
    rows = [i for i in GOOD.indicators if i.level2 not in ("成本", "服务对象满意度")]
    found = [f for f in check_target(replace(GOOD, indicators=rows)).findings if f.rule == "必设指标"]
    assert [(f.severity, f.problem) for f in found] == [
        (ERROR, "缺少“产出—成本”指标。"), (WARNING, "项目面向群众，但缺少“服务对象满意度”指标。")]
    assert not [f for f in check_target(replace(GOOD, indicators=rows[:-1] + rows[-1:], serves_public=False)).findings
                if "满意度" in f.problem]


@pytest.mark.parametrize("value,expected", [
    ("", "指标值为空。"),
    ("明显提高", "指标值“明显提高”只有“提高”一类的描述，没有数值，无法衡量。"),
    ("较多", "定量指标的指标值“较多”不是数值。"),
])
def test_values_that_cannot_be_measured(value, expected):
    found = [f for f in check_target(with_row(0, value=value)).findings if f.rule == "指标值可衡量"]
    assert [(f.row, f.problem) for f in found] == [(0, expected)] and found[0].severity == ERROR


def test_vague_word_with_a_number_is_fine():
    assert "指标值可衡量" not in {f.rule for f in check_target(with_row(1, value="提高到98")).findings}


def test_units():
    assert ("计量单位", WARNING) in rules_hit(with_row(0, unit=""))
    found = [f for f in check_target(with_row(1, value="120")).findings if f.rule == "计量单位"]
    assert found[0].severity == ERROR and found[0].problem == "比率类指标值120%超过100%。"
    assert "计量单位" not in {r for r, _ in rules_hit(with_row(0, value="120", unit="人"))}


@pytest.mark.parametrize("name,expected", [
    ("数量", "与二级指标相同"), ("数量指标", "与二级指标相同"), ("人数", "过短"), ("发放人次等", "以“等”结尾"),
])
def test_third_level_names_that_say_nothing(name, expected):
    found = [f for f in check_target(with_row(0, level3=name)).findings if f.rule == "三级指标名称"]
    assert len(found) == 1 and expected in found[0].problem


def test_cost_indicators_above_the_annual_funds():
    over = with_row(3, value="600", unit="万元")
    found = [f for f in check_target(over).findings if f.rule == "成本指标"]
    assert found[0].problem == "成本指标合计600.00万元，超过年度资金总额576.00万元。" and found[0].severity == ERROR
    assert "成本指标" not in {f.rule for f in check_target(with_row(3, value="500", unit="万元")).findings}


def test_timeliness_needs_a_date_in_the_year_or_a_rate():
    vague = with_row(2, level3="补贴发放及时性", value="及时", unit="", direction="定性")
    assert "时效指标只写了“及时”，没有日期或比率。" in [f.problem for f in check_target(vague).findings]
    dated = with_row(2, level3="补贴发放完成时间", value="2024年3月底前", unit="", direction="定性")
    assert "时效指标的时间2024年3月不在2023预算年度内。" in [f.problem for f in check_target(dated).findings]
    in_year = with_row(2, level3="补贴发放完成时间", value="2023年12月底前", unit="", direction="定性")
    assert "时效指标" not in {f.rule for f in check_target(in_year).findings}


@pytest.mark.parametrize("goal,severity,expected", [
    ("", ERROR, "年度目标为空。"),
    ("完成全年既定目标。", ERROR, "年度目标只写了“完成全年既定目标。”，没有说明要完成什么。"),
    ("按月发放补贴。", WARNING, "年度目标只有6个字，过于简单。"),
])
def test_annual_goals_that_say_nothing(goal, severity, expected):
    found = [f for f in check_target(replace(GOOD, annual_goal=goal)).findings if f.rule == "年度目标"]
    assert [(f.severity, f.problem) for f in found] == [(severity, expected)]


def test_duplicates_and_points_total():
    rows = list(GOOD.indicators) + [GOOD.indicators[0]]
    problems = [f.problem for f in check_target(replace(GOOD, indicators=rows)).findings if f.rule == "重复与分值"]
    assert problems == ["与第1行指标重复。", "各指标分值合计120分，不等于100分。"]


def test_a_target_below_last_years_actual_is_set_too_low():
    found = [f for f in check_target(with_row(0, value="5000")).findings if f.rule == "目标偏低"]
    assert found[0].problem == "目标值5000低于上年实际值5700，目标设置偏低。"


def test_quality_score_takes_the_packs_deductions_and_a_county_pack_overrides():
    bad = replace(GOOD, annual_goal="完成全年目标")
    assert check_target(bad).quality_score == 90  # one 错误 = 10 points in the national pack
    content = dict(default_pack().content)
    content["target_check"] = {"deductions": {"错误": "25", "警告": "5", "提示": "2"}, "min_annual_goal_chars": 60}
    county = CheckSettings.from_pack(RulePackData("某县规则", 2, content))
    result = check_target(replace(GOOD, annual_goal=GOOD.annual_goal[:40]), county)
    assert [f.problem for f in result.findings] == [f"年度目标只有{len(GOOD.annual_goal[:40].replace('，', '').replace('。', ''))}个字，过于简单。"]
    assert check_target(bad, county).quality_score == 75


def test_blank_points_are_flagged_for_both_kinds_where_the_pack_weights_indicators():
    blank = replace(GOOD, indicators=[replace(i, points=None) for i in GOOD.indicators])
    for kind in ("项目支出", "部门整体支出"):
        found = [f for f in check_target(replace(blank, kind=kind)).findings if f.rule == "重复与分值"]
        assert [(f.severity, f.row, f.problem) for f in found] == [(WARNING, None, "各指标都没有填分值（应合计100分）。")]
        assert check_target(replace(blank, kind=kind)).quality_score < 100
    some = with_row(4, points=None)
    problems = [f.problem for f in check_target(some).findings if f.rule == "重复与分值"]
    assert problems == ["第5行指标没有填分值。", "各指标分值合计80分，不等于100分。"]
    content = dict(default_pack().content)
    content["target_check"] = {"points_total": None}  # a county that does not weight its indicators
    unweighted = CheckSettings.from_pack(RulePackData("某县规则", 2, content))
    assert "重复与分值" not in {f.rule for f in check_target(blank, unweighted).findings}


def test_the_review_opinion_is_drafted_from_the_findings():
    from app.rules.target_check import review_opinion

    vague = with_row(0, value="明显提高")
    opinion = review_opinion(vague, check_target(vague))
    lines = opinion.splitlines()
    assert lines[0] == "自动检查发现以下问题：" and lines[1].startswith("1. 第1行 困难残疾人生活补贴发放人次：指标值“明显提高”")
    assert review_opinion(GOOD, check_target(GOOD)) == "自动检查未发现问题。"


@pytest.mark.parametrize("typed,canonical", [
    (">=", "≥"), ("＞＝", "≥"), ("≧", "≥"), ("大于等于", "≥"), ("正向", "≥"), ("正向指标", "≥"), (" ≥ ", "≥"),
    ("<=", "≤"), ("＜＝", "≤"), ("≦", "≤"), ("小于等于", "≤"), ("反向", "≤"), ("反向指标", "≤"),
    ("等于", "="), ("＝", "="), ("定性", "定性"), ("大于", "大于"), ("", ""),
])
def test_one_reading_of_the_direction(typed, canonical):
    from app.domain.targets import canonical_direction

    assert canonical_direction(typed) == canonical
