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
    grade = band(total, full, bands) if total is not None else ""  # a total is graded out of 100
    return TreeScore(tuple(dims), points, total, grade, tuple(needs))


def shape_problems(leaves: Sequence[Leaf]) -> list[tuple[int, str, str]]:
    """(row, column, what is expected) for rows a tree cannot hold: the same 一级/二级/三级 twice;
    a row naming only its 一级 in a dimension that has other rows; a 二级 row without its 三级 where
    that 二级 has 三级 rows. (A dimension-only table names only 一级 on every row.)"""
    found: list[tuple[int, str, str]] = []
    seen: dict[tuple[str, str, str], int] = {}
    per_dim: dict[str, int] = {}
    with_level3: set[tuple[str, str]] = set()
    for leaf in leaves:
        per_dim[leaf.level1] = per_dim.get(leaf.level1, 0) + 1
        if leaf.level3:
            with_level3.add((leaf.level1, leaf.level2))
    for n, leaf in enumerate(leaves):
        key = (leaf.level1, leaf.level2, leaf.level3)
        if key in seen:
            found.append((n, "level3", f"与第{seen[key] + 1}行重复（一级、二级、三级指标都相同）"))
            continue
        seen[key] = n
        if not leaf.level2 and not leaf.level3 and per_dim[leaf.level1] > 1:
            found.append((n, "level3", f"“{leaf.level1}”下有多项指标，请填写这一行的二级或三级指标"))
        elif leaf.level2 and not leaf.level3 and (leaf.level1, leaf.level2) in with_level3:
            found.append((n, "level3", f"“{leaf.level2}”下已有三级指标，请填写这一行的三级指标"))
    return found


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
