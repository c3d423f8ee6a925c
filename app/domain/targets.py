"""绩效目标 as plain data: what the target form edits (drafts, text as typed), the rows of the page
and of the reports (frozen views), what an import file holds, and the pure checks on a grid that
the form save and the import share."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Iterable, Optional

from app.rules.fields import FieldInvalid, money_wan
from app.rules.target_check import IndicatorIn, TargetIn, first_number
from app.rules.validation import Report

PROJECT, DEPARTMENT = "项目支出", "部门整体支出"
NOT_STARTED = "未填报"  # a project (or department) without a target yet
DIRECTIONS = ("≥", "≤", "=", "定性")
# 指标性质 as users type, paste and import it (ASCII, full-width, the 一体化 systems' words), by the
# one canonical form stored; read through `canonical_direction` everywhere
DIRECTION_SPELLINGS = {
    "≥": ("≥", ">=", "=>", "≧", "⩾", "大于等于", "大于或等于", "不小于", "不低于", "不少于", "正向"),
    "≤": ("≤", "<=", "=<", "≦", "⩽", "小于等于", "小于或等于", "不大于", "不高于", "不超过", "反向"),
    "=": ("=", "==", "等于"),
    "定性": ("定性",),
}
_DIRECTION_OF = {spelling: canonical for canonical, spellings in DIRECTION_SPELLINGS.items() for spelling in spellings}
LEVEL1 = ("产出", "效益", "满意度", "履职效能", "管理效率")


# -- what the form edits ---------------------------------------------------------------------------
@dataclass
class IndicatorDraft:
    level1: str = "产出"
    level2: str = ""
    level3: str = ""
    direction: str = "≥"
    value: str = ""
    unit: str = ""
    points: str = ""
    explanation: str = ""
    last_year: str = ""
    library_id: Optional[int] = None


@dataclass
class TaskDraft:
    """年度主要任务 of a 部门整体 target: what, and its 预算数 in 万元 as typed."""

    content: str = ""
    budget: str = ""


@dataclass
class TargetDraft:
    """What the target form edits: header text and the grid, all as text. A 项目支出 target has a
    project_id; a 部门整体支出 target a department_id, 部门职能 and 年度主要任务. Whether it may be
    edited is the workflow's answer for its status: `TARGETS.can_edit(draft.status)`."""

    target_id: Optional[int]  # None: not saved yet (the first save creates it)
    project_id: Optional[int]
    year: int
    status: str
    version: int
    overall_goal: str = ""
    annual_goal: str = ""
    funds_fen: Optional[int] = None
    indicators: list[IndicatorDraft] = field(default_factory=list)
    kind: str = PROJECT
    department_id: Optional[int] = None
    functions: str = ""
    tasks: list[TaskDraft] = field(default_factory=list)
    revision: int = 1  # above 1: earlier approved versions are kept (snapshots)
    # what the form enables for the user who opened it (the service's workflow.offered / may_edit);
    # None: not said — the workflow's answer for the state alone
    actions: Optional[tuple[str, ...]] = None
    editable: Optional[bool] = None
    # the 规则方案 versions its stored scores were computed with: the check's 质量得分 (at the last
    # save) and the 绩效科 审核得分 (at the review that gave it; None: not scored)
    pack_version: Optional[int] = None
    review_score: Optional[Decimal] = None
    review_version: Optional[int] = None

    @property
    def saved(self) -> bool:
        """Whether the target is in the database (an opened target is not, until its first save)."""
        return self.target_id is not None


# -- what the page and the reports show ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TargetRow:
    """A line of the 绩效目标 page: a project (项目支出) or a department (部门整体支出) with its target's state."""

    project_id: Optional[int]
    code: str
    name: str
    department: str
    annual_fen: int
    status: str  # 未填报 when there is no target yet
    quality_score: Optional[Decimal]
    review_score: Optional[Decimal]
    search_key: str = ""
    department_id: Optional[int] = None
    mark: str = ""  # 需事前评估 (see app.services.exante_year.exante_marks)
    region_code: str = ""  # 区划代码 of the project (department)
    region: str = ""  # the region's name (app.services.regions)
    versions: str = ""  # the 规则方案 version(s) its scores were computed with (score_versions)


def score_versions(quality: Optional[int], review: Optional[int]) -> str:
    """The 规则方案 version a target's 质量得分 and 审核得分 were computed with, as a list or a table
    says it: 第1版 (both, or the 质量得分 alone before any review), 质量第1版，审核第2版 when they differ."""
    if review is None or review == quality:
        return f"第{quality}版" if quality else ""
    return f"质量第{quality}版，审核第{review}版" if quality else f"审核第{review}版"


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """A line of the 自动检查结果 workbook: one finding (or 无 for a target without any)."""

    code: str
    name: str
    quality_score: Decimal
    severity: str
    where: str
    problem: str
    advice: str


@dataclass(frozen=True, slots=True)
class SummaryLine:
    """A line of the 审核汇总表."""

    code: str
    name: str
    department: str
    annual_fen: int
    status: str
    quality_score: Decimal
    review_score: Optional[Decimal]
    errors: int
    warnings: int
    hints: int
    region: str = ""  # the 区划's name (a county holding townships' targets)
    versions: str = ""  # the 规则方案 version(s) of its 质量得分 and 审核得分 (score_versions)


@dataclass(frozen=True)
class TargetFormView:
    """The 绩效目标申报表 of one target, as text: header pairs, full-width blocks, indicator rows."""

    kind: str
    year: int
    status: str
    fields: tuple[tuple[str, str], ...]
    texts: tuple[tuple[str, str], ...]
    rows: tuple[tuple[str, ...], ...]


# -- what an import file holds ---------------------------------------------------------------------
@dataclass
class ImportedTarget:
    """One project's target in a flat file: its rows' indicators and the rows they stand on."""

    first_row: int
    year: int
    code: str
    overall: str = ""
    annual: str = ""
    indicators: list[IndicatorDraft] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)  # file row of each indicator
    sheet: str = ""  # the sheet it was read from (to name its cells)


# -- pure checks -----------------------------------------------------------------------------------
def canonical_direction(text: str) -> str:
    """指标性质 in its stored form: ≥ ≤ = 定性 from any spelling users write — ASCII >= <=,
    full-width ＞＝ ＜＝ ≧ ≦, 大于等于 / 小于等于 / 等于, 正向 / 反向 (with or without 指标). Text that
    is none of them comes back stripped, for the grid validation to name."""
    compact = "".join(unicodedata.normalize("NFKC", text or "").split())
    found = _DIRECTION_OF.get(compact)
    if found is None and compact.endswith("指标"):
        found = _DIRECTION_OF.get(compact[:-2])
    return found or (text or "").strip()


def canonical_rows(rows: Iterable[IndicatorDraft]) -> list[IndicatorDraft]:
    """Copies of the rows with their 指标性质 in the stored form."""
    return [replace(r, direction=canonical_direction(r.direction)) for r in rows]


def points_of(text: str) -> Optional[Decimal]:
    """分值 text as a number (None when empty or not a number ≥ 0)."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value >= 0 else None


def first_number_of(text: str) -> Optional[Decimal]:
    return first_number(text)


def task_budget_fen(text: str) -> Optional[int]:
    """A task's 预算数 (万元 text) in fen; None when empty or not an amount ≥ 0."""
    try:
        return money_wan(required=False)(text)
    except FieldInvalid:
        return None


def check_input(draft: TargetDraft) -> TargetIn:
    """The draft as the automatic check reads it."""
    return TargetIn(year=draft.year, annual_goal=draft.annual_goal, funds_fen=draft.funds_fen, kind=draft.kind,
                    indicators=[IndicatorIn(i.level1, i.level2, i.level3, canonical_direction(i.direction), i.value,
                                            i.unit, points_of(i.points), i.last_year) for i in draft.indicators])


def validate_grid(draft: TargetDraft) -> Report:
    """Cell problems the grid shows inline (and an import names by cell); field keys are
    "row:column" (0-based row), a task's "task<n>:budget"."""
    report = Report()
    for n, ind in enumerate(draft.indicators):
        if ind.level1 not in LEVEL1:
            report.add(f"{n}:level1", f"应为{'、'.join(LEVEL1)}之一")
        if not ind.level2.strip():
            report.add(f"{n}:level2", "为必填项")
        if canonical_direction(ind.direction) not in DIRECTIONS:
            report.add(f"{n}:direction", "应为≥、≤、=或定性")
        if ind.points.strip() and points_of(ind.points) is None:
            report.add(f"{n}:points", "应为不小于0的数字")
    for n, task in enumerate(draft.tasks):
        if task.budget.strip() and task_budget_fen(task.budget) is None:
            report.add(f"task{n}:budget", f"年度主要任务第{n + 1}项的预算数应为不小于0的万元金额，如 12.5")
    return report


def rows_from_text(text: str) -> list[IndicatorDraft]:
    """Rows pasted from Excel (tab-separated, in the grid's column order); a header row is skipped;
    指标性质 is read in its stored form (>= → ≥)."""
    rows = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        cells = [c.strip() for c in line.split("\t")]
        if not any(cells) or cells[0] in ("一级指标", "一级"):
            continue
        cells += [""] * (9 - len(cells))
        row = IndicatorDraft(*cells[:9])
        rows.append(replace(row, direction=canonical_direction(row.direction)))
    return rows
