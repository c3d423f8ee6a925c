"""Pieces of the 重点评价 form: the header (评价编号, 评价对象, 类型, 实施单位, 归口科室, 资金性质, the money
with 执行率 computed live, 评价机构 — 财政 or 第三方 with the institution picked from the 第三方机构
list —, 评价方式 as checkable words), the result texts (主要绩效, 存在问题及原因, 有关建议 and the 报告摘要's
four sections), the sentences each step confirms, and
the questions a step asks (`ask_reason`, `ask_opinion`, `ask_problem` — tests patch these)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Callable, Optional

from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
    QVBoxLayout, QWidget,
)

from app.domain.key_eval import BUREAU, SUBJECT_TYPES, THIRD_PARTY, KeyEvalDraft
from app.rules.evaluation_check import CheckedEvaluation, check_evaluation
from app.rules.scoring_tree import TreeNeed, fmt
from app.services import key_eval as svc
from app.services.key_eval_records import leaves_of
from app.rules.self_eval_draft import fen
from ui import messages
from ui.dialogs.self_eval_parts import OpinionDialog, text_box

CONFIRM = {
    "submit": ("提交", "提交后评价报告不能再修改，交绩效科审核；退回修改后才能再改。确定提交吗？"),
    "submit_new": ("提交", "这项重点评价将保存并提交，提交后不能再修改，交绩效科审核；退回修改后才能再改。确定提交吗？"),
    "pass": ("审核通过", "审核通过后评价报告不能再修改，可以定稿（确需修改时可退回）。{reason}确定审核通过吗？"),
    "return": ("退回修改", "评价将回到“退回修改”，按审核意见（{reason}）修改后重新提交。确定退回吗？"),
    "finalize": ("定稿", "定稿后评价报告即为正式结果（得分{total}，等级“{grade}”），不能再修改；确需修改时须退回并说明原因。确定定稿吗？"),
    "reopen": ("退回", "这项评价已定稿。退回后回到“退回修改”（原因：{reason}），修改后须重新提交审核。确定退回吗？"),
    "rectify": ("转为整改事项", "把下面这个问题转为整改事项（状态“待整改”），由整改台账跟踪：\n{reason}\n确定吗？"),
}
HEADER_PLACES = {"object_name": "评价对象：", "budget": "预算批复金额：", "spend": "实际支出：", "code": "评价编号："}
BAD_STYLE = "background:#f8d7da"
SEPARATORS = "、，,；; "


def ask_reason(parent: QWidget, title: str, label: str) -> Optional[str]:
    """The 审核意见 of a 退回修改, or the reason of a 退回 (None: cancelled). Tests patch this."""
    text, ok = QInputDialog.getMultiLineText(parent, title, label)
    return text if ok else None


def ask_opinion(parent: QWidget) -> Optional[str]:
    """The optional 审核意见 of 审核通过 ("" allowed; None: 取消)."""
    dialog = OpinionDialog(parent)
    return dialog.text.toPlainText() if dialog.exec() == OpinionDialog.Accepted else None


def ask_problem(parent: QWidget) -> Optional[str]:
    """The problem to turn into a 整改 item when none is selected in 存在问题及原因 (None: cancelled)."""
    text, ok = QInputDialog.getMultiLineText(parent, "转为整改事项", "要整改的问题（可从“存在问题及原因”中复制一条）：")
    return text if ok else None


def rate_text(budget: str, spend: str) -> str:
    """执行率 as the reports print it (88.49%), or "" while budget or spend is missing or malformed."""
    b, s = fen(budget), fen(spend)  # None when malformed: the field is shaded, the rate waits
    if not b or s is None:
        return ""
    return f"{(Decimal(s) * 100 / Decimal(b)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def split_methods(text: str) -> list[str]:
    words, word = [], ""
    for char in text or "":
        if char in SEPARATORS:
            if word:
                words.append(word)
            word = ""
        else:
            word += char
    return words + ([word] if word else [])


def where(key: str) -> tuple[Optional[int], str]:
    """A report key as (row, field): "3:score" → (3, "score"); "budget" → (None, "budget")."""
    head, _, tail = key.partition(":")
    if tail and head.isdigit():
        return int(head), tail
    return None, key


def place(row: Optional[int], field: str) -> str:
    return f"第{row + 1}行：" if row is not None else HEADER_PLACES.get(field, "")


def printed_needs(draft: KeyEvalDraft, bands) -> list[TreeNeed]:
    """A past report's check findings, each a 提醒 pointing at its row where it names one."""
    rows = {f"指标“{leaf.name}”": n for n, leaf in enumerate(leaves_of(draft.leaves))}
    budget, spend = fen(draft.budget), fen(draft.spend)
    found = check_evaluation(CheckedEvaluation(
        draft.code or draft.object_name, draft.object_name, tuple(leaves_of(draft.leaves)), draft.printed_total,
        draft.printed_grade, budget, spend, draft.printed_rate), bands)
    return [TreeNeed(rows.get(f.where), "score", f"{f.category}：{f.problem}", blocking=False) for f in found]


class FormSteps:
    """The workflow steps of KeyEvalForm (which provides ws, draft, score, message and _run): each
    confirmed with a sentence; 退回修改 and 退回 need their reason, 审核通过 takes an optional opinion."""

    def _confirmed(self, step: str, **said) -> bool:
        title, sentence = CONFIRM[step]
        return messages.confirm_step(self, title, sentence.format(**{"reason": "", **said}))

    def submit(self) -> bool:
        if not self._confirmed("submit" if self.draft.saved else "submit_new"):
            return False
        return self._run(lambda: svc.submit(self.ws, self.current()))

    def review(self, passed: bool, opinion: Optional[str] = None) -> bool:
        """审核通过 with an optional 审核意见, or 退回修改 with one (required); 取消 stops."""
        if opinion is None:
            opinion = (ask_opinion(self) if passed else
                       ask_reason(self, "退回修改", "审核意见（说明要补充或修改什么）："))
            if opinion is None:
                return False
        opinion = opinion.strip()
        if not passed and not opinion:
            self.message.setText("退回修改时必须填写审核意见，说明要补充或修改什么。")
            return False
        said = (f"审核意见：{opinion}。" if opinion else "") if passed else opinion
        if not self._confirmed("pass" if passed else "return", reason=said):
            return False
        return self._run(lambda: svc.review(self.ws, self.draft, passed, opinion))

    def finalize(self) -> bool:
        if not self._confirmed("finalize", total=fmt(self.score.total) or "—", grade=self.score.grade or "—"):
            return False
        return self._run(lambda: svc.finalize(self.ws, self.draft))

    def reopen(self, reason: Optional[str] = None) -> bool:
        """退回 a finalized report, with the reason (asked; required)."""
        if reason is None:
            reason = ask_reason(self, "退回", "退回原因（会记录在案，作为审核意见）：")
            if reason is None:
                return False
        reason = reason.strip()
        if not reason:
            self.message.setText("退回已定稿的评价必须填写原因。")
            return False
        if not self._confirmed("reopen", reason=reason):
            return False
        return self._run(lambda: svc.reopen(self.ws, self.draft, reason))


class HeaderPanel(QWidget):
    """The evaluation's head, edited in place; `values()` gives the draft's fields as typed."""

    def __init__(self, fund_types: list[str], methods: list[str], agencies: Optional[list[tuple[int, str]]],
                 parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.edits = {key: QLineEdit() for key in ("code", "object_name", "unit_name", "office", "budget", "spend",
                                                   "evaluator_name")}
        for key, edit in self.edits.items():
            edit.setObjectName(f"head_{key}")
        self.year, self.rate, self.state = QLabel(), QLabel(), QLabel()
        self.rate.setObjectName("rate")
        self.object_type, self.fund_type, self.evaluator_kind = QComboBox(), QComboBox(), QComboBox()
        self.object_type.addItems(list(SUBJECT_TYPES))
        self.fund_type.addItems(["", *fund_types])
        self.evaluator_kind.addItems([BUREAU, THIRD_PARTY])
        self.agency = QComboBox()  # None: the 第三方机构 list is not installed — the name is typed
        self.agency.setObjectName("agency")
        self.agencies = agencies
        if agencies is not None:
            self.agency.addItem("（选择第三方机构）", None)
            for agency_id, name in agencies:
                self.agency.addItem(name, agency_id)
        self.methods = {word: QCheckBox(word) for word in methods}
        self.extra_methods: list[str] = []  # words a past report used that the pack does not list
        self.evaluator_kind.currentTextChanged.connect(self._kind_changed)
        self.agency.currentIndexChanged.connect(self._agency_chosen)
        self.edits["budget"].setFixedWidth(90)
        self.edits["spend"].setFixedWidth(90)
        self.edits["code"].setFixedWidth(70)
        self.edits["office"].setFixedWidth(110)
        self.year.setMinimumWidth(40)
        rows = [
            [("评价编号", self.edits["code"], 0), ("评价对象", self.edits["object_name"], 3), ("类型", self.object_type, 0),
             ("年度", self.year, 0), ("状态", self.state, 1)],
            [("实施单位", self.edits["unit_name"], 2), ("归口科室", self.edits["office"], 0), ("资金性质", self.fund_type, 0),
             ("预算批复金额（万元）", self.edits["budget"], 0), ("实际支出（万元）", self.edits["spend"], 0),
             ("执行率", self.rate, 0)],
            [("评价机构", self.evaluator_kind, 0)] + ([("", self.agency, 2)] if agencies is not None else [])
            + [("评价机构名称", self.edits["evaluator_name"], 2)],
        ]
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        for n, row in enumerate(rows):
            line = QHBoxLayout()
            for label, widget, stretch in row:
                if label:
                    line.addWidget(QLabel(f"{label}："))
                line.addWidget(widget, stretch)
            if n == 2:
                line.addWidget(QLabel("　评价方式："))
                for box in self.methods.values():
                    line.addWidget(box)
            layout.addLayout(line)

    def _kind_changed(self, kind: str) -> None:
        self.agency.setEnabled(kind == THIRD_PARTY and not self.edits["code"].isReadOnly())

    def _agency_chosen(self, _n: int) -> None:
        if self.agency.currentData() is not None:
            self.edits["evaluator_name"].setText(self.agency.currentText())

    def show_draft(self, draft: KeyEvalDraft, editable: bool) -> None:
        widgets = [*self.edits.values(), self.object_type, self.fund_type, self.evaluator_kind, self.agency,
                   *self.methods.values()]
        for w in widgets:
            w.blockSignals(True)
        for key, edit in self.edits.items():
            edit.setText(getattr(draft, key))
            edit.setReadOnly(not editable)
            edit.setStyleSheet("")
            edit.setToolTip("")
        for box, text in ((self.object_type, draft.object_type), (self.fund_type, draft.fund_type),
                          (self.evaluator_kind, draft.evaluator_kind or BUREAU)):
            if text and box.findText(text) < 0:
                box.addItem(text)
            box.setCurrentText(text)
            box.setEnabled(editable)
        at = self.agency.findData(draft.agency_id) if draft.agency_id is not None else 0
        self.agency.setCurrentIndex(max(at, 0))
        chosen = set(split_methods(draft.methods))
        self.extra_methods = [w for w in split_methods(draft.methods) if w not in self.methods]
        for word, box in self.methods.items():
            box.setChecked(word in chosen)
            box.setEnabled(editable)
        self.year.setText(f"{draft.year}")
        for w in widgets:
            w.blockSignals(False)
        self.agency.setEnabled(editable and self.evaluator_kind.currentText() == THIRD_PARTY)
        self.show_rate()

    def show_rate(self) -> None:
        self.rate.setText(rate_text(self.edits["budget"].text(), self.edits["spend"].text()) or "—")

    def values(self) -> dict:
        found = {key: edit.text() for key, edit in self.edits.items()}
        kind = self.evaluator_kind.currentText()
        agency_id = self.agency.currentData() if kind == THIRD_PARTY and self.agencies is not None else None
        words = [w for w, box in self.methods.items() if box.isChecked()] + self.extra_methods
        found.update(object_type=self.object_type.currentText(), fund_type=self.fund_type.currentText(),
                     evaluator_kind=kind, agency_id=agency_id, methods="、".join(words))
        return found

    def mark(self, problems: dict[str, str]) -> None:
        """Shade the header fields a refusal or the typing names (field → sentence)."""
        for key, edit in self.edits.items():
            sentence = problems.get(key)
            edit.setStyleSheet(BAD_STYLE if sentence else "")
            edit.setToolTip(sentence or "")

    def on_change(self, slot: Callable[[], None]) -> None:
        for edit in self.edits.values():
            edit.textChanged.connect(slot)
        for key in ("budget", "spend"):
            self.edits[key].textChanged.connect(self.show_rate)
        for box in (self.object_type, self.fund_type, self.evaluator_kind, self.agency):
            box.currentIndexChanged.connect(slot)
        for box in self.methods.values():
            box.toggled.connect(slot)


class TextsPanel(QWidget):
    """主要绩效, 存在问题及原因, 有关建议 and the 报告摘要's four sections (blank: drafted from the figures
    when the 摘要 is printed), and the 审核意见 (read-only) when there is one."""

    LABELS = {"main_performance": "主要绩效", "problems": "存在问题及原因", "suggestions": "有关建议",
              "summary_funds": "摘要一、项目资金投入及支出情况", "summary_conclusion": "摘要二、评价结论",
              "summary_problems": "摘要三、存在问题及原因", "summary_suggestions": "摘要四、有关建议"}

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        hints = {"summary_funds": "不填时按预算批复金额、实际支出和执行率生成",
                 "summary_conclusion": "不填时按综合得分、等级和各维度得分生成",
                 "summary_problems": "不填时用“存在问题及原因”", "summary_suggestions": "不填时用“有关建议”"}
        self.boxes = {key: text_box(70 if key in ("main_performance", "problems", "suggestions") else 44,
                                    hints.get(key, "")) for key in self.LABELS}
        self.opinion = text_box(40)
        self.opinion.setReadOnly(True)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        for key, label in self.LABELS.items():
            self.boxes[key].setObjectName(f"text_{key}")
            form.addRow(f"{label}：", self.boxes[key])
        self.opinion_row = form.rowCount()
        form.addRow("审核意见：", self.opinion)
        self.form = form

    def show_draft(self, draft: KeyEvalDraft, editable: bool) -> None:
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setPlainText(getattr(draft, key))
            box.setReadOnly(not editable)
            box.blockSignals(False)
        self.opinion.setPlainText(draft.review_opinion)
        self.form.setRowVisible(self.opinion_row, bool(draft.review_opinion))

    def values(self) -> dict[str, str]:
        return {key: box.toPlainText() for key, box in self.boxes.items()}

    def selected_problem(self) -> str:
        """The text selected in 存在问题及原因 (paragraph breaks as new lines)."""
        return self.boxes["problems"].textCursor().selectedText().replace("\u2029", "\n").strip()

    def on_change(self, slot: Callable[[], None]) -> None:
        for box in self.boxes.values():
            box.textChanged.connect(slot)
