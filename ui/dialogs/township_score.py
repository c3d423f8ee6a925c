"""评分: 绩效科's hand score for one township and one item of the 乡镇考核 — a hand item's score, or a
counted item's score put right with the reason. 清除手工得分 takes a hand score back (a counted item is
counted again). `ask_score` is what the page calls (tests patch it)."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app.domain.township_assessment import TownshipRow, TownshipTable
from app.rules.scoring_tree import fmt

CLEAR = "清除手工得分"


class ScoreDialog(QDialog):
    def __init__(self, table: TownshipTable, row: TownshipRow, item: str = "", parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.table, self.row = table, row
        self.setWindowTitle(f"评分 — {row.name}")
        self.item = QComboBox()
        self.item.setObjectName("score_item")
        for head in table.items:
            self.item.addItem(f"{head.name}（{fmt(head.points)}分，{head.source_label}）", head.name)
        self.score, self.note = QLineEdit(), QLineEdit()
        self.score.setObjectName("score_value")
        self.note.setObjectName("score_note")
        self.counted = QLabel()
        self.counted.setWordWrap(True)
        self.counted.setStyleSheet("color:#555555")
        form = QFormLayout()
        form.addRow("乡镇：", QLabel(row.name))
        form.addRow("考核项目：", self.item)
        form.addRow("", self.counted)
        form.addRow("得分：", self.score)
        form.addRow("说明：", self.note)
        buttons = QDialogButtonBox()
        buttons.addButton("保存", QDialogButtonBox.AcceptRole)
        self.clear = buttons.addButton(CLEAR, QDialogButtonBox.ResetRole)
        self.clear.setObjectName("score_clear")
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.clear.clicked.connect(self._clear)
        self.cleared = False
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.item.currentIndexChanged.connect(self._show_item)
        at = self.item.findData(item) if item else -1
        if at < 0:  # a hand item first: that is what needs a person
            at = next((n for n, h in enumerate(table.items) if not h.automatic), 0)
        self.item.setCurrentIndex(at)
        self._show_item()
        self.resize(460, 220)

    def _show_item(self) -> None:
        name = self.item.currentData()
        head = next(h for h in self.table.items if h.name == name)
        m = self.row.measure(name)
        if head.automatic:
            said = "；".join(t for t in (f"{m.numerator}/{m.denominator}" if m.denominator else "", m.reason) if t)
            figures = f"（{said}）" if said else ""
            self.counted.setText(f"程序计算：{fmt(m.measured)}分{figures}。改为手工得分须在说明中写明理由；"
                                 f"清除手工得分即恢复程序计算。")
        else:
            self.counted.setText("本项由绩效科手工评分。")
        self.score.setText(fmt(m.hand))
        self.score.setPlaceholderText(f"0～{fmt(head.points)}")
        self.note.setText(m.note)
        self.clear.setEnabled(m.hand is not None)

    def _clear(self) -> None:
        self.cleared = True
        self.accept()

    def answer(self) -> tuple[str, str, str]:
        """(item, score as typed — "" when cleared —, note)."""
        return self.item.currentData(), "" if self.cleared else self.score.text(), self.note.text()


def ask_score(parent: QWidget, table: TownshipTable, row: TownshipRow, item: str = "") -> Optional[tuple[str, str, str]]:
    """The hand score asked for (None: cancelled)."""
    dialog = ScoreDialog(table, row, item, parent)
    return dialog.answer() if dialog.exec() == QDialog.Accepted else None
