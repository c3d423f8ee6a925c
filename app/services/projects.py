"""项目: the year's list (frozen view rows, app.domain.projects), one project's form text, and the
edits — every save and delete audited with the actor and noted as a "projects" change of the
project's year. The fields, the rule object and the list's search are app.domain.projects; the
import is app.services.project_import."""

from __future__ import annotations

from typing import Any, Optional

from sqlalchemy import func, select

from app import changes
from app.domain.projects import (  # noqa: F401 - re-exported: the form, pages and tests use them from here
    CATEGORIES, FIELD_BY_KEY, FUND_TYPES, HAS_CHILDREN, OPTIONAL_HEADERS, PARENT_NOT_TOP, PROJECT_FIELDS,
    REQUIRED_HEADERS, ProjectList, ProjectRow, filter_rows, validate,
)
from app.jobs import JobControl
from app.money import wan_text
from app.rules.validation import RejectedError, Report
from app.services import access, audit, guard, regions
from app.services.actor import Actor
from app.services.base_data import DeptResolver, dept_display
from app.services.references import delete_record
from app.services.workspace import Workspace
from db.models import Department, FinanceOffice, Project

STAGE = "projects"  # the change-notification key (app.changes)


def apply_values(project: Project, values: dict[str, Any], dept: Department, unit: Department,
                 office: Optional[FinanceOffice]) -> None:
    project.code, project.name, project.year = values["code"], values["name"], values["year"]
    project.department, project.unit, project.office = dept, unit, office
    project.fund_type, project.category = values["fund_type"], values["category"]
    project.initial_budget_fen, project.annual_budget_fen = values["initial_budget"], values["annual_budget"]
    project.fiscal_fen, project.other_fen = values["fiscal"], values["other"]
    project.is_key = values["is_key"]
    project.period_start, project.period_end = values["period_start"], values["period_end"]
    project.region_code = dept.region_code


# -- the year's list -----------------------------------------------------------------------
def list_projects(ws: Workspace, year: int, region: Optional[str] = None) -> list[ProjectRow]:
    """The year's projects for lists and exports, ordered by code (one region's, when given)."""
    return list(project_list(ws, year, region).rows)


def project_list(ws: Workspace, year: int, region: Optional[str] = None) -> ProjectList:
    """The projects page's view: the year's projects (of one 区划 when `region` is a code), ordered
    by code, each with its region's name, and the departments of the 部门 filter. Read with Core on
    the tables (no ORM objects): departments and offices are small lookups, projects one plain query."""
    p, d, o = Project.__table__, Department.__table__, FinanceOffice.__table__
    stmt = (select(p.c.id, p.c.code, p.c.name, p.c.year, p.c.department_id, p.c.unit_id, p.c.office_id,
                   p.c.fund_type, p.c.category, p.c.is_key, p.c.parent_id, p.c.initial_budget_fen,
                   p.c.annual_budget_fen, p.c.fiscal_fen, p.c.other_fen, p.c.period_start, p.c.period_end,
                   p.c.region_code)
            .where(p.c.year == year, *access.where(ws.actor, Project), *regions.clause(p, region))
            .order_by(p.c.code, p.c.region_code))
    with ws.read() as conn:
        listed = conn.execute(select(d.c.id, d.c.code, d.c.name).order_by(d.c.region_code, d.c.code)).all()
        offices = dict(conn.execute(select(o.c.id, o.c.name)).all())
        found = conn.execute(stmt).all()
    depts = {i: dept_display(c, n) for i, c, n in listed}
    codes = {r[0]: r[1] for r in found}
    named = regions.names(ws)
    rows = []
    for (pid, code, name, yr, dept_id, unit_id, office_id, fund, cat, key, parent_id,
         initial, annual, fiscal, other, start, end, region_code) in found:
        d_disp, u_disp = depts[dept_id], depts[unit_id]
        place = named.get(region_code, region_code or "")
        rows.append(ProjectRow(pid, code, name, yr, d_disp, u_disp, offices.get(office_id, ""), fund, cat, bool(key),
                               codes.get(parent_id, ""), initial, annual, fiscal, other, dept_id, unit_id,
                               start or "", end or "",
                               f"{code}\n{name}\n{d_disp}\n{u_disp}\n{place}".casefold(),
                               region_code=region_code or "", region=place))
    return ProjectList(year, tuple(rows), tuple(depts.items()))


def export_projects(ws: Workspace, year: int, fmt: str, path, region: Optional[str] = None,
                    job: Optional[JobControl] = None) -> int:
    """The year's 项目清单 (one region's, named in its title, when `region` is a code) as xlsx or pdf;
    the number of projects."""
    from app.io.projects_io import render_projects

    chosen = regions.choices(ws)
    return render_projects(list_projects(ws, year, region), year, fmt, path, job, region=chosen.label_of(region),
                           with_regions=chosen.shown)


CREATED_YEARS = "years"  # setting: the years started with 新建年度 (a comma list), listed even with no projects


def created_years(text: Optional[str]) -> set[int]:
    return {int(y) for y in (text or "").split(",") if y.strip().isdigit()}


def list_years(ws: Workspace) -> list[int]:
    """Every year with projects, and every year started (app.services.new_year) though still empty."""
    p = Project.__table__
    with ws.read() as conn:
        found = set(conn.execute(select(p.c.year).distinct()).scalars())
    return sorted(found | created_years(ws.get_setting(CREATED_YEARS)))


# -- one project ---------------------------------------------------------------------------
YEAR_WITH_CHILDREN = "本项目下已有{n}个二级项目，不能单独改年度"
STALE = "这个项目刚被其他人修改过，您的修改没有保存。请关闭表单、重新打开后再改。"
GONE = "这个项目已被删除，您的修改没有保存。"
NO_VERSION = "不知道这个项目是在哪一版上修改的，无法确认它没有被其他人改过，您的修改没有保存。请重新打开后再改。"


def form_values(ws: Workspace, project_id: int) -> dict[str, str]:
    """A project's fields as the text the form shows (money in 万元, departments as [编码]名称),
    with the version it was read at, so a save can tell whether someone changed it since."""
    with ws.session() as s:
        p = s.get(Project, project_id)
        return {
            "code": p.code, "name": p.name, "year": str(p.year),
            "department": p.department.display, "unit": p.unit.display,
            "fund_type": p.fund_type, "category": p.category,
            "initial_budget": wan_text(p.initial_budget_fen), "annual_budget": wan_text(p.annual_budget_fen),
            "office": p.office.name if p.office else "", "fiscal": wan_text(p.fiscal_fen),
            "other": wan_text(p.other_fen), "is_key": "是" if p.is_key else "否",
            "parent_code": p.parent.code if p.parent else "",
            "period_start": p.period_start or "", "period_end": p.period_end or "",
            "version": str(p.version),
        }


def save_project(ws: Workspace, raw: dict[str, Any], project_id: Optional[int] = None,
                 actor: Optional[Actor] = None) -> int:
    """Create or update one project from form text. Raises RejectedError with field problems.
    An update must carry raw["version"] (from form_values): a project changed or deleted since the
    form was opened is refused rather than overwritten, and so is an update without a version."""
    if project_id and not str(raw.get("version") or "").strip():
        raise RejectedError(NO_VERSION)
    values, report = validate(raw)
    actor = actor or ws.actor
    with ws.session() as s:
        project = s.get(Project, project_id) if project_id else None
        if project_id and project is None:
            raise RejectedError(GONE)
        if project is not None and str(project.version) != str(raw["version"]).strip():
            raise RejectedError(STALE)
        guard.permit(actor, guard.PROJECTS, "修改" if project is not None else "新增", project)
        region = project.region_code if project is not None else ws.home_region()  # a township's stays its own
        resolver = DeptResolver(s, region)
        dept = _existing(resolver, values, report, "department", "应从列表中选择已有的部门，新部门请先在“基础数据”中建立")
        unit = _existing(resolver, values, report, "unit", "应从列表中选择已有的单位，新单位请先在“基础数据”中建立")
        office = None
        if values.get("office"):
            office = s.scalars(select(FinanceOffice).where(FinanceOffice.name == values["office"])).first()
            if office is None:
                report.add("office", "应从列表中选择已有的归口科室，新科室请先在“基础数据”中建立")
        if not report.fields() & {"code", "year"}:
            clash = s.scalar(select(Project.id).where(Project.year == values["year"], Project.code == values["code"],
                                                Project.region_code == region))
            if clash and clash != project_id:
                report.add("code", f"{values['year']}年度已有编码为{values['code']}的项目，编码在同一年度内应唯一")
        children = s.scalar(select(func.count()).select_from(Project).where(Project.parent_id == project_id)) if project_id else 0
        if children and "year" not in report.fields() and values["year"] != project.year:
            report.add("year", YEAR_WITH_CHILDREN.format(n=children))
        parent = None
        if values.get("parent_code") and not report.fields() & {"parent_code", "year"}:
            parent = s.scalars(select(Project).where(Project.year == values["year"], Project.code == values["parent_code"],
                                                   Project.region_code == region)).first()
            if parent is None:
                report.add("parent_code", f"{values['year']}年度没有编码为{values['parent_code']}的项目")
            elif parent.parent_id is not None:
                report.add("parent_code", PARENT_NOT_TOP.format(code=parent.code))
            elif children:
                report.add("parent_code", HAS_CHILDREN)
        if report.ok and not guard.fits(actor, dept, unit, values.get("office")):
            field = "unit" if actor.scope.unit_id else "office" if actor.scope.office_id else "department"
            report.add(field,
                       f"{guard.OUT_OF_SCOPE}：项目应属于您管理的{actor.scope.label or actor.scope.code}")
        if not report.ok:
            raise RejectedError("项目信息有误，请按提示修改。", report)
        action = "修改" if project else "新增"
        years = {values["year"]} | ({project.year} if project is not None else set())
        if project is None:
            project = Project()
        apply_values(project, values, dept, unit, office)
        project.parent = parent
        s.add(project)
        s.flush()
        audit.record(s, action, Project.label, f"{action}项目 {project.code} {project.name}", uuid=project.uuid,
                     changes=values, user=actor.name)
        for year in years:  # a project moved to another 年度 leaves one list and joins another
            changes.note(s, STAGE, year, [project.id])
        return project.id


def _existing(resolver: DeptResolver, values: dict, report: Report, key: str, missing: str):
    if key in report.fields():
        return None
    found = resolver.find(values[key])
    if found is None:
        report.add(key, missing)
    return found


def delete_project(ws: Workspace, project_id: int, actor: Optional[Actor] = None) -> None:
    actor = actor or ws.actor
    with ws.session() as s:
        guard.permit(actor, guard.PROJECTS, "删除", s.get(Project, project_id))
    delete_record(ws, Project, project_id, lambda p: f"项目“{p.code} {p.name}”", STAGE, lambda p: p.year, actor)
