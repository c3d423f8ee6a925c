"""The consistency check over finished 自评表 — the program's own and past tables imported as
printed: each finding a sentence naming the row, with the category word a careful reader would use
(DESIGN.md §3 lists what real tables get wrong)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from app.domain.self_eval import Finding
from app.rules.self_eval import (ZERO, Line, SelfEvalRules, achievement, cents, inflation, is_quantitative,
                                 missed, percent, reference_score)
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


def check_table(table: CheckedTable, rules: SelfEvalRules) -> list[Finding]:
    found: list[Finding] = []

    def add(where: str, category: str, problem: str, filed: str = "", reference: str = "") -> None:
        found.append(Finding(table.code, table.name, where, category, problem, filed, reference))

    scored = [(n, line) for n, line in enumerate(table.lines) if line.applicable]
    if not table.department:
        _rows(table, rules, scored, add)
        _points_are_scores(table, rules, scored, add)
        _budget(table, add)
    used_counts = _total(table, rules, scored, add)
    if table.grade and table.total is not None:
        expected = rules.grade(table.total, counts_budget=used_counts) if not table.department else \
            rules.grade(table.total, counts_budget=True)
        if expected != table.grade:
            add("评价等级", GRADE_MISMATCH, f"总分{_fmt(table.total)}分按等级标准应为“{expected}”，"
                                            f"表上评为“{table.grade}”。", table.grade, expected)
    if not table.department:
        points = sum((line.points for _, line in scored if line.points is not None), ZERO)
        score = sum((line.score for _, line in scored if line.score is not None), ZERO)
        b_points = table.budget_points if table.budget_points is not None else rules.budget_points
        warning = inflation(score, points, table.budget_score, b_points, rules)
        if warning:
            add("总分", INFLATED, warning.removeprefix("自评虚高："))
    return found


def _rows(table: CheckedTable, rules: SelfEvalRules, scored, add) -> None:
    for n, line in scored:
        where = f"指标“{table.names[n]}”"
        if is_quantitative(line.direction) and (line.actual or "").strip() and first_number(line.actual) is None:
            add(where, NO_NUMBER, f"{where}是定量指标，实际完成值“{line.actual.strip()}”没有数字，无法与年度指标值"
                                  f"“{line.target_value}”核对。", line.actual.strip(), line.target_value)
        if line.points is None or line.score is None:
            continue
        gap = missed(line, rules)
        reference = reference_score(line, line.points, rules)
        if gap and line.score >= line.points:
            add(where, FULL_ON_MISS, f"{where}未完成年度指标值（指标值{line.target_value}，实际{line.actual}），"
                                     f"却得了满分{_fmt(line.points)}分。", _fmt(line.score), _fmt(reference))
        elif gap is False and line.score < line.points and not line.score_note.strip():
            ratio = achievement(line)
            done = "已达成" if ratio is None else f"已完成（实际{line.actual}，指标值{line.target_value}）"
            add(where, OFF_ON_MET, f"{where}{done}，却扣了{_fmt(line.points - line.score)}分，且没有评分说明。",
                _fmt(line.score), _fmt(reference))


def _points_are_scores(table: CheckedTable, rules: SelfEvalRules, scored, add) -> None:
    rows = [(n, line) for n, line in scored if line.points is not None and line.score is not None]
    if not rows or any(line.points != line.score for _, line in rows):
        return
    fell_short = [table.names[n] for n, line in rows if missed(line, rules)]
    points = sum((line.points for _, line in rows), ZERO)
    if fell_short:
        why = f"但指标“{fell_short[0]}”等{len(fell_short)}项未完成年度指标值"
    elif points != rules.indicator_points:
        why = f"而分值合计{_fmt(points)}分，不是规则方案的指标分值{_fmt(rules.indicator_points)}分"
    else:
        return
    add("分值", POINTS_ARE_SCORES, f"每一行的分值都等于得分，{why}：分值列可能被得分覆盖，本表无法核对。",
        _fmt(points), _fmt(rules.indicator_points))


def _budget(table: CheckedTable, add) -> None:
    subs = [v for v in (table.fiscal_annual_fen, table.other_annual_fen) if v]
    if not table.annual_fen and subs:
        add("预算执行", ZERO_BUDGET, "预算执行的总额行全年预算数为0，而财政资金或其他资金行有金额。",
            "0", f"{Decimal(sum(subs)) / 1000000:.2f}")
    printed = (table.printed_rate or "").strip()
    if not printed or not table.annual_fen or table.executed_fen is None:
        return
    number = first_number(printed)
    if number is None:
        return
    if "%" not in printed and number <= Decimal("1.5"):
        number = number * 100  # 0.985 written as a fraction
    computed = Decimal(table.executed_fen) * 100 / Decimal(table.annual_fen)
    if not _same_as_printed(computed, number):
        add("预算执行", RATE_MISMATCH, f"执行率填报为{printed}，按全年执行数÷全年预算数应为{cents(computed)}%。",
            printed, f"{cents(computed)}%")


def _total(table: CheckedTable, rules: SelfEvalRules, scored, add) -> bool:
    """Judges the printed total; returns the convention it used (whether it counts the budget)."""
    if table.total is None:
        return rules.counts_budget
    rows = sum((line.score for _, line in scored if line.score is not None), ZERO)
    if table.department:
        if not _same_as_printed(rows, table.total):
            add("总分", TOTAL_MISMATCH, f"总分填报为{_fmt(table.total)}分，各项得分合计为{_fmt(rows)}分。",
                _fmt(table.total), _fmt(rows))
        return True
    with_budget = rows + table.budget_score if table.budget_score is not None else None
    ours, other = (with_budget, rows) if rules.counts_budget else (rows, with_budget)
    if ours is not None and _same_as_printed(ours, table.total):
        return rules.counts_budget
    if other is not None and _same_as_printed(other, table.total):
        said = "未计入预算执行得分（只合计指标得分）" if rules.counts_budget else "计入了预算执行得分"
        add("总分", CONVENTION, f"本表总分{said}，与规则方案的口径不同；等级按本表口径判断。",
            _fmt(table.total), _fmt(ours))
        return not rules.counts_budget
    expected = ours if ours is not None else other
    add("总分", TOTAL_MISMATCH, f"总分填报为{_fmt(table.total)}分，各行得分合计为{_fmt(expected)}分"
                                f"{'（含预算执行得分）' if ours is with_budget and ours is not None else ''}。",
        _fmt(table.total), _fmt(expected))
    return rules.counts_budget


__all__ = ["CheckedTable", "check_table", "percent"]
