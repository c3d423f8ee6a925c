"""The grids of a 重点评价 form: the scoring tree's leaves (一级, 二级, 三级, 分值, 评分标准, 得分, 扣分原因,
佐证 — edited in place on the draft's own TreeLines while the evaluation may be edited; leaves added
and deleted freely) and the dimension table beside it (维度, 分值, 得分, 等级, with the 综合绩效 row),
which only shows what the form derives (`set_score(TreeScore)`): dimension scores, the total and
every grade are derived, never typed. Cells that need something are shaded (必须处理 pink, 提醒
yellow) with the sentence as tooltip. A past report imported as printed adds the 等级 it printed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont

from app.domain.key_eval import TreeLine
from app.rules.scoring_tree import TreeScore, fmt

NEED_FILL, HINT_FILL = QColor("#f8d7da"), QColor("#fff3cd")
DERIVED_FILL = QColor("#f3f4f6")

TREE_COLUMNS = [("一级指标", "level1"), ("二级指标", "level2"), ("三级指标", "level3"), ("分值", "points"),
                ("评分标准", "standard"), ("得分", "score"), ("扣分原因", "deduction"), ("佐证", "evidence")]
PRINTED_COLUMN = ("表上等级", "printed_grade")
TREE_WIDTHS = {"level1": 56, "level2": 72, "level3": 118, "points": 48, "standard": 230, "score": 48,
               "deduction": 160, "evidence": 100, "printed_grade": 62}
NUMBERS = ("points", "score")
DIMENSION_COLUMNS = [("维度", "name"), ("分值", "points"), ("得分", "score"), ("等级", "grade")]
TOTAL_ROW = "综合绩效"


def _fill(mark: Optional[tuple[bool, str]]) -> Optional[QColor]:
    return None if mark is None else NEED_FILL if mark[0] else HINT_FILL


class TreeGridModel(QAbstractTableModel):
    """The leaves of the scoring tree (TreeLine, edited in place)."""

    edited = Signal()  # a change the user made

    def __init__(self, lines: list[TreeLine], read_only: bool, printed: bool = False, parent=None):
        super().__init__(parent)
        self.columns = TREE_COLUMNS + ([PRINTED_COLUMN] if printed else [])
        self.attrs = [attr for _, attr in self.columns]
        self.lines = lines
        self.read_only = read_only
        self.marks: dict[tuple[int, str], tuple[bool, str]] = {}  # (row, attr) → (blocking, sentence)

    def column_of(self, attr: str) -> int:
        return self.attrs.index(attr) if attr in self.attrs else -1

    def widths(self) -> list[int]:
        return [TREE_WIDTHS[attr] for attr in self.attrs]

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.DisplayRole:
            return self.columns[section][0] if orientation == Qt.Horizontal else section + 1
        return None

    def _editable(self, attr: str) -> bool:
        return not self.read_only and attr != "printed_grade"

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base | Qt.ItemIsEditable if self._editable(self.attrs[index.column()]) else base

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, attr = index.row(), self.attrs[index.column()]
        line = self.lines[row]
        if role in (Qt.DisplayRole, Qt.EditRole):
            return getattr(line, attr) or ""
        if role == Qt.BackgroundRole:
            fill = _fill(self.marks.get((row, attr)))
            return DERIVED_FILL if fill is None and attr == "printed_grade" else fill
        if role == Qt.ToolTipRole:
            mark = self.marks.get((row, attr))
            if mark:
                return mark[1]
            return getattr(line, attr) or None if attr not in NUMBERS else None
        if role == Qt.TextAlignmentRole and attr in NUMBERS:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.EditRole:
            return False
        row, attr = index.row(), self.attrs[index.column()]
        if not self._editable(attr):
            return False
        text = "" if value is None else str(value)
        if attr in NUMBERS or attr.startswith("level"):
            text = text.strip()
        line = self.lines[row]
        if getattr(line, attr) == text:
            return False
        setattr(line, attr, text)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    def set_marks(self, marks: dict[tuple[int, str], tuple[bool, str]]) -> None:
        if marks == self.marks:
            return
        self.marks = marks
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(self.columns) - 1))

    # -- free editing of the tree ----------------------------------------------------------------------
    def add_leaf(self, after: Optional[int]) -> int:
        """添加指标: a new leaf under row `after` (at the end when None) in the same 一级/二级, with no
        name and 分值 0; returns its row (-1: the tree may not be edited)."""
        if self.read_only:
            return -1
        at = len(self.lines) if after is None or not 0 <= after < len(self.lines) else after + 1
        above = self.lines[at - 1] if at else None
        line = TreeLine(level1=above.level1 if above else "", level2=above.level2 if above else "", points="0")
        self.beginInsertRows(QModelIndex(), at, at)
        self.lines.insert(at, line)
        self.endInsertRows()
        self.edited.emit()
        return at

    def remove_leaf(self, row: int) -> bool:
        """删除指标: the leaf at `row` leaves the tree (nothing is stored until 保存)."""
        if self.read_only or not 0 <= row < len(self.lines):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.lines[row]
        self.endRemoveRows()
        self.edited.emit()
        return True


class DimensionModel(QAbstractTableModel):
    """维度, 分值, 得分, 等级 per dimension and the 综合绩效 row — all derived from the leaves. On a
    report imported as printed the 综合绩效 row shows the printed total and grade."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[tuple[str, str, str, str]] = []

    def set_score(self, score: TreeScore, printed_total: Optional[Decimal] = None, printed_grade: str = "",
                  printed: bool = False) -> None:
        rows = [(d.name, fmt(d.points), fmt(d.score), d.grade) for d in score.dimensions]
        if printed:
            rows.append((TOTAL_ROW, fmt(score.points) if score.dimensions else "100",
                         fmt(printed_total), printed_grade))
        else:
            rows.append((TOTAL_ROW, fmt(score.points), fmt(score.total), score.grade))
        if rows == self.rows:
            return
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(DIMENSION_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return DIMENSION_COLUMNS[section][0]
        return None

    def value(self, name: str, attr: str) -> str:
        """The shown text of a dimension's (or 综合绩效's) column: value("决策", "grade") → "优"."""
        column = [a for _, a in DIMENSION_COLUMNS].index(attr)
        for row in self.rows:
            if row[0].startswith(name):
                return row[column]
        return ""

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.DisplayRole:
            return row[index.column()]
        if role == Qt.TextAlignmentRole and index.column() in (1, 2):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.TextAlignmentRole and index.column() == 3:
            return int(Qt.AlignCenter)
        if role == Qt.FontRole and row[0].startswith(TOTAL_ROW):
            font = QFont()
            font.setBold(True)
            return font
        return None
