"""The consistency check over finished 自评表 — the program's own and past tables imported as
printed: each finding a sentence naming the row, with the category word a careful reader would use
(DESIGN.md §3 lists what real tables get wrong)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional, Sequence

from app.domain.self_eval import Finding
from app.rules.self_eval import (FRACTION_LINE, ZERO, Line, SelfEvalRules, achievement, cents, inflation,
                                 is_quantitative, missed, number_in, percent, reference_score, tree_grade)
from app.rules.target_check import first_number

# category words (the 类别 column of the check workbook)
FULL_ON_MISS = "未达成却满分"
OFF_ON_MET = "达成却扣分"
TOTAL_MISMATCH = "总分不符"
CONVENTION = "口径"
GRADE_MISMATCH = "等级不符"
POINTS_ARE_SCORES = "分值即得分"
RATE_MISMATCH = "执行率不符"
NO_NUMBER = "实际值无法核对"
ZERO_BUDGET = "预算行为零"
INFLATED = "自评虚高"


@dataclass(frozen=True)
class CheckedTable:
    """A finished table as the check reads it: rows as filed, money in fen, printed values as text
    or Decimal. An own table passes its derived total and grade; an imported one what was printed."""

    code: str
    name: str
    lines: tuple[Line, ...]
    names: tuple[str, ...]  # 三级指标 of each line
    annual_fen: Optional[int] = None
    executed_fen: Optional[int] = None
    fiscal_annual_fen: Optional[int] = None
    other_annual_fen: Optional[int] = None
    printed_rate: str = ""
    budget_points: Optional[Decimal] = None
    budget_score: Optional[Decimal] = None
    total: Optional[Decimal] = None
    grade: str = ""
    department: bool = False


def _places(value: Decimal) -> Decimal:
    """The unit of the last printed decimal: 96.5 → 0.1, 88 → 1."""
    exponent = value.as_tuple().exponent
    return Decimal(1).scaleb(exponent if isinstance(exponent, int) and exponent < 0 else 0)


def _same_as_printed(computed: Decimal, printed: Decimal) -> bool:
    return computed.quantize(_places(printed), rounding=ROUND_HALF_UP) == printed


def _fmt(value: Optional[Decimal]) -> str:
    return "" if value is None else f"{value.normalize():f}"


def check_table(table: CheckedTable, rules: SelfEvalRules,
                missed_of: Optional[Sequence[Optional[bool]]] = None) -> list[Finding]:
    """The table's findings. `missed_of`: whether each line fell short, when the caller has scored it."""
    found: list[Finding] = []
    gaps = list(missed_of) if missed_of is not None else [missed(line, rules) for line in table.lines]

    def add(where: str, category: str, problem: str, filed: str = "", reference: str = "") -> None:
        found.append(Finding(table.code, table.name, where, category, problem, filed, reference))

    scored = [(n, line) for n, line in enumerate(table.lines) if line.applicable]
    if not table.department:
        _rows(table, rules, scored, gaps, add)
        _points_are_scores(table, rules, scored, gaps, add)
        _budget(table, add)
    used_counts, exact = _total(table, rules, scored, add)
    if table.grade and table.total is not None:
        tree_points = sum((line.points for _, line in scored if line.points is not None), ZERO)

        def grade_of(total: Decimal) -> str:
            return tree_grade(total, tree_points, rules) if table.department else rules.grade(total, used_counts)

        expected = grade_of(table.total)
        if expected != table.grade:
            add("评价等级", GRADE_MISMATCH, f"总分{_fmt(table.total)}分按等级标准应为“{expected}”，"
                                            f"表上评为“{table.grade}”。", table.grade, expected)
        elif exact is not None and exact != table.total and grade_of(exact) != table.grade:
            add("评价等级", GRADE_MISMATCH, f"总分{_fmt(table.total)}分是各行得分合计{_fmt(exact)}分进位后的数，"
                                            f"按合计应为“{grade_of(exact)}”，表上评为“{table.grade}”。",
                table.grade, grade_of(exact))
    if not table.department:
        both = [line for _, line in scored if line.points is not None and line.score is not None]
        points = sum((line.points for line in both), ZERO)
        score = sum((line.score for line in both), ZERO)
        b_points = table.budget_points if table.budget_points is not None else rules.budget_points
        warning = inflation(score, points, table.budget_score, b_points, rules)
        if warning:
            add("总分", INFLATED, warning.removeprefix("自评虚高："))
    return found


def _rows(table: CheckedTable, rules: SelfEvalRules, scored, gaps, add) -> None:
    for n, line in scored:
        where = f"指标“{table.names[n]}”"
        if is_quantitative(line.direction) and (line.actual or "").strip() and number_in(line.actual) is None:
            add(where, NO_NUMBER, f"{where}是定量指标，实际完成值“{line.actual.strip()}”没有数字，无法与年度指标值"
                                  f"“{line.target_value}”核对。", line.actual.strip(), line.target_value)
        if line.points is None or line.score is None:
            continue
        gap = gaps[n]
        if gap and line.score >= line.points:
            add(where, FULL_ON_MISS, f"{where}未完成年度指标值（指标值{line.target_value}，实际{line.actual}），"
                                     f"却得了满分{_fmt(line.points)}分。", _fmt(line.score),
                _fmt(reference_score(line, line.points, rules)))
        elif gap is False and line.score < line.points and not line.score_note.strip():
            ratio = achievement(line)
            done = "已达成" if ratio is None else f"已完成（实际{line.actual}，指标值{line.target_value}）"
            add(where, OFF_ON_MET, f"{where}{done}，却扣了{_fmt(line.points - line.score)}分，且没有评分说明。",
                _fmt(line.score), _fmt(reference_score(line, line.points, rules)))


def _points_are_scores(table: CheckedTable, rules: SelfEvalRules, scored, gaps, add) -> None:
    rows = [(n, line) for n, line in scored if line.points is not None and line.score is not None]
    if not rows or any(line.points != line.score for _, line in rows):
        return
    fell_short = [table.names[n] for n, _ in rows if gaps[n]]
    points = sum((line.points for _, line in rows), ZERO)
    if fell_short:
        why = f"但指标“{fell_short[0]}”等{len(fell_short)}项未完成年度指标值"
    elif points != _indicator_points(table, rules):
        why = f"而分值合计{_fmt(points)}分，不是指标应有的{_fmt(_indicator_points(table, rules))}分"
    else:
        return
    add("分值", POINTS_ARE_SCORES, f"每一行的分值都等于得分，{why}：分值列可能被得分覆盖，本表无法核对。",
        _fmt(points), _fmt(_indicator_points(table, rules)))


def _indicator_points(table: CheckedTable, rules: SelfEvalRules) -> Decimal:
    """The points the indicators should carry: the pack's, or — where the table prints its own
    budget points (20 in some provinces) — the full marks less those."""
    if table.budget_points is not None and table.budget_points != rules.budget_points:
        return rules.full_points(True) - table.budget_points
    return rules.indicator_points


def _budget(table: CheckedTable, add) -> None:
    subs = [v for v in (table.fiscal_annual_fen, table.other_annual_fen) if v]
    if table.annual_fen == 0 and subs:
        add("预算执行", ZERO_BUDGET, "预算执行的总额行全年预算数为0，而财政资金或其他资金行有金额。",
            "0", f"{Decimal(sum(subs)) / 1000000:.2f}")
    printed = (table.printed_rate or "").strip()
    if not printed or not table.annual_fen or table.executed_fen is None:
        return
    number = first_number(printed)
    if number is None:
        return
    places = _places(number)
    if "%" not in printed and "％" not in printed and number <= FRACTION_LINE:
        number, places = number.scaleb(2), places.scaleb(2)  # 0.985 written as a fraction: 98.5%, to 0.1
    computed = Decimal(table.executed_fen) * 100 / Decimal(table.annual_fen)
    if computed.quantize(places, rounding=ROUND_HALF_UP) != number.quantize(places):
        add("预算执行", RATE_MISMATCH, f"执行率填报为{printed}，按全年执行数÷全年预算数应为{cents(computed)}%。",
            printed, f"{cents(computed)}%")


def _total(table: CheckedTable, rules: SelfEvalRules, scored, add) -> tuple[bool, Optional[Decimal]]:
    """Judges the printed total; returns the convention it used (whether it counts the budget) and
    the exact sum it matched (None when it matched none)."""
    if table.total is None:
        return rules.counts_budget, None
    rows = sum((line.score for _, line in scored if line.score is not None), ZERO)
    if table.department:
        if not _same_as_printed(rows, table.total):
            add("总分", TOTAL_MISMATCH, f"总分填报为{_fmt(table.total)}分，各项得分合计为{_fmt(rows)}分。",
                _fmt(table.total), _fmt(rows))
            return True, None
        return True, rows
    with_budget = rows + table.budget_score if table.budget_score is not None else None
    ours, other = (with_budget, rows) if rules.counts_budget else (rows, with_budget)
    if ours is not None and _same_as_printed(ours, table.total):
        return rules.counts_budget, ours
    if other is not None and _same_as_printed(other, table.total):
        said = "未计入预算执行得分（只合计指标得分）" if rules.counts_budget else "计入了预算执行得分"
        add("总分", CONVENTION, f"本表总分{said}，与规则方案的口径不同；等级按本表口径判断。",
            _fmt(table.total), _fmt(ours))
        return not rules.counts_budget, other
    expected = ours if ours is not None else other
    add("总分", TOTAL_MISMATCH, f"总分填报为{_fmt(table.total)}分，各行得分合计为{_fmt(expected)}分"
                                f"{'（含预算执行得分）' if ours is with_budget and ours is not None else ''}。",
        _fmt(table.total), _fmt(expected))
    return rules.counts_budget, None


__all__ = ["CheckedTable", "check_table", "percent"]
