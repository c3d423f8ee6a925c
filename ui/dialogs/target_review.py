"""The dialogs a target form opens: the 绩效科 review (four scores and the opinion) and the earlier
versions of a target that was reopened after approval."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable, Optional

from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QPlainTextEdit, QPushButton, QSpinBox, QTableView,
    QVBoxLayout, QWidget,
)

from app.domain.targets import IndicatorDraft
from ui import messages
from ui.models.indicator_grid import IndicatorGridModel, show_grid

REVIEW_ITEMS = ("完整性", "相关性", "合理性", "可衡量性")
UNSCORED = -1  # a spin box's value before the reviewer scores (shown as 未打分)
PASS_SENTENCE = "审核通过后这个绩效目标不能再修改，等待批复。确定审核通过吗？"
RETURN_SENTENCE = "这个绩效目标将退回填报人修改，审核意见随退回记录在案，修改后须重新提交审核。确定退回修改吗？"


class ReviewDialog(QDialog):
    """绩效科审核: four scores (none given yet), the opinion (drafted from the check's findings,
    editable), pass or return. 审核通过 needs every score; 退回修改 needs the opinion and all scores
    or none. Each asks for confirmation in a sentence; `on_decide(scores, passed, opinion)` takes
    the step and answers whether it was taken — the dialog closes only then."""

    def __init__(self, opinion: str, parent: Optional[QWidget] = None,
                 on_decide: Optional[Callable[[dict, bool, str], bool]] = None):
        super().__init__(parent)
        self.setWindowTitle("绩效目标审核")
        self.resize(640, 420)
        self.on_decide = on_decide
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for item in REVIEW_ITEMS:
            spin = QSpinBox()
            spin.setRange(UNSCORED, 100)
            spin.setSpecialValueText("未打分")
            spin.setValue(UNSCORED)
            spin.setSuffix(" 分")
            spin.setObjectName(f"score_{item}")
            self.spins[item] = spin
            form.addRow(f"{item}：", spin)
        self.opinion = QPlainTextEdit(opinion)
        form.addRow("审核意见：", self.opinion)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #c0392b;")
        self.problem.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons: dict[bool, QPushButton] = {}
        for text, passed in (("审核通过", True), ("退回修改", False)):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, p=passed: self.decide(p))
            buttons.addWidget(button)
            self.buttons[passed] = button
        cancel = QPushButton("取消")
        cancel.clicked.connect(self.reject)
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)

    def scores(self) -> dict[str, Decimal]:
        """The scores given so far."""
        return {k: Decimal(s.value()) for k, s in self.spins.items() if s.value() != UNSCORED}

    def decide(self, passed: bool) -> bool:
        """审核通过 (passed) or 退回修改, once the scores allow it and the reviewer confirms; True when
        the step was taken (the dialog then closes)."""
        scores, items = self.scores(), "、".join(REVIEW_ITEMS)
        if passed and len(scores) < len(REVIEW_ITEMS):
            self.problem.setText(f"请先为{items}各打分（0到100分），再审核通过。")
            return False
        if not passed and 0 < len(scores) < len(REVIEW_ITEMS):
            self.problem.setText(f"请为{items}各打分，或都不打分再退回修改。")
            return False
        if not passed and not self.opinion.toPlainText().strip():
            self.problem.setText("退回修改时请填写审核意见，说明要改什么。")
            return False
        self.problem.setText("")
        if not messages.confirm_step(self, "审核通过" if passed else "退回修改",
                                     PASS_SENTENCE if passed else RETURN_SENTENCE):
            return False
        if self.on_decide is not None and not self.on_decide(scores, passed, self.opinion.toPlainText()):
            return False
        self.accept()
        return True


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
