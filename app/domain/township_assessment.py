"""乡镇预算绩效管理工作考核 as plain data: the table the service returns, the page shows and the
export prints — a row per township with each item's measured figures, its score (measured, or given
by hand), 总分, 等级 and 名次."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Optional

AUTO, BY_HAND = "自动", "手工"


@dataclass(frozen=True)
class ItemHead:
    """A column of the table: an item of the pack with its points, where its score comes from and its 口径."""

    name: str
    points: Decimal
    source: str  # the pack's word (targets, monitoring, … manual)
    source_label: str  # 目标申报, 监控报送, … 手工评分
    meaning: str  # the 口径 as printed (with what a township with nothing to count scores)
    automatic: bool


@dataclass(frozen=True)
class Measure:
    """One item of one township: the figures counted (automatic items), the score they give, and the
    score given by hand when there is one (it stands instead of the measured score)."""

    item: str
    points: Decimal
    numerator: Optional[int] = None
    denominator: Optional[int] = None
    rate: Optional[Decimal] = None
    measured: Optional[Decimal] = None  # None: a hand-scored item (or 无数据 on a hand item)
    reason: str = ""  # what cost points (未申报：…；逾期报送：…), 无数据 / 无到期整改事项，不扣分, or 综合得分86.5分（良）
    hand: Optional[Decimal] = None
    note: str = ""  # the reason given with a hand score
    scored_by: str = ""
    hand_version: Optional[int] = None  # the 规则方案 version the hand score was given under

    @property
    def score(self) -> Decimal:
        if self.hand is not None:
            return self.hand
        return self.measured if self.measured is not None else Decimal("0.00")

    @property
    def way(self) -> str:
        return BY_HAND if self.hand is not None else AUTO if self.measured is not None else ""

    @property
    def unscored(self) -> bool:
        """A hand item nobody has scored yet (it counts 0)."""
        return self.hand is None and self.measured is None


@dataclass(frozen=True)
class TownshipRow:
    code: str
    name: str
    measures: tuple[Measure, ...]
    total: Decimal
    grade: str
    rank: int
    fiscal_eval: str = ""  # the latest 财政运行综合绩效评价: 86.5分（良）, 2022年度 when older

    def measure(self, item: str) -> Measure:
        return next(m for m in self.measures if m.item == item)


@dataclass(frozen=True)
class TownshipTable:
    year: int
    at: date  # the date the figures are counted to
    items: tuple[ItemHead, ...]
    rows: tuple[TownshipRow, ...]  # ranked: 名次, then 乡镇 code
    full: Decimal
    pack_version: int
    home_name: str = ""
    meanings: tuple[tuple[str, str], ...] = ()  # the pack's sentences: section, items, grades, packages
    show_fiscal_eval: bool = False  # some township has a 财政运行综合绩效评价 (and no item scores it)
    bands: tuple[tuple[str, Decimal], ...] = ()  # (等级, lowest percentage) best first
    dues: tuple[tuple[str, date], ...] = ()  # (package, due date) of the year's 上报 packages
    rounds: tuple[tuple[str, Optional[date]], ...] = ()  # (name, 报送截止日期) of the year's monitoring rounds

    @property
    def empty(self) -> bool:
        return not self.rows

    def row(self, code: str) -> Optional[TownshipRow]:
        return next((r for r in self.rows if r.code == code), None)


class LatePackage(NamedTuple):
    """A township's 上报 package still not received after its due date (the 工作台's line)."""

    code: str
    name: str
    due: date
    days_late: int
