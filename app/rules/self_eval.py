"""绩效自评 scoring by the rule pack: the 分值 each indicator carries, the 参考得分 the formula gives,
the total and grade under the pack's conventions, and what the form must ask for before a table is
submitted. Pure functions over Decimal; the form (as the clerk types), the service (on save) and
the import all call `score_table`. The consistency check over finished tables is app.rules.self_eval_check."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Sequence

from app.rules.grades import grade_for, grade_for_ratio
from app.rules.pack import RulePackData, default_pack
from app.rules.target_check import first_number

CENT = Decimal("0.01")
ZERO = Decimal(0)
ONE = Decimal(1)
QUALITATIVE = "定性"
FORWARD = ("≥", "=")
REVERSE = "≤"
BUDGET_RULE = "预算执行率"  # a 部门整体 tree item scored from the execution rate
FRACTION_LINE = Decimal("1.5")  # a rate written at or below this is a fraction (0.98), above it a percentage


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def decimal_of(text: str) -> Optional[Decimal]:
    """A typed score or 分值 as a number (None when blank or not a finite number)."""
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        return None
    return value if value.is_finite() else None


@dataclass(frozen=True)
class SelfEvalRules:
    """The pack's 绩效自评 numbers (self_evaluation section and the grade bands)."""

    version: int
    budget_points: Decimal
    category_points: tuple[tuple[str, Decimal], ...]  # 产出 50, 效益 30, 满意度 10
    satisfaction: str
    fallback_to: str
    bands: dict[str, tuple[Decimal, Decimal]]
    qualitative_reference: dict[str, Decimal]
    qualitative_words: tuple[tuple[str, tuple[str, ...]], ...]
    too_low_ratio: Decimal
    cause_line: Decimal
    round_rate_first: bool
    rate_rounding: Decimal
    counts_budget: bool
    tolerance: Decimal
    inflation_margin: Decimal
    grade_bands: tuple[tuple[str, Decimal], ...]

    @classmethod
    def from_pack(cls, pack: Optional[RulePackData] = None) -> "SelfEvalRules":
        pack = pack or default_pack()
        raw = dict(default_pack().section("self_evaluation"))
        raw.update(pack.section("self_evaluation"))  # a county's pack overrides, key by key
        words = raw["qualitative_words"]
        # 未达成 words first: "未完成" contains "完成"
        order = sorted(words, key=lambda r: {"未达成": 0, "部分达成": 1}.get(r, 2))
        return cls(
            version=pack.version,
            budget_points=Decimal(raw["budget_points"]),
            category_points=tuple((k, Decimal(v)) for k, v in raw["indicator_points"].items()),
            satisfaction="满意度",
            fallback_to=raw["satisfaction_fallback_to"],
            bands={k: (Decimal(lo), Decimal(hi)) for k, (lo, hi) in raw["qualitative_bands"].items()},
            qualitative_reference={k: Decimal(v) for k, v in raw["qualitative_reference"].items()},
            qualitative_words=tuple((r, tuple(words[r])) for r in order),
            too_low_ratio=Decimal(raw["target_too_low_ratio"]),
            cause_line=Decimal(raw["cause_required_below_rate"]),
            round_rate_first=bool(raw["round_rate_first"]),
            rate_rounding=Decimal(raw["rate_rounding"]),
            counts_budget=bool(raw["total_counts_budget_points"]),
            tolerance=Decimal(raw["score_tolerance"]),
            inflation_margin=Decimal(raw["inflation_margin"]),
            grade_bands=tuple(pack.grade_bands),
        )

    @property
    def indicator_points(self) -> Decimal:
        return sum((p for _, p in self.category_points), ZERO)

    def full_points(self, counts_budget: Optional[bool] = None) -> Decimal:
        counts = self.counts_budget if counts_budget is None else counts_budget
        return self.indicator_points + (self.budget_points if counts else ZERO)

    def grade(self, total: Decimal, counts_budget: Optional[bool] = None) -> str:
        """The grade of a total: the pack's bands, on the share of the full points when the total
        leaves the budget points out (90 is then full marks)."""
        full = self.full_points(counts_budget)
        if full == 100:
            return grade_for(total, self.grade_bands)
        return grade_for_ratio(total, full, self.grade_bands)


# -- one indicator -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Line:
    """An indicator as the rules read it (numbers already parsed where the form or file has them)."""

    level1: str
    direction: str
    target_value: str
    actual: str
    rating: str = ""
    applicable: bool = True
    weight: Optional[Decimal] = None
    points: Optional[Decimal] = None  # 分值 as printed (imported tables) — own tables allot it
    score: Optional[Decimal] = None  # 得分 as given (None: follows the 参考得分)
    score_note: str = ""
    deviation: str = ""
    rule: str = ""
    unit: str = ""  # 计量单位: "%" puts a fraction and a percentage on one scale


def is_quantitative(direction: str) -> bool:
    return direction in (*FORWARD, REVERSE)


_NEGATED = re.compile(r"(未能?|不能|不|没有?|无法|尚未)(按时|按期|如期|全部|完全)?(完成|达成|达到|达标|合格|实现)")


def rating_of(line: Line, rules: SelfEvalRules) -> Optional[str]:
    """A 定性 indicator's rating: the one picked, else read from the actual's words — an exact word
    of the pack's lists (完成 → 达成), else 部分 → 部分达成, a negated word (未按时完成, 未达标,
    无法完成) → 未达成, then any listed word inside the text. None when the words do not say."""
    if line.rating in rules.bands:
        return line.rating
    text = re.sub(r"[\s，。,.；;！!]", "", line.actual or "")
    if not text:
        return None
    for rating, words in rules.qualitative_words:
        if text in words:
            return rating
    if "部分" in text:
        return "部分达成"
    if _NEGATED.search(text):
        return "未达成"
    for rating, words in rules.qualitative_words:
        if any(len(word) > 1 and word in text for word in words):
            return rating
    return None


_PERCENT_SIGNS = ("%", "％")


@lru_cache(maxsize=8192)
def number_in(text: str) -> Optional[Decimal]:
    """The first number written in a value (≥266米 → 266); values repeat across a year's tables."""
    return first_number(text)


def _numbers(line: Line) -> tuple[Optional[Decimal], Optional[Decimal]]:
    """(target, actual) as numbers, put on one scale where one is written as a percentage and the
    other as a fraction (≥95% against 0.98 reads as 98)."""
    target, actual = number_in(line.target_value), number_in(line.actual)
    if target is None or actual is None:
        return target, actual
    if target > FRACTION_LINE >= actual >= 0 and not _has_sign(line.actual):
        if _has_sign(line.target_value) or line.unit.strip() in _PERCENT_SIGNS:
            actual *= 100
    elif actual > FRACTION_LINE >= target >= 0 and not _has_sign(line.target_value):
        if _has_sign(line.actual) or line.unit.strip() in _PERCENT_SIGNS:
            target *= 100
    return target, actual


def _has_sign(text: str) -> bool:
    return "%" in text or "％" in text


def achievement(line: Line) -> Optional[Decimal]:
    """How far a quantitative indicator got, 1 = exactly met, never below 0: actual ÷ target (≥, =),
    target ÷ actual (≤; actual 0 is met). "= 0" is met only by 0. None when the target or the
    actual has no number, or the target is negative (the formula cannot say)."""
    if not is_quantitative(line.direction):
        return None
    target, actual = _numbers(line)
    if target is None or actual is None or target < 0 or actual < 0:
        return None
    if line.direction == REVERSE:
        return ONE if actual == 0 else target / actual
    if target == 0:
        return ONE if line.direction != "=" or actual == 0 else ZERO
    return actual / target


def missed(line: Line, rules: SelfEvalRules, ratio: Optional[Decimal] = None) -> Optional[bool]:
    """Whether the indicator fell short (None: cannot tell). `ratio`: its achievement, when known."""
    if line.direction == QUALITATIVE:
        rating = rating_of(line, rules)
        return None if rating is None else rating != "达成"
    ratio = achievement(line) if ratio is None else ratio
    return None if ratio is None else ratio < 1


def reference_score(line: Line, points: Optional[Decimal], rules: SelfEvalRules,
                    ratio: Optional[Decimal] = None) -> Optional[Decimal]:
    """The 参考得分 by formula, rounded half-up to 2 decimals; None where the formula cannot say."""
    if points is None or not line.applicable:
        return None
    if line.direction == QUALITATIVE:
        rating = rating_of(line, rules)
        return None if rating is None else cents(points * rules.qualitative_reference[rating])
    ratio = achievement(line) if ratio is None else ratio
    return None if ratio is None else cents(points * min(ratio, ONE))


def allot_points(lines: Sequence[Line], rules: SelfEvalRules) -> list[Optional[Decimal]]:
    """The 分值 of each indicator: each category's pack points (no 满意度 indicator → its points to
    效益; a category with no applicable indicator passes its points to the others in proportion)
    split over its applicable indicators by their weights (equally when any weight is missing),
    rounded to cents with the last indicator taking the remainder so the column adds up.
    Indicators marked 不适用 and those of a category the pack does not know get None."""
    pack_points = dict(rules.category_points)
    members: dict[str, list[int]] = {}
    for n, line in enumerate(lines):
        if line.applicable and line.level1 in pack_points:
            members.setdefault(line.level1, []).append(n)
    if not members:
        return [None] * len(lines)
    points = dict(pack_points)
    if rules.satisfaction not in members and rules.fallback_to in members:
        points[rules.fallback_to] += points.pop(rules.satisfaction, ZERO)
    orphaned = sum((p for cat, p in points.items() if cat not in members), ZERO)
    kept = {cat: p for cat, p in points.items() if cat in members}
    if orphaned:
        base = sum(kept.values(), ZERO)
        kept = {cat: p + orphaned * p / base for cat, p in kept.items()} if base else kept
    result: list[Optional[Decimal]] = [None] * len(lines)
    for cat, rows in members.items():
        weights = [lines[n].weight for n in rows]
        if any(w is None or w <= 0 for w in weights):
            weights = [ONE] * len(rows)
        whole, share_sum, given = cents(kept[cat]), sum(weights, ZERO), ZERO
        for i, n in enumerate(rows):
            share = whole - given if i == len(rows) - 1 else cents(kept[cat] * weights[i] / share_sum)
            result[n] = share
            given += share
    return result


# -- the budget rows -----------------------------------------------------------------------------------
def execution_rate(annual_fen: Optional[int], executed_fen: Optional[int]) -> Optional[Decimal]:
    """全年执行数 ÷ 全年预算数 as a fraction (exact); None without a budget."""
    if not annual_fen or executed_fen is None:
        return None
    return Decimal(executed_fen) / Decimal(annual_fen)


def budget_reference(rate: Optional[Decimal], points: Decimal, rules: SelfEvalRules) -> Optional[Decimal]:
    """预算执行 参考得分 = 分值 × min(执行率, 1), the rate rounded first when the pack says so."""
    if rate is None:
        return None
    if rules.round_rate_first:
        rate = rate.quantize(rules.rate_rounding, rounding=ROUND_HALF_UP)
    return cents(points * min(rate, ONE))


# -- the whole table -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Need:
    """Something the table must say before it is submitted (or a warning that does not stop it).
    row: the indicator's index, or None for the budget / the whole table; field: the column."""

    row: Optional[int]
    field: str  # actual / score / score_note / deviation / budget_cause / budget_score / table
    sentence: str
    blocking: bool = True


@dataclass(frozen=True)
class LineScore:
    points: Optional[Decimal]
    reference: Optional[Decimal]
    score: Optional[Decimal]  # as given, else the reference
    missed: Optional[bool]
    too_low: bool
    rating: Optional[str]


@dataclass(frozen=True)
class TableScore:
    lines: tuple[LineScore, ...]
    rate: Optional[Decimal]
    budget_points: Decimal
    budget_reference: Optional[Decimal]
    budget_score: Optional[Decimal]
    indicator_points: Decimal
    reference_total: Optional[Decimal]
    total: Decimal
    grade: str
    needs: tuple[Need, ...]
    pack_version: int

    @property
    def blocking(self) -> list[Need]:
        return [n for n in self.needs if n.blocking]


def _label(line_level3: str) -> str:
    return f"指标“{line_level3}”" if line_level3 else "该指标"


def score_table(lines: Sequence[Line], names: Sequence[str], rules: SelfEvalRules, *,
                annual_fen: Optional[int], executed_fen: Optional[int], initial_fen: Optional[int] = None,
                budget_points: Optional[Decimal] = None, budget_score: Optional[Decimal] = None,
                budget_cause: str = "", allot: bool = True, department: bool = False,
                follow: bool = True) -> TableScore:
    """Everything derived on a 自评表, and what it still needs. `names`: each line's 三级指标 (for
    sentences). `allot`: an own table's 分值 come from the pack; a settled one (imported as printed,
    or submitted) keeps the 分值 it has. `follow`: a 得分 not given is the 参考得分 (a table being
    filled); a settled table's blank 得分 stays blank. A 部门整体 table (`department`) is a scoring
    tree: 分值 as its items give them, no budget points of its own (its 预算执行率 item is scored from
    the rate), 扣分原因 where points are off, graded on its items' total points."""
    rate = execution_rate(annual_fen, executed_fen)
    points_of = allot_points(lines, rules) if allot and not department else [
        line.points if line.applicable else None for line in lines]
    known = dict(rules.category_points)
    needs: list[Need] = []
    scored: list[LineScore] = []
    for n, (line, points) in enumerate(zip(lines, points_of)):
        label = _label(names[n] if n < len(names) else "")
        if department:
            scored.append(_tree_item(line, points, rate, rules, follow, n, label, needs))
            continue
        ratio = achievement(line)
        reference = reference_score(line, points, rules, ratio)
        score = line.score if line.score is not None or not follow else reference
        gap = missed(line, rules, ratio)
        too_low = bool(line.direction in FORWARD and ratio is not None and ratio > rules.too_low_ratio)
        rating = rating_of(line, rules) if line.direction == QUALITATIVE else None
        outside = allot and line.applicable and line.level1 not in known
        if outside:
            needs.append(Need(n, "level1", f"{label}的一级指标“{line.level1}”不在规则方案的分类"
                                           f"（{'、'.join(known)}）中，无法计分，请在绩效目标中改正。"))
            score = None  # counted nowhere: a score outside the pack's tree cannot add to the total
        scored.append(LineScore(points, reference, score, gap, too_low, rating))
        if line.applicable and not outside:
            _line_needs(line, n, label, points, reference, score, gap, too_low, rating, rules, needs)
    b_points = ZERO if department else (budget_points if budget_points is not None else rules.budget_points)
    b_reference = None if department else budget_reference(rate, b_points, rules)
    b_score = None if department else (budget_score if budget_score is not None or not follow else b_reference)
    if not department:
        _budget_needs(needs, rules, rate, b_points, b_reference, b_score, annual_fen, initial_fen, budget_cause)
    applicable = [s for line, s in zip(lines, scored) if line.applicable]
    indicator_points = sum((s.points for s in applicable if s.points is not None), ZERO)
    indicator_total = sum((s.score for s in applicable if s.score is not None), ZERO)
    counts = rules.counts_budget and not department
    total = indicator_total + ((b_score or ZERO) if counts else ZERO)
    references = [s.reference for s in applicable]
    reference_total = None
    if references and all(r is not None for r in references) and (department or not counts or b_reference is not None):
        reference_total = sum(references, ZERO) + (b_reference if counts and b_reference is not None else ZERO)
    if department:
        grade = tree_grade(total, indicator_points, rules)
    else:
        grade = rules.grade(total, counts_budget=counts)
        warning = inflation(indicator_total, indicator_points, b_score, b_points, rules)
        if warning:
            needs.append(Need(None, "table", warning, blocking=False))
    return TableScore(tuple(scored), rate, b_points, b_reference, b_score, indicator_points, reference_total,
                      total, grade, tuple(needs), rules.version)


def tree_grade(total: Decimal, points: Decimal, rules: SelfEvalRules) -> str:
    """A scoring tree's grade: the pack's bands on total ÷ the tree's points (a 100-point tree as is)."""
    if points <= 0 or points == 100:
        return grade_for(total, rules.grade_bands)
    return grade_for_ratio(total, points, rules.grade_bands)


def _tree_item(line: Line, points, rate, rules: SelfEvalRules, follow: bool, n: int, label: str,
               needs: list[Need]) -> LineScore:
    reference = budget_reference(rate, points, rules) if (line.rule == BUDGET_RULE and points is not None) else None
    score = line.score if line.score is not None or not follow else reference
    if line.applicable:
        if score is None:
            needs.append(Need(n, "score", f"{label}还没有得分。"))
        elif points is not None and not ZERO <= score <= points:
            needs.append(Need(n, "score", f"{label}的得分应在0到{points}之间。"))
        elif (points is not None and score < points and score != reference  # the formula's own result explains itself
              and not line.score_note.strip()):
            needs.append(Need(n, "score_note", f"{label}扣了分，请填写扣分原因。"))
    return LineScore(points, reference, score, None, False, None)


def _line_needs(line: Line, n: int, label: str, points, reference, score, gap, too_low, rating,
                rules: SelfEvalRules, needs: list[Need]) -> None:
    """What one indicator still needs, in the order the clerk fills the row."""
    noted = bool(line.score_note.strip())
    if not (line.actual or "").strip() and not (line.direction == QUALITATIVE and rating):
        needs.append(Need(n, "actual", f"{label}还没有填写实际完成值。"))
    elif is_quantitative(line.direction) and number_in(line.actual) is None:
        if not noted:
            needs.append(Need(n, "score_note", f"{label}的实际完成值“{line.actual.strip()}”没有数字，"
                                               "无法按公式计算参考得分，请填写评分说明。"))
    elif line.direction == QUALITATIVE and rating is None:
        needs.append(Need(n, "actual", f"{label}是定性指标，请选择达成、部分达成或未达成。"))
    if score is None:
        if (line.actual or "").strip():
            needs.append(Need(n, "score", f"{label}还没有得分，请填写得分。"))
    elif points is not None and not ZERO <= score <= points:
        needs.append(Need(n, "score", f"{label}的得分{score}超出了0到{points}分。"))
    elif rating is not None and points is not None:
        lo, hi = rules.bands[rating]
        if not cents(points * lo) <= score <= cents(points * hi):
            needs.append(Need(n, "score", f"{label}评为{rating}，得分应在{cents(points * lo)}到"
                                          f"{cents(points * hi)}分之间。"))
    if score is not None and reference is not None and abs(score - reference) > rules.tolerance and not noted:
        needs.append(Need(n, "score_note", f"{label}的得分{score}与参考得分{reference}相差超过"
                                           f"{rules.tolerance}分，请填写评分说明。"))
    elif gap is False and score is not None and points is not None and score < points and not noted:
        needs.append(Need(n, "score_note", f"{label}已完成年度指标值，却扣了{points - score}分，请填写评分说明。"))
    if gap and score is not None and points is not None and score >= points:
        needs.append(Need(n, "score", f"{label}未完成年度指标值却得了满分，请核实得分。", blocking=False))
    if gap and not line.deviation.strip():
        needs.append(Need(n, "deviation", f"{label}未完成年度指标值，请填写偏差原因分析及改进措施。"))
    if too_low:
        needs.append(Need(n, "deviation", f"{label}实际完成值超过年度指标值的{rules.too_low_ratio}倍，"
                                          "目标设置偏低，请在偏差原因分析中说明。",
                          blocking=not line.deviation.strip()))


def _budget_needs(needs: list[Need], rules: SelfEvalRules, rate, points, reference, score, annual_fen,
                  initial_fen, cause: str) -> None:
    if annual_fen is None:
        needs.append(Need(None, "budget", "预算执行还没有填写全年预算数。"))
        return
    if score is not None and not ZERO <= score <= points:
        needs.append(Need(None, "budget_score", f"预算执行得分{score}超出了0到{points}分。"))
    if cause.strip():
        return
    if rate is not None and rate < rules.cause_line:
        needs.append(Need(None, "budget_cause", f"预算执行率{percent(rate)}低于{percent(rules.cause_line)}，"
                                                "请填写原因。"))
    elif initial_fen is not None and initial_fen != annual_fen:
        needs.append(Need(None, "budget_cause", "全年预算数与年初预算数不同（预算有调整），请填写原因。"))
    elif score is not None and reference is not None and abs(score - reference) > rules.tolerance:
        needs.append(Need(None, "budget_cause", f"预算执行得分{score}与参考得分{reference}相差超过"
                                                f"{rules.tolerance}分，请在原因中说明。"))


def inflation(indicator_score: Decimal, indicator_points: Decimal, budget_score: Optional[Decimal],
              budget_points: Decimal, rules: SelfEvalRules) -> str:
    """自评虚高: the indicators score a larger share of their points than the budget does, by more
    than the pack's margin: (指标得分/指标分值 − 预算得分/预算分值) ÷ (指标得分/指标分值)."""
    if budget_score is None or not budget_points or not indicator_points or not indicator_score:
        return ""
    ind = indicator_score / indicator_points
    bud = budget_score / budget_points
    gap = (ind - bud) / ind
    if gap <= rules.inflation_margin:
        return ""
    return (f"自评虚高：指标得分率{percent(ind)}高于预算执行得分率{percent(bud)}，相差{percent(gap)}"
            f"（超过{percent(rules.inflation_margin)}），请核实指标完成情况。")


def percent(fraction: Decimal) -> str:
    """0.7083… → 70.83%"""
    return f"{cents(fraction * 100)}%"
