"""项目 as plain data: the fields (one spec for the form, the import and the export), the rule
object both the form save and the import validate with, the list's frozen view rows with their
instant search, and what an import file parses into. Money is fen; the spec parses 万元 text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Optional

from app.money import fmt_wan
from app.rules import fields as F
from app.rules.validation import Report

FUND_TYPES = ("一般公共预算", "政府性基金预算", "国有资本经营预算", "社会保险基金预算", "专项债券")
CATEGORIES = ("新增", "延续")

PROJECT_FIELDS: list[F.FieldSpec] = [
    F.FieldSpec("code", "项目编码", F.code(32), True, "本年度内唯一，按文本填写，保留前导0"),
    F.FieldSpec("name", "项目名称", F.text(200), True),
    F.FieldSpec("year", "年度", F.year, True, "四位年份，如2023"),
    F.FieldSpec("department", "主管部门", F.text(120), True, "填“[编码]名称”，如[213001]钢城区城市管理局；新部门将自动建立"),
    F.FieldSpec("unit", "实施单位", F.text(120), True, "填“[编码]名称”；与主管部门相同时照填"),
    F.FieldSpec("fund_type", "资金性质", F.choice(FUND_TYPES), True, "、".join(FUND_TYPES) + "之一"),
    F.FieldSpec("category", "项目类别", F.choice(CATEGORIES), True, "新增或延续"),
    F.FieldSpec("initial_budget", "年初预算数（万元）", F.money_wan(), True, "不小于0的数字，单位万元，最多6位小数"),
    F.FieldSpec("annual_budget", "全年预算数（万元）", F.money_wan(), True, "调整后全年预算数，单位万元"),
    F.FieldSpec("office", "归口科室", F.text(50, required=False), False, "财政归口科室，如经建科"),
    F.FieldSpec("fiscal", "财政拨款（万元）", F.money_wan(required=False), False, "不填时视为等于全年预算数减其他资金"),
    F.FieldSpec("other", "其他资金（万元）", F.money_wan(required=False), False, "财政拨款+其他资金应等于全年预算数"),
    F.FieldSpec("is_key", "重点项目", F.yes_no, False, "是或否，不填为否"),
    F.FieldSpec("parent_code", "上级项目编码", F.code(32, required=False), False, "二级项目填所属一级项目的编码"),
    F.FieldSpec("period_start", "实施期起", F.month(), False, "年月，如2023-01"),
    F.FieldSpec("period_end", "实施期止", F.month(), False, "年月，如2023-12"),
]
# Only in files (not on the form): where a county holds townships' projects, which region's project a
# row is (app.services.project_import); blank: found by code among 本级 and the townships.
REGION_FIELD = F.FieldSpec("region_code", "区划代码", F.code(12, required=False), False,
                           "乡镇的项目填该乡镇的区划代码；不填时按项目编码在本级和各乡镇的项目中查找，都没有时作为本级新项目")
FILE_FIELDS = [*PROJECT_FIELDS, REGION_FIELD]
FIELD_BY_KEY = {spec.key: spec for spec in FILE_FIELDS}
REQUIRED_HEADERS = [s.label for s in PROJECT_FIELDS if s.required]
OPTIONAL_HEADERS = [s.label for s in FILE_FIELDS if not s.required]

# Projects have two levels: a 一级项目 and its 二级项目 (same 年度). These sentences serve the
# form and the import alike.
PARENT_NOT_TOP = "上级项目{code}本身是二级项目，上级项目应为一级项目"
HAS_CHILDREN = "本项目下已有二级项目，不能再设上级项目（项目只分一级、二级两层）"


def validate(raw: dict[str, Any]) -> tuple[dict[str, Any], Report]:
    """Parse a project's fields and apply the cross-field rules (the form as the user types, the
    form's save and every row of an import). Report keys are field keys."""
    values, report = F.parse_fields(PROJECT_FIELDS, raw)
    bad = report.fields()
    if not bad & {"annual_budget", "fiscal", "other"}:
        annual, fiscal, other = values["annual_budget"], values["fiscal"], values["other"]
        if fiscal is None and other is None:
            fiscal, other = annual, 0
        elif fiscal is None:
            fiscal = annual - other
        elif other is None:
            other = annual - fiscal
        if fiscal < 0 or other < 0 or fiscal + other != annual:
            report.add("fiscal", f"财政拨款与其他资金之和应等于全年预算数{fmt_wan(annual)}万元")
        values["fiscal"], values["other"] = fiscal, other
    if not bad & {"period_start", "period_end"} and values["period_start"] and values["period_end"]:
        if values["period_start"] > values["period_end"]:
            report.add("period_end", "实施期止应不早于实施期起")
    if "year" not in bad:
        for key, message in period_outside_year(values["year"], values.get("period_start"), values.get("period_end")):
            if key not in bad and not report.for_field(key):
                report.add(key, message)
    if values.get("parent_code") and values.get("parent_code") == values.get("code"):
        report.add("parent_code", "上级项目编码不能是本项目自己的编码")
    return values, report


def period_outside_year(year: int, start: Optional[str], end: Optional[str]) -> list[tuple[str, str]]:
    """A 实施期 (YYYY-MM) that does not touch the project's 年度 cannot be right: the year's budget
    pays for work in that year. (field, sentence) for each end that lies outside; a period that
    runs over the year (a multi-year project) is fine."""
    first, last = f"{year:04d}-01", f"{year:04d}-12"
    out = []
    if start and start > last:
        out.append(("period_start", f"实施期起{start}晚于项目年度{year}年，实施期应包含{year}年度内的月份"))
    if end and end < first:
        out.append(("period_end", f"实施期止{end}早于项目年度{year}年，实施期应包含{year}年度内的月份"))
    return out


def unit_choices(departments: Iterable[Any], chosen: str) -> list[str]:
    """The 实施单位 a form offers for the chosen 主管部门 ("[编码]名称"): the department itself and
    its 单位, in the given order; every department and unit while none (or none known) is chosen.
    `departments` are rows with id, display, kind and parent_id (base data's DeptRow)."""
    rows = list(departments)
    picked = next((d for d in rows if d.display == (chosen or "").strip()), None)
    if picked is None:
        return [d.display for d in rows]
    return [picked.display] + [d.display for d in rows if d.parent_id == picked.id and d.kind == "单位"]


# -- the year's list -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ProjectRow:
    """One line of the project list: what the page shows and the export writes."""

    id: int
    code: str
    name: str
    year: int
    department: str
    unit: str
    office: str
    fund_type: str
    category: str
    is_key: bool
    parent_code: str
    initial_fen: int
    annual_fen: int
    fiscal_fen: int
    other_fen: int
    department_id: int
    unit_id: int
    period_start: str
    period_end: str
    search_key: str = ""
    mark: str = ""  # 需事前评估: a project the pack's trigger names and no assessment covers yet
    region_code: str = ""  # 区划代码: the county's own, or a township's (records the county holds)
    region: str = ""  # the region's name (app.services.regions)


@dataclass(frozen=True)
class ProjectList:
    """The projects page: the year's projects (ordered by code) and the departments its 部门
    filter offers, as (id, "[编码]名称")."""

    year: int
    rows: tuple[ProjectRow, ...]
    departments: tuple[tuple[int, str], ...]


def filter_rows(rows: Iterable[ProjectRow], text: str = "", department_id: Optional[int] = None,
                fund_type: Optional[str] = None, category: Optional[str] = None) -> list[ProjectRow]:
    """Instant search over code, name, department and unit; every term must match."""
    terms = text.casefold().split()
    out = []
    for row in rows:
        if department_id is not None and department_id not in (row.department_id, row.unit_id):
            continue
        if fund_type and row.fund_type != fund_type:
            continue
        if category and row.category != category:
            continue
        if terms and not all(t in row.search_key for t in terms):
            continue
        out.append(row)
    return out


# -- an import file ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ImportedProject:
    """One good row of an import file: its sheet row and its values as `validate` parsed them."""

    row: int
    values: dict[str, Any]

    @property
    def key(self) -> tuple[int, str, str]:
        """(年度, 区划代码, 项目编码): the region is the file's, or the one the import found for the code."""
        return self.values["year"], self.values.get("region_code") or "", self.values["code"]


@dataclass(frozen=True)
class ProjectFile:
    """What an import file holds: the rows that parsed, the sheet, and which fields it has columns
    for (a column left out keeps the stored value)."""

    sheet: str
    columns: frozenset[str]
    rows: tuple[ImportedProject, ...]


@dataclass(frozen=True)
class ImportSummary:
    created: int = 0
    updated: int = 0
    new_departments: tuple[str, ...] = ()
    new_offices: tuple[str, ...] = ()

    def sentence(self) -> str:
        parts = [f"导入完成：新增项目{self.created}个，更新项目{self.updated}个。"]
        if self.new_departments:
            parts.append(f"新建部门/单位{len(self.new_departments)}个：{'、'.join(self.new_departments)}。")
        if self.new_offices:
            parts.append(f"新建归口科室：{'、'.join(self.new_offices)}。")
        return "".join(parts)
