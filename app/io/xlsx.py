"""Excel tables: streaming export (openpyxl write_only); the header-located import of .xlsx and .xls
(units in headers, banners above them) is app/io/xlsx_read.py, re-exported here.

Every exported sheet has the same shape: row 1 title, row 2 unit line, row 3 header, data from
row 4, so `read_table` finds the header again when an export is re-imported.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import re
import secrets
import stat
from contextlib import contextmanager
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from app.io.columns import (BOOL, DATE, INT, MONEY, POINTS, RATE, SCORE, TEXT, Column, display_width,
                            format_value, hundredths)
from app.jobs import control
from app.money import wan_from_fen
from app.rules.validation import CellProblem, RejectedError

STEP_ROWS = 200  # rows between job.step() calls; also the rows buffered to size the columns
MIN_WIDTH, MAX_WIDTH = 6, 60
HEADER_ROW = 3
NUMBER_FORMATS = {MONEY: "#,##0.00", SCORE: "0.00", RATE: "0.00%", POINTS: "0.00", INT: "0", DATE: "yyyy-mm-dd"}

# Characters XML 1.0 cannot carry (openpyxl refuses them); they are dropped from exported text.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
_MAX_TEXT = 32767  # Excel's cell text limit
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


_THIN = Side(style="thin", color="808080")

DOCUMENT_MODE = 0o644  # an exported file's permissions before the umask
FOOTER = "第 &P 页 共 &N 页"  # Excel's codes for this page and the page count
# Column widths (Excel characters) that fit across a portrait A4 page inside 0.5" margins: 210 mm
# less 25.4 mm is about 700 pixels at 96 dpi, a character about 7 pixels.
PORTRAIT_CHARS = 98


def _refusal(target: Path, kind: str) -> RejectedError:
    return RejectedError(f"“{target}”是{kind}，不是普通文件，不能导出到这里（原来的内容保持不动）。"
                         f"请换一个文件名再导出。")


def _writable_target(target: Path) -> Path:
    """Where an export onto `target` really goes: a link is followed to the file it names; a
    folder, a device (/dev/null), a pipe or a socket is refused in a sentence, never replaced."""
    real = Path(os.path.realpath(target))
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        return real  # a new file (or a link to a file not yet there)
    except OSError:
        return real  # unreadable: let the write name the problem
    if stat.S_ISREG(mode):
        return real
    if stat.S_ISDIR(mode):
        raise _refusal(target, "一个文件夹")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        raise _refusal(target, "一个设备")
    raise _refusal(target, "一个管道或套接字" if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) else "一个特殊文件")


def _temp_beside(real: Path) -> str:
    """A new empty file next to `real` made with the permissions an ordinary document gets
    (0644 less the umask, which the system applies — mkstemp's 0600 would survive the rename)."""
    for _ in range(100):
        tmp = real.parent / f".~{real.stem[:20]}{secrets.token_hex(4)}.tmp"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), DOCUMENT_MODE)
        except FileExistsError:
            continue
        except OSError as exc:  # name the folder the user chose, not our temp file
            raise type(exc)(exc.errno, exc.strerror, str(real.parent)) from exc
        os.close(fd)
        return str(tmp)
    raise FileExistsError(errno.EEXIST, "无法创建临时文件", str(real.parent))


@contextmanager
def atomic_output(target: str | os.PathLike):
    """Yield a temp path next to `target`; it replaces `target` only if the block succeeds, so a
    cancelled or failed export never leaves a partial file behind. A link is written through to
    its file; anything that is not a regular file is refused (RejectedError) before anything is
    written. A new file gets ordinary document permissions; a replaced one keeps its own."""
    target = Path(target)
    real = _writable_target(target)
    try:
        keep_mode = stat.S_IMODE(os.stat(real).st_mode)
    except OSError:
        keep_mode = None
    tmp = _temp_beside(real)
    try:
        yield tmp
        _writable_target(target)  # still a file (or nothing) after the long write
        if keep_mode is not None:
            try:
                os.chmod(tmp, keep_mode)
            except OSError:
                pass
        try:
            os.replace(tmp, real)
        except OSError as exc:  # e.g. the file is open in Excel: name it, not the temp file
            raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


def print_ready(ws, widths: Sequence[float], title_rows: str | None) -> None:
    """Page setup every exported sheet shares: A4, landscape when the columns are wider than a
    portrait page, fitted to one page wide and as many tall as needed, `title_rows` (e.g. "3:3")
    repeated on every page, "第 x 页 共 y 页" in the footer. Works on write-only sheets too (set
    before the first row is written)."""
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if sum(widths) > PORTRAIT_CHARS else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_margins = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.7, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 9


def _fast_values_to_row(values, row_idx):
    """Stand-in for WriteOnlyWorksheet._values_to_row: our rows are already Cells (or None) with
    type, style and column set, so only the row number is left to fill in. If openpyxl stops
    calling this hook, its own converter still accepts Cells, just more slowly."""
    for cell in values:
        if cell is not None:
            cell.row = row_idx
            yield cell


def _clean_text(value) -> str:
    text = value if value.__class__ is str else str(value)
    if _ILLEGAL.search(text):
        text = _ILLEGAL.sub("", text)
    return text[:_MAX_TEXT] if len(text) > _MAX_TEXT else text


# kind -> (value converter, cell data type); text has no converter
_CONVERT = {MONEY: (wan_from_fen, "n"), SCORE: (Decimal, "n"), RATE: (hundredths, "n"),
            POINTS: (lambda v: hundredths(v) * 100, "n"),
            INT: (int, "n"),
            DATE: (lambda v: v.date() if isinstance(v, _dt.datetime) else v, "d"),
            BOOL: (lambda v: "是" if v else "否", "s")}


def _column_writer(ws, column: int, kind: str, fills: tuple[tuple[str, str], ...] = ()):
    """A function value -> Cell|None for one column. It reuses one Cell per column (and per fill,
    so a style is registered once, not per row): the write-only sheet serialises each row before
    the next is built. Text is always typed "s" (inline string), so "=SUM(A1)" or "#N/A" from a
    user stays text and never becomes a formula. A str in a number column (a placeholder like
    "—") is written as text too."""

    def new_cell(fill=None):
        cell = WriteOnlyCell(ws)
        cell.column = column
        if kind in NUMBER_FORMATS:
            cell.number_format = NUMBER_FORMATS[kind]
        if fill is not None:
            cell.fill = fill
        return cell

    plain = new_cell()
    filled = {text: new_cell(PatternFill("solid", fgColor=colour)) for text, colour in fills}
    convert, data_type = _CONVERT.get(kind, (None, "s"))

    def put(value):
        if value is None:
            return None
        cell = filled.get(value, plain) if filled else plain
        if convert is None or value.__class__ is str:
            cell._value = _clean_text(value)
            cell.data_type = "s"
        else:
            cell._value = convert(value)
            cell.data_type = data_type
        return cell
    return put


def _fit_width(column: Column, sample: list[Sequence], index: int) -> float:
    if column.width is not None:
        return column.width
    widest = display_width(column.header)
    for row in sample:
        value = row[index] if index < len(row) else None
        if value is not None:
            widest = max(widest, display_width(format_value(column.kind, value)))
    return float(min(MAX_WIDTH, max(MIN_WIDTH, widest + 2)))


def _styled(ws, column: int, value, **styles) -> Cell:
    cell = WriteOnlyCell(ws, value=_clean_text(value))
    cell.data_type = "s"  # titles and headers are text too, whatever they start with
    cell.column = column
    for name, style in styles.items():
        setattr(cell, name, style)
    return cell


class XlsxWriter:
    """A streaming workbook: add sheets in order, then save once."""

    def __init__(self) -> None:
        self._wb = Workbook(write_only=True)
        self._done = False

    def _new_sheet(self, sheet_name: str):
        if self._done:
            raise RuntimeError("workbook already saved or discarded")
        title = _BAD_SHEET_CHARS.sub("_", sheet_name).strip("'")[:31] or "Sheet"
        ws = self._wb.create_sheet(title)
        ws._values_to_row = _fast_values_to_row  # see _fast_values_to_row
        return ws

    def add_table(self, sheet_name: str, *, title: str, unit_line: str = "单位：万元",
                  columns: Sequence[Column], rows: Iterable[Sequence], job=None,
                  total: int = 0) -> int:
        """Stream one table sheet; returns the number of data rows written. On Cancelled (or any
        error) the whole workbook is discarded."""
        if not total and hasattr(rows, "__len__"):
            total = len(rows)
        ws = self._new_sheet(sheet_name)
        try:
            return self._write_table(ws, title, unit_line, columns, rows, control(job), total)
        except BaseException:
            self.discard()
            raise

    def _write_table(self, ws, title, unit_line, columns, rows, job, total) -> int:
        ncols = len(columns)
        rows = iter(rows)
        sample = list(islice(rows, STEP_ROWS))
        # Layout must be set before the first row is written (write-only sheets stream the top).
        widths = []
        for i, column in enumerate(columns):
            dimension = ws.column_dimensions[get_column_letter(i + 1)]
            dimension.width = _fit_width(column, sample, i)
            widths.append(dimension.width)
            if column.kind == TEXT:  # what users type later stays text: codes keep their leading zeros
                dimension.number_format = "@"
        last = get_column_letter(max(ncols, 1))
        if ncols > 1:
            ws.merged_cells.add(f"A1:{last}1")
            ws.merged_cells.add(f"A2:{last}2")
        ws.row_dimensions[1].height = 24
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        print_ready(ws, widths, f"{HEADER_ROW}:{HEADER_ROW}")

        ws.append([_styled(ws, 1, title, font=Font(bold=True, size=14),
                           alignment=Alignment(horizontal="center", vertical="center"))])
        ws.append([_styled(ws, 1, unit_line or "", alignment=Alignment(horizontal="right"))])
        header_styles = dict(
            font=Font(bold=True), fill=PatternFill("solid", fgColor="D9E1F2"),
            border=Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True))
        ws.append([_styled(ws, i + 1, c.header, **header_styles) for i, c in enumerate(columns)])

        writers = [_column_writer(ws, i + 1, c.kind, c.fills) for i, c in enumerate(columns)]
        append = ws.append
        done = 0
        job.step(0, total)
        for chunk in (sample, rows):
            for row in chunk:
                append([put(value) for put, value in zip(writers, row)])
                done += 1
                if done % STEP_ROWS == 0:
                    job.step(done, total)
        job.step(done, total)
        return done

    def add_text_sheet(self, sheet_name: str, lines: list[str]) -> None:
        """A sheet of plain text lines in column A (notes, explanations)."""
        ws = self._new_sheet(sheet_name)
        widest = max((display_width(line) for line in lines), default=0)
        ws.column_dimensions["A"].width = min(100, max(MIN_WIDTH, widest + 2))
        print_ready(ws, [ws.column_dimensions["A"].width], None)
        put = _column_writer(ws, 1, "text")
        for line in lines:
            ws.append([put(line)])

    def save(self, target) -> None:
        """Write to a path (atomically) or to a binary stream."""
        if self._done:
            raise RuntimeError("workbook already saved or discarded")
        if not self._wb.worksheets:
            self.add_text_sheet("Sheet1", [])
        if isinstance(target, (str, os.PathLike)):
            try:
                with atomic_output(target) as tmp:
                    self._wb.save(tmp)
            except BaseException:
                self.discard()  # also removes openpyxl's streamed temp files
                raise
        else:
            self._wb.save(target)
        self._done = True

    def discard(self) -> None:
        """Drop the workbook and the temp files openpyxl streamed the sheets into."""
        self._done = True
        for ws in self._wb.worksheets:
            writer = getattr(ws, "_writer", None)
            if writer is None:
                continue
            try:
                if getattr(ws, "_rows", None) is not None:
                    ws._rows.close()
                writer.close()
                writer.cleanup()
            except Exception:  # best effort: openpyxl also removes its temp files at exit
                pass


# --------------------------------------------------------------------------------- reading
# .xlsx and .xls, units in headers, banners above them: app/io/xlsx_read.py (re-exported here).
from app.io.xlsx_read import NOT_XLSX, SheetSpec, Table, read_table, read_tables  # noqa: E402,F401


class NotesWriter(XlsxWriter):
    """XlsxWriter that remembers where its last table ended, to write wrapped sentences under it."""

    _last_row = 0

    def add_table(self, sheet_name: str, **kwargs) -> int:
        done = super().add_table(sheet_name, **kwargs)
        self._last_row = HEADER_ROW + done
        return done

    def add_lines_below(self, lines: Sequence[str], columns: int, chars: float) -> None:
        """Each line under the last table (after a blank row), merged across its columns and wrapped."""
        import math

        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment
        from openpyxl.utils import get_column_letter

        from app.io.columns import display_width

        ws = self._wb.worksheets[-1]
        ws.append([])
        row = self._last_row + 1
        for line in lines:
            row += 1
            cell = WriteOnlyCell(ws, value=_clean_text(line))
            cell.column, cell.data_type = 1, "s"  # a sentence is text, whatever it starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[row].height = max(1, math.ceil(display_width(line) / max(chars - 2, 1))) * 15 + 3
            ws.merged_cells.add(f"A{row}:{get_column_letter(columns)}{row}")
            ws.append([cell])
        self._last_row = row


def write_problems(path, cells: Sequence[CellProblem]) -> None:
    """An error report workbook (sheet 错误清单) listing every bad cell of an import."""
    columns = [Column("工作表"), Column("行号", INT), Column("列"), Column("应为"),
               Column("实际值"), Column("说明", width=60)]
    rows = [(c.sheet, c.row, c.header, c.expected, c.actual, c.message()) for c in cells]
    writer = XlsxWriter()
    writer.add_table("错误清单", title="导入错误清单", unit_line=f"共 {len(rows)} 处问题",
                     columns=columns, rows=rows)
    writer.save(path)

