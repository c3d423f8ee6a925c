"""项目: the fields (one spec for form, import and export), validation, the year's list with
search/filter/sort, and edits. Money is fen here; the spec parses 万元 text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from sqlalchemy import func, select

from app.money import fmt_wan, wan_text
from app.rules import fields as F
from app.rules.validation import RejectedError, Report
from app.services import audit
from app.services.base_data import DeptResolver, delete_record, dept_display, parse_fields
from app.services.workspace import Workspace
from db.models import Department, FinanceOffice, Project

FUND_TYPES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "专项债券")
CATEGORIES = ("新增", "延续")

PROJECT_FIELDS: list[F.FieldSpec] = [
    F.FieldSpec("code", "项目编码", F.code(32), True, "本年度内唯一，按文本填写，保留前导0"),
    F.FieldSpec("name", "项目名称", F.text(200), True),
    F.FieldSpec("year", "年度", F.year, True, "四位年份，如2023"),
    F.FieldSpec("department", "主管部门", F.text(120), True, "填“[编码]名称”，如[213001]钢城区城市管理局；新部门将自动建立"),
    F.FieldSpec("unit", "实施单位", F.text(120), True, "填“[编码]名称”；与主管部门相同时照填"),
    F.FieldSpec("fund_type", "资金性质", F.choice(FUND_TYPES), True, "、".join(FUND_TYPES) + "之一"),
    F.FieldSpec("category", "项目类别", F.choice(CATEGORIES), True, "新增或延续"),
    F.FieldSpec("initial_budget", "年初预算数（万元）", F.money_wan(), True, "不小于0的数字，单位万元，最多6位小数"),
    F.FieldSpec("annual_budget", "全年预算数（万元）", F.money_wan(), True, "调整后全年预算数，单位万元"),
    F.FieldSpec("office", "归口科室", F.text(50, required=False), False, "财政归口科室，如经建科"),
    F.FieldSpec("fiscal", "财政拨款（万元）", F.money_wan(required=False), False, "不填时视为等于全年预算数减其他资金"),
    F.FieldSpec("other", "其他资金（万元）", F.money_wan(required=False), False, "财政拨款+其他资金应等于全年预算数"),
    F.FieldSpec("is_key", "重点项目", F.yes_no, False, "是或否，不填为否"),
    F.FieldSpec("parent_code", "上级项目编码", F.code(32, required=False), False, "二级项目填所属一级项目的编码"),
    F.FieldSpec("period_start", "实施期起", F.month(), False, "年月，如2023-01"),
    F.FieldSpec("period_end", "实施期止", F.month(), False, "年月，如2023-12"),
]
FIELD_BY_KEY = {spec.key: spec for spec in PROJECT_FIELDS}
REQUIRED_HEADERS = [s.label for s in PROJECT_FIELDS if s.required]
OPTIONAL_HEADERS = [s.label for s in PROJECT_FIELDS if not s.required]


def validate(raw: dict[str, Any]) -> tuple[dict[str, Any], Report]:
    """Parse a project's fields and apply the cross-field rules. Report keys are field keys."""
    values, report = parse_fields(PROJECT_FIELDS, raw)
    bad = report.fields()
    if not bad & {"annual_budget", "fiscal", "other"}:
        annual, fiscal, other = values["annual_budget"], values["fiscal"], values["other"]
        if fiscal is None and other is None:
            fiscal, other = annual, 0
        elif fiscal is None:
            fiscal = annual - other
        elif other is None:
            other = annual - fiscal
        if fiscal < 0 or other < 0 or fiscal + other != annual:
            report.add("fiscal", f"财政拨款与其他资金之和应等于全年预算数{fmt_wan(annual)}万元")
        values["fiscal"], values["other"] = fiscal, other
    if not bad & {"period_start", "period_end"} and values["period_start"] and values["period_end"]:
        if values["period_start"] > values["period_end"]:
            report.add("period_end", "实施期止应不早于实施期起")
    if values.get("parent_code") and values.get("parent_code") == values.get("code"):
        report.add("parent_code", "上级项目编码不能是本项目自己的编码")
    return values, report


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
@dataclass(slots=True)
class ProjectRow:
    id: int
    code: str
    name: str
    year: int
    department: str
    unit: str
    office: str
    fund_type: str
    category: str
    is_key: bool
    parent_code: str
    initial_fen: int
    annual_fen: int
    fiscal_fen: int
    other_fen: int
    department_id: int
    unit_id: int
    period_start: str
    period_end: str
    search_key: str = ""


def list_projects(ws: Workspace, year: int) -> list[ProjectRow]:
    """The year's projects for lists and exports, ordered by code. Read with Core on the tables
    (no ORM objects): departments and offices are small lookups, projects one plain query."""
    p, d, o = Project.__table__, Department.__table__, FinanceOffice.__table__
    stmt = (select(p.c.id, p.c.code, p.c.name, p.c.year, p.c.department_id, p.c.unit_id, p.c.office_id,
                   p.c.fund_type, p.c.category, p.c.is_key, p.c.parent_id, p.c.initial_budget_fen,
                   p.c.annual_budget_fen, p.c.fiscal_fen, p.c.other_fen, p.c.period_start, p.c.period_end)
            .where(p.c.year == year).order_by(p.c.code))
    with ws.read() as conn:
        depts = {i: dept_display(c, n) for i, c, n in conn.execute(select(d.c.id, d.c.code, d.c.name))}
        offices = dict(conn.execute(select(o.c.id, o.c.name)).all())
        found = conn.execute(stmt).all()
    codes = {r[0]: r[1] for r in found}
    rows = []
    for (pid, code, name, yr, dept_id, unit_id, office_id, fund, cat, key, parent_id,
         initial, annual, fiscal, other, start, end) in found:
        d_disp, u_disp = depts[dept_id], depts[unit_id]
        rows.append(ProjectRow(pid, code, name, yr, d_disp, u_disp, offices.get(office_id, ""), fund, cat, bool(key),
                               codes.get(parent_id, ""), initial, annual, fiscal, other, dept_id, unit_id,
                               start or "", end or "",
                               f"{code}\n{name}\n{d_disp}\n{u_disp}".casefold()))
    return rows


def list_years(ws: Workspace) -> list[int]:
    p = Project.__table__
    with ws.read() as conn:
        return sorted(conn.execute(select(p.c.year).distinct()).scalars())


def filter_rows(rows: Iterable[ProjectRow], text: str = "", department_id: Optional[int] = None,
                fund_type: Optional[str] = None, category: Optional[str] = None) -> list[ProjectRow]:
    """Instant search over code, name, department and unit; every term must match."""
    terms = text.casefold().split()
    out = []
    for row in rows:
        if department_id is not None and department_id not in (row.department_id, row.unit_id):
            continue
        if fund_type and row.fund_type != fund_type:
            continue
        if category and row.category != category:
            continue
        if terms and not all(t in row.search_key for t in terms):
            continue
        out.append(row)
    return out


# -- one project ---------------------------------------------------------------------------
# Projects have two levels: a 一级项目 and its 二级项目 (same 年度). These sentences serve the
# form and the import alike.
PARENT_NOT_TOP = "上级项目{code}本身是二级项目，上级项目应为一级项目"
HAS_CHILDREN = "本项目下已有二级项目，不能再设上级项目（项目只分一级、二级两层）"
YEAR_WITH_CHILDREN = "本项目下已有{n}个二级项目，不能单独改年度"
STALE = "这个项目刚被其他人修改过，您的修改没有保存。请关闭表单、重新打开后再改。"
GONE = "这个项目已被删除，您的修改没有保存。"


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


def save_project(ws: Workspace, raw: dict[str, Any], project_id: Optional[int] = None) -> int:
    """Create or update one project from form text. Raises RejectedError with field problems.
    An update carries raw["version"] (from form_values): a project changed or deleted since the
    form was opened is refused rather than overwritten."""
    values, report = validate(raw)
    with ws.session() as s:
        project = s.get(Project, project_id) if project_id else None
        if project_id and project is None:
            raise RejectedError(GONE)
        if project is not None and str(project.version) != str(raw.get("version", project.version)):
            raise RejectedError(STALE)
        resolver = DeptResolver(s, ws.home_region())
        dept = _existing(resolver, values, report, "department", "应从列表中选择已有的部门，新部门请先在“基础数据”中建立")
        unit = _existing(resolver, values, report, "unit", "应从列表中选择已有的单位，新单位请先在“基础数据”中建立")
        office = None
        if values.get("office"):
            office = s.scalars(select(FinanceOffice).where(FinanceOffice.name == values["office"])).first()
            if office is None:
                report.add("office", "应从列表中选择已有的归口科室，新科室请先在“基础数据”中建立")
        if not report.fields() & {"code", "year"}:
            clash = s.scalar(select(Project.id).where(Project.year == values["year"], Project.code == values["code"]))
            if clash and clash != project_id:
                report.add("code", f"{values['year']}年度已有编码为{values['code']}的项目，编码在同一年度内应唯一")
        children = s.scalar(select(func.count()).select_from(Project).where(Project.parent_id == project_id)) if project_id else 0
        if children and "year" not in report.fields() and values["year"] != project.year:
            report.add("year", YEAR_WITH_CHILDREN.format(n=children))
        parent = None
        if values.get("parent_code") and not report.fields() & {"parent_code", "year"}:
            parent = s.scalars(select(Project).where(Project.year == values["year"], Project.code == values["parent_code"])).first()
            if parent is None:
                report.add("parent_code", f"{values['year']}年度没有编码为{values['parent_code']}的项目")
            elif parent.parent_id is not None:
                report.add("parent_code", PARENT_NOT_TOP.format(code=parent.code))
            elif children:
                report.add("parent_code", HAS_CHILDREN)
        if not report.ok:
            raise RejectedError("项目信息有误，请按提示修改。", report)
        action = "修改" if project else "新增"
        if project is None:
            project = Project()
        apply_values(project, values, dept, unit, office)
        project.parent = parent
        s.add(project)
        s.flush()
        audit.record(s, action, Project.label, f"{action}项目 {project.code} {project.name}", uuid=project.uuid, changes=values)
        return project.id


def _existing(resolver: DeptResolver, values: dict, report: Report, key: str, missing: str):
    if key in report.fields():
        return None
    found = resolver.find(values[key])
    if found is None:
        report.add(key, missing)
    return found


def delete_project(ws: Workspace, project_id: int) -> None:
    delete_record(ws, Project, project_id, lambda p: f"项目“{p.code} {p.name}”")
