"""The automatic check of a 绩效目标 (issue 4): Qt-free rule objects that say precisely what is
wrong with a target and how to fix it — the vague targets every seed report complains about.

Each rule looks at a TargetIn and returns Findings: a severity (错误 blocks submission, 警告, 提示),
the indicator row it concerns (None for the target as a whole), a sentence saying what is wrong,
one saying how to fix it, and points off the 100-point quality score. Thresholds, word lists and
deductions come from the rule pack's "target_check" section, never from constants here."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional, Sequence

from app.rules.pack import RulePackData, default_pack

ERROR, WARNING, HINT = "错误", "警告", "提示"
QUALITATIVE = "定性"
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")
_DATE = re.compile(r"((?:19|20)\d{2})\s*[年./-]\s*(\d{1,2})")


# -- what the check reads ------------------------------------------------------------------------
@dataclass(frozen=True)
class IndicatorIn:
    level1: str
    level2: str
    level3: str
    direction: str  # ≥ ≤ = 定性
    value: str = ""  # 指标值 as written
    unit: str = ""
    points: Optional[Decimal] = None  # 分值
    last_year: str = ""  # 上年实际值

    @property
    def quantitative(self) -> bool:
        return self.direction != QUALITATIVE

    def number(self) -> Optional[Decimal]:
        return first_number(self.value)


@dataclass(frozen=True)
class TargetIn:
    year: int
    annual_goal: str
    indicators: Sequence[IndicatorIn]
    kind: str = "项目支出"
    funds_fen: Optional[int] = None  # 年度资金总额
    serves_public: bool = True  # the project serves people (then 服务对象满意度 is expected)


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    row: Optional[int]  # 0-based index into TargetIn.indicators; None: the target as a whole
    problem: str
    advice: str
    points: Decimal

    def where(self, target: TargetIn) -> str:
        if self.row is None:
            return "整体"
        ind = target.indicators[self.row]
        return f"第{self.row + 1}行 {ind.level3 or ind.level2}"


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    total: Decimal = Decimal(100)

    @property
    def quality_score(self) -> Decimal:
        return max(Decimal(0), self.total - sum((f.points for f in self.findings), Decimal(0)))

    @property
    def blocks_submission(self) -> bool:
        return any(f.severity == ERROR for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def first_number(text: str) -> Optional[Decimal]:
    found = _NUMBER.search((text or "").replace(",", "").replace("，", ""))
    return Decimal(found.group()) if found else None


# -- settings from the rule pack -----------------------------------------------------------------
@dataclass(frozen=True)
class CheckSettings:
    raw: dict

    @classmethod
    def from_pack(cls, pack: Optional[RulePackData] = None) -> "CheckSettings":
        base = dict(default_pack().section("target_check"))
        if pack is not None:
            base.update(pack.section("target_check"))  # a county's pack overrides, key by key
        return cls(base)

    def deduction(self, severity: str) -> Decimal:
        return Decimal(self.raw["deductions"][severity])

    def words(self, key: str) -> list[str]:
        return list(self.raw[key])


class Rule:
    """One check. Subclasses set `code` and implement `findings`."""

    code = ""

    def __init__(self, settings: CheckSettings):
        self.s = settings

    def finding(self, severity: str, row: Optional[int], problem: str, advice: str) -> Finding:
        return Finding(self.code, severity, row, problem, advice, self.s.deduction(severity))

    def findings(self, t: TargetIn) -> list[Finding]:
        raise NotImplementedError


# -- the rules -------------------------------------------------------------------------------------
class QuantitativeShare(Rule):
    code = "定量指标"

    def findings(self, t):
        quantitative = sum(1 for i in t.indicators if i.quantitative)
        qualitative = len(t.indicators) - quantitative
        if t.indicators and quantitative == 0:
            return [self.finding(ERROR, None, "没有任何定量指标，目标无法衡量。",
                                 "至少为数量、质量、时效、成本各设一个带数值和单位的定量指标。")]
        if qualitative > quantitative:
            return [self.finding(WARNING, None, f"定性指标（{qualitative}个）多于定量指标（{quantitative}个）。",
                                 "把能量化的定性指标改为定量表述，如把“明显改善”改为“达标率≥95%”。")]
        return []


class MandatoryCategories(Rule):
    code = "必设指标"

    def findings(self, t):
        present = {(i.level1, i.level2) for i in t.indicators}
        out = []
        by_kind = self.s.raw.get("mandatory_level2_by_kind", {})
        for level1, level2s in by_kind.get(t.kind, self.s.raw["mandatory_level2"]).items():
            for level2 in level2s:
                if (level1, level2) not in present:
                    out.append(self.finding(ERROR, None, f"缺少“{level1}—{level2}”指标。",
                                            f"在{level1}指标下补设至少一个{level2}指标（可从指标库选用）。"))
        satisfaction = self.s.raw["satisfaction_level2"]
        if t.serves_public and not any(i.level2 == satisfaction for i in t.indicators):
            out.append(self.finding(WARNING, None, f"{'部门' if t.kind == '部门整体支出' else '项目'}面向群众，但缺少“{satisfaction}”指标。",
                                    "补设满意度指标，如“受益群众满意度≥90%”，并说明调查方式。"))
        return out


class MeasurableValue(Rule):
    code = "指标值可衡量"

    def findings(self, t):
        vague = self.s.words("vague_words")
        out = []
        for n, ind in enumerate(t.indicators):
            value = (ind.value or "").strip()
            if not value:
                out.append(self.finding(ERROR, n, "指标值为空。", "填写具体的目标值，定量指标写数值，定性指标写可判断的达成标准。"))
                continue
            word = next((w for w in vague if w in value), None)
            if word and ind.number() is None:
                out.append(self.finding(ERROR, n, f"指标值“{value}”只有“{word}”一类的描述，没有数值，无法衡量。",
                                        "写出可核实的数值或标准，如“≥95%”“不少于120人次”。"))
            elif ind.quantitative and ind.number() is None:
                out.append(self.finding(ERROR, n, f"定量指标的指标值“{value}”不是数值。",
                                        "填写数值；确实无法量化的，把指标性质改为“定性”并写明达成标准。"))
        return out


class UnitCheck(Rule):
    code = "计量单位"

    def findings(self, t):
        rate_units = self.s.words("rate_units")
        out = []
        for n, ind in enumerate(t.indicators):
            if not ind.quantitative or ind.number() is None:
                continue
            unit = (ind.unit or "").strip()
            if not unit:
                out.append(self.finding(WARNING, n, "定量指标没有计量单位。", "补填单位，如人、公里、%、万元。"))
            elif unit in rate_units and ind.number() > 100:
                out.append(self.finding(ERROR, n, f"比率类指标值{ind.number()}%超过100%。",
                                        "比率不应超过100%；若是数量，请把单位改为实际计量单位。"))
        return out


class VagueName(Rule):
    code = "三级指标名称"

    def findings(self, t):
        out = []
        for n, ind in enumerate(t.indicators):
            name = (ind.level3 or "").strip()
            generic = {ind.level2, f"{ind.level2}指标", f"{ind.level1}指标", f"{ind.level2}效益"}
            if not name:
                out.append(self.finding(ERROR, n, "三级指标名称为空。", "写明衡量的具体对象，如“困难残疾人生活补贴发放人数”。"))
            elif name in generic:
                out.append(self.finding(WARNING, n, f"三级指标名称“{name}”与二级指标相同，没有说明衡量什么。",
                                        "改为具体对象加计量口径，如“农村公路小修灌缝里程”。"))
            elif len(name) <= 2:
                out.append(self.finding(WARNING, n, f"三级指标名称“{name}”过短，看不出衡量什么。", "写明衡量的具体对象和口径。"))
            elif name.endswith("等"):
                out.append(self.finding(WARNING, n, f"三级指标名称“{name}”以“等”结尾，范围不明确。",
                                        "把“等”所含的内容拆成几个指标，或写明完整范围。"))
        return out


class CostOverFunds(Rule):
    code = "成本指标"

    def findings(self, t):
        if t.funds_fen is None:
            return []
        factors = {unit: Decimal(f) for unit, f in self.s.raw["cost_units"].items()}
        total_yuan, rows = Decimal(0), []
        for n, ind in enumerate(t.indicators):
            if ind.level2 == "成本" and ind.unit in factors and ind.number() is not None:
                total_yuan += ind.number() * factors[ind.unit]
                rows.append(n)
        funds_yuan = Decimal(t.funds_fen) / 100
        if rows and total_yuan > funds_yuan:
            return [self.finding(ERROR, rows[0], f"成本指标合计{total_yuan / 10000:.2f}万元，超过年度资金总额{funds_yuan / 10000:.2f}万元。",
                                 "核对成本测算；成本指标合计不应超过项目年度资金。")]
        return []


class Timeliness(Rule):
    code = "时效指标"

    def findings(self, t):
        timely = self.s.words("timely_words")
        rate_units = self.s.words("rate_units")
        out = []
        for n, ind in enumerate(t.indicators):
            if ind.level2 != "时效":
                continue
            text = f"{ind.level3} {ind.value}"
            for year, month in _DATE.findall(ind.value or ""):
                if int(year) != t.year:
                    out.append(self.finding(WARNING, n, f"时效指标的时间{year}年{int(month)}月不在{t.year}预算年度内。",
                                            f"改为{t.year}年度内的完成时间，跨年项目写本年度应完成的节点。"))
                    break
            has_rate = (ind.unit or "") in rate_units and ind.number() is not None
            if any(w in text for w in timely) and not _DATE.search(ind.value or "") and not has_rate:
                out.append(self.finding(WARNING, n, "时效指标只写了“及时”，没有日期或比率。",
                                        f"写明完成时间（如{t.year}年6月底前）或及时率（如资金拨付及时率100%）。"))
        return out


class AnnualGoal(Rule):
    code = "年度目标"

    def findings(self, t):
        goal = (t.annual_goal or "").strip()
        if not goal:
            return [self.finding(ERROR, None, "年度目标为空。", "写明本年度要完成的产出和要达到的效果，与指标相对应。")]
        compact = re.sub(r"[\s，,。.；;、！!]", "", goal)
        if compact in {re.sub(r"[\s，,。.]", "", p) for p in self.s.words("empty_goal_phrases")}:
            return [self.finding(ERROR, None, f"年度目标只写了“{goal}”，没有说明要完成什么。",
                                 "写出本年度的具体产出（数量、质量、时间）和预期效果。")]
        minimum = int(self.s.raw["min_annual_goal_chars"])
        if len(compact) < minimum:
            return [self.finding(WARNING, None, f"年度目标只有{len(compact)}个字，过于简单。",
                                 f"至少写{minimum}个字，说明做什么、做多少、何时完成、达到什么效果。")]
        return []


class Duplicates(Rule):
    code = "重复与分值"

    def findings(self, t):
        out, seen = [], {}
        for n, ind in enumerate(t.indicators):
            key = (ind.level2, (ind.level3 or "").strip())
            if key[1] and key in seen:
                out.append(self.finding(WARNING, n, f"与第{seen[key] + 1}行指标重复。", "删除重复行，或改为衡量不同内容的指标。"))
            seen.setdefault(key, n)
        expected = self.s.raw.get("points_total")
        if expected in (None, "") or not t.indicators:
            return out  # the county's pack does not weight indicators
        total = Decimal(expected)
        points = [ind.points for ind in t.indicators if ind.points is not None]
        blank = [n + 1 for n, ind in enumerate(t.indicators) if ind.points is None]
        if not points:
            out.append(self.finding(WARNING, None, f"各指标都没有填分值（应合计{total}分）。",
                                    f"按各指标的重要程度为每个指标填写分值，合计{total}分。"))
            return out
        if blank:
            rows = "、".join(str(n) for n in blank[:8]) + ("等" if len(blank) > 8 else "")
            out.append(self.finding(WARNING, None, f"第{rows}行指标没有填分值。", f"为每个指标填写分值，合计{total}分。"))
        if sum(points) != total:
            out.append(self.finding(WARNING, None, f"各指标分值合计{sum(points)}分，不等于{total}分。",
                                    f"调整分值使合计为{total}分。"))
        return out


class BelowLastYear(Rule):
    code = "目标偏低"

    def findings(self, t):
        out = []
        for n, ind in enumerate(t.indicators):
            last, now = first_number(ind.last_year), ind.number()
            if ind.direction == "≥" and last is not None and now is not None and now < last:
                out.append(self.finding(WARNING, n, f"目标值{now}低于上年实际值{last}，目标设置偏低。",
                                        "目标值一般不低于上年实际；确需降低的，在指标解释中说明原因。"))
        return out


RULES: tuple[type[Rule], ...] = (QuantitativeShare, MandatoryCategories, MeasurableValue, UnitCheck, VagueName,
                                 CostOverFunds, Timeliness, AnnualGoal, Duplicates, BelowLastYear)


def review_opinion(target: TargetIn, result: CheckResult) -> str:
    """The 审核意见 a reviewer starts from, drafted from the check: its findings as a numbered list
    (what is wrong and how to fix it), for the reviewer to edit — never a decision of its own."""
    if not result.findings:
        return "自动检查未发现问题。"
    lines = [f"{n}. {f.where(target)}：{f.problem}{f.advice}" for n, f in enumerate(result.findings, 1)]
    return "\n".join(["自动检查发现以下问题：", *lines])


def check_target(target: TargetIn, settings: Optional[CheckSettings] = None) -> CheckResult:
    settings = settings or CheckSettings.from_pack()
    result = CheckResult(total=Decimal(settings.raw["quality_total"]))
    for rule in RULES:
        result.findings.extend(rule(settings).findings(target))
    return result
