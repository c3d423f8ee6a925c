"""自评表 from Excel, all or nothing, every bad cell named (app.io.self_eval_io parses both sheets).

Where the project has an approved target that year the rows fill its 自评表 (created when there is
none), matched by 三级指标 — a row matching none is a bad cell — and the table is scored by the
pack as if typed. Otherwise the table is taken as printed, like a past year's kept outside the
program: rows, 分值, 得分, 总分, 执行率 and 等级 as they are, for the consistency check to judge.
A table may only be changed in a state that allows it (the workflow kernel says), and one imported
as 已提交 or 审核通过 must hold what the form would ask for before submitting."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import Any, Optional

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import selectinload

from app import changes
from app.domain.self_eval import (
    BUDGET_ROWS, PROJECT, BudgetLine, ImportedBudgetRow, ImportedIndicatorRow, IndicatorLine, SelfEvalDraft,
)
from app.io.self_eval_io import BUDGET_SHEET, INDICATOR_SHEET, parse_self_eval
from app.jobs import JobControl, control
from app.money import wan_text
from app.rules.self_eval import TableScore
from app.rules.self_eval_draft import score_draft
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, guard, project_codes, workflow
from app.services.actor import Actor
from app.services.self_eval_records import (
    STAGE, WORKFLOW, approved_targets, as_draft, carry_values, head_values, indicator_values, new_project_budget,
    rules_of, target_lines,
)
from app.services.workflow import DRAFT
from app.services.workspace import Workspace
from db.models import Project, SelfEvalIndicator, SelfEvaluation

SUBMITTED_STATES = ("已提交", "审核通过")


def _number(value) -> str:
    return "" if value is None else f"{value:f}"


def _fen_text(value: Optional[int]) -> Optional[str]:
    return None if value is None else wan_text(value)


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Import the file all or nothing; the sentence saying what landed."""
    actor = actor or ws.actor
    job = control(job)
    parsed, problems = parse_self_eval(path, job)
    budget: dict[tuple[int, str], list[ImportedBudgetRow]] = defaultdict(list)
    rows: dict[tuple[int, str], list[ImportedIndicatorRow]] = defaultdict(list)
    for b in parsed.budget:
        budget[(b.year, b.code)].append(b)
    for r in parsed.indicators:
        rows[(r.year, r.code)].append(r)
    keys = list(dict.fromkeys([*budget, *rows]))
    if not keys and not problems:
        raise RejectedError("文件中没有自评数据行，未导入任何数据。")
    rules = rules_of(ws.rule_pack())
    with ws.session() as s:
        projects, shared = project_codes.index((((p.year, p.code), p.region_code, p) for p in s.scalars(select(Project).where(
            Project.year.in_({y for y, _ in keys} or {0})))), ws.home_region())
        wanted = [projects[k].id for k in keys if k in projects]
        held = {ev.project_id: ev for ev in s.scalars(
            select(SelfEvaluation).options(selectinload(SelfEvaluation.indicators)).where(
                SelfEvaluation.project_id.in_(wanted or [0]), SelfEvaluation.object_type == PROJECT))}
        targets = {}
        for year in {y for y, _ in keys}:
            targets.update(approved_targets(s, [projects[k].id for k in keys if k in projects and k[0] == year], year))
        away = guard.projects_outside(s, actor, wanted)
        drafts: dict[tuple[int, str], tuple[SelfEvalDraft, Any, str, TableScore]] = {}
        for key in keys:
            first = _first_cell(budget[key], rows[key])
            project = projects.get(key)
            if project is None:
                problems.append(CellProblem(*first, "项目编码", project_codes.not_found(*key, shared, s), key[1]))
                continue
            if project.id in away:
                problems.append(CellProblem(*first, "项目编码", guard.OUT_OF_SCOPE, key[1]))
                continue
            ev = held.get(project.id)
            refusal = (workflow.change_refusal(WORKFLOW, ev.status, actor, ev) if ev is not None
                       else workflow.permission_refusal(actor, WORKFLOW, "新增"))
            if refusal:
                problems.append(CellProblem(*first, "项目编码", refusal, key[1]))
                continue
            target = targets.get(project.id)
            status = _status(budget[key])
            if target is not None:
                draft = _own(ev, project, target, budget[key], rows[key], rules, problems)
            else:
                draft = _printed(project, budget[key], rows[key])
            scored = score_draft(draft, rules)
            if status in SUBMITTED_STATES and not draft.as_printed and scored.blocking:
                need = scored.blocking[0]
                cell = _status_cell(budget[key], rows[key])
                problems.append(CellProblem(*cell, "状态", f"自评表还不能提交：{need.sentence}（共{len(scored.blocking)}处）"
                                                   "请补齐后再导入，或把状态填为“填报”", status))
            refusal = next((r for r in (workflow.permission_refusal(actor, WORKFLOW, step) for step in _steps_to(status))
                            if r), None)
            if refusal:
                problems.append(CellProblem(*_status_cell(budget[key], rows[key]), "状态", refusal, status))
            drafts[key] = (draft, target, status, scored)
        if problems:
            problems.sort(key=lambda c: (c.sheet, c.row))
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        ids = _write(s, drafts, projects, held, job)
        printed = sum(1 for d, *_ in drafts.values() if d.as_printed)
        count = sum(len(d.indicators) for d, *_ in drafts.values())
        sentence = (f"导入完成：{len(drafts)}份自评表" + (f"（其中{printed}份没有已批复的绩效目标，按原表导入）" if printed else "")
                    + f"，共{count}个指标。")
        audit.record(s, "导入", SelfEvaluation.label, sentence, changes={"file": str(path)}, user=actor.name)
        for year in {y for y, _ in drafts}:
            changes.note(s, STAGE, year, [ids[k] for k in drafts if k[0] == year])
    return sentence


def _steps_to(status: str) -> tuple[str, ...]:
    """The workflow steps a table imported in `status` stands for (each must be the actor's to take)."""
    return {DRAFT: (), "已提交": ("提交",), "审核通过": ("提交", "审核通过")}.get(status, ())


def _first_cell(budget: list[ImportedBudgetRow], rows: list[ImportedIndicatorRow]) -> tuple[str, int]:
    return (BUDGET_SHEET, budget[0].row) if budget else (INDICATOR_SHEET, rows[0].row)


def _total_row(budget: list[ImportedBudgetRow]) -> Optional[ImportedBudgetRow]:
    return next((b for b in budget if b.line == BUDGET_ROWS[0]), budget[0] if budget else None)


def _status(budget: list[ImportedBudgetRow]) -> str:
    row = next((b for b in budget if b.status), None)
    return row.status if row is not None else "已提交"


def _status_cell(budget: list[ImportedBudgetRow], rows: list[ImportedIndicatorRow]) -> tuple[str, int]:
    row = next((b for b in budget if b.status), _total_row(budget))
    return (BUDGET_SHEET, row.row) if row is not None else (INDICATOR_SHEET, rows[0].row)


def _budget_lines(base: list[BudgetLine], budget: list[ImportedBudgetRow]) -> list[BudgetLine]:
    lines = {line.label: line for line in base}
    for b in budget:
        line = lines.get(b.line, BudgetLine(b.line))
        lines[b.line] = replace(line, initial=_fen_text(b.initial_fen) or line.initial,
                                annual=_fen_text(b.annual_fen) or line.annual,
                                executed=_fen_text(b.executed_fen) or line.executed)
    return [lines.get(label, BudgetLine(label)) for label in BUDGET_ROWS]


def _own(ev, project, target, budget, rows, rules, problems) -> SelfEvalDraft:
    """The project's own table, its rows filled from the file by 三级指标 — on the target as it
    stands (what was typed against a row of the same 三级指标 carried over)."""
    if ev is not None:
        draft = as_draft(ev, ev.indicators, rules, code=project.code, name=project.name, department="")
        if draft.as_printed:  # held as printed earlier; now the target is approved: start from it
            draft = replace(draft, as_printed=False, settled=False, indicators=target_lines(target.indicators),
                            printed_total=None, printed_grade="", printed_rate="")
        elif draft.target_version != target.version:
            draft = replace(draft, indicators=carry_values(target_lines(target.indicators), draft.indicators))
        draft = replace(draft, target_version=target.version)
    else:
        draft = SelfEvalDraft(None, PROJECT, project.year, DRAFT, 0, project_id=project.id, code=project.code,
                              name=project.name, budget=new_project_budget(project, None),
                              budget_points=f"{rules.budget_points}", indicators=target_lines(target.indicators),
                              project_leader=project.leader or "", target_version=target.version)
    by_name = {line.level3.strip(): n for n, line in enumerate(draft.indicators)}
    lines = list(draft.indicators)
    for r in rows:
        n = by_name.get(r.level3.strip())
        if n is None:
            names = "、".join(list(by_name)[:6])
            problems.append(CellProblem(INDICATOR_SHEET, r.row, "三级指标",
                                        f"应为该项目已批复绩效目标中的三级指标之一（{names}）", r.level3))
            continue
        line = lines[n]
        lines[n] = replace(line, actual=r.actual or line.actual,
                           score=_number(r.score) if r.score is not None else line.score,
                           score_note=r.score_note or line.score_note, deviation=r.deviation or line.deviation)
    total = _total_row(budget)
    return replace(draft, indicators=lines, budget=_budget_lines(draft.budget, budget),
                   budget_score=_number(total.score) if total is not None and total.score is not None else draft.budget_score,
                   budget_cause=(total.cause if total is not None and total.cause else draft.budget_cause))


def _printed(project, budget, rows) -> SelfEvalDraft:
    """A table with no approved target here, kept as printed."""
    total = _total_row(budget)
    indicators = [IndicatorLine(level1=r.level1, level2=r.level2, level3=r.level3, direction=r.direction,
                                target_value=r.target_value, unit=r.unit, actual=r.actual, points=_number(r.points),
                                score=_number(r.score), score_note=r.score_note, deviation=r.deviation)
                  for r in rows]
    return SelfEvalDraft(
        None, PROJECT, project.year, DRAFT, 0, project_id=project.id, code=project.code, name=project.name,
        budget=_budget_lines([], budget), as_printed=True, settled=True, indicators=indicators,
        budget_points=_number(total.points) if total is not None else "",
        budget_score=_number(total.score) if total is not None else "",
        budget_cause=total.cause if total is not None else "",
        printed_total=next((b.total for b in budget if b.total is not None), None),
        printed_grade=next((b.grade for b in budget if b.grade), ""),
        printed_rate=total.rate if total is not None else "")


def _write(s, drafts, projects, held, job: JobControl) -> dict[tuple[int, str], int]:
    """Bulk writes: new tables inserted, held ones updated by key with their version, every
    table's indicator rows replaced by the file's. The ids written, by key. Every row names every
    column it sets (None meant as NULL: render_nulls keeps the rows in one executemany instead of
    one statement per pattern of blanks)."""
    inserts, updates, scored = [], [], {}
    for n, (key, (draft, target, status, score)) in enumerate(drafts.items()):
        project = projects[key]
        scored[key] = score
        head = {**head_values(draft, score), "status": status, "as_printed": draft.as_printed,
                "target_id": target.id if target is not None else None,
                "target_version": target.version if target is not None else None}
        ev = held.get(project.id)
        if ev is None:
            inserts.append({**head, "year": project.year, "object_type": PROJECT, "project_id": project.id,
                            "region_code": project.region_code})
        else:
            updates.append({**head, "id": ev.id, "version": ev.version})
        if n % 500 == 0:
            job.step(n, len(drafts))
    if inserts:
        s.execute(insert(SelfEvaluation).execution_options(render_nulls=True), inserts)
    if updates:
        s.execute(update(SelfEvaluation), updates)
        s.execute(delete(SelfEvalIndicator).where(SelfEvalIndicator.evaluation_id.in_([u["id"] for u in updates])))
    e = SelfEvaluation.__table__
    wanted = [projects[k].id for k in drafts]
    ids = {pid: (eid, region) for pid, eid, region in s.execute(
        select(e.c.project_id, e.c.id, e.c.region_code).where(e.c.project_id.in_(wanted), e.c.object_type == PROJECT))}
    lines = []
    for key, (draft, *_) in drafts.items():
        eid, region = ids[projects[key].id]
        lines.extend({**values, "evaluation_id": eid, "region_code": region}
                     for values in indicator_values(draft, scored[key]))
    if lines:
        s.execute(insert(SelfEvalIndicator).execution_options(render_nulls=True), lines)
    return {key: ids[projects[key].id][0] for key in drafts}
