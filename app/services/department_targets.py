"""部门整体支出绩效目标: one target per department (or 单位) per 年度, with 部门职能 and 年度主要任务.

The header's money comes from the base data: the year's projects the department runs as 主管部门
(or, for a 单位, as 实施单位). Everything else — the grid, the check, the workflow — is the target
service's, shared with 项目支出 (app.services.targets); the first save creates the target
(target_records.create_target)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, select

from app.domain.targets import DEPARTMENT, NOT_STARTED, TargetDraft, TargetRow, score_versions
from app.rules.validation import RejectedError
from app.services import access, guard
from app.services.actor import Actor
from app.services.target_records import TARGETS, as_draft, department_money, is_unit, refresh_money, review_versions
from app.services.workflow import DRAFT, EDITABLE
from app.services.workspace import Workspace
from db.models import Department, PerformanceTarget, Project


def list_department_targets(ws: Workspace, year: int) -> list[TargetRow]:
    """Every department and unit with its 部门整体 target's state for the year."""
    d, t, p = Department.__table__, PerformanceTarget.__table__, Project.__table__
    with ws.read() as conn:
        parents = {i: name for i, name in conn.execute(select(d.c.id, d.c.name))}
        reviewed = review_versions(conn, year)
        found = {did: (status, q, r, stored, score_versions(v, reviewed.get(tid)) if q is not None or r is not None else "")
                 for did, status, q, r, stored, tid, v in conn.execute(
                     select(t.c.department_id, t.c.status, t.c.quality_score, t.c.review_score, t.c.total_funds_fen,
                            t.c.id, t.c.rule_pack_version).where(t.c.year == year, t.c.department_id.is_not(None)))}
        as_unit = {u: fen for u, fen in conn.execute(
            select(p.c.unit_id, func.sum(p.c.annual_budget_fen)).where(p.c.year == year).group_by(p.c.unit_id))}
        as_dept = {u: fen for u, fen in conn.execute(
            select(p.c.department_id, func.sum(p.c.annual_budget_fen)).where(p.c.year == year).group_by(p.c.department_id))}
        depts = conn.execute(select(d.c.id, d.c.code, d.c.name, d.c.kind, d.c.parent_id)
                             .where(*access.where(ws.actor, Department)).order_by(d.c.region_code, d.c.code)).all()
    out = []
    for did, code, name, kind, parent_id in depts:
        status, quality, review, stored, versions = found.get(did, (NOT_STARTED, None, None, None, ""))
        funds = (as_unit if is_unit(kind) else as_dept).get(did) or 0
        if status not in (NOT_STARTED, *EDITABLE):
            funds = stored or 0  # submitted or approved: the money it was declared with
        parent = parents.get(parent_id, "")
        out.append(TargetRow(None, code, name, parent, int(funds), status, quality, review,
                             f"{code} {name} {parent}".casefold(), department_id=did, versions=versions))
    return out


def open_department_target(ws: Workspace, department_id: int, year: int, actor: Optional[Actor] = None) -> TargetDraft:
    """The department's 部门整体 target for the year; the first time, an unsaved 草稿 with the
    money of the year's projects (no row: opening creates nothing, the first save does). While a
    stored one can still be edited, its money follows the year's projects (a recorded change)."""
    actor = actor or ws.actor
    with ws.session() as s:
        dept = s.get(Department, department_id)
        if dept is None:
            raise RejectedError("这个部门已被删除。")
        target = s.scalars(select(PerformanceTarget).where(PerformanceTarget.department_id == department_id,
                                                           PerformanceTarget.year == year)).first()
        if target is None:
            total, _fiscal, _other = department_money(s, department_id, year)
            return TargetDraft(None, None, year, DRAFT, 0, funds_fen=total, kind=DEPARTMENT,
                               department_id=department_id, **guard.offer(TARGETS, None, actor, dept))
        refresh_money(s, target, actor)
        return as_draft(target, actor)
