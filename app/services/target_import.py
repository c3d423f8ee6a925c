"""绩效目标 from a flat 一体化 workbook: app.io.targets_import parses the file into one draft per
project; this checks the drafts against the database with the rules the form save uses (the
project exists in that year; the workflow lets its target be edited), names every bad cell with
nothing written, or writes everything in one transaction in bulk, audits and notes the change."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import delete, insert, select, update

from app import changes
from app.domain.targets import PROJECT, ImportedTarget, TargetDraft, check_input, first_number_of, points_of
from app.io.targets_import import parse_targets
from app.jobs import JobControl, control
from app.rules.target_check import CheckSettings, check_target
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, guard, project_codes, workflow
from app.services.actor import Actor
from app.services.target_records import STAGE, TARGETS
from app.services.workflow import DRAFT
from app.services.workspace import Workspace
from db.models import PerformanceTarget, Project, TargetIndicator


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Import the file all or nothing; the sentence saying what landed."""
    actor = actor or ws.actor
    job = control(job)
    parsed, problems = parse_targets(path, job)
    found = {(t.year, t.code): t for t in parsed}
    with ws.session() as s:
        projects, shared = project_codes.index(
            (((y, c), region, pid) for pid, y, c, region in s.execute(select(Project.id, Project.year, Project.code, Project.region_code)
                                                                   .where(Project.year.in_({y for y, _ in found} or {0})))),
            ws.home_region())
        existing = {t.project_id: t for t in s.scalars(select(PerformanceTarget).where(
            PerformanceTarget.project_id.in_(list(projects.values()) or [0])))}
        away = guard.projects_outside(s, actor, [projects.get(key) for key in found])
        for (year, code), target in found.items():
            pid = projects.get((year, code))
            if pid is None:
                problems.append(CellProblem(target.sheet, target.first_row, "项目编码",
                                            project_codes.not_found(year, code, shared, s), code))
            elif pid in away:
                problems.append(CellProblem(target.sheet, target.first_row, "项目编码", guard.OUT_OF_SCOPE, code))
            else:  # the kernel says whether this actor may change it (its state, permissions)
                held = existing.get(pid)
                refusal = (workflow.change_refusal(TARGETS, held.status, actor, held) if held is not None
                           else workflow.permission_refusal(actor, TARGETS, "新增"))
                if refusal:
                    problems.append(CellProblem(target.sheet, target.first_row, "项目编码", refusal, code))
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        if not found:
            raise RejectedError("文件中没有指标数据行，未导入任何数据。")
        written = _write(s, ws, found, projects, existing, job)
        sentence = f"导入完成：{len(found)}个项目的绩效目标，共{sum(len(t.indicators) for t in found.values())}个指标。"
        audit.record(s, "导入", PerformanceTarget.label, sentence, changes={"file": str(path)}, user=actor.name)
        for year in {y for y, _ in found}:
            changes.note(s, STAGE, year, [tid for (y, _), tid in written.items() if y == year])
    return sentence


def _write(s, ws: Workspace, found: dict[tuple[int, str], ImportedTarget], projects: dict, existing: dict,
           job: JobControl) -> dict[tuple[int, str], int]:
    """Bulk writes (no per-object flush): new targets inserted, held ones updated by primary key
    with their version, every target's grid replaced by the file's rows. The ids written, by key."""
    settings, pack_version = CheckSettings.from_pack(ws.rule_pack()), ws.rule_pack().version
    p = Project.__table__
    wanted = [projects[key] for key in found]
    money = {pid: (total, fiscal, other, region) for pid, total, fiscal, other, region in s.execute(
        select(p.c.id, p.c.annual_budget_fen, p.c.fiscal_fen, p.c.other_fen, p.c.region_code).where(p.c.id.in_(wanted)))}
    inserts, updates = [], []
    for n, ((year, code), item) in enumerate(found.items()):
        pid = projects[(year, code)]
        held = existing.get(pid)
        overall = item.overall or (held.overall_goal if held is not None else "") or ""
        annual = item.annual or (held.annual_goal if held is not None else "") or ""
        funds = held.total_funds_fen if held is not None else money[pid][0]
        draft = TargetDraft(0, pid, year, DRAFT, 0, overall, annual, funds, item.indicators)
        head = {"overall_goal": overall or None, "annual_goal": annual or None, "rule_pack_version": pack_version,
                "quality_score": check_target(check_input(draft), settings).quality_score}
        if held is None:
            total, fiscal, other, region = money[pid]
            inserts.append({**head, "year": year, "kind": PROJECT, "project_id": pid, "status": DRAFT,
                            "total_funds_fen": total, "fiscal_fen": fiscal, "other_fen": other, "region_code": region})
        else:
            updates.append({**head, "id": held.id, "version": held.version})
        if n % 500 == 0:
            job.step(n, len(found))
    if inserts:
        s.execute(insert(PerformanceTarget), inserts)
    if updates:
        s.execute(update(PerformanceTarget), updates)
        s.execute(delete(TargetIndicator).where(TargetIndicator.target_id.in_([u["id"] for u in updates])))
    t = PerformanceTarget.__table__
    ids = {pid: (tid, region) for pid, tid, region in s.execute(
        select(t.c.project_id, t.c.id, t.c.region_code).where(t.c.project_id.in_(wanted)))}
    rows = []
    for key, item in found.items():
        tid, region = ids[projects[key]]
        rows.extend({"target_id": tid, "seq": seq, "level1": r.level1, "level2": r.level2, "level3": r.level3,
                     "direction": r.direction, "value_text": r.value, "value_num": first_number_of(r.value),
                     "unit": r.unit, "points": points_of(r.points), "explanation": r.explanation,
                     "region_code": region} for seq, r in enumerate(item.indicators, 1))
    s.execute(insert(TargetIndicator), rows)
    return {key: ids[projects[key]][0] for key in found}
