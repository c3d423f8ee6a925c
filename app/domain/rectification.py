"""整改台账: the words of the ledger, the draft a form edits and the frozen rows a service returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Optional

# -- the closed lists ---------------------------------------------------------------------------------
TO_DO, DOING, TO_VERIFY, CLOSED = "待整改", "整改中", "已整改待核验", "已销号"
STATES = (TO_DO, DOING, TO_VERIFY, CLOSED)
OPEN_STATES = (TO_DO, DOING)  # the states an item can be 逾期 in (and be edited in)
OVERDUE = "逾期"  # derived from the date, never stored

# 钢城's seven
CATEGORIES = ("立项", "绩效目标", "资金投入", "资金管理", "组织管理", "产出效果", "满意度调查")

MONITORING, SELF_EVAL, KEY_EVAL, EXANTE, VERIFICATION, AUDIT = "监控", "自评", "重点评价", "事前评估", "真实性核查", "审计"
SOURCES = (MONITORING, SELF_EVAL, KEY_EVAL, EXANTE, VERIFICATION, AUDIT)

PASSED, FAILED = "通过", "未通过"
VERIFY_RESULTS = (PASSED, FAILED)


@dataclass
class RectificationDraft:
    """What the item form edits. Dates are dates (None: not given); text as typed."""

    item_id: Optional[int]
    year: int
    status: str = TO_DO
    version: int = 0
    source: str = AUDIT
    category: str = ""
    description: str = ""
    requirement: str = ""
    responsible: str = ""
    feedback_date: Optional[date] = None
    deadline: Optional[date] = None
    measures: str = ""
    progress: str = ""
    completed_on: Optional[date] = None
    verify_result: str = ""
    verifier: str = ""
    verified_on: Optional[date] = None
    closed: bool = False
    project_id: Optional[int] = None
    department_id: Optional[int] = None
    project_code: str = ""
    project_name: str = ""
    uuid: str = ""
    links: dict[str, int] = field(default_factory=dict)  # the source link column → id
    verify_opinion: str = ""  # 核验意见
    source_ref: str = ""  # 来源编号

    # what the form enables for the user who opened it (the service's workflow.offered / may_edit);
    # None: not said — the workflow's answer for the state alone
    actions: Optional[tuple[str, ...]] = None
    editable: Optional[bool] = None

    @property
    def saved(self) -> bool:
        return self.item_id is not None


@dataclass(frozen=True)
class LedgerRow:
    """One item of the 台账 as it stands on the ledger's date."""

    item_id: int
    version: int
    year: int
    source: str
    category: str
    description: str
    requirement: str
    responsible: str
    project_code: str
    project_name: str
    feedback_date: Optional[date]
    deadline: Optional[date]
    measures: str
    progress: str
    completed_on: Optional[date]
    verify_result: str
    verifier: str
    verified_on: Optional[date]
    status: str
    overdue: bool
    overdue_days: int  # 0 when not overdue
    region_code: str = ""  # 区划: the county's own code or a township's
    region: str = ""  # its name

    @property
    def shown_status(self) -> str:
        """The state with 逾期 beside it when overdue on the ledger's date (待整改（逾期）)."""
        return f"{self.status}（{OVERDUE}）" if self.overdue else self.status


@dataclass(frozen=True)
class UnitSummary:
    """One line of a 汇总: by 责任单位 (`responsible` its name), or by 区划 (the region's name)."""

    responsible: str
    count: int
    closed: int
    overdue: int


@dataclass(frozen=True)
class LedgerView:
    year: int
    at: date
    rows: tuple[LedgerRow, ...]
    units: tuple[UnitSummary, ...]
    regions: tuple[UnitSummary, ...] = ()  # 按区划汇总: a county with townships, all regions asked
    region: str = ""  # the one region asked for, as its title names it ("" for all)
    region_column: bool = False  # the county holds townships' records: the 区划 column is printed

    @property
    def total(self) -> UnitSummary:
        return UnitSummary("合计", sum(u.count for u in self.units), sum(u.closed for u in self.units),
                           sum(u.overdue for u in self.units))


@dataclass(frozen=True)
class NoticeView:
    """整改通知书 to one 责任单位."""

    bureau: str
    doc_no: str
    issued_on: date
    responsible: str
    rows: tuple[LedgerRow, ...]


@dataclass(frozen=True)
class ImportedRectification:
    """One row of an import file, its words in their stored form (a bad cell left as None)."""

    row: int
    source: str
    source_ref: str
    year: Optional[int]
    project_code: str
    category: str
    description: str
    requirement: str
    responsible: str
    feedback_date: Optional[date]
    deadline: Optional[date]
    measures: str
    completed_on: Optional[date]
    status: str
