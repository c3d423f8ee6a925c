"""事前绩效评估 as plain data: what the assessment form edits (a draft, text as typed), the rows of the
page, of the 汇总表 and of the 需要事前评估 list (frozen views), the report as printed, and what an
import file holds. The scoring itself is app.rules.exante."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Optional

PROJECT = "项目"  # ExAnteAssessment.object_type: a project of the year
NAMED = "新项目/政策"  # a subject named only (a new project or a policy not in the project list)
CONCLUSIONS = ("予以支持", "调整后支持", "不予支持")
RATINGS = ("优", "良", "中", "差")
GRADES = RATINGS
EVALUATOR_KINDS = ("财政", "第三方")
METHOD = "部门自评估＋财政/第三方审核评估"
MARK = "需事前评估"  # what the target and project pages show beside a project needing one
NEW_PROJECT, INCREASE = "新增项目", "延续项目增幅"  # the two triggers, as the list says them


@dataclass
class ExAnteLine:
    """One sub-item of a dimension: 分值 from the pack, and for both the 部门自评估 and the 审核评估
    a rating (优/良/中/差) and the points as typed ("" = the rating's suggested share of 分值)."""

    dimension: str = ""
    name: str = ""
    points: str = ""
    standard: str = ""
    self_grade: str = ""
    self_score: str = ""
    grade: str = ""
    score: str = ""
    note: str = ""  # 评分说明 (why points were taken off when no rating says it)
    id: Optional[int] = None


@dataclass
class ExAnteDraft:
    """What the assessment form edits. `assessment_id` None: not saved yet (the first save creates
    it). `printed`: a past assessment taken as printed (no items): its 得分 and 等级 are kept."""

    assessment_id: Optional[int]
    year: int
    status: str
    version: int
    project_id: Optional[int] = None
    object_name: str = ""
    code: str = ""
    department: str = ""
    requested: str = ""  # 申报金额 (万元, as typed)
    recommended: str = ""  # 建议安排金额
    method: str = METHOD
    evaluator_kind: str = "财政"
    agency_id: Optional[int] = None
    evaluator_name: str = ""
    conclusion: str = ""
    lines: list[ExAnteLine] = field(default_factory=list)
    report_basic: str = ""
    report_work: str = ""
    report_conclusion: str = ""
    report_suggestions: str = ""
    expert_opinion: str = ""
    review_opinion: str = ""
    note: str = ""
    printed: bool = False
    printed_total: Optional[Decimal] = None
    printed_grade: str = ""
    pack_version: Optional[int] = None
    uuid: str = ""

    # what the form enables for the user who opened it (the service's workflow.offered / may_edit);
    # None: not said — the workflow's answer for the state alone
    actions: Optional[tuple[str, ...]] = None
    editable: Optional[bool] = None

    @property
    def saved(self) -> bool:
        return self.assessment_id is not None

    @property
    def subject(self) -> str:
        return f"{self.code} {self.object_name}".strip()


# -- what the page and the reports show ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ExAnteRow:
    """A line of the 事前绩效评估 page and of the year's 汇总表."""

    assessment_id: int
    project_id: Optional[int]
    code: str
    name: str
    department: str
    requested_fen: Optional[int]
    recommended_fen: Optional[int]
    cut_fen: Optional[int]
    self_score: Optional[Decimal]
    total: Optional[Decimal]
    grade: str
    conclusion: str
    status: str
    evaluator: str
    printed: bool = False
    search_key: str = ""
    region_code: str = ""  # 区划: the county's own code or a township's
    region: str = ""  # its name


@dataclass(frozen=True, slots=True)
class NeedingRow:
    """A project of the year the pack's trigger says needs an 事前评估 and that has none."""

    project_id: int
    code: str
    name: str
    department: str
    category: str
    annual_fen: int
    previous_fen: Optional[int]  # 延续: the previous year's 全年预算数
    reason: str  # the sentence: 新增项目，全年预算数≥100万元 / 较上年增长35.00%
    region_code: str = ""  # the project's 区划
    region: str = ""


@dataclass(frozen=True)
class ExAnteSummary:
    year: int
    rows: tuple[ExAnteRow, ...]
    requested_fen: int
    recommended_fen: int
    cut_fen: int
    region: str = ""  # the one region asked for, as its title names it ("" for all)
    region_column: bool = False  # the county holds townships' assessments: the table prints 区划


@dataclass(frozen=True)
class ExAnteReportView:
    """One assessment's report as printed (all text): the fields, the five dimensions side by side
    (部门自评估 vs 审核评估), the items, and the outline's four sections plus 专家意见."""

    title: str
    fields: tuple[tuple[str, str], ...]
    dimension_header: tuple[str, ...]
    dimension_rows: tuple[tuple[str, ...], ...]
    item_header: tuple[str, ...]
    item_rows: tuple[tuple[str, ...], ...]
    conclusion_line: str
    sections: tuple[tuple[str, str], ...]
    note: str = ""


@dataclass(frozen=True)
class ImportedExAnte:
    """A row of the 事前评估 sheet (a past assessment as printed)."""

    row: int
    year: int
    code: str
    name: str
    requested_fen: Optional[int]
    recommended_fen: Optional[int]
    score: Optional[Decimal]
    grade: str
    conclusion: str
    evaluator: str
