"""上报数 in files: the import template, reading a file of figures (each cell parsed with the form's
own check, bad ones named) and the year's 上报数一览表 as xlsx or pdf — the xlsx has the template's
sheet and headers, so an exported file imports into another year or database as it is. Whether the
rows may be written is the service's judgement (app.services.reported.import_file)."""

from __future__ import annotations

from typing import Optional

from app.domain.reported import PURPOSE, SPECS, STAGES, ImportedStat, ReportedYear, check
from app.io.cells import read_checked_rows
from app.io.columns import INT, MONEY, SCORE, TEXT, Column
from app.jobs import JobControl
from app.rules.validation import CellProblem

SHEET = "上报数"
WIDTHS = {"stage": 10, "item": 36, "count": 9, "amount_fen": 14, "rate_pct": 10, "source": 28, "text": 60}
TEMPLATE_COLUMNS = [Column(s.label, width=WIDTHS[s.key]) for s in SPECS]


def write_template(path) -> None:
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="上报数导入模板", unit_line="一行一个数字", columns=TEMPLATE_COLUMNS, rows=[])
    writer.add_text_sheet("填报说明", ["填报说明", "", PURPOSE, ""] + [
        f"{n}. {s.label}{'（必填）' if s.required else ''}：{s.hint or '按实际填写'}" for n, s in enumerate(SPECS, 1)] + [
        "", "数量、金额、比率和原文至少填一项。环节可填：" + "、".join(STAGES) + "。",
        "导入到所选年度；同一年度同一环节的数据项不能重复。",
        "任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。也可以导入Excel 97-2003格式（.xls）的文件。"])
    writer.save(path)


def parse_stats(path, job: Optional[JobControl] = None) -> tuple[list[ImportedStat], list[CellProblem]]:
    """The file's good rows and the problems of its bad cells."""
    return read_checked_rows(path, SHEET, SPECS, check, ImportedStat, job)


def _table(view: ReportedYear):
    spans = len({r.region_code for r in view.rows}) > 1
    columns = ([Column("序号", INT, 6)] + [Column("区划", TEXT, 12)] * spans
               + [Column("环节", TEXT, 10), Column("数据项", TEXT, 36), Column("数量", INT, 9),
                  Column("金额（万元）", MONEY, 14), Column("比率（%）", SCORE, 10), Column("来源", TEXT, 28),
                  Column("原文", TEXT, 60)])
    body = [[n] + [r.region] * spans + [r.stage, r.item, r.count, r.amount_fen, r.rate_pct, r.source or None,
                                          r.text or None]
            for n, r in enumerate(view.rows, 1)]
    return f"{view.region_label}{view.year}年度上报数一览表", view.sentence, columns, body


def render_reported(view: ReportedYear, path, fmt: str = "xlsx") -> int:
    """The year's 上报数一览表 (xlsx or pdf); returns how many rows it holds."""
    title, unit_line, columns, body = _table(view)
    from app.io.table_file import write_table_file

    return write_table_file(path, fmt, SHEET, title, unit_line, columns, body)
