"""事前绩效评估: open an assessment (stored, or a new draft for a project of the year or a named new
project/policy — nothing written until the first save), save it (scored by app.rules.exante: the
number the evaluator watches is the number stored), and the workflow steps 提交, 审核通过, 退回修改,
定稿 and 退回 of a finalized one. Every write is audited and noted (changes "exante")."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from sqlalchemy import delete, select

from app import changes
from app.domain.exante import PROJECT, ExAnteDraft
from app.money import wan_text
from app.rules.exante import ExAnteRules, ExAnteScore, pack_lines, score_draft, validate
from app.rules.validation import RejectedError, Report
from app.services import audit, guard, regions, workflow
from app.services.actor import Actor
from app.services.base_data import dept_display
from app.services.exante_records import (
    STAGE, WORKFLOW, as_draft, editing, head_values, item_rows, rules_for, rules_of,
)
from app.services.pack_versions import pack_at
from app.services.workflow import DRAFT, FINALIZE, PASS, REOPEN_FINALIZED, RETURN, SUBMIT
from app.services.workspace import Workspace
from db.models import Agency, Department, ExAnteAssessment, ExAnteItem, Project

__all__ = ["STAGE", "WORKFLOW", "editing", "rules_for", "SUBMIT", "PASS", "RETURN", "FINALIZE", "REOPEN_FINALIZED"]


def rules(ws: Workspace) -> ExAnteRules:
    return rules_of(ws.rule_pack())


def score(ws: Workspace, draft: ExAnteDraft) -> ExAnteScore:
    return score_draft(draft, rules(ws))


def _names(s, project: Optional[Project]) -> tuple[str, str]:
    if project is None:
        return "", ""
    dept = s.get(Department, project.department_id)
    return project.code, dept_display(dept.code, dept.name)


def open_assessment(ws: Workspace, assessment_id: int) -> ExAnteDraft:
    with ws.session() as s:
        ev = s.get(ExAnteAssessment, assessment_id)
        if ev is None:
            raise RejectedError("这份事前评估已被删除。")
        code, department = _names(s, s.get(Project, ev.project_id) if ev.project_id else None)
        own = rules_of(pack_at(ws, ev.rule_pack_version))  # a score that is a rating's share under it follows the rating
        return replace(as_draft(ev, ev.items, own, code=code, department=department),
                       **guard.offer(WORKFLOW, ev, ws.actor))


def new_for_project(ws: Workspace, project_id: int) -> ExAnteDraft:
    """A new assessment of a project of its year (申报金额 from its 全年预算数, the pack's items)."""
    with ws.session() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise RejectedError("这个项目已被删除。")
        code, department = _names(s, project)
        settled = rules(ws)
        return ExAnteDraft(None, project.year, DRAFT, 0, project_id=project.id, object_name=project.name, code=code,
                           department=department, requested=wan_text(project.annual_budget_fen),
                           lines=pack_lines(settled), pack_version=settled.version, **_agency_own(ws.actor),
                           **guard.offer(WORKFLOW, None, ws.actor, project))


def new_named(ws: Workspace, year: int, name: str = "") -> ExAnteDraft:
    """A new assessment of a new project or policy not (yet) in the project list."""
    settled = rules(ws)
    return ExAnteDraft(None, year, DRAFT, 0, object_name=name, lines=pack_lines(settled), pack_version=settled.version,
                       **_agency_own(ws.actor), **guard.offer(WORKFLOW, None, ws.actor))


def _agency_own(actor: Optional[Actor]) -> dict:
    """A 第三方机构's new assessment names the agency itself (the only one it may save)."""
    scope = actor.scope if actor is not None else None
    return {"evaluator_kind": "第三方", "agency_id": scope.agency_id} if scope and scope.agency_id else {}


def agencies(ws: Workspace) -> list[tuple[int, str]]:
    """The 第三方机构 to choose from, by name."""
    a = Agency.__table__
    with ws.read() as conn:
        return [(r.id, r.name) for r in conn.execute(select(a.c.id, a.c.name).order_by(a.c.name))]


def projects_of_year(ws: Workspace, year: int) -> list[tuple[int, str, str]]:
    """(id, code, name) of the year's projects, by code (the 新建评估 chooser)."""
    p = Project.__table__
    with ws.read() as conn:
        return [(r.id, r.code, r.name) for r in conn.execute(
            select(p.c.id, p.c.code, p.c.name).where(p.c.year == year).order_by(p.c.code))]


# -- saving and the workflow --------------------------------------------------------------------------
def _refuse(report: Report, submitting: bool) -> None:
    raise RejectedError("事前评估中有需要修改的地方，请按提示修改。" if not submitting
                        else "事前评估还有必须填写的内容，不能提交，请按提示补充。", report)


def _write_items(s, ev: ExAnteAssessment, draft: ExAnteDraft, scored: ExAnteScore, settled: ExAnteRules) -> None:
    """The assessment's items become the draft's (dimension rows, their sub-items under them)."""
    s.execute(delete(ExAnteItem).where(ExAnteItem.assessment_id == ev.id).execution_options(synchronize_session=False))
    s.expire(ev, ["items"])
    for parent in item_rows(draft, scored, settled):
        children = parent.pop("children")
        row = ExAnteItem(region_code=ev.region_code, assessment_id=ev.id, **parent)
        s.add(row)
        s.flush()
        s.add_all([ExAnteItem(region_code=ev.region_code, assessment_id=ev.id, parent_id=row.id, **child)
                   for child in children])


def _save(s, ws: Workspace, draft: ExAnteDraft, actor: Actor, scored: ExAnteScore) -> ExAnteAssessment:
    settled = rules(ws)
    if draft.saved:
        ev = workflow.edit(s, WORKFLOW, draft.assessment_id, draft.version, actor)
        action = "修改"
    else:
        project = s.get(Project, draft.project_id) if draft.project_id else None
        if draft.project_id and project is None:
            raise RejectedError("这个项目已被删除，评估没有保存。")
        own = actor.scope.department_id if actor.scope is not None and project is None else None
        owner = project if project is not None else (s.get(Department, own) if own is not None else None)
        guard.permit_new(s, actor, WORKFLOW, owner, draft.agency_id)
        if project is not None and s.scalar(select(ExAnteAssessment.id).where(
                ExAnteAssessment.project_id == project.id, ExAnteAssessment.year == draft.year)):
            raise RejectedError(f"项目“{project.name}”{draft.year}年度已有事前评估，请打开那一份修改。")
        ev = ExAnteAssessment(year=draft.year, object_type=PROJECT, status=DRAFT,
                              region_code=regions.of_owner(s, draft.project_id, own, ws.home_region()),
                              department_id=project.department_id if project is not None else own)
        s.add(ev)
        action = "新增"
    for key, value in head_values(draft, scored, settled).items():
        setattr(ev, key, value)
    s.flush()
    guard.keep_within(s, actor, WORKFLOW, ev)  # an edit may not name another project or agency
    if not draft.printed:
        _write_items(s, ev, draft, scored, settled)
        workflow.touch(ev)  # its items changed: the version moves, so a stale form is refused
        s.flush()
    audit.record(s, action, ExAnteAssessment.label,
                 f"{'新建' if action == '新增' else '保存'}事前评估：{draft.subject}，得分{scored.total if scored.total is not None else '—'}",
                 uuid=ev.uuid, user=actor.name)
    return ev


def save(ws: Workspace, draft: ExAnteDraft, actor: Optional[Actor] = None, *, submitting: bool = False) -> ExAnteDraft:
    """Save the form (only in 草稿 / 退回修改; the first save creates the assessment); submitting also
    takes the 提交 step — refused while the 审核评估 still lacks a score, the conclusion or an amount."""
    actor = actor or ws.actor
    report = validate(draft)
    if not report.ok:
        _refuse(report, submitting)
    scored = score(ws, draft)
    if submitting and scored.blocking:
        needs = Report()
        for need in scored.blocking:
            needs.add(f"{need.row}:{need.field}" if need.row is not None else need.field, need.sentence)
        _refuse(needs, True)
    with ws.session() as s:
        ev = _save(s, ws, draft, actor, scored)
        if submitting:
            workflow.move(s, WORKFLOW, ev.id, ev.version, SUBMIT.action, actor, summary=f"提交事前评估：{draft.subject}")
        changes.note(s, STAGE, draft.year, [ev.id])
        assessment_id = ev.id
    return open_assessment(ws, assessment_id)


def submit(ws: Workspace, draft: ExAnteDraft, actor: Optional[Actor] = None) -> ExAnteDraft:
    return save(ws, draft, actor, submitting=True)


def _step(ws: Workspace, draft: ExAnteDraft, action: str, reason: str, actor: Optional[Actor]) -> ExAnteDraft:
    actor = actor or ws.actor
    if not draft.saved:
        raise RejectedError("这份事前评估还没有保存。")
    with ws.session() as s:
        extra = {"review_opinion": reason} if reason else {}
        ev = workflow.move(s, WORKFLOW, draft.assessment_id, draft.version, action, actor, reason=reason,
                           summary=f"{action}：事前评估 {draft.subject}", **extra)
        changes.note(s, STAGE, ev.year, [ev.id])
    return open_assessment(ws, draft.assessment_id)


def review(ws: Workspace, draft: ExAnteDraft, passed: bool, opinion: str = "", actor: Optional[Actor] = None) -> ExAnteDraft:
    """审核通过 (the opinion kept when given), or 退回修改 with the opinion saying what to change."""
    return _step(ws, draft, PASS.action if passed else RETURN.action, opinion.strip(), actor)


def finalize(ws: Workspace, draft: ExAnteDraft, actor: Optional[Actor] = None) -> ExAnteDraft:
    """定稿: a passed assessment's report becomes final."""
    return _step(ws, draft, FINALIZE.action, "", actor)


def reopen(ws: Workspace, draft: ExAnteDraft, reason: str, actor: Optional[Actor] = None) -> ExAnteDraft:
    """退回 a finalized assessment (back to 退回修改), with the reason kept as its 审核意见."""
    return _step(ws, draft, REOPEN_FINALIZED.action, reason.strip(), actor)
