"""Small builders every page uses, so views and buttons are set up one way; and keeping the
user's place in a list when it is filled again (a reload after a change)."""

from __future__ import annotations

from contextlib import contextmanager
from operator import attrgetter
from typing import Any, Callable, Iterator, Optional, Union

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QBoxLayout, QLayout, QPushButton, QTableView, QWidget

from ui.models.row_table import RowTableModel

_NOTHING = object()


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


@contextmanager
def keeping_place(view: QTableView, key: Union[str, Callable[[Any], Any]]) -> Iterator[None]:
    """Around a refill of the view's RowTableModel (set_rows resets it): afterwards the rows with
    the same key (an attribute name, or a function of the row) are selected again, the current
    one is current again, and the row that was at the top of the view is at the top again (or,
    when it is gone, the scroll position stays as it was).

        with keeping_place(self.view, "record_id"):
            self.model.set_rows(rows)
    """
    get = attrgetter(key) if isinstance(key, str) else key
    model, selection = view.model(), view.selectionModel()
    chosen = {get(model.row_at(index.row())) for index in selection.selectedRows()}
    current = selection.currentIndex()
    current_key = get(model.row_at(current.row())) if current.isValid() else _NOTHING
    column = max(current.column(), 0)
    top = view.rowAt(0)
    top_key = get(model.row_at(top)) if top >= 0 else _NOTHING
    across = view.horizontalScrollBar().value()
    yield
    model, selection = view.model(), view.selectionModel()
    if not (chosen or current_key is not _NOTHING or top_key is not _NOTHING) or model.rowCount() == 0:
        return
    found_current, found_top, rows = -1, -1, QItemSelection()
    for n in range(model.rowCount()):
        k = get(model.row_at(n))
        if k in chosen:
            rows.select(model.index(n, 0), model.index(n, model.columnCount() - 1))
        if k == current_key:
            found_current = n
        if k == top_key:
            found_top = n
    if found_current >= 0:  # (the view scrolls to a new current row: the top is set after it)
        selection.setCurrentIndex(model.index(found_current, column), QItemSelectionModel.NoUpdate)
    if not rows.isEmpty():
        selection.select(rows, QItemSelectionModel.ClearAndSelect)
    if found_top >= 0:
        view.scrollTo(model.index(found_top, 0), QAbstractItemView.PositionAtTop)
        view.horizontalScrollBar().setValue(across)


def select_cell(view: QAbstractItemView, index) -> None:
    """Take the user to a cell: select it, scroll it into view, give the grid the focus."""
    view.setCurrentIndex(index)
    view.scrollTo(index)
    view.setFocus()


def button(text: str, slot: Callable, name: str = "") -> QPushButton:
    """A push button wired to `slot`; `name` makes it findable (btn_<name>) for tests."""
    widget = QPushButton(text)
    if name:
        widget.setObjectName(f"btn_{name}")
    widget.clicked.connect(lambda *_: slot())
    return widget


def buttons(*specs: tuple[str, Callable, str]) -> list[QPushButton]:
    """A bar's buttons, each from (text, slot, name) as `button` takes them."""
    return [button(*spec) for spec in specs]


Part = Union[QWidget, QLayout, tuple[Union[QWidget, QLayout], int]]


def laid_out(layout: QBoxLayout, *parts: Part) -> QBoxLayout:
    """A box layout filled in order: widgets and layouts, a (widget or layout, stretch) pair where it
    stretches. A list page: `laid_out(QVBoxLayout(self), laid_out(QHBoxLayout(), (search, 1),
    *buttons(...), status), (view, 1), counts)`."""
    for part in parts:
        part, stretch = part if isinstance(part, tuple) else (part, 0)
        if isinstance(part, QLayout):
            layout.addLayout(part, stretch)
        else:
            layout.addWidget(part, stretch)
    return layout
