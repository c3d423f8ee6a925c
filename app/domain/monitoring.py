"""运行监控 data: the round view the page's three tabs and the exports show (frozen rows, built
once by app.services.monitoring), the record form a user edits (text as typed), and the drafts
an import file parses into (app.io.monitoring_import)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Optional

from app.rules.monitoring import GREEN, NOT_FILLED, RED, YELLOW, Projection, misses


def judged_words(version: Optional[int]) -> str:
    """The 规则方案 version a round's lights are judged by, as the page and the reports say it."""
    return f"按规则方案第{version}版判定预警" if version else ""


# -- the round and its table -------------------------------------------------------------------------
@dataclass(frozen=True)
class RoundRow:
    id: int
    year: int
    name: str
    month: int
    deadline: Optional[date]
    kind: str
    records: int
    pack_version: Optional[int] = None  # the 规则方案 version the round was opened under: its lights are judged by it

    @property
    def title(self) -> str:
        return f"{self.year}年{self.name}（截至{self.month}月）"

    @property
    def judged(self) -> str:
        """按规则方案第1版判定预警 ("" for a round from before versions were kept)."""
        return judged_words(self.pack_version)


@dataclass(frozen=True, slots=True)
class MonitorRow:
    """One project of the round: its money, rates and light."""

    record_id: int
    project_id: int
    code: str
    name: str
    department: str
    budget_fen: int
    executed_fen: Optional[int]
    projected_fen: Optional[int]
    rate: Optional[Fraction]
    schedule: Fraction
    deviation: Optional[Fraction]
    light: str
    target_state: str  # 有绩效目标 / 无绩效目标
    is_key: bool  # confirmed for 重点监控
    is_key_project: bool
    status: str
    missed: int  # indicators whose projection misses the target
    search_key: str = ""
    light_order: int = 0
    behind: Optional[int] = None  # the deviation scaled to an integer, to sort by (Fractions compare slowly)
    changed_since: str = ""  # a submitted/passed record: what changed since it was filed (预算已调整：… / 绩效目标已变更)
    region_code: str = ""  # 区划代码 of the record (the county's, or a township's)
    region: str = ""  # the region's name (app.services.regions)


@dataclass(frozen=True)
class SummaryLine:
    """One line of the 监控汇总 (a 主管部门, or 合计): what the page's table and the 汇总 sheet show."""

    department: str
    projects: int = 0
    budget_fen: int = 0
    executed_fen: int = 0
    filled_budget_fen: int = 0  # budgets of the records whose 截至执行数 is in: the rate's denominator
    red: int = 0
    yellow: int = 0
    green: int = 0
    not_filled: int = 0

    @property
    def lights(self) -> dict[str, int]:
        return {RED: self.red, YELLOW: self.yellow, GREEN: self.green, NOT_FILLED: self.not_filled}

    @property
    def reported_fen(self) -> Optional[int]:
        """截至执行数 of the records that have reported (None when none has)."""
        return self.executed_fen if self.projects > self.not_filled else None

    @property
    def rate(self) -> Optional[Fraction]:
        """执行率 over the projects that have reported (an unfilled record is unknown, not zero)."""
        return Fraction(self.executed_fen, self.filled_budget_fen) if self.filled_budget_fen > 0 else None


@dataclass(frozen=True)
class Summary:
    month: int
    overall: SummaryLine
    departments: tuple[SummaryLine, ...]
    red: tuple[MonitorRow, ...]  # furthest behind first
    sentence: str

    @property
    def schedule(self) -> Fraction:
        return Fraction(self.month, 12)

    @property
    def lines(self) -> tuple[SummaryLine, ...]:
        """The departments, then 合计: the rows of the page's table and of the 汇总 sheet."""
        return (*self.departments, self.overall)


@dataclass(frozen=True)
class ProjectionRow:
    """One line of 年末预计与重点监控: a project heading below the pack's year-end line (its
    estimate and what could be 调减), proposed for 重点监控 (why), or both."""

    row: MonitorRow
    projection: Optional[Projection]  # only when below the line
    reasons: tuple[str, ...] = ()

    @property
    def year_end_rate(self) -> Optional[Fraction]:
        return None if self.projection is None else self.projection.rate

    @property
    def cut_fen(self) -> Optional[int]:
        return None if self.projection is None else self.projection.suggested_cut_fen

    @property
    def record_id(self) -> int:
        return self.row.record_id

    @property
    def code(self) -> str:
        return self.row.code

    @property
    def name(self) -> str:
        return self.row.name

    @property
    def budget_fen(self) -> int:
        return self.row.budget_fen

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)

    @property
    def key(self) -> str:
        return "是" if self.row.is_key else ""


@dataclass(frozen=True)
class WarningRow:
    """One line of the 预警清单: a red or yellow project with its year-end estimate, what could be
    调减 (only when the estimate is below the line) and why the pack proposes it for 重点监控."""

    row: MonitorRow
    projection: Optional[Projection]
    reasons: tuple[str, ...] = ()

    @property
    def year_end_rate(self) -> Optional[Fraction]:
        return None if self.projection is None else self.projection.rate

    @property
    def cut_fen(self) -> Optional[int]:
        p = self.projection
        return p.suggested_cut_fen if p is not None and p.below_line else None

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)


@dataclass(frozen=True)
class RoundView:
    """Everything the 运行监控 page and its exports show for one round, computed once."""

    round: RoundRow
    rows: tuple[MonitorRow, ...]  # red first, furthest behind first
    summary: Summary
    projections: tuple[ProjectionRow, ...]  # the third tab, in the table's order
    warnings: tuple[WarningRow, ...]  # red and yellow, furthest behind first
    region: str = ""  # the one 区划 the view is of, as a title names it ("": every region's)
    by_region: tuple[SummaryLine, ...] = ()  # 按区划汇总: 本级 and each township (a county holding townships')

    @property
    def title(self) -> str:
        """The round's title, naming the region the view is of: 2023年1-8月（截至8月）（青石镇）."""
        return self.round.title + (f"（{self.region}）" if self.region else "")

    @property
    def month(self) -> int:
        return self.round.month

    @property
    def below_line(self) -> tuple[ProjectionRow, ...]:
        """Projects heading below the year-end line, lowest estimated rate first."""
        return tuple(sorted((p for p in self.projections if p.projection is not None), key=lambda p: p.year_end_rate))

    @property
    def candidates(self) -> tuple[ProjectionRow, ...]:
        """The pack's proposals for 重点监控 (the bureau confirms)."""
        return tuple(p for p in self.projections if p.reasons)


@dataclass(frozen=True)
class MonitoringView:
    """The page for a year: its rounds and the one shown (None: the year has no round yet)."""

    year: int
    rounds: tuple[RoundRow, ...]
    current: Optional[RoundView]
    refreshed: Optional[RefreshResult] = None  # what loading it changed (the round followed the year)


@dataclass(frozen=True)
class RefreshResult:
    """What 刷新批次 changed in a round's records not yet submitted (草稿 / 退回修改)."""

    projects_added: int = 0  # projects added to the year after the round opened: new 草稿 records
    budgets_changed: int = 0  # 全年预算数 following the project's current budget
    targets_added: int = 0  # records that now have an approved target (有绩效目标)
    indicators_added: int = 0  # indicator rows from approved targets
    indicators_updated: int = 0  # rows whose target value, nature or unit follow a re-approved target
    indicators_removed: int = 0  # rows of an indicator the target no longer has (nothing typed in them)

    @property
    def changed(self) -> bool:
        return any((self.projects_added, self.budgets_changed, self.targets_added, self.indicators_added,
                    self.indicators_updated, self.indicators_removed))

    @property
    def sentence(self) -> str:
        if not self.changed:
            return "批次已是最新，没有变化。"
        parts = [f"{word}{n}{unit}" for word, n, unit in (
            ("新增项目", self.projects_added, "个"), ("调整预算", self.budgets_changed, "个"),
            ("补入绩效目标", self.targets_added, "个"), ("新增指标行", self.indicators_added, "条"),
            ("更新指标行", self.indicators_updated, "条"), ("移除指标行", self.indicators_removed, "条")) if n]
        return "已刷新：" + "，".join(parts) + "。"


# -- one record (项目绩效运行监控表) ------------------------------------------------------------------
@dataclass
class ProgressDraft:
    """One indicator row of the record, as text."""

    id: int
    level3: str
    direction: str
    target: str
    unit: str
    completed: str = ""
    projected: str = ""
    cause_class: str = ""
    cause_note: str = ""
    likelihood: str = ""
    measures: str = ""
    needs_rectification: str = ""  # 是 / 否 (or empty)
    requirement: str = ""

    @property
    def missed(self) -> Optional[bool]:
        return misses(self.direction, self.target, self.projected)


@dataclass
class RecordDraft:
    record_id: int
    round_title: str
    month: int
    code: str
    name: str
    budget_fen: int
    status: str
    version: int
    has_target: bool
    executed: str = ""  # 万元 text
    projected: str = ""
    budget_cause: str = ""
    overall: str = ""
    likelihood: str = ""
    review_opinion: str = ""
    indicators: list[ProgressDraft] = field(default_factory=list)
    editable: bool = False  # the workflow lets its content change (草稿, 退回修改)
    actions: tuple[str, ...] = ()  # the workflow steps it can take now (提交, 审核通过, 退回修改, 退回)
    changed_since: str = ""  # submitted or passed: the budget or target changed since it was filed
    pack_version: Optional[int] = None  # its round's 规则方案 version: the light is judged by it


@dataclass(frozen=True)
class RecordSheet:
    """The 项目绩效运行监控表 as exported: the record with its light and rate."""

    draft: RecordDraft
    light: str
    rate: Optional[Fraction]
    opinions: tuple[tuple[str, str], ...] = ()  # 审核意见 per review level (none: the draft's single one)


# -- an import file, parsed ----------------------------------------------------------------------------
@dataclass(frozen=True)
class BudgetLine:
    """A row of the 预算执行 sheet: amounts in fen, None where the cell is empty (keep what is there)."""

    row: int
    code: str
    executed_fen: Optional[int]
    projected_fen: Optional[int]


@dataclass(frozen=True)
class ProgressLine:
    """A row of the 指标完成 sheet, as text; an empty cell keeps what the record holds."""

    row: int
    code: str
    level3: str
    completed: str = ""
    projected: str = ""
    cause_class: str = ""
    cause_note: str = ""
    likelihood: str = ""
    measures: str = ""


@dataclass(frozen=True)
class MonitoringFile:
    budget_sheet: str
    budget: tuple[BudgetLine, ...]
    progress_sheet: str
    progress: tuple[ProgressLine, ...]  # empty when the file has no 指标完成 sheet


def chart_labels(departments: list[str], width: int = 6) -> list[str]:
    """Department names short enough to stand under a bar: the county's own name in front (示范县…,
    shared by most of them) is left out, and what remains is cut to `width` characters."""
    import re
    from collections import Counter

    heads = Counter(m.group(0) for name in departments if (m := re.match(r"^.{1,5}?[县市区旗]", name)))
    common = heads.most_common(1)[0][0] if heads and heads.most_common(1)[0][1] > 1 else ""
    return [(name[len(common):] if common and name.startswith(common) and len(name) > len(common) else name)[:width]
            for name in departments]
