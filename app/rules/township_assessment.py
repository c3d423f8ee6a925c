"""乡镇预算绩效管理工作考核 (pure): the pack's `township_assessment` section as one settings object,
and the arithmetic of the table — an item's score from its measured figures, 总分, 等级 and 名次.

    rules = TownshipRules.from_pack(ws.rule_pack())
    rate, score, reason = measured_score(item, numerator, denominator)  # 0/0: the item's if_none
    missed("未申报", ["2023006 某项目", …])                                # 未申报：a、b、c等5个
    places = rank([total, …])                                            # ties share a place

The section (resources/rules/default_pack.json) says what every setting means in its own
`meanings` and in each item's and package's `meaning`, so a settings page can show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Optional, Sequence

from app.rules.grades import grade_for_ratio
from app.rules.scoring_tree import fmt
from app.rules.validation import RejectedError

SECTION = "township_assessment"
TARGETS, MONITORING, SELF_EVAL, RECTIFICATION, PACKAGES, KEY_EVAL, MANUAL = (
    "targets", "monitoring", "self_eval", "rectification", "packages", "key_eval", "manual")
# what each source is called on the page and in the printed 口径
SOURCE_LABELS = {TARGETS: "目标申报", MONITORING: "监控报送", SELF_EVAL: "绩效自评", RECTIFICATION: "整改",
                 PACKAGES: "数据包报送", KEY_EVAL: "财政运行综合绩效评价", MANUAL: "手工评分"}
SOURCES = tuple(SOURCE_LABELS)
NO_DATA = "无数据"
ZERO, FULL = "zero", "full"  # an item's if_none: what a township with nothing to count scores
# what "nothing to count" is for each counted source (the reason of a full score given for it)
NOTHING_DUE = {TARGETS: "无本年度项目", MONITORING: "无到期监控记录", SELF_EVAL: "无上年度项目",
               RECTIFICATION: "无到期整改事项", PACKAGES: "无到期数据包", KEY_EVAL: "无本年度财政运行综合绩效评价"}
NONE_SAID = {ZERO: "无可计数的事项时得0分（无数据）。", FULL: "无可计数的事项时不扣分（得满分）。"}
NAMED = 3  # a reason names at most this many records, then says how many in all
CENT = Decimal("0.01")
KEY_EVAL_FULL = Decimal(100)  # a 重点评价 tree's total is out of 100


@dataclass(frozen=True)
class Item:
    name: str
    points: Decimal
    source: str
    meaning: str = ""
    if_none: str = ZERO  # a township with nothing to count: ZERO scores 0 (无数据), FULL the points

    @property
    def automatic(self) -> bool:
        return self.source != MANUAL

    @property
    def said(self) -> str:
        """The 口径 as printed: the pack's sentence, and (a counted item) what nothing to count scores."""
        if not self.automatic:
            return self.meaning or "由绩效科评分。"
        return self.meaning + NONE_SAID[self.if_none]


@dataclass(frozen=True)
class PackageDue:
    """One 上报 package a township owes for a year: due on month-day of that year (or the next)."""

    name: str
    month: int
    day: int
    next_year: bool = False
    meaning: str = ""

    def due(self, year: int) -> date:
        return date(year + 1 if self.next_year else year, self.month, self.day)


@dataclass(frozen=True)
class TownshipRules:
    items: tuple[Item, ...]
    bands: tuple[tuple[str, Decimal], ...]
    packages: tuple[PackageDue, ...]
    meanings: tuple[tuple[str, str], ...] = ()  # (setting, sentence): section, items, grades, packages

    @classmethod
    def from_pack(cls, pack: Any) -> "TownshipRules":
        """The section of `pack` (a RulePackData; a pack without the section uses the shipped one's).
        A section a person broke is refused with sentences saying what to put right."""
        section = pack.section(SECTION) if pack is not None else {}
        if not section:
            from app.rules.pack import default_pack

            section = default_pack().section(SECTION)
        problems = section_problems(section)
        if problems:
            raise RejectedError("规则方案中的乡镇考核设置有误：" + "；".join(problems) + "。请在规则方案中改正。")
        items = tuple(Item(i["name"].strip(), Decimal(str(i["points"])), i["source"], i.get("meaning", ""),
                           i.get("if_none") or ZERO) for i in section["items"])
        bands = tuple(sorted(((b["grade"], Decimal(str(b["min"]))) for b in section["grades"]),
                             key=lambda b: b[1], reverse=True))
        packages = tuple(PackageDue(p["name"], int(p["month"]), int(p["day"]), bool(p.get("next_year")),
                                    p.get("meaning", "")) for p in section.get("packages", ()))
        return cls(items, bands, packages, tuple((k, str(v)) for k, v in section.get("meanings", {}).items()))

    @property
    def full(self) -> Decimal:
        return sum((i.points for i in self.items), Decimal(0))

    def item(self, name: str) -> Optional[Item]:
        return next((i for i in self.items if i.name == name), None)

    def grade(self, total: Decimal) -> str:
        """The band the total reaches as a percentage of the full points (bounds included, exact)."""
        return grade_for_ratio(total, self.full, self.bands)

    def due_dates(self, year: int) -> list[tuple[PackageDue, date]]:
        """The packages owed for `year` with their due dates, earliest first."""
        return sorted(((p, p.due(year)) for p in self.packages), key=lambda pd: pd[1])

    def opening(self, year: int) -> date:
        """The first day a package counts for `year`'s first period: 1 January of the year — or, when
        the year before's last period ends in this year before this year's first due date, the day
        after it (the 2022 年度 package, due 2023-04-30, never answers 2023's 年中 period)."""
        first, after = self.due_dates(year)[0][1], self.due_dates(year - 1)[-1][1] + timedelta(days=1)
        return after if date(year, 1, 1) < after <= first else date(year, 1, 1)

    def windows(self, year: int) -> list[tuple[PackageDue, date, date]]:
        """(package, the first day of its period — the day after the previous due date, the first
        period's self.opening —, its due date), earliest first."""
        dues = self.due_dates(year)
        if not dues:
            return []
        return [(p, dues[n - 1][1] + timedelta(days=1) if n else self.opening(year), due)
                for n, (p, due) in enumerate(dues)]


def end_of(day: date) -> datetime:
    """The first moment after `day` (any time on that day is before it)."""
    return datetime.combine(day + timedelta(days=1), time())


def answering(windows: Sequence[tuple[Any, date, date]], arrivals: Sequence[datetime]) -> list[Optional[datetime]]:
    """Which package answers each due period, in order: the earliest arrival (one per package: its
    first import) an earlier period did not take, received on or after the period's first day. A
    late 年中 package answers the 年中 period (late), never the 年度 one as well; a package received
    before the first period opened answers none; None: nothing yet."""
    pool = sorted(arrivals)
    taken: list[Optional[datetime]] = []
    n = 0
    for _, opens, _ in windows:
        while n < len(pool) and pool[n] < datetime.combine(opens, time()):
            n += 1
        taken.append(pool[n] if n < len(pool) else None)
        n += 1
    return taken


def _decimal(text: Any) -> Optional[Decimal]:
    try:
        value = Decimal(str(text))
    except (InvalidOperation, ValueError):
        return None
    return value if value.is_finite() else None


def section_problems(section: dict) -> list[str]:
    """What is wrong with a township_assessment section, in sentences (empty when it is usable)."""
    problems: list[str] = []
    items = section.get("items") or []
    if not items:
        problems.append("至少要有一个考核项目")
    names = [str(i.get("name", "")).strip() for i in items]
    for n, item in enumerate(items, 1):
        name = names[n - 1] or f"第{n}项"
        points = _decimal(item.get("points"))
        if not names[n - 1]:
            problems.append(f"第{n}个考核项目没有名称")
        if points is None or points <= 0:
            problems.append(f"“{name}”的分值（points）应为大于0的数")
        if item.get("source") not in SOURCES:
            problems.append(f"“{name}”的得分来源（source）“{item.get('source', '')}”不对，应为"
                            f"{'、'.join(f'{k}（{v}）' for k, v in SOURCE_LABELS.items())}之一")
        if item.get("if_none") not in (None, "", ZERO, FULL):
            problems.append(f"“{name}”无可计数事项时的得分（if_none）“{item['if_none']}”不对，应为{ZERO}（得0分）"
                            f"或{FULL}（不扣分、得满分）")
    dupes = sorted({n for n in names if n and names.count(n) > 1})
    if dupes:
        problems.append(f"考核项目“{'、'.join(dupes)}”重复")
    grades = section.get("grades") or []
    if not grades or any(_decimal(g.get("min")) is None or not g.get("grade") for g in grades):
        problems.append("等级线应逐条写明等级（grade）和最低分（min，占满分的百分比）")
    for p in section.get("packages", ()):
        try:
            PackageDue(p["name"], int(p["month"]), int(p["day"]), bool(p.get("next_year"))).due(2000)
        except (KeyError, TypeError, ValueError):
            problems.append(f"数据包报送期限“{p.get('name', '')}”的月（month）、日（day）不是一个日期")
    return problems


# -- the table's arithmetic --------------------------------------------------------------------------
def points_times(points: Decimal, rate: Decimal) -> Decimal:
    """score = points × rate, rounded half up to 2 decimals."""
    return (points * rate).quantize(CENT, rounding=ROUND_HALF_UP)


def measured_score(item: Item, numerator: Decimal | int, denominator: Decimal | int
                   ) -> tuple[Optional[Decimal], Decimal, str]:
    """(rate, score, reason): rate = numerator ÷ denominator (capped at 1); a township with nothing to
    count (denominator 0) scores as the item's if_none says — 0 with the reason 无数据, or its points
    with the reason 无到期整改事项，不扣分 (the source's NOTHING_DUE) — instead of a division by zero."""
    if not denominator:
        if item.if_none == FULL:
            return None, item.points.quantize(CENT), f"{NOTHING_DUE.get(item.source, '无可计数的事项')}，不扣分"
        return None, Decimal("0.00"), NO_DATA
    rate = min(Decimal(numerator) / Decimal(denominator), Decimal(1))
    return rate, points_times(item.points, rate), ""


def missed(label: str, names: Sequence[str]) -> str:
    """What cost a township points, as its 说明 names it: 未申报：a、b、c等5个 (at most NAMED names);
    "" when nothing is missing."""
    if not names:
        return ""
    more = f"等{len(names)}个" if len(names) > NAMED else ""
    return f"{label}：{'、'.join(names[:NAMED])}{more}"


def package_reasons(windows: Sequence[tuple[PackageDue, date, date]],
                    answers: Sequence[Optional[datetime]]) -> str:
    """The periods a township's packages missed: 年中数据包2023-09-27收到，逾期12天；年度数据包未收到."""
    said = []
    for (package, _, due), got in zip(windows, answers):
        if got is None:
            said.append(f"{package.name}未收到")
        elif got >= end_of(due):
            said.append(f"{package.name}{got.date().isoformat()}收到，逾期{(got.date() - due).days}天")
    return "；".join(said)


def check_hand_score(item: Item, text: str) -> Decimal:
    """A hand score as typed: a number from 0 to the item's points with at most 2 decimals."""
    value = _decimal((text or "").strip().replace("分", ""))
    if value is None:
        raise RejectedError(f"“{item.name}”的得分应为0～{fmt(item.points)}之间的数字，请重新填写。")
    if value < 0 or value > item.points:
        raise RejectedError(f"“{item.name}”满分{fmt(item.points)}分，得分应在0～{fmt(item.points)}分之间，请重新填写。")
    if value != value.quantize(CENT):
        raise RejectedError(f"“{item.name}”的得分最多保留2位小数，请重新填写。")
    return value.quantize(CENT)


def rank(totals: Sequence[Decimal]) -> list[int]:
    """Each total's place, highest first; equal totals share a place and the next place is skipped
    (90, 85, 85, 80 → 1, 2, 2, 4)."""
    ordered = sorted(totals, reverse=True)
    return [ordered.index(t) + 1 for t in totals]
