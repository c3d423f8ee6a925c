"""项目绩效运行监控表 for one project: money to the cut-off with its light as you type, each
indicator's progress with the cause of any deviation; save, submit, pass or return (退回修改; a
record already passed: 退回 with a reason). The record is read in the background when the dialog
opens ("正在读取…"); a save tells every page through the change notifications.

No lost typing: closing with unsaved changes (the window's close button, 关闭, Esc) asks 保存 / 不保存 /
取消 (ui.messages.ask_unsaved); 提交, 审核通过 and 退回 first say what will happen and ask
(ui.messages.confirm_step); the reason for a 退回 is asked by `ask_reason` (tests patch these)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from PySide6.QtWidgets import (
    QAbstractItemView, QDialog, QFormLayout, QHBoxLayout, QInputDialog, QLabel, QLineEdit,
    QPushButton, QTableView, QVBoxLayout, QWidget,
)

from app.domain.monitoring import RecordDraft
from app.domain.rectification import MONITORING
from app.money import fmt_wan
from app.rules import monitoring as rules
from app.rules.validation import RejectedError
from app.services import monitoring_records as svc
from app.services import rectification_sources as sources
from app.services.workflow import PASS, REOPEN_PASSED, RETURN, SUBMIT
from app.services.workspace import Workspace
from ui.dialogs.source_items import SourceItems
from ui.dialogs.target_form import text_box
from ui import messages
from ui.messages import show_error
from ui.models.indicator_grid import EditableGridModel
from ui.ops import Loader
from ui.widgets import button
from ui import files
from ui.workers import run_export

COLUMNS = [("三级指标", "level3"), ("指标性质", "direction"), ("全年目标值", "target"), ("计量单位", "unit"),
           ("截至完成值", "completed"), ("全年预计完成值", "projected"), ("偏差原因类别", "cause_class"),
           ("偏差原因说明", "cause_note"), ("完成可能性", "likelihood"), ("纠偏措施", "measures"),
           ("需要整改", "needs_rectification"), ("整改要求和建议", "requirement")]
WIDTHS = (200, 56, 80, 60, 80, 96, 90, 150, 76, 150, 64, 150)
ATTRS = [attr for _, attr in COLUMNS]
FIXED = ("level3", "direction", "target", "unit")
CONFIRM = {
    "submit": ("提交", "提交后监控表不能再修改，由绩效科审核。确定提交吗？"),
    "pass": ("审核通过", "审核通过后监控表定稿，填报单位不能再修改（确需修改时可再退回）。确定审核通过吗？"),
    "return": ("退回", "退回后监控表回到“退回修改”，填报单位按审核意见修改后重新提交。确定退回吗？"),
    "reopen": ("退回", "这份监控表已审核通过。退回后回到“退回修改”，填报单位按退回原因修改后重新提交。确定退回吗？"),
}
LIGHT_STYLE = {rules.RED: "background:#FFC7CE", rules.YELLOW: "background:#FFEB9C", rules.GREEN: "background:#C6EFCE",
               rules.NOT_FILLED: "background:#EEEEEE"}


class RecordDialog(QDialog):
    def __init__(self, ws: Workspace, record_id: int, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.record_id = record_id
        self.draft: Optional[RecordDraft] = None  # None until the record is read
        self.setWindowTitle("项目绩效运行监控表")
        self.resize(1300, 680)
        self.head = QLabel()
        self.executed, self.projected = QLineEdit(), QLineEdit()
        self.light = QLabel()
        self.light.setMinimumWidth(220)
        self.budget_cause = text_box(48, "亮红灯时必填：执行偏慢的原因和纠偏措施")
        self.overall = text_box(40, "目标执行总体情况")
        self.message = QLabel()
        self.message.setStyleSheet("color:#B00020")
        self.message.setWordWrap(True)
        money = QHBoxLayout()
        for label, edit in (("截至执行数（万元）：", self.executed), ("全年预计执行数（万元）：", self.projected)):
            money.addWidget(QLabel(label))
            money.addWidget(edit)
        money.addWidget(self.light)
        money.addStretch(1)
        form = QFormLayout()
        form.addRow(money)
        form.addRow("执行偏慢原因及措施：", self.budget_cause)
        form.addRow("目标执行总体情况：", self.overall)
        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.buttons: dict[str, QPushButton] = {}
        bar = QHBoxLayout()
        for text, slot, name in (("保存", self.save, "save"), ("提交", self.submit, "submit"),
                                 ("审核通过", lambda: self.review(True), "pass"), ("退回…", lambda: self.review(False), "return")):
            self.buttons[name] = button(text, slot, name)
            bar.addWidget(self.buttons[name])
        bar.addStretch(1)
        for text, slot, name in (("导出监控表（PDF/Excel）…", self.export, "export"), ("打印…", self.print_sheet, "print"),
                                 ("关闭", self.reject, "close")):
            self.buttons[name] = button(text, slot, name)
            bar.addWidget(self.buttons[name])
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addLayout(form)
        layout.addWidget(QLabel("绩效指标完成情况（全年预计完成值达不到目标的行标红，须选偏差原因类别：" + "、".join(rules.CAUSE_CLASSES) + "）："))
        layout.addWidget(self.view, 1)
        self.items = SourceItems(ws, MONITORING, self.to_rectification,
                                 hint="在上表中选中一行“需要整改”为“是”的指标，再点“转为整改事项”。")
        self.items.setMaximumHeight(150)
        layout.addWidget(self.items)
        layout.addWidget(self.message)
        layout.addLayout(bar)
        self.executed.textChanged.connect(self.recheck)
        self.model = EditableGridModel(COLUMNS, [], read_only=True, parent=self, fixed=FIXED)
        self.view.setModel(self.model)
        self.head.setText("正在读取…")
        for name in ("save", "submit", "pass", "return", "export"):
            self.buttons[name].setEnabled(False)
        for edit in (self.executed, self.projected, self.budget_cause, self.overall):
            edit.setReadOnly(True)
        self.loader = Loader(self, self.show_draft, self._failed)
        self.loader.load(lambda job: svc.open_record(ws, record_id))

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def _failed(self, error: BaseException) -> None:
        show_error(self, error, "未能打开监控表")
        self.reject()

    # -- showing ---------------------------------------------------------------------------------
    def show_draft(self, draft: RecordDraft) -> None:
        self.draft = draft
        self.setWindowTitle(f"项目绩效运行监控表 — {draft.code} {draft.name}")
        self.model = EditableGridModel(COLUMNS, draft.indicators, read_only=not draft.editable, parent=self, fixed=FIXED)
        self.model.edited.connect(self.recheck)
        self.view.setModel(self.model)
        for i, width in enumerate(WIDTHS):
            self.view.setColumnWidth(i, width)
        for edit, text in ((self.executed, draft.executed), (self.projected, draft.projected)):
            edit.blockSignals(True)
            edit.setText(text)
            edit.setReadOnly(not draft.editable)
            edit.blockSignals(False)
        for box, text in ((self.budget_cause, draft.budget_cause), (self.overall, draft.overall)):
            box.setPlainText(text)
            box.setReadOnly(not draft.editable)
        target = "有绩效目标" if draft.has_target else "无绩效目标（只监控预算执行）"
        opinion = f"    审核意见：{draft.review_opinion}" if draft.review_opinion else ""
        if draft.changed_since:  # a filed record keeps what it was filed with; say what changed since
            opinion += f"    自填报后：{draft.changed_since}"
        self.head.setText(f"{draft.code} {draft.name}    {draft.round_title}    截至{draft.month}月    全年预算数：{fmt_wan(draft.budget_fen)}万元    "
                          f"序时进度：{rules.percent(rules.schedule(draft.month))}%    {target}    状态：{draft.status}{opinion}")
        self.buttons["save"].setEnabled(draft.editable)
        self.buttons["submit"].setEnabled(SUBMIT.action in draft.actions)
        self.buttons["pass"].setEnabled(PASS.action in draft.actions)
        self.buttons["return"].setEnabled(RETURN.action in draft.actions or REOPEN_PASSED.action in draft.actions)
        self.buttons["export"].setEnabled(True)
        self.items.refresh(draft.record_id)
        self.recheck()

    def dirty(self) -> bool:
        """Typing not yet saved (only an editable record can have any)."""
        if self.draft is None or not self.draft.editable:
            return False
        typed = self.current()
        same = lambda a, b: a == b or (isinstance(a, str) and a.replace("\r\n", "\n") == b.replace("\r\n", "\n"))  # noqa: E731
        return not all(same(getattr(typed, k), getattr(self.draft, k))
                       for k in ("executed", "projected", "budget_cause", "overall", "indicators"))

    def reject(self) -> None:
        """Every way of closing (the window's close button, 关闭, Esc) comes here: unsaved typing
        asks 保存 / 不保存 / 取消 first (保存 that fails keeps the form open)."""
        if messages.may_close(self, "监控表", self.dirty(), self.save):
            super().reject()

    def current(self) -> RecordDraft:
        return replace(self.draft, executed=self.executed.text(), projected=self.projected.text(),
                       budget_cause=self.budget_cause.toPlainText(), overall=self.overall.toPlainText(),
                       indicators=self.model.rows())

    def recheck(self) -> None:
        """The light follows 截至执行数 as it is typed; missed projections and bad cells are marked."""
        if self.draft is None:
            return
        draft = self.current()
        lamp = svc.lamp(self.ws, draft)
        rate = rules.execution_rate(svc.executed_fen(draft), draft.budget_fen)
        shown = f"执行率{rules.percent(rate)}%　" if rate is not None else ""
        self.light.setText(f"{shown}预警：{lamp}")
        self.light.setStyleSheet(LIGHT_STYLE[lamp] + ";padding:2px 6px")
        marks = {}
        for n, ind in enumerate(draft.indicators):
            if ind.missed:
                marks[(n, ATTRS.index("projected"))] = ("警告", "全年预计完成值达不到目标：请选偏差原因类别并说明")
        for p in svc.validate(self.ws, draft, submitting=False).problems:
            if ":" in p.field:
                row, attr = p.field.split(":")
                marks[(int(row), ATTRS.index(attr))] = ("错误", p.message)
        self.model.set_marks(marks)

    # -- workflow --------------------------------------------------------------------------------
    def _run(self, action) -> bool:
        try:
            self.show_draft(action())
        except RejectedError as exc:
            self.message.setText("　".join([exc.summary, *map(self.where, exc.report.problems)]))
            show_error(self, exc, "未完成")
            return False
        self.message.clear()
        return True

    @staticmethod
    def where(problem) -> str:
        """A problem as a line under the table: 指标 rows by row number and column."""
        if ":" not in problem.field:
            return problem.message
        row, attr = problem.field.split(":")
        return f"第{int(row) + 1}行{dict((a, h) for h, a in COLUMNS)[attr]}：{problem.message}"

    def save(self) -> bool:
        return self._run(lambda: svc.save_record(self.ws, self.current()))

    def to_rectification(self) -> bool:
        """转为整改事项: the chosen indicator, marked 需要整改, becomes a 整改 item with its 整改要求和建议
        (unsaved typing is saved first, so the mark the service reads is the one on screen)."""
        index = self.view.currentIndex()
        if self.draft is None or not index.isValid():
            self.message.setText("请先在指标表中选中一行“需要整改”为“是”的指标。")
            return False
        if self.dirty():
            if not self.save():
                return False
            self.view.setCurrentIndex(self.model.index(index.row(), index.column()))  # the save rebuilt the grid
        row = self.model.rows()[index.row()]
        return self.items.make(lambda: sources.from_monitoring(self.ws, row.id, notice=date.today()),
                               self.draft.record_id, f"指标“{row.level3}”的偏差")

    def _confirmed(self, step: str) -> bool:
        title, sentence = CONFIRM[step]
        return messages.confirm_step(self, title, sentence)

    def submit(self) -> bool:
        if not self._confirmed("submit"):
            return False
        return self._run(lambda: svc.submit_record(self.ws, self.current()))

    def review(self, passed: bool, opinion: Optional[str] = None) -> bool:
        """审核通过; or 退回修改 a submitted record (退回 a passed one), asking for the 审核意见;
        each first says what will happen and asks to go on."""
        reopening = not passed and REOPEN_PASSED.action in self.draft.actions
        if opinion is None and not passed:
            asked = "退回原因（说明为什么退回、要修改什么）：" if reopening else "审核意见（说明要补充或修改什么）："
            opinion = ask_reason(self, "退回", asked)
            if opinion is None:
                return False
        opinion = (opinion or "").strip()
        if not passed and not opinion:
            self.message.setText("退回时必须填写原因，说明要补充或修改什么。")
            return False
        if not self._confirmed("pass" if passed else "reopen" if reopening else "return"):
            return False
        if reopening:
            return self._run(lambda: svc.reopen_record(self.ws, self.draft, opinion))
        return self._run(lambda: svc.review_record(self.ws, self.draft, passed, opinion))

    def print_sheet(self):
        """打印…: the 监控表 as stored, in Qt's print preview (the op)."""
        from app.io.monitoring_reports import render_record
        from ui.print_preview import print_report

        ws, record_id = self.ws, self.record_id
        return print_report(self, f"{self.draft.code} 项目绩效运行监控表",
                            lambda p, job: render_record(svc.record_sheet(ws, record_id), p))

    def export(self, path: Optional[str] = None):
        """The record as stored, to PDF or Excel, in the background (the op; False when cancelled)."""
        from app.io.monitoring_reports import render_record

        if not path:
            path = files.ask_save_path(self, "导出监控表", f"{self.draft.code}-项目绩效运行监控表.pdf",
                                       "PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)")
        if not path:
            return False
        ws, record_id = self.ws, self.record_id
        return run_export(self, "正在导出…", lambda job: render_record(svc.record_sheet(ws, record_id), path), path=path)


def ask_reason(parent: QWidget, title: str, label: str) -> Optional[str]:
    """The reason for a 退回, typed by the user (None: cancelled). Tests patch this function."""
    text, ok = QInputDialog.getMultiLineText(parent, title, label)
    return text if ok else None
