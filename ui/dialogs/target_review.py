"""The dialogs a target form opens: the 绩效科 review (four scores and the opinion) and the earlier
versions of a target that was reopened after approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QSpinBox, QTableView,
    QVBoxLayout, QWidget,
)

from app.domain.targets import IndicatorDraft
from ui.models.indicator_grid import IndicatorGridModel, show_grid

REVIEW_ITEMS = ("完整性", "相关性", "合理性", "可衡量性")


class ReviewDialog(QDialog):
    """绩效科审核: four scores, the opinion (pre-filled from the check), pass or return."""

    decided = Signal(dict, bool, str)

    def __init__(self, opinion: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("绩效目标审核")
        self.resize(640, 420)
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for item in REVIEW_ITEMS:
            spin = QSpinBox()
            spin.setRange(0, 100)
            spin.setValue(80)
            spin.setSuffix(" 分")
            self.spins[item] = spin
            form.addRow(f"{item}：", spin)
        self.opinion = QPlainTextEdit(opinion)
        form.addRow("审核意见：", self.opinion)
        buttons = QHBoxLayout()
        for text, passed in (("审核通过", True), ("退回修改", False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, p=passed: self.decide(p))
            buttons.addWidget(button)
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)

    def decide(self, passed: bool) -> None:
        self.decided.emit({k: Decimal(s.value()) for k, s in self.spins.items()}, passed, self.opinion.toPlainText())
        self.accept()


class VersionsDialog(QDialog):
    """Earlier versions of a target (kept at each 退回 of an approved target), read-only."""

    def __init__(self, versions: list[dict[str, Any]], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("绩效目标历史版本")
        self.resize(1100, 560)
        self.versions = versions
        self.list = QListWidget()
        for v in versions:
            self.list.addItem(f"第{v['revision']}版（已批复）\n退回原因：{v.get('reason') or ''}")
        self.list.setWordWrap(True)
        self.goals = QLabel()
        self.goals.setWordWrap(True)
        self.view = QTableView()
        self.view.verticalHeader().setDefaultSectionSize(24)
        right = QVBoxLayout()
        right.addWidget(self.goals)
        right.addWidget(self.view, 1)
        body = QHBoxLayout()
        body.addWidget(self.list, 1)
        body.addLayout(right, 3)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(close)
        self.list.currentRowChanged.connect(self.show_version)
        if versions:
            self.list.setCurrentRow(len(versions) - 1)

    def show_version(self, n: int) -> None:
        v = self.versions[n]
        lines = [f"年度目标：{v.get('annual_goal') or ''}"]
        if v.get("kind") == "部门整体支出":
            tasks = "；".join(f"{t['content']}（{t['budget']}万元）" if t.get("budget") else t["content"]
                             for t in v.get("tasks", []))
            lines += [f"整体目标：{v.get('overall_goal') or ''}", f"部门职能：{v.get('functions') or ''}", f"年度主要任务：{tasks}"]
        else:
            lines.append(f"总体目标：{v.get('overall_goal') or ''}")
        self.goals.setText("\n".join(lines))
        fields = IndicatorDraft.__dataclass_fields__
        rows = [IndicatorDraft(**{k: d[k] for k in fields if k in d}) for d in v.get("indicators", [])]
        show_grid(self.view, IndicatorGridModel(rows, read_only=True, parent=self))
