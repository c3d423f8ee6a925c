"""One Qt table model for any list of row objects: columns declared once, display text from
app.io.columns.format_value, sorting on the model's own list (never a proxy sort)."""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Callable, Sequence

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from app.io.columns import NUMERIC_KINDS, format_value

ROW_ROLE = Qt.UserRole + 1  # the row object itself


@dataclass(frozen=True)
class ModelColumn:
    header: str
    attr: str  # attribute of the row object; also the sort key
    kind: str = "text"  # as in app.io.columns
    width: int = 0  # initial view width in px (0: let the view decide)
    dots: tuple[tuple[str, str], ...] = ()  # cell text → colour of a dot drawn before it (the 预警 lights)
    sort_attr: str = ""  # sort by this attribute instead (e.g. a light by its severity, not its character)


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[ModelColumn], parent=None):
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[Any] = []
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._getters: list[Callable[[Any], Any]] = [attrgetter(c.attr) for c in self.columns]
        self._sort_getters = [attrgetter(c.sort_attr or c.attr) for c in self.columns]
        self._kinds = [c.kind for c in self.columns]
        self._alignments = [int((Qt.AlignRight if c.kind in NUMERIC_KINDS else Qt.AlignLeft) | Qt.AlignVCenter)
                            for c in self.columns]
        self._dots = {i: {text: dot_icon(colour) for text, colour in c.dots} for i, c in enumerate(self.columns) if c.dots}

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
        # Painting asks every visible cell for a dozen roles: answer the two we use, quickly.
        if not index.isValid():
            return None
        if role == Qt.DisplayRole or role == Qt.ToolTipRole:
            column = index.column()
            return format_value(self._kinds[column], self._getters[column](self._rows[index.row()]))
        if role == Qt.TextAlignmentRole:
            return self._alignments[index.column()]
        if role == ROW_ROLE:
            return self._rows[index.row()]
        if role == Qt.DecorationRole and index.column() in self._dots:
            column = index.column()
            return self._dots[column].get(self._getters[column](self._rows[index.row()]))
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
        get = self._sort_getters[column]
        self._rows.sort(key=lambda r: _sortable(get(r)), reverse=order == Qt.DescendingOrder)


_ICONS: dict[str, QIcon] = {}


def dot_icon(colour: str) -> QIcon:
    """A filled circle with a dark rim (still visible printed or seen in grey), made once per colour."""
    if colour not in _ICONS:
        pixmap = QPixmap(14, 14)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QColor("#404040"))
        painter.setBrush(QColor(colour))
        painter.drawEllipse(1, 1, 12, 12)
        painter.end()
        _ICONS[colour] = QIcon(pixmap)
    return _ICONS[colour]


def _sortable(value: Any) -> tuple:
    """None sorts first; mixed types never raise."""
    return (value is not None, value if value is not None else 0)
