"""Paper forms (申报表, 监控表 …) as xlsx and PDF, laid out the way the offices print them: a title
and subtitle, a block of paired header fields, full-width text blocks, a table, a signature line.
User text is always text: never an Excel formula, and < & print literally."""

from __future__ import annotations

from dataclasses import dataclass, field

SIGNATURES = "单位负责人：__________    财务负责人：__________    填报人：__________    填报日期：______年___月___日"


@dataclass
class FormContent:
    title: str
    subtitle: str  # （2023年度）
    fields: list[tuple[str, str]]  # label, value: printed two pairs to a line
    texts: list[tuple[str, str]]  # label, text: one full-width line each
    headers: list[str]  # the table
    widths: list[float]  # share of the page width per table column (sum 1)
    rows: list[list] = field(default_factory=list)
    sheet: str = "表"
    signatures: str = SIGNATURES

    def pairs(self) -> list[tuple[tuple[str, str], tuple[str, str]]]:
        fields = self.fields + [("", "")] * (len(self.fields) % 2)
        return [(fields[n], fields[n + 1]) for n in range(0, len(fields), 2)]


def write_xlsx(c: FormContent, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from app.io.xlsx import atomic_output, print_ready

    n = len(c.headers)
    quarter = [0, n // 4, n // 2, 3 * n // 4, n]  # label | value | label | value over the table's columns
    wb = Workbook()
    sheet = wb.active
    sheet.title = c.sheet
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")

    def put(row: int, first: int, value, bold: bool = False, last: int = 0) -> None:
        cell = sheet.cell(row=row, column=first)
        cell.value = "" if value is None else str(value)
        cell.data_type = "s"  # user text is text, never a formula
        cell.alignment, cell.border = wrap, box
        if bold:
            cell.font = Font(bold=True)
        if last > first:
            sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    for row, text, font in ((1, c.title, Font(bold=True, size=16)), (2, c.subtitle, Font())):
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        sheet.cell(row=row, column=1).value = text
        sheet.cell(row=row, column=1).font = font
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    row = 3
    for (l1, v1), (l2, v2) in c.pairs():
        for k, (value, bold) in enumerate(((l1, True), (v1, False), (l2, True), (v2, False))):
            put(row, quarter[k] + 1, value, bold, quarter[k + 1])
        row += 1
    for label, text in c.texts:
        put(row, 1, label, True, quarter[1])
        put(row, quarter[1] + 1, text, last=n)
        sheet.row_dimensions[row].height = 48
        row += 1
    header_row = row
    for col, header in enumerate(c.headers, 1):
        put(row, col, header, True)
    row += 1
    for values in c.rows:
        for col, value in enumerate(values, 1):
            put(row, col, value)
        row += 1
    sheet.merge_cells(start_row=row + 1, start_column=1, end_row=row + 1, end_column=n)
    sheet.cell(row=row + 1, column=1).value = c.signatures
    widths = [max(6, round(share * 130)) for share in c.widths]
    for col, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(col)].width = width
    print_ready(sheet, widths, f"{header_row}:{header_row}")  # the table's header on every page
    with atomic_output(path) as tmp:
        wb.save(tmp)


def write_pdf(c: FormContent, path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

    from app.io import pdf

    pdf.register_font()
    cell, head = pdf._CELL, pdf._HEADER
    p = lambda text, style=cell: pdf._para(str(text or ""), style)  # noqa: E731
    pagesize = landscape(A4)
    avail = pagesize[0] - 2 * pdf.MARGIN
    info = [[p(l1, head), p(v1), p(l2, head), p(v2)] for (l1, v1), (l2, v2) in c.pairs()]
    info += [[p(label, head), p(text), "", ""] for label, text in c.texts]
    block = LongTable(info, colWidths=[avail * 0.15, avail * 0.35, avail * 0.15, avail * 0.35])
    block.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F2F2F2")),
        ("BACKGROUND", (2, 0), (2, -len(c.texts) - 1), colors.HexColor("#F2F2F2")),
        *[("SPAN", (1, n), (3, n)) for n in range(len(info) - len(c.texts), len(info))],
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    grid = LongTable([[p(h, head) for h in c.headers]] + [[p(v) for v in r] for r in c.rows],
                     colWidths=[avail * w for w in c.widths], repeatRows=1)
    grid.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story = [p(c.title, pdf._TITLE), p(c.subtitle, head), Spacer(1, 4), block, Spacer(1, 6), grid,
             Spacer(1, 14), p(c.signatures)]

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=pagesize, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN,
                                topMargin=pdf.MARGIN, bottomMargin=pdf.MARGIN + 12, title=c.title, creator="perfdesk")
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)
