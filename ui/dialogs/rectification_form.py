"""整改事项 form: where the item came from (来源, its link and project, read-only), 问题类别, 问题描述,
整改要求, 责任单位, 反馈日期, 整改期限, 整改措施, 进度, 完成日期 (typed while 待整改 or 整改中), its 佐证材料
(添加… saves a new or changed item first, 打开, 删除) and the 财政核验 block (核验结果, 核验人, 日期, 核验意见)
filled by the bureau once the unit has reported. Steps by state: 保存, 开始整改, 报送核验 (the measures
and the 完成日期 saved first), 核验通过, 核验未通过 (核验意见 required; back to 整改中), 销号 (after 核验通过),
each confirmed (`ui.messages.confirm_step`); closing with unsaved typing asks 保存 / 不保存 / 取消."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from PySide6.QtWidgets import (
    QComboBox, QDialog, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QVBoxLayout, QWidget,
)

from app.domain.rectification import CATEGORIES, PASSED, TO_VERIFY, RectificationDraft
from app.rules import fields as F
from app.rules.fields import day as parse_date
from app.rules.validation import RejectedError
from app.services import rectification as svc
from app.services.workspace import Workspace
from ui import messages
from ui.dialogs.evidence_actions import EvidenceActions
from ui.dialogs.self_eval_parts import EvidenceBox, text_box
from ui.messages import show_error
from ui.widgets import button

LINK_WORDS = {"monitoring_record_id": "监控表", "self_evaluation_id": "绩效自评表", "key_evaluation_id": "重点评价",
              "exante_id": "事前绩效评估", "verification_item_id": "真实性核查结果"}
DATE_FIELDS = {"feedback_date": "反馈日期", "deadline": "整改期限", "completed_on": "完成日期"}
TEXT_FIELDS = ("description", "requirement", "measures", "progress")
CONFIRM = {
    "start": ("开始整改", "开始整改后，事项状态变为“整改中”。确定开始整改吗？"),
    "report": ("报送核验", "报送后由财政部门核验，整改内容不能再修改。确定报送核验吗？"),
    "pass": ("核验通过", "核验结果记为“通过”，之后可以销号。确定核验通过吗？"),
    "fail": ("核验未通过", "核验结果记为“未通过”，事项退回“整改中”继续整改。核验意见：{opinion}。确定吗？"),
    "close": ("销号", "销号后这个整改事项办结，不能再修改。确定销号吗？"),
}


def date_box(name: str) -> QLineEdit:
    box = QLineEdit()
    box.setObjectName(name)
    box.setPlaceholderText("如2023-10-15")
    box.setMaximumWidth(130)
    return box


def shown_date(d: Optional[date]) -> str:
    return d.isoformat() if d else ""


class RectificationForm(EvidenceActions, QDialog):
    evidence_service = svc

    def __init__(self, ws: Workspace, draft: RectificationDraft, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.resize(900, 760)
        self.origin, self.state = QLabel(), QLabel()
        self.origin.setObjectName("origin")
        self.origin.setWordWrap(True)
        self.category = QComboBox()
        self.category.setObjectName("category")
        self.category.addItems(["", *CATEGORIES])
        self.texts = {"description": text_box(64, "发现的问题"), "requirement": text_box(52, "要求责任单位怎样整改"),
                      "measures": text_box(64, "责任单位采取的整改措施"), "progress": text_box(40, "整改进展情况")}
        for name, box in self.texts.items():
            box.setObjectName(name)
        self.responsible = QLineEdit()
        self.responsible.setObjectName("responsible")
        self.dates = {name: date_box(name) for name in DATE_FIELDS}
        self.evidence = EvidenceBox(self.add_evidence, self.open_evidence, self.remove_evidence)
        self.verify_result, self.verifier, self.verified_on = QLabel(), QLineEdit(), date_box("verified_on")
        self.verify_result.setObjectName("verify_result")
        self.verifier.setObjectName("verifier")
        self.opinion = text_box(48, "核验未通过时必填：还要怎样整改")
        self.opinion.setObjectName("verify_opinion")
        self.message = QLabel()
        self.message.setStyleSheet("color:#B00020")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self._layout()
        self.show_draft(draft)

    def _layout(self) -> None:
        item = QFormLayout()
        item.addRow("来源：", self.origin)
        item.addRow("状态：", self.state)
        item.addRow("问题类别：", self.category)
        item.addRow("问题描述：", self.texts["description"])
        item.addRow("整改要求：", self.texts["requirement"])
        item.addRow("责任单位：", self.responsible)
        dates = QHBoxLayout()
        for name, label in DATE_FIELDS.items():
            dates.addWidget(QLabel(f"{label}："))
            dates.addWidget(self.dates[name])
        dates.addStretch(1)
        item.addRow(dates)
        item.addRow("整改措施：", self.texts["measures"])
        item.addRow("进度：", self.texts["progress"])
        check = QGroupBox("财政核验")
        verify = QFormLayout(check)
        verify.addRow("核验结果：", self.verify_result)
        row = QHBoxLayout()
        row.addWidget(self.verifier)
        row.addWidget(QLabel("核验日期："))
        row.addWidget(self.verified_on)
        verify.addRow("核验人：", row)
        verify.addRow("核验意见：", self.opinion)
        flow = QHBoxLayout()
        for text, slot, name in (("保存", self.save, "save"), ("开始整改", self.start, "start"),
                                 ("报送核验", self.report, "report"), ("核验通过", lambda: self.verify(True), "pass"),
                                 ("核验未通过", lambda: self.verify(False), "fail"), ("销号", self.close_item, "close_item")):
            self.buttons[name] = button(text, slot, name)
            flow.addWidget(self.buttons[name])
        flow.addStretch(1)
        self.buttons["close"] = button("关闭", self.reject, "close")
        flow.addWidget(self.buttons["close"])
        layout = QVBoxLayout(self)
        layout.addLayout(item)
        layout.addWidget(self.evidence)
        layout.addWidget(check)
        layout.addWidget(self.message)
        layout.addLayout(flow)

    # -- showing ---------------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return svc.WORKFLOW.can_edit(self.draft.status) if self.draft.editable is None else self.draft.editable

    def show_draft(self, draft: RectificationDraft) -> None:
        self.draft = draft
        self.setWindowTitle(f"整改事项 — {draft.description[:30] or '新增'}")
        where = [draft.source]
        where += [f"由{LINK_WORDS.get(k, k)}（第{v}号）转来" for k, v in draft.links.items()]
        if draft.source_ref:
            where.append(f"来源编号{draft.source_ref}")
        if draft.project_code or draft.project_name:
            where.append(f"项目：{draft.project_code} {draft.project_name}".strip())
        self.origin.setText("，".join(where))
        editable, status = self.editable, draft.status
        self.state.setText((status if draft.saved else "新增（尚未保存，保存后建立）") + ("" if editable else "（只读）"))
        self.category.setCurrentText(draft.category if draft.category in CATEGORIES else "")
        self.category.setEnabled(editable)
        for name, box in self.texts.items():
            box.setPlainText(getattr(draft, name))
            box.setReadOnly(not editable)
        self.responsible.setText(draft.responsible)
        self.responsible.setReadOnly(not editable)
        for name, box in self.dates.items():
            box.setText(shown_date(getattr(draft, name)))
            box.setReadOnly(not editable)
        offered = svc.WORKFLOW.actions_from(status) if draft.actions is None else draft.actions  # this user's
        verifying = draft.saved and status == TO_VERIFY and svc.VERIFY_PASS.action in offered
        self.verify_result.setText(draft.verify_result or "（尚未核验）")
        self.verifier.setText(draft.verifier)
        self.verified_on.setText(shown_date(draft.verified_on or (date.today() if verifying else None)))
        self.opinion.setPlainText(draft.verify_opinion)
        for box in (self.verifier, self.verified_on):
            box.setReadOnly(not verifying)
        self.opinion.setReadOnly(not verifying)
        saved = draft.saved
        self.buttons["save"].setEnabled(editable)
        self.buttons["start"].setEnabled(saved and svc.START.action in offered)
        self.buttons["report"].setEnabled(svc.REPORT.action in offered)
        self.buttons["pass"].setEnabled(verifying and draft.verify_result != PASSED)
        self.buttons["fail"].setEnabled(verifying)
        self.buttons["close_item"].setEnabled(verifying and draft.verify_result == PASSED)
        self.show_evidence()
        self._shown = self._typed()  # what "unchanged" means until the next save or step

    def show_evidence(self) -> None:
        self.evidence.show_rows(svc.evidence(self.ws, self.draft), self.editable and self.draft.saved)
        self.evidence.buttons["add_evidence"].setEnabled(self.editable)  # a new item is saved first

    def _typed(self) -> tuple:
        return (self.category.currentText(), self.responsible.text(), *(b.toPlainText() for b in self.texts.values()),
                *(b.text() for b in self.dates.values()))

    def is_dirty(self) -> bool:
        return self.editable and self._typed() != self._shown

    def current(self) -> RectificationDraft:
        """The draft as typed; a date that is not a date is refused in a sentence naming it."""
        dates, wrong = {}, []
        for name, label in DATE_FIELDS.items():
            try:
                dates[name] = parse_date(self.dates[name].text())
            except F.FieldInvalid:
                wrong.append(label)
        if wrong:
            raise RejectedError(f"{'、'.join(wrong)}不是日期，请写成年-月-日，如2023-10-15（可不填）。")
        return replace(self.draft, category=self.category.currentText(), responsible=self.responsible.text(),
                       **{name: box.toPlainText() for name, box in self.texts.items()}, **dates)

    def reject(self) -> None:
        """关闭, Esc and the window's close button: unsaved typing asks 保存 / 不保存 / 取消 first."""
        if messages.may_close(self, "这个整改事项", self.is_dirty(), self.save):
            super().reject()

    # -- saving and the steps ----------------------------------------------------------------------
    def _run(self, action, title: str = "未完成") -> bool:
        try:
            draft = action()
        except RejectedError as exc:
            self.refuse(exc, title)
            return False
        self.message.clear()
        self.show_draft(draft)
        return True

    def refuse(self, exc: RejectedError, title: str) -> None:
        """A refusal said under the form (its sentences) and in a box."""
        lines = [p.message for p in exc.report.problems] if exc.report else []
        self.message.setText("　".join([exc.summary, *[t for t in lines if t != exc.summary]]))
        show_error(self, exc, title)

    def _confirmed(self, step: str, **said) -> bool:
        title, sentence = CONFIRM[step]
        return messages.confirm_step(self, title, sentence.format(**said))

    def _saved_first(self) -> bool:
        """A new item, or typing not yet saved, is saved before a step or a file."""
        return (self.draft.saved and not self.is_dirty()) or self.save()

    def save(self) -> bool:
        return self._run(lambda: svc.save(self.ws, self.current()), "未保存")

    def start(self) -> bool:
        if not self._saved_first() or not self._confirmed("start"):
            return False
        return self._run(lambda: svc.start(self.ws, self.draft))

    def report(self) -> bool:
        """报送核验: what is typed (整改措施, 完成日期) saved first, then reported."""
        if not self._saved_first() or not self._confirmed("report"):
            return False
        return self._run(lambda: svc.report(self.ws, self.draft))

    def verify(self, passed: bool) -> bool:
        """核验通过 / 核验未通过 with the 核验人, date and 意见 typed in the 财政核验 block."""
        opinion = self.opinion.toPlainText().strip()
        if not passed and not opinion:
            self.message.setText("核验未通过时请填写核验意见，说明还要怎样整改。")
            self.opinion.setFocus()
            return False
        try:
            on = parse_date(self.verified_on.text()) or date.today()
        except F.FieldInvalid:
            self.message.setText("核验日期不是日期，请写成年-月-日，如2023-10-15。")
            return False
        if not self._confirmed("pass" if passed else "fail", opinion=opinion):
            return False
        verifier = self.verifier.text()
        return self._run(lambda: svc.verify(self.ws, self.draft, passed, verifier, on, opinion))

    def close_item(self) -> bool:
        if not self._confirmed("close"):
            return False
        return self._run(lambda: svc.close(self.ws, self.draft))

