"""第三方机构 as plain data: the fields of an institution and of a contract (one spec for the form and
the service), the 统一社会信用代码 check (GB 32100-2015: 18 characters, its check digit), the yearly
执业质量考核 scored from the pack's aspects and result bands, and the frozen rows the page shows."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Optional

from app.rules import fields as F
from app.rules.fields import FieldInvalid
from app.rules.validation import Report

ROLES = ("评价", "评估", "评审")
RESULTS = ("优秀", "良好", "合格", "不合格")

# -- 统一社会信用代码 (GB 32100-2015) -------------------------------------------------------------
CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # digits and capitals without I O Z S V
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_FORM = "应为18位，由数字和大写字母组成（不含I、O、Z、S、V），如 913300005793421213"
_CREDIT = re.compile(f"[{CREDIT_CHARS}]{{18}}")


def credit_check_char(first17: str) -> str:
    """The 18th character GB 32100-2015 computes from the first 17 (weights 3^i mod 31)."""
    total = sum(CREDIT_CHARS.index(ch) * w for ch, w in zip(first17, CREDIT_WEIGHTS))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def credit_code(raw: Any) -> Optional[str]:
    """Optional; full-width characters, spaces and lower case are taken as typed meant them."""
    text = unicodedata.normalize("NFKC", F.as_text(raw)).replace(" ", "").upper()
    if not text:
        return None
    if not _CREDIT.fullmatch(text):
        raise FieldInvalid(CREDIT_FORM)
    if credit_check_char(text[:17]) != text[17]:
        raise FieldInvalid(f"校验位不对：按前17位计算，第18位应为“{credit_check_char(text[:17])}”，请核对代码是否抄错")
    return text


def phone(raw: Any) -> Optional[str]:
    text = F.as_text(raw)
    if not text:
        return None
    if len(text) > 30 or not re.fullmatch(r"[0-9０-９+＋\-－()（）\s转,，/、]+", text):
        raise FieldInvalid("应为电话号码，如 0871-63123456 或 13800000000")
    return text


AGENCY_FIELDS = [
    F.FieldSpec("name", "机构名称", F.text(200), True),
    F.FieldSpec("credit_code", "统一社会信用代码", credit_code, hint=CREDIT_FORM[1:]),
    F.FieldSpec("contact", "联系人", F.text(50, required=False)),
    F.FieldSpec("phone", "联系电话", phone),
    F.FieldSpec("role", "业务类型", F.choice(ROLES, required=False)),
    F.FieldSpec("note", "备注", F.text(2000, required=False)),
]
CONTRACT_FIELDS = [
    F.FieldSpec("name", "合同名称", F.text(200), True),
    F.FieldSpec("amount", "合同金额（万元）", F.money_wan(required=False)),
    F.FieldSpec("start", "开始日期", F.day),
    F.FieldSpec("finish", "结束日期", F.day),
    F.FieldSpec("scope", "委托范围", F.text(2000, required=False)),
]


def validate_agency(raw: dict) -> Report:
    return F.parse_fields(AGENCY_FIELDS, raw)[1]


def validate_contract(raw: dict) -> Report:
    values, report = F.parse_fields(CONTRACT_FIELDS, raw)
    if values.get("start") and values.get("finish") and values["finish"] < values["start"]:
        report.add("finish", "结束日期应不早于开始日期")
    return report


# -- 执业质量考核 ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class AssessmentRules:
    """The pack's agency_assessment section: aspects with their points, result bands (min score)."""

    aspects: tuple[tuple[str, Decimal], ...]
    bands: tuple[tuple[str, Decimal], ...]

    @classmethod
    def from_pack(cls, section: dict) -> "AssessmentRules":
        aspects = tuple((name, Decimal(str(points))) for name, points in section["aspects"].items())
        bands = tuple(sorted(((b["result"], Decimal(str(b["min"]))) for b in section["results"]),
                             key=lambda b: b[1], reverse=True))
        return cls(aspects, bands)

    @property
    def full(self) -> Decimal:
        return sum((p for _, p in self.aspects), Decimal(0))

    def result(self, total: Decimal) -> str:
        """The band whose lower bound the total reaches, out of 100 (bounds included, nothing rounded first)."""
        pct = total * 100 / self.full if self.full else total
        for name, low in self.bands:
            if pct >= low:
                return name
        return self.bands[-1][0]


@dataclass(frozen=True)
class ScoredAssessment:
    scores: dict[str, Optional[Decimal]]  # aspect → score (None: not yet given)
    total: Decimal
    result: Optional[str]  # None until every aspect has its score
    report: Report

    @property
    def complete(self) -> bool:
        return all(v is not None for v in self.scores.values())


def score_assessment(rules: AssessmentRules, raw: dict[str, Any]) -> ScoredAssessment:
    """Each aspect's score 0..points with at most 2 decimals; the total and the result are derived.
    The form calls it on every keystroke, the service on every save: the figure watched is the one stored."""
    scores: dict[str, Optional[Decimal]] = {}
    report = Report()
    for name, points in rules.aspects:
        text = unicodedata.normalize("NFKC", F.as_text(raw.get(name))).replace(" ", "")
        if not text:
            scores[name] = None
            report.add(name, f"请填写“{name}”得分（0～{points}分）")
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            report.add(name, f"应为0～{points}之间的数字")
        elif value < 0 or value > points:
            report.add(name, f"应在0～{points}分之间（本项满分{points}分）")
        elif value != value.quantize(Decimal("0.01")):
            report.add(name, "最多保留2位小数")
        else:
            scores[name] = value
            continue
        scores[name] = None
    total = sum((v for v in scores.values() if v is not None), Decimal(0))
    result = rules.result(total) if report.ok else None
    return ScoredAssessment(scores, total, result, report)


def fmt_score(value: Optional[Decimal]) -> str:
    if value is None:
        return ""
    text = f"{value.quantize(Decimal('0.01')):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# -- views ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    credit_code: str
    contact: str
    phone: str
    role: str
    contracts: int
    works: int  # 评价项目数: 重点评价 and 事前绩效评估 naming it
    latest_result: str  # 最近考核结果 (with its year)
    version: int

    @property
    def search_key(self) -> str:
        return " ".join((self.name, self.credit_code, self.contact, self.phone, self.role)).casefold()


@dataclass(frozen=True)
class ContractRow:
    id: int
    name: str
    amount_fen: Optional[int]
    start: Optional[date]
    finish: Optional[date]
    scope: str
    version: int

    @property
    def period(self) -> str:
        if not (self.start or self.finish):
            return ""
        return f"{self.start or ''}至{self.finish or ''}"


@dataclass(frozen=True)
class WorkRow:
    """An evaluation the institution carried out (read-only here; kept by its own stage)."""

    kind: str  # 重点评价 / 事前绩效评估
    year: int
    object_name: str
    score: Optional[Decimal]
    grade: str


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    year: int
    scores: dict
    total: Optional[Decimal]
    result: str
    opinion: str
    version: int


@dataclass(frozen=True)
class AgencyView:
    """What the form shows of one institution: its fields as text, contracts, work, assessments."""

    id: int
    values: dict
    version: int
    contracts: tuple[ContractRow, ...]
    works: tuple[WorkRow, ...]
    assessments: tuple[AssessmentRow, ...]

    def assessment(self, year: int) -> Optional[AssessmentRow]:
        return next((a for a in self.assessments if a.year == year), None)
