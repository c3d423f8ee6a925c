"""指标库 in Excel: reading a county's own library (澄江 built 2,496 indicators), writing the
library's view out, and the template. The export re-imports unchanged. Which entry a row updates
is the service's judgement (app.services.library.import_file); here each cell is parsed and the
bad ones named."""

from __future__ import annotations

from typing import Iterable, Optional

from app.domain import levels
from app.domain.library import BASES, HEADERS, SCOPES, SPECS, ImportedIndicator, LibraryFile, LibraryRow
from app.domain.targets import DIRECTIONS, LEVEL1, canonical_direction
from app.io.columns import Column
from app.jobs import JobControl
from app.rules import fields as F
from app.rules.validation import CellProblem

SHEET = "指标库"
COLUMNS = [Column(s.label, width=60 if s.key in ("explanation", "method") else 0) for s in SPECS]
__all__ = ["HEADERS", "SHEET", "parse_library", "render_library", "write_template"]


def write_template(path) -> None:
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="指标库导入模板", unit_line="一行一个指标", columns=COLUMNS, rows=[])
    writer.add_text_sheet("填报说明", ["填报说明", ""] + [
        f"{n}. {s.label}{'（必填）' if s.required else ''}：{s.hint or '按实际填写'}" for n, s in enumerate(SPECS, 1)] + [
        "", f"一级指标填{'、'.join(LEVEL1)}之一；指标性质填{'、'.join(DIRECTIONS)}之一；参考值依据填{'、'.join(BASES)}之一。",
        "有指标编码的行按编码更新库中同编码指标；没有编码的行按“行业领域＋一级＋二级＋三级指标”更新，其余新增。",
        "任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。",
        "适用范围、一级指标、二级指标、指标性质、参考值依据可从下拉列表中选择；一体化系统的写法（产出指标、数量指标等）"
        "导入时自动按产出、数量保存。也可以导入Excel 97-2003格式（.xls）的文件。"])
    writer.save(path)
    from app.io.templates import TemplateSheet, finish_template

    finish_template(path, [TemplateSheet(SHEET, choices={"适用范围": SCOPES, "一级指标": LEVEL1, "参考值依据": BASES},
                                         suggestions={"二级指标": levels.LEVEL2, "指标性质": DIRECTIONS})])


def render_library(rows: Iterable[LibraryRow], path, job: Optional[JobControl] = None) -> int:
    """The library's rows as the 绩效指标库 sheet (every field, the template's columns). Returns
    the count."""
    from app.io.xlsx import XlsxWriter

    rows = list(rows)
    body = ([getattr(r, s.key) or None for s in SPECS] for r in rows)
    writer = XlsxWriter()
    writer.add_table(SHEET, title="绩效指标库", unit_line=f"共{len(rows)}个指标", columns=COLUMNS, rows=body, job=job,
                     total=len(rows))
    writer.save(path)
    return len(rows)


def parse_library(path, job: Optional[JobControl] = None) -> tuple[LibraryFile, list[CellProblem]]:
    """The file's good rows (a blank 适用范围 is 项目) and the problems of its bad cells."""
    from app.io.xlsx import read_table

    required = [s.label for s in SPECS if s.required]
    table = read_table(path, sheet=SHEET, required=required, optional=[h for h in HEADERS if h not in required], job=job)
    by_label = {s.label: s.key for s in SPECS}
    label_of = {s.key: s.label for s in SPECS}
    problems: list[CellProblem] = []
    parsed: list[ImportedIndicator] = []
    for row_no, cells in table.rows:
        raw = {by_label[h]: v for h, v in cells.items()}
        for key, canonical in (("level1", levels.level1), ("level2", levels.level2)):
            if key in raw and raw[key] is not None:
                raw[key] = canonical(raw[key])
        if raw.get("direction") is not None:  # >=, ＞＝, 大于等于, 正向 … read as ≥ (the one reading)
            raw["direction"] = canonical_direction(F.as_text(raw["direction"]))
        values, report = F.parse_fields(SPECS, raw)
        for p in report.problems:
            label = label_of[p.field]
            problems.append(CellProblem(table.sheet, row_no, label, p.message, F.as_text(cells.get(label))))
        if report.ok:
            values["scope"] = values["scope"] or "项目"
            parsed.append(ImportedIndicator(row_no, values))
    return LibraryFile(table.sheet, tuple(parsed)), problems
