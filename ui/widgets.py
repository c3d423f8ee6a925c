"""Small builders every page uses, so views and buttons are set up one way."""

from __future__ import annotations

from typing import Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QTableView

from ui.models.row_table import RowTableModel


def table_view(model: RowTableModel, *, single: bool = True, sort_column: Optional[int] = 0) -> QTableView:
    """A list view over a RowTableModel: whole rows selected, columns at their declared widths,
    header-click sorting on the model's own list (sorted by `sort_column` to start with)."""
    view = QTableView()
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectRows)
    if single:
        view.setSelectionMode(QAbstractItemView.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setDefaultSectionSize(26)
    view.verticalHeader().hide()
    for i, column in enumerate(model.columns):
        if column.width:
            view.setColumnWidth(i, column.width)
    if sort_column is not None:
        view.setSortingEnabled(True)
        view.sortByColumn(sort_column, Qt.AscendingOrder)
    return view


def button(text: str, slot: Callable, name: str = "") -> QPushButton:
    """A push button wired to `slot`; `name` makes it findable (btn_<name>) for tests."""
    widget = QPushButton(text)
    if name:
        widget.setObjectName(f"btn_{name}")
    widget.clicked.connect(lambda *_: slot())
    return widget
