"""The check over 重点评价 results — the program's own and past reports imported as printed: each
finding names the evaluation and the row, with its category (合计不符, 等级不符, 得分越界, 执行率不符,
权重不符). 潜江's 项目过程 26.5 of 30 printed 优 is 等级不符: 88.3% is 良 under its own bands."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Sequence

from app.domain.self_eval import Finding
from app.rules.scoring_tree import HUNDRED, ZERO, Leaf, band, fmt, rate_matches

SUM_MISMATCH = "合计不符"
GRADE_MISMATCH = "等级不符"
OUT_OF_RANGE = "得分越界"
RATE_MISMATCH = "执行率不符"
WEIGHT_MISMATCH = "权重不符"


@dataclass(frozen=True)
class CheckedEvaluation:
    code: str  # 评价编号
    name: str  # 项目名称 / 评价对象
    leaves: tuple[Leaf, ...]
    total: Optional[Decimal] = None  # 综合得分 as printed (or derived, on an own evaluation)
    grade: str = ""  # 评价等级 as printed
    budget_fen: Optional[int] = None
    spend_fen: Optional[int] = None
    printed_rate: str = ""


def check_evaluation(ev: CheckedEvaluation, bands: Sequence[tuple[str, Decimal]]) -> list[Finding]:
    found: list[Finding] = []

    def add(where: str, category: str, problem: str, filed: str = "", reference: str = "") -> None:
        found.append(Finding(ev.code, ev.name, where, category, problem, filed, reference))

    dims: dict[str, list[Leaf]] = {}
    for leaf in ev.leaves:
        dims.setdefault(leaf.level1, []).append(leaf)
        if leaf.score is not None and leaf.points is not None and not ZERO <= leaf.score <= leaf.points:
            add(f"指标“{leaf.name}”", OUT_OF_RANGE, f"“{leaf.name}”得分{fmt(leaf.score)}分，超出了0到{fmt(leaf.points)}分。",
                fmt(leaf.score), fmt(leaf.points))
        if leaf.printed_grade and leaf.score is not None and leaf.points:
            expected = band(leaf.score, leaf.points, bands)
            if expected != leaf.printed_grade:
                share = (leaf.score * HUNDRED / leaf.points).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                add(f"指标“{leaf.name}”", GRADE_MISMATCH, f"“{leaf.name}”{fmt(leaf.score)}/{fmt(leaf.points)}分（{share}%）"
                                                         f"按等级标准应为“{expected}”，表上评为“{leaf.printed_grade}”。",
                    leaf.printed_grade, expected)
    if dims:
        points = sum((leaf.points or ZERO for leaf in ev.leaves), ZERO)
        if points != HUNDRED:
            add("权重", WEIGHT_MISMATCH, f"各项分值（权重）合计{fmt(points)}分，不是100分。", fmt(points), "100")
    scores = [leaf.score for leaf in ev.leaves]
    rows_total = sum(scores, ZERO) if ev.leaves and all(s is not None for s in scores) else None
    if ev.total is not None and not ZERO <= ev.total <= HUNDRED:
        add("综合得分", OUT_OF_RANGE, f"综合得分{fmt(ev.total)}分，超出了0到100分。", fmt(ev.total), "100")
    if ev.total is not None and rows_total is not None and rows_total != ev.total:
        add("综合得分", SUM_MISMATCH, f"综合得分填报为{fmt(ev.total)}分，各项得分合计为{fmt(rows_total)}分。",
            fmt(ev.total), fmt(rows_total))
    if ev.total is not None and ev.grade:
        expected = band(ev.total, HUNDRED, bands)
        if expected != ev.grade:
            add("评价等级", GRADE_MISMATCH, f"综合得分{fmt(ev.total)}分按等级标准应为“{expected}”，表上评为“{ev.grade}”。",
                ev.grade, expected)
    if ev.printed_rate and rate_matches(ev.printed_rate, ev.budget_fen, ev.spend_fen) is False:
        computed = (Decimal(ev.spend_fen) * HUNDRED / Decimal(ev.budget_fen)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        add("执行率", RATE_MISMATCH, f"执行率填报为{ev.printed_rate}，按实际支出÷预算批复金额应为{computed}%。",
            ev.printed_rate, f"{computed}%")
    return found
