"""The five-dimension grid of a 事前绩效评估: each sub-item with its 分值 and 评分标准, the 部门自评估 and
the 审核评估 side by side (a rating 优/良/中/差 and the points; points left empty follow the rating's
share, shown greyed), and a 评分说明. The model edits the draft's own lines as typed; the points the
rules count come in through `set_score(ExAnteScore)` after every edit. Cells that need something are
shaded (必须处理 pink, 提醒 yellow) with the sentence as tooltip."""

from __future__ import annotations

from typing import Any, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from app.domain.exante import RATINGS, ExAnteLine
from app.rules.exante import ExAnteScore
from app.rules.scoring_tree import fmt

NEED_FILL, HINT_FILL = QColor("#f8d7da"), QColor("#fff3cd")
DERIVED_FILL = QColor("#f3f4f6")
SELF_FILL = QColor("#eef5ee")  # the 部门自评估 columns, told apart from the 审核评估 at a glance
FOLLOWING = QColor("#9aa0a6")
COLUMNS = [("评估维度", "dimension"), ("评估内容", "name"), ("评分标准", "standard"), ("分值", "points"),
           ("自评估\n评级", "self_grade"), ("自评估\n得分", "self_score"), ("审核\n评级", "grade"),
           ("审核\n得分", "score"), ("评分说明", "note")]
WIDTHS = (112, 110, 214, 44, 58, 58, 58, 58, 180)
EDITABLE = {"self_grade", "self_score", "grade", "score", "note"}
RATING_COLUMNS = ("self_grade", "grade")
SCORE_OF = {"self_score": "self_points", "score": "points"}


class ExAnteGridModel(QAbstractTableModel):
    edited = Signal()  # a change the user made

    def __init__(self, lines: list[ExAnteLine], read_only: bool, parent=None):
        super().__init__(parent)
        self.lines = lines
        self.read_only = read_only
        self.attrs = [attr for _, attr in COLUMNS]
        self.scored: Optional[ExAnteScore] = None
        self.marks: dict[tuple[int, str], tuple[bool, str]] = {}

    def column_of(self, attr: str) -> int:
        return self.attrs.index(attr) if attr in self.attrs else -1

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.DisplayRole:
            return COLUMNS[section][0] if orientation == Qt.Horizontal else section + 1
        return None

    def set_score(self, scored: ExAnteScore) -> None:
        self.scored = scored
        self._repaint()

    def set_marks(self, marks: dict[tuple[int, str], tuple[bool, str]]) -> None:
        if marks != self.marks:
            self.marks = marks
            self._repaint()

    def _repaint(self) -> None:
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.lines) - 1, len(COLUMNS) - 1))

    def counted(self, row: int, attr: str):
        """The points the rules count for the row's 自评估 (self_score) or 审核 (score) column."""
        if self.scored is None or attr not in SCORE_OF:
            return None
        values = getattr(self.scored, SCORE_OF[attr])
        return values[row] if row < len(values) else None

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.read_only or self.attrs[index.column()] not in EDITABLE:
            return base
        return base | Qt.ItemIsEditable

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, attr = index.row(), self.attrs[index.column()]
        line = self.lines[row]
        typed = getattr(line, attr)
        if role == Qt.DisplayRole:
            if attr in SCORE_OF and not typed.strip():
                return fmt(self.counted(row, attr))
            if attr == "dimension" and row and self.lines[row - 1].dimension == line.dimension:
                return ""  # the dimension named once, on its first item
            return typed
        if role == Qt.EditRole:
            return typed
        if role == Qt.BackgroundRole:
            mark = self.marks.get((row, attr))
            if mark is not None:
                return NEED_FILL if mark[0] else HINT_FILL
            if attr in ("self_grade", "self_score"):
                return SELF_FILL
            return DERIVED_FILL if attr not in EDITABLE and not self.read_only else None
        if role == Qt.ForegroundRole and attr in SCORE_OF and not typed.strip():
            return FOLLOWING
        if role == Qt.ToolTipRole:
            mark = self.marks.get((row, attr))
            if mark:
                return mark[1]
            if attr in SCORE_OF and not typed.strip() and not self.read_only:
                return "未填写得分时按评级折算（优、良、中、差按规则方案的比例）；填写后以填写的为准，须在0到分值之间"
            return typed or None
        if role == Qt.TextAlignmentRole and attr in ("points", "self_score", "score", "self_grade", "grade"):
            return int(Qt.AlignCenter if attr.endswith("grade") else Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.EditRole or self.read_only:
            return False
        row, attr = index.row(), self.attrs[index.column()]
        if attr not in EDITABLE:
            return False
        text = "" if value is None else str(value).strip() if attr != "note" else str(value)
        line = self.lines[row]
        if getattr(line, attr) == text:
            return False
        setattr(line, attr, text)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        self.edited.emit()
        return True


class RatingDelegate(QStyledItemDelegate):
    """优 / 良 / 中 / 差, or blank."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        box = QComboBox(parent)
        box.addItems(["", *RATINGS])
        return box

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentText(index.data(Qt.EditRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText(), Qt.EditRole)
