"""基础数据: 区划, 部门/单位 tree, 财政归口科室 — the page's view and the lists for combos, edits
(each audited with the actor and noted as a "base_data" change), and the resolvers an import uses
to find or create the departments and offices a file names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import changes
from app.rules import fields as F
from app.rules.fields import parse_fields  # noqa: F401 - the pages validate their forms with it
from app.rules.validation import RejectedError, Report
from app.services import audit, guard
from app.services.actor import Actor
from app.services.references import delete_record
from app.services.workspace import Workspace
from db.models import Department, FinanceOffice, Region

STAGE = "base_data"  # the change-notification key (app.changes)

DEPT_KINDS = ("部门", "单位")
REGION_LEVELS = ("县级", "乡镇")
_REF = re.compile(r"^\s*[\[［【]\s*([^\]］】]+?)\s*[\]］】]\s*(.+?)\s*$")


def split_ref(text: str) -> tuple[Optional[str], str]:
    """"[213001]钢城区城市管理局" → ("213001", "钢城区城市管理局"); a bare name → (None, name)."""
    m = _REF.match(text or "")
    if m:
        return m.group(1), m.group(2)
    return None, (text or "").strip()


def dept_display(code: str, name: str) -> str:
    return f"[{code}]{name}"


@dataclass(frozen=True)
class DeptRow:
    id: int
    code: str
    name: str
    kind: str
    parent_id: Optional[int]
    region_code: str
    note: str = ""

    @property
    def display(self) -> str:
        return dept_display(self.code, self.name)


@dataclass(frozen=True)
class RegionRow:
    id: int
    code: str
    name: str
    level: str
    parent_code: Optional[str]


def list_departments(ws: Workspace) -> list[DeptRow]:
    with ws.session() as s:
        rows = s.execute(select(Department.id, Department.code, Department.name, Department.kind,
                                Department.parent_id, Department.region_code, Department.note)
                         .order_by(Department.region_code, Department.code))
        return [DeptRow(*r[:6], note=r[6] or "") for r in rows]


def list_regions(ws: Workspace) -> list[RegionRow]:
    with ws.session() as s:
        rows = s.execute(select(Region.id, Region.code, Region.name, Region.level, Region.parent_code).order_by(Region.code))
        return [RegionRow(*r) for r in rows]


def list_offices(ws: Workspace) -> list[str]:
    with ws.session() as s:
        return sorted(set(s.scalars(select(FinanceOffice.name))))


@dataclass(frozen=True)
class BaseData:
    """The 基础数据 page: 区划, 部门/单位 (parents may come after children) and 归口科室 names."""

    regions: tuple[RegionRow, ...]
    departments: tuple[DeptRow, ...]
    offices: tuple[str, ...]


def base_data(ws: Workspace) -> BaseData:
    return BaseData(tuple(list_regions(ws)), tuple(list_departments(ws)), tuple(list_offices(ws)))


# -- editing departments -------------------------------------------------------------------
DEPT_FIELDS = [
    F.FieldSpec("code", "编码", F.code(30), True),
    F.FieldSpec("name", "名称", F.text(100), True),
    F.FieldSpec("kind", "类型", F.choice(DEPT_KINDS), True),
]


def save_department(ws: Workspace, raw: dict, dept_id: int | None = None, parent_id: int | None = None,
                    actor: Optional[Actor] = None) -> int:
    values, report = parse_fields(DEPT_FIELDS, raw)
    actor = actor or ws.actor
    guard.permit(actor, guard.BASE_DATA, "修改" if dept_id else "新增")
    with ws.session() as s:
        dept = s.get(Department, dept_id) if dept_id else None
        region = dept.region_code if dept else ws.home_region()
        if report.ok:
            clash = s.scalar(select(Department.id).where(Department.region_code == region,
                                                         Department.code == values["code"]))
            if clash and clash != dept_id:
                report.add("code", "与已有部门/单位编码重复，编码在本区划内应唯一")
        if not report.ok:
            raise RejectedError("部门/单位信息有误，请按提示修改。", report)
        if dept is None:
            dept = Department(region_code=region, parent_id=parent_id, **values)
            s.add(dept)
            action = "新增"
        else:
            for key, value in values.items():
                setattr(dept, key, value)
            action = "修改"
        s.flush()
        audit.record(s, action, Department.label, f"{action}{dept.display}", uuid=dept.uuid, changes=values,
                     user=actor.name)
        changes.note(s, STAGE, ids=[dept.id])
        return dept.id


def delete_department(ws: Workspace, dept_id: int, actor: Optional[Actor] = None) -> None:
    guard.permit(actor or ws.actor, guard.BASE_DATA, "删除")
    delete_record(ws, Department, dept_id, lambda d: f"{d.kind}“{d.display}”", STAGE, actor=actor)


# -- resolving names found in imported files ----------------------------------------------
@dataclass
class DeptResolver:
    """Finds departments by code or name within one session, creating unknown ones (imports).
    Codes are unique per 区划: the home region's department wins; another region's is used
    only when it is the one department with that code or name."""

    session: Session
    region_code: str
    created: list[str] = field(default_factory=list)
    _by_code: dict = field(default_factory=dict)
    _by_name: dict = field(default_factory=dict)
    _seq: int = 0

    def __post_init__(self) -> None:
        for dept in self.session.scalars(select(Department)):
            self._by_code.setdefault(dept.code, []).append(dept)
            self._by_name.setdefault(dept.name, []).append(dept)

    def find(self, text: str) -> Optional[Department]:
        code, name = split_ref(text)
        found = self._by_code.get(code, []) if code is not None else self._by_name.get(name, [])
        home = [d for d in found if d.region_code == self.region_code]
        if home:
            return home[0]
        return found[0] if len(found) == 1 else None

    def resolve(self, text: str, kind: str, parent: Optional[Department] = None) -> Department:
        found = self.find(text)
        if found is not None:
            return found
        code, name = split_ref(text)
        if code is None:
            code = self._next_code()
        dept = Department(code=code, name=name, kind=kind, parent=parent, region_code=self.region_code)
        self.session.add(dept)
        self._by_code.setdefault(code, []).append(dept)
        self._by_name.setdefault(name, []).append(dept)
        self.created.append(dept_display(code, name))
        return dept

    def _next_code(self) -> str:
        while True:
            self._seq += 1
            code = f"X{self._seq:05d}"
            if code not in self._by_code:
                return code


def office_resolver(session: Session, region_code: str, created: list[str]):
    """A function name → FinanceOffice that creates unknown 归口科室 (imports)."""
    cache = {o.name: o for o in session.scalars(select(FinanceOffice))}

    def resolve(name: Optional[str]) -> Optional[FinanceOffice]:
        if not name:
            return None
        if name not in cache:
            cache[name] = FinanceOffice(name=name, region_code=region_code)
            session.add(cache[name])
            created.append(name)
        return cache[name]

    return resolve


# -- regions and finance offices -------------------------------------------------------------
REGION_FIELDS = [
    F.FieldSpec("code", "区划代码", F.code(12), True, "6位（县）或9位（乡镇）数字"),
    F.FieldSpec("name", "区划名称", F.text(100), True),
    F.FieldSpec("level", "级次", F.choice(REGION_LEVELS), True),
]
OFFICE_FIELDS = [F.FieldSpec("name", "科室名称", F.text(50), True)]


def validate_region(raw: dict) -> Report:
    values, report = parse_fields(REGION_FIELDS, raw)
    if "code" not in report.fields() and not re.fullmatch(r"\d{6}(\d{3})?", values["code"]):
        report.add("code", "应为6位或9位数字")
    return report


def _create_unique(ws: Workspace, report: Report, *, problem: str, clash, clash_field: str, clash_message: str,
                   build, describe, actor: Optional[Actor]) -> int:
    """Insert one record built by `build()` unless the report has problems or `clash` (a select
    of an id) finds a duplicate; the new record is written to the audit log."""
    actor = actor or ws.actor
    guard.permit(actor, guard.BASE_DATA, "新增")
    with ws.session() as s:
        if report.ok and s.scalar(clash):
            report.add(clash_field, clash_message)
        if not report.ok:
            raise RejectedError(problem, report)
        obj = build()
        s.add(obj)
        s.flush()
        audit.record(s, "新增", type(obj).label, f"新增{describe(obj)}", uuid=obj.uuid, user=actor.name)
        changes.note(s, STAGE, ids=[obj.id])
        return obj.id


def save_region(ws: Workspace, raw: dict, parent_code: Optional[str] = None, actor: Optional[Actor] = None) -> int:
    report = validate_region(raw)
    values, _ = parse_fields(REGION_FIELDS, raw)
    return _create_unique(ws, report, problem="区划信息有误，请按提示修改。",
                          clash=select(Region.id).where(Region.code == values.get("code")),
                          clash_field="code", clash_message="已有相同区划代码的区划",
                          build=lambda: Region(parent_code=parent_code, region_code=values["code"], **values),
                          describe=lambda r: f"区划[{r.code}]{r.name}", actor=actor)


def delete_region(ws: Workspace, region_id: int, actor: Optional[Actor] = None) -> None:
    guard.permit(actor or ws.actor, guard.BASE_DATA, "删除")
    with ws.session() as s:
        region = s.get(Region, region_id)
        used = s.scalar(select(func.count()).select_from(Department).where(Department.region_code == region.code)) if region else 0
    if used:
        raise RejectedError(f"区划“{region.name}”下还有{used}个部门/单位，不能删除。请先删除或移走这些部门。")
    delete_record(ws, Region, region_id, lambda r: f"区划“[{r.code}]{r.name}”", STAGE, actor=actor)


def save_office(ws: Workspace, raw: dict, actor: Optional[Actor] = None) -> int:
    values, report = parse_fields(OFFICE_FIELDS, raw)
    region = ws.home_region()
    return _create_unique(ws, report, problem="科室信息有误，请按提示修改。",
                          clash=select(FinanceOffice.id).where(FinanceOffice.name == values.get("name")),
                          clash_field="name", clash_message="已有同名的归口科室",
                          build=lambda: FinanceOffice(name=values["name"], region_code=region),
                          describe=lambda o: f"归口科室{o.name}", actor=actor)


def office_id_by_name(ws: Workspace, name: str) -> Optional[int]:
    with ws.session() as s:
        return s.scalar(select(FinanceOffice.id).where(FinanceOffice.name == name))


def delete_office(ws: Workspace, office_id: int, actor: Optional[Actor] = None) -> None:
    guard.permit(actor or ws.actor, guard.BASE_DATA, "删除")
    delete_record(ws, FinanceOffice, office_id, lambda o: f"归口科室“{o.name}”", STAGE, actor=actor)


def department_values(ws: Workspace, dept_id: int) -> dict[str, str]:
    with ws.session() as s:
        d = s.get(Department, dept_id)
        return {"code": d.code, "name": d.name, "kind": d.kind}
