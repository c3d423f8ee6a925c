"""Reading Excel tables the way users have them: .xlsx (openpyxl, read-only) and the older .xls
of Excel 97–2003 and WPS (python-calamine), told apart by the file's content, not its name.

The header row is the first of the sheet's first 10 rows holding every required header, so a
title row or a merged banner above it is skipped. A header may carry its unit in brackets as users
write it — 预算数（万元）, 预算数(元), 预算数【元】 — or no unit: a column the program wants in 万元 is
read in 万元 when its header says 万元 or nothing, and converted exactly (Decimal, 元 ÷ 10000) when
it says 元; a 元 amount finer than a fen is refused, naming the cell. Tables are keyed by the
caller's own header text, so parsers see one canonical shape whatever the file looked like.
"""

from __future__ import annotations

import datetime as _dt
import os
import re
import unicodedata
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import islice
from pathlib import Path
from typing import Sequence

from app.jobs import Cancelled, control
from app.rules.validation import CellProblem, RejectedError

STEP_ROWS = 200  # rows between job.step() calls
HEAD_ROWS = 10  # the header row is looked for among these
NOT_XLSX = "文件不是有效的Excel工作簿（.xlsx或.xls），请用Excel另存为.xlsx后再导入。"
BROKEN = "工作簿内容已损坏，无法读取。请在Excel中打开并另存为.xlsx后再导入。"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97–2003 .xls (and other OLE2 files)
WAN, YUAN = "万元", "元"
_YUAN_PER_WAN = Decimal(10000)
_FEN = Decimal("0.01")
# a header's unit in brackets at its end: （元） and [元] fold to (元) and [元] under NFKC; 【元】 does not
_UNIT = re.compile(r"^(.+?)[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]$")


@dataclass
class Table:
    """Rows of one imported sheet: (Excel row number, {canonical header: cell value}). Only
    headers found in the sheet are keys; blank cells are None; strings are stripped."""

    sheet: str
    header_row: int
    rows: list[tuple[int, dict[str, object]]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)  # the caller's headers found, in order


@dataclass(frozen=True)
class SheetSpec:
    """A sheet an import reads: its name, required and optional headers; an optional sheet may be
    missing from the workbook."""

    name: str | None
    required: Sequence[str]
    optional: Sequence[str] = ()
    needed: bool = True


def _canon(text) -> str:
    """Header matching key: full-width forms folded to half-width, all whitespace removed, a
    leading required-mark (*项目名称) dropped."""
    if text is None:
        return ""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lstrip("*")


def split_unit(key: str) -> tuple[str, str | None]:
    """(name, unit) of a canonical header: 预算数(元) → (预算数, 元); 预算数 → (预算数, None)."""
    match = _UNIT.match(key)
    return (match.group(1), match.group(2)) if match else (key, None)


def _clean(value):
    if value.__class__ is str:
        value = value.strip()
        return value or None
    return value


class _Headers:
    """The caller's headers, matched against a sheet's header cells with or without their unit."""

    def __init__(self, headers: Sequence[str]):
        self.exact: dict[str, str] = {}
        self.by_name: dict[str, tuple[str, str | None]] = {}
        for header in headers:
            key = _canon(header)
            self.exact.setdefault(key, header)
            name, unit = split_unit(key)
            self.by_name.setdefault(name, (header, unit))

    def match(self, cell) -> tuple[str, str | None] | None:
        """(caller's header, YUAN when the column's amounts must be converted from 元) or None."""
        key = _canon(cell)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key], None
        name, unit = split_unit(key)
        if name not in self.by_name:
            return None
        header, wanted = self.by_name[name]
        if unit is None or unit == wanted:
            return header, None
        if wanted == WAN and unit == YUAN:
            return header, YUAN
        if wanted is None and unit not in (WAN, YUAN):
            return header, None  # 分值(分), 项目名称(必填)
        return None


def yuan_to_wan(value):
    """An amount in 元 as the exact 万元 Decimal; None when it is finer than a fen. A value that
    is not a number is returned unchanged for the parser to name."""
    if value is None or isinstance(value, bool):
        return value
    try:
        if isinstance(value, float):
            amount = Decimal(repr(value))
        elif isinstance(value, (int, Decimal)):
            amount = Decimal(value)
        elif isinstance(value, str):
            amount = Decimal(value.replace(",", "").replace("，", "").strip())
        else:
            return value
    except InvalidOperation:
        return value
    if not amount.is_finite():
        return value
    if amount != amount.quantize(_FEN, rounding="ROUND_DOWN"):
        return None
    return amount / _YUAN_PER_WAN


# --------------------------------------------------------------------------------- workbooks
class _Book:
    """One open workbook: sheet names, and a sheet's rows as value tuples from row 1."""

    sheetnames: list[str]

    def rows(self, name: str):  # -> (iterator of tuples, total rows or 0)
        raise NotImplementedError

    def close(self) -> None:
        pass


class _XlsxBook(_Book):
    def __init__(self, source):
        from openpyxl import load_workbook

        self.wb = load_workbook(source, read_only=True, data_only=True)
        self.sheetnames = list(self.wb.sheetnames)

    def rows(self, name):
        ws = self.wb[name]
        total = ws.max_row or 0
        ws.reset_dimensions()  # trust the cells, not a possibly wrong <dimension> element
        return ws.iter_rows(values_only=True), total

    def close(self):
        self.wb.close()


def _xls_value(value):
    if value == "":
        return None
    if value.__class__ is float and value.is_integer() and abs(value) < 2 ** 53:
        return int(value)  # .xls keeps every number as a double: 2023.0 is the year 2023
    if value.__class__ is _dt.date:
        return _dt.datetime.combine(value, _dt.time())  # as openpyxl gives a date cell
    return value


class _XlsBook(_Book):
    def __init__(self, source):
        from python_calamine import CalamineWorkbook

        self.wb = CalamineWorkbook.from_filelike(source)
        self.sheetnames = list(self.wb.sheet_names)

    def rows(self, name):
        data = self.wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        return (tuple(_xls_value(v) for v in row) for row in data), len(data)

    def close(self):
        self.wb.close()


def _open_book(source) -> _Book:
    magic = source.read(8)
    source.seek(0)
    try:
        return _XlsBook(source) if magic == _OLE2 else _XlsxBook(source)
    except Exception as exc:  # BadZipFile, KeyError, XML errors, CalamineError...: all "not a workbook"
        raise RejectedError(NOT_XLSX) from exc


# --------------------------------------------------------------------------------- reading
def read_table(path, *, sheet: str | None, required: Sequence[str],
               optional: Sequence[str] = (), job=None) -> Table:
    """Read one sheet (None: the first) whose header row is one of its first 10 rows. Raises
    RejectedError for a file that is not a workbook, a missing sheet, or missing required headers
    (each named as a CellProblem)."""
    return read_tables(path, [SheetSpec(sheet, required, optional)], job)[0]


def read_tables(path, specs: Sequence[SheetSpec], job=None) -> list[Table | None]:
    """Several sheets of one workbook (.xlsx or .xls), opened once: a Table per spec, None for an
    optional sheet the workbook does not have."""
    try:
        stream = open(path, "rb") if isinstance(path, (str, os.PathLike)) else nullcontext(path)
    except FileNotFoundError as exc:
        raise RejectedError(f"找不到文件“{Path(path).name}”，请重新选择。") from exc
    except OSError as exc:
        raise RejectedError("无法打开文件：可能正被其他程序占用，请关闭后重试。") from exc
    with stream as source:
        book = _open_book(source)
        try:
            present = {_canon(name) for name in book.sheetnames}
            return [_read_sheet(book, spec.name, list(spec.required), list(spec.optional), control(job))
                    if spec.needed or _canon(spec.name) in present else None for spec in specs]
        except (RejectedError, Cancelled):
            raise
        except Exception as exc:
            raise RejectedError(BROKEN) from exc
        finally:
            book.close()


def _locate_header(head: list[tuple], wanted: _Headers, required: list[str]):
    """(1-based row, {header: (0-based column, unit to convert from)}) of the first row holding
    every required header; failing that, the row holding most of them (to name what is missing)."""
    best_row, best_found = 1, {}
    for number, values in enumerate(head, 1):
        found = {}
        for col, value in enumerate(values):
            hit = wanted.match(value)
            if hit is not None and hit[0] not in found:
                found[hit[0]] = (col, hit[1])
        if all(h in found for h in required):
            return number, found
        if sum(h in found for h in required) > sum(h in best_found for h in required):
            best_row, best_found = number, found
    return best_row, best_found


def _read_sheet(book: _Book, sheet, required, optional, job) -> Table:
    if sheet is None:
        title = book.sheetnames[0]
    else:
        by_name = {_canon(name): name for name in book.sheetnames}
        if _canon(sheet) not in by_name:
            names = "、".join(f"「{n}」" for n in book.sheetnames)
            raise RejectedError(f"工作簿中没有名为「{sheet}」的工作表（现有工作表：{names}），"
                                f"请使用导入模板。")
        title = by_name[_canon(sheet)]
    rows, total = book.rows(title)

    all_headers = [*required, *optional]
    head = list(islice(rows, HEAD_ROWS))
    best_row, best_found = _locate_header(head, _Headers(all_headers), required)
    missing = [h for h in required if h not in best_found]
    if missing:
        cells = [CellProblem(title, best_row, h, "缺少此列", "") for h in missing]
        listed = "、".join(f"「{h}」" for h in missing)
        raise RejectedError(f"工作表「{title}」找不到表头{listed}（表头须在前{HEAD_ROWS}行内），"
                            f"请使用导入模板。", cells=cells)

    table = Table(title, best_row, headers=[h for h in dict.fromkeys(all_headers) if h in best_found])
    places = [(h, c) for h, (c, unit) in best_found.items() if unit is None]
    in_yuan = [(h, c) for h, (c, unit) in best_found.items() if unit == YUAN]
    too_fine: list[CellProblem] = []
    number = best_row
    for values in (head[best_row:], rows):
        for values_row in values:
            number += 1
            if number % STEP_ROWS == 0:
                job.step(number, total)
            width = len(values_row)
            record = {h: _clean(values_row[c]) if c < width else None for h, c in places}
            for h, c in in_yuan:
                raw = _clean(values_row[c]) if c < width else None
                record[h] = yuan_to_wan(raw)
                if record[h] is None and raw is not None:
                    too_fine.append(CellProblem(title, number, h, "以元为单位时最多保留2位小数（精确到分）", str(raw)))
            if any(v is not None for v in record.values()):
                table.rows.append((number, record))
    job.step(number, total)
    if too_fine:
        raise RejectedError(f"工作表「{title}」有{len(too_fine)}个以元为单位的金额比分还细，"
                            f"请改为最多保留2位小数后再导入。", cells=too_fine)
    return table
