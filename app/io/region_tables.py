"""按区划汇总: the line per region (本级 and each township, then 合计) a summary adds when the county
holds townships' records — in the workbook as its own sheet, in the PDF as a short table after the
main one. The monitoring and self-evaluation summaries both write it through here."""

from __future__ import annotations

from typing import Sequence

from app.io.columns import NUMERIC_KINDS, Column, format_value

REGION_SHEET = "按区划汇总"


def add_region_sheet(writer, title: str, columns: Sequence[Column], rows: Sequence[Sequence],
                     unit_line: str = "") -> None:
    """The 按区划汇总 sheet of an xlsx writer (app.io.xlsx.XlsxWriter or a subclass)."""
    writer.add_table(REGION_SHEET, title=title, unit_line=unit_line, columns=list(columns), rows=list(rows))


def region_figures(caption: str, columns: Sequence[Column], rows: Sequence[Sequence], landscape: bool = True) -> list:
    """The same lines as a PDF's short table under a caption (reportlab flowables for
    app.io.pdf.write_table_pdf's `figures`), as wide as the page's main table."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    from app.io import pdf

    pdf.register_font()  # the paragraphs below are made before write_table_pdf registers it
    page = max(A4) if landscape else min(A4)
    widths = pdf._column_widths(*pdf._measure(columns, list(rows)), page - 2 * pdf.MARGIN)
    data = [[pdf._para(c.header, pdf._HEADER) for c in columns]]
    data += [[pdf._para(format_value(c.kind, value), pdf._NUMBER if c.kind in NUMERIC_KINDS else pdf._CELL)
              for c, value in zip(columns, row)] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2")),
                               ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    return [Spacer(1, 10), KeepTogether([pdf._para(caption, pdf._NOTE), Spacer(1, 3), table])]
