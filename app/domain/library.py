"""指标库 as plain data: an indicator's fields (one spec for the import, the export and the
template), the library's view — the rows the page and the picker browse and the export writes,
with the tree (行业 → 一级 → 二级) and the search as you type — and what an import file holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.domain.targets import DIRECTIONS, LEVEL1
from app.rules import fields as F

SCOPES = ("项目", "部门整体")
BASES = ("历史", "行业", "计划标准")
SPECS = [
    F.FieldSpec("code", "指标编码", F.code(40, required=False), hint="可不填；填写时在库中唯一，导入时按编码更新"),
    F.FieldSpec("industry", "行业领域", F.text(30), True, "如 教育、农林水、城乡社区；通用指标填“共性”"),
    F.FieldSpec("scope", "适用范围", F.choice(SCOPES, required=False), hint="项目或部门整体，不填为项目"),
    F.FieldSpec("level1", "一级指标", F.choice(LEVEL1), True),
    F.FieldSpec("level2", "二级指标", F.text(30), True, "如 数量、质量、时效、成本、社会效益、服务对象满意度"),
    F.FieldSpec("level3", "三级指标", F.text(200), True),
    F.FieldSpec("direction", "指标性质", F.choice(DIRECTIONS), True),
    F.FieldSpec("unit", "计量单位", F.text(30, required=False)),
    F.FieldSpec("ref_value", "参考值", F.text(100, required=False)),
    F.FieldSpec("ref_basis", "参考值依据", F.choice(BASES, required=False)),
    F.FieldSpec("explanation", "指标解释", F.text(2000, required=False)),
    F.FieldSpec("method", "计算方法或评分标准", F.text(2000, required=False)),
    F.FieldSpec("source", "来源", F.text(200, required=False)),
]
FIELDS = tuple(s.key for s in SPECS)
HEADERS = [s.label for s in SPECS]


@dataclass(frozen=True)
class LibraryRow:
    """One indicator of the library (a missing value is "")."""

    id: int
    code: str
    industry: str
    scope: str
    level1: str
    level2: str
    level3: str
    direction: str
    unit: str
    ref_value: str
    ref_basis: str
    explanation: str
    method: str
    source: str
    search_key: str


Tree = dict[str, dict[str, dict[str, int]]]


@dataclass(frozen=True)
class LibraryView:
    """The whole library in its own order (行业, 编码), what the page, the picker and the export
    show. `tree` and `search` narrow it without another read."""

    rows: tuple[LibraryRow, ...]
    tree: Tree = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, rows: tuple[LibraryRow, ...]) -> "LibraryView":
        return cls(rows, _tree(rows))

    def search(self, text: str = "", branch: tuple[str, ...] = ()) -> list[LibraryRow]:
        """Rows under a branch of the tree (行业 → 一级 → 二级, any prefix) holding every search term."""
        terms = text.casefold().split()
        depth = len(branch)
        return [r for r in self.rows if (r.industry, r.level1, r.level2)[:depth] == branch
                and all(t in r.search_key for t in terms)]


def _tree(rows: tuple[LibraryRow, ...]) -> Tree:
    """行业 → 一级 → 二级 → number of indicators, in the library's own order (for browsing)."""
    out: Tree = {}
    for r in rows:
        level2s = out.setdefault(r.industry, {}).setdefault(r.level1, {})
        level2s[r.level2] = level2s.get(r.level2, 0) + 1
    return out


@dataclass(frozen=True)
class ImportedIndicator:
    """One good row of an import file: its sheet row and its parsed values (keys: FIELDS)."""

    row: int
    values: dict[str, Any]

    @property
    def names(self) -> tuple:
        """行业 + 一级/二级/三级: how a row without a code finds its library entry."""
        v = self.values
        return v["industry"], v["level1"], v["level2"], v["level3"]


@dataclass(frozen=True)
class LibraryFile:
    """What an import file holds: the sheet (as the file names it) and the rows that parsed."""

    sheet: str
    rows: tuple[ImportedIndicator, ...]
