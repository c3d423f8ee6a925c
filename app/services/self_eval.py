"""绩效自评: one 自评表 per project of the year with an approved target (and one per department),
opened on a draft, scored by the rule pack as it is typed, saved, and moved through the workflow
草稿 → 已提交 → 审核通过 / 退回修改 (a passed table can be 退回 with a reason).

Public use cases (each write takes the actor, audits and notes the change):
    open_project(ws, project_id) / open_department(ws, department_id, year) / open_table(ws, eval_id)
    rules(ws) → SelfEvalRules;  score(ws, draft) → TableScore (what the form shows live)
    save(ws, draft) / submit(ws, draft) / review(ws, draft, passed, opinion) / reopen(ws, draft, reason)
    create_year(ws, year) → how many tables were created (within a scoped user's scope); created_sentence
    take_target_change(ws, draft) → the draft with the target's current rows (values kept by 三级指标)
    presets(ws) → (default, names) of the 部门整体 scoring trees;  with_preset(ws, draft, name)
Year views (list, summary, check, printed form) are app.services.self_eval_year; the import is
app.services.self_eval_import; evidence files app.services.attachments."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from sqlalchemy import func, select

from app import changes
from app.domain.self_eval import DEPARTMENT, PROJECT, BudgetLine, DEPARTMENT_BUDGET_ROWS, IndicatorLine, SelfEvalDraft
from app.money import wan_text
from app.rules.self_eval import SelfEvalRules, TableScore
from app.rules.self_eval_draft import score_draft, validate
from app.rules.validation import RejectedError, Report
from app.domain.attachments import AttachmentRow
from app.services import access, attachments, audit, guard, regions, workflow
from app.services.actor import Actor
from app.services.base_data import dept_display
from app.services.self_eval_records import (
    STAGE, WORKFLOW, approved_targets, as_draft, carry_values, department_presets, head_values, indicator_values,
    last_round_executed, new_project_budget, new_row, replace_indicators, rules_of, target_lines, tree_lines,
)
from app.services.workflow import DRAFT, PASS, REOPEN_PASSED, RETURN, SUBMIT
from app.services.workspace import Workspace
from db.models import Department, PerformanceTarget, Project, SelfEvaluation


def rules(ws: Workspace) -> SelfEvalRules:
    return rules_of(ws.rule_pack())


def score(ws: Workspace, draft: SelfEvalDraft) -> TableScore:
    return score_draft(draft, rules(ws))


def presets(ws: Workspace) -> tuple[str, list[str]]:
    return department_presets(ws.rule_pack())


# -- opening ---------------------------------------------------------------------------------------------
def _project_names(s, project: Project) -> tuple[str, str]:
    dept, unit = s.get(Department, project.department_id), s.get(Department, project.unit_id)
    return dept_display(dept.code, dept.name), dept_display(unit.code, unit.name)


def _stored(s, ws: Workspace, ev: SelfEvaluation) -> SelfEvalDraft:
    return replace(_as_stored(s, ws, ev), **guard.offer(WORKFLOW, ev, ws.actor))


def _as_stored(s, ws: Workspace, ev: SelfEvaluation) -> SelfEvalDraft:
    if ev.object_type == DEPARTMENT:
        dept = s.get(Department, ev.department_id)
        return as_draft(ev, ev.indicators, rules(ws), code=dept.code, name=dept.name,
                        department=dept_display(dept.code, dept.name))
    project = s.get(Project, ev.project_id)
    department, unit = _project_names(s, project)
    target = s.get(PerformanceTarget, ev.target_id) if ev.target_id else None
    return as_draft(ev, ev.indicators, rules(ws), code=project.code, name=project.name, department=department,
                    unit=unit, target_version=target.version if target is not None else None)


def open_table(ws: Workspace, eval_id: int) -> SelfEvalDraft:
    with ws.session() as s:
        ev = s.get(SelfEvaluation, eval_id)
        if ev is None:
            raise RejectedError("这份自评表已被删除。")
        return _stored(s, ws, ev)


def open_project(ws: Workspace, project_id: int) -> SelfEvalDraft:
    """The project's 自评表: the stored one, else a new draft from its approved target (nothing is
    written until the first save)."""
    with ws.session() as s:
        project = s.get(Project, project_id)
        if project is None:
            raise RejectedError("这个项目已被删除。")
        held = s.scalars(select(SelfEvaluation).where(SelfEvaluation.project_id == project_id,
                                                       SelfEvaluation.year == project.year)).first()
        if held is not None:
            return _stored(s, ws, held)
        target = approved_targets(s, [project_id], project.year).get(project_id)
        if target is None:
            raise RejectedError(f"项目“{project.name}”{project.year}年度还没有已批复的绩效目标，不能填写自评表。"
                                "可以先批复绩效目标，或用导入把往年的自评表按原样导入。")
        department, unit = _project_names(s, project)
        executed = last_round_executed(s, [project_id], project.year).get(project_id)
        return SelfEvalDraft(
            eval_id=None, kind=PROJECT, year=project.year, status=DRAFT, version=0, project_id=project_id,
            code=project.code, name=project.name, department=department, unit=unit,
            budget=new_project_budget(project, executed), budget_points=f"{rules(ws).budget_points}",
            indicators=target_lines(target.indicators), project_leader=project.leader or "",
            target_version=target.version, **guard.offer(WORKFLOW, None, ws.actor, project))


def department_money(s, department_id: int, year: int) -> tuple[Optional[int], Optional[int]]:
    """项目支出 of a department: its projects' 全年预算数 and, from the last monitoring round, 执行数."""
    p = Project.__table__
    rows = s.execute(select(p.c.id, p.c.annual_budget_fen).where(p.c.year == year, p.c.department_id == department_id)).all()
    if not rows:
        return None, None
    executed = last_round_executed(s, [pid for pid, _ in rows], year)
    complete = len(executed) == len(rows)  # a sum over some projects only would read as slow spending
    return sum(a for _, a in rows), (sum(executed.values()) if complete else None)


def open_department(ws: Workspace, department_id: int, year: int) -> SelfEvalDraft:
    """The department's 部门整体 自评表 of the year: stored, else a new draft on the pack's default tree."""
    with ws.session() as s:
        dept = s.get(Department, department_id)
        if dept is None:
            raise RejectedError("这个部门已被删除。")
        held = s.scalars(select(SelfEvaluation).where(SelfEvaluation.department_id == department_id,
                                                       SelfEvaluation.object_type == DEPARTMENT,
                                                       SelfEvaluation.year == year)).first()
        if held is not None:
            return _stored(s, ws, held)
        annual, executed = department_money(s, department_id, year)
        text = lambda fen: "" if fen is None else wan_text(fen)  # noqa: E731
        default, _ = presets(ws)
        return SelfEvalDraft(
            eval_id=None, kind=DEPARTMENT, year=year, status=DRAFT, version=0, department_id=department_id,
            code=dept.code, name=dept.name, department=dept_display(dept.code, dept.name),
            budget=[BudgetLine(DEPARTMENT_BUDGET_ROWS[0], "", text(annual), text(executed)),
                    BudgetLine(DEPARTMENT_BUDGET_ROWS[1]),
                    BudgetLine(DEPARTMENT_BUDGET_ROWS[2], "", text(annual), text(executed))],
            indicators=tree_lines(ws.rule_pack(), default), preset=default,
            **guard.offer(WORKFLOW, None, ws.actor, dept))


def with_preset(ws: Workspace, draft: SelfEvalDraft, preset: str) -> SelfEvalDraft:
    """The department draft on another scoring tree (scores typed so far are kept by 三级指标)."""
    typed = {i.level3: i for i in draft.indicators}
    lines = [replace(line, score=typed[line.level3].score, score_note=typed[line.level3].score_note)
             if line.level3 in typed else line for line in tree_lines(ws.rule_pack(), preset)]
    return replace(draft, indicators=lines, preset=preset)


def take_target_change(ws: Workspace, draft: SelfEvalDraft) -> SelfEvalDraft:
    """An unsubmitted table takes its approved target's current rows; what was typed against a row
    with the same 三级指标 is kept. The draft comes back unsaved (the form shows it, the user saves)."""
    if not WORKFLOW.can_edit(draft.status):
        raise RejectedError(f"这份自评表状态为“{draft.status}”，不能再按绩效目标更新指标。")
    with ws.session() as s:
        target = approved_targets(s, [draft.project_id], draft.year).get(draft.project_id)
        if target is None:
            raise RejectedError("这个项目的绩效目标目前不是已批复状态，请等绩效目标重新批复后再更新。")
        lines = carry_values(target_lines(target.indicators), draft.indicators)
        return replace(draft, indicators=lines, target_changed=False, target_version=target.version)


# -- saving and the workflow --------------------------------------------------------------------------------
def _refuse(report: Report, submitting: bool) -> None:
    raise RejectedError("自评表中有需要修改的地方，请按提示修改。" if not submitting
                        else "自评表还有必须填写的内容，不能提交，请按提示补充。", report)


def _save(s, ws: Workspace, draft: SelfEvalDraft, actor: Actor, scored: TableScore) -> SelfEvaluation:
    if draft.saved:
        ev = workflow.edit(s, WORKFLOW, draft.eval_id, draft.version, actor)
        action = "修改"
        if not draft.as_printed and not draft.is_department and draft.target_version is not None:
            ev.target_version = draft.target_version  # the target version the form's rows follow
    else:
        owner = s.get(Project, draft.project_id) if draft.project_id else s.get(Department, draft.department_id)
        if owner is None:
            raise RejectedError("这个项目（或部门）已被删除，自评表没有保存。")
        guard.permit_new(s, actor, WORKFLOW, owner)
        _refuse_second(s, draft)
        target = (approved_targets(s, [draft.project_id], draft.year).get(draft.project_id)
                  if draft.kind == PROJECT else None)
        ev = new_row(draft, regions.of_owner(s, draft.project_id, draft.department_id, ws.home_region()), target)
        s.add(ev)
        action = "新增"
    for key, value in head_values(draft, scored).items():
        setattr(ev, key, value)
    replace_indicators(s, ev, indicator_values(draft, scored))
    if draft.saved:
        workflow.touch(ev)  # a change in the rows alone moves the table's version too
    s.flush()
    audit.record(s, action, SelfEvaluation.label, f"{'新建' if action == '新增' else '保存'}自评表：{draft.code} {draft.name}",
                 uuid=ev.uuid, user=actor.name)
    return ev


def _refuse_second(s, draft: SelfEvalDraft) -> None:
    column = SelfEvaluation.project_id if draft.kind == PROJECT else SelfEvaluation.department_id
    wanted = draft.project_id if draft.kind == PROJECT else draft.department_id
    if s.scalar(select(func.count()).select_from(SelfEvaluation).where(
            column == wanted, SelfEvaluation.year == draft.year, SelfEvaluation.object_type == draft.kind)):
        raise RejectedError("这份自评表刚被其他人（或导入）建立，您的修改没有保存。请重新打开后再改。")


def save(ws: Workspace, draft: SelfEvalDraft, actor: Optional[Actor] = None, *, submitting: bool = False) -> SelfEvalDraft:
    """Save the form (only in 草稿 / 退回修改; the first save creates the table); submitting also
    takes the 提交 step — refused while the table still lacks what the rules ask for."""
    actor = actor or ws.actor
    report = validate(draft)
    if not report.ok:
        _refuse(report, submitting)
    scored = score(ws, draft)
    if submitting and scored.blocking and not draft.as_printed:  # a printed table is judged by the check
        needs = Report()
        for need in scored.blocking:
            needs.add(f"{need.row}:{need.field}" if need.row is not None else need.field, need.sentence)
        _refuse(needs, True)
    with ws.session() as s:
        ev = _save(s, ws, draft, actor, scored)
        if submitting:
            workflow.move(s, WORKFLOW, ev.id, ev.version, SUBMIT.action, actor,
                          summary=f"提交自评表：{draft.code} {draft.name}")
        changes.note(s, STAGE, draft.year, [ev.id])
        eval_id = ev.id
    return open_table(ws, eval_id)


def submit(ws: Workspace, draft: SelfEvalDraft, actor: Optional[Actor] = None) -> SelfEvalDraft:
    return save(ws, draft, actor, submitting=True)


def _step(ws: Workspace, draft: SelfEvalDraft, action: str, reason: str, actor: Optional[Actor]) -> SelfEvalDraft:
    actor = actor or ws.actor
    if not draft.saved:
        raise RejectedError("这份自评表还没有保存。")
    with ws.session() as s:
        ev = workflow.move(s, WORKFLOW, draft.eval_id, draft.version, action, actor, reason=reason,
                           summary=f"{action}：自评表 {draft.code} {draft.name}", review_opinion=reason or None)
        changes.note(s, STAGE, ev.year, [ev.id])
    return open_table(ws, draft.eval_id)


def review(ws: Workspace, draft: SelfEvalDraft, passed: bool, opinion: str = "", actor: Optional[Actor] = None) -> SelfEvalDraft:
    """审核通过 (the opinion is kept when given), or 退回修改 with the 审核意见 saying what to change."""
    return _step(ws, draft, PASS.action if passed else RETURN.action, opinion, actor)


def reopen(ws: Workspace, draft: SelfEvalDraft, reason: str, actor: Optional[Actor] = None) -> SelfEvalDraft:
    """退回 a passed table (back to 退回修改), with the reason kept as its 审核意见."""
    return _step(ws, draft, REOPEN_PASSED.action, reason, actor)


# -- 佐证材料 ------------------------------------------------------------------------------------------------
def evidence(ws: Workspace, draft: SelfEvalDraft) -> list[AttachmentRow]:
    return attachments.list_for(ws, SelfEvaluation.label, draft.uuid) if draft.uuid else []


def _editable_row(ws: Workspace, draft: SelfEvalDraft) -> SelfEvaluation:
    if not draft.saved:
        raise RejectedError("请先保存自评表，再添加佐证材料。")
    with ws.session() as s:
        ev = s.get(SelfEvaluation, draft.eval_id)
        if ev is None:
            raise RejectedError("这份自评表已被删除。")
        if not WORKFLOW.can_edit(ev.status):
            raise RejectedError(f"这份自评表状态为“{ev.status}”，不能再改动佐证材料。")
        s.expunge(ev)
        return ev


def add_evidence(ws: Workspace, draft: SelfEvalDraft, path, actor: Optional[Actor] = None) -> AttachmentRow:
    """Attach a file to a saved table that may still be edited (by whom may 修改 it)."""
    ev = _editable_row(ws, draft)
    return attachments.attach(ws, WORKFLOW, ev.uuid, path, actor, stage=(STAGE, ev.year))


def remove_evidence(ws: Workspace, draft: SelfEvalDraft, attachment_id: int, actor: Optional[Actor] = None) -> None:
    ev = _editable_row(ws, draft)
    attachments.remove(ws, attachment_id, actor, owner=(WORKFLOW, ev.uuid), stage=(STAGE, ev.year))


def create_year(ws: Workspace, year: int, actor: Optional[Actor] = None) -> int:
    """A 自评表 for every project of the year with an approved target and none yet (and one for
    every department with projects that year) — a scoped user's within the scope; the count created
    (`created_sentence` says it)."""
    actor = actor or ws.actor
    workflow.permit(actor, WORKFLOW, "新增")
    created = []
    with ws.session() as s:
        have_p = set(s.scalars(select(SelfEvaluation.project_id).where(SelfEvaluation.year == year,
                                                                      SelfEvaluation.object_type == PROJECT)))
        have_d = set(s.scalars(select(SelfEvaluation.department_id).where(SelfEvaluation.year == year,
                                                                         SelfEvaluation.object_type == DEPARTMENT)))
        # a scoped user's: only the projects and departments within the scope
        # this database's own: a township makes its tables in its own database and sends them by package
        projects = {p.id: p for p in s.scalars(select(Project).where(Project.year == year, Project.region_code == ws.home_region(),
                                                                     *access.where(actor, Project)))}
        departments = set(s.scalars(select(Department.id).where(
            Department.id.in_({p.department_id for p in projects.values()} - have_d), *access.where(actor, Department))))
        targets = approved_targets(s, [pid for pid in projects if pid not in have_p], year)
        executed = last_round_executed(s, list(targets), year)
        pack, settled = ws.rule_pack(), rules(ws)
        for pid, target in sorted(targets.items(), key=lambda kv: projects[kv[0]].code):
            project = projects[pid]
            draft = SelfEvalDraft(None, PROJECT, year, DRAFT, 0, project_id=pid, code=project.code, name=project.name,
                                  budget=new_project_budget(project, executed.get(pid)),
                                  budget_points=f"{settled.budget_points}", indicators=target_lines(target.indicators),
                                  project_leader=project.leader or "", target_version=target.version)
            created.append(_created(s, draft, project.region_code, target, settled))
        default, _ = department_presets(pack)
        for dept_id in sorted(departments):
            dept = s.get(Department, dept_id)
            annual, spent = department_money(s, dept_id, year)
            draft = SelfEvalDraft(None, DEPARTMENT, year, DRAFT, 0, department_id=dept_id, code=dept.code, name=dept.name,
                                  budget=[BudgetLine(DEPARTMENT_BUDGET_ROWS[0], "", *_texts(annual, spent)),
                                          BudgetLine(DEPARTMENT_BUDGET_ROWS[1]),
                                          BudgetLine(DEPARTMENT_BUDGET_ROWS[2], "", *_texts(annual, spent))],
                                  indicators=tree_lines(pack, default), preset=default)
            created.append(_created(s, draft, dept.region_code, None, settled))
        if created:
            s.flush()
            audit.record(s, "新增", SelfEvaluation.label, f"生成{year}年度自评表{len(created)}份", user=actor.name)
            changes.note(s, STAGE, year, [ev.id for ev in created])
    return len(created)


def created_sentence(year: int, count: int, actor: Optional[Actor]) -> str:
    """What 生成本年度自评表 tells: how many were created — for a scoped user, within the scope."""
    scope = actor.scope if actor is not None else None
    within = f"在您的管理范围（{scope.label or scope.code}）内" if scope is not None else ""
    if count:
        return f"已{within}生成{year}年度自评表{count}份（按已批复的绩效目标，未填写实际完成值）。"
    return f"{within}{'，' if within else ''}{year}年度需要自评的项目和部门都已有自评表，没有新生成。"


def _texts(*fens: Optional[int]) -> tuple[str, ...]:
    return tuple("" if f is None else wan_text(f) for f in fens)


def _created(s, draft: SelfEvalDraft, region: str, target, settled: SelfEvalRules) -> SelfEvaluation:
    scored = score_draft(draft, settled)
    ev = new_row(draft, region, target)
    for key, value in head_values(draft, scored).items():
        setattr(ev, key, value)
    s.add(ev)
    replace_indicators(s, ev, indicator_values(draft, scored))
    return ev


__all__ = ["IndicatorLine", "STAGE", "WORKFLOW"]
