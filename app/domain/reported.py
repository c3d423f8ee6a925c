"""上报数: figures the county holds outside the program (德惠: 169 一级 and 523 二级 projects monitored
in the provincial system; a count its own year's report gave), each with its 来源. What a form (and an
import row) holds, the check both make, and the rows a service returns.

A 上报数 answers one section of the year's report (its 环节: the report's sections, REPORTED_STAGES);
the report uses it, marked “上报数” with its source, where the program holds no records of that
section. 其他 keeps a figure for reference only: the report does not write it. 金额 is typed in 万元
(two decimals at most, stored as fen), 比率 in % (two decimals at most)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Optional

from app.domain.year_report import EXANTE, REPORTED_STAGES, SECTIONS
from app.money import MoneyError, fen_from_wan, fmt_wan, to_decimal, wan_text
from app.rules import fields as F
from app.rules.validation import Report

OTHER = "其他"
# the 环节 a user picks, in the report's order (事前绩效评估 as offices say it: 事前评估), then 其他
STAGES = tuple("事前评估" if s == EXANTE else s for s in SECTIONS) + (OTHER,)
_SPELLINGS = {**{k: ("事前评估" if v == EXANTE else v) for k, v in REPORTED_STAGES.items()}, OTHER: OTHER}
PURPOSE = ("上报数是系统中没有逐条记录的数字——如省级预算绩效管理系统中监控的项目数、县里年度报告中的统计数。"
           "录入时写明来源；系统中某一部分（如运行监控）没有记录时，年度工作情况说明中采用这一部分的上报数，"
           "并注明“上报数”及其来源。环节选“其他”的只备查，不写入年度说明。")


def _stage(raw: Any) -> str:
    value = F.as_text(raw)
    if not value:
        raise F.FieldInvalid("为必填项，应为" + "、".join(STAGES) + "之一")
    if value not in _SPELLINGS:
        raise F.FieldInvalid("应为" + "、".join(STAGES) + "之一")
    return _SPELLINGS[value]


def _count(raw: Any) -> Optional[int]:
    return F.whole_number(raw, "应为不小于0的整数（不超过9位），如169")


def _amount(raw: Any) -> Optional[int]:
    if F.is_blank(raw):
        return None
    try:
        fen = fen_from_wan(raw)
    except MoneyError:
        raise F.FieldInvalid("应为不小于0的金额（万元），如9463.50") from None
    if fen < 0:
        raise F.FieldInvalid("应为不小于0的金额（万元），如9463.50")
    if fen % 10_000:
        raise F.FieldInvalid("单位是万元，最多两位小数，如9463.50")
    if fen > F.MAX_FEN:
        raise F.FieldInvalid("金额过大（单位是万元，请检查是否多填了位数）")
    return fen


def _rate(raw: Any) -> Optional[Decimal]:
    value = F.as_text(raw).rstrip("%％").strip()
    if not value:
        return None
    try:
        rate = to_decimal(value)
    except MoneyError:
        raise F.FieldInvalid("应为百分数（不带%也可），如88.5") from None
    if rate < 0:
        raise F.FieldInvalid("应为不小于0的百分数，如88.5")
    if rate != rate.quantize(Decimal("0.01")):
        raise F.FieldInvalid("最多两位小数，如70.83")
    return rate


SPECS = (
    F.FieldSpec("stage", "环节", _stage, True, "年度说明的哪一部分：" + "、".join(STAGES)),
    F.FieldSpec("item", "数据项", F.text(200), True, "如“绩效监控覆盖部门预算一级项目”"),
    F.FieldSpec("count", "数量", _count, False, "整数，如169（个、份、次）"),
    F.FieldSpec("amount_fen", "金额（万元）", _amount, False, "单位万元，最多两位小数"),
    F.FieldSpec("rate_pct", "比率（%）", _rate, False, "百分数，如88.5"),
    F.FieldSpec("source", "来源", F.text(200), True, "数字从哪里来，如“省级预算绩效管理系统”"),
    F.FieldSpec("text", "原文", F.text(2000, required=False), False, "上报材料中的原话，年度说明照录"),
)
HEADERS = tuple(s.label for s in SPECS)
LABEL_OF = {s.key: s.label for s in SPECS}
NOTHING = "数量、金额、比率和原文至少填一项"


def check(raw: dict) -> tuple[dict, Report]:
    """The form's check on every change and the service's and the import's on every row: each field
    parsed, and at least one number or the 原文 given."""
    values, report = F.parse_fields(SPECS, raw)
    if report.ok and all(values.get(k) is None for k in ("count", "amount_fen", "rate_pct", "text")):
        report.add("count", NOTHING)
    return values, report


@dataclass(frozen=True)
class ReportedRow:
    id: int
    year: int
    stage: str
    item: str
    count: Optional[int]
    amount_fen: Optional[int]
    rate_pct: Optional[Decimal]
    source: str
    text: str
    version: int
    region_code: str = ""
    region: str = ""

    @property
    def used(self) -> bool:
        """Whether the year's report may take it (its 环节 is one of the report's sections)."""
        return self.stage in REPORTED_STAGES

    @property
    def stage_text(self) -> str:
        return self.stage if self.used else f"{self.stage}（备查）"

    @property
    def order(self) -> int:
        """Its 环节's place in the report (其他 and any other word last): the list's order."""
        return STAGES.index(self.stage) if self.stage in STAGES else len(STAGES)

    @property
    def amount_text(self) -> str:
        return fmt_wan(self.amount_fen)

    @property
    def rate_text(self) -> str:
        return "" if self.rate_pct is None else f"{self.rate_pct:.2f}"

    @property
    def source_text(self) -> str:
        return self.source or "未注明"

    def values(self) -> dict[str, str]:
        """The form's fields as text."""
        return {"stage": self.stage, "item": self.item, "count": "" if self.count is None else str(self.count),
                "amount_fen": "" if self.amount_fen is None else wan_text(self.amount_fen),
                "rate_pct": "" if self.rate_pct is None else format(self.rate_pct, "f"), "source": self.source,
                "text": self.text}


@dataclass(frozen=True)
class ReportedYear:
    """A year's 上报数 (of one region when asked)."""

    year: int
    rows: tuple[ReportedRow, ...]
    region_label: str = ""

    @property
    def sentence(self) -> str:
        unsourced = sum(1 for r in self.rows if not r.source)
        return (f"共{len(self.rows)}条上报数" + (f"，其中{unsourced}条未注明来源（请编辑补上）" if unsourced else "") + "。")


@dataclass(frozen=True)
class ImportedStat:
    row: int  # the sheet's row number
    values: dict
