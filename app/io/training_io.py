"""培训 in files: the import template, reading a file of sessions (each cell parsed with the form's
own check, bad ones named) and the year's 培训情况表 as xlsx or pdf. Whether the rows may be
written is the service's judgement (app.services.training.import_file)."""

from __future__ import annotations

from typing import Optional

from app.domain.training import SPECS, ImportedSession, TrainingYear, check
from app.io.cells import read_checked_rows
from app.io.columns import INT, TEXT, Column
from app.jobs import JobControl
from app.rules.validation import CellProblem

SHEET = "培训"
TEMPLATE_COLUMNS = [Column(s.label, width=40 if s.key in ("title", "units") else 14) for s in SPECS]


def write_template(path) -> None:
    from app.io.xlsx import XlsxWriter

    writer = XlsxWriter()
    writer.add_table(SHEET, title="培训情况导入模板", unit_line="一行一次培训", columns=TEMPLATE_COLUMNS, rows=[])
    writer.add_text_sheet("填报说明", ["填报说明", ""] + [
        f"{n}. {s.label}{'（必填）' if s.required else ''}：{s.hint or '按实际填写'}" for n, s in enumerate(SPECS, 1)] + [
        "", "导入到所选年度：培训日期须在该年度内。",
        "任何一个单元格有误，整个文件都不导入，并列出每个错误单元格。也可以导入Excel 97-2003格式（.xls）的文件。"])
    writer.save(path)


def parse_sessions(path, year: int, job: Optional[JobControl] = None) -> tuple[list[ImportedSession], list[CellProblem]]:
    """The file's good rows and the problems of its bad cells (a date outside `year` is one)."""
    return read_checked_rows(path, SHEET, SPECS, lambda values: check(values, year), ImportedSession, job)


def _table(view: TrainingYear):
    spans = len({r.region_code for r in view.rows}) > 1
    columns = ([Column("序号", INT, 6)] + [Column("区划", TEXT, 12)] * spans
               + [Column("培训日期", TEXT, 12), Column("培训主题", TEXT, 36), Column("主办单位", TEXT, 20),
                  Column("培训次数", INT, 9), Column("参训人次", INT, 9), Column("参训单位", TEXT, 30),
                  Column("备注", TEXT, 30)])
    body = [[n] + [r.region] * spans + [r.date_text, r.topic, r.organiser or None, r.sessions, r.attendees,
                                          r.units or None, r.note or None]
            for n, r in enumerate(view.rows, 1)]
    where = f"{view.region_label}" if view.region_label else ""
    return f"{where}{view.year}年度培训情况表", f"共培训{view.sessions}次，参训{view.attendees}人次", columns, body


def render_training(view: TrainingYear, path, fmt: str = "xlsx") -> int:
    """The year's 培训情况表 (xlsx or pdf); returns how many rows it holds."""
    title, unit_line, columns, body = _table(view)
    from app.io.table_file import write_table_file

    return write_table_file(path, fmt, SHEET, title, unit_line, columns, body)
