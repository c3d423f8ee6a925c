"""绩效自评表 — a project's (项目支出) or a department's (部门整体支出): 预算执行, the indicators (or the
scoring tree), scored by the rule pack on every keystroke (app.rules.self_eval_draft.score_draft with
the rules fetched once when the form opens: no database while typing); 分值, 参考得分, 总分 and 评价等级
are derived, never typed; what the table still needs is listed beside the grid and its cells shaded.
A department's scoring tree is a preset plus free editing: its items' names, 评分标准 and 分值 are
typed in the grid, 添加评分项 / 删除评分项 change the items, and 分值合计 shows beside the totals.
A table imported as printed keeps its figures; beside it the consistency check's findings, as 提醒.
The sentences and the 佐证材料 are on the second tab. Save, 提交, 审核通过 (with an optional 审核意见),
退回修改 (with the 审核意见), 退回 (a passed table, with a reason), 打印… and 导出… by the workflow.

A table opened for the first time is an unsaved draft (nothing in the database); its first 保存
creates it. Every step asks `ui.messages.confirm_step`; closing with unsaved typing asks
`ui.messages.ask_unsaved`; refusals are shown as sentences and their cells shaded."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton,
    QSplitter, QTableView, QTabWidget, QVBoxLayout, QWidget,
)

from app.domain.rectification import SELF_EVAL
from app.domain.self_eval import SelfEvalDraft
from app.rules.self_eval import SelfEvalRules
from app.rules.self_eval_draft import score_draft, validate
from app.rules.validation import RejectedError, Report
from app.services import rectification_sources as sources
from app.services import self_eval as svc
from app.services.workspace import Workspace
from ui import messages
from ui.dialogs import self_eval_parts as parts
from ui.dialogs.self_eval_files import FormFiles
from ui.dialogs.source_items import SourceItems
from ui.messages import show_error
from ui.models.self_eval_grid import (
    DEPARTMENT_WIDTHS, PROJECT_WIDTHS, BudgetGridModel, IndicatorScoreModel, RatingDelegate, grid_widths, number,
)
from ui.widgets import button, select_cell

BANNER_STYLE = "QFrame#target_banner { background:#fff3cd; border:1px solid #e0c36c; }"


class SelfEvalForm(FormFiles, QDialog):
    def __init__(self, ws: Workspace, draft: SelfEvalDraft, parent: Optional[QWidget] = None,
                 rules: Optional[SelfEvalRules] = None):
        super().__init__(parent)
        self.ws = ws
        self.rules = rules or svc.rules(ws)  # once: typing never reads the database
        self.department = draft.is_department
        self.draft = draft
        self.setWindowTitle(f"{'部门整体支出' if self.department else '项目支出'}绩效自评表 — {draft.code} {draft.name}")
        self.resize(1320, 700)
        self.head = QLabel()
        self.head.setWordWrap(True)
        self.staff_quota, self.staff_actual = QLineEdit(), QLineEdit()
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        self.banner = QFrame()
        self.banner.setObjectName("target_banner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.budget_view, self.view = QTableView(), QTableView()
        self.budget_view.setObjectName("budget_grid")
        self.view.setObjectName("indicator_grid")
        for v in (self.budget_view, self.view):
            v.setSelectionBehavior(QAbstractItemView.SelectItems)
            v.setSelectionMode(QAbstractItemView.SingleSelection)
            v.verticalHeader().setDefaultSectionSize(24)
            v.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                              | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked)
            v.horizontalHeader().setStretchLastSection(True)
        self.budget_view.setFixedHeight(3 * 24 + 50)
        self.budget_view.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.budget_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.rating_delegate = RatingDelegate(self.view)
        self.totals, self.printed = QLabel(), QLabel()
        self.totals.setObjectName("totals")
        self.printed.setWordWrap(True)
        self.printed.setStyleSheet("color:#6b4f00")
        self.needs = parts.NeedsPanel(self.go_to)
        self.texts = parts.TextsPanel(self.department)
        self.evidence = parts.EvidenceBox(self.add_evidence, self.open_evidence, self.remove_evidence)
        self.items = SourceItems(ws, SELF_EVAL, self.to_rectification,
                                 hint="填写“存在问题”和“改进措施”后，点“转为整改事项”由整改台账跟踪。")
        self.message = QLabel()
        self.message.setStyleSheet("color:#B00020")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.refused: Report = Report()  # the last refusal's cells, shaded until the next step
        self._layout()
        self.texts.on_change(self._typed)
        for edit in (self.staff_quota, self.staff_actual):
            edit.textChanged.connect(self._typed)
        if self.department:
            default, names = svc.presets(ws)
            self.preset.addItems(names)
        self.preset.currentTextChanged.connect(self.choose_preset)
        self.show_draft(draft)

    def _button(self, text: str, slot, name: str) -> QPushButton:
        self.buttons[name] = button(text, slot, name)
        return self.buttons[name]

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.head, 1)
        if self.department:
            for label, widget in (("编制人数：", self.staff_quota), ("实有人数：", self.staff_actual), ("评分方案：", self.preset)):
                top.addWidget(QLabel(label))
                top.addWidget(widget)
            self.staff_quota.setFixedWidth(60)
            self.staff_actual.setFixedWidth(60)
            top.addWidget(self._button("添加评分项", self.add_item, "add_item"))
            top.addWidget(self._button("删除评分项", self.remove_item, "remove_item"))
        banner = QHBoxLayout(self.banner)
        banner.setContentsMargins(8, 2, 8, 2)
        banner.addWidget(QLabel("绩效目标已调整：这份自评表的指标还是调整前的。可以按新目标更新指标（已填的实际完成值、得分按三级指标保留）。"), 1)
        banner.addWidget(self._button("按新目标更新", self.take_target_change, "take_target"))
        grids = QWidget()
        left = QVBoxLayout(grids)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self.budget_view)
        left.addWidget(self.view, 1)
        left.addWidget(self.printed)
        left.addWidget(self.totals)
        side = QWidget()
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(QLabel("需要处理的地方（点击定位到单元格）："))
        right.addWidget(self.needs, 1)
        split = QSplitter()
        split.addWidget(grids)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([1030, 270])
        words = QWidget()
        row = QHBoxLayout(words)
        row.addWidget(self.texts, 3)
        aside = QVBoxLayout()
        aside.addWidget(self.evidence, 1)
        aside.addWidget(self.items, 1)
        row.addLayout(aside, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "预算执行与指标评分")
        self.tabs.addTab(words, "情况说明与佐证材料")
        flow = QHBoxLayout()
        for text, slot, name in (("保存", self.save, "save"), ("提交", self.submit, "submit"),
                                 ("审核通过", lambda: self.review(True), "pass"),
                                 ("退回修改…", lambda: self.review(False), "return"), ("退回…", self.reopen, "reopen")):
            flow.addWidget(self._button(text, slot, name))
        flow.addStretch(1)
        for text, slot, name in (("打印…", self.print_form, "print"), ("导出（PDF/Excel）…", self.export_form, "export"),
                                 ("关闭", self.reject, "close")):
            flow.addWidget(self._button(text, slot, name))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(flow)

    # -- showing ---------------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        may = svc.WORKFLOW.can_edit(self.draft.status) if self.draft.editable is None else self.draft.editable
        return may and not self.draft.as_printed

    def show_draft(self, draft: SelfEvalDraft, saved: bool = True) -> None:
        """Show `draft`; `saved` False: it holds changes not yet saved (按新目标更新, another 评分方案)."""
        self.draft = draft
        editable = self.editable
        self.budget_model = BudgetGridModel([replace(b) for b in draft.budget], draft.budget_score, draft.budget_cause,
                                            self.department, not editable,
                                            draft.printed_rate if draft.as_printed else "", self)
        self.model = IndicatorScoreModel([replace(i) for i in draft.indicators], self.department, not editable, self)
        for view, model, widths in ((self.budget_view, self.budget_model, parts.budget_widths),
                                    (self.view, self.model, DEPARTMENT_WIDTHS if self.department else PROJECT_WIDTHS)):
            view.setModel(model)
            model.edited.connect(self._typed)
            for n, width in enumerate(widths(model.attrs) if callable(widths) else
                                      grid_widths(widths, model.attrs, view.fontMetrics())):
                view.setColumnWidth(n, width)
        rating = self.model.column_of("rating")
        if rating >= 0:
            self.view.setItemDelegateForColumn(rating, self.rating_delegate)
        self.texts.show_draft(draft, editable)
        for edit, text in ((self.staff_quota, draft.staff_quota), (self.staff_actual, draft.staff_actual)):
            edit.blockSignals(True)
            edit.setText(text)
            edit.setReadOnly(not editable)
            edit.blockSignals(False)
        self.preset.blockSignals(True)
        self.preset.setCurrentText(draft.preset)
        self.preset.setEnabled(editable)
        self.preset.blockSignals(False)
        self.banner.setVisible(draft.target_changed and editable)
        state = draft.status if draft.saved else "未填报（尚未保存，保存后建立）"
        where = (f"部门：{draft.code} {draft.name}" if self.department else
                 f"项目：{draft.code} {draft.name}    主管部门：{draft.department}    实施单位：{draft.unit}")
        self.head.setText(f"{where}    年度：{draft.year}    状态：{state}" + ("（只读）" if not editable else ""))
        self.printed.setVisible(draft.as_printed)
        if draft.as_printed:
            self.printed.setText(
                f"这份自评表是按原样导入的往年表格：分值、得分照录，总分{number(draft.printed_total) or '未印'}、"
                f"评价等级{draft.printed_grade or '未印'}、执行率{draft.printed_rate or '未印'}按原表所印；"
                "是否相符见一致性检查。")
        status = draft.status
        self.buttons["save"].setEnabled(editable)
        for name in ("add_item", "remove_item"):
            if name in self.buttons:
                self.buttons[name].setEnabled(editable)
        offered = svc.WORKFLOW.actions_from(status) if draft.actions is None else draft.actions  # this user's
        self.buttons["submit"].setEnabled(svc.SUBMIT.action in offered)
        self.buttons["pass"].setEnabled(draft.saved and svc.PASS.action in offered)
        self.buttons["return"].setEnabled(draft.saved and svc.RETURN.action in offered)
        self.buttons["reopen"].setEnabled(draft.saved and svc.REOPEN_PASSED.action in offered
                                          and status in svc.REOPEN_PASSED.sources)
        self.show_evidence()
        self.items.refresh(draft.eval_id)
        self.recheck()
        if saved:
            self._shown = self.current()  # what "unchanged" means until the next save or step

    def show_evidence(self) -> None:
        self.evidence.show_rows(svc.evidence(self.ws, self.draft), self.editable)

    def current(self) -> SelfEvalDraft:
        """The draft as typed (copies: the models keep editing their own lines)."""
        return replace(self._typed_draft(), budget=[replace(b) for b in self.budget_model.lines],
                       indicators=[replace(i) for i in self.model.lines])

    def _typed_draft(self) -> SelfEvalDraft:
        """The draft as typed, sharing the models' lines (for scoring; never kept)."""
        texts = self.texts.values()
        if self.department:
            texts.update(staff_quota=self.staff_quota.text(), staff_actual=self.staff_actual.text())
        return replace(self.draft, budget=self.budget_model.lines, indicators=self.model.lines,
                       budget_score=self.budget_model.score_text, budget_cause=self.budget_model.cause,
                       preset=self.preset.currentText() if self.department else self.draft.preset, **texts)

    def is_dirty(self) -> bool:
        return self.editable and self.current() != self._shown

    def _typed(self) -> None:
        """Any typing: the last refusal's shading gives way to the live needs."""
        self.refused = Report()
        self.recheck()

    def recheck(self) -> None:
        """Score the table as typed: 分值, 参考得分, 总分, 等级, the needs and the shaded cells."""
        draft = self._typed_draft()
        score = score_draft(draft, self.rules)
        self.score = score
        problems = validate(draft).problems if self.editable else []
        self.model.set_score(score)
        self.budget_model.set_score(score)
        ind: dict = {}
        bud: dict = {}
        malformed = []
        for p in [*problems, *self.refused.problems]:
            row, field = parts.where(p.field)
            parts.mark(ind, bud, row, field, True, p.message)
            if p in problems:
                malformed.append((row, field, f"{parts.place(row, field)}{p.message}"))
        if self.draft.as_printed:  # submitted as printed: what the check finds is a 提醒, never a block
            needs = parts.printed_needs(draft, self.rules, score)
        else:
            needs = list(score.needs) if self.editable else [n for n in score.needs if not n.blocking]
        for need in sorted(needs, key=lambda n: not n.blocking):
            parts.mark(ind, bud, need.row, need.field, need.blocking, need.sentence)
        self.model.set_marks(ind)
        self.budget_model.set_marks(bud)
        self.needs.show_needs(needs, malformed)
        self.totals.setText(parts.totals_line(score, self.rules, self.department))

    def go_to(self, row: Optional[int], field: str) -> None:
        """A need clicked: select its cell (the grid's tab brought forward)."""
        self.tabs.setCurrentIndex(0)
        if field.startswith("budget") and ":" in field:
            n, column = field[len("budget"):].split(":")
            target, model, at = self.budget_view, self.budget_model, (int(n), column)
        elif field in parts.BUDGET_NEED:
            target, model, at = self.budget_view, self.budget_model, (0, parts.BUDGET_NEED[field])
        elif row is not None:
            target, model, at = self.view, self.model, (row, parts.NEED_COLUMN.get(field, "level3"))
        else:
            return
        column = model.column_of(at[1])
        if column < 0 or at[0] >= model.rowCount():
            return
        index = model.index(at[0], column)
        select_cell(target, index)

    def reject(self) -> None:
        """关闭, Esc and the window's close button: unsaved typing asks 保存 / 不保存 / 取消 first."""
        if messages.may_close(self, "这份自评表", self.is_dirty(), self.save):
            super().reject()

    # -- header changes and the scoring tree --------------------------------------------------------
    def add_item(self) -> int:
        """添加评分项: a new item under the selected one (same 一级/二级), its 三级指标 to be typed."""
        current = self.view.currentIndex()
        row = self.model.add_item(current.row() if current.isValid() else None)
        if row >= 0:
            index = self.model.index(row, self.model.column_of("level3"))
            select_cell(self.view, index)
        return row

    def remove_item(self) -> bool:
        """删除评分项: the selected item (nothing is stored until 保存)."""
        current = self.view.currentIndex()
        if not current.isValid():
            self.message.setText("请先在评分表中选中要删除的评分项。")
            return False
        return self.model.remove_item(current.row())

    def choose_preset(self, name: str) -> None:
        if not self.department or not name or name == self.draft.preset:
            return
        self._run(lambda: svc.with_preset(self.ws, self.current(), name), saved=False)

    def take_target_change(self) -> bool:
        return self._run(lambda: svc.take_target_change(self.ws, self.current()), saved=False)

    # -- workflow --------------------------------------------------------------------------------
    def _run(self, action, saved: bool = True) -> bool:
        try:
            draft = action()
        except RejectedError as exc:
            self.refuse(exc, "未完成")
            return False
        self.refused = Report()
        self.message.clear()
        self.show_draft(draft, saved)
        return True

    def refuse(self, exc: RejectedError, title: str) -> None:
        """A refusal: its summary and cells said under the grid (the cells shaded), and in a box."""
        self.refused = exc.report
        lines = [f"{parts.place(*parts.where(p.field))}{p.message}" for p in exc.report.problems]
        self.message.setText("　".join([exc.summary, *lines]))
        self.recheck()
        show_error(self, exc, title)

    def save(self) -> bool:
        return self._run(lambda: svc.save(self.ws, self.current()))

    def to_rectification(self) -> bool:
        """转为整改事项: the table's 存在问题 becomes a 整改 item with its 改进措施 as the requirement
        (a new or changed table is saved first, so the item carries what is on screen)."""
        if (self.draft.eval_id is None or self.is_dirty()) and not self.save():
            return False
        return self.items.make(lambda: sources.from_self_eval(self.ws, self.draft.eval_id, notice=date.today()),
                               self.draft.eval_id, "这份自评表的“存在问题”")
