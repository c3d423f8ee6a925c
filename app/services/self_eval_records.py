"""What every 绩效自评 service module shares (and imports from here, never from each other): the
workflow declaration, a stored table as the form's draft (from ORM objects or Core rows alike), a
new table's draft from the approved target or the pack's scoring tree, and writing a scored draft
back onto its row."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterable, Optional

from sqlalchemy import select

from app.domain.self_eval import (
    BUDGET_ROWS, DEPARTMENT, DEPARTMENT_BUDGET_ROWS, PROJECT, BudgetLine, IndicatorLine, SelfEvalDraft,
)
from app.money import wan_text
from app.rules.fields import FieldInvalid, whole_number
from app.rules.pack import RulePackData
from app.rules.self_eval import SelfEvalRules, TableScore, budget_reference, decimal_of, execution_rate
from app.rules.self_eval_draft import fen
from app.services.workflow import DRAFT, PASS, REOPEN_PASSED, RETURN, SUBMIT, Workflow
from db.models import (
    MonitoringRecord, MonitoringRound, PerformanceTarget, SelfEvalIndicator, SelfEvaluation, TargetIndicator,
)

WORKFLOW = Workflow(SelfEvaluation, "绩效自评表", "这份自评表", (SUBMIT, PASS, RETURN, REOPEN_PASSED))
STAGE = "self_eval"  # the change-notification key
FROM_TARGET = "已批复"  # the target state a 自评表 copies its indicators from


def rules_of(pack: RulePackData) -> SelfEvalRules:
    return SelfEvalRules.from_pack(pack)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _money(fen_value: Optional[int]) -> str:
    return "" if fen_value is None else wan_text(fen_value)


def _number(value: Optional[Decimal]) -> str:
    return "" if value is None else f"{value.normalize():f}" if value == value.to_integral() else f"{value:f}"


# -- a stored table as the form's draft ------------------------------------------------------------------
def budget_lines(ev: Any) -> list[BudgetLine]:
    if ev.object_type == DEPARTMENT:
        return [BudgetLine(DEPARTMENT_BUDGET_ROWS[0], _money(ev.initial_fen), _money(ev.annual_fen), _money(ev.executed_fen)),
                BudgetLine(DEPARTMENT_BUDGET_ROWS[1], "", _money(ev.basic_annual_fen), _money(ev.basic_executed_fen)),
                BudgetLine(DEPARTMENT_BUDGET_ROWS[2], "", _money(ev.project_annual_fen), _money(ev.project_executed_fen))]
    return [BudgetLine(BUDGET_ROWS[0], _money(ev.initial_fen), _money(ev.annual_fen), _money(ev.executed_fen)),
            BudgetLine(BUDGET_ROWS[1], _money(ev.fiscal_initial_fen), _money(ev.fiscal_annual_fen),
                       _money(ev.fiscal_executed_fen)),
            BudgetLine(BUDGET_ROWS[2], _money(ev.other_initial_fen), _money(ev.other_annual_fen),
                       _money(ev.other_executed_fen))]


def indicator_line(row: Any, settled: bool) -> IndicatorLine:
    """A stored row as the form edits it: on a table being filled, a 得分 equal to its 参考得分 is
    shown as following it; a settled table's 分值 and 得分 are shown as kept."""
    follows = not settled and row.score is not None and row.score == row.reference_score
    return IndicatorLine(
        level1=row.level1, level2=row.level2, level3=row.level3, direction=row.direction or "",
        target_value=_text(row.target_value) if row.direction else "", unit=_text(row.unit),
        actual=_text(row.actual_value), rating=_text(row.qualitative_rating), applicable=bool(row.applicable),
        weight=row.weight, points=_number(row.points), score="" if follows or row.score is None else _number(row.score),
        score_note=_text(row.score_note), deviation=_text(row.deviation_reason), standard=_text(row.standard),
        rule=_text(row.target_value) if not row.direction else "",  # a tree item keeps its rule there
        target_indicator_id=row.target_indicator_id, id=row.id)


def as_draft(ev: Any, rows: Iterable[Any], rules: SelfEvalRules, *, code: str, name: str, department: str,
             unit: str = "", target_version: Optional[int] = None) -> SelfEvalDraft:
    """The stored table (ORM object or Core row, with its indicator rows) as the form's draft.
    `target_version`: the approved target's version now (None: it has none)."""
    printed = bool(ev.as_printed)
    settled = printed or not WORKFLOW.can_edit(ev.status)
    budget_follows = (not settled and ev.budget_score is not None and ev.budget_points is not None
                      and ev.budget_score == budget_reference(execution_rate(ev.annual_fen, ev.executed_fen),
                                                              ev.budget_points, rules))
    return SelfEvalDraft(
        eval_id=ev.id, kind=ev.object_type, year=ev.year, status=ev.status, version=ev.version,
        project_id=ev.project_id, department_id=ev.department_id, code=code, name=name, department=department,
        unit=unit, budget=budget_lines(ev), budget_points=_number(ev.budget_points),
        budget_score="" if budget_follows or ev.budget_score is None else _number(ev.budget_score),
        budget_cause=_text(ev.budget_cause),
        indicators=[indicator_line(r, settled) for r in sorted(rows, key=lambda r: (r.seq, r.id))],
        goal_actual=_text(ev.goal_actual), process_summary=_text(ev.process_summary), conclusion=_text(ev.conclusion),
        problems=_text(ev.problems), improvements=_text(ev.improvements), project_leader=_text(ev.project_leader),
        finance_leader=_text(ev.finance_leader), review_opinion=_text(ev.review_opinion), as_printed=printed,
        settled=settled, printed_total=ev.total_score if settled else None,
        printed_grade=_text(ev.grade) if settled else "", printed_rate=_text(ev.printed_rate),
        pack_version=ev.rule_pack_version, target_version=ev.target_version,
        target_changed=(target_version is not None and ev.target_version is not None
                        and target_version != ev.target_version and not settled),
        preset=_text(ev.preset), staff_quota=_text(ev.staff_quota), staff_actual=_text(ev.staff_actual),
        functions=_text(ev.functions), uuid=ev.uuid)


def carry_values(lines: list[IndicatorLine], typed: Iterable[IndicatorLine]) -> list[IndicatorLine]:
    """The target's current rows with what was typed against a row of the same 三级指标 kept."""
    held = {i.level3.strip(): i for i in typed}
    out = []
    for line in lines:
        was = held.get(line.level3.strip())
        out.append(line if was is None else replace(
            line, actual=was.actual, rating=was.rating, applicable=was.applicable, score=was.score,
            score_note=was.score_note, deviation=was.deviation, id=was.id))
    return out


# -- a new table ------------------------------------------------------------------------------------------
def target_lines(indicators: Iterable[Any]) -> list[IndicatorLine]:
    """The approved target's rows as a 自评表's indicator rows (actuals still empty)."""
    return [IndicatorLine(level1=i.level1, level2=i.level2, level3=i.level3, direction=i.direction,
                          target_value=_text(i.value_text), unit=_text(i.unit), weight=i.points,
                          target_indicator_id=i.id)
            for i in sorted(indicators, key=lambda i: (i.seq, i.id))]


def tree_lines(pack: RulePackData, preset: str) -> list[IndicatorLine]:
    """A 部门整体 table's scoring tree from the pack's preset."""
    tree = pack.section("department_self_evaluation")["presets"][preset]
    return [IndicatorLine(level1=node["level1"], level2=item["level2"], level3=item["level3"], direction="",
                          points=item["points"], standard=item.get("standard", ""), rule=item.get("rule", ""))
            for node in tree for item in node["items"]]


def department_presets(pack: RulePackData) -> tuple[str, list[str]]:
    """(the default preset, every preset's name) of the 部门整体 scoring trees."""
    section = pack.section("department_self_evaluation")
    return section["default_preset"], list(section["presets"])


def last_round_executed(s, project_ids: list[int], year: int) -> dict[int, int]:
    """Each project's 全年执行数 as the year's last monitoring round has it: 截至执行数 of a
    December round, else its 全年预计执行数 (else 截至执行数)."""
    r, m = MonitoringRound.__table__, MonitoringRecord.__table__
    found: dict[int, int] = {}
    rows = s.execute(select(m.c.project_id, r.c.cutoff_month, m.c.executed_fen, m.c.projected_fen)
                     .join(r, r.c.id == m.c.round_id)
                     .where(r.c.year == year, m.c.project_id.in_(project_ids or [0]))
                     .order_by(r.c.cutoff_month)).all()
    for pid, month, executed, projected in rows:  # later rounds overwrite earlier ones
        value = executed if month == 12 else (projected if projected is not None else executed)
        if value is not None:
            found[pid] = value
    return found


def new_project_budget(project: Any, executed: Optional[int]) -> list[BudgetLine]:
    same = project.initial_budget_fen == project.annual_budget_fen
    only_fiscal = not project.other_fen
    return [BudgetLine(BUDGET_ROWS[0], _money(project.initial_budget_fen), _money(project.annual_budget_fen),
                       _money(executed)),
            BudgetLine(BUDGET_ROWS[1], _money(project.fiscal_fen) if same else "", _money(project.fiscal_fen),
                       _money(executed) if only_fiscal else ""),
            BudgetLine(BUDGET_ROWS[2], _money(project.other_fen) if same else "", _money(project.other_fen),
                       _money(0) if only_fiscal and executed is not None else "")]


@dataclass(frozen=True)
class ApprovedTarget:
    """What a 自评表 takes from its approved target: the id, the version its rows follow, the rows."""

    id: int
    version: int
    indicators: tuple


def approved_targets(s, project_ids: list[int], year: int) -> dict[int, ApprovedTarget]:
    """The approved target of each project (Core reads: an import may ask for 5,000 at once)."""
    t, i = PerformanceTarget.__table__, TargetIndicator.__table__
    found = s.execute(select(t.c.project_id, t.c.id, t.c.version).where(
        t.c.year == year, t.c.status == FROM_TARGET, t.c.project_id.in_(project_ids or [0]))).all()
    rows: dict[int, list] = {tid: [] for _, tid, _ in found}
    for row in s.execute(select(i.c.id, i.c.target_id, i.c.seq, i.c.level1, i.c.level2, i.c.level3, i.c.direction,
                                i.c.value_text, i.c.unit, i.c.points).where(i.c.target_id.in_(list(rows) or [0]))):
        rows[row.target_id].append(row)
    return {pid: ApprovedTarget(tid, version, tuple(rows[tid])) for pid, tid, version in found}


# -- writing a scored draft onto its row -------------------------------------------------------------------
def head_values(draft: SelfEvalDraft, score: TableScore) -> dict[str, Any]:
    """The table's columns from the draft and its score (derived totals; printed ones kept)."""
    b = draft.budget + [BudgetLine("")] * (3 - len(draft.budget))
    values: dict[str, Any] = {
        "initial_fen": fen(b[0].initial), "annual_fen": fen(b[0].annual), "executed_fen": fen(b[0].executed),
        "budget_cause": draft.budget_cause or None, "goal_actual": draft.goal_actual or None,
        "process_summary": draft.process_summary or None, "conclusion": draft.conclusion or None,
        "problems": draft.problems or None, "improvements": draft.improvements or None,
        "project_leader": draft.project_leader or None, "finance_leader": draft.finance_leader or None,
        "rule_pack_version": score.pack_version, "reference_total": score.reference_total,
        "printed_rate": draft.printed_rate or None, "preset": draft.preset or None,
        "staff_quota": _staff(draft.staff_quota), "staff_actual": _staff(draft.staff_actual),
        "functions": draft.functions or None,
    }
    if draft.is_department:
        values.update(basic_annual_fen=fen(b[1].annual), basic_executed_fen=fen(b[1].executed),
                      project_annual_fen=fen(b[2].annual), project_executed_fen=fen(b[2].executed),
                      budget_points=None, budget_score=None)
    else:
        values.update(fiscal_initial_fen=fen(b[1].initial), fiscal_annual_fen=fen(b[1].annual),
                      fiscal_executed_fen=fen(b[1].executed), other_initial_fen=fen(b[2].initial),
                      other_annual_fen=fen(b[2].annual), other_executed_fen=fen(b[2].executed),
                      budget_points=score.budget_points, budget_score=score.budget_score)
    if draft.as_printed:  # what was printed, and nothing that was not
        values.update(total_score=draft.printed_total, grade=draft.printed_grade or None,
                      budget_score=None if draft.is_department else decimal_of(draft.budget_score),
                      budget_points=None if draft.is_department else decimal_of(draft.budget_points))
    else:
        values.update(total_score=score.total, grade=score.grade)
    return values


def _staff(text: str) -> Optional[int]:
    """编制数 / 实有人数 as stored: a whole number (full-width digits read as such), else none (the
    form's check names a wrong one before a save gets here)."""
    try:
        return whole_number(text, "应为人数，如 25", most_digits=6)
    except FieldInvalid:
        return None


def indicator_values(draft: SelfEvalDraft, score: TableScore) -> list[dict[str, Any]]:
    """The indicator rows' columns, in order (seq from 1)."""
    rows = []
    for seq, (line, scored) in enumerate(zip(draft.indicators, score.lines), 1):
        rows.append({
            "seq": seq, "level1": line.level1, "level2": line.level2, "level3": line.level3,
            "direction": line.direction, "target_value": (line.rule or line.target_value) or None,
            "unit": line.unit or None, "actual_value": line.actual or None,
            "qualitative_rating": line.rating or None, "applicable": line.applicable, "weight": line.weight,
            "points": scored.points, "reference_score": scored.reference,
            "score": decimal_of(line.score) if draft.as_printed else scored.score,
            "score_note": line.score_note or None, "deviation_reason": line.deviation or None,
            "standard": line.standard or None, "target_indicator_id": line.target_indicator_id})
    return rows


def new_row(draft: SelfEvalDraft, region: str, target: Optional[ApprovedTarget]) -> SelfEvaluation:
    """A new table's row; its rows follow the target's version the draft was opened on."""
    return SelfEvaluation(year=draft.year, object_type=draft.kind or PROJECT, project_id=draft.project_id,
                          department_id=draft.department_id, status=DRAFT, region_code=region,
                          as_printed=draft.as_printed, target_id=target.id if target is not None else None,
                          target_version=draft.target_version if target is not None else None)


def replace_indicators(s, ev: SelfEvaluation, rows: list[dict[str, Any]]) -> None:
    """The table's indicator rows become `rows` (ids kept for rows still there, by position). A
    line copied from a target indicator that was replaced since the form was opened (the target
    changed meanwhile) keeps its text but no longer points at it."""
    linked = {v["target_indicator_id"] for v in rows if v.get("target_indicator_id") is not None}
    if linked:
        alive = set(s.scalars(select(TargetIndicator.id).where(TargetIndicator.id.in_(linked))))
        rows = [v if v.get("target_indicator_id") in alive | {None} else {**v, "target_indicator_id": None}
                for v in rows]
    held = sorted(ev.indicators, key=lambda r: (r.seq, r.id))
    for n, values in enumerate(rows):
        if n < len(held):
            for key, value in values.items():
                setattr(held[n], key, value)
        else:
            ev.indicators.append(SelfEvalIndicator(region_code=ev.region_code, **values))
    for extra in held[len(rows):]:
        ev.indicators.remove(extra)


__all__ = ["WORKFLOW", "STAGE", "DRAFT", "PASS", "RETURN", "SUBMIT", "REOPEN_PASSED", "SelfEvalIndicator"]
