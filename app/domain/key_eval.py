"""重点评价 as plain data: what the evaluation form edits (text as typed), the rows of the page, the
年度 附件 tables and the 报告摘要 (frozen views), and what an import file holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

PROJECT, DEPARTMENT, POLICY, TOWNSHIP = "项目", "部门整体", "政策", "下级财政运行"
SUBJECT_TYPES = (PROJECT, DEPARTMENT, POLICY, TOWNSHIP)
BUREAU, THIRD_PARTY = "财政", "第三方"


@dataclass
class TreeLine:
    """A leaf of the scoring tree (or a dimension on a dimension-only table): names, 分值 and 得分
    as typed, 评分标准, 扣分原因, 佐证; the grade as printed on an imported report."""

    level1: str = ""
    level2: str = ""
    level3: str = ""
    points: str = ""
    score: str = ""
    standard: str = ""
    deduction: str = ""
    evidence: str = ""
    printed_grade: str = ""
    id: Optional[int] = None


@dataclass(frozen=True)
class ProblemItem:
    """A rectification item made from the evaluation's problems (the ledger is issue 13)."""

    id: int
    description: str
    status: str


@dataclass
class KeyEvalDraft:
    """What the 重点评价 form edits. `eval_id` None: not saved yet (the first save creates it)."""

    eval_id: Optional[int]
    year: int  # the budget year the evaluation covers
    status: str
    version: int
    code: str = ""  # 评价编号 (钢城: A-01)
    object_type: str = PROJECT
    object_name: str = ""
    project_id: Optional[int] = None
    department_id: Optional[int] = None
    unit_name: str = ""  # 实施单位
    office: str = ""  # 归口科室
    fund_type: str = ""
    budget: str = ""  # 预算批复金额（万元）as typed
    spend: str = ""  # 实际支出（万元）
    printed_rate: str = ""
    evaluator_kind: str = BUREAU
    agency_id: Optional[int] = None
    evaluator_name: str = ""
    methods: str = ""  # 现场调研、问卷调查 …
    preset: str = ""
    leaves: list[TreeLine] = field(default_factory=list)
    main_performance: str = ""
    problems: str = ""
    suggestions: str = ""
    summary_funds: str = ""
    summary_conclusion: str = ""
    summary_problems: str = ""
    summary_suggestions: str = ""
    review_opinion: str = ""
    as_printed: bool = False  # a past report: 综合得分 and 等级 as printed, judged by the check
    printed_total: Optional[Decimal] = None
    printed_grade: str = ""
    published: bool = False
    reported_to_congress: bool = False
    rectifications: tuple[ProblemItem, ...] = ()
    uuid: str = ""
    pack_version: Optional[int] = None  # the 规则方案 version its stored score was computed with

    # what the form enables for the user who opened it (the service's workflow.offered / may_edit);
    # None: not said — the workflow's answer for the state alone
    actions: Optional[tuple[str, ...]] = None
    editable: Optional[bool] = None

    @property
    def saved(self) -> bool:
        return self.eval_id is not None


@dataclass(frozen=True, slots=True)
class KeyEvalRow:
    """A line of the 重点评价 page and of the year's tables."""

    eval_id: int
    year: int
    code: str
    object_type: str
    object_name: str
    unit_name: str
    office: str
    fund_type: str
    budget_fen: Optional[int]
    spend_fen: Optional[int]
    rate: Optional[Decimal]  # fraction
    total: Optional[Decimal]
    grade: str
    status: str
    evaluator: str
    findings: int
    as_printed: bool = False
    search_key: str = ""
    region_code: str = ""  # 区划: the county's own code or a township's
    region: str = ""  # its name
    pack_version: Optional[int] = None  # the 规则方案 version its score was computed with (None: as printed)


@dataclass(frozen=True)
class KeyEvalYear:
    """The year's evaluations: rows in 评价编号 order, 附件1 明细表, 附件2 综合评分统计表, the grade count."""

    year: int
    rows: tuple[KeyEvalRow, ...]
    grade_sentence: str  # 9个项目评价结果为“优”，2个项目评价结果为“良”
    region: str = ""  # the one region asked for, as its title names it ("" for all)
    region_column: bool = False  # the county holds townships' evaluations: the tables print 区划
    versions: str = ""  # 综合评分按规则方案第1版计分。 (序号 by version when they differ)


@dataclass(frozen=True)
class DimensionLine:
    name: str
    weight: str  # 权重 (as a percent of 100)
    points: Decimal
    score: Optional[Decimal]
    grade: str


@dataclass(frozen=True)
class KeyEvalReport:
    """The 报告摘要 (德惠's four sections) and 潜江's dimension table of one evaluation."""

    title: str
    funds: str  # 一、项目资金投入及支出情况
    conclusion: str  # 二、评价结论 (score, grade, the dimension sentence)
    problems: str  # 三、存在问题及原因
    suggestions: str  # 四、有关建议
    dimensions: tuple[DimensionLine, ...]
    total: Optional[Decimal]
    grade: str
    evaluator: str
    pack_note: str = ""  # 综合得分和评价等级按规则方案第N版计分。


# -- what an import file holds ---------------------------------------------------------------------
@dataclass
class ImportedEvaluation:
    row: int
    code: str  # 评价编号
    year: int
    object_type: str
    project_code: str
    object_name: str
    unit_name: str
    office: str
    fund_type: str
    budget_fen: Optional[int]
    spend_fen: Optional[int]
    evaluator: str
    total: Optional[Decimal]
    grade: str
    rate: str = ""


@dataclass
class ImportedScore:
    row: int
    code: str  # 评价编号
    level1: str
    level2: str
    level3: str
    points: Optional[Decimal]
    score: Optional[Decimal]
    grade: str
    deduction: str


@dataclass
class ImportedEvaluations:
    evaluations: list[ImportedEvaluation] = field(default_factory=list)
    scores: list[ImportedScore] = field(default_factory=list)
    evaluation_sheet: str = "评价项目"
    score_sheet: str = "评分"
