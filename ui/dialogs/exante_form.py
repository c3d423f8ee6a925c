"""事前绩效评估 form: the subject and money (申报金额, 建议安排金额 typed; 调减金额 derived), the
审核评估主体 (财政 or a 第三方机构), the five dimensions' items with the 部门自评估 and the 审核评估
side by side (rating comboboxes; points follow the rating unless typed, 0..分值), scored on every
keystroke by app.rules.exante (rules fetched once when the form opens); totals, grades and the
conclusion the pack suggests shown live, the conclusion chosen by the evaluator. The report's
texts on the second tab. 保存, 提交, 审核通过, 退回修改…, 定稿, 退回… by the workflow; 打印报告… through
the print preview. Steps ask `ui.messages.confirm_step`, closing with unsaved typing
`ui.messages.ask_unsaved`; a reason is asked through `ask_reason` (tests patch it)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFormLayout, QGridLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
    QPlainTextEdit, QPushButton, QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from app.domain.exante import CONCLUSIONS, EVALUATOR_KINDS, ExAnteDraft
from app.domain.rectification import EXANTE
from app.money import fmt_wan
from app.rules.exante import ExAnteRules, score_draft, validate
from app.rules.scoring_tree import fmt
from app.rules.validation import RejectedError, Report
from app.services import exante as svc
from app.services import rectification_sources as sources
from app.services.workspace import Workspace
from ui import messages
from ui.dialogs.source_items import SourceItems
from ui.messages import show_error
from ui.models.exante_grid import RATING_COLUMNS, WIDTHS, ExAnteGridModel, RatingDelegate
from ui.widgets import button

TEXTS = (("report_basic", "一、基本情况"), ("report_work", "二、评估工作开展情况"), ("report_conclusion", "三、评估结论"),
         ("report_suggestions", "四、有关建议"), ("expert_opinion", "专家意见"))
CONFIRM = {
    "submit": ("提交", "提交后这份事前评估不能再修改，由绩效科审核。确定提交吗？"),
    "pass": ("审核通过", "审核通过后可以定稿。{reason}确定审核通过吗？"),
    "return": ("退回修改", "退回后评估人员可以修改。审核意见：{reason}。确定退回吗？"),
    "finalize": ("定稿", "定稿后评估报告即为最终结果，建议安排金额和调减金额作为预算安排依据。确定定稿吗？"),
    "reopen": ("退回", "退回后这份已定稿的评估回到退回修改状态。原因：{reason}。确定退回吗？"),
}


def ask_reason(parent: QWidget, title: str, label: str) -> Optional[str]:
    """A reason typed by the user (None: 取消). Tests patch this module function."""
    text, ok = QInputDialog.getMultiLineText(parent, title, label)
    return text if ok else None


class ExAnteForm(QDialog):
    def __init__(self, ws: Workspace, draft: ExAnteDraft, parent: Optional[QWidget] = None,
                 rules: Optional[ExAnteRules] = None, agencies: Optional[list[tuple[int, str]]] = None):
        super().__init__(parent)
        self.ws = ws
        self.active = rules or svc.rules(ws)  # once: typing never reads the database
        self.rules = self.active  # show_draft: a stored score's own version's (svc.rules_for)
        self.agencies = agencies if agencies is not None else svc.agencies(ws)
        self.draft = draft
        self.setWindowTitle(f"事前绩效评估 — {draft.object_name or '新评估'}")
        self.resize(1320, 700)
        self.head = QLabel()
        self.head.setWordWrap(True)
        self.object_name, self.requested, self.recommended = QLineEdit(), QLineEdit(), QLineEdit()
        self.cut = QLabel()
        self.cut.setObjectName("cut")
        self.kind, self.agency, self.conclusion = QComboBox(), QComboBox(), QComboBox()
        self.kind.addItems(list(EVALUATOR_KINDS))
        self.agency.setEditable(True)
        self.agency.addItems([""] + [name for _, name in self.agencies])
        self.conclusion.addItems(["", *CONCLUSIONS])
        self.conclusion.setObjectName("conclusion")
        self.view = QTableView()
        self.view.setObjectName("exante_grid")
        self.view.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(22)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setEditTriggers(QAbstractItemView.AllEditTriggers)
        self.delegate = RatingDelegate(self.view)
        self.totals, self.suggestion, self.needs = QLabel(), QLabel(), QLabel()
        self.totals.setObjectName("totals")
        for label in (self.totals, self.suggestion, self.needs):
            label.setWordWrap(True)
        self.needs.setStyleSheet("color:#6b4f00")
        self.needs.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.boxes = {key: QPlainTextEdit() for key, _ in TEXTS}
        self.message = QLabel()
        self.message.setStyleSheet("color:#B00020")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.refused = Report()
        self._layout()
        for edit in (self.object_name, self.requested, self.recommended):
            edit.textChanged.connect(self._typed)
        for box in (self.kind, self.agency, self.conclusion):
            box.currentTextChanged.connect(self._typed)
        for box in self.boxes.values():
            box.textChanged.connect(self._typed)
        self.show_draft(draft)

    def _layout(self) -> None:
        fields = QGridLayout()
        for n, (label, widget) in enumerate((("评估对象：", self.object_name), ("申报金额（万元）：", self.requested),
                                             ("建议安排金额（万元）：", self.recommended), ("调减金额（万元）：", self.cut),
                                             ("审核评估主体：", self.kind), ("评估机构：", self.agency))):
            fields.addWidget(QLabel(label), n // 3, (n % 3) * 2)
            fields.addWidget(widget, n // 3, (n % 3) * 2 + 1)
        side = QWidget()
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.totals)
        form = QFormLayout()
        form.addRow("评估结论：", self.conclusion)
        right.addLayout(form)
        right.addWidget(self.suggestion)
        right.addWidget(QLabel("需要处理的地方："))
        right.addWidget(self.needs, 1)
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 300])
        texts = QWidget()
        grid = QGridLayout(texts)
        for n, (key, label) in enumerate(TEXTS):
            grid.addWidget(QLabel(label), (n // 2) * 2, n % 2)
            grid.addWidget(self.boxes[key], (n // 2) * 2 + 1, n % 2)
        self.items = SourceItems(self.ws, EXANTE, self.to_rectification,
                                 hint="评估结论为“调整后支持”或“不予支持”时，可把结论和建议转为整改事项，由整改台账跟踪。")
        self.items.setMaximumHeight(160)
        grid.addWidget(self.items, len(TEXTS) + 2, 0, 1, 2)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "评估评分（部门自评估与审核评估）")
        self.tabs.addTab(texts, "评估报告内容")
        flow = QHBoxLayout()
        for text, slot, name in (("保存", self.save, "save"), ("提交", self.submit, "submit"),
                                 ("审核通过", lambda: self.review(True), "pass"),
                                 ("退回修改…", lambda: self.review(False), "return"), ("定稿", self.finalize, "finalize"),
                                 ("退回…", self.reopen, "reopen")):
            self.buttons[name] = button(text, slot, name)
            flow.addWidget(self.buttons[name])
        flow.addStretch(1)
        for text, slot, name in (("打印报告…", self.print_report, "print"), ("关闭", self.reject, "close")):
            self.buttons[name] = button(text, slot, name)
            flow.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addLayout(fields)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(flow)

    # -- showing ---------------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        return svc.WORKFLOW.can_edit(self.draft.status) if self.draft.editable is None else self.draft.editable

    def show_draft(self, draft: ExAnteDraft) -> None:
        self.draft = draft
        editable = self.editable
        self.rules = svc.rules_for(self.ws, draft, self.active)
        self.model = ExAnteGridModel([replace(line) for line in draft.lines], not editable or draft.printed, self)
        self.view.setModel(self.model)
        self.model.edited.connect(self._typed)
        for n, width in enumerate(WIDTHS):
            self.view.setColumnWidth(n, width)
        for attr in RATING_COLUMNS:
            self.view.setItemDelegateForColumn(self.model.column_of(attr), self.delegate)
        for widget, text in ((self.object_name, draft.object_name), (self.requested, draft.requested),
                             (self.recommended, draft.recommended)):
            widget.blockSignals(True)
            widget.setText(text)
            widget.setReadOnly(not editable)
            widget.blockSignals(False)
        self.object_name.setReadOnly(not editable or draft.project_id is not None)
        agency = next((name for aid, name in self.agencies if aid == draft.agency_id), draft.evaluator_name)
        for box, text in ((self.kind, draft.evaluator_kind), (self.agency, agency), (self.conclusion, draft.conclusion)):
            box.blockSignals(True)
            box.setCurrentText(text)
            box.setEnabled(editable)
            box.blockSignals(False)
        for key, box in self.boxes.items():
            box.blockSignals(True)
            box.setPlainText(getattr(draft, key))
            box.setReadOnly(not editable)
            box.blockSignals(False)
        state = draft.status if draft.saved else "新评估（尚未保存，保存后建立）"
        where = f"项目：{draft.code} {draft.object_name}    主管部门：{draft.department}" if draft.code else \
            f"评估对象：{draft.object_name or '（新项目或政策，请填写名称）'}"
        printed = "    往年评估按原报告录入（得分、等级照录）" if draft.printed else ""
        self.head.setText(f"{where}    预算年度：{draft.year}    状态：{state}{'' if editable else '（只读）'}{printed}")
        status = draft.status
        self.buttons["save"].setEnabled(editable)
        offered = svc.WORKFLOW.actions_from(status) if draft.actions is None else draft.actions  # this user's
        self.buttons["submit"].setEnabled(svc.SUBMIT.action in offered)
        for name, step in (("pass", svc.PASS), ("return", svc.RETURN), ("finalize", svc.FINALIZE),
                           ("reopen", svc.REOPEN_FINALIZED)):
            self.buttons[name].setEnabled(draft.saved and step.action in offered)
        self.items.refresh(draft.assessment_id)
        self.recheck()
        self._shown = self.current()

    def current(self) -> ExAnteDraft:
        """The draft as typed (copies of the lines)."""
        agency = self.agency.currentText().strip()
        agency_id = next((aid for aid, name in self.agencies if name == agency), None)
        return replace(self.draft, object_name=self.object_name.text().strip(), requested=self.requested.text().strip(),
                       recommended=self.recommended.text().strip(), evaluator_kind=self.kind.currentText(),
                       agency_id=agency_id, evaluator_name="" if agency_id else agency,
                       conclusion=self.conclusion.currentText(), lines=[replace(line) for line in self.model.lines],
                       **{key: box.toPlainText() for key, box in self.boxes.items()})

    def is_dirty(self) -> bool:
        return self.editable and self.current() != self._shown

    def _typed(self, *_args) -> None:
        self.refused = Report()
        self.recheck()

    def recheck(self) -> None:
        """Score as typed: the points each rating gives, the dimensions, totals, grades, the
        suggested conclusion, 调减金额 and what still needs doing."""
        draft = self.current()
        s = score_draft(draft, self.rules)
        self.score = s
        self.model.set_score(s)
        problems = [*(validate(draft).problems if self.editable else []), *self.refused.problems]
        marks = {}
        lines = []
        for p in problems:
            row, _, attr = p.field.partition(":")
            if attr and row.isdigit():
                marks[(int(row), attr)] = (True, p.message)
            lines.append(p.message)
        for need in (s.needs if self.editable else ()):
            if need.row is not None:
                marks.setdefault((need.row, "score" if need.field == "score" else "self_score"), (need.blocking, need.sentence))
            lines.append(("" if need.blocking else "提醒：") + need.sentence)
        self.model.set_marks(marks)
        self.needs.setText("\n".join(dict.fromkeys(lines)) if lines else "没有需要处理的地方。")
        self.cut.setText(fmt_wan(s.cut_fen) if s.cut_fen is not None else "（填写两项金额后自动计算）")
        dims = "\n".join(f"{own.name}：分值{fmt(rev.points)}，自评估{fmt(own.score) or '—'}{own.grade}，"
                         f"审核{fmt(rev.score) or '—'}{rev.grade}" for own, rev in zip(s.own.dimensions, s.review.dimensions))
        self.totals.setText(f"部门自评估：{fmt(s.self_total) or '—'}分 {s.self_grade}\n"
                            f"审核评估：{fmt(s.total) or '—'}分 等级：{s.grade or '—'}\n{dims}".rstrip()
                            + ("" if draft.printed else f"\n按规则方案第{self.rules.version}版计分"))
        self.suggestion.setText(f"按得分建议的结论：{s.suggestion}" if s.suggestion else "评分完成后给出建议的结论。")

    def reject(self) -> None:
        """关闭, Esc and the window's close button: unsaved typing asks 保存 / 不保存 / 取消 first."""
        if messages.may_close(self, "这份事前评估", self.is_dirty(), self.save):
            super().reject()

    # -- saving and the workflow --------------------------------------------------------------------
    def _run(self, action) -> bool:
        try:
            draft = action()
        except RejectedError as exc:
            self.refused = exc.report
            self.message.setText("　".join([exc.summary, *[p.message for p in exc.report.problems]]))
            self.recheck()
            show_error(self, exc, "未完成")
            return False
        self.refused = Report()
        self.message.clear()
        self.show_draft(draft)
        return True

    def _confirmed(self, step: str, reason: str = "") -> bool:
        title, sentence = CONFIRM[step]
        return messages.confirm_step(self, title, sentence.format(reason=reason))

    def save(self) -> bool:
        return self._run(lambda: svc.save(self.ws, self.current()))

    def to_rectification(self) -> bool:
        """转为整改事项: the conclusion with its 有关建议 becomes a 整改 item (a new or changed
        assessment is saved first)."""
        if (self.draft.assessment_id is None or self.is_dirty()) and not self.save():
            return False
        return self.items.make(lambda: sources.from_exante(self.ws, self.draft.assessment_id, notice=date.today()),
                               self.draft.assessment_id, "这项评估的结论和建议")

    def submit(self) -> bool:
        if not self._confirmed("submit"):
            return False
        return self._run(lambda: svc.submit(self.ws, self.current()))

    def review(self, passed: bool, opinion: Optional[str] = None) -> bool:
        """审核通过 (an optional 审核意见) or 退回修改 (a required one)."""
        if opinion is None:
            opinion = ask_reason(self, "审核通过" if passed else "退回修改",
                                 "审核意见（可不填）：" if passed else "审核意见（说明要补充或修改什么）：")
            if opinion is None:
                return False
        opinion = opinion.strip()
        if not passed and not opinion:
            self.message.setText("退回修改时必须填写审核意见，说明要补充或修改什么。")
            return False
        said = f"审核意见：{opinion}。" if passed and opinion else ""
        if not self._confirmed("pass" if passed else "return", said if passed else opinion):
            return False
        return self._run(lambda: svc.review(self.ws, self.draft, passed, opinion))

    def finalize(self) -> bool:
        if not self._confirmed("finalize"):
            return False
        return self._run(lambda: svc.finalize(self.ws, self.draft))

    def reopen(self, reason: Optional[str] = None) -> bool:
        if reason is None:
            reason = ask_reason(self, "退回", "退回原因（会记录在案，作为审核意见）：")
            if reason is None:
                return False
        reason = reason.strip()
        if not reason:
            self.message.setText("退回已定稿的评估必须填写原因。")
            return False
        if not self._confirmed("reopen", reason):
            return False
        return self._run(lambda: svc.reopen(self.ws, self.draft, reason))

    def print_report(self):
        """打印报告…: the 事前绩效评估报告 of what is on screen, through the print preview."""
        from app.io.exante_reports import render_report
        from app.services.exante_year import report_view
        from ui.print_preview import print_report

        ws, draft, agency = self.ws, self.current(), self.agency.currentText().strip()
        return print_report(self, f"{draft.object_name} 事前绩效评估报告",
                            lambda path, job=None: render_report(report_view(ws, draft, agency), path))
