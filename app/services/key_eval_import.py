"""重点评价 from Excel, all or nothing, every bad cell named (app.io.key_eval_io parses both sheets).

The file holds published reports, so each evaluation is taken as printed (as_printed): its rows,
分值, 得分, grades, 综合得分, 评价等级 and 执行率 as they are, for the check
(app.services.key_eval_year.check_year) to judge — a blank 综合得分 or 评价等级 stays blank (nothing
is invented). An evaluation is linked to its project when the 项目编码 is held in
that 年度, else named by 项目名称 and 实施单位. An 评价编号 already held that 年度 is replaced (its
texts — 主要绩效, 问题, 建议, 摘要 — kept) when its state allows editing; every evaluation imported
is 已定稿 (a published report). A 下级财政运行 evaluation naming one of the county's townships is
that township's, as when typed on the form (app.services.key_eval.region_of)."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from sqlalchemy import select

from app import changes
from app.domain.key_eval import BUREAU, THIRD_PARTY, ImportedEvaluation, ImportedScore, KeyEvalDraft, TreeLine
from app.io.key_eval_io import parse_evaluations
from app.jobs import JobControl, control
from app.money import wan_text
from app.rules.evaluation_check import CheckedEvaluation, check_evaluation
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, guard, project_codes, regions, workflow
from app.services.actor import Actor
from app.services.key_eval import region_of
from app.services.key_eval_records import STAGE, WORKFLOW, as_draft, head_values, leaves_of, score_lines, write_tree
from app.services.workflow import DRAFT, FINALIZE, FINALIZED
from app.services.workspace import Workspace
from db.models import Agency, KeyEvaluation, Project

IMPORT_STEPS = ("提交", "审核通过", FINALIZE.action)  # what an import as 已定稿 stands for


def _number(value) -> str:
    return "" if value is None else f"{value:f}"


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Import the file all or nothing; the sentence saying what landed."""
    actor = actor or ws.actor
    job = control(job)
    section = ws.rule_pack().section("key_evaluation")
    parsed, problems = parse_evaluations(path, job, subject_types=section["subject_types"],
                                         fund_types=section["fund_types"])
    if not parsed.evaluations and not problems:
        raise RejectedError("文件中没有重点评价数据行，未导入任何数据。")
    bands = ws.rule_pack().grade_bands
    scores: dict[str, list[ImportedScore]] = {}
    for r in parsed.scores:
        scores.setdefault(r.code, []).append(r)
    place = regions.choices(ws)
    years = {e.year for e in parsed.evaluations} or {0}
    with ws.session() as s:
        projects, _shared = project_codes.index(
            (((y, c), r, pid) for pid, y, c, r in s.execute(select(Project.id, Project.year, Project.code, Project.region_code)
                                                         .where(Project.year.in_(years)))), place.home_code)
        # 评价编号 is this database's numbering over all its evaluations, a township's 财政运行 ones included
        held = {(ev.year, ev.seq): ev for ev in s.scalars(select(KeyEvaluation).where(
            KeyEvaluation.year.in_(years), KeyEvaluation.seq.in_([e.code for e in parsed.evaluations] or [""])))}
        agencies = {name: aid for aid, name in s.execute(select(Agency.id, Agency.name))}
        refusal = next((r for r in (workflow.permission_refusal(actor, WORKFLOW, step) for step in IMPORT_STEPS) if r),
                       None)
        drafts: list[tuple[ImportedEvaluation, KeyEvalDraft, Optional[KeyEvaluation]]] = []
        for e in parsed.evaluations:
            ev = held.get((e.year, e.code))
            said = (workflow.change_refusal(WORKFLOW, ev.status, actor, ev) if ev is not None
                    else workflow.permission_refusal(actor, WORKFLOW, "新增")) or refusal
            if said:
                problems.append(CellProblem(parsed.evaluation_sheet, e.row, "评价编号", said, e.code))
                continue
            base = as_draft(ev, ev.items) if ev is not None else KeyEvalDraft(None, e.year, DRAFT, 0)
            draft = _draft(base, e, scores.get(e.code, []), projects, agencies, bands)
            if (bad := _outside(s, actor, e, draft)) is not None:
                problems.append(CellProblem(parsed.evaluation_sheet, e.row, bad[0], guard.OUT_OF_SCOPE, bad[1]))
                continue
            drafts.append((e, draft, ev))
        if problems:
            problems.sort(key=lambda c: (c.sheet != parsed.evaluation_sheet, c.row))
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        ids, added, flagged = _write(s, drafts, place, bands, job)
        rows = sum(len(d.leaves) for _, d, _ in drafts)
        sentence = (f"导入完成：{len(drafts)}项重点评价（新增{added}项，更新{len(drafts) - added}项），评分{rows}行，"
                    f"状态为已定稿。")
        if flagged:
            sentence += f"按原表导入后检查发现{flagged}处问题（合计、等级、得分、执行率或权重不符），可用检查导出问题清单。"
        audit.record(s, "导入", KeyEvaluation.label, sentence, changes={"file": str(path)}, user=actor.name)
        for year in sorted({d.year for _, d, _ in drafts}):
            changes.note(s, STAGE, year, [ids[n] for n, (_, d, _) in enumerate(drafts) if d.year == year])
    return sentence


def _outside(s, actor: Actor, e: ImportedEvaluation, draft: KeyEvalDraft) -> Optional[tuple[str, str]]:
    """The cell (header, value) naming an evaluation outside the actor's scope: a 第三方机构 imports
    only its own evaluations (评价机构), anyone else only those of projects within the scope."""
    scope = actor.scope
    if scope is None:
        return None
    if scope.agency_id is not None:
        return None if draft.agency_id == scope.agency_id else ("评价机构", e.evaluator)
    return ("项目编码", e.project_code) if draft.project_id is None or guard.projects_outside(
        s, actor, [draft.project_id]) else None


def _draft(base: KeyEvalDraft, e: ImportedEvaluation, rows: list[ImportedScore], projects, agencies,
           bands) -> KeyEvalDraft:
    """The evaluation as printed: the file's figures over what the held one had (its texts kept)."""
    leaves = [TreeLine(r.level1, r.level2, r.level3, _number(r.points), _number(r.score), deduction=r.deduction,
                       printed_grade=r.grade) for r in rows]
    total, grade = e.total, e.grade  # as printed: a blank stays blank (nothing is invented)
    evaluator = e.evaluator
    kind = BUREAU if not evaluator or "财政" in evaluator else THIRD_PARTY
    return replace(
        base, year=e.year, code=e.code, object_type=e.object_type, object_name=e.object_name,
        project_id=projects.get((e.year, e.project_code)) if e.project_code else None,
        unit_name=e.unit_name, office=e.office, fund_type=e.fund_type,
        budget=wan_text(e.budget_fen) if e.budget_fen is not None else "",
        spend=wan_text(e.spend_fen) if e.spend_fen is not None else "", printed_rate=e.rate,
        evaluator_kind=kind, evaluator_name=evaluator,
        agency_id=agencies.get(evaluator) if kind == THIRD_PARTY else None,
        leaves=leaves, as_printed=True, printed_total=total, printed_grade=grade or "")


def _write(s, drafts, place: regions.RegionChoices, bands, job: JobControl) -> tuple[list[int], int, int]:
    """The heads (new ones added in one flush), each tree replaced, the status 已定稿; each in its
    区划 as the form would place it (a township's 财政运行 evaluation: the township's). The ids in
    the drafts' order, how many were new, and how many findings the check has on them."""
    evs, added, flagged = [], 0, 0
    for e, draft, ev in drafts:
        region = region_of(place, draft.object_type, draft.object_name)
        if ev is None:
            ev = KeyEvaluation(year=draft.year, object_type=draft.object_type, object_name=draft.object_name,
                               status=DRAFT)
            s.add(ev)
            added += 1
        ev.region_code = region  # a held one too: the file's type and name decide, as on the form
        evs.append(ev)
    for (e, draft, _), ev in zip(drafts, evs):
        scored = score_lines(draft.leaves, bands)
        for key, value in head_values(draft, scored).items():
            setattr(ev, key, value)
        ev.year = draft.year
    s.flush()
    for n, ((e, draft, _), ev) in enumerate(zip(drafts, evs)):
        write_tree(s, ev, draft.leaves, score_lines(draft.leaves, bands), True)
        ev.status = FINALIZED
        workflow.touch(ev)
        flagged += len(check_evaluation(CheckedEvaluation(
            draft.code, draft.object_name, tuple(leaves_of(draft.leaves)), ev.total_score, ev.grade or "",
            ev.approved_budget_fen, ev.actual_spend_fen, ev.printed_rate or ""), bands))
        if n % 50 == 0:
            job.step(n, len(drafts))
    s.flush()
    job.step(len(drafts), len(drafts))
    return [ev.id for ev in evs], added, flagged
