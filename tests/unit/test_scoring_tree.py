"""Weighted scoring trees that always add up, graded on the exact score ÷ points, and the check
that catches the slips of published evaluation tables (潜江's 项目过程 26.5 of 30 printed 优)."""

from __future__ import annotations

from decimal import Decimal as D

from app.rules.evaluation_check import CheckedEvaluation, check_evaluation
from app.rules.pack import default_pack
from app.rules.scoring_tree import Leaf, rate_matches, scaled_tree, score_tree

BANDS = default_pack().grade_bands


def test_dimensions_and_total_are_derived_and_graded_on_exact_shares():
    leaves = [Leaf("决策", "项目立项", "立项依据充分性", D(10), D(9)), Leaf("决策", "绩效目标", "绩效目标合理性", D(10), D(9)),
              Leaf("过程", "资金管理", "预算执行率", D(20), D("11.99"), "执行偏慢"), Leaf("产出", "", "", D(40), D(40)),
              Leaf("效益", "", "", D(20), D(20))]
    scored = score_tree(leaves, BANDS)
    assert [(d.name, d.points, d.score, d.grade) for d in scored.dimensions] == [
        ("决策", D(20), D(18), "优"), ("过程", D(20), D("11.99"), "差"), ("产出", D(40), D(40), "优"),
        ("效益", D(20), D(20), "优")]  # 18/20 = 90% is 优; 11.99/20 = 59.95% is 差, nothing rounded first
    assert (scored.total, scored.grade) == (D("89.99"), "良")
    assert scored.sentence().startswith("决策指标权重20分，得分18分；过程指标权重20分，得分11.99分")


def test_what_a_tree_still_needs():
    leaves = [Leaf("决策", "", "立项", D(30), D(25)), Leaf("过程", "", "执行", D(30), None), Leaf("产出", "", "完成", D(30), D(31))]
    needs = {(n.row, n.field) for n in score_tree(leaves, BANDS).needs}
    assert (0, "deduction") in needs  # 5 points off without a reason
    assert (1, "score") in needs and (2, "score") in needs
    assert (None, "points") in needs  # 90, not 100
    assert score_tree(leaves, BANDS).total is None


def test_a_preset_scales_the_national_tree_and_every_dimension_adds_up():
    tree = default_pack().section("key_evaluation")["national_tree"]
    leaves = scaled_tree(tree, {"决策": D(15), "过程": D(15), "产出": D(50), "效益": D(20)})
    dims = {d.name: d.points for d in score_tree(leaves, BANDS).dimensions}
    assert dims == {"决策": D(15), "过程": D(15), "产出": D(50), "效益": D(20)}
    assert all(leaf.points == leaf.points.quantize(D("0.01")) for leaf in leaves)


def test_the_check_catches_qianjiangs_slip_and_leaves_a_right_table_alone():
    printed = (Leaf("项目决策", points=D(20), score=D(18), printed_grade="优"),
               Leaf("项目过程", points=D(30), score=D("26.5"), printed_grade="优"),
               Leaf("项目产出", points=D(30), score=D(28), printed_grade="优"),
               Leaf("项目效益", points=D(20), score=D(19), printed_grade="优"))
    found = check_evaluation(CheckedEvaluation("Q-1", "残疾人两项补贴", printed, D("91.5"), "优"), BANDS)
    assert [(f.category, f.where, f.reference) for f in found] == [("等级不符", "指标“项目过程”", "良")]
    right = tuple(Leaf(leaf.level1, points=leaf.points, score=leaf.score,
                       printed_grade="良" if leaf.level1 == "项目过程" else "优") for leaf in printed)
    assert check_evaluation(CheckedEvaluation("Q-1", "残疾人两项补贴", right, D("91.5"), "优"), BANDS) == []


def test_the_check_names_sums_ranges_rates_and_weights():
    leaves = (Leaf("决策", points=D(15), score=D(16)), Leaf("过程", points=D(15), score=D(12)),
              Leaf("产出", points=D(50), score=D(45)), Leaf("效益", points=D(15), score=D(14)))
    found = {f.category for f in check_evaluation(
        CheckedEvaluation("D-1", "某项目", leaves, D(90), "优", 52_400_000, 46_371_000, "89.5%"), BANDS)}
    assert found == {"得分越界", "权重不符", "合计不符", "执行率不符"}


def test_a_printed_rate_is_compared_at_its_printed_precision():
    assert rate_matches("88.5%", 52_400_000, 46_371_000)  # 463.71 ÷ 524 = 88.49%
    assert rate_matches("0.885", 52_400_000, 46_371_000)
    assert rate_matches("88.49%", 52_400_000, 46_371_000)
    assert not rate_matches("88.6%", 52_400_000, 46_371_000)
    assert rate_matches("88.5%", None, 46_371_000) is None


def test_a_printed_total_out_of_range_and_a_tree_of_90_graded_out_of_100():
    found = check_evaluation(CheckedEvaluation("A-1", "某项目", (), D(105), "优"), BANDS)
    assert [f.category for f in found] == ["得分越界"]
    ninety = [Leaf("决策", "", "", D(30), D(27)), Leaf("产出", "", "", D(60), D(54))]
    assert score_tree(ninety, BANDS).grade == "良"  # 81 of 100, not 81 of 90
