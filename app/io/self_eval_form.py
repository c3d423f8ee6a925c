"""The 项目支出绩效自评表 (and 部门整体支出绩效自评表) of one table, laid out like the paper form on
A4 portrait: the title, the header fields two pairs to a line, 一、预算执行情况, 二、绩效指标完成情况,
the 总分 and 评价等级, the text blocks, the signature lines and the rule pack's small print.

Rendered from the service's SelfEvalFormView (all text): no database here. In the PDF < and &
print literally; in the workbook user text is always text (never a formula) and money is a number
with two decimals."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Sequence

from app.domain.self_eval import DEPARTMENT, SelfEvalFormView

TITLES = {DEPARTMENT: "部门整体支出绩效自评表"}
DEFAULT_TITLE = "项目支出绩效自评表"
BUDGET_HEADING, INDICATOR_HEADING = "一、预算执行情况（单位：万元）", "二、绩效指标完成情况"
# share of the table width by header (matched by its start); anything else weighs DEFAULT_WEIGHT
WEIGHTS = (("一级指标", 4.5), ("二级指标", 5), ("三级指标", 12), ("指标性质", 4), ("年度指标值", 7), ("指标值", 7),
           ("计量单位", 6), ("实际完成值", 8), ("分值", 4), ("参考得分", 5), ("得分", 4.5), ("评分说明", 10),
           ("扣分原因", 10), ("评分标准", 12), ("偏差原因", 12), ("预算行", 7), ("项目", 7), ("年初预算数", 8),
           ("全年预算数", 8), ("全年执行数", 8), ("执行率", 7), ("原因", 13), ("预算执行", 7))
DEFAULT_WEIGHT = 7
MONEY_WORDS = ("预算数", "执行数", "万元")
SCORE_WORDS = ("分值", "得分", "总分")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def title_of(view: SelfEvalFormView) -> str:
    """<year>年度项目支出绩效自评表 (部门整体支出… for a department), whatever the view's title says."""
    title = view.title or TITLES.get(view.kind, DEFAULT_TITLE)
    return title if str(view.year) in title else f"{view.year}年度{title}"


def weights(headers: Sequence[str]) -> list[float]:
    """Each column's share of the width (summing to 1), by what its header is."""
    raw = [next((w for start, w in WEIGHTS if h.startswith(start)), DEFAULT_WEIGHT) for h in headers]
    return [w / sum(raw) for w in raw] if raw else []


def is_money(header: str) -> bool:
    return any(word in header for word in MONEY_WORDS)


def is_number(header: str) -> bool:
    return is_money(header) or any(word in header for word in SCORE_WORDS) or header.startswith("执行率")


def status_line(view: SelfEvalFormView) -> str:
    """填报状态 above the header fields, unless a field already says it."""
    shown = any(label in ("状态", "填报状态") for label, _ in view.fields)
    return f"填报状态：{view.status}" if view.status and not shown else ""


def signature_line(label: str, name: str) -> str:
    return f"{label}：{name or '__________'}　　　　签字：______________　　　　日期：________年_____月_____日"


# -- PDF -------------------------------------------------------------------------------------------------
def write_pdf(view: SelfEvalFormView, path) -> None:
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import LongTable, SimpleDocTemplate, Spacer, TableStyle

    from app.io import pdf

    pdf.register_font()
    cell = ParagraphStyle("se_cell", parent=pdf._CELL, fontSize=8, leading=10)
    number = ParagraphStyle("se_number", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("se_head", parent=cell, alignment=TA_CENTER)
    label = ParagraphStyle("se_label", parent=cell, fontSize=8.5, leading=11)
    small = ParagraphStyle("se_small", parent=cell, fontSize=7, leading=9, textColor=colors.HexColor("#555555"))
    status = ParagraphStyle("se_status", parent=small, alignment=TA_RIGHT)
    sign = ParagraphStyle("se_sign", parent=cell, fontSize=9, leading=12)
    p = lambda text, style=cell: pdf._para(str(text or ""), style)  # noqa: E731
    grey, shade, blue = colors.HexColor("#808080"), colors.HexColor("#F2F2F2"), colors.HexColor("#D9E1F2")
    base = [("GRID", (0, 0), (-1, -1), 0.5, grey), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    avail = A4[0] - 2 * pdf.MARGIN

    def grid(heading: str, headers: Sequence[str], rows: Sequence[Sequence[str]]):
        shares = weights(headers)
        styles = [number if is_number(h) else cell for h in headers]
        rooms = [avail * share - 5.5 for share in shares]
        data = [[p(heading, label)] + [""] * (len(headers) - 1),
                [p(pdf._header_text(h, room), head) for h, room in zip(headers, rooms)]]
        data += [[p(v, s) for v, s in zip(row, styles)] for row in rows]
        table = LongTable(data, colWidths=[avail * s for s in shares], repeatRows=2, splitInRow=3 * cell.leading)
        table.setStyle(TableStyle(base + [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), shade),
                                          ("BACKGROUND", (0, 1), (-1, 1), blue)]))
        return table

    pairs = _pairs(view.fields)
    fields = LongTable([[p(a, label), p(b), p(c, label), p(d)] for (a, b), (c, d) in pairs] or [["", "", "", ""]],
                       colWidths=[avail * w for w in (0.15, 0.35, 0.15, 0.35)])
    fields.setStyle(TableStyle(base + [("BACKGROUND", (0, 0), (0, -1), shade), ("BACKGROUND", (2, 0), (2, -1), shade)]))
    total = LongTable([[p("总分", label), p(view.total, number), p("评价等级", label), p(view.grade)]],
                      colWidths=[avail * w for w in (0.15, 0.35, 0.15, 0.35)])
    total.setStyle(TableStyle(base + [("BACKGROUND", (0, 0), (0, -1), shade), ("BACKGROUND", (2, 0), (2, -1), shade)]))
    story = [p(title_of(view), pdf._TITLE), p(status_line(view), status), fields,
             Spacer(1, 5), grid(BUDGET_HEADING, view.budget_header, view.budget_rows), Spacer(1, 5),
             grid(INDICATOR_HEADING, view.indicator_header, view.indicator_rows), total]
    if view.texts:
        texts = LongTable([[p(a, label), p(b)] for a, b in view.texts], colWidths=[avail * 0.15, avail * 0.85],
                          splitInRow=3 * cell.leading)
        texts.setStyle(TableStyle(base + [("BACKGROUND", (0, 0), (0, -1), shade)]))
        story += [Spacer(1, 5), texts]
    if view.signatures:
        lines = LongTable([[p(f"{who}：{name or '__________'}", sign), p("签字：______________", sign),
                            p("日期：________年_____月_____日", sign)] for who, name in view.signatures],
                          colWidths=[avail * w for w in (0.34, 0.30, 0.36)])
        lines.setStyle(TableStyle([("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story += [Spacer(1, 12), lines]
    if view.pack_note:
        story += [Spacer(1, 4), p(view.pack_note, small)]

    def build(out) -> None:
        doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=pdf.MARGIN, rightMargin=pdf.MARGIN, topMargin=12 * 2.835,
                                bottomMargin=pdf.MARGIN + 12, title=title_of(view), creator="perfdesk")
        doc.build(story, canvasmaker=pdf.footer_canvas())

    pdf.write_out(path, build)


def _pairs(fields: Sequence[tuple[str, str]]) -> list[tuple[tuple[str, str], tuple[str, str]]]:
    padded = list(fields) + [("", "")] * (len(fields) % 2)
    return [(padded[n], padded[n + 1]) for n in range(0, len(padded), 2)]


# -- xlsx ------------------------------------------------------------------------------------------------
SHEET_CHARS = 96  # the columns' widths add up to a portrait A4 page (app.io.xlsx.PORTRAIT_CHARS)
LINE_HEIGHT = 13.5
MONEY_FORMAT, SCORE_FORMAT = "#,##0.00", "0.00"


def _amount(text: str, money: bool):
    """A money or score cell's number (Decimal) when the text is a plain number, else None."""
    plain = (text or "").strip().replace(",", "") if money else (text or "").strip()
    return Decimal(plain) if _PLAIN_NUMBER.fullmatch(plain) else None


def _bounds(shares: Sequence[float], widths: Sequence[float]) -> list[int]:
    """0-based first grid column of each of len(shares) spans laid over the grid's columns, and the
    end: each span at least one column, its width as near its share of the whole as the grid allows."""
    n, m = len(widths), len(shares)
    edges, total = [0.0], sum(widths)
    for w in widths:
        edges.append(edges[-1] + w)
    bounds, want = [0], 0.0
    for k in range(1, m):
        want += shares[k - 1] * total
        choices = range(bounds[-1] + 1, n - (m - k) + 1)
        bounds.append(min(choices, key=lambda j: abs(edges[j] - want)))
    return bounds + [n]


def write_xlsx(view: SelfEvalFormView, path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    from app.io.columns import display_width
    from app.io.xlsx import _clean_text, atomic_output, print_ready

    n = max(len(view.indicator_header), len(view.budget_header), 4)
    grid = next((h for h in (view.indicator_header, view.budget_header) if len(h) == n), [""] * n)
    shares = weights(grid)  # the widest table sets the columns; the others span them
    widths = [max(4.0, round(s * SHEET_CHARS, 1)) for s in shares]
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    thin = Side(style="thin", color="808080")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    shade, blue = PatternFill("solid", fgColor="F2F2F2"), PatternFill("solid", fgColor="D9E1F2")
    heights: dict[int, float] = {}

    def put(row: int, first: int, last: int, value: str, *, bold=False, fill=None, kind: str = "", center=False):
        """Writes one cell spanning columns first..last (1-based); text stays text."""
        cell = ws.cell(row=row, column=first)
        number = _amount(value, kind == "money") if kind else None
        if number is not None:
            cell.value = number
            cell.number_format = MONEY_FORMAT if kind == "money" else SCORE_FORMAT
        else:
            cell.value = _clean_text("" if value is None else value)
            cell.data_type = "s"  # user text is text: "=SUM(A1)" is never a formula
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="center" if center else ("right" if number is not None else None))
        cell.font = Font(bold=bold)
        for col in range(first, last + 1):
            ws.cell(row=row, column=col).border = box
            if fill is not None:
                ws.cell(row=row, column=col).fill = fill
        if last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
        room = sum(widths[first - 1:last]) - 1
        lines = sum(max(1, math.ceil(display_width(part) / max(room, 1))) for part in str(value or "").split("\n"))
        heights[row] = max(heights.get(row, 1.0), lines * LINE_HEIGHT + 3)

    def kind_of(header: str) -> str:
        return "money" if is_money(header) else ("score" if any(w in header for w in SCORE_WORDS) else "")

    def table(row: int, heading: str, headers: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
        put(row, 1, n, heading, bold=True, fill=shade)
        bounds = _bounds(weights(headers), widths) if headers else [0, n]
        kinds = [kind_of(h) for h in headers]
        for r, values in enumerate([list(headers)] + [list(v) for v in rows]):
            for k, value in enumerate(values[:len(headers)]):
                if r == 0:
                    put(row + 1, bounds[k] + 1, bounds[k + 1], value, bold=True, fill=blue, center=True)
                else:
                    put(row + 1 + r, bounds[k] + 1, bounds[k + 1], value, kind=kinds[k])
        return row + 2 + len(rows)

    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=n)
    ws.cell(row=1, column=1, value=_clean_text(title_of(view))).data_type = "s"
    ws.cell(row=1, column=1).font = Font(bold=True, size=16)
    ws.cell(row=1, column=1).alignment = Alignment(horizontal="center", vertical="center")
    heights[1] = 28
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=n)
    ws.cell(row=2, column=1, value=status_line(view)).data_type = "s"
    ws.cell(row=2, column=1).alignment = Alignment(horizontal="right")
    quarter = _bounds((0.15, 0.35, 0.15, 0.35), widths)
    row = 3
    for pair in _pairs(view.fields):
        for k, value in enumerate((pair[0][0], pair[0][1], pair[1][0], pair[1][1])):
            put(row, quarter[k] + 1, quarter[k + 1], value, bold=k % 2 == 0, fill=shade if k % 2 == 0 else None)
        row += 1
    row = table(row + 1, BUDGET_HEADING, view.budget_header, view.budget_rows)
    row = table(row + 1, INDICATOR_HEADING, view.indicator_header, view.indicator_rows)
    for k, (value, kind) in enumerate((("总分", ""), (view.total, "score"), ("评价等级", ""), (view.grade, ""))):
        put(row, quarter[k] + 1, quarter[k + 1], value, bold=k % 2 == 0, fill=shade if k % 2 == 0 else None, kind=kind)
    row += 1
    for label, text in view.texts:
        put(row, 1, quarter[1], label, bold=True, fill=shade)
        put(row, quarter[1] + 1, n, text)
        row += 1
    row += 1
    for who, name in view.signatures:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        ws.cell(row=row, column=1, value=_clean_text(signature_line(who, name))).data_type = "s"
        heights[row] = 24
        row += 1
    if view.pack_note:
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=n)
        note = ws.cell(row=row, column=1, value=_clean_text(view.pack_note))
        note.data_type, note.font = "s", Font(size=8, color="555555")
        note.alignment = Alignment(wrap_text=True, vertical="top")
        heights[row] = max(1, math.ceil(display_width(view.pack_note) / (SHEET_CHARS * 1.15))) * 11 + 3
    for number, height in heights.items():
        ws.row_dimensions[number].height = height
    for col, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = width
    print_ready(ws, widths, None)
    with atomic_output(path) as tmp:
        wb.save(tmp)
