"""绩效目标 (issue 4, service layer): a target per project-year (or department-year), its indicator
grid, the automatic check on every save, and the workflow (app.services.workflow) 草稿 → 已提交 →
审核通过 / 退回修改 → 已批复.

Approved targets are read-only; changing one needs a recorded 退回 with a reason, which keeps the
approved version as a snapshot. Every change is audited with its actor and noted ("targets").

This module is the stage's service as its callers see it: the workflow writes live here, and the
rest is re-exported from the modules that hold it (one way: none of them imports this one) —
plain data from app.domain.targets, the shared pieces from target_records, 部门整体 targets from
department_targets, the import from target_import, the reports and the 申报表 from target_reports."""

from __future__ import annotations

import json
from dataclasses import asdict, replace
from datetime import date
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select

from app.domain.targets import (  # noqa: F401 - re-exported: the stage's data as callers know it
    DEPARTMENT, DIRECTIONS, LEVEL1, NOT_STARTED, PROJECT, IndicatorDraft, TargetDraft, TargetRow, TaskDraft,
    canonical_direction, canonical_rows, check_input, first_number_of, points_of, rows_from_text, task_budget_fen,
    validate_grid,
)
from app.rules.validation import RejectedError
from app.services import audit, guard, workflow
from app.services.actor import Actor
from app.services.department_targets import list_department_targets, open_department_target  # noqa: F401
from app.services.target_import import import_file  # noqa: F401
from app.services.target_records import (  # noqa: F401
    REOPEN, TARGETS, as_draft, check, check_version, create_target, list_targets, noted, refresh_money,
)
from app.services.target_reports import (  # noqa: F401
    department_list, export_form, export_review, export_summary, form_view, review_lines, review_words, summary_lines,
    year_drafts,
)
from app.services.workflow import (  # noqa: F401 - the kernel's words
    APPROVE, APPROVED, DRAFT, EDITABLE, PASS, PASSED, RETURN, RETURNED, SUBMIT, SUBMITTED,
)
from app.services.workspace import Workspace
from db.models import PerformanceTarget, Project, TargetIndicator, TargetReview, TargetSnapshot, TargetTask


# -- reading ---------------------------------------------------------------------------------------
def open_target(ws: Workspace, project_id: int) -> TargetDraft:
    """The project's target for its year; the first time, an unsaved 草稿 with the project's money
    (no row: opening creates nothing, the first save does)."""
    with ws.session() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise RejectedError("这个项目已被删除。")
        target = s.scalars(select(PerformanceTarget).where(PerformanceTarget.project_id == project_id)).first()
        if target is None:
            return TargetDraft(None, project_id, project.year, DRAFT, 0, funds_fen=project.annual_budget_fen,
                               **guard.offer(TARGETS, None, ws.actor, project))
        return as_draft(target, ws.actor)


def snapshots(ws: Workspace, target_id: int) -> list[dict[str, Any]]:
    """Earlier (approved) versions, oldest first, as saved."""
    with ws.session() as s:
        rows = s.scalars(select(TargetSnapshot).where(TargetSnapshot.target_id == target_id).order_by(TargetSnapshot.revision))
        return [{"revision": r.revision, "reason": r.reason, **json.loads(r.content)} for r in rows]


def last_year_rows(ws: Workspace, draft: TargetDraft) -> list[IndicatorDraft]:
    """For a 延续 project: last year's indicator rows (same 项目编码, or else the same name and 主管部门)."""
    with ws.session() as s:
        if draft.kind == DEPARTMENT:
            earlier_target = s.scalars(select(PerformanceTarget).where(
                PerformanceTarget.department_id == draft.department_id, PerformanceTarget.year == draft.year - 1)).first()
            return as_draft(earlier_target).indicators if earlier_target is not None else []
        project = s.get(Project, draft.project_id)
        earlier = s.scalars(select(Project).where(Project.year == project.year - 1, Project.code == project.code,
                                                 Project.region_code == project.region_code)).first()
        if earlier is None:
            earlier = s.scalars(select(Project).where(Project.year == project.year - 1, Project.name == project.name,
                                                      Project.department_id == project.department_id)).first()
        if earlier is None:
            return []
        target = s.scalars(select(PerformanceTarget).where(PerformanceTarget.project_id == earlier.id)).first()
        return as_draft(target).indicators if target is not None else []


# -- writing ---------------------------------------------------------------------------------------
def _save(s, ws: Workspace, draft: TargetDraft, actor: Actor, submitting: bool) -> PerformanceTarget:
    """Header and grid into the stored target (草稿 or 退回修改 only, the version the form read),
    with the check's quality score; when submitting, an 错误 refuses it (the caller's transaction
    then writes nothing)."""
    draft = replace(draft, indicators=canonical_rows(draft.indicators))  # >= → ≥, 正向 → ≥ …
    if draft.saved:
        target = workflow.edit(s, TARGETS, draft.target_id, draft.version, actor)
    else:  # the first save of an opened target creates it (permission, audit)
        target = create_target(s, draft, actor)
    refresh_money(s, target, actor)  # a department's money as the projects stand now
    result = check(ws, replace(draft, funds_fen=target.total_funds_fen))
    if submitting and result.blocks_submission:
        errors = [f for f in result.findings if f.severity == "错误"]
        raise RejectedError(f"还有{len(errors)}处错误，不能提交：" + "；".join(f.problem for f in errors[:3]))
    target.overall_goal, target.annual_goal = draft.overall_goal, draft.annual_goal
    if target.kind == DEPARTMENT:
        target.functions = draft.functions
        target.tasks = [TargetTask(seq=n + 1, content=t.content.strip(), budget_fen=task_budget_fen(t.budget),
                                   region_code=target.region_code)
                        for n, t in enumerate(draft.tasks) if t.content.strip() or t.budget.strip()]
    target.indicators.clear()
    s.flush()
    for n, i in enumerate(draft.indicators):
        target.indicators.append(TargetIndicator(
            seq=n + 1, level1=i.level1, level2=i.level2.strip(), level3=i.level3.strip(), direction=i.direction,
            value_text=i.value.strip(), value_num=first_number_of(i.value),
            unit=i.unit.strip(), points=points_of(i.points), explanation=i.explanation,
            last_year_actual=i.last_year, library_id=i.library_id, region_code=target.region_code))
    target.quality_score = result.quality_score
    target.rule_pack_version = ws.rule_pack().version
    s.flush()
    audit.record(s, "修改", PerformanceTarget.label, f"保存绩效目标（质量得分{result.quality_score}）", uuid=target.uuid,
                 user=actor.name)
    noted(s, target)
    return target


def _grid_checked(draft: TargetDraft) -> None:
    report = validate_grid(draft)
    if not report.ok:
        raise RejectedError("指标表中有填写错误，请按提示修改。", report)


def save_target(ws: Workspace, draft: TargetDraft, actor: Optional[Actor] = None) -> TargetDraft:
    """Save header and grid (草稿 or 退回修改 only); the check's quality score is stored with it."""
    _grid_checked(draft)
    with ws.session() as s:
        actor = actor or ws.actor
        return as_draft(_save(s, ws, draft, actor, submitting=False), actor)


def submit(ws: Workspace, draft: TargetDraft, actor: Optional[Actor] = None) -> TargetDraft:
    """草稿/退回修改 → 已提交, saving it in the same transaction; refused — with nothing written —
    while the check finds an 错误."""
    actor = actor or ws.actor
    _grid_checked(draft)
    with ws.session() as s:
        target = _save(s, ws, draft, actor, submitting=True)
        workflow.move(s, TARGETS, target.id, target.version, SUBMIT.action, actor, submitted_at=date.today())
        return as_draft(target, actor)


def review(ws: Workspace, draft: TargetDraft, scores: dict[str, Decimal], passed: bool, opinion: str,
           reviewer: str = "", actor: Optional[Actor] = None) -> TargetDraft:
    """绩效科 review of a submitted target: 完整性/相关性/合理性/可衡量性 each 0–100, weighted by the
    pack; 审核通过 needs every score and the pack's pass line (澄江: 75); 退回修改 needs an opinion
    (the reason) and may leave the scores out. The reviewer is the actor's name unless one is given."""
    actor = actor or ws.actor
    section = ws.rule_pack().section("target_review")
    weights = {k: Decimal(v) for k, v in section["weights"].items()}
    scored = passed or bool(scores)
    if scored and (set(scores) != set(weights) or any(not 0 <= v <= 100 for v in scores.values())):
        raise RejectedError(f"请为{'、'.join(weights)}各打0到100分" + ("后再审核通过。" if passed else "（退回修改时也可都不打分）。"))
    score = ((sum(scores[k] * w for k, w in weights.items()) / sum(weights.values())).quantize(Decimal("0.01"))
             if scored else None)
    pass_line = Decimal(section["pass_line"])
    if passed and score < pass_line:
        raise RejectedError(f"审核得分{score}分，低于{pass_line}分的通过线，不能审核通过，请退回修改。")
    step = PASS if passed else RETURN
    workflow.check_reason(TARGETS, step.action, opinion)  # 退回修改时请填写审核意见…
    scored_text = f"（审核得分{score}）" if score is not None else ""
    with ws.session() as s:
        target = workflow.move(s, TARGETS, draft.target_id, draft.version, step.action, actor,
                               reason="" if passed else opinion, opinion=opinion,
                               summary=f"{step.target}{scored_text}：{opinion}", review_score=score)
        s.add(TargetReview(target_id=target.id, reviewer_role=actor.role or "绩效科", reviewer=reviewer or actor.name,
                           scores=json.dumps({k: str(v) for k, v in scores.items()}, ensure_ascii=False) if scored
                           else None, score=score, decision=step.target, opinion=opinion, reviewed_on=date.today(),
                           rule_pack_version=ws.rule_pack().version, region_code=target.region_code))
        s.flush()
        noted(s, target)
        return as_draft(target, actor)


def approve(ws: Workspace, draft: TargetDraft, actor: Optional[Actor] = None) -> TargetDraft:
    """审核通过 → 已批复."""
    actor = actor or ws.actor
    with ws.session() as s:
        target = workflow.move(s, TARGETS, draft.target_id, draft.version, APPROVE.action, actor,
                               approved_at=date.today())
        noted(s, target)
        return as_draft(target, actor)


def reopen(ws: Workspace, draft: TargetDraft, reason: str, actor: Optional[Actor] = None) -> TargetDraft:
    """An approved target back to 退回修改, with a reason; the approved version stays viewable."""
    actor = actor or ws.actor
    workflow.check_reason(TARGETS, REOPEN.action, reason)  # 退回已批复的绩效目标必须填写原因。
    with ws.session() as s:
        target = workflow.load(s, TARGETS, draft.target_id, draft.version, REOPEN.sources, actor, REOPEN.action)
        s.add(TargetSnapshot(target_id=target.id, revision=target.revision, reason=reason,
                             content=json.dumps(asdict(as_draft(target)), ensure_ascii=False, default=str),
                             region_code=target.region_code))
        workflow.move(s, TARGETS, target.id, target.version, REOPEN.action, actor, reason=reason,
                      summary=f"已批复目标退回修改：{reason}", revision=target.revision + 1)
        noted(s, target)
        return as_draft(target, actor)
