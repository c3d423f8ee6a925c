"""Importing the project list from Excel: all or nothing, every bad cell named.

app.io.projects_import parses the file with the form's rule object; here the rows are judged
against the database (parent links on the state after the import, the fund split of a held
project), then written in one transaction: departments and 归口科室 the file names are found or
created, projects inserted and updated in bulk, the import audited with the actor, and the change
noted ("projects" in each year of the file; "base_data" when departments or offices were created).

A project already held (same 年度 and 项目编码, in the same region) is updated with the columns the file
carries; a column the file leaves out keeps its stored value, so a partial sheet never wipes data.
Where the county holds its townships' projects, the optional 区划代码 column says whose project a row
is; without it a code is looked up among 本级 and the townships, and a code held by more than one of
them is refused as a bad cell. A township's project takes its departments from that township."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Optional

from sqlalchemy import insert, select, update
from sqlalchemy.orm import aliased

from app import changes
from app.domain.projects import HAS_CHILDREN, PARENT_NOT_TOP, REGION_FIELD, ImportSummary, ProjectFile
from app.io.projects_import import label, parse_projects
from app.jobs import JobControl, control
from app.money import fmt_wan
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, guard, project_codes
from app.services.actor import Actor
from app.services.base_data import STAGE as BASE_DATA, DeptResolver, office_resolver
from app.services.projects import STAGE
from app.services.workspace import Workspace
from db.models import Project, Region

# optional columns → the stored columns they write (parent links are written separately)
OPTIONAL_WRITES = {"office": ("office_id",), "is_key": ("is_key",), "period_start": ("period_start",),
                   "period_end": ("period_end",)}


@dataclass(frozen=True)
class _Held:
    """A project already in the database, as far as the import needs it."""

    id: int
    version: int
    parent_code: Optional[str]
    other_fen: int


_NONE = _Held(0, 0, None, 0)


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> ImportSummary:
    """Raises RejectedError naming every bad cell (nothing written); a cancel (app.jobs.Cancelled)
    rolls everything back."""
    job = control(job)
    actor = actor or ws.actor
    guard.permit(actor, guard.PROJECTS, "导入")
    file, problems = parse_projects(path, job)
    with ws.session() as s:
        held = _held(s, {r.values["year"] for r in file.rows})
        problems += _place(s, ws.home_region(), file, held)
        problems += _outside(s, file, held, actor)
        if "parent_code" in file.columns:
            problems += _check_links(file, held)
        rows, split_problems = _keep_split(file, held)
        problems += split_problems
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        if not rows:
            raise RejectedError("文件中没有项目数据行，未导入任何数据。")
        summary = _write(s, file, rows, held, job)
        audit.record(s, "导入", Project.label, summary.sentence(), changes={"file": str(path)}, user=actor.name)
        for year in sorted({v["year"] for v in rows}):
            changes.note(s, STAGE, year)
        if summary.new_departments or summary.new_offices:
            changes.note(s, BASE_DATA)
    return summary


def _held(s, years: set[int]) -> dict[tuple[int, str, str], _Held]:
    """The years' projects by (年度, 区划代码, 项目编码)."""
    parent = aliased(Project)
    found = s.execute(select(Project.year, Project.region_code, Project.code, Project.id, Project.version, parent.code,
                             Project.other_fen)
                      .outerjoin(parent, Project.parent_id == parent.id).where(Project.year.in_(years)))
    return {(y, r, c): _Held(pid, ver, pc, other) for y, r, c, pid, ver, pc, other in found}


def _place(s, home: str, file: ProjectFile, held: dict[tuple[int, str, str], _Held]) -> list[CellProblem]:
    """Settle each row's region (written into its values): the file's 区划代码 — 本级 or one of its
    townships —, else the code's project as the stage imports find it (project_codes: 本级's own; else
    the one township holding it; a code only several townships share is a bad cell), else 本级 (new)."""
    r_ = Region.__table__
    allowed = {home, *s.scalars(select(r_.c.code).where(r_.c.parent_code == home))}
    found, shared = project_codes.index((((y, c), region, region) for y, region, c in held), home)
    problems = []
    for r in file.rows:
        v = r.values
        if v.get("region_code"):
            if v["region_code"] not in allowed:
                problems.append(CellProblem(file.sheet, r.row, REGION_FIELD.label,
                                            f"应为本级（{home}）或所属乡镇的区划代码", v["region_code"]))
            continue
        key = (v["year"], v["code"])
        if key in shared:
            problems.append(CellProblem(file.sheet, r.row, label("code"),
                                        project_codes.not_found(*key, shared, s, hint=project_codes.BY_COLUMN), v["code"]))
        v["region_code"] = found.get(key, home)
    seen: dict[tuple[int, str, str], int] = {}
    for r in file.rows:  # a code twice once the regions are settled (one row blank, one naming 本级)
        if r.key in seen and r.key[1] in allowed:
            problems.append(CellProblem(file.sheet, r.row, label("code"), f"在同一年度内应唯一（与第{seen[r.key]}行重复）",
                                        r.values["code"]))
        seen.setdefault(r.key, r.row)
    return problems


def _outside(s, file: ProjectFile, held: dict[tuple[int, str, str], _Held], actor: Actor) -> list[CellProblem]:
    """Rows whose project — held, or as the file would write it — lies outside the actor's scope."""
    if actor.scope is None:
        return []
    away = guard.projects_outside(s, actor, [held[r.key].id for r in file.rows if r.key in held])
    resolvers: dict[str, DeptResolver] = {}
    problems = []
    for r in file.rows:
        h, v = held.get(r.key), r.values
        depts = resolvers.setdefault(v["region_code"], DeptResolver(s, v["region_code"]))
        dept = depts.find(v["department"])
        unit = depts.find(v["unit"]) if v["unit"] != v["department"] else dept
        # a held project keeps its 归口科室 when the file has no such column
        office = v.get("office") if "office" in file.columns or h is None else actor.scope.label
        if (h is not None and h.id in away) or not guard.fits(actor, dept, unit, office):
            problems.append(CellProblem(file.sheet, r.row, label("code"), guard.OUT_OF_SCOPE, v["code"]))
    return problems


def _check_links(file: ProjectFile, held: dict[tuple[int, str, str], _Held]) -> list[CellProblem]:
    """Two levels only: a parent exists in the same year and region and has no parent; a project
    with 二级项目 gets no parent. Judged on the state after the import (file over database)."""
    final = {key: h.parent_code for key, h in held.items()}
    final.update({r.key: r.values["parent_code"] for r in file.rows})
    parents = {(y, region, p) for (y, region, _), p in final.items() if p}
    problems = []
    for r in file.rows:
        year, region, parent = r.values["year"], r.values["region_code"], r.values["parent_code"]
        if not parent:
            continue
        if (year, region, parent) not in final:
            problems.append(CellProblem(file.sheet, r.row, label("parent_code"), f"应为{year}年度已有或本文件中的项目编码", parent))
        elif final[(year, region, parent)]:
            problems.append(CellProblem(file.sheet, r.row, label("parent_code"), PARENT_NOT_TOP.format(code=parent), parent))
        elif r.key in parents:
            problems.append(CellProblem(file.sheet, r.row, label("parent_code"), HAS_CHILDREN, parent))
    return problems


def _keep_split(file: ProjectFile, held: dict[tuple[int, str, str], _Held]) -> tuple[list[dict[str, Any]], list[CellProblem]]:
    """The values to write. Updating 全年预算数 with neither 财政拨款 nor 其他资金 in the file keeps
    其他资金 (and 财政拨款 is the rest), so long as the new budget covers it."""
    if file.columns & {"fiscal", "other"}:
        return [r.values for r in file.rows], []
    rows, problems = [], []
    for r in file.rows:
        v, h = dict(r.values), held.get(r.key)
        if h is not None:
            if v["annual_budget"] < h.other_fen:
                problems.append(CellProblem(file.sheet, r.row, label("annual_budget"),
                                            f"小于该项目原有其他资金{fmt_wan(h.other_fen)}万元；请在文件中同时填写财政拨款和其他资金",
                                            fmt_wan(v["annual_budget"])))
            v["fiscal"], v["other"] = v["annual_budget"] - h.other_fen, h.other_fen
        rows.append(v)
    return rows, problems


def _write(s, file: ProjectFile, rows: list[dict[str, Any]], held: dict[tuple[int, str, str], _Held],
           job) -> ImportSummary:
    """Departments and offices found or created (in the row's region), then the projects inserted and
    updated in bulk."""
    resolvers: dict[str, tuple[DeptResolver, Any]] = {}
    new_offices: list[str] = []
    with_office = "office" in file.columns
    skipped = {col for key, cols in OPTIONAL_WRITES.items() if key not in file.columns for col in cols}
    inserts, updates = [], []
    for i, v in enumerate(rows):
        region = v["region_code"]
        if region not in resolvers:
            resolvers[region] = DeptResolver(s, region), office_resolver(s, region, new_offices)
        depts, offices = resolvers[region]
        dept = depts.resolve(v["department"], "部门")
        unit = depts.resolve(v["unit"], "单位", parent=dept if v["unit"] != v["department"] else None)
        office = offices(v["office"]) if with_office else None
        if dept.id is None or unit.id is None or (office is not None and office.id is None):
            s.flush()  # ids for departments/offices created just now
        row = _row(v, dept, unit, office)
        h = held.get(_key(v))
        if h is None:
            inserts.append(row)
        else:
            updates.append({"id": h.id, "version": h.version, **{k: x for k, x in row.items() if k not in skipped}})
        if i % 500 == 0:
            job.step(i, len(rows))
    if inserts:
        s.execute(insert(Project), inserts)
    if updates:
        s.execute(update(Project), updates)
    if "parent_code" in file.columns:
        _link_parents(s, [v for v in rows if v["parent_code"] or held.get(_key(v), _NONE).parent_code])
    job.step(len(rows), len(rows))
    created = tuple(name for depts, _ in resolvers.values() for name in depts.created)
    return ImportSummary(len(inserts), len(updates), created, tuple(new_offices))


def _key(v: dict[str, Any]) -> tuple[int, str, str]:
    return v["year"], v["region_code"], v["code"]


def _row(v: dict[str, Any], dept, unit, office) -> dict[str, Any]:
    return {"year": v["year"], "code": v["code"], "name": v["name"], "department_id": dept.id, "unit_id": unit.id,
            "office_id": office.id if office else None, "fund_type": v["fund_type"], "category": v["category"],
            "is_key": v["is_key"], "initial_budget_fen": v["initial_budget"], "annual_budget_fen": v["annual_budget"],
            "fiscal_fen": v["fiscal"], "other_fen": v["other"], "period_start": v["period_start"],
            "period_end": v["period_end"], "region_code": dept.region_code}


def _link_parents(s, changed: list[dict[str, Any]]) -> None:
    """Set (or clear, where the cell is empty) the 上级项目 of the imported projects it changes for."""
    if not changed:
        return
    years = {v["year"] for v in changed}
    ids = {(y, r, c): (pid, ver) for pid, y, r, c, ver in
           s.execute(select(Project.id, Project.year, Project.region_code, Project.code, Project.version)
                     .where(Project.year.in_(years)))}
    s.execute(update(Project), [
        {"id": ids[_key(v)][0], "version": ids[_key(v)][1],
         "parent_id": ids[(v["year"], v["region_code"], v["parent_code"])][0] if v["parent_code"] else None}
        for v in changed])
