"""Printable tables as PDF (reportlab): A4, bundled Chinese font embedded, header row repeated on
every page, footer "第 X 页 共 Y 页" and the print date."""

from __future__ import annotations

import re

import datetime as _dt
import os
from itertools import islice
from typing import Iterable, Optional, Sequence
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape as _landscape, portrait as _portrait
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from app.io.columns import NUMERIC_KINDS, TEXT, Column, format_value
from app.io.xlsx import STEP_ROWS, atomic_output
from app.jobs import control
from app.paths import resource_path

FONT = "WQYMicroHei"
FONT_SIZE = 9
MARGIN = 15 * mm
PAD = 3  # cell padding, points

_CELL = ParagraphStyle("cell", fontName=FONT, fontSize=FONT_SIZE, leading=FONT_SIZE * 1.25,
                       wordWrap="CJK", alignment=TA_LEFT)
_NUMBER = ParagraphStyle("number", parent=_CELL, alignment=TA_RIGHT)
_HEADER = ParagraphStyle("header", parent=_CELL, alignment=TA_CENTER)
_TITLE = ParagraphStyle("title", parent=_CELL, fontSize=16, leading=22, alignment=TA_CENTER,
                        spaceAfter=4)
_UNIT = ParagraphStyle("unit", parent=_CELL, alignment=TA_RIGHT, spaceAfter=3)
_NOTE = ParagraphStyle("note", parent=_CELL, spaceBefore=2)


def register_font() -> str:
    """Register the bundled font with reportlab once; returns its name. reportlab always embeds
    (a subset of) TrueType fonts, so the PDF prints the same on any PC."""
    if FONT not in pdfmetrics.getRegisteredFontNames():
        path = resource_path("fonts", "wqy-microhei.ttc")
        pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
    return FONT


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph showing `text` literally: < > & are escaped, line breaks kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _header_text(header: str, room: float) -> str:
    """A header too wide for its column breaks before its unit: 全年预算数 / （万元）."""
    if "（" in header and stringWidth(header, FONT, FONT_SIZE) > room:
        return header.replace("（", "\n（", 1)
    return header


def _cell(text: str, style: ParagraphStyle, room: float):
    """A table cell: plain text (drawn literally, no markup) when it fits on one line, else a
    wrapping Paragraph. Laying out tens of thousands of Paragraphs is what makes big PDFs slow."""
    if "\n" not in text and stringWidth(text, FONT, FONT_SIZE) <= room:
        return text
    return [_para(text, style)]  # a list: reportlab can then split a too-tall row


class _FooterCanvas(canvas.Canvas):
    """Defers every page until save() so the footer can say how many pages there are."""

    print_date = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width, _ = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.drawCentredString(width / 2, 8 * mm, f"第 {number} 页 共 {total} 页")
        self.drawRightString(width - MARGIN, 8 * mm, f"打印日期：{self.print_date}")
        self.restoreState()


class _Doc(SimpleDocTemplate):
    """Reports progress as table rows are laid out, and lets a cancel stop the layout."""

    def __init__(self, target, job, total: int, **kwargs):
        super().__init__(target, **kwargs)
        self._job, self._total, self._laid = job, total, 0

    def afterFlowable(self, flowable):
        cells = getattr(flowable, "_cellvalues", None)
        if cells is not None:
            self._laid += max(len(cells) - 1, 0)  # minus the (repeated) header row
        # progress runs over 2 × total: each row is prepared, then laid out
        self._job.step(self._total + self._laid if self._total else 0, 2 * self._total)


_CODE_RUN = re.compile(r"[!-~]+")


def _measure(columns: Sequence[Column], sample: list[Sequence]) -> tuple[list[float], list[float]]:
    """Per column, in points with padding: the width it would like (header and content on one
    line) and the least it can live with (numbers, dates and 是/否 unbroken, headers and text
    wrapped at about four Chinese characters)."""
    wrap_at = 4 * FONT_SIZE
    natural, least = [], []
    for i, column in enumerate(columns):
        header = stringWidth(column.header, FONT, FONT_SIZE)
        if column.width is not None:
            content = header = column.width * FONT_SIZE * 0.55  # Excel character units
        token = 0.0  # the widest code-like run (ASCII without spaces): never broken mid-code
        if column.width is None:
            content = 0.0
            for row in sample:
                value = row[i] if i < len(row) else None
                if value is not None:
                    text = format_value(column.kind, value)
                    content = max(content, stringWidth(text, FONT, FONT_SIZE))
                    for run in _CODE_RUN.findall(text):
                        token = max(token, stringWidth(run, FONT, FONT_SIZE))
        want = min(max(header, content, 2 * FONT_SIZE), 30 * FONT_SIZE)
        if column.kind == TEXT:
            need = max(min(want, wrap_at), min(token, 12 * FONT_SIZE))
        else:
            need = max(content, min(header, wrap_at))
        natural.append(want + 2 * PAD + 1)
        least.append(need + 2 * PAD + 1)
    return natural, least


def _column_widths(natural: list[float], least: list[float], avail: float) -> list[float]:
    """Points per column filling `avail`: in proportion to the natural widths when they fit;
    otherwise every column gets its least width and the rest of the page goes to the columns
    that want more, in proportion to how much more they want."""
    if sum(natural) <= avail:
        return [n * avail / sum(natural) for n in natural]
    if sum(least) >= avail:
        return [n * avail / sum(least) for n in least]
    extra = [max(n - m, 0.0) for n, m in zip(natural, least)]
    spare = avail - sum(least)
    return [m + e * spare / sum(extra) for m, e in zip(least, extra)]


def write_table_pdf(target, *, title: str, unit_line: str, columns: Sequence[Column],
                    rows: Iterable[Sequence], landscape: bool = True, job=None, total: int = 0,
                    notes: Sequence[str] = (), figures: Sequence = ()) -> None:
    """Write one table as a PDF to a path (atomically: nothing is left there on cancel or error)
    or to a binary stream. Raises app.jobs.Cancelled when the job is cancelled. A column with
    fills shades its cells by their text; `figures` (reportlab flowables) follow the notes."""
    job = control(job)
    register_font()
    if not total and hasattr(rows, "__len__"):
        total = len(rows)
    pagesize = _landscape(A4) if landscape else _portrait(A4)
    avail = pagesize[0] - 2 * MARGIN

    rows = iter(rows)
    sample = list(islice(rows, STEP_ROWS))
    widths = _column_widths(*_measure(columns, sample), avail)
    styles = [_NUMBER if c.kind in NUMERIC_KINDS else _CELL for c in columns]
    kinds = [c.kind for c in columns]

    rooms = [w - 2 * PAD - 0.5 for w in widths]
    data = [[_para(_header_text(c.header, room), _HEADER) for c, room in zip(columns, rooms)]]
    shaded = [(i, dict(c.fills)) for i, c in enumerate(columns) if c.fills]
    shading = []
    job.step(0, 2 * total)
    for chunk in (sample, rows):
        for row in chunk:
            for i, fills in shaded:
                if row[i] in fills:
                    shading.append(("BACKGROUND", (i, len(data)), (i, len(data)), colors.HexColor(f"#{fills[row[i]]}")))
            data.append([_cell(format_value(kind, value), style, room)
                         for kind, style, room, value in zip(kinds, styles, rooms, row)])
            if len(data) % STEP_ROWS == 0:
                job.step(len(data) - 1, 2 * total)
    done = len(data) - 1
    job.step(done, 2 * total)

    # splitInRow: a row taller than a page (a very long 绩效目标) may break across pages instead
    # of failing the export; parts shorter than ~4 lines are never split off.
    table = LongTable(data, colWidths=widths, repeatRows=1, splitInRow=4 * _CELL.leading,
                      hAlign="CENTER")
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2")),
        ("FONT", (0, 0), (-1, -1), FONT, FONT_SIZE, _CELL.leading),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),  # reportlab misplaces split rows set to MIDDLE
        *[("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(columns)
          if c.kind in NUMERIC_KINDS],
        ("LEFTPADDING", (0, 0), (-1, -1), PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        *shading,
    ]))
    story = [_para(title, _TITLE)]
    if unit_line:
        story.append(_para(unit_line, _UNIT))
    story.append(table)
    if notes:
        story.append(Spacer(1, 4))
        story.extend(_para(line, _NOTE) for line in notes)
    story.extend(figures)

    def build(out) -> None:
        doc = _Doc(out, job, done, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
                   topMargin=MARGIN, bottomMargin=MARGIN + 4 * mm, title=title,
                   creator="perfdesk", initialFontName=FONT, initialFontSize=FONT_SIZE)
        doc.build(story, canvasmaker=footer_canvas())

    write_out(target, build)


def note(text: str) -> Paragraph:
    """A line of text above or below a table (a caption, a sentence), printed literally (< > & as typed)."""
    register_font()
    return _para(text, _NOTE)


def small_table(columns: Sequence[Column], rows: Sequence[Sequence], widths: Optional[Sequence[float]] = None, *,
                landscape: bool = True, align: str = "CENTER", valign: str = "MIDDLE") -> LongTable:
    """A short bordered table beside a page's main one (a summary by region, a grade distribution, a
    notice's items): the columns' headers shaded, each value shown as its column's kind says (numbers
    right-aligned), every cell printed literally (< > & as typed). `widths` in points; without them the
    table fills the A4 page between the margins (landscape or not) as its cells need, as the main table
    does. A table longer than the page breaks across pages with its header repeated."""
    register_font()
    rows = [list(row) for row in rows]
    if widths is None:
        page = max(A4) if landscape else min(A4)
        widths = _column_widths(*_measure(columns, rows), page - 2 * MARGIN)
    styles = [_NUMBER if c.kind in NUMERIC_KINDS else _CELL for c in columns]
    data = [[_para(c.header, _HEADER) for c in columns]]
    data += [[_para(format_value(c.kind, value), style) for c, style, value in zip(columns, styles, row)] for row in rows]
    table = LongTable(data, colWidths=list(widths), repeatRows=1, splitInRow=4 * _CELL.leading, hAlign=align)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E1F2")),
        ("FONT", (0, 0), (-1, -1), FONT, FONT_SIZE, _CELL.leading),
        ("VALIGN", (0, 0), (-1, -1), valign),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD), ("RIGHTPADDING", (0, 0), (-1, -1), PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return table


def footer_canvas() -> type:
    """A canvas class that prints "第 X 页 共 Y 页" and today's date on every page."""
    return type("_Canvas", (_FooterCanvas,), {"print_date": _dt.date.today().isoformat()})


def write_out(target, build) -> None:
    """build(out) to a path atomically (nothing left behind on failure) or to a binary stream."""
    if isinstance(target, (str, os.PathLike)):
        with atomic_output(target) as tmp:
            build(tmp)
    else:
        build(target)
