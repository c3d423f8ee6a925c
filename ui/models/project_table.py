"""The year's project list as the projects page shows it."""

from __future__ import annotations

from typing import Callable, Optional

from app.domain.projects import ProjectRow, filter_rows
from ui.models.row_table import ModelColumn, RowTableModel

PROJECT_COLUMNS = [
    ModelColumn("项目编码", "code", width=105),
    ModelColumn("区划", "region", width=70),  # hidden unless the county holds townships' projects
    ModelColumn("项目名称", "name", width=230),
    ModelColumn("主管部门", "department", width=165),
    ModelColumn("实施单位", "unit", width=165),
    ModelColumn("归口科室", "office", width=64),
    ModelColumn("资金性质", "fund_type", width=92),
    ModelColumn("项目类别", "category", width=56),
    ModelColumn("重点项目", "is_key", "bool", width=56),
    ModelColumn("事前评估", "mark", width=80),
    ModelColumn("年初预算数（万元）", "initial_fen", "money", width=100),
    ModelColumn("全年预算数（万元）", "annual_fen", "money", width=100),
    ModelColumn("财政拨款（万元）", "fiscal_fen", "money", width=105),
    ModelColumn("其他资金（万元）", "other_fen", "money", width=105),
]


class ProjectTableModel(RowTableModel):
    """Holds the whole year; shows the rows passing the current search and filters (`keep`: a
    further test of a row, e.g. the 区划 filter's)."""

    def __init__(self, parent=None):
        super().__init__(PROJECT_COLUMNS, parent)
        self._all: list[ProjectRow] = []
        self._filter: dict = {}
        self._keep: Callable[[ProjectRow], bool] = lambda row: True

    def load(self, rows: list[ProjectRow]) -> None:
        self._all = rows
        self.refilter()

    def set_filter(self, keep: Optional[Callable[[ProjectRow], bool]] = None, **criteria) -> None:
        self._filter = criteria
        self._keep = keep or (lambda row: True)
        self.refilter()

    def refilter(self) -> None:
        self.set_rows([r for r in filter_rows(self._all, **self._filter) if self._keep(r)])

    def total_count(self) -> int:
        return len(self._all)
