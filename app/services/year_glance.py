"""The year at a glance: the numbers the 工作台's four charts draw and the year's report prints as
pictures — 绩效目标 (the projects by their target's state, the 覆盖率), 运行监控 (each round's 总体进度
against its 序时进度), 绩效自评 (the self-evaluations carried out in the year by grade) and 整改 (the
items by state, the overdue ones apart).

    read_glance(ws, year, at=None) → Glance   (plain data; a worker thread may call it)
    report_glance(ws, year) → Glance          (整改 counted to the day the year's report counts to)

The numbers come from the stages' own services: app.services.year_report.figures (the very figures
the year's report prints), the target list and the 整改 ledger as it stands on `at`. Values become
floats for plotting only: the tables and the report keep Decimals. The charts themselves are drawn
by the ui (ui.pages.workbench_charts, ui.chart_images)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

from app.domain.rectification import STATES as RECT_STATES
from app.domain.year_report import MONITORING, RECTIFICATION, SELF_EVAL, TARGETS, Figure
from app.services import rectification, year_report, year_text
from app.services.target_records import list_targets
from app.services.workflow import APPROVED, DRAFT, PASSED, RETURNED, SUBMITTED

GRADES = ("优", "良", "中", "差")
NOT_STARTED = "未填报"
TARGET_STATES = (APPROVED, PASSED, SUBMITTED, RETURNED, DRAFT, NOT_STARTED)
# chart key → file name stem (工作台's 导出PNG) and, in the year's report, the caption after 图N
CHARTS = (("targets", "绩效目标"), ("monitoring", "运行监控"), ("self_eval", "绩效自评"), ("rectification", "整改"))
SECTION_OF = {"targets": TARGETS, "monitoring": MONITORING, "self_eval": SELF_EVAL, "rectification": RECTIFICATION}
CAPTIONS = {"targets": "绩效目标审核情况", "monitoring": "绩效运行监控总体进度与序时进度",
            "self_eval": "绩效自评等级分布", "rectification": "问题整改情况"}


@dataclass(frozen=True)
class Glance:
    """The year's numbers the charts draw (plain data, read off the GUI thread)."""

    year: int
    targets: tuple[tuple[str, int], ...] = ()  # (state, projects)
    coverage: str = ""  # 绩效目标审核覆盖率 as the report writes it
    rounds: tuple[tuple[str, float, float], ...] = ()  # (1-8月, 总体进度 %, 序时进度 %)
    grades: tuple[tuple[str, int], ...] = ()  # (优, 份数)
    rectification: tuple[tuple[str, int, int], ...] = ()  # (state, items, of which overdue)
    overdue: int = 0
    notes: dict[str, str] = field(default_factory=dict)  # chart key → 上报数 said under its title

    def has(self, key: str) -> bool:
        """The year has something for chart `key` to show (the report leaves an empty chart out)."""
        return bool({"targets": self.targets, "monitoring": self.rounds, "self_eval": self.grades,
                     "rectification": [n for _, n, _ in self.rectification if n]}[key])

    def caption(self, key: str) -> str:
        """The picture's caption in the year's report: 2023年度绩效目标审核情况."""
        return f"{self.year}年度{CAPTIONS[key]}"


def _value(found: dict[str, Figure], key: str):
    f = found.get(key)
    return f.value if f is not None else None


def read_glance(ws, year: int, at: Optional[date] = None, region: Optional[str] = None) -> Glance:
    """The year's chart numbers (on a worker thread): the report's figures, the target list's states
    and the 整改 ledger as it stands on `at` (today); `region`: one 区划's (None: all)."""
    at = at or date.today()
    figures = year_report.figures(ws, year, at, region)
    found = {f.key: f for f in figures}
    states = [r.status for r in list_targets(ws, year, region)]
    targets = tuple((s, states.count(s)) for s in TARGET_STATES if states.count(s))
    coverage = found["targets.coverage"].text if "targets.coverage" in found else ""
    rounds = []
    for f in figures:
        parts = f.key.split(".")
        if len(parts) == 3 and parts[0] == "monitoring" and parts[2] == "progress":
            schedule = _value(found, f"monitoring.{parts[1]}.schedule")
            rounds.append((f.item.replace("监控总体进度", ""), float(f.value or 0), float(schedule or 0)))
    grades = tuple((g, int(_value(found, f"self_eval.grade.{g}") or 0)) for g in GRADES)
    ledger = rectification.list_year(ws, year, at, region)
    rect = tuple((s, sum(r.status == s for r in ledger.rows), sum(r.status == s and r.overdue for r in ledger.rows))
                 for s in RECT_STATES)
    notes = {key: "（含上报数）" for key, section in SECTION_OF.items()
             if any(f.reported and f.section == section for f in figures)}
    return Glance(year, targets, coverage, tuple(rounds), grades if any(n for _, n in grades) else (), rect,
                  sum(r.overdue for r in ledger.rows), notes)


def report_glance(ws, year: int, region: Optional[str] = None) -> Glance:
    """The glance the year's report draws: of the same 区划 as its text (year_text.scope: 本级 unless
    asked for 全县 or a township), 整改 counted to the same day (the year's end, or today while the
    year runs)."""
    return read_glance(ws, year, year_text.count_day(year), year_text.scope(ws, region)[0])
