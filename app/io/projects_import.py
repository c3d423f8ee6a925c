"""Reading the project list from Excel: every row parsed with the form's own rule object
(app.domain.projects.validate), every bad cell the file shows on its own named — a value that
does not parse, a code twice in one year. What the database says about the rows (held projects,
parent links, departments) is judged by app.services.project_import, which writes."""

from __future__ import annotations

from typing import Optional

from app.domain.projects import (
    FIELD_BY_KEY, FILE_FIELDS, OPTIONAL_HEADERS, REGION_FIELD, REQUIRED_HEADERS, ImportedProject, ProjectFile,
    validate,
)
from app.rules.fields import FieldInvalid
from app.jobs import JobControl
from app.rules.fields import as_text
from app.rules.validation import CellProblem

SHEET = "项目"
TOTAL_MARK = "合计"


def label(key: str) -> str:
    return FIELD_BY_KEY[key].label


def parse_projects(path, job: Optional[JobControl] = None) -> tuple[ProjectFile, list[CellProblem]]:
    """The file's good rows and the problems of its bad cells (row numbers as Excel shows them).
    A file that is not a workbook, or lacks the sheet or a required column, is refused whole
    (RejectedError from app.io.xlsx.read_table)."""
    from app.io.xlsx import read_table

    table = read_table(path, sheet=SHEET, required=REQUIRED_HEADERS, optional=OPTIONAL_HEADERS, job=job)
    by_label = {spec.label: spec.key for spec in FILE_FIELDS if spec is not REGION_FIELD}
    rows: list[ImportedProject] = []
    problems: list[CellProblem] = []
    seen: dict[tuple[int, str], int] = {}
    for row_no, cells in table.rows:
        if as_text(cells.get(label("code"))) == TOTAL_MARK:
            continue
        values, report = validate({by_label[header]: value for header, value in cells.items() if header in by_label})
        for p in report.problems:
            problems.append(CellProblem(table.sheet, row_no, label(p.field), p.message, as_text(cells.get(label(p.field)))))
        try:
            values["region_code"] = REGION_FIELD.parse(cells.get(REGION_FIELD.label))
        except FieldInvalid as bad:
            problems.append(CellProblem(table.sheet, row_no, REGION_FIELD.label, str(bad), as_text(cells.get(REGION_FIELD.label))))
            continue
        if not report.fields() & {"year", "code"}:
            key = (values["year"], values["region_code"], values["code"])
            if key in seen:
                problems.append(CellProblem(table.sheet, row_no, label("code"),
                                            f"在同一年度内应唯一（与第{seen[key]}行重复）", values["code"]))
            seen.setdefault(key, row_no)
        if report.ok:
            rows.append(ImportedProject(row_no, values))
    columns = frozenset(spec.key for spec in FILE_FIELDS if spec.label in table.headers)
    return ProjectFile(table.sheet, columns, tuple(rows)), problems

