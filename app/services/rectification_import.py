"""整改台账 from Excel, all or nothing, every bad cell named (app.io.rectification_io parses).

Every row becomes a new item (imports add to the ledger; nothing is matched or updated). The
项目编码 must exist in the row's 年度 (blank: no project); deadlines are defaulted as the rules say
(a 反馈日期 without a 整改期限 gets 反馈日期 + 30 days); an item imported as 已销号 needs no 核验
fields. The 来源编号 is kept as the office wrote it."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import insert, select

from app import changes
from app.domain.rectification import CLOSED, KEY_EVAL, SELF_EVAL, VERIFICATION
from app.io.rectification_io import parse_rectifications
from app.jobs import JobControl, control
from app.rules import rectification as R
from app.rules.validation import CellProblem, RejectedError
from app.services import access, audit, project_codes, workflow
from app.services.actor import Actor
from app.services.rectification import STAGE, WORKFLOW, rules
from app.services.workspace import Workspace
from db.base import new_uuid
from db.models import Department, Project, Rectification


def project_years(source: str, year: int) -> tuple[int, int]:
    """Where a row's 项目编码 is looked up: an evaluation found in 年度 judged the year before's budget
    (钢城 evaluated 2022's projects in 2023), so 重点评价 / 自评 / 真实性核查 look there first; the
    others (监控, 审计, 事前评估) in 年度 first. Either year is accepted."""
    return (year - 1, year) if source in (KEY_EVAL, SELF_EVAL, VERIFICATION) else (year, year - 1)


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Import the file all or nothing; the sentence saying what landed."""
    actor = actor or ws.actor
    job = control(job)
    rows, problems = parse_rectifications(path, job)
    if not rows and not problems:
        raise RejectedError("文件中没有整改事项行，未导入任何数据。")
    settled = rules(ws)
    refusal = workflow.permission_refusal(actor, WORKFLOW, "新增")
    with ws.session() as s:
        years = {y for r in rows if r.year for y in (r.year, r.year - 1)}
        p = Project.__table__
        projects, _shared = project_codes.index((((y, c), region, (pid, region, unit)) for pid, y, c, region, unit in s.execute(
            select(p.c.id, p.c.year, p.c.code, p.c.region_code, p.c.unit_id).where(p.c.year.in_(years or {0})))),
            ws.home_region())
        units = dict(s.execute(select(Department.__table__.c.id, Department.__table__.c.name)).all())
        inside = None if actor.scope is None else set(s.scalars(
            select(p.c.id).where(p.c.year.in_(years or {0}), *access.where(actor, Project))))
        home = ws.home_region()
        values = []
        for n, r in enumerate(rows):
            if refusal:
                problems.append(CellProblem("整改事项", r.row, "问题描述", refusal, r.description))
                break
            found = None
            if r.project_code and r.year:
                found = next(filter(None, (projects.get((y, r.project_code)) for y in project_years(r.source, r.year))),
                             None)
                if found is None:
                    problems.append(CellProblem("整改事项", r.row, "项目编码",
                                                f"应为{r.year}或{r.year - 1}年度已有的项目编码（不针对项目时不填）",
                                                r.project_code))
            if inside is not None and (found[0] not in inside if found else not r.project_code):
                problems.append(CellProblem("整改事项", r.row, "项目编码", access.OUT_OF_SCOPE, r.project_code))
            feedback, deadline = R.default_dates(settled, feedback=r.feedback_date, deadline=r.deadline)
            pid, region, unit = found or (None, home, None)
            values.append({
                "uuid": new_uuid(), "region_code": region, "source": r.source, "year": r.year, "project_id": pid,
                "department_id": None, "category": r.category or None, "description": r.description,
                "source_ref": r.source_ref or None,
                "requirement": r.requirement or None, "responsible": r.responsible or units.get(unit) or None,
                "feedback_date": feedback, "deadline": deadline, "measures": r.measures or None,
                "completed_on": r.completed_on, "status": r.status, "closed": r.status == CLOSED,
                "progress": None, "verify_result": None, "verifier": None, "verified_on": None, "note": None,
                "key_evaluation_id": None, "self_evaluation_id": None, "monitoring_record_id": None,
                "exante_id": None, "verification_item_id": None})
            if n % 500 == 0:
                job.step(n, len(rows))
        if problems:
            problems.sort(key=lambda c: (c.sheet, c.row))
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        s.execute(insert(Rectification).execution_options(render_nulls=True), values)
        uuids = [v["uuid"] for v in values]
        ids = dict(s.execute(select(Rectification.__table__.c.uuid, Rectification.__table__.c.id).where(
            Rectification.__table__.c.uuid.in_(uuids))).all())
        closed = sum(v["closed"] for v in values)
        sentence = f"导入完成：{len(values)}项整改事项" + (f"（其中{closed}项已销号）" if closed else "") + "。"
        audit.record(s, "导入", Rectification.label, sentence, changes={"file": str(path)}, user=actor.name)
        for year in {v["year"] for v in values}:
            changes.note(s, STAGE, year, [ids[v["uuid"]] for v in values if v["year"] == year])
    return sentence
