"""What every 事前绩效评估 service module shares (and imports from here, never from each other): the
workflow declaration, the rules, a stored assessment as the form's draft, and the columns a scored
draft writes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Optional

from app.domain.exante import ExAnteDraft, ExAnteLine
from app.money import wan_text
from app.rules.exante import ExAnteRules, ExAnteScore, decimal_of, suggest_conclusion
from app.rules.scoring_tree import band, fmt
from app.services.pack_versions import pack_at
from app.services.workflow import FINALIZE, PASS, REOPEN_FINALIZED, RETURN, SUBMIT, Workflow
from app.services.workspace import Workspace
from db.models import ExAnteAssessment

WORKFLOW = Workflow(ExAnteAssessment, "事前绩效评估", "这份事前评估", (SUBMIT, PASS, RETURN, FINALIZE, REOPEN_FINALIZED))
STAGE = "exante"  # the change-notification key


def rules_of(pack: Any) -> ExAnteRules:
    return ExAnteRules.from_pack(pack)


def editing(draft: ExAnteDraft) -> bool:
    """Whether the draft is being worked on (not saved yet, or editable by who opened it): its next
    save scores it afresh under the active pack."""
    may = draft.editable if draft.editable is not None else WORKFLOW.can_edit(draft.status)
    return not draft.saved or may


def rules_for(ws: Workspace, draft: ExAnteDraft, active: Optional[ExAnteRules] = None) -> ExAnteRules:
    """The rules a draft is scored by on screen and in its report: the active pack's (`active`, when
    already read) while it is being edited, else those of the version its stored score was computed
    with (pack_at: the active one when that version is not known)."""
    active = active or rules_of(ws.rule_pack())
    if editing(draft) or draft.printed or draft.pack_version in (None, active.version):
        return active
    return rules_of(pack_at(ws, draft.pack_version))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def money_text(fen_value: Optional[int]) -> str:
    return "" if fen_value is None else wan_text(fen_value)


def _typed(score: Optional[Decimal], grade: Optional[str], points: Optional[Decimal], rules: ExAnteRules) -> str:
    """A stored score as the form shows it: "" when it is just the rating's share (it follows the rating)."""
    if score is None:
        return ""
    share = rules.ratings.get(grade or "")
    if share is not None and points is not None and (points * share).quantize(Decimal("0.01")) == score:
        return ""
    return fmt(score)


def as_draft(ev: Any, items: Iterable[Any], rules: ExAnteRules, *, code: str = "", department: str = "") -> ExAnteDraft:
    """The stored assessment (ORM object) with its items as the form's draft. Each dimension is a
    parent row, its sub-items the rows under it; an assessment without items is a past one taken
    as printed (its 得分 and 等级 kept)."""
    items = sorted(items, key=lambda i: (i.seq, i.id or 0))
    parents = {i.id: i.name for i in items if i.parent_id is None}
    lines = []
    for item in items:
        if item.parent_id is None:
            continue
        lines.append(ExAnteLine(
            dimension=parents.get(item.parent_id, ""), name=item.name, points=fmt(item.points),
            standard=_text(item.standard), self_grade=_text(item.self_grade),
            self_score=_typed(item.self_score, item.self_grade, item.points, rules), grade=_text(item.grade),
            score=_typed(item.score, item.grade, item.points, rules), note=_text(item.deduction), id=item.id))
    printed = not lines
    return ExAnteDraft(
        assessment_id=ev.id, year=ev.year, status=ev.status, version=ev.version, project_id=ev.project_id,
        object_name=ev.object_name or "", code=code, department=department, requested=money_text(ev.requested_fen),
        recommended=money_text(ev.recommended_fen), method=_text(ev.method), evaluator_kind=ev.evaluator_kind or "财政",
        agency_id=ev.agency_id, evaluator_name=_text(ev.evaluator_name), conclusion=_text(ev.conclusion), lines=lines,
        report_basic=_text(ev.report_basic), report_work=_text(ev.report_work),
        report_conclusion=_text(ev.report_conclusion), report_suggestions=_text(ev.report_suggestions),
        expert_opinion=_text(ev.expert_opinion), review_opinion=_text(ev.review_opinion), note=_text(ev.note),
        printed=printed, printed_total=ev.total_score if printed else None,
        printed_grade=_text(ev.grade) if printed else "", pack_version=ev.rule_pack_version, uuid=ev.uuid)


def head_values(draft: ExAnteDraft, scored: ExAnteScore, rules: ExAnteRules) -> dict[str, Any]:
    """The assessment's columns from the draft and its score (totals, grades and 调减 derived)."""
    return {
        "object_name": draft.object_name.strip(), "project_id": draft.project_id,
        "requested_fen": scored.requested_fen, "recommended_fen": scored.recommended_fen, "cut_fen": scored.cut_fen,
        "method": draft.method or None, "conclusion": draft.conclusion or None,
        "evaluator_kind": draft.evaluator_kind or "财政", "agency_id": draft.agency_id,
        "evaluator_name": draft.evaluator_name.strip() or None, "report_basic": draft.report_basic or None,
        "report_work": draft.report_work or None, "report_conclusion": draft.report_conclusion or None,
        "report_suggestions": draft.report_suggestions or None, "expert_opinion": draft.expert_opinion or None,
        "note": draft.note or None, "total_score": scored.total, "grade": scored.grade or None,
        "self_score": None if draft.printed else scored.self_total,
        "self_grade": None if draft.printed else (scored.self_grade or None),
        "self_conclusion": None if draft.printed else (suggest_conclusion(scored.self_total, rules) or None),
        "rule_pack_version": None if draft.printed else rules.version,  # the version it was just scored with
    }


def item_rows(draft: ExAnteDraft, scored: ExAnteScore, rules: ExAnteRules) -> list[dict[str, Any]]:
    """The item rows to store: one parent row per dimension (its 分值, 得分 and 等级 derived), its
    sub-items under it (seq in order) in its "children"."""
    out = []
    seq = 0
    for dim_own, dim in zip(scored.own.dimensions, scored.review.dimensions):
        seq += 1
        parent = {"seq": seq, "name": dim.name, "points": dim.points, "score": dim.score, "grade": dim.grade or None,
                  "self_score": dim_own.score, "self_grade": dim_own.grade or None, "children": []}
        for n in dim.leaves:
            line = draft.lines[n]
            seq += 1
            points = decimal_of(line.points)
            parent["children"].append({
                "seq": seq, "name": line.name, "points": points, "standard": line.standard or None,
                "score": scored.points[n], "self_score": scored.self_points[n],
                "grade": line.grade or (band(scored.points[n], points, rules.bands) if scored.points[n] is not None
                                        and points else None) or None,
                "self_grade": line.self_grade or (band(scored.self_points[n], points, rules.bands)
                                                  if scored.self_points[n] is not None and points else None) or None,
                "deduction": line.note or None})
        out.append(parent)
    return out
