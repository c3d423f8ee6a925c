"""Weighted scoring trees (重点评价 决策/过程/产出/效益, 事前评估's five dimensions): leaves carry 分值
and 得分; a dimension's 分值 and 得分 are the sums of its leaves, the total the sum of the
dimensions — derived, never typed. Grades come from the pack's bands on the exact score ÷ points
(lower bound included, nothing rounded first: 18/20 is 优, 11.99/20 is 差); a total is graded on
its score out of its points. The same reading serves the form, the import and the check."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Sequence

from app.rules.grades import grade_for_ratio

ZERO = Decimal(0)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Leaf:
    """A scored row: 一级 (the dimension), 二级 and 三级 (blank on a dimension-only table), 分值,
    得分 (None: not yet scored), 扣分原因, and the grade as printed (imported tables)."""

    level1: str
    level2: str = ""
    level3: str = ""
    points: Optional[Decimal] = None
    score: Optional[Decimal] = None
    deduction: str = ""
    printed_grade: str = ""

    @property
    def name(self) -> str:
        return self.level3 or self.level2 or self.level1


@dataclass(frozen=True)
class Dimension:
    name: str
    points: Decimal
    score: Optional[Decimal]  # None while any of its leaves is unscored
    grade: str  # "" until scored
    leaves: tuple[int, ...]  # indexes of its leaves


@dataclass(frozen=True)
class TreeNeed:
    row: Optional[int]  # the leaf, or None for the tree
    field: str  # score / deduction / points / tree
    sentence: str
    blocking: bool = True


@dataclass(frozen=True)
class TreeScore:
    dimensions: tuple[Dimension, ...]
    points: Decimal
    total: Optional[Decimal]
    grade: str
    needs: tuple[TreeNeed, ...]

    @property
    def blocking(self) -> list[TreeNeed]:
        return [n for n in self.needs if n.blocking]

    def sentence(self) -> str:
        """决策指标权重15分，得分11.7分；过程指标权重15分，得分4分；…"""
        return "；".join(f"{d.name}指标权重{fmt(d.points)}分，得分{fmt(d.score) if d.score is not None else '—'}分"
                        for d in self.dimensions)


def fmt(value: Optional[Decimal]) -> str:
    """11.70 → 11.7, 4.00 → 4 (as reports print scores)."""
    if value is None:
        return ""
    text = f"{value.quantize(CENT, rounding=ROUND_HALF_UP):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def band(score: Decimal, points: Decimal, bands: Sequence[tuple[str, Decimal]]) -> str:
    return grade_for_ratio(score, points, bands) if points > 0 else ""


def score_tree(leaves: Sequence[Leaf], bands: Sequence[tuple[str, Decimal]], full: Decimal = HUNDRED,
               names: Optional[Sequence[str]] = None) -> TreeScore:
    """Dimensions (in order of first appearance), their sums and grades, the total and its grade,
    and what the tree still needs: a 得分 on every leaf, inside 0..分值, a 扣分原因 where points are
    taken off, 分值 adding up to `full` (100)."""
    order: dict[str, list[int]] = {}
    for n, leaf in enumerate(leaves):
        order.setdefault(leaf.level1, []).append(n)
    needs: list[TreeNeed] = []
    for n, leaf in enumerate(leaves):
        label = f"“{leaf.name}”"
        if leaf.points is None:
            needs.append(TreeNeed(n, "points", f"{label}还没有分值。"))
        elif leaf.score is None:
            needs.append(TreeNeed(n, "score", f"{label}还没有得分。"))
        elif not ZERO <= leaf.score <= leaf.points:
            needs.append(TreeNeed(n, "score", f"{label}的得分{fmt(leaf.score)}超出了0到{fmt(leaf.points)}分。"))
        elif leaf.score < leaf.points and not leaf.deduction.strip():
            needs.append(TreeNeed(n, "deduction", f"{label}扣了{fmt(leaf.points - leaf.score)}分，请填写扣分原因。"))
    dims = []
    for name, rows in order.items():
        points = sum((leaves[n].points or ZERO for n in rows), ZERO)
        scores = [leaves[n].score for n in rows]
        score = None if any(s is None for s in scores) else sum(scores, ZERO)
        grade = band(score, points, bands) if score is not None else ""
        dims.append(Dimension(name, points, score, grade, tuple(rows)))
    points = sum((d.points for d in dims), ZERO)
    if leaves and points != full:
        needs.append(TreeNeed(None, "points", f"各项分值合计{fmt(points)}分，应为{fmt(full)}分（权重合计100%）。"))
    total = None if any(d.score is None for d in dims) or not dims else sum((d.score for d in dims), ZERO)
    grade = band(total, points, bands) if total is not None and points > 0 else ""
    return TreeScore(tuple(dims), points, total, grade, tuple(needs))


def scaled_tree(tree: Sequence[dict], weights: dict[str, Decimal]) -> list[Leaf]:
    """A preset: the pack's tree with each dimension's leaves scaled to the preset's weight, rounded
    to cents with the last leaf taking the remainder (so every dimension adds up exactly)."""
    leaves: list[Leaf] = []
    for node in tree:
        base = Decimal(node["points"])
        weight = weights.get(node["level1"], base)
        items = node["items"]
        given = ZERO
        for n, item in enumerate(items):
            if n == len(items) - 1:
                share = weight - given
            else:
                share = (Decimal(item["points"]) * weight / base).quantize(CENT, rounding=ROUND_HALF_UP)
            given += share
            leaves.append(Leaf(node["level1"], item["level2"], item["level3"], share))
    return leaves


def rate_matches(printed: str, budget_fen: Optional[int], spend_fen: Optional[int]) -> Optional[bool]:
    """Whether a printed 执行率 agrees with 实际支出 ÷ 预算批复金额 at its printed precision (88.5%
    against 463.71/524 = 88.49% agrees; 0.885 read as a fraction); None when it cannot be judged."""
    from app.rules.target_check import first_number

    number = first_number(printed or "")
    if number is None or not budget_fen or spend_fen is None:
        return None
    exponent = number.as_tuple().exponent
    places = Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)
    if "%" not in printed and "％" not in printed and number <= Decimal("1.5"):
        number, places = number.scaleb(2), places.scaleb(2)
    computed = Decimal(spend_fen) * HUNDRED / Decimal(budget_fen)
    return computed.quantize(places, rounding=ROUND_HALF_UP) == number.quantize(places)
