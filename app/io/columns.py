"""Table columns shared by every export (Excel, PDF) and, later, the Qt table models.

A Column says what a value is (its kind); `format_value` is the one place that turns a value into
display text, so an amount looks the same on screen, in a PDF and in an error message.
"""

from __future__ import annotations

import datetime as _dt
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

from app.money import fmt_wan

TEXT = "text"
MONEY = "money"  # int fen (分); shown and exported in 万元
INT = "int"
SCORE = "score"  # Decimal, 2 decimals
RATE = "rate"  # Decimal or Fraction: Decimal("0.885") is 88.50%
POINTS = "points"  # a difference of rates (Fraction/Decimal) shown in percentage points: -0.1667 is -16.67
DATE = "date"  # datetime.date
BOOL = "bool"  # True/False, shown as 是/否

KINDS = frozenset({TEXT, MONEY, INT, SCORE, RATE, POINTS, DATE, BOOL})
# Kinds whose display text is right-aligned (numbers).
NUMERIC_KINDS = frozenset({MONEY, INT, SCORE, RATE, POINTS})

_TWO = Decimal("0.01")
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Column:
    """One column of an exported table. `width` is in Excel character units; None fits content."""

    header: str
    kind: str = TEXT
    width: float | None = None
    fills: tuple[tuple[str, str], ...] = ()  # cell text → background colour (RRGGBB), e.g. the 预警 lights

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


def exact_decimal(value) -> Decimal:
    """A Decimal of a number; a Fraction (an exact rate such as 2/3) to 28 significant digits."""
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, float):  # never expected; go through repr so 0.1 stays 0.1
        value = repr(value)
    return Decimal(value)


def _two_places(value) -> Decimal:
    return exact_decimal(value).quantize(_TWO, rounding=ROUND_HALF_UP)


@lru_cache(maxsize=1024)  # a round's 序时进度 is the same in every row
def hundredths(value) -> Decimal:
    """A rate as it is shown (66.67%): 4 decimal places of the fraction, half up — what an
    export stores, so the cell holds exactly what the screen shows."""
    return (exact_decimal(value) * _HUNDRED).quantize(_TWO, rounding=ROUND_HALF_UP) / _HUNDRED


def format_value(kind: str, value) -> str:
    """Display text of one value of the given kind. None is ""; a str is shown as it is in any
    column (a placeholder such as "—" or "不适用" in a number column)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if kind == MONEY:
        return fmt_wan(value)
    if kind == SCORE:
        return f"{_two_places(value):.2f}"
    if kind == RATE:
        return f"{_two_places(exact_decimal(value) * _HUNDRED):.2f}%"
    if kind == POINTS:
        return f"{_two_places(exact_decimal(value) * _HUNDRED):.2f}"
    if kind == BOOL:
        return "是" if value else "否"
    if kind == DATE:
        if isinstance(value, _dt.datetime):
            value = value.date()
        return value.isoformat()
    if kind == INT:
        return str(int(value))
    return str(value)


def display_width(text: str) -> int:
    """Width of text in half-width character cells: CJK and other wide characters count 2."""
    width = 0
    for char in text:
        if char.isascii():
            width += 1
        else:
            width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width
