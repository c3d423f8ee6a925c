"""重点评价 form: the head (评价对象, 实施单位, 资金性质, the money with 执行率 computed live, 评价机构 and
评价方式), the scoring tree on a preset from the pack (评分方案) edited freely — leaves added and
deleted, names, 分值, 评分标准, 得分, 扣分原因, 佐证 typed in the grid while the evaluation is 草稿 or
退回修改 — and beside it the dimension table (维度, 分值, 得分, 等级) with the 综合绩效 row, derived on
every keystroke from the leaves (never typed; no database while typing: the bands are read once).
What the tree still needs is listed and its cells shaded (a deduction without its 扣分原因 blocks
提交). The second tab holds 主要绩效, 存在问题及原因, 有关建议, the 报告摘要's sections and the problems
turned into 整改 items (转为整改事项 takes the text selected in 存在问题及原因). Steps: 保存, 提交, 审核通过
(optional 审核意见), 退回修改 (审核意见 required), 定稿, 退回 of a finalized report (reason required),
each confirmed (`ui.messages.confirm_step`); 打印摘要… prints the 报告摘要. A past report imported as
printed opens read-only with its printed total and grade and the check's findings as 提醒."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QTableView, QTabWidget,
    QVBoxLayout, QWidget,
)

from app.domain.key_eval import KeyEvalDraft
from app.domain.rectification import KEY_EVAL
from app.rules.scoring_tree import fmt
from app.rules.validation import RejectedError, Report
from app.services import key_eval as svc
from app.services.key_eval_records import WORKFLOW, judging_pack, pack_words, score_lines
from app.services.workflow import FINALIZE, PASS, REOPEN_FINALIZED, RETURN, SUBMIT
from app.services.workspace import Workspace
from ui import messages
from ui.dialogs import key_eval_parts as parts
from ui.dialogs.self_eval_parts import NeedsPanel
from ui.dialogs.source_items import SourceItems
from ui.messages import show_error
from ui.models.key_eval_grid import DimensionModel, TreeGridModel
from ui.widgets import button, select_cell

CELL_OF = {"score": "score", "deduction": "deduction", "points": "points", "level1": "level1"}
HEADER_FIELDS = ("object_name", "budget", "spend", "code")


def _agencies(ws: Workspace) -> Optional[list[tuple[int, str]]]:
    """The 第三方机构 list as (id, name), or None while that part of the program is not installed."""
    try:
        from app.services import agencies
    except ImportError:
        return None
    return [(a.id, a.name) for a in agencies.list_agencies(ws)]


class KeyEvalForm(parts.FormSteps, QDialog):
    def __init__(self, ws: Workspace, draft: KeyEvalDraft, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        pack = ws.rule_pack()
        self.pack = pack  # the pack grading what is on screen (show_draft: a stored score's own version)
        section = pack.section("key_evaluation")
        self.setWindowTitle(f"重点评价 — {draft.code} {draft.object_name}".replace("  ", " "))
        self.resize(1320, 700)
        self.head = parts.HeaderPanel(list(section["fund_types"]), list(section["methods"]), _agencies(ws))
        self.preset = QComboBox()
        self.preset.setObjectName("preset")
        self.preset.addItems(svc.presets(ws)[1])
        self.view, self.dims_view = QTableView(), QTableView()
        self.view.setObjectName("tree_grid")
        self.dims_view.setObjectName("dimension_table")
        self.view.setSelectionBehavior(QAbstractItemView.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SingleSelection)
        self.view.verticalHeader().setDefaultSectionSize(24)
        self.view.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed
                                  | QAbstractItemView.AnyKeyPressed | QAbstractItemView.SelectedClicked)
        self.dims = DimensionModel(self)
        self.dims_view.setModel(self.dims)
        self.dims_view.verticalHeader().hide()
        self.dims_view.verticalHeader().setDefaultSectionSize(24)
        self.dims_view.horizontalHeader().setStretchLastSection(True)
        self.dims_view.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.dims_view.setSelectionMode(QAbstractItemView.NoSelection)
        self.dims_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.dims_view.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.totals, self.printed = QLabel(), QLabel()
        self.totals.setObjectName("totals")
        self.totals.setWordWrap(True)
        self.printed.setWordWrap(True)
        self.printed.setStyleSheet("color:#6b4f00")
        self.needs = NeedsPanel(self.go_to)
        self.needs.setObjectName("key_eval_needs")
        self.texts = parts.TextsPanel()
        self.problems = SourceItems(ws, KEY_EVAL, self.to_rectification, title="整改事项（由存在问题转来）",
                                    hint="在“存在问题及原因”中选中一条问题，再点“转为整改事项”；未选中时会请您填写。")
        self.message = QLabel()
        self.message.setStyleSheet("color:#B00020")
        self.message.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        self.refused = Report()  # the last refusal's cells, shaded until the next typing
        self._layout()
        self.head.on_change(self._typed)
        self.texts.on_change(self._typed)
        self.preset.currentTextChanged.connect(self.choose_preset)
        self.show_draft(draft)

    def _button(self, text: str, slot, name: str) -> QPushButton:
        self.buttons[name] = button(text, slot, name)
        return self.buttons[name]

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel("评分方案："))
        bar.addWidget(self.preset)
        bar.addWidget(self._button("添加指标", self.add_leaf, "add_leaf"))
        bar.addWidget(self._button("删除指标", self.remove_leaf, "remove_leaf"))
        bar.addWidget(QLabel("（维度得分、综合得分和等级由各项得分算出，不能直接填写）"), 1)
        grid = QWidget()
        left = QVBoxLayout(grid)
        left.setContentsMargins(0, 0, 0, 0)
        left.addLayout(bar)
        left.addWidget(self.view, 1)
        left.addWidget(self.printed)
        side = QWidget()
        right = QVBoxLayout(side)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(QLabel("各维度得分与等级："))
        right.addWidget(self.dims_view)
        right.addWidget(self.totals)
        right.addWidget(QLabel("需要处理的地方（点击定位到单元格）："))
        right.addWidget(self.needs, 1)
        split = QSplitter()
        split.addWidget(grid)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([1000, 300])
        words = QWidget()
        row = QHBoxLayout(words)
        row.addWidget(self.texts, 3)
        row.addWidget(self.problems, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "评分表")
        self.tabs.addTab(words, "评价结果与整改")
        flow = QHBoxLayout()
        for text, slot, name in (("保存", self.save, "save"), ("提交", self.submit, "submit"),
                                 ("审核通过", lambda: self.review(True), "pass"),
                                 ("退回修改…", lambda: self.review(False), "return"), ("定稿", self.finalize, "finalize"),
                                 ("退回…", self.reopen, "reopen")):
            flow.addWidget(self._button(text, slot, name))
        flow.addStretch(1)
        flow.addWidget(self._button("打印摘要…", self.print_summary, "print"))
        flow.addWidget(self._button("关闭", self.reject, "close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.head)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        layout.addLayout(flow)

    # -- showing ---------------------------------------------------------------------------------
    @property
    def editable(self) -> bool:
        may = WORKFLOW.can_edit(self.draft.status) if self.draft.editable is None else self.draft.editable
        return may and not self.draft.as_printed

    def show_draft(self, draft: KeyEvalDraft, saved: bool = True) -> None:
        """Show `draft`; `saved` False: it holds changes not yet saved (another 评分方案)."""
        self.draft = draft
        editable = self.editable
        self.pack = judging_pack(self.ws, draft)  # read here, once: typing never reads the database
        self.bands = self.pack.grade_bands
        self.model = TreeGridModel([replace(t) for t in draft.leaves], not editable, draft.as_printed, self)
        self.view.setModel(self.model)
        self.model.edited.connect(self._typed)
        for n, width in enumerate(self.model.widths()):
            self.view.setColumnWidth(n, width)
        self.view.horizontalHeader().setSectionResizeMode(self.model.column_of("standard"), QHeaderView.Stretch)
        self.head.show_draft(draft, editable)
        state = draft.status if draft.saved else "新建（尚未保存，保存后建立）"
        self.head.state.setText(state + ("（只读）" if not editable else ""))
        self.texts.show_draft(draft, editable)
        self.problems.show_rows(draft.rectifications, draft.saved)
        self.preset.blockSignals(True)
        if draft.preset and self.preset.findText(draft.preset) < 0:
            self.preset.addItem(draft.preset)
        self.preset.setCurrentText(draft.preset) if draft.preset else self.preset.setCurrentIndex(-1)
        self.preset.setEnabled(editable)
        self.preset.blockSignals(False)
        self.printed.setVisible(draft.as_printed)
        if draft.as_printed:
            self.printed.setText(
                f"这是按原样导入的往年评价报告：分值、得分照录，综合得分{fmt(draft.printed_total) or '未印'}、"
                f"评价等级{draft.printed_grade or '未印'}按原报告所印；与分项是否相符见右侧的提醒。")
        status, saved_draft = draft.status, draft.saved
        self.buttons["save"].setEnabled(editable)
        self.buttons["add_leaf"].setEnabled(editable)
        self.buttons["remove_leaf"].setEnabled(editable)
        offered = WORKFLOW.actions_from(status) if draft.actions is None else draft.actions  # this user's
        self.buttons["submit"].setEnabled(not draft.as_printed and SUBMIT.action in offered)
        for name, step in (("pass", PASS), ("return", RETURN), ("finalize", FINALIZE), ("reopen", REOPEN_FINALIZED)):
            self.buttons[name].setEnabled(saved_draft and not draft.as_printed and step.action in offered)
        self.recheck()
        if saved:
            self._shown = self.current()  # what "unchanged" means until the next save or step

    def current(self) -> KeyEvalDraft:
        """The draft as typed (copies: the grid keeps editing its own lines)."""
        return replace(self._typed_draft(), leaves=[replace(t) for t in self.model.lines])

    def _typed_draft(self) -> KeyEvalDraft:
        if not self.editable:
            return replace(self.draft, leaves=self.model.lines)
        return replace(self.draft, leaves=self.model.lines, preset=self.preset.currentText(),
                       **self.head.values(), **self.texts.values())

    def is_dirty(self) -> bool:
        return self.editable and self.current() != self._shown

    def _typed(self) -> None:
        """Any typing: the last refusal's shading gives way to the live needs."""
        self.refused = Report()
        self.recheck()

    def recheck(self) -> None:
        """Score the tree as typed: the dimension table, the total and grade, the needs, the shading."""
        draft = self._typed_draft()
        score = score_lines(draft.leaves, self.bands)
        self.score = score
        problems = svc.validate(draft).problems if self.editable else []
        marks: dict = {}
        head: dict[str, str] = {}
        malformed = []
        for p in [*problems, *self.refused.problems]:
            row, field = parts.where(p.field)
            if row is None and field in HEADER_FIELDS:
                head.setdefault(field, p.message)
            elif row is not None:
                marks.setdefault((row, CELL_OF.get(field, field)), (True, p.message))
            if p in problems:
                malformed.append((row, field, f"{parts.place(row, field)}{p.message}"))
        if draft.as_printed:
            needs = parts.printed_needs(draft, self.bands) + [replace(n, blocking=False) for n in score.needs]
        else:
            needs = list(score.needs) if self.editable else [n for n in score.needs if not n.blocking]
        for need in sorted(needs, key=lambda n: not n.blocking):
            if need.row is not None:
                marks.setdefault((need.row, CELL_OF.get(need.field, "score")), (need.blocking, need.sentence))
        self.model.set_marks(marks)
        self.head.mark(head)
        self.needs.show_needs(needs, malformed)
        self.dims.set_score(score, draft.printed_total, draft.printed_grade, draft.as_printed)
        self.dims_view.setFixedHeight(24 * self.dims.rowCount() + self.dims_view.horizontalHeader().sizeHint().height() + 4)
        if draft.as_printed:
            self.totals.setText(f"综合得分 {fmt(draft.printed_total) or '未印'}（表上所印）　等级 {draft.printed_grade or '未印'}"
                                f"　　分项合计 {fmt(score.total) or '—'}，按等级标准应为 {score.grade or '—'}")
        else:
            self.totals.setText(f"综合得分 {fmt(score.total) or '—'}　　等级 {score.grade or '—'}"
                                f"　　分值合计 {fmt(score.points) or '0'}　　{pack_words(self.pack.version)}")

    def go_to(self, row: Optional[int], field: str) -> None:
        """A need clicked: select its cell (the grid's tab brought forward)."""
        self.tabs.setCurrentIndex(0)
        if row is None or row >= self.model.rowCount():
            return
        index = self.model.index(row, max(self.model.column_of(CELL_OF.get(field, "score")), 0))
        select_cell(self.view, index)

    def reject(self) -> None:
        """关闭, Esc and the window's close button: unsaved typing asks 保存 / 不保存 / 取消 first."""
        if messages.may_close(self, "这项重点评价", self.is_dirty(), self.save):
            super().reject()

    # -- the tree ---------------------------------------------------------------------------------
    def add_leaf(self) -> int:
        """添加指标: a new leaf under the selected one (same 一级/二级), its 三级指标 to be typed."""
        current = self.view.currentIndex()
        row = self.model.add_leaf(current.row() if current.isValid() else None)
        if row >= 0:
            index = self.model.index(row, self.model.column_of("level3"))
            select_cell(self.view, index)
        return row

    def remove_leaf(self) -> bool:
        current = self.view.currentIndex()
        if not current.isValid():
            self.message.setText("请先在评分表中选中要删除的指标。")
            return False
        return self.model.remove_leaf(current.row())

    def choose_preset(self, name: str) -> None:
        """Another 评分方案: the pack's tree at its weights (what was typed on the same leaves is kept)."""
        if not name or name == self.draft.preset or not self.editable:
            return
        self._run(lambda: svc.with_preset(self.ws, self.current(), name), saved=False)

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
        """A refusal: its summary and cells said under the tabs (the cells shaded), and in a box."""
        self.refused = exc.report
        lines = [f"{parts.place(*parts.where(p.field))}{p.message}" for p in exc.report.problems]
        self.message.setText("　".join([exc.summary, *lines]))
        self.recheck()
        show_error(self, exc, title)

    def save(self) -> bool:
        return self._run(lambda: svc.save(self.ws, self.current()))

    def to_rectification(self, text: Optional[str] = None) -> bool:
        """转为整改事项: the problem selected in 存在问题及原因 (or asked for) becomes a 整改 item
        (待整改); a new or changed evaluation is saved first."""
        if text is None:
            text = self.texts.selected_problem() or parts.ask_problem(self)
            if text is None:
                return False
        text = text.strip()
        if not text:
            self.message.setText("请先在“存在问题及原因”中选中要整改的问题，或填写它。")
            return False
        if (not self.draft.saved or self.is_dirty()) and not self.save():
            return False
        if not self._confirmed("rectify", reason=text):
            return False
        if not self._run(lambda: svc.to_rectification(self.ws, self.draft, text)):
            return False
        self.tabs.setCurrentIndex(1)
        return True

    def print_summary(self):
        """打印摘要…: the 报告摘要 (德惠's four sections and the dimension table) of what is on screen."""
        from ui.print_preview import print_report

        ws, draft = self.ws, self.current()

        def write(path, job=None):
            from app.io.key_eval_reports import render_report
            from app.services.key_eval_year import report

            return render_report(report(ws, draft), path)

        return print_report(self, f"{draft.object_name}绩效评价报告摘要", write)
