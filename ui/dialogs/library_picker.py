"""从指标库添加: the library browser (tree, search as you type; the library read in the
background); double-click (or 添加) puts the indicator in the grid."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.library import LibraryRow
from app.domain.targets import IndicatorDraft
from app.services.workspace import Workspace
from ui.pages.library_page import LibraryBrowser
from ui.widgets import button


def to_draft(row: LibraryRow) -> IndicatorDraft:
    value = row.ref_value if row.ref_value and not row.ref_value.startswith("（") else ""
    return IndicatorDraft(row.level1, row.level2, row.level3, row.direction, value, row.unit, "",
                          row.explanation, "", row.id)


class LibraryPicker(QDialog):
    chosen = Signal(list)  # list[IndicatorDraft]

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("从指标库添加")
        self.resize(1200, 600)
        self.browser = LibraryBrowser(ws)
        self.search, self.model = self.browser.search, self.browser.model
        self.browser.activated.connect(self.add)
        add = button("添加选中指标", lambda: self.add(self.browser.selected()))
        close = button("关闭", self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel("双击指标即添加到目标表，可连续添加"))
        bottom.addStretch(1)
        bottom.addWidget(add)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addLayout(bottom)

    def add(self, rows: list[LibraryRow]) -> None:
        if rows:
            self.chosen.emit([to_draft(r) for r in rows])

    def add_rows(self, rows: list[int]) -> None:
        self.add([self.model.row_at(r) for r in sorted(rows)])
