"""绩效自评 as plain data: what the 自评表 form edits (drafts, text as typed), the rows of the page
and of the 汇总表 (frozen views), what an import file holds, and the lines of the consistency check
and of a 真实性核查 draw. The scoring itself is app.rules.self_eval."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Optional

PROJECT, DEPARTMENT = "项目", "部门整体"  # SelfEvaluation.object_type
NOT_STARTED = "未填报"  # a project (or department) of the year without a 自评表 yet
BUDGET_ROWS = ("总额", "财政资金", "其他资金")  # 项目: 预算执行 rows
DEPARTMENT_BUDGET_ROWS = ("合计", "基本支出", "项目支出")  # 部门整体: 预算执行 rows
RATINGS = ("达成", "部分达成", "未达成")  # 定性 indicators
GRADES = ("优", "良", "中", "差")


# -- what the form edits ---------------------------------------------------------------------------
@dataclass
class IndicatorLine:
    """One indicator of a project's 自评表 — or one item of a department's scoring tree (then
    direction is "", `standard` holds the 评分标准, `score_note` the 扣分原因 and `rule` may name a
    formula such as 预算执行率). Text as typed; `score` "" means it follows the 参考得分."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    direction: str = "≥"
    target_value: str = ""
    unit: str = ""
    actual: str = ""
    rating: str = ""  # 达成 / 部分达成 / 未达成 (定性); "" = read from the actual's words
    applicable: bool = True
    weight: Optional[Decimal] = None  # the target's 分值: splits its category's points
    points: str = ""  # 分值: derived from the pack on an own table; as printed on an imported one
    score: str = ""  # 得分 as typed; "" = the 参考得分
    score_note: str = ""  # 评分说明 (部门整体: 扣分原因)
    deviation: str = ""  # 偏差原因分析及改进措施 (also explains 目标设置偏低)
    standard: str = ""
    rule: str = ""
    target_indicator_id: Optional[int] = None
    id: Optional[int] = None


@dataclass
class BudgetLine:
    """A 预算执行 row: 年初预算数, 全年预算数 (调整后), 全年执行数 in 万元 as typed."""

    label: str
    initial: str = ""
    annual: str = ""
    executed: str = ""


@dataclass
class SelfEvalDraft:
    """What the 自评表 form edits. `eval_id` None: not saved yet (the first save creates it)."""

    eval_id: Optional[int]
    kind: str  # 项目 / 部门整体
    year: int
    status: str
    version: int
    project_id: Optional[int] = None
    department_id: Optional[int] = None
    code: str = ""
    name: str = ""
    department: str = ""  # 主管部门
    unit: str = ""  # 实施单位
    budget: list[BudgetLine] = field(default_factory=list)  # three rows, total first
    budget_points: str = ""  # 预算执行 分值 (from the pack)
    budget_score: str = ""  # 得分 as typed; "" = the 参考得分
    budget_cause: str = ""  # 原因
    indicators: list[IndicatorLine] = field(default_factory=list)
    goal_actual: str = ""  # 年度目标 vs 实际完成情况 (部门整体: 年度主要工作完成情况)
    process_summary: str = ""
    conclusion: str = ""
    problems: str = ""
    improvements: str = ""
    project_leader: str = ""
    finance_leader: str = ""
    review_opinion: str = ""
    as_printed: bool = False  # imported as printed: 总分 / 执行率 / 等级 kept, judged by the check
    # settled: its scores are kept as stored, never re-scored — a table imported as printed, or one
    # submitted or passed (scored under the pack version it records); printed_total / printed_grade
    # then hold the kept 总分 and 等级
    settled: bool = False
    printed_total: Optional[Decimal] = None
    printed_grade: str = ""
    printed_rate: str = ""
    pack_version: Optional[int] = None
    target_version: Optional[int] = None  # the approved target's version the indicator rows follow
    target_changed: bool = False  # the approved target changed since its rows were copied
    preset: str = ""  # 部门整体: the scoring-tree preset
    staff_quota: str = ""
    staff_actual: str = ""
    functions: str = ""
    uuid: str = ""  # to attach 佐证材料 once saved
    # what the form enables for the user who opened it (the service's workflow.offered / may_edit);
    # None: not said — the workflow's answer for the state alone
    actions: Optional[tuple[str, ...]] = None
    editable: Optional[bool] = None

    @property
    def saved(self) -> bool:
        return self.eval_id is not None

    @property
    def is_department(self) -> bool:
        return self.kind == DEPARTMENT


# -- what the page and the reports show ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class SelfEvalRow:
    """A line of the 绩效自评 page and of the 自评汇总表: a project (or department) of the year with
    its 自评表's state, money and scores (未填报 when there is none yet)."""

    eval_id: Optional[int]
    kind: str
    project_id: Optional[int]
    department_id: Optional[int]
    code: str
    name: str
    department: str
    annual_fen: Optional[int]
    executed_fen: Optional[int]
    rate: Optional[Decimal]  # 执行率 as a fraction (printed rate on an imported table)
    reference_total: Optional[Decimal]
    total: Optional[Decimal]
    grade: str
    status: str
    problems: int  # findings of the consistency check
    as_printed: bool = False
    search_key: str = ""
    region_code: str = ""  # 区划代码 of the table (of the project or department while 未填报)
    region: str = ""  # the region's name (app.services.regions)


@dataclass(frozen=True, slots=True)
class GradeShare:
    grade: str
    count: int
    share: Decimal  # percent, 2 decimals


@dataclass(frozen=True)
class SelfEvalSummary:
    """The 自评汇总表 of a year: its rows, the 等级分布 and the sentence offices write."""

    year: int
    rows: tuple[SelfEvalRow, ...]
    distribution: tuple[GradeShare, ...]
    sentence: str
    departments: tuple[tuple[str, int, Optional[Decimal], dict], ...] = ()  # 部门, 份数, 平均分, {等级: 份数}
    region: str = ""  # the one 区划 the summary is of, as a title names it ("": every region's)
    # 按区划汇总 (a county holding townships' tables): 区划, 自评表份数, 已评定份数, 平均分, {等级: 份数}; then 合计
    regions: tuple[tuple[str, int, int, Optional[Decimal], dict], ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    """One line of the consistency check: which table, which row, a category word and a sentence."""

    code: str
    name: str
    where: str  # 指标“…” / 预算执行 / 总分 / 评价等级
    category: str  # 未达成却满分, 达成却扣分, 总分不符, 口径, 等级不符, 分值即得分, 执行率不符, …
    problem: str
    filed: str = ""  # 填报值
    reference: str = ""  # 参考值


@dataclass(frozen=True)
class SelfEvalFormView:
    """The 项目支出绩效自评表 (or 部门整体) of one table, as text, for the PDF and the xlsx."""

    kind: str
    year: int
    status: str
    title: str
    fields: tuple[tuple[str, str], ...]  # 项目名称, 项目编码, 主管部门, 实施单位 …
    budget_header: tuple[str, ...]
    budget_rows: tuple[tuple[str, ...], ...]
    indicator_header: tuple[str, ...]
    indicator_rows: tuple[tuple[str, ...], ...]
    total: str
    grade: str
    texts: tuple[tuple[str, str], ...]  # 年度目标完成情况, 存在问题, 改进措施 …
    signatures: tuple[tuple[str, str], ...]  # 项目负责人, 财务负责人
    pack_note: str = ""


# -- what an import file holds ---------------------------------------------------------------------
@dataclass
class ImportedBudgetRow:
    row: int
    code: str
    year: int
    line: str  # 总额 / 财政资金 / 其他资金
    initial_fen: Optional[int]
    annual_fen: Optional[int]
    executed_fen: Optional[int]
    rate: str  # as printed ("" when not given)
    points: Optional[Decimal]
    score: Optional[Decimal]
    cause: str
    total: Optional[Decimal]
    grade: str
    status: str


@dataclass
class ImportedIndicatorRow:
    row: int
    code: str
    year: int
    level1: str
    level2: str
    level3: str
    direction: str
    target_value: str
    unit: str
    actual: str
    points: Optional[Decimal]
    score: Optional[Decimal]
    score_note: str
    deviation: str


@dataclass
class ImportedSelfEvals:
    """Both sheets of a 自评表 file, as parsed (money in fen, scores as Decimal)."""

    budget: list[ImportedBudgetRow] = field(default_factory=list)
    indicators: list[ImportedIndicatorRow] = field(default_factory=list)
    budget_sheet: str = "预算执行"
    indicator_sheet: str = "指标"


# -- 真实性核查 ------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class DrawnRow:
    eval_id: int
    code: str
    name: str
    department: str
    total: Optional[Decimal]
    grade: str
    region_code: str = ""  # the drawn table's 区划 (a county may draw from its townships' tables)


@dataclass(frozen=True)
class DrawView:
    sample_id: int
    year: int
    seed: str
    population: int
    by_department: bool
    drawn_on: Optional[date]
    rows: tuple[DrawnRow, ...]


@dataclass(frozen=True, slots=True)
class CheckLine:
    """One core indicator of a drawn table and what the check of its evidence found."""

    item_id: Optional[int]
    eval_id: int
    indicator_id: int
    code: str
    name: str
    level3: str
    target_value: str
    actual: str
    result: str  # 佐证与填报一致 / 佐证与填报不一致 / "" (not yet checked)
    note: str
    status: str  # 待整改 for a 不一致 finding
