"""The two grids of a 自评表: 预算执行 (总额 / 财政资金 / 其他资金, or 合计 / 基本支出 / 项目支出) and the
indicators (a project's rows from its target, or a department's scoring tree). The models edit the
draft's own lines as typed; what the rules derive (执行率, 分值, 参考得分) comes in through
`set_score(TableScore)` after every edit — the form scores, the models only show. A 得分 left
empty follows the 参考得分, which the cell shows greyed; a 定性 indicator's 评价 left empty shows,
greyed, the rating read from its actual's words. A department's scoring tree may be edited freely
while the table may be (一级/二级/三级, 评分标准, 分值 as typed; items added and deleted). Cells that need something are shaded (必须处理
pink, 提醒 yellow) with the sentence as tooltip."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate

from app.domain.self_eval import RATINGS, BudgetLine, IndicatorLine
from app.rules.self_eval import QUALITATIVE, TableScore, percent
from app.rules.self_eval_draft import fen

NEED_FILL, HINT_FILL = QColor("#f8d7da"), QColor("#fff3cd")
DERIVED_FILL = QColor("#f3f4f6")  # read-only columns
FOLLOWING = QColor("#9aa0a6")  # a 得分 following its 参考得分, a rating read from the words

PROJECT_COLUMNS = [("一级", "level1"), ("二级", "level2"), ("三级指标", "level3"), ("指标性质", "direction"),
                   ("年度指标值", "target_value"), ("计量单位", "unit"), ("实际完成值", "actual"), ("评价", "rating"),
                   ("不适用", "applicable"), ("分值", "points"), ("参考得分", "reference"), ("得分", "score"),
                   ("评分说明", "score_note"), ("偏差原因分析\n及改进措施", "deviation")]
PROJECT_WIDTHS = (40, 60, 150, 56, 66, 54, 80, 60, 42, 42, 56, 48, 96, 96)
DEPARTMENT_COLUMNS = [("一级", "level1"), ("二级", "level2"), ("三级指标", "level3"), ("评分标准", "standard"),
                      ("分值", "points"), ("参考得分", "reference"), ("得分", "score"), ("扣分原因", "score_note")]
DEPARTMENT_WIDTHS = (64, 70, 120, 360, 44, 58, 50, 180)
# the widest words the level columns must show whole: 一级 三个字 (满意度), 二级 五个字 (可持续影响)
LEVEL_WORDS = {"level1": "满意度", "level2": "可持续影响"}
EDITABLE = {"actual", "rating", "applicable", "score", "score_note", "deviation"}
TREE_EDITABLE = {"level1", "level2", "level3", "standard", "points", "score", "score_note"}  # 部门整体: presets plus free editing

BUDGET_COLUMNS = [("预算执行", "label"), ("年初预算数（万元）", "initial"), ("全年预算数（万元）", "annual"),
                  ("全年执行数（万元）", "executed"), ("执行率", "rate"), ("分值", "points"), ("得分", "score"),
                  ("原因", "cause")]
BUDGET_WIDTHS = (70, 100, 100, 100, 70, 50, 60, 300)
MONEY = ("initial", "annual", "executed")


def number(value: Optional[Decimal]) -> str:
    """A score as shown: 20, 13.33 (no trailing .00)."""
    if value is None:
        return ""
    return f"{value:.0f}" if value == value.to_integral() else f"{value:.2f}"


def grid_widths(widths: tuple[int, ...], attrs: list[str], metrics) -> list[int]:
    """Column widths with the level columns wide enough for their words in the grid's font
    (`metrics`: the view's QFontMetrics) — 满意度 is never cut to 满…."""
    found = list(widths)
    for attr, words in LEVEL_WORDS.items():
        if attr in attrs:
            n = attrs.index(attr)
            found[n] = max(found[n], metrics.horizontalAdvance(words) + 14)
    return found


def _fill(mark: Optional[tuple[bool, str]]) -> Optional[QColor]:
    return None if mark is None else NEED_FILL if mark[0] else HINT_FILL


class _Grid(QAbstractTableModel):
    edited = Signal()  # a change the user made

    def __init__(self, columns: list[tuple[str, str]], read_only: bool, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.attrs = [attr for _, attr in columns]
        self.read_only = read_only
        self.marks: dict[tuple[int, str], tuple[bool, str]] = {}  # (row, attr) → (blocking, sentence)

    def column_of(self, attr: str) -> int:
        return self.attrs.index(attr) if attr in self.attrs else -1

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.DisplayRole:
            return self.columns[section][0].replace("（", "\n（") if orientation == Qt.Horizontal else section + 1
        return None

    def set_marks(self, marks: dict[tuple[int, str], tuple[bool, str]]) -> None:
        if marks == self.marks:
            return
        self.marks = marks
        self._repaint()

    def _repaint(self) -> None:
        if self.rowCount():
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, len(self.columns) - 1))


class IndicatorScoreModel(_Grid):
    """The indicator rows of a 自评表 (IndicatorLine, edited in place)."""

    def __init__(self, lines: list[IndicatorLine], department: bool, read_only: bool, parent=None):
        super().__init__(DEPARTMENT_COLUMNS if department else PROJECT_COLUMNS, read_only, parent)
        self.lines = lines
        self.department = department
        self.scored: tuple = ()  # LineScore per row

    def set_score(self, score: TableScore) -> None:
        self.scored = score.lines
        self._repaint()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def _editable(self, row: int, attr: str) -> bool:
        if self.read_only:
            return False
        if self.department:
            return attr in TREE_EDITABLE
        if attr not in EDITABLE:
            return False
        if attr == "rating":
            return self.lines[row].direction == QUALITATIVE
        return True

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        attr = self.attrs[index.column()]
        if not self._editable(index.row(), attr):
            return base
        return base | (Qt.ItemIsUserCheckable if attr == "applicable" else Qt.ItemIsEditable)

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, attr = index.row(), self.attrs[index.column()]
        line = self.lines[row]
        scored = self.scored[row] if row < len(self.scored) else None
        if role == Qt.DisplayRole:
            if attr == "applicable":
                return ""
            if attr == "points":
                if self.department:
                    return line.points  # as typed (a malformed 分值 shows, shaded)
                return number(scored.points) if scored else line.points
            if attr == "reference":
                return number(scored.reference) if scored else ""
            if attr == "score" and not line.score.strip():
                return number(scored.reference) if scored else ""  # following the 参考得分
            if attr == "rating" and not line.rating and scored is not None:
                return scored.rating or ""
            return getattr(line, attr) or ""
        if role == Qt.EditRole:
            if attr == "points" and self.department:
                return line.points
            return "" if attr in ("points", "reference", "applicable") else getattr(line, attr) or ""
        if role == Qt.CheckStateRole and attr == "applicable":
            return Qt.Checked if not line.applicable else Qt.Unchecked
        if role == Qt.BackgroundRole:
            fill = _fill(self.marks.get((row, attr)))
            if fill is None and not self._editable(row, attr) and not self.read_only:
                return DERIVED_FILL
            return fill
        if role == Qt.ForegroundRole:
            if (attr == "score" and not line.score.strip()) or (attr == "rating" and not line.rating):
                return FOLLOWING
            if not line.applicable:
                return FOLLOWING
            return None
        if role == Qt.ToolTipRole:
            mark = self.marks.get((row, attr))
            if mark:
                return mark[1]
            if attr == "score" and not line.score.strip() and not self.read_only:
                return "未填写得分时按参考得分计；填写后以填写的为准"
            if attr in ("level1", "level2", "level3", "standard", "score_note", "deviation", "actual", "target_value"):
                return getattr(line, attr) or None
            return None
        if role == Qt.TextAlignmentRole and attr in ("points", "reference", "score"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if not index.isValid():
            return False
        row, attr = index.row(), self.attrs[index.column()]
        if not self._editable(row, attr):
            return False
        line = self.lines[row]
        if attr == "applicable":
            if role != Qt.CheckStateRole:
                return False
            checked = value in (Qt.Checked, Qt.Checked.value, 2, True)
            if line.applicable == (not checked):
                return False
            line.applicable = not checked
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        else:
            if role != Qt.EditRole:
                return False
            text = "" if value is None else str(value).strip() if attr in ("score", "rating", "points") else str(value)
            if getattr(line, attr) == text:
                return False
            setattr(line, attr, text)
            self.dataChanged.emit(index, index)
        self.edited.emit()
        return True

    # -- 部门整体: the scoring tree edited freely ------------------------------------------------------
    def add_item(self, after: Optional[int]) -> int:
        """添加评分项: a new item under row `after` (at the end when None) with its 一级/二级, no
        name, 分值 0; returns its row (-1: the tree may not be edited)."""
        if self.read_only or not self.department:
            return -1
        at = len(self.lines) if after is None or not 0 <= after < len(self.lines) else after + 1
        above = self.lines[at - 1] if at else None
        line = IndicatorLine(level1=above.level1 if above else "", level2=above.level2 if above else "",
                             level3="", direction="", points="0")
        self.beginInsertRows(QModelIndex(), at, at)
        self.lines.insert(at, line)
        self.scored = (*self.scored[:at], None, *self.scored[at:])  # until the form scores again
        self.endInsertRows()
        self.edited.emit()
        return at

    def remove_item(self, row: int) -> bool:
        """删除评分项: the item at `row` leaves the tree."""
        if self.read_only or not self.department or not 0 <= row < len(self.lines):
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.lines[row]
        self.scored = (*self.scored[:row], *self.scored[row + 1:])
        self.endRemoveRows()
        self.edited.emit()
        return True


class RatingDelegate(QStyledItemDelegate):
    """评价 of a 定性 indicator: 达成 / 部分达成 / 未达成, or blank (read from the actual's words)."""

    def createEditor(self, parent, option, index):  # noqa: N802 - Qt's name
        box = QComboBox(parent)
        box.addItems(["", *RATINGS])
        return box

    def setEditorData(self, editor, index):  # noqa: N802
        editor.setCurrentText(index.data(Qt.EditRole) or "")

    def setModelData(self, editor, model, index):  # noqa: N802
        model.setData(index, editor.currentText(), Qt.EditRole)


class BudgetGridModel(_Grid):
    """预算执行: the three money rows, their 执行率; on the total row the 分值, 得分 (typed, or the
    参考得分 greyed) and 原因. A department's table has no budget points (no 分值 / 得分 columns)."""

    def __init__(self, lines: list[BudgetLine], score_text: str, cause: str, department: bool, read_only: bool,
                 printed_rate: str = "", parent=None):
        columns = [c for c in BUDGET_COLUMNS if not department or c[1] not in ("points", "score")]
        super().__init__(columns, read_only, parent)
        self.lines = lines
        self.score_text, self.cause = score_text, cause
        self.printed_rate = printed_rate
        self.rates: list[str] = [""] * len(lines)
        self.points = self.reference = self.score = ""

    def set_score(self, score: TableScore) -> None:
        rates = []
        for n, line in enumerate(self.lines):
            if n == 0:
                rates.append(self.printed_rate or ("" if score.rate is None else percent(score.rate)))
                continue
            annual, executed = fen(line.annual), fen(line.executed)
            rates.append(percent(Decimal(executed) / Decimal(annual)) if annual and executed is not None else "")
        self.rates = rates
        self.points, self.reference = number(score.budget_points), number(score.budget_reference)
        self._repaint()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.lines)

    def _editable(self, row: int, attr: str) -> bool:
        return not self.read_only and (attr in MONEY or (row == 0 and attr in ("score", "cause")))

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        if not index.isValid():
            return Qt.NoItemFlags
        base = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        return base | Qt.ItemIsEditable if self._editable(index.row(), self.attrs[index.column()]) else base

    def _text(self, row: int, attr: str, editing: bool) -> str:
        if attr in MONEY or attr == "label":
            return getattr(self.lines[row], attr)
        if row:
            return ""
        if attr == "rate":
            return "" if editing else self.rates[0]
        if attr == "points":
            return "" if editing else self.points
        if attr == "score":
            return self.score_text if editing or self.score_text.strip() else self.reference
        return self.cause  # 原因

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, attr = index.row(), self.attrs[index.column()]
        if role == Qt.DisplayRole:
            return self.rates[row] if attr == "rate" else self._text(row, attr, False)
        if role == Qt.EditRole:
            return self._text(row, attr, True)
        if role == Qt.BackgroundRole:
            fill = _fill(self.marks.get((row, attr)))
            if fill is None and not self._editable(row, attr) and not self.read_only:
                return DERIVED_FILL
            return fill
        if role == Qt.ForegroundRole and attr == "score" and row == 0 and not self.score_text.strip():
            return FOLLOWING
        if role == Qt.ToolTipRole:
            mark = self.marks.get((row, attr))
            return mark[1] if mark else (self.cause or None) if attr == "cause" and row == 0 else None
        if role == Qt.TextAlignmentRole and attr not in ("label", "cause"):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def setData(self, index: QModelIndex, value: Any, role: int = Qt.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or role != Qt.EditRole:
            return False
        row, attr = index.row(), self.attrs[index.column()]
        if not self._editable(row, attr):
            return False
        text = "" if value is None else str(value)
        if attr in MONEY or attr == "score":
            text = text.strip()
        if self._text(row, attr, True) == text:
            return False
        if attr in MONEY:
            setattr(self.lines[row], attr, text)
        elif attr == "score":
            self.score_text = text
        else:
            self.cause = text
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.edited.emit()
        return True
