"""A 自评表 draft (text as typed) read by the scoring rules: the form scores it on every keystroke,
the service on every save, with the same function — so the 参考得分 the clerk watches is the one
stored. Also the cell problems of the draft's own text (a 得分 that is not a number)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Optional

from app.domain.self_eval import SelfEvalDraft
from app.rules import fields as F
from app.rules.self_eval import Line, SelfEvalRules, TableScore, decimal_of, score_table
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
                 score=decimal_of(i.score), score_note=i.score_note, deviation=i.deviation, rule=i.rule)
            for i in draft.indicators]


def score_draft(draft: SelfEvalDraft, rules: SelfEvalRules) -> TableScore:
    total = draft.budget[0] if draft.budget else None
    return score_table(
        lines_of(draft), [i.level3 for i in draft.indicators], rules,
        annual_fen=fen(total.annual) if total else None, executed_fen=fen(total.executed) if total else None,
        initial_fen=fen(total.initial) if total else None,
        budget_points=decimal_of(draft.budget_points), budget_score=decimal_of(draft.budget_score),
        budget_cause=draft.budget_cause, allot=not draft.as_printed, department=draft.is_department)


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
        if text.strip() and (decimal_of(text) is None or decimal_of(text) < 0):
            report.add(key, "应为不小于0的数字，如 9.5")
    for n, ind in enumerate(draft.indicators):
        for column in ("score", "points"):
            text = getattr(ind, column)
            if text.strip() and (decimal_of(text) is None or decimal_of(text) < 0):
                report.add(f"{n}:{column}", "应为不小于0的数字，如 9.5")
    for key in ("staff_quota", "staff_actual"):
        text = getattr(draft, key).strip()
        if text and not text.isdigit():
            report.add(key, "应为人数，如 25")
    return report


def checked_table(draft: SelfEvalDraft, rules: SelfEvalRules, score: Optional[TableScore] = None) -> CheckedTable:
    """The draft as the consistency check reads it: an own table with its derived 分值, 得分 and
    total; an imported one with what was printed."""
    score = score or score_draft(draft, rules)
    lines = lines_of(draft)
    if not draft.as_printed:
        lines = [replace(line, points=s.points, score=s.score) for line, s in zip(lines, score.lines)]
    budget = draft.budget
    total_line = budget[0] if budget else None
    printed_total: Optional[Decimal] = draft.printed_total if draft.as_printed else score.total
    return CheckedTable(
        code=draft.code, name=draft.name, lines=tuple(lines), names=tuple(i.level3 for i in draft.indicators),
        annual_fen=fen(total_line.annual) if total_line else None,
        executed_fen=fen(total_line.executed) if total_line else None,
        fiscal_annual_fen=fen(budget[1].annual) if len(budget) > 1 else None,
        other_annual_fen=fen(budget[2].annual) if len(budget) > 2 else None,
        printed_rate=draft.printed_rate if draft.as_printed else "",
        budget_points=score.budget_points if not draft.is_department else None,
        budget_score=(decimal_of(draft.budget_score) if draft.as_printed else score.budget_score),
        total=printed_total, grade=(draft.printed_grade if draft.as_printed else score.grade),
        department=draft.is_department)
