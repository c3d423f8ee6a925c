"""Money is integer fen (分) in the database and Decimal in code; never float (DESIGN.md §3)."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

FEN_PER_YUAN = 100
FEN_PER_WAN = 1_000_000
TWO_PLACES = Decimal("0.01")


class MoneyError(ValueError):
    """An amount that cannot be stored exactly (not a number, or finer than one fen)."""


_NUMBER = re.compile(r"[+-]?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?|[+-]?\.\d+")
EXCEL_DIGITS = 15  # Excel keeps 15 significant digits; a float cell beyond that is binary noise


def to_decimal(value) -> Decimal:
    """A Decimal from an int, Decimal, Excel float or text. Text may use full-width characters and
    thousands separators in groups of three ("1,234.56"); "1,5" or "1_000" are refused, not guessed."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise MoneyError("不是数字")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # Excel stores formula results such as =J2-I2 as 3201.1800000000003: round to the 15
        # significant digits Excel itself shows, then the value is what the user sees.
        if not math.isfinite(value):
            raise MoneyError("不是数字")
        return Decimal(format(value, f".{EXCEL_DIGITS}g"))
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
    if not text:
        raise MoneyError("为空")
    if not _NUMBER.fullmatch(text):
        raise MoneyError("不是数字")
    return Decimal(text.replace(",", ""))


def _to_fen(value, factor: int) -> int:
    amount = to_decimal(value) * factor
    if amount != amount.to_integral_value():
        raise MoneyError("精确到分以下")
    return int(amount)


def fen_from_wan(value) -> int:
    """万元 → fen. More precise than one fen (6 decimals of 万元) is refused, never rounded."""
    return _to_fen(value, FEN_PER_WAN)


def fen_from_yuan(value) -> int:
    return _to_fen(value, FEN_PER_YUAN)


def wan_from_fen(fen: int) -> Decimal:
    """Exact 万元 value of an amount in fen (may carry up to 6 decimals)."""
    return Decimal(fen) / FEN_PER_WAN


def fmt_wan(fen: int | None, grouping: bool = True) -> str:
    """Display text in 万元 with 2 decimals, half-up (display only; the stored value stays exact)."""
    if fen is None:
        return ""
    value = wan_from_fen(fen).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    return f"{value:,.2f}" if grouping else f"{value:.2f}"


def wan_text(fen: int) -> str:
    """万元 as editable text: at least 2 decimals, no precision lost (a fen is the 6th decimal)."""
    whole, _, frac = f"{wan_from_fen(fen):f}".partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"
