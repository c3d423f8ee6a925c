"""按区划汇总: the line per region (本级 and each township, then 合计) a summary adds when the county
holds townships' records — in the workbook as its own sheet, in the PDF as a short table after the
main one. The monitoring and self-evaluation summaries both write it through here."""

from __future__ import annotations

from typing import Sequence

from app.io.columns import Column

REGION_SHEET = "按区划汇总"


def add_region_sheet(writer, title: str, columns: Sequence[Column], rows: Sequence[Sequence],
                     unit_line: str = "") -> None:
    """The 按区划汇总 sheet of an xlsx writer (app.io.xlsx.XlsxWriter or a subclass)."""
    writer.add_table(REGION_SHEET, title=title, unit_line=unit_line, columns=list(columns), rows=list(rows))


def region_figures(caption: str, columns: Sequence[Column], rows: Sequence[Sequence], landscape: bool = True) -> list:
    """The same lines as a PDF's short table under a caption (reportlab flowables for
    app.io.pdf.write_table_pdf's `figures`), as wide as the page's main table."""
    from reportlab.platypus import KeepTogether, Spacer

    from app.io import pdf

    return [Spacer(1, 10), KeepTogether([pdf.note(caption), Spacer(1, 3),
                                         pdf.small_table(columns, rows, landscape=landscape)])]
