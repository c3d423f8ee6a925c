"""从指标库添加: search the library as you type, double-click (or 添加) puts the indicator in the grid."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app.services import library
from app.services.targets import IndicatorDraft
from app.services.workspace import Workspace
from ui.models.row_table import ModelColumn, RowTableModel
from ui.widgets import button, table_view

ALL = "全部行业"
COLUMNS = [ModelColumn("行业", "industry", width=90), ModelColumn("一级", "level1", width=60),
           ModelColumn("二级", "level2", width=90), ModelColumn("三级指标", "level3", width=260),
           ModelColumn("性质", "direction", width=50), ModelColumn("参考值", "ref_value", width=90),
           ModelColumn("单位", "unit", width=70), ModelColumn("指标解释", "explanation", width=260)]


def to_draft(row: library.LibraryRow) -> IndicatorDraft:
    value = row.ref_value if row.ref_value and not row.ref_value.startswith("（") else ""
    return IndicatorDraft(row.level1, row.level2, row.level3, row.direction, value, row.unit, "",
                          row.explanation, "", row.id)


class LibraryPicker(QDialog):
    chosen = Signal(list)  # list[IndicatorDraft]

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("从指标库添加")
        self.resize(1100, 560)
        library.ensure_starter_library(ws)
        self._all = library.list_library(ws)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索指标：名称、解释、计算方法（多个词用空格分开）")
        self.industry = QComboBox()
        self.industry.addItems([ALL, *sorted({r.industry for r in self._all})])
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model, single=False)
        self.view.doubleClicked.connect(lambda index: self.add_rows([index.row()]))
        self.count = QLabel()
        add = button("添加选中指标", lambda: self.add_rows([i.row() for i in self.view.selectionModel().selectedRows()]))
        close = button("关闭", self.accept)
        self.search.textChanged.connect(self.refilter)
        self.industry.currentIndexChanged.connect(self.refilter)
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.industry, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(add)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addLayout(bottom)
        self.refilter()

    def refilter(self) -> None:
        industry = self.industry.currentText()
        rows = library.search(self._all, self.search.text(), None if industry == ALL else industry)
        self.model.set_rows(rows)
        self.count.setText(f"共{len(rows)}条（指标库{len(self._all)}条），双击即添加")

    def add_rows(self, rows: list[int]) -> None:
        if rows:
            self.chosen.emit([to_draft(self.model.row_at(r)) for r in sorted(rows)])
