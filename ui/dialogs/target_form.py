"""绩效目标 form — 项目支出 or 部门整体支出: header, goals (and for a department its 部门职能 and
年度主要任务) and the indicator grid, checked as the clerk types; save, submit, review, approve,
reopen according to the workflow, view the versions kept at each reopening, and export the 申报表
(in the background). What may be edited is the workflow's answer for the draft's state.

A target opened for the first time is an unsaved 草稿 (nothing in the database); its first 保存 or
提交审核 creates it. Each workflow step asks for confirmation in a sentence saying what will happen;
closing the form with changes not saved (关闭, Esc, the window's close button) asks 保存 / 不保存 /
取消. A 指标性质 typed as >=, ＞＝, 大于等于, 正向 … becomes ≥ in the grid at once."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Optional

from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QDialog, QFormLayout, QHBoxLayout, QHeaderView, QInputDialog, QLabel,
    QListWidget, QMessageBox, QPlainTextEdit, QPushButton, QTableView, QVBoxLayout,
    QWidget,
)

from app.money import fmt_wan
from app.domain.targets import canonical_direction
from app.rules.target_check import ERROR, HINT, WARNING, review_opinion
from app.rules.validation import RejectedError
from app.services import targets as svc
from app.services.workspace import Workspace
from ui.dialogs.library_picker import LibraryPicker
from ui.dialogs.target_review import ReviewDialog, VersionsDialog
from ui import messages
from ui.messages import show_error
from ui.models.indicator_grid import ATTRS, EditableGridModel, IndicatorGridModel, show_grid
from ui.ops import CollectionOp
from ui.widgets import button
from ui import files
from ui.workers import run_export

# which cell a finding of each rule points at
TASK_COLUMNS = [("年度主要任务", "content"), ("预算数（万元）", "budget")]
RULE_COLUMN = {"指标值可衡量": "value", "计量单位": "unit", "三级指标名称": "level3", "成本指标": "value",
               "时效指标": "value", "重复与分值": "level3", "目标偏低": "value"}
DIRECTION_COLUMN = ATTRS.index("direction")
SUBMIT_SENTENCE = "提交后这个绩效目标不能再修改，交绩效科审核；退回修改后才能再改。确定提交审核吗？"
SUBMIT_NEW_SENTENCE = "这个绩效目标将保存并提交，提交后不能再修改，交绩效科审核；退回修改后才能再改。确定提交审核吗？"
APPROVE_SENTENCE = "批复后这个绩效目标成为本年度的正式目标，不能再修改；以后要调整，须填写原因退回。确定批复吗？"
REOPEN_SENTENCE = ("这个已批复的绩效目标将退回修改（原因：{reason}）。批复的版本保留在历史版本中，改好后须重新提交审核、"
                   "批复。确定退回吗？")


def text_box(height: int, placeholder: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit()
    box.setFixedHeight(height)
    box.setPlaceholderText(placeholder)
    return box


class TargetForm(QDialog):
    def __init__(self, ws: Workspace, draft: svc.TargetDraft, title: str = "", parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.draft = draft
        self.title = title
        self.is_department = draft.kind == svc.DEPARTMENT
        self.setWindowTitle(f"{draft.kind}绩效目标 — {title}" if title else f"{draft.kind}绩效目标")
        self.resize(1300, 700)
        self.head = QLabel()
        self.annual_goal = text_box(56, "年度目标：本年度做什么、做多少、何时完成、达到什么效果")
        self.overall_goal = text_box(44)
        self.functions = text_box(44, "部门职能：按三定方案概括本部门的主要职责")
        self.tasks = QTableView()
        self.tasks.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.tasks.verticalHeader().setDefaultSectionSize(22)
        self.tasks.setFixedHeight(96)
        self.view = QTableView()
        self.view.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.score = QLabel()
        self.findings = QListWidget()
        self.findings.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self._canonicalizing = False  # while the grid's 指标性质 are being put in their stored form
        goals = QFormLayout()
        if self.is_department:
            task_bar = QVBoxLayout()
            task_bar.addWidget(self._button("添加任务", self.add_task, "add_task"))
            task_bar.addWidget(self._button("删除任务", self.delete_task, "delete_task"))
            task_bar.addStretch(1)
            task_row = QHBoxLayout()
            task_row.addWidget(self.tasks, 1)
            task_row.addLayout(task_bar)
            goals.addRow("部门职能：", self.functions)
            goals.addRow("年度主要任务：", task_row)
        else:
            self.functions.hide()
            self.tasks.hide()
        goals.addRow("年度目标：", self.annual_goal)
        goals.addRow("整体目标：" if self.is_department else "总体目标：", self.overall_goal)
        grid_bar = QHBoxLayout()
        for text, slot, name in (("从指标库添加…", self.pick_from_library, "library"), ("添加空行", self.add_blank, "blank"),
                                 ("复制上年目标", self.copy_last_year, "last_year"), ("粘贴Excel行", self.paste, "paste"),
                                 ("删除行", self.delete_row, "delete"), ("撤销删除", self.undo_delete, "undo"),
                                 ("上移", lambda: self.move(-1), "up"), ("下移", lambda: self.move(1), "down")):
            grid_bar.addWidget(self._button(text, slot, name))
        grid_bar.addStretch(1)
        flow = QHBoxLayout()
        for text, slot, name in (("保存", self.save, "save"), ("提交审核", self.submit, "submit"),
                                 ("审核…", self.open_review, "review"), ("批复", self.approve, "approve"),
                                 ("退回已批复目标…", self.reopen, "reopen"), ("历史版本…", self.open_versions, "versions")):
            flow.addWidget(self._button(text, slot, name))
        flow.addStretch(1)
        flow.addWidget(self._button("导出申报表（PDF/Excel）…", self.export_form, "export_form"))
        flow.addWidget(self._button("打印…", self.print_form, "print_form"))
        flow.addWidget(self._button("关闭", self.reject, "close"))  # asks first when something is not saved
        side = QVBoxLayout()
        side.addWidget(self.score)
        side.addWidget(self.findings)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.addLayout(grid_bar)
        left.addWidget(self.view)
        body.addLayout(left, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addLayout(goals)
        layout.addLayout(body, 1)
        layout.addLayout(flow)
        self.annual_goal.textChanged.connect(self.recheck)
        self.overall_goal.textChanged.connect(self.recheck)
        self.show_draft(self.draft)

    def _button(self, text: str, slot, name: str) -> QPushButton:
        self.buttons[name] = button(text, slot, name)
        return self.buttons[name]

    # -- showing ---------------------------------------------------------------------------------
    def show_draft(self, draft: svc.TargetDraft) -> None:
        self.draft = draft
        # what the service offers this user (the workflow's answer for the state and the role)
        editable = svc.TARGETS.can_edit(draft.status) if draft.editable is None else draft.editable
        actions = svc.TARGETS.actions_from(draft.status) if draft.actions is None else draft.actions
        self.model = IndicatorGridModel(draft.indicators, read_only=not editable, parent=self)
        self.model.edited.connect(self._grid_edited)
        show_grid(self.view, self.model)
        self.show_tasks(draft, editable)
        for box, text in ((self.annual_goal, draft.annual_goal), (self.overall_goal, draft.overall_goal),
                          (self.functions, draft.functions)):
            box.blockSignals(True)
            box.setPlainText(text)
            box.setReadOnly(not editable)
            box.blockSignals(False)
        state = draft.status if draft.saved else "未填报（尚未保存，保存后建立草稿）"
        self.head.setText(f"{self.title}    年度：{draft.year}    年度资金总额：{fmt_wan(draft.funds_fen)}万元    状态：{state}"
                          + ("（只读）" if not editable else ""))
        status = draft.status
        for name in ("library", "blank", "last_year", "paste", "delete", "undo", "up", "down", "save",
                     "add_task", "delete_task"):
            if name in self.buttons:
                self.buttons[name].setEnabled(editable)
        self.buttons["submit"].setEnabled(editable and svc.SUBMIT.action in actions)
        self.buttons["versions"].setEnabled(draft.revision > 1)
        for name, steps in (("review", (svc.PASS, svc.RETURN)), ("approve", (svc.APPROVE,)), ("reopen", (svc.REOPEN,))):
            self.buttons[name].setEnabled(any(step.action in actions and status in step.sources for step in steps))
        self.recheck()
        self._shown = self.current()  # what "unchanged" means until the next save or step

    def is_dirty(self) -> bool:
        """Whether the form holds changes not saved (text, tasks, grid rows)."""
        return self.current() != self._shown

    def reject(self) -> None:
        """关闭, Esc and the window's close button come here: with changes not saved, ask first —
        保存 saves (and closes only when the save succeeded), 不保存 closes, 取消 stays."""
        if messages.may_close(self, "这个绩效目标", self.is_dirty(), self.save):
            super().reject()

    def show_tasks(self, draft: svc.TargetDraft, editable: bool) -> None:
        self.task_model = EditableGridModel(TASK_COLUMNS, draft.tasks, read_only=not editable, parent=self)
        self.tasks.setModel(self.task_model)
        self.tasks.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tasks.setColumnWidth(1, 120)

    def add_task(self, task: Optional[svc.TaskDraft] = None) -> None:
        self.task_model.append([task or svc.TaskDraft()])

    def delete_task(self) -> None:
        rows = self.tasks.selectionModel().selectedRows()
        if rows:
            self.task_model.remove(rows[0].row())

    def task_rows(self) -> list[svc.TaskDraft]:
        return self.task_model.rows()

    def current(self) -> svc.TargetDraft:
        return replace(self.draft, annual_goal=self.annual_goal.toPlainText(),
                       overall_goal=self.overall_goal.toPlainText(), indicators=self.model.rows(),
                       functions=self.functions.toPlainText(), tasks=self.task_rows())

    def _grid_edited(self) -> None:
        """A 指标性质 typed or pasted as >=, ＞＝, 大于等于, 正向 … is shown as its sign at once."""
        if self._canonicalizing:
            return
        self._canonicalizing = True
        try:
            for n, row in enumerate(self.model.rows()):
                canonical = canonical_direction(row.direction)
                if canonical != row.direction:
                    self.model.setData(self.model.index(n, DIRECTION_COLUMN), canonical)
        finally:
            self._canonicalizing = False
        self.recheck()

    def recheck(self) -> None:
        """The check runs on every change: findings listed with how to fix them, cells coloured."""
        draft = self.current()
        result = svc.check(self.ws, draft)
        marks: dict[tuple[int, int], tuple[str, str]] = {}
        for problem in svc.validate_grid(draft).problems:
            row, attr = problem.field.split(":")
            if row.isdigit():
                marks[(int(row), ATTRS.index(attr))] = (ERROR, problem.message)
        self.findings.clear()
        for f in result.findings:
            self.findings.addItem(f"【{f.severity}】{f.where(draft)}：{f.problem}建议：{f.advice}")
            if f.row is not None:
                marks.setdefault((f.row, ATTRS.index(RULE_COLUMN.get(f.rule, "level3"))), (f.severity, f"{f.problem}{f.advice}"))
        self.model.set_marks(marks)
        self.score.setText(f"质量得分 {result.quality_score} 分　错误{result.count(ERROR)}　警告{result.count(WARNING)}"
                           f"　提示{result.count(HINT)}" + ("（有错误，不能提交）" if result.blocks_submission else "")
                           + f"\n质量得分按规则方案第{svc.check_version(self.ws, draft)}版计算"
                           + (f"\n审核得分 {svc.review_words(draft)}" if draft.review_score is not None else ""))
        self.result = result

    # -- grid ------------------------------------------------------------------------------------
    def pick_from_library(self) -> LibraryPicker:
        picker = LibraryPicker(self.ws, self)
        picker.chosen.connect(self.model.append)
        picker.open()
        return picker

    def add_blank(self) -> None:
        self.model.append([svc.IndicatorDraft()])

    def copy_last_year(self) -> int:
        rows = svc.last_year_rows(self.ws, self.draft)
        if not rows:
            where = ("这个部门上一年度的部门整体绩效目标" if self.is_department
                     else "这个项目上一年度的绩效目标（按项目编码或同部门同名项目查找）")
            QMessageBox.information(self, "复制上年目标", f"没有找到{where}。")
            return 0
        self.model.append(rows)
        return len(rows)

    def paste(self, text: Optional[str] = None) -> int:
        """Rows copied in Excel, columns in the grid's order (一级指标 … 上年实际值)."""
        rows = svc.rows_from_text(QApplication.clipboard().text() if text is None else text)
        self.model.append(rows)
        return len(rows)

    def _selected_row(self) -> int:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return rows[0].row() if rows else -1

    def delete_row(self) -> None:
        self.model.remove(self._selected_row())

    def undo_delete(self) -> None:
        self.model.undo_delete()

    def move(self, delta: int) -> None:
        row = self.model.move(self._selected_row(), delta)
        self.view.selectRow(row)

    # -- workflow --------------------------------------------------------------------------------
    def _run(self, action) -> bool:
        try:
            self.show_draft(action())
        except RejectedError as exc:
            show_error(self, exc, "未完成")
            return False
        return True

    def save(self) -> bool:
        return self._run(lambda: svc.save_target(self.ws, self.current()))

    def submit(self) -> bool:
        """提交审核 (saving first; a target never saved is created), once confirmed."""
        if not messages.confirm_step(self, "提交审核", SUBMIT_SENTENCE if self.draft.saved else SUBMIT_NEW_SENTENCE):
            return False
        return self._run(lambda: svc.submit(self.ws, self.current()))

    def review(self, scores: dict[str, Decimal], passed: bool, opinion: str) -> bool:
        """The review step as decided in the review dialog (which asked for confirmation)."""
        return self._run(lambda: svc.review(self.ws, self.draft, scores, passed, opinion))

    def opinion_from_findings(self) -> str:
        """The review opinion's draft: the check's findings as a numbered list, editable by the reviewer."""
        return review_opinion(svc.check_input(self.draft), self.result)

    def open_review(self) -> "ReviewDialog":
        dialog = ReviewDialog(self.opinion_from_findings(), self, on_decide=self.review)
        dialog.open()
        return dialog

    def approve(self) -> bool:
        """批复, once confirmed."""
        if not messages.confirm_step(self, "批复", APPROVE_SENTENCE):
            return False
        return self._run(lambda: svc.approve(self.ws, self.draft))

    def print_form(self) -> CollectionOp:
        """打印…: the 申报表 as its PDF prints, in the print preview."""
        from ui.print_preview import print_report

        ws, draft = self.ws, self.draft
        return print_report(self, f"{self.title}{draft.kind}绩效目标申报表", lambda p, job: svc.export_form(ws, draft, p))

    def export_form(self, path: Optional[str] = None) -> Optional[CollectionOp]:
        """绩效目标申报表 of the saved target, as PDF or xlsx by the file name chosen, written in the
        background (the op; None when no file was chosen). A failure is told in a sentence."""
        if not path:
            path = files.ask_save_path(self, "导出申报表", f"{self.title}-{self.draft.kind}绩效目标申报表.pdf",
                                       "PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        ws, draft, path = self.ws, self.draft, str(path)
        return run_export(self, "正在导出申报表…", lambda job: svc.export_form(ws, draft, path), path=path)

    def open_versions(self) -> VersionsDialog:
        dialog = VersionsDialog(svc.snapshots(self.ws, self.draft.target_id), self)
        dialog.open()
        return dialog

    def reopen(self, reason: Optional[str] = None) -> bool:
        if reason is None:
            reason, ok = QInputDialog.getText(self, "退回已批复目标", "退回原因（会记录在案）：")
            if not ok:
                return False
        if not reason.strip():
            show_error(self, RejectedError("退回已批复的绩效目标必须填写原因。"), "未完成")
            return False
        if not messages.confirm_step(self, "退回已批复目标", REOPEN_SENTENCE.format(reason=reason.strip())):
            return False
        return self._run(lambda: svc.reopen(self.ws, self.draft, reason))
