"""One Qt table model for any list of row objects: columns declared once, display text from
app.io.columns.format_value, sorting on the model's own list (never a proxy sort)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from app.io.columns import format_value

ROW_ROLE = Qt.UserRole + 1  # the row object itself


@dataclass(frozen=True)
class ModelColumn:
    header: str
    attr: str  # attribute of the row object; also the sort key
    kind: str = "text"  # as in app.io.columns
    width: int = 0  # initial view width in px (0: let the view decide)


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[ModelColumn], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._getters: list[Callable[[Any], Any]] = [_getter(c.attr) for c in self.columns]

    # -- data in ---------------------------------------------------------------------------
    def set_rows(self, rows: list[Any]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        if self._sort is not None:
            self._sort_rows(*self._sort)
        self.endResetModel()

    def rows(self) -> list[Any]:
        return list(self._rows)

    def row_at(self, row: int) -> Any:
        return self._rows[row]

    # -- Qt model --------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            return format_value(col.kind, self._getters[index.column()](row))
        if role == Qt.TextAlignmentRole:
            numeric = col.kind in ("money", "int", "score", "rate")
            return int((Qt.AlignRight if numeric else Qt.AlignLeft) | Qt.AlignVCenter)
        if role == ROW_ROLE:
            return row
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole:
            if orientation == Qt.Horizontal:  # units on a second line keep money columns narrow
                return self.columns[section].header.replace("（", "\n（")
            return section + 1
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.AscendingOrder) -> None:
        if not 0 <= column < len(self.columns):
            return
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_rows(column, order)
        self.layoutChanged.emit()

    def _sort_rows(self, column: int, order: Qt.SortOrder) -> None:
        get = self._getters[column]
        self._rows.sort(key=lambda r: _sortable(get(r)), reverse=order == Qt.DescendingOrder)


def _getter(attr: str) -> Callable[[Any], Any]:
    return lambda row: getattr(row, attr)


def _sortable(value: Any) -> tuple:
    """None sorts first; mixed types never raise."""
    return (value is not None, value if value is not None else 0)
