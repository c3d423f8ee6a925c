"""Excel tables: streaming export (openpyxl write_only) and header-located import (read_only).

Every exported sheet has the same shape: row 1 title, row 2 unit line, row 3 header, data from
row 4, so `read_table` finds the header again when an export is re-imported.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import tempfile
import unicodedata
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import islice
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.io.columns import (BOOL, DATE, INT, MONEY, POINTS, RATE, SCORE, TEXT, Column, display_width,
                            format_value, hundredths)
from app.jobs import Cancelled, control
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

NOT_XLSX = "文件不是有效的Excel工作簿（.xlsx），请用Excel另存为.xlsx后再导入。"

_THIN = Side(style="thin", color="808080")


@contextmanager
def atomic_output(target: str | os.PathLike):
    """Yield a temp path next to `target`; it replaces `target` only if the block succeeds, so a
    cancelled or failed export never leaves a partial file behind."""
    target = Path(target)
    try:
        fd, tmp = tempfile.mkstemp(prefix=".~" + target.stem[:20], suffix=".tmp", dir=target.parent)
    except OSError as exc:  # name the folder the user chose, not our temp file
        raise type(exc)(exc.errno, exc.strerror, str(target.parent)) from exc
    os.close(fd)
    try:
        yield tmp
        try:
            os.replace(tmp, target)
        except OSError as exc:  # e.g. the file is open in Excel: name it, not the temp file
            raise type(exc)(exc.errno, exc.strerror, str(target)) from exc
    except BaseException:
        try:
            os.remove(tmp)
        except OSError:
            pass
        raise


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
        for i, column in enumerate(columns):
            dimension = ws.column_dimensions[get_column_letter(i + 1)]
            dimension.width = _fit_width(column, sample, i)
            if column.kind == TEXT:  # what users type later stays text: codes keep their leading zeros
                dimension.number_format = "@"
        last = get_column_letter(max(ncols, 1))
        if ncols > 1:
            ws.merged_cells.add(f"A1:{last}1")
            ws.merged_cells.add(f"A2:{last}2")
        ws.row_dimensions[1].height = 24
        ws.freeze_panes = f"A{HEADER_ROW + 1}"
        ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"

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


@dataclass
class Table:
    """Rows of one imported sheet: (Excel row number, {canonical header: cell value}). Only
    headers found in the sheet are keys; blank cells are None; strings are stripped."""

    sheet: str
    header_row: int
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the caller's headers found, in order


def _canon(text) -> str:
    """Header matching key: full-width forms folded to half-width, all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))) if text is not None else ""


def _clean(value):
    if value.__class__ is str:
        value = value.strip()
        return value or None
    return value


@dataclass(frozen=True)
class SheetSpec:
    """A sheet an import reads: its name, required and optional headers; an optional sheet may be
    missing from the workbook."""

    name: str | None
    required: Sequence[str]
    optional: Sequence[str] = ()
    needed: bool = True


def read_table(path, *, sheet: str | None, required: Sequence[str],
               optional: Sequence[str] = (), job=None) -> Table:
    """Read one sheet (None: the first) whose header row is one of its first 10 rows. Raises
    RejectedError for a file that is not xlsx, a missing sheet, or missing required headers (each
    named as a CellProblem)."""
    return read_tables(path, [SheetSpec(sheet, required, optional)], job)[0]


def read_tables(path, specs: Sequence[SheetSpec], job=None) -> list[Table | None]:
    """Several sheets of one workbook, opened once: a Table per spec, None for an optional sheet
    the workbook does not have."""
    try:
        stream = open(path, "rb") if isinstance(path, (str, os.PathLike)) else nullcontext(path)
    except FileNotFoundError as exc:
        raise RejectedError(f"找不到文件“{Path(path).name}”，请重新选择。") from exc
    except OSError as exc:
        raise RejectedError("无法打开文件：可能正被其他程序占用，请关闭后重试。") from exc
    with stream as source:
        try:
            wb = load_workbook(source, read_only=True, data_only=True)
        except Exception as exc:  # BadZipFile, KeyError, XML errors...: all "not a workbook"
            raise RejectedError(NOT_XLSX) from exc
        try:
            present = {_canon(name) for name in wb.sheetnames}
            return [_read_sheet(wb, spec.name, list(spec.required), list(spec.optional), control(job))
                    if spec.needed or _canon(spec.name) in present else None for spec in specs]
        except (RejectedError, Cancelled):
            raise
        except Exception as exc:
            raise RejectedError("工作簿内容已损坏，无法读取。请在Excel中打开并另存为.xlsx后再导入。"
                                ) from exc
        finally:
            wb.close()


def _locate_header(head: list[tuple], wanted: dict[str, str], required: list[str]):
    """(1-based row, {header: 0-based column}) of the first row holding every required header;
    failing that, the row holding most of them (to name what is missing)."""
    best_row, best_found = 1, {}
    for number, values in enumerate(head, 1):
        found = {}
        for col, value in enumerate(values):
            header = wanted.get(_canon(value))
            if header is not None and header not in found:
                found[header] = col
        if all(h in found for h in required):
            return number, found
        if sum(h in found for h in required) > sum(h in best_found for h in required):
            best_row, best_found = number, found
    return best_row, best_found


def _read_sheet(wb, sheet, required, optional, job) -> Table:
    if sheet is None:
        ws = wb.worksheets[0]
    else:
        by_name = {_canon(name): name for name in wb.sheetnames}
        if _canon(sheet) not in by_name:
            names = "、".join(f"「{n}」" for n in wb.sheetnames)
            raise RejectedError(f"工作簿中没有名为「{sheet}」的工作表（现有工作表：{names}），"
                                f"请使用导入模板。")
        ws = wb[by_name[_canon(sheet)]]
    total = ws.max_row or 0
    ws.reset_dimensions()  # trust the cells, not a possibly wrong <dimension> element

    wanted = {_canon(h): h for h in [*required, *optional]}
    rows = ws.iter_rows(values_only=True)
    head = list(islice(rows, 10))
    best_row, best_found = _locate_header(head, wanted, required)
    missing = [h for h in required if h not in best_found]
    if missing:
        cells = [CellProblem(ws.title, best_row, h, "缺少此列", "") for h in missing]
        listed = "、".join(f"「{h}」" for h in missing)
        raise RejectedError(f"工作表「{ws.title}」找不到表头{listed}（表头须在前10行内），"
                            f"请使用导入模板。", cells=cells)

    table = Table(ws.title, best_row, headers=[h for h in wanted.values() if h in best_found])
    places = list(best_found.items())
    number = best_row
    for values in (head[best_row:], rows):
        for values_row in values:
            number += 1
            if number % STEP_ROWS == 0:
                job.step(number, total)
            width = len(values_row)
            record = {h: _clean(values_row[c]) if c < width else None for h, c in places}
            if any(v is not None for v in record.values()):
                table.rows.append((number, record))
    job.step(number, total)
    return table


def write_problems(path, cells: Sequence[CellProblem]) -> None:
    """An error report workbook (sheet 错误清单) listing every bad cell of an import."""
    columns = [Column("工作表"), Column("行号", INT), Column("列"), Column("应为"),
               Column("实际值"), Column("说明", width=60)]
    rows = [(c.sheet, c.row, c.header, c.expected, c.actual, c.message()) for c in cells]
    writer = XlsxWriter()
    writer.add_table("错误清单", title="导入错误清单", unit_line=f"共 {len(rows)} 处问题",
                     columns=columns, rows=rows)
    writer.save(path)

