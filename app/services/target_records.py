"""What every 绩效目标 service module shares (and imports from here, never from each other): the
workflow declaration, a stored target as the form's draft, a department target's money as the
projects stand, a target's first save (creating its row), the automatic check, and the year's list
of project targets."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import object_session

from app import changes
from app.domain.targets import (
    DEPARTMENT, NOT_STARTED, PROJECT, IndicatorDraft, TargetDraft, TargetRow, TaskDraft, check_input, score_versions,
)
from app.money import fmt_wan, wan_text
from app.rules.target_check import CheckResult, CheckSettings, check_target
from app.rules.validation import RejectedError
from app.services import audit, guard, workflow
from app.services.actor import Actor
from app.services.pack_versions import pack_at
from app.services.projects import list_projects
from app.services.workflow import APPROVE, DRAFT, EDITABLE, PASS, REOPEN_APPROVED, RETURN, SUBMIT, Workflow
from app.services.workspace import Workspace
from db.models import Department, PerformanceTarget, Project, TargetReview

# 退回 of an approved target: the kernel's step, asking for its reason in the targets' own words
REOPEN = replace(REOPEN_APPROVED, ask_reason="退回已批复的绩效目标必须填写原因。")
TARGETS = Workflow(PerformanceTarget, "绩效目标", "这个绩效目标", (SUBMIT, PASS, RETURN, APPROVE, REOPEN))
STAGE = "targets"  # the change-notification key


def as_draft(target: PerformanceTarget, actor: Optional[Actor] = None) -> TargetDraft:
    """The stored target as the form edits it (with the steps offered to `actor`, when given)."""
    offered = guard.offer(TARGETS, target, actor) if actor is not None else {}
    return TargetDraft(
        target.id, target.project_id, target.year, target.status, target.version, target.overall_goal or "",
        target.annual_goal or "", target.total_funds_fen,
        [IndicatorDraft(i.level1, i.level2, i.level3, i.direction, i.value_text or "", i.unit or "",
                        "" if i.points is None else f"{i.points.normalize():f}", i.explanation or "",
                        i.last_year_actual or "", i.library_id) for i in target.indicators],
        kind=target.kind, department_id=target.department_id, functions=target.functions or "",
        tasks=[TaskDraft(t.content, "" if t.budget_fen is None else wan_text(t.budget_fen))
               for t in target.tasks], revision=target.revision,
        pack_version=target.rule_pack_version, review_score=target.review_score,
        review_version=_review_version(target) if target.review_score is not None else None, **offered)


def _review_version(target: PerformanceTarget) -> Optional[int]:
    """The 规则方案 version of the review that gave the target its 审核得分 (the latest scored one)."""
    s = object_session(target)
    return None if s is None else s.scalar(
        select(TargetReview.rule_pack_version).where(TargetReview.target_id == target.id, TargetReview.score.is_not(None))
        .order_by(TargetReview.id.desc()).limit(1))


def check_version(ws: Workspace, draft: TargetDraft) -> int:
    """The 规则方案 version a draft is checked under: a target handed in (提交 and after) keeps the one
    its 质量得分 was computed with at its last save; one still being edited, the active one (its next
    save records it)."""
    if draft.status not in EDITABLE and draft.pack_version:
        return draft.pack_version
    return ws.rule_pack().version


def check(ws: Workspace, draft: TargetDraft) -> CheckResult:
    """The automatic check of a draft under the rule pack of check_version."""
    return check_target(check_input(draft), CheckSettings.from_pack(pack_at(ws, check_version(ws, draft))))


def noted(s, target: PerformanceTarget) -> None:
    """Tell the pages this target changed (once the session commits)."""
    changes.note(s, STAGE, target.year, [target.id])


# -- a department's money ---------------------------------------------------------------------------
def is_unit(kind: str) -> bool:
    return kind == "单位"


def money_of(s, target: PerformanceTarget) -> tuple[int, int, int]:
    """(全年预算数, 财政拨款, 其他资金) of the year's projects the department runs as 主管部门 (a 单位:
    carries out as 实施单位)."""
    return department_money(s, target.department_id, target.year)


def department_money(s, department_id: int, year: int) -> tuple[int, int, int]:
    """money_of for a department and year (a target not saved yet has no row to ask)."""
    p = Project.__table__
    kind = s.scalar(select(Department.kind).where(Department.id == department_id))
    key = p.c.unit_id if is_unit(kind) else p.c.department_id
    total, fiscal, other = s.execute(select(func.sum(p.c.annual_budget_fen), func.sum(p.c.fiscal_fen),
                                            func.sum(p.c.other_fen))
                                     .where(p.c.year == year, key == department_id)).one()
    return int(total or 0), int(fiscal or 0), int(other or 0)


def refresh_money(s, target: PerformanceTarget, actor: Actor) -> None:
    """While a department's target can still be edited its money follows the projects; a change is
    recorded (audit, change note)."""
    if target.kind != DEPARTMENT or target.status not in EDITABLE:
        return
    money = money_of(s, target)
    held = (target.total_funds_fen, target.fiscal_fen, target.other_fen)
    if held != money:
        target.total_funds_fen, target.fiscal_fen, target.other_fen = money
        s.flush()
        audit.record(s, "修改", PerformanceTarget.label, f"年度资金总额随本年度项目更新：{fmt_wan(held[0])}万元 → "
                     f"{fmt_wan(money[0])}万元", uuid=target.uuid, user=actor.name)
        noted(s, target)


# -- a target's first save ---------------------------------------------------------------------------
def create_target(s, draft: TargetDraft, actor: Actor) -> PerformanceTarget:
    """The stored 草稿 of a target saved for the first time (opening one creates nothing): the
    workflow's permission to create it, refused when the project or department is gone or a
    colleague (or an import) created its target since the form opened; audited and noted."""
    if draft.kind == DEPARTMENT:
        dept = s.get(Department, draft.department_id)
        if dept is None:
            raise RejectedError("这个部门已被删除，您的修改没有保存。")
        workflow.permit(actor, TARGETS, "新增", dept)  # the pack's rights, and the department in scope
        held = s.scalar(select(PerformanceTarget.id).where(PerformanceTarget.department_id == dept.id,
                                                           PerformanceTarget.year == draft.year))
        total, fiscal, other = department_money(s, dept.id, draft.year)
        target = PerformanceTarget(year=draft.year, kind=DEPARTMENT, department_id=dept.id, status=DRAFT,
                                   total_funds_fen=total, fiscal_fen=fiscal, other_fen=other,
                                   region_code=dept.region_code)
        said = f"建立部门整体绩效目标：{dept.display} {draft.year}年度"
    else:
        project = s.get(Project, draft.project_id)
        if project is None:
            raise RejectedError("这个项目已被删除，您的修改没有保存。")
        workflow.permit(actor, TARGETS, "新增", project)
        held = s.scalar(select(PerformanceTarget.id).where(PerformanceTarget.project_id == project.id))
        target = PerformanceTarget(year=project.year, kind=PROJECT, project_id=project.id, status=DRAFT,
                                   total_funds_fen=project.annual_budget_fen, fiscal_fen=project.fiscal_fen,
                                   other_fen=project.other_fen, region_code=project.region_code)
        said = f"建立绩效目标：{project.code} {project.name}"
    if held is not None:
        raise RejectedError(f"{TARGETS.this}刚由其他人建立（或由导入建立），您的修改没有保存。请关闭后重新打开再改。")
    s.add(target)
    s.flush()
    audit.record(s, "新增", PerformanceTarget.label, said, uuid=target.uuid, user=actor.name)
    noted(s, target)
    return target


def review_versions(conn, year: int) -> dict[int, int]:
    """target id → the 规则方案 version of the review that gave it its 审核得分 (the latest scored one),
    for every target of the year (one Core read)."""
    r, t = TargetReview.__table__, PerformanceTarget.__table__
    return dict(conn.execute(select(r.c.target_id, r.c.rule_pack_version).join(t, t.c.id == r.c.target_id)
                             .where(t.c.year == year, r.c.score.is_not(None)).order_by(r.c.id)).all())


# -- the year's list --------------------------------------------------------------------------------
def list_targets(ws: Workspace, year: int, region: Optional[str] = None) -> list[TargetRow]:
    """Every project of the year (of one 区划 when `region` is a code) with its target's state and
    its region's name (Core reads, no ORM objects)."""
    t = PerformanceTarget.__table__
    with ws.read() as conn:
        reviewed = review_versions(conn, year)
        found = {pid: (status, q, r, score_versions(v, reviewed.get(tid)) if q is not None or r is not None else "")
                 for pid, status, q, r, tid, v in conn.execute(
                     select(t.c.project_id, t.c.status, t.c.quality_score, t.c.review_score, t.c.id,
                            t.c.rule_pack_version).where(t.c.year == year, t.c.project_id.is_not(None)))}
    out = []
    for p in list_projects(ws, year, region):
        status, quality, review_score, versions = found.get(p.id, (NOT_STARTED, None, None, ""))
        out.append(TargetRow(p.id, p.code, p.name, p.department, p.annual_fen, status, quality, review_score,
                             p.search_key, region_code=p.region_code, region=p.region, versions=versions))
    return out
