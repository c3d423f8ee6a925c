"""`export results`: a year's 结果应用 table rendered from the service's view (no database here).

The table lists the measures decided in the year grouped by 措施 (序号, 措施, 对象, 数量（份）, 金额（万元）,
依据, 影响年度, 执行情况), a shaded "<措施>小计" row after each group and a 合计 row at the end
(blank amounts count as none; a group without any amount shows none); the 结果应用 page shows the same
lines (table_lines). The counts provincial systems collect (问题数, 已整改数, 压减预算金额,
收回资金, 取消项目数, 调整项目数, 公开, 报人大) are a second sheet 汇总 in xlsx and a block after
the table in the PDF. A county holding its townships' records gets a 区划 column after 对象 and, all
regions asked, the counts of each region: a third sheet 按区划汇总 (a block in the PDF); a year of
one region names it in the titles."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from app.domain.results import ResultYear
from app.io.columns import INT, MONEY, Column
from app.io.region_tables import REGION_SHEET, add_region_sheet, region_figures

TABLE_SHEET, COUNTS_SHEET = "结果应用情况表", "汇总"
TOTAL, SUBTOTAL = "合计", "小计"
SUBTOTAL_FILL, TOTAL_FILL = "F2F2F2", "D9D9D9"
NONE_YET = "本年度没有结果应用措施"


def _where(view: ResultYear) -> str:
    return f"（{view.region}）" if view.region else ""


def title(view: ResultYear) -> str:
    return f"{view.year}年度绩效评价结果应用情况表{_where(view)}"


def counts_title(view: ResultYear) -> str:
    return f"{view.year}年度绩效评价结果应用汇总{_where(view)}"


def regions_title(view: ResultYear) -> str:
    return f"{view.year}年度绩效评价结果应用{REGION_SHEET}"


def subtotal_label(measure: str) -> str:
    return f"{measure}{SUBTOTAL}"


def columns(view: ResultYear) -> list[Column]:
    fills = tuple((subtotal_label(g.measure), SUBTOTAL_FILL) for g in view.groups) + ((TOTAL, TOTAL_FILL),)
    region = [Column("区划", width=10)] if view.region_column else []
    return [Column("序号", INT, width=6), Column("措施", width=12, fills=fills), Column("对象", width=30), *region,
            Column("数量（份）", INT, width=9), Column("金额（万元）", MONEY, width=14), Column("依据", width=34), Column("影响年度", INT, width=9),
            Column("执行情况", width=24)]


@dataclass(frozen=True)
class TableLine:
    """A line of the year's table as the page shows it and the export prints it: a measure
    (measure_id set) or a 小计 / 合计 row. The first eight fields are the table's columns (with the
    region after 对象 when the table prints 区划)."""

    seq: Optional[int]
    measure: str
    object_name: str
    count: Optional[int]
    amount_fen: Optional[int]
    basis_text: Optional[str]
    affect_year: Optional[int]
    execution: Optional[str]
    measure_id: Optional[int] = None
    version: Optional[int] = None
    region: Optional[str] = None  # a measure's 区划 (its region's name)

    def cells(self, region: bool = False) -> list:
        return [self.seq, self.measure, self.object_name, *([self.region] if region else []), self.count,
                self.amount_fen, self.basis_text, self.affect_year, self.execution]


def table_lines(view: ResultYear) -> list[TableLine]:
    """Each group's measures (序号 running through the year), its 小计, then the 合计."""
    lines: list[TableLine] = []
    n = 0
    for group in view.groups:
        for r in group.rows:
            n += 1
            lines.append(TableLine(n, r.measure, r.object_name, r.count, r.amount_fen, r.basis_text, r.affect_year,
                                   r.execution, r.measure_id, r.version, r.region))
        priced = any(r.amount_fen is not None for r in group.rows)  # 通报, 公开: no 0.00 to read
        lines.append(TableLine(None, subtotal_label(group.measure), f"{len(group.rows)}项", None,
                               group.subtotal_fen if priced else None, None, None, None))
    lines.append(TableLine(None, TOTAL, f"{n}项", None, view.total_fen, None, None, None))
    return lines


def table_rows(view: ResultYear) -> list[list]:
    """The table's cells, line by line (table_lines)."""
    return [line.cells(view.region_column) for line in table_lines(view)]


COUNT_COLUMNS = [Column("指标", width=24), Column("数量", INT, width=10), Column("金额（万元）", MONEY, width=16)]


def count_rows(view: ResultYear) -> list[list]:
    """One row per count: a number in 数量, an amount (fen) in 金额（万元）."""
    return [[label, value, None] if kind == "int" else [label, None, value]
            for label, kind, value in view.counts.lines()]


def region_columns(view: ResultYear) -> list[Column]:
    """按区划汇总: 区划, then a column per count (the counts' own labels)."""
    return [Column("区划", width=14)] + [Column(label, INT if kind == "int" else MONEY, width=12)
                                        for label, kind, _ in view.counts.lines()]


def region_rows(view: ResultYear) -> list[list]:
    """A row per region (its counts), then the 合计 (the year's counts)."""
    return [[name, *(value for _, _, value in counts.lines())]
            for name, counts in (*view.regions, (TOTAL, view.counts))]


def render_results(view: ResultYear, fmt: str, path) -> int:
    """The year's table as "xlsx" (counts on sheet 汇总) or "pdf" (counts after the table);
    returns the number of measures."""
    if fmt == "xlsx":
        from app.io.xlsx import NotesWriter

        writer = NotesWriter()
        cols = columns(view)
        writer.add_table(TABLE_SHEET, title=title(view), columns=cols, rows=table_rows(view))
        if not view.rows:
            writer.add_lines_below([f"{NONE_YET}。"], len(cols), sum(c.width or 0 for c in cols))
        writer.add_table(COUNTS_SHEET, title=counts_title(view), unit_line="", columns=COUNT_COLUMNS,
                         rows=count_rows(view))
        if view.regions:
            add_region_sheet(writer, regions_title(view), region_columns(view), region_rows(view))
        writer.save(path)
    elif fmt == "pdf":
        _pdf(view, path)
    else:
        raise ValueError(f"unknown format {fmt}")
    return len(view.rows)


def _pdf(view: ResultYear, path) -> None:
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import KeepTogether, Spacer

    from app.io import pdf
    from app.io.key_eval_summary_pdf import grid

    pdf.register_font()
    avail = landscape(A4)[0] - 2 * pdf.MARGIN
    figures = [Spacer(1, 14), KeepTogether([pdf._para(counts_title(view), pdf._TITLE), Spacer(1, 4),
                                            grid(COUNT_COLUMNS, count_rows(view), avail * 0.6)])]
    if view.regions:
        figures += region_figures(REGION_SHEET, region_columns(view), region_rows(view))
    notes = [f"{NONE_YET}。"] if not view.rows else []
    pdf.write_table_pdf(path, title=title(view), unit_line="单位：万元", columns=columns(view),
                        rows=table_rows(view), landscape=True, notes=notes, figures=figures)
