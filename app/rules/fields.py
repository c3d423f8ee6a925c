"""Parsing one field's text (from a form or an Excel cell) into a typed value, or saying in
Chinese what was expected. The form shows the sentence next to the field; an import names the cell."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Sequence

from app.money import FEN_PER_WAN, MoneyError, fen_from_wan
from app.rules.validation import Report


class FieldInvalid(ValueError):
    def __init__(self, expected: str):
        super().__init__(expected)
        self.expected = expected


def is_blank(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def as_text(raw: Any) -> str:
    """Cell or widget value as text; integral floats (Excel stores 2023 as 2023.0) lose the .0."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, (datetime, date)):
        return raw.strftime("%Y-%m-%d")
    return str(raw).strip()


FULL_WIDTH_DIGITS = {0xFF10 + n: 0x30 + n for n in range(10)}  # １２ typed with a Chinese input method


def whole_number(raw: Any, expected: str, most_digits: int = 9) -> int | None:
    """A count typed or read from a cell (169, 1,108, １２０) → int; None when blank. Anything else — a
    fraction, a sign, ① or ² (digits to str.isdigit), more than `most_digits` digits (the column is a
    4-byte integer) — is refused with `expected`."""
    value = as_text(raw).replace(",", "").replace("，", "").translate(FULL_WIDTH_DIGITS)
    if not value:
        return None
    if not (value.isascii() and value.isdigit()) or len(value) > most_digits:
        raise FieldInvalid(expected)
    return int(value)


def text(max_len: int, required: bool = True) -> Callable[[Any], str | None]:
    def parse(raw: Any) -> str | None:
        value = as_text(raw)
        if not value:
            if required:
                raise FieldInvalid("为必填项")
            return None
        if len(value) > max_len:
            raise FieldInvalid(f"应不超过{max_len}个字")
        return value

    return parse


EXCEL_EXACT_DIGITS = 15


def code(max_len: int, required: bool = True) -> Callable[[Any], str | None]:
    """Codes stay text (leading zeros); no spaces inside. A code Excel stored as a number is taken
    as its digits, unless it is too long for Excel to have kept them exactly."""
    base = text(max_len, required)

    def parse(raw: Any) -> str | None:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            if raw != int(raw) or len(str(abs(int(raw)))) > EXCEL_EXACT_DIGITS:
                raise FieldInvalid("应按文本填写（Excel把超过15位或带小数的数字编码存成了近似值，请把该列设为文本后重新录入）")
        value = base(raw)
        if value is not None and re.search(r"\s", value):
            raise FieldInvalid("应为不含空格的编码")
        return value

    return parse


MAX_FEN = 100_000_000 * FEN_PER_WAN  # 1亿万元 (一万亿元): far above any county budget, far below BIGINT


def money_wan(required: bool = True) -> Callable[[Any], int | None]:
    """万元 text/number → fen. Negative, non-numeric or finer than one fen is refused."""

    def parse(raw: Any) -> int | None:
        if is_blank(raw):
            if required:
                raise FieldInvalid("为必填项，应为不小于0的数字（万元）")
            return None
        try:
            fen = fen_from_wan(raw)
        except MoneyError as exc:
            if str(exc) == "精确到分以下":
                raise FieldInvalid("最多保留6位小数（精确到分，单位万元）") from exc
            raise FieldInvalid("应为不小于0的数字") from exc
        if fen < 0:
            raise FieldInvalid("应为不小于0的数字")
        if fen > MAX_FEN:
            raise FieldInvalid("金额过大（单位是万元，请检查是否多填了位数）")
        return fen

    return parse


def year(raw: Any) -> int:
    value = as_text(raw)
    if not re.fullmatch(r"(19|20|21)\d{2}", value):
        raise FieldInvalid("应为四位年份，如2023")
    return int(value)


def choice(options: Sequence[str], required: bool = True) -> Callable[[Any], str | None]:
    listed = "、".join(options)

    def parse(raw: Any) -> str | None:
        value = as_text(raw)
        if not value:
            if required:
                raise FieldInvalid(f"为必填项，应为{listed}之一")
            return None
        if value not in options:
            raise FieldInvalid(f"应为{listed}之一")
        return value

    return parse


def yes_no(raw: Any) -> bool:
    value = as_text(raw)
    if value in ("", "否", "0", "False", "false", "FALSE"):
        return False
    if value in ("是", "1", "True", "true", "TRUE", "√"):
        return True
    raise FieldInvalid("应为“是”或“否”")


def month(required: bool = False) -> Callable[[Any], str | None]:
    """实施期 month as YYYY-MM (accepts 2023-01, 2023.1, 2023年1月, or a date cell)."""

    def parse(raw: Any) -> str | None:
        if isinstance(raw, (datetime, date)):
            return f"{raw.year:04d}-{raw.month:02d}"
        value = as_text(raw)
        if not value:
            if required:
                raise FieldInvalid("为必填项，应为年月，如2023-01")
            return None
        m = re.fullmatch(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?(?:[-./]\d{1,2}日?)?", value)
        if not m or not 1 <= int(m.group(2)) <= 12:
            raise FieldInvalid("应为年月，如2023-01")
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}"

    return parse


DAY_EXPECTED = "应为日期，如2023-10-15（可不填）"
_DAY = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")


def day(raw: Any) -> date | None:
    """Optional date: a date cell, or 2023-10-15, 2023/10/15, 2023.10.15, 2023年10月15日; None when blank."""
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    value = as_text(raw)
    if not value:
        return None
    m = _DAY.fullmatch(value)
    if m is None:
        raise FieldInvalid(DAY_EXPECTED)
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise FieldInvalid(DAY_EXPECTED) from None


@dataclass(frozen=True)
class FieldSpec:
    """One field of a form/import: its key, its label (also the Excel header), how to parse it."""

    key: str
    label: str
    parse: Callable[[Any], Any]
    required: bool = False
    hint: str = ""  # 填报说明 text for templates and tooltips


def parse_fields(specs: Sequence[FieldSpec], raw: dict) -> tuple[dict, Report]:
    """Parse every field of a form or an import row; a bad field becomes a Problem keyed by the
    field (the form shows it next to the field, an import names the cell)."""
    values, report = {}, Report()
    for spec in specs:
        try:
            values[spec.key] = spec.parse(raw.get(spec.key))
        except FieldInvalid as exc:
            report.add(spec.key, exc.expected)
    return values, report
