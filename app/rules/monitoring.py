"""双监控 rules (issue 5), Qt-free: execution against the time line, the warning light, an
indicator's projected miss, the year-end projection and the key-monitoring candidates.

Rates are exact fractions — 2/3 stays 2/3, so a project exactly on a boundary gets the light the
rule says, never one a rounding picked; display rounds to 2 decimals (half up) only at the end.
Every threshold comes from the rule pack's "monitoring" section."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Optional

from app.money import fen_from_wan, wan_from_fen
from app.rules.pack import RulePackData, default_pack
from app.rules.target_check import first_number

RED, YELLOW, GREEN, NOT_FILLED = "红", "黄", "绿", "未填报"
LIGHT_ORDER = {RED: 0, YELLOW: 1, GREEN: 2, NOT_FILLED: 3}
CAUSE_CLASSES = ("经费保障", "制度保障", "人员保障", "硬件条件保障", "其他")
LIKELIHOODS = ("确定能", "有可能", "完全不可能")
QUALITATIVE_ANSWERS = ("达成", "部分达成", "未达成")


@dataclass(frozen=True)
class MonitorSettings:
    red_below: Fraction  # red below 序时进度 minus this (0.20 = 20 points)
    red_when_nothing_spent: bool
    projection_line: Fraction  # year-end rate below which a project is listed (0.90)
    key_min_budget_fen: int
    key_max_rate: Fraction
    key_month: int
    slight_gap: Fraction  # within this of 序时进度 the summary says 略高/略低

    @classmethod
    def from_pack(cls, pack: Optional[RulePackData] = None) -> "MonitorSettings":
        raw = dict(default_pack().section("monitoring"))
        if pack is not None:
            raw.update(pack.section("monitoring"))
        exact = lambda key: Fraction(str(raw[key]))  # noqa: E731 - 0.9 in a pack means 9/10, not the float
        return cls(red_below=exact("red_below_schedule_points") / 100,
                   red_when_nothing_spent=bool(raw["red_when_nothing_spent"]),
                   projection_line=exact("projection_line"),
                   key_min_budget_fen=fen_from_wan(str(raw["key_candidate_min_budget_wan"])),
                   key_max_rate=exact("key_candidate_max_rate"), key_month=int(raw["key_candidate_month"]),
                   slight_gap=exact("slight_points") / 100)


def schedule(month: int) -> Fraction:
    """序时进度 = cut-off month ÷ 12."""
    if not 1 <= month <= 12:
        raise ValueError("month must be 1..12")
    return Fraction(month, 12)


def execution_rate(executed_fen: Optional[int], budget_fen: int) -> Optional[Fraction]:
    """执行率 = 截至执行数 ÷ 全年预算数; None when not filled or nothing was budgeted."""
    if executed_fen is None or budget_fen <= 0:
        return None
    return Fraction(executed_fen, budget_fen)


def light(executed_fen: Optional[int], budget_fen: int, month: int, s: MonitorSettings) -> str:
    """红 below 序时进度 − 20 points or nothing spent; 黄 below 序时进度; 绿 otherwise."""
    if executed_fen is None:
        return NOT_FILLED
    if budget_fen <= 0:
        return GREEN  # nothing to spend
    if executed_fen == 0 and s.red_when_nothing_spent:
        return RED
    # exact, in integers: executed/budget < month/12 − n/d  ⟺  12·d·executed < budget·(d·month − 12·n)
    n, d = s.red_below.numerator, s.red_below.denominator
    if 12 * d * executed_fen < budget_fen * (d * month - 12 * n):
        return RED
    return YELLOW if 12 * executed_fen < budget_fen * month else GREEN


def percent(value: Optional[Fraction]) -> Optional[Decimal]:
    """A rate as a percentage with 2 decimals, half up (display only)."""
    if value is None:
        return None
    return (Decimal(value.numerator) * 100 / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """46.00 → "46", 33.30 → "33.3": a number as a sentence writes it."""
    return f"{value.normalize():f}"


def deviation(executed_fen: Optional[int], budget_fen: int, month: int) -> Optional[Fraction]:
    """偏差 = 执行率 − 序时进度 (a fraction; ×100 for percentage points)."""
    if executed_fen is None or budget_fen <= 0:
        return None
    return Fraction(12 * executed_fen - month * budget_fen, 12 * budget_fen)


# -- indicators ------------------------------------------------------------------------------------
def misses(direction: str, target: str, projected: str) -> Optional[bool]:
    """Whether the 全年预计完成值 misses the 全年目标值 (None: cannot tell yet). ≥ and = need at
    least the target (= exactly), ≤ at most; a qualitative one misses unless answered 达成."""
    projected = (projected or "").strip()
    if not projected:
        return None
    if direction == "定性":
        return projected != "达成"
    want, got = first_number(target or ""), first_number(projected)
    if want is None or got is None:
        return None
    if direction == "≤":
        return got > want
    if direction == "=":
        return got != want
    return got < want


def progress_problems(direction: str, target: str, projected: str, cause_class: str = "", likelihood: str = "",
                      cause_note: str = "", needs_rectification: str = "", requirement: str = "",
                      submitting: bool = False) -> list[tuple[str, str]]:
    """What is wrong with one indicator row of a monitoring record, as (field, message): the one
    rule the form's save and the import both apply (the import names the cell under the field's
    column). Fields: cause_class, likelihood, projected, cause_note, needs_rectification,
    requirement. Empty text is never wrong unless submitting: then every indicator needs its
    全年预计完成值 (a number where the target has one), and a projection that misses the target
    needs its cause — class and explanation."""
    found = []
    if cause_class and cause_class not in CAUSE_CLASSES:
        found.append(("cause_class", f"应为{'、'.join(CAUSE_CLASSES)}之一"))
    if likelihood and likelihood not in LIKELIHOODS:
        found.append(("likelihood", f"应为{'、'.join(LIKELIHOODS)}之一"))
    if direction == "定性" and projected and projected not in QUALITATIVE_ANSWERS:
        found.append(("projected", f"定性指标应为{'、'.join(QUALITATIVE_ANSWERS)}之一"))
    if submitting:
        if not projected.strip():
            found.append(("projected", "提交前请填写全年预计完成值"))
        elif direction != "定性" and first_number(target) is not None and first_number(projected) is None:
            found.append(("projected", "全年目标值是数字，全年预计完成值也应填写数字"))
        elif misses(direction, target, projected):
            if not cause_class:
                found.append(("cause_class", "全年预计完成值达不到目标，请选择偏差原因类别"))
            if not cause_note.strip():
                found.append(("cause_note", "全年预计完成值达不到目标，请说明偏差原因"))
    if needs_rectification not in ("", "是", "否"):
        found.append(("needs_rectification", "应为“是”或“否”"))
    elif needs_rectification == "是" and not requirement.strip() and submitting:
        found.append(("requirement", "需要整改时请填写整改要求和建议"))
    return found


# -- year-end projection and key-monitoring candidates ---------------------------------------------
@dataclass(frozen=True)
class Projection:
    year_end_fen: int  # estimated year-end spending
    budget_fen: int
    below_line: bool
    suggested_cut_fen: int  # what could be 调减: the budget the estimate leaves unspent

    @property
    def rate(self) -> Fraction:
        """The estimated year-end execution rate."""
        return Fraction(self.year_end_fen, self.budget_fen)


def project_year_end(executed_fen: Optional[int], budget_fen: int, month: int, s: MonitorSettings) -> Optional[Projection]:
    """Spending so far carried on at the same monthly pace for the months left (never above the
    budget). None when not filled or nothing was budgeted."""
    if executed_fen is None or budget_fen <= 0:
        return None
    estimate = min(budget_fen, executed_fen * 12 // month)
    line = s.projection_line  # estimate/budget < line, in integers
    return Projection(estimate, budget_fen, estimate * line.denominator < budget_fen * line.numerator, budget_fen - estimate)


def key_candidate_reasons(budget_fen: int, executed_fen: Optional[int], month: int, is_key_project: bool,
                          lamp: str, s: MonitorSettings) -> list[str]:
    """Why the pack proposes a project for 重点监控 (empty: not proposed). The bureau confirms."""
    reasons = []
    top = s.key_max_rate
    if (month >= s.key_month and budget_fen >= s.key_min_budget_fen and executed_fen is not None
            and executed_fen * top.denominator < budget_fen * top.numerator):  # 执行率 < the line, in integers
        reasons.append(_big_and_slow(s))
    if is_key_project and lamp == RED:
        reasons.append("重点项目亮红灯")
    return reasons


@lru_cache(maxsize=8)
def _big_and_slow(s: MonitorSettings) -> str:
    """The reason's words, written once per rule pack (a round lists it for many projects)."""
    return f"全年预算数不低于{plain(wan_from_fen(s.key_min_budget_fen))}万元且执行率低于{plain(percent(s.key_max_rate))}%"


def overall_sentence(executed_fen: int, budget_fen: int, month: int, s: MonitorSettings) -> str:
    """The sentence the seeds write: "总体进度46%，略高于序时进度" (略 within the pack's points)."""
    rate = execution_rate(executed_fen, budget_fen)
    if rate is None:
        return "尚无执行数据。"
    gap = rate - schedule(month)
    text = f"总体进度{plain(percent(rate))}%，"
    if gap == 0:
        return text + "与序时进度持平。"
    slight = "略" if abs(gap) <= s.slight_gap else ""
    return text + f"{slight}{'高' if gap > 0 else '低'}于序时进度。"
