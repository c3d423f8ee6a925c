"""A 自评表 draft (text as typed) read by the scoring rules: the form scores it on every keystroke,
the service on every save, with the same function — so the 参考得分 the clerk watches is the one
stored. Also the cell problems of the draft's own text (a 得分 that is not a number)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Optional

from app.domain.self_eval import SelfEvalDraft
from app.rules import fields as F
from app.rules.self_eval import Line, Need, SelfEvalRules, TableScore, decimal_of, score_table
from app.rules.self_eval_check import CheckedTable
from app.rules.validation import Report

_money = F.money_wan(required=False)


def fen(text: str) -> Optional[int]:
    """万元 text in fen; None when empty or not an amount (validate() names those)."""
    try:
        return _money(text)
    except F.FieldInvalid:
        return None


def lines_of(draft: SelfEvalDraft) -> list[Line]:
    return [Line(level1=i.level1, direction=i.direction, target_value=i.target_value, actual=i.actual,
                 rating=i.rating, applicable=i.applicable, weight=i.weight, points=decimal_of(i.points),
                 score=decimal_of(i.score), score_note=i.score_note, deviation=i.deviation, rule=i.rule, unit=i.unit)
            for i in draft.indicators]


MOST = Decimal(1000)  # no 分值 or 得分 of a 自评表 comes near this


def number_problem(text: str) -> Optional[str]:
    """Why a typed 分值 / 得分 is not one (None: it is, or it is blank)."""
    if not (text or "").strip():
        return None
    value = decimal_of(text)
    if value is None or value < 0 or value > MOST:
        return "应为0到1000之间的数字，如 9.5"
    if value != value.quantize(Decimal("0.01")):
        return "最多保留两位小数，如 9.55"
    return None


def score_draft(draft: SelfEvalDraft, rules: SelfEvalRules) -> TableScore:
    """A table being filled is scored by the pack as it stands (its budget points too); a settled
    one keeps its 分值 and 得分 as stored."""
    total = draft.budget[0] if draft.budget else None
    scored = score_table(
        lines_of(draft), [i.level3 for i in draft.indicators], rules,
        annual_fen=fen(total.annual) if total else None, executed_fen=fen(total.executed) if total else None,
        initial_fen=fen(total.initial) if total else None,
        budget_points=decimal_of(draft.budget_points) if draft.settled else None,
        budget_score=decimal_of(draft.budget_score), budget_cause=draft.budget_cause,
        allot=not draft.settled, department=draft.is_department, follow=not draft.settled)
    if draft.is_department and not draft.settled:
        parts = [fen(line.annual) for line in draft.budget[1:3]]
        whole = fen(total.annual) if total else None
        if whole is not None and all(p is not None for p in parts) and sum(parts) != whole:
            scored = replace(scored, needs=(*scored.needs, Need(None, "budget", "预算执行的合计应等于基本支出与项目支出之和，"
                                                                              "请核对全年预算数。")))
    return scored


def validate(draft: SelfEvalDraft) -> Report:
    """What the typed text gets wrong on its own. Keys: "budget<row>:<column>", "budget_score",
    "<row>:score" / "<row>:points" for indicator rows, staff_quota / staff_actual."""
    report = Report()
    for n, line in enumerate(draft.budget):
        for column in ("initial", "annual", "executed"):
            try:
                _money(getattr(line, column))
            except F.FieldInvalid as exc:
                report.add(f"budget{n}:{column}", exc.expected)
    for key, text in (("budget_score", draft.budget_score), ("budget_points", draft.budget_points)):
        problem = number_problem(text)
        if problem:
            report.add(key, problem)
    for n, ind in enumerate(draft.indicators):
        for column in ("score", "points"):
            problem = number_problem(getattr(ind, column))
            if problem:
                report.add(f"{n}:{column}", problem)
    for key in ("staff_quota", "staff_actual"):
        try:
            F.whole_number(getattr(draft, key), "应为人数，如 25", most_digits=6)
        except F.FieldInvalid as exc:
            report.add(key, str(exc))
    return report


def checked_table(draft: SelfEvalDraft, rules: SelfEvalRules, score: Optional[TableScore] = None) -> CheckedTable:
    """The draft as the consistency check reads it: an own table with its derived 分值, 得分 and
    total; an imported one with what was printed."""
    score = score or score_draft(draft, rules)
    lines = [replace(line, points=s.points, score=s.score) for line, s in zip(lines_of(draft), score.lines)]
    budget = draft.budget
    total_line = budget[0] if budget else None
    printed_total: Optional[Decimal] = draft.printed_total if draft.settled else score.total
    return CheckedTable(
        code=draft.code, name=draft.name, lines=tuple(lines), names=tuple(i.level3 for i in draft.indicators),
        annual_fen=fen(total_line.annual) if total_line else None,
        executed_fen=fen(total_line.executed) if total_line else None,
        fiscal_annual_fen=fen(budget[1].annual) if len(budget) > 1 else None,
        other_annual_fen=fen(budget[2].annual) if len(budget) > 2 else None,
        printed_rate=draft.printed_rate if draft.as_printed else "",
        budget_points=score.budget_points if not draft.is_department else None,
        budget_score=score.budget_score,
        total=printed_total, grade=(draft.printed_grade if draft.settled else score.grade),
        department=draft.is_department)
