"""The figures of the 年度预算绩效工作开展情况说明: one `Figure` per number the text writes (数据项, 数值,
单位, 口径), in the seeds' order of sections, so every number in the text can be traced to its row in
the 数据 sheet. A figure is shown the one way the text writes it (`Figure.text`): percentages and
amounts in 万元 with two decimals and thousands separators (36,905.00万元, as 澄江 writes 196,579.94万元),
counts whole."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Optional, Union

from app.money import TWO_PLACES, wan_from_fen

# the sections, in the seeds' order
EXANTE, TARGETS, MONITORING, SELF_EVAL = "事前绩效评估", "绩效目标", "运行监控", "绩效自评"
KEY_EVAL, VERIFICATION, RESULTS, RECTIFICATION, TRAINING = "重点评价", "真实性核查", "结果应用", "整改", "培训"
SECTIONS = (EXANTE, TARGETS, MONITORING, SELF_EVAL, KEY_EVAL, VERIFICATION, RESULTS, RECTIFICATION, TRAINING)
# ReportedStat.stage as offices enter it → the section it answers
REPORTED_STAGES = {"事前评估": EXANTE, **{s: s for s in SECTIONS}}

WAN, PERCENT = "万元", "%"

Number = Union[int, Decimal]


@dataclass(frozen=True)
class Figure:
    """One number of the year's report. `reported`: taken from a 上报数 (ReportedStat) the county
    entered, because the program holds no records for it; `basis` (口径) then names its source."""

    key: str  # stable name the text writer asks for: "self_eval.grade.优.share"
    item: str  # 数据项 as the sheet prints it
    value: Number
    unit: str
    basis: str  # 口径: which records, which year, counted how
    reported: bool = False
    section: str = ""
    wording: str = ""  # a 上报数's words as the county entered them (原文): the text may say it as written

    @property
    def text(self) -> str:
        """The number as the text writes it: 70.83, 8,955.34, 24."""
        return number_text(self.value, self.unit)

    @property
    def source(self) -> str:
        return "上报数" if self.reported else "系统记录"


@dataclass(frozen=True)
class ChartImage:
    """One chart of the year as a picture for the year's report (drawn by the ui, written by
    app.io.year_text_io): its caption (2023年度绩效目标审核情况; the report numbers it 图1), the PNG's
    bytes, and the section whose part it follows (绩效目标; empty or unknown: 附图 at the end)."""

    caption: str
    png: bytes
    section: str = ""


def two_places(value) -> Decimal:
    """A Decimal (or Fraction) to two decimals, half up."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def number_text(value: Optional[Number], unit: str) -> str:
    """万元 with two decimals and thousands separators (8,955.34), % with two decimals (70.83); counts
    whole. The text and the 数据 sheet both copy this string."""
    if value is None:
        return ""
    if unit == WAN:
        return f"{two_places(value):,f}"
    if unit == PERCENT or (isinstance(value, Decimal) and value != value.to_integral_value()):
        return f"{two_places(value):f}"
    return f"{int(value)}"


def wan(fen: Optional[int]) -> Decimal:
    """An amount in fen as exact 万元 (the figure keeps it exact; `text` rounds it)."""
    return wan_from_fen(fen or 0)


def share(part: int, whole: int) -> Decimal:
    """part ÷ whole as a percentage with two decimals (0 when there is nothing to divide)."""
    return two_places(Fraction(part * 100, whole)) if whole else Decimal("0.00")


def percent_text(value: Number) -> str:
    return number_text(value, PERCENT) + "%"


def wan_text(value: Number) -> str:
    return number_text(value, WAN) + "万元"


def by_key(figures: list[Figure]) -> dict[str, Figure]:
    return {f.key: f for f in figures}
