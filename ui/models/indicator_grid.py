"""Editable grids of text rows (dataclasses): cells edited in place, rows added/removed/moved, a
mistaken delete undone, and the problems of each cell shown as colour and tooltip. The indicator
grid of a target is one; a department's 年度主要任务 another."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from app.domain.targets import IndicatorDraft

COLUMNS = [("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"), ("指标性质", "direction"),
           ("指标值", "value"), ("计量单位", "unit"), ("分值", "points"), ("指标解释", "explanation"),
           ("上年实际值", "last_year")]
ATTRS = [attr for _, attr in COLUMNS]
WIDTHS = (60, 100, 220, 60, 80, 70, 45, 170, 80)
ERROR_FILL, WARNING_FILL = QColor("#f8d7da"), QColor("#fff3cd")


class EditableGridModel(QAbstractTableModel):
    edited = Signal()  # any change a user made

    def __init__(self, columns: list[tuple[str, str]], rows: list, read_only: bool = False, parent=None,
                 fixed: tuple[str, ...] = ()):
        super().__init__(parent)
        self.columns = columns
        self._fixed = {n for n, (_, attr) in enumerate(columns) if attr in fixed}  # shown, never edited
        self._attrs = [attr for _, attr in columns]
        self._rows = [replace(r) for r in rows]
        self.read_only = read_only
        self._marks: dict[tuple[int, int], tuple[str, str]] = {}  # (row, col) → (severity, text)
        self._deleted: list[tuple[int, IndicatorDraft]] = []

    def rows(self) -> list:
        return [replace(r) for r in self._rows]

    # -- Qt model ----------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:
        if role == Qt.DisplayRole:
            return self.columns[section][0] if orientation == Qt.Horizontal else section + 1
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base if self.read_only or index.column() in self._fixed else base | Qt.ItemIsEditable

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.DisplayRole, Qt.EditRole):
            return getattr(self._rows[index.row()], self._attrs[index.column()]) or ""
        mark = self._marks.get((index.row(), index.column()))
        if role == Qt.BackgroundRole and mark:
            return ERROR_FILL if mark[0] == "错误" else WARNING_FILL
        if role == Qt.ToolTipRole and mark:
            return mark[1]
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:
        if self.read_only or not index.isValid() or role != Qt.EditRole or index.column() in self._fixed:
            return False
        row = self._rows[index.row()]
        attr = self._attrs[index.column()]
        text = "" if value is None else str(value)
        if getattr(row, attr) == text:
            return False
        setattr(row, attr, text)
        self.dataChanged.emit(index, index, [Qt.DisplayRole, Qt.EditRole])
        self.edited.emit()
        return True

    # -- rows ------------------------------------------------------------------------------------
    def append(self, rows: list) -> None:
        if self.read_only or not rows:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(replace(r) for r in rows)
        self.endInsertRows()
        self.edited.emit()

    def remove(self, row: int) -> None:
        if self.read_only or not 0 <= row < len(self._rows):
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        self._deleted.append((row, self._rows.pop(row)))
        self.endRemoveRows()
        self.edited.emit()

    def undo_delete(self) -> bool:
        """Puts the most recently deleted row back where it was (before saving)."""
        if self.read_only or not self._deleted:
            return False
        row, item = self._deleted.pop()
        row = min(row, len(self._rows))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, item)
        self.endInsertRows()
        self.edited.emit()
        return True

    def move(self, row: int, delta: int) -> int:
        target = row + delta
        if self.read_only or not (0 <= row < len(self._rows) and 0 <= target < len(self._rows)):
            return row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + (1 if delta > 0 else 0))
        self._rows.insert(target, self._rows.pop(row))
        self.endMoveRows()
        self.edited.emit()
        return target

    # -- problems --------------------------------------------------------------------------------
    def set_marks(self, marks: dict[tuple[int, int], tuple[str, str]]) -> None:
        self._marks = marks
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1),
                                  [Qt.BackgroundRole, Qt.ToolTipRole])


class IndicatorGridModel(EditableGridModel):
    def __init__(self, rows: list[IndicatorDraft], read_only: bool = False, parent=None):
        super().__init__(COLUMNS, rows, read_only, parent)


def show_grid(view, model: "IndicatorGridModel") -> None:
    """Puts a grid model into a table view at the grid's column widths."""
    view.setModel(model)
    for i, width in enumerate(WIDTHS):
        view.setColumnWidth(i, width)
