"""结果应用: the measures (调减 / 取消 / 收回 / 暂停拨付 / 优先保障 / 保障 / 压缩 / 通报 / 公开 / 报人大)
an officer decides on a project or department, with the budget year they affect, the amount, the
依据 (an evaluation, a self-evaluation, a monitoring record or an ex-ante assessment) and 执行情况.

The pack suggests a measure from a grade (`suggest`); nothing is ever applied by itself. Every write
checks the draft with app.rules.results, the version the form read and the kernel's permission,
then audits and notes the change ("results"). Reads: one measure, the year's table with its counts,
and the measures that affect a project's budget (`measures_for`)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, or_, select

from app import changes
from app.domain.results import (BASIS_EXANTE, BASIS_KEY_EVAL, BASIS_LINKS, BASIS_MONITORING, BASIS_OTHER,
                                BASIS_SELF_EVAL, OBJECT_DEPARTMENT, OBJECT_NAME, OBJECT_PROJECT, ResultCounts,
                                ResultDraft, ResultRow, ResultYear)
from app.money import wan_text
from app.rules.results import ResultUseRules, check_draft, count_measures, group_rows
from app.rules.validation import RejectedError
from app.services import access, audit, regions, workflow
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models.base_data import Department, Project
from db.models.evaluation import ExAnteAssessment, KeyEvaluation, SelfEvaluation
from db.models.followup import Rectification, ResultApplication
from db.models.monitoring import MonitoringRecord, MonitoringRound

STAGE = "results"
WORKFLOW = workflow.Workflow(ResultApplication, "结果应用措施", "这条结果应用措施", ())
CLOSED = "已销号"
_LINK_MODELS = {BASIS_KEY_EVAL: KeyEvaluation, BASIS_SELF_EVAL: SelfEvaluation,
                BASIS_MONITORING: MonitoringRecord, BASIS_EXANTE: ExAnteAssessment}


def rules(ws: Workspace) -> ResultUseRules:
    return ResultUseRules.from_pack(ws.rule_pack())


def suggest(ws: Workspace, grade: Optional[str]) -> Optional[str]:
    """The measure the pack suggests for a grade — shown to the officer, who decides."""
    return rules(ws).suggest(grade)


# -- reading -----------------------------------------------------------------------------------------------
def _basis_text(s, basis: str, basis_id: Optional[int]) -> str:
    model = _LINK_MODELS.get(basis)
    record = s.get(model, basis_id) if model is not None and basis_id is not None else None
    if record is None:
        return basis if basis != BASIS_OTHER else ""
    if basis == BASIS_MONITORING:
        rnd = s.get(MonitoringRound, record.round_id)
        project = s.get(Project, record.project_id)
        return f"{rnd.year}年{rnd.name}监控：{project.name if project else ''}"
    name = getattr(record, "object_name", None)
    if not name and record.project_id is not None:
        project = s.get(Project, record.project_id)
        name = project.name if project else ""
    if not name and record.department_id is not None:
        dept = s.get(Department, record.department_id)
        name = dept.name if dept else ""
    grade = f"（{record.grade}）" if getattr(record, "grade", None) else ""
    return f"{record.year}年{basis}：{name}{grade}"


def _basis_of(item: ResultApplication) -> tuple[str, Optional[int]]:
    for word, attr in BASIS_LINKS.items():
        if getattr(item, attr) is not None:
            return word, getattr(item, attr)
    return item.source or BASIS_OTHER, None


def _row(s, item: ResultApplication, names: dict[str, str]) -> ResultRow:
    basis, basis_id = _basis_of(item)
    kind = OBJECT_PROJECT if item.project_id else OBJECT_DEPARTMENT if item.department_id else OBJECT_NAME
    return ResultRow(item.id, item.version, item.year, item.measure, item.object_name, kind, item.project_id,
                     item.department_id, item.amount_fen, item.affect_year, basis, basis_id,
                     _basis_text(s, basis, basis_id), item.explanation or "", item.execution or "", item.note or "",
                     item.count, item.region_code, names.get(item.region_code, item.region_code))


def open_measure(ws: Workspace, measure_id: int) -> ResultDraft:
    """The stored measure as a draft (amount as 万元 text), with the version the form will send back."""
    with ws.session() as s:
        item = s.get(ResultApplication, measure_id)
        if item is None:
            raise RejectedError("这条结果应用措施已被删除。")
        basis, basis_id = _basis_of(item)
        return ResultDraft(year=item.year, measure=item.measure, project_id=item.project_id,
                           department_id=item.department_id, object_name=item.object_name,
                           affect_year=str(item.affect_year or ""),
                           amount="" if item.amount_fen is None else wan_text(item.amount_fen),
                           count="" if item.count is None else str(item.count), basis=basis,
                           basis_id=basis_id, explanation=item.explanation or "", execution=item.execution or "",
                           note=item.note or "", measure_id=item.id, version=item.version)


def list_year(ws: Workspace, year: int, region: Optional[str] = None) -> list[ResultRow]:
    """The measures decided in a year (of one region when `region` names its code), in the order they
    were entered."""
    names = regions.names(ws)
    with ws.session() as s:
        items = s.scalars(select(ResultApplication).where(ResultApplication.year == year,
                                                          *regions.clause(ResultApplication, region),
                                                          *access.where(ws.actor, ResultApplication))
                          .order_by(ResultApplication.id)).all()
        return [_row(s, item, names) for item in items]


def year_table(ws: Workspace, year: int, region: Optional[str] = None) -> ResultYear:
    """The year's table (of one region when `region` names its code): measures grouped by 措施 with a
    小计 each, the 合计, and the counts (问题数 and 已整改数 from the year's 整改台账; 公开 and 报人大 from
    the measures' 数量 and the year's 重点评价 flagged so) — in a county with townships, all regions
    asked, also the counts of each region (本级 first, then the townships)."""
    rows = list_year(ws, year, region)
    use, place = rules(ws), regions.choices(ws)
    with ws.session() as s:
        r, k = Rectification, KeyEvaluation
        mine = (r.year == year, *regions.clause(r, region), *access.where(ws.actor, r))
        per_region = lambda *where: dict(s.execute(  # noqa: E731
            select(r.region_code, func.count()).where(*mine, *where).group_by(r.region_code)).all())
        problems, rectified = per_region(), per_region(or_(r.status == CLOSED, r.closed.is_(True)))
        flagged = lambda flag: s.execute(select(k.id, k.region_code).where(  # noqa: E731
            k.year == year, flag.is_(True), *regions.clause(k, region), *access.where(ws.actor, k))).all()
        published, congress = flagged(k.published), flagged(k.reported_to_congress)

    def counts(keep) -> ResultCounts:  # the counts of the regions `keep` takes
        return count_measures([x for x in rows if keep(x.region_code)],
                              problems=sum(n for code, n in problems.items() if keep(code)),
                              rectified=sum(n for code, n in rectified.items() if keep(code)),
                              published=[i for i, code in published if keep(code)],
                              to_congress=[i for i, code in congress if keep(code)])

    by_region: tuple = ()
    if place.shown and not region:
        found = [x.region_code for x in rows] + [*problems] + [code for _, code in (*published, *congress)]
        codes = dict.fromkeys([place.home_code, *dict(place.townships), *found])
        by_region = tuple((place.label_of(code), counts(lambda c, code=code: c == code)) for code in codes)
    groups = group_rows(rows, use)
    return ResultYear(year, groups, sum(g.subtotal_fen for g in groups), counts(lambda c: True),
                      place.label_of(region), place.shown, by_region)


def measures_for(ws: Workspace, project_id: int) -> list[ResultRow]:
    """The measures that affect this project's budget: 影响年度 is its year and the object is the
    project itself or the project with the same 项目编码 in the same region the year before (townships
    may reuse a code)."""
    names = regions.names(ws)
    with ws.session() as s:
        project = s.get(Project, project_id)
        if project is None:
            return []
        earlier = s.scalars(select(Project.id).where(Project.code == project.code, Project.year == project.year - 1,
                                                     Project.region_code == project.region_code)).all()
        items = s.scalars(select(ResultApplication).where(
            ResultApplication.affect_year == project.year,
            ResultApplication.project_id.in_([project.id, *earlier])).order_by(ResultApplication.id)).all()
        return [_row(s, item, names) for item in items]


# -- writing -----------------------------------------------------------------------------------------------
def _object_name(s, draft: ResultDraft) -> str:
    if draft.project_id is not None:
        project = s.get(Project, draft.project_id)
        if project is None:
            raise RejectedError("所选项目已被删除，请重新选择对象。")
        return project.name
    if draft.department_id is not None:
        dept = s.get(Department, draft.department_id)
        if dept is None:
            raise RejectedError("所选部门已被删除，请重新选择对象。")
        return dept.name
    return ""


def _link(s, draft: ResultDraft, basis: str) -> dict:
    links = {attr: None for attr in BASIS_LINKS.values()}
    model = _LINK_MODELS.get(basis)
    if model is not None and draft.basis_id is not None:  # the word alone: a report naming no record
        if s.get(model, draft.basis_id) is None:
            raise RejectedError(f"作为依据的{basis}记录已被删除，请重新选择依据。")
        links[BASIS_LINKS[basis]] = draft.basis_id
    return links


def save(ws: Workspace, draft: ResultDraft, actor: Optional[Actor] = None) -> ResultDraft:
    """Create the measure (first save) or change it (the version the form read must still be the
    stored one). Refused as a whole, naming every field to fix, when the draft is not complete."""
    actor = actor or ws.actor
    use = rules(ws)
    with ws.session() as s:
        region = regions.of_owner(s, draft.project_id, draft.department_id, ws.home_region())
        checked, report = check_draft(draft, use, _object_name(s, draft))
        if checked is None:
            raise RejectedError("结果应用措施未保存：" + "；".join(p.message for p in report.problems), report)
        values = dict(measure=checked.measure, object_name=checked.object_name, affect_year=checked.affect_year,
                      amount_fen=checked.amount_fen, count=checked.count, source=checked.basis, explanation=checked.explanation,
                      execution=checked.execution, note=checked.note, project_id=draft.project_id,
                      department_id=draft.department_id if draft.project_id is None else None,
                      **_link(s, draft, checked.basis))
        if draft.measure_id is None:
            workflow.permit(actor, WORKFLOW, "新增")
            item = ResultApplication(year=draft.year, region_code=region, **values)
            s.add(item)
            action = "新增"
        else:
            item = _load(s, draft.measure_id, draft.version, actor, "修改")
            for key, value in values.items():
                setattr(item, key, value)
            item.region_code = region
            action = "修改"
        s.flush()
        amount = f"{wan_text(item.amount_fen)}万元" if item.amount_fen is not None else ""
        audit.record(s, action, ResultApplication.label,
                     f"{item.year}年结果应用：{item.object_name} {item.measure}{amount}，影响{item.affect_year}年预算",
                     uuid=item.uuid, user=actor.name, changes={k: v for k, v in values.items() if v is not None})
        changes.note(s, STAGE, item.year, [item.id])
        measure_id = item.id
    return open_measure(ws, measure_id)


def _load(s, measure_id: Optional[int], version: Optional[int], actor: Actor, action: str) -> ResultApplication:
    item = s.get(ResultApplication, measure_id) if measure_id is not None else None
    if item is None:
        raise RejectedError("这条结果应用措施已被删除，您的修改没有保存。")
    if item.version != version:
        raise RejectedError("这条结果应用措施刚被其他人修改过，您的修改没有保存。请重新打开后再改。")
    workflow.permit(actor, WORKFLOW, action, item)
    return item


def delete(ws: Workspace, measure_id: int, version: int, actor: Optional[Actor] = None) -> None:
    """Delete one measure (refused when it changed since the form read it)."""
    actor = actor or ws.actor
    with ws.session() as s:
        item = _load(s, measure_id, version, actor, "删除")
        year, said = item.year, f"{item.year}年结果应用：{item.object_name} {item.measure}"
        audit.record(s, "删除", ResultApplication.label, said, uuid=item.uuid, user=actor.name)
        s.delete(item)
        changes.note(s, STAGE, year, [measure_id])


def export_results(ws: Workspace, year: int, fmt: str, path, region: Optional[str] = None) -> int:
    """`export results`: the year's table (of one region when `region` names its code) as xlsx (counts
    on a second sheet, per 区划 on a third) or pdf; returns the number of measures."""
    from app.io.results_reports import render_results

    return render_results(year_table(ws, year, region), fmt, path)


__all__ = ["WORKFLOW", "STAGE", "suggest", "save", "delete", "open_measure", "list_year", "year_table",
           "measures_for", "export_results"]
