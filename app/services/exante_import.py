"""Past 事前绩效评估 from Excel, taken as printed (得分, 等级, 结论 kept; 调减金额 derived), all or
nothing: app.io.exante_io names the cells malformed on their own, this names what only the
database can tell — a 项目编码 the year does not hold, an assessment the year already has, a
creation the actor may not make — in the same refusal. The rows land as 已定稿 (a finished report)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import insert, select

from app import changes
from app.io.exante_io import SHEET, parse_exante
from app.jobs import JobControl, control
from app.rules.exante import cut_fen
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, guard, project_codes, workflow
from app.services.actor import Actor
from app.services.exante_records import STAGE, WORKFLOW
from app.services.workflow import FINALIZED
from app.services.workspace import Workspace
from db.models import Agency, ExAnteAssessment, Project


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Import the file all or nothing; the sentence saying what landed."""
    actor = actor or ws.actor
    job = control(job)
    rows, problems = parse_exante(path, job)
    if not rows and not problems:
        raise RejectedError("文件中没有事前评估数据行，未导入任何数据。")
    # the rows land as 已定稿: the import stands for 新增, 提交, 审核通过 and 定稿 (as the 重点评价 import)
    refusal = next((r for r in (workflow.permission_refusal(actor, WORKFLOW, step)
                                for step in ("新增", "提交", "审核通过", "定稿")) if r), None)
    home = ws.home_region()
    with ws.session() as s:
        years = {r.year for r in rows} or {0}
        projects, shared = project_codes.index((((p.year, p.code), p.region_code, p) for p in s.scalars(
            select(Project).where(Project.year.in_(years)))), home)
        e = ExAnteAssessment.__table__
        held = s.execute(select(e.c.year, e.c.project_id, e.c.object_name).where(e.c.year.in_(years))).all()
        held_projects = {(y, pid) for y, pid, _ in held if pid}
        held_names = {(y, name.strip()) for y, pid, name in held if not pid}
        agencies = {a.name: a.id for a in s.scalars(select(Agency))}
        values = []
        for r in rows:
            project = projects.get((r.year, r.code)) if r.code else None
            if r.code and project is None:
                problems.append(CellProblem(SHEET, r.row, "项目编码", project_codes.not_found(
                    r.year, r.code, shared, s, expected="应为{year}年度已有的项目编码（新项目或政策可不填）"), r.code))
                continue
            if (project is not None and (r.year, project.id) in held_projects) or \
                    (project is None and (r.year, r.name.strip()) in held_names):
                header, shown = ("项目编码", r.code) if project is not None else ("评估对象", r.name)
                problems.append(CellProblem(SHEET, r.row, header, f"{r.year}年度已有这个评估对象的事前评估，不能重复导入", shown))
                continue
            if refusal:
                problems.append(CellProblem(SHEET, r.row, "评估对象", refusal, r.name))
                continue
            kind = "财政" if r.evaluator in ("", "财政", "财政局", "财政部门") else "第三方"
            if (bad := _outside(s, actor, r, project, agencies.get(r.evaluator))) is not None:
                problems.append(CellProblem(SHEET, r.row, bad[0], guard.OUT_OF_SCOPE, bad[1]))
                continue
            values.append({
                "year": r.year, "object_type": "项目", "project_id": project.id if project else None,
                "department_id": project.department_id if project else None,
                "object_name": r.name, "requested_fen": r.requested_fen, "recommended_fen": r.recommended_fen,
                "cut_fen": cut_fen(r.requested_fen, r.recommended_fen), "total_score": r.score,
                "grade": r.grade or None, "conclusion": r.conclusion or None, "evaluator_kind": kind,
                "agency_id": agencies.get(r.evaluator), "evaluator_name": r.evaluator if kind == "第三方" else None,
                "status": FINALIZED, "region_code": project.region_code if project else home,
                "note": "按原评估报告导入"})
        if problems:
            problems.sort(key=lambda c: (c.sheet, c.row))
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        s.execute(insert(ExAnteAssessment).execution_options(render_nulls=True), values)
        sentence = f"导入完成：{len(values)}份事前评估（按原报告的得分、等级和结论录入，状态为已定稿）。"
        audit.record(s, "导入", ExAnteAssessment.label, sentence, changes={"file": str(path)}, user=actor.name)
        for year in {v["year"] for v in values}:
            ids = s.execute(select(e.c.id).where(e.c.year == year)).scalars().all()
            changes.note(s, STAGE, year, ids)
    return sentence


def _outside(s, actor: Actor, r, project, agency_id: Optional[int]) -> Optional[tuple[str, str]]:
    """The cell (header, value) naming a row outside the actor's scope: a 第三方机构 imports only its
    own assessments (评估机构), anyone else only those of projects within the scope."""
    scope = actor.scope
    if scope is None:
        return None
    if scope.agency_id is not None:
        return None if agency_id == scope.agency_id else ("评估机构", r.evaluator)
    if project is None:
        return ("评估对象", r.name)
    return ("项目编码", r.code) if guard.projects_outside(s, actor, [project.id]) else None
