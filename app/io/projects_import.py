"""Importing the project list from Excel: all or nothing, every bad cell named.

A project already held (same 年度 and 项目编码) is updated with the columns the file carries;
a column the file leaves out keeps its stored value, so a partial sheet never wipes data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.orm import aliased

from app.jobs import JobControl, control
from app.money import fmt_wan
from app.rules.fields import as_text
from app.rules.validation import CellProblem, RejectedError
from app.services import audit
from app.services.base_data import DeptResolver, office_resolver
from app.services.projects import (
    FIELD_BY_KEY, HAS_CHILDREN, OPTIONAL_HEADERS, PARENT_NOT_TOP, PROJECT_FIELDS, REQUIRED_HEADERS, validate,
)
from app.services.workspace import Workspace
from db.models import Project

SHEET = "项目"
TOTAL_MARK = "合计"
# optional columns → the stored columns they write (parent links are written separately)
OPTIONAL_WRITES = {"office": ("office_id",), "is_key": ("is_key",), "period_start": ("period_start",),
                   "period_end": ("period_end",)}


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    new_departments: list[str] = field(default_factory=list)
    new_offices: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        parts = [f"导入完成：新增项目{self.created}个，更新项目{self.updated}个。"]
        if self.new_departments:
            parts.append(f"新建部门/单位{len(self.new_departments)}个：{'、'.join(self.new_departments)}。")
        if self.new_offices:
            parts.append(f"新建归口科室：{'、'.join(self.new_offices)}。")
        return "".join(parts)


@dataclass
class _Held:
    """A project already in the database, as far as the import needs it."""

    id: int
    version: int
    parent_code: Optional[str]
    other_fen: int


def _label(key: str) -> str:
    return FIELD_BY_KEY[key].label


def _parse_rows(table) -> tuple[list[tuple[int, dict[str, Any]]], list[CellProblem]]:
    by_label = {spec.label: spec.key for spec in PROJECT_FIELDS}
    parsed, problems, seen = [], [], {}
    for row_no, cells in table.rows:
        if as_text(cells.get(_label("code"))) == TOTAL_MARK:
            continue
        values, report = validate({by_label[label]: value for label, value in cells.items()})
        for p in report.problems:
            problems.append(CellProblem(table.sheet, row_no, _label(p.field), p.message, as_text(cells.get(_label(p.field)))))
        if not report.fields() & {"year", "code"}:
            key = (values["year"], values["code"])
            if key in seen:
                problems.append(CellProblem(table.sheet, row_no, _label("code"),
                                            f"在同一年度内应唯一（与第{seen[key]}行重复）", values["code"]))
            seen.setdefault(key, row_no)
        if report.ok:
            parsed.append((row_no, values))
    return parsed, problems


def _held(s, years: set[int]) -> dict[tuple[int, str], _Held]:
    parent = aliased(Project)
    rows = s.execute(select(Project.year, Project.code, Project.id, Project.version, parent.code, Project.other_fen)
                     .outerjoin(parent, Project.parent_id == parent.id).where(Project.year.in_(years)))
    return {(y, c): _Held(pid, ver, pc, other) for y, c, pid, ver, pc, other in rows}


def _check_links(sheet: str, parsed, held) -> list[CellProblem]:
    """Two levels only: a parent exists in the same year and has no parent; a project with
    二级项目 gets no parent. Judged on the state after the import (file over database)."""
    final = {key: h.parent_code for key, h in held.items()}
    final.update({(v["year"], v["code"]): v["parent_code"] for _, v in parsed})
    parents = {(y, p) for (y, _), p in final.items() if p}
    problems = []
    for row_no, v in parsed:
        year, parent = v["year"], v["parent_code"]
        if not parent:
            continue
        if (year, parent) not in final:
            problems.append(CellProblem(sheet, row_no, _label("parent_code"), f"应为{year}年度已有或本文件中的项目编码", parent))
        elif final[(year, parent)]:
            problems.append(CellProblem(sheet, row_no, _label("parent_code"), PARENT_NOT_TOP.format(code=parent), parent))
        elif (year, v["code"]) in parents:
            problems.append(CellProblem(sheet, row_no, _label("parent_code"), HAS_CHILDREN, parent))
    return problems


def _keep_split(sheet: str, parsed, held, present: set[str]) -> list[CellProblem]:
    """Updating 全年预算数 with neither 财政拨款 nor 其他资金 in the file keeps 其他资金."""
    if present & {"fiscal", "other"}:
        return []
    problems = []
    for row_no, v in parsed:
        h = held.get((v["year"], v["code"]))
        if h is None:
            continue
        if v["annual_budget"] < h.other_fen:
            problems.append(CellProblem(sheet, row_no, _label("annual_budget"),
                                        f"小于该项目原有其他资金{fmt_wan(h.other_fen)}万元；请在文件中同时填写财政拨款和其他资金",
                                        fmt_wan(v["annual_budget"])))
        v["fiscal"], v["other"] = v["annual_budget"] - h.other_fen, h.other_fen
    return problems


def import_projects(ws: Workspace, path, job: Optional[JobControl] = None) -> ImportSummary:
    """Raises RejectedError naming every bad cell (nothing written); a cancel (app.jobs.Cancelled)
    rolls everything back."""
    from app.io.xlsx import read_table

    job = control(job)
    table = read_table(path, sheet=SHEET, required=REQUIRED_HEADERS, optional=OPTIONAL_HEADERS, job=job)
    present = {spec.key for spec in PROJECT_FIELDS if spec.label in table.headers}
    parsed, problems = _parse_rows(table)
    summary = ImportSummary()
    with ws.session() as s:
        held = _held(s, {v["year"] for _, v in parsed})
        if "parent_code" in present:
            problems += _check_links(table.sheet, parsed, held)
        problems += _keep_split(table.sheet, parsed, held, present)
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        if not parsed:
            raise RejectedError("文件中没有项目数据行，未导入任何数据。")
        depts = DeptResolver(s, ws.home_region())
        offices = office_resolver(s, ws.home_region(), summary.new_offices)
        inserts, updates = [], []
        for i, (_, v) in enumerate(parsed):
            dept = depts.resolve(v["department"], "部门")
            unit = depts.resolve(v["unit"], "单位", parent=dept if v["unit"] != v["department"] else None)
            office = offices(v["office"]) if "office" in present else None
            if dept.id is None or unit.id is None or (office is not None and office.id is None):
                s.flush()  # ids for departments/offices created just now
            row = _row(v, dept, unit, office)
            h = held.get((v["year"], v["code"]))
            if h is None:
                inserts.append(row)
            else:
                skipped = {col for key, cols in OPTIONAL_WRITES.items() if key not in present for col in cols}
                updates.append({"id": h.id, "version": h.version, **{k: x for k, x in row.items() if k not in skipped}})
            if i % 500 == 0:
                job.step(i, len(parsed))
        summary.new_departments = list(depts.created)
        if inserts:
            s.execute(insert(Project), inserts)
        if updates:
            s.execute(update(Project), updates)
        if "parent_code" in present:
            _link_parents(s, [v for _, v in parsed if v["parent_code"] or (held.get((v["year"], v["code"])) or _NONE).parent_code])
        summary.created, summary.updated = len(inserts), len(updates)
        job.step(len(parsed), len(parsed))
        audit.record(s, "导入", Project.label, summary.sentence(), changes={"file": str(path)})
    return summary


def _row(v: dict[str, Any], dept, unit, office) -> dict[str, Any]:
    return {"year": v["year"], "code": v["code"], "name": v["name"], "department_id": dept.id, "unit_id": unit.id,
            "office_id": office.id if office else None, "fund_type": v["fund_type"], "category": v["category"],
            "is_key": v["is_key"], "initial_budget_fen": v["initial_budget"], "annual_budget_fen": v["annual_budget"],
            "fiscal_fen": v["fiscal"], "other_fen": v["other"], "period_start": v["period_start"],
            "period_end": v["period_end"], "region_code": dept.region_code}


_NONE = _Held(0, 0, None, 0)


def _link_parents(s, changed: list[dict[str, Any]]) -> None:
    """Set (or clear, where the cell is empty) the 上级项目 of the imported projects it changes for."""
    if not changed:
        return
    years = {v["year"] for v in changed}
    ids = {(y, c): (pid, ver) for pid, y, c, ver in
           s.execute(select(Project.id, Project.year, Project.code, Project.version).where(Project.year.in_(years)))}
    s.execute(update(Project), [
        {"id": ids[(v["year"], v["code"])][0], "version": ids[(v["year"], v["code"])][1],
         "parent_id": ids[(v["year"], v["parent_code"])][0] if v["parent_code"] else None}
        for v in changed])
