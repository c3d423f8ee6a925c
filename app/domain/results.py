"""结果应用: the measures an evaluation leads to, as the form edits them and as the year's table
shows them.

- `ResultDraft`: one measure as typed (措施, 对象, 影响年度, 金额 in 万元 text, 依据, 说明, 执行情况);
  `measure_id` None until the first save, `version` the one the form read.
- `ResultRow`: one stored measure (frozen), with its 依据 as a sentence.
- `ResultGroup` / `ResultCounts` / `ResultYear`: the measures decided in a year grouped by 措施 with
  a 小计 each, the 合计, and the figures provincial systems collect (in a county holding its
  townships' records, also per 区划)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

# 依据: the word kept in SourceLinks.source and the link it names (None: typed by hand, no link)
BASIS_KEY_EVAL, BASIS_SELF_EVAL, BASIS_MONITORING, BASIS_EXANTE = "重点评价", "自评", "监控", "事前评估"
BASIS_OTHER = "其他"
BASIS_WORDS = (BASIS_KEY_EVAL, BASIS_SELF_EVAL, BASIS_MONITORING, BASIS_EXANTE, BASIS_OTHER)
BASIS_LINKS = {BASIS_KEY_EVAL: "key_evaluation_id", BASIS_SELF_EVAL: "self_evaluation_id",
               BASIS_MONITORING: "monitoring_record_id", BASIS_EXANTE: "exante_id"}

# the object a measure is about
OBJECT_PROJECT, OBJECT_DEPARTMENT, OBJECT_NAME = "项目", "部门", "其他"


@dataclass
class ResultDraft:
    """What the form edits: text as typed (amount in 万元), ids for the chosen links."""

    year: int
    measure: str = ""
    project_id: Optional[int] = None
    department_id: Optional[int] = None
    object_name: str = ""  # a project's or department's name is taken from it; else required
    affect_year: str = ""  # blank: year + 1
    amount: str = ""  # 万元
    count: str = ""  # 数量（份/个）: how many reports a 公开 / 报人大 / 通报 covers (blank: one)
    basis: str = BASIS_OTHER
    basis_id: Optional[int] = None
    explanation: str = ""
    execution: str = ""
    note: str = ""
    measure_id: Optional[int] = None
    version: Optional[int] = None

    @property
    def saved(self) -> bool:
        return self.measure_id is not None


@dataclass(frozen=True)
class ResultRow:
    measure_id: int
    version: int
    year: int
    measure: str
    object_name: str
    object_kind: str  # 项目 / 部门 / 其他
    project_id: Optional[int]
    department_id: Optional[int]
    amount_fen: Optional[int]
    affect_year: Optional[int]
    basis: str  # the source word
    basis_id: Optional[int]
    basis_text: str  # 事前评估：教育综合改革专项资金
    explanation: str = ""
    execution: str = ""
    note: str = ""
    count: Optional[int] = None  # 数量（份/个）; blank: one
    region_code: str = ""  # 区划: the county's own code or a township's (a measure on a project: the project's)
    region: str = ""  # its name

    @property
    def reports(self) -> int:
        """The reports (份) this measure stands for: its 数量, one when blank."""
        return self.count or 1


@dataclass(frozen=True)
class ResultGroup:
    measure: str
    rows: tuple[ResultRow, ...]
    subtotal_fen: int  # blank amounts count as none


@dataclass(frozen=True)
class ResultCounts:
    """The figures provincial systems collect for a year."""

    problems: int = 0  # 问题数: 整改事项 of the year
    rectified: int = 0  # 已整改数: of those, 已销号
    cut_fen: int = 0  # 压减预算金额: 调减 + 压缩
    recovered_fen: int = 0  # 收回资金
    cancelled_projects: int = 0  # 取消项目数
    adjusted_projects: int = 0  # 调整项目数: objects with a 调减 or 压缩
    published: int = 0  # 重点评价报告 公开
    to_congress: int = 0  # 报送人大

    def lines(self) -> list[tuple[str, str, object]]:
        """(label, kind, value) in the order the counts sheet and the PDF block print them."""
        return [("问题数（个）", "int", self.problems), ("已整改数（个）", "int", self.rectified),
                ("压减预算金额（万元）", "money", self.cut_fen), ("收回资金（万元）", "money", self.recovered_fen),
                ("取消项目数（个）", "int", self.cancelled_projects),
                ("调整项目数（个）", "int", self.adjusted_projects),
                ("评价报告公开（份）", "int", self.published), ("报送人大（份）", "int", self.to_congress)]


@dataclass(frozen=True)
class ResultYear:
    year: int
    groups: tuple[ResultGroup, ...]
    total_fen: int
    counts: ResultCounts = field(default_factory=ResultCounts)
    region: str = ""  # the one region asked for, as its title names it ("" for all)
    region_column: bool = False  # the county holds townships' records: the table prints 区划
    regions: tuple[tuple[str, ResultCounts], ...] = ()  # (区划, its counts): a county with townships, all asked

    @property
    def rows(self) -> tuple[ResultRow, ...]:
        return tuple(r for g in self.groups for r in g.rows)
