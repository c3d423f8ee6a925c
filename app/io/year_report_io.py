"""The 数据 sheet of the year's report: one row per figure (部分, 数据项, 数值, 单位, 口径, 来源), in the
report's order, so every number the text writes can be traced. 数值 is written as the text writes it
(70.83, 8955.34, 24) — the same characters, never a float Excel would re-round."""

from __future__ import annotations

from typing import Sequence

from app.domain.year_report import Figure
from app.io.columns import Column
from app.io.xlsx import HEADER_ROW, XlsxWriter  # noqa: F401 (HEADER_ROW: where the header sits)

DATA_SHEET = "数据"
COLUMNS = [Column("部分", width=12), Column("数据项", width=30), Column("数值", width=14), Column("单位", width=6),
           Column("口径", width=60), Column("来源", width=10)]


def title(year: int) -> str:
    return f"{year}年度预算绩效工作开展情况说明 数据"


def rows(figures: Sequence[Figure]) -> list[list]:
    return [[f.section, f.item, f.text, f.unit, f.basis, f.source] for f in figures]


def add_data_sheet(writer: XlsxWriter, year: int, figures: Sequence[Figure]) -> int:
    """Add the 数据 sheet to a workbook being written (the report's xlsx adds its other sheets)."""
    line = "来源“上报数”：县里录入的上报统计数（系统中没有这部分记录时采用）"
    return writer.add_table(DATA_SHEET, title=title(year), unit_line=line, columns=COLUMNS, rows=rows(figures))


def render_data(year: int, figures: Sequence[Figure], path) -> int:
    """A workbook holding the 数据 sheet alone; returns the number of figures."""
    writer = XlsxWriter()
    n = add_data_sheet(writer, year, figures)
    writer.save(path)
    return n
