"""项目 list: import template, all-or-nothing import, xlsx and PDF export."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from sqlalchemy import insert, select, update

from app.io.columns import Column
from app.jobs import JobControl, control
from app.rules.fields import as_text
from app.rules.validation import CellProblem, RejectedError
from app.services import audit
from app.services.base_data import DeptResolver, office_resolver
from app.services.projects import (
    FIELD_BY_KEY, OPTIONAL_HEADERS, PROJECT_FIELDS, REQUIRED_HEADERS, ProjectRow, list_projects, validate,
)
from app.services.workspace import Workspace
from db.models import Project

SHEET = "项目"
TOTAL_MARK = "合计"


# openpyxl and reportlab are imported where they are used: the main window opens without them.


def write_template(path) -> None:
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    columns = [Column(spec.label, "text") for spec in PROJECT_FIELDS]
    writer.add_table(SHEET, title="项目清单导入模板", unit_line="金额单位：万元", columns=columns, rows=[])
    example = "、".join(f"{spec.label}={value}" for spec, value in zip(PROJECT_FIELDS, TEMPLATE_EXAMPLE) if value)
    lines = ["填报说明", "", "1. 在“项目”工作表第3行表头下逐行填写，一行一个项目；请勿修改表头文字，列的先后可以调整。",
             "2. 标“（必填）”的列必须填写；金额单位为万元，最多保留6位小数（精确到分）。",
             "3. 主管部门、实施单位填“[编码]名称”，如[213001]钢城区城市管理局；系统中没有的部门会自动建立，导入结果会列出。",
             "4. 同一年度内项目编码不能重复；已存在的项目（年度+编码相同）将被更新。",
             "5. 文件中任何一个单元格有误，整个文件都不导入，并列出每个错误单元格（工作表、行号、列名、应填什么）。",
             "", f"填写示例：{example}", "", "各列说明："]
    lines += [f"{spec.label}{'（必填）' if spec.required else ''}：{spec.hint}" for spec in PROJECT_FIELDS]
    writer.add_text_sheet("填报说明", lines)
    writer.save(path)


TEMPLATE_EXAMPLE = ["3701172023001", "城区环卫一体化保洁费", "2023", "[213001]钢城区城市管理局", "[213001]钢城区城市管理局",
                    "一般公共预算", "延续", "3201.18", "3201.18", "经建科", "3201.18", "0", "是", "", "2023-01", "2023-12"]


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


def _parse_rows(table) -> tuple[list[tuple[int, dict[str, Any]]], list[CellProblem]]:
    by_label = {spec.label: spec.key for spec in PROJECT_FIELDS}
    parsed, problems, seen = [], [], {}
    for row_no, cells in table.rows:
        if as_text(cells.get(FIELD_BY_KEY["code"].label)) == TOTAL_MARK:
            continue
        raw = {by_label[label]: value for label, value in cells.items()}
        values, report = validate(raw)
        for p in report.problems:
            label = FIELD_BY_KEY[p.field].label
            problems.append(CellProblem(table.sheet, row_no, label, p.message, as_text(cells.get(label))))
        if not report.fields() & {"year", "code"}:
            key = (values["year"], values["code"])
            if key in seen:
                problems.append(CellProblem(table.sheet, row_no, FIELD_BY_KEY["code"].label,
                                            f"在同一年度内应唯一（与第{seen[key]}行重复）", values["code"]))
            seen.setdefault(key, row_no)
        if report.ok:
            parsed.append((row_no, values))
    return parsed, problems


def import_projects(ws: Workspace, path, job: Optional[JobControl] = None) -> ImportSummary:
    """Lands whole or not at all: any bad cell → RejectedError naming every bad cell; a cancel
    (app.jobs.Cancelled) rolls everything back."""
    from app.io.xlsx import read_table

    job = control(job)
    table = read_table(path, sheet=SHEET, required=REQUIRED_HEADERS, optional=OPTIONAL_HEADERS, job=job)
    parsed, problems = _parse_rows(table)
    summary = ImportSummary()
    with ws.session() as s:
        existing = {(y, c): (pid, ver) for pid, y, c, ver in
                    s.execute(select(Project.id, Project.year, Project.code, Project.version))}
        file_codes = {(v["year"], v["code"]) for _, v in parsed}
        label = FIELD_BY_KEY["parent_code"].label
        for row_no, v in parsed:
            if v["parent_code"] and (v["year"], v["parent_code"]) not in file_codes | existing.keys():
                problems.append(CellProblem(table.sheet, row_no, label, f"应为{v['year']}年度已有或本文件中的项目编码", v["parent_code"]))
        if problems:
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        if not parsed:
            raise RejectedError("文件中没有项目数据行，未导入任何数据。")
        depts = DeptResolver(s, ws.home_region())
        offices = office_resolver(s, ws.home_region(), summary.new_offices)
        inserts, updates = [], []
        for i, (_, v) in enumerate(parsed):
            dept = depts.resolve(v["department"], "部门")
            unit = depts.resolve(v["unit"], "单位", parent=dept if v["unit"] != v["department"] else None)
            office = offices(v["office"])
            if dept.id is None or unit.id is None or (office is not None and office.id is None):
                s.flush()  # ids for departments/offices created just now
            row = _row(v, dept, unit, office)
            key = (v["year"], v["code"])
            if key in existing:
                pid, version = existing[key]
                updates.append({"id": pid, "version": version, **row})
            else:
                inserts.append(row)
            if i % 500 == 0:
                job.step(i, len(parsed))
        summary.new_departments = list(depts.created)
        if inserts:
            s.execute(insert(Project), inserts)
        if updates:
            s.execute(update(Project), updates)
        _link_parents(s, parsed)
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


def _link_parents(s, parsed) -> None:
    wanted = [(v["year"], v["code"], v["parent_code"]) for _, v in parsed if v["parent_code"]]
    if not wanted:
        return
    years = {y for y, _, _ in wanted}
    ids = {(y, c): (pid, ver) for pid, y, c, ver in
           s.execute(select(Project.id, Project.year, Project.code, Project.version).where(Project.year.in_(years)))}
    s.execute(update(Project), [{"id": ids[(y, c)][0], "version": ids[(y, c)][1], "parent_id": ids[(y, p)][0]}
                                for y, c, p in wanted])


# -- export --------------------------------------------------------------------------------
XLSX_COLUMNS = [
    (Column("项目编码", "text"), lambda r: r.code),
    (Column("项目名称", "text"), lambda r: r.name),
    (Column("年度", "int"), lambda r: r.year),
    (Column("主管部门", "text"), lambda r: r.department),
    (Column("实施单位", "text"), lambda r: r.unit),
    (Column("归口科室", "text"), lambda r: r.office),
    (Column("资金性质", "text"), lambda r: r.fund_type),
    (Column("项目类别", "text"), lambda r: r.category),
    (Column("重点项目", "bool"), lambda r: r.is_key),
    (Column("上级项目编码", "text"), lambda r: r.parent_code),
    (Column("年初预算数（万元）", "money"), lambda r: r.initial_fen),
    (Column("全年预算数（万元）", "money"), lambda r: r.annual_fen),
    (Column("财政拨款（万元）", "money"), lambda r: r.fiscal_fen),
    (Column("其他资金（万元）", "money"), lambda r: r.other_fen),
]
PDF_COLUMNS = ["项目编码", "项目名称", "主管部门", "实施单位", "资金性质", "项目类别", "年初预算数（万元）", "全年预算数（万元）"]
MONEY_TOTALS = ("initial_fen", "annual_fen", "fiscal_fen", "other_fen")


def _table(rows: list[ProjectRow], headers: Optional[list[str]] = None):
    chosen = [(c, get) for c, get in XLSX_COLUMNS if headers is None or c.header in headers]
    columns = [c for c, _ in chosen]
    body = ([get(r) for _, get in chosen] for r in rows)
    total_row = {c.header: sum(getattr(r, attr) for r in rows)
                 for (c, _), attr in zip(XLSX_COLUMNS[-4:], MONEY_TOTALS)}
    totals = [TOTAL_MARK if i == 0 else total_row.get(c.header) for i, c in enumerate(columns)]
    return columns, body, totals


def export_projects(ws: Workspace, year: int, fmt: str, path, rows: Optional[list[ProjectRow]] = None,
                    job: Optional[JobControl] = None) -> int:
    """Writes the year's list (or the given rows, e.g. the filtered view). Returns the row count."""
    rows = list_projects(ws, year) if rows is None else rows
    title = f"{year}年度项目清单"
    if fmt == "xlsx":
        from app.io.xlsx import XlsxWriter

        columns, body, totals = _table(rows)
        writer = XlsxWriter()
        writer.add_table(SHEET, title=title, unit_line="单位：万元", columns=columns,
                         rows=_with_total(body, totals), job=job, total=len(rows) + 1)
        writer.save(path)
    elif fmt == "pdf":
        from app.io.pdf import write_table_pdf

        columns, body, totals = _table(rows, PDF_COLUMNS)
        write_table_pdf(path, title=title, unit_line="单位：万元", columns=columns,
                        rows=_with_total(body, totals), landscape=True, job=job, total=len(rows) + 1)
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(rows)


def _with_total(body, totals):
    yield from body
    yield totals
