"""乡镇考核 page: the year's 乡镇预算绩效管理工作考核表 — 名次, 乡镇, each item's 得分 (points in the
header), 总分, 等级 (and the latest 财政运行综合绩效评价 when a township has one) — counted to the 统计日期
chosen, against the dates under the heading (the packages' due dates, the rounds' 报送截止日期); below,
the selected township's 计分依据 (分值, 分子, 分母, 比率, 得分, 自动 or 手工, what cost it points) and
the chosen item's 口径. 评分… (or a double-click on a score) gives a hand score (绩效科 only); 导出Excel / 导出PDF
write the table and its 计分依据 (app.io.township_assessment_io: the page shows the same columns).

A county without townships says how they are added. Read in the background (ui.ops.Loader) when
built, when the year or the date changes and whenever a stage the figures come from changes."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Iterable, Optional

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from app.domain.township_assessment import TownshipRow, TownshipTable
from app.io import township_assessment_io as io
from app.io.columns import display_width
from app.rules.scoring_tree import fmt
from app.rules.validation import RejectedError
from app.services import guard
from app.services import township_assessment as svc
from app.stages.township import STAGE
from ui import messages
from ui.context import PageContext
from ui.dialogs import township_score
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.widgets import button, keeping_place, table_view
from ui.workers import export_to

LOADING = "正在读取…"
NO_TOWNSHIPS = ("本县还没有乡镇，考核表是空的。乡镇在“基础数据”页点“新增乡镇区划”添加（级次选“乡镇”），"
                "或在“系统 → 数据交换”页登记乡镇的公钥时自动添加；乡镇报来数据包后，各项得分即可自动算出。")
FIRST_ITEM = 2  # the table's columns: 名次, 乡镇, then one per item


def _model_columns(columns) -> list[ModelColumn]:
    """The export's columns as the view's (c0, c1, … on each line), wide enough for the header's
    first line (the points go to a second line)."""
    return [ModelColumn(c.header, f"c{n}", c.kind, width=max(int((c.width or 10) * 8),
                                                              display_width(c.header.split("（")[0]) * 7 + 24))
            for n, c in enumerate(columns)]


def _lines(rows: list[list], codes: Optional[list[str]] = None) -> list[SimpleNamespace]:
    """Each row as a line of the view (attributes c0, c1, …), with its township's code when given."""
    return [SimpleNamespace(code=codes[i] if codes else "", **{f"c{n}": v for n, v in enumerate(row)})
            for i, row in enumerate(rows)]


class TownshipPage(StagePage):
    RIGHTS = (("score", guard.TOWNSHIPS, "评分"),)

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.table: Optional[TownshipTable] = None
        self.loader = Loader(self, self._arrived, self._failed)
        self.model = RowTableModel([], self)
        self.view = table_view(self.model, sort_column=None)
        self.view.setSortingEnabled(False)
        self.view.setObjectName("township_table")
        self.view.horizontalHeader().setStretchLastSection(True)  # no blank strip right of the last column
        self.view.doubleClicked.connect(self._double_clicked)
        self.basis = RowTableModel(_model_columns(io.BASIS_COLUMNS[1:]), self)
        self.basis_view = table_view(self.basis, sort_column=None)
        self.basis_view.setSortingEnabled(False)
        self.basis_view.setObjectName("township_basis")
        self.basis_view.horizontalHeader().setStretchLastSection(True)
        self.heading, self.status, self.basis_heading, self.meaning = QLabel(), QLabel(), QLabel(), QLabel()
        self.dates = QLabel()  # the dates counted against: the packages' due dates, the rounds' 报送截止日期
        self.dates.setObjectName("township_dates")
        self.dates.setStyleSheet("color:#555555")
        self.dates.setWordWrap(True)
        self.empty = QLabel(NO_TOWNSHIPS)
        self.empty.setObjectName("no_townships")
        for label in (self.empty, self.meaning):
            label.setWordWrap(True)
        self.meaning.setStyleSheet("color:#555555")
        self.at = QDateEdit(QDate.currentDate())
        self.at.setObjectName("township_at")
        self.at.setCalendarPopup(True)
        self.at.setDisplayFormat("yyyy-MM-dd")
        self.at.dateChanged.connect(lambda _d: self.reload())
        top = QHBoxLayout()
        headings = QVBoxLayout()
        headings.setSpacing(0)
        headings.addWidget(self.heading)
        headings.addWidget(self.dates)
        top.addLayout(headings, 1)
        top.addWidget(QLabel("统计日期："))
        top.addWidget(self.at)
        for text, slot, name in (("评分…", self.score_selected, "score"), ("导出Excel", lambda: self.export("xlsx"), "export_xlsx"),
                                 ("导出PDF", lambda: self.export("pdf"), "export_pdf")):
            top.addWidget(button(text, slot, name))
        top.addWidget(self.status)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.basis_heading)
        below.addWidget(self.basis_view, 1)
        below.addWidget(self.meaning)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.view)
        split.addWidget(lower)
        split.setSizes([330, 270])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty)
        layout.addWidget(split, 1)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_basis())
        self.basis_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_meaning())

    @property
    def loading(self) -> bool:
        return self.loader.loading

    def _day(self) -> date:
        d = self.at.date()
        return date(d.year(), d.month(), d.day())

    def reload(self) -> Op:
        ws, year, at = self.ws, self.year, self._day()
        self.status.setText(LOADING)
        return self.loader.load(lambda job: svc.assessment(ws, year, at))

    def _arrived(self, table: TownshipTable) -> None:
        self.table = table
        self.status.setText("")
        self.heading.setText(f"{io.title(table)}（满分{fmt(table.full)}分，{io.pack_words(table)}）")
        self.dates.setText(io.dates_line(table))
        self.empty.setVisible(table.empty)
        columns = io.columns(table)
        if [c.header for c in self.model.columns] != [c.header for c in columns]:
            self.model = RowTableModel(_model_columns(columns), self)  # the pack's items decide the columns
            self.view.setModel(self.model)
            for n, column in enumerate(self.model.columns):
                self.view.setColumnWidth(n, column.width)
            self.view.selectionModel().currentRowChanged.connect(lambda *_: self._show_basis())
        with keeping_place(self.view, "code"):
            self.model.set_rows(_lines(io.table_rows(table), [r.code for r in table.rows]))
        if self.model.rowCount() and not self.view.selectionModel().hasSelection():
            self.view.selectRow(0)
        self._show_basis()

    def _failed(self, error: BaseException) -> None:
        self.status.setText("读取失败")
        messages.show_error(self, error, "未能读取")

    def selected(self) -> Optional[TownshipRow]:
        index = self.view.selectionModel().currentIndex()
        if self.table is None or not index.isValid():
            return None
        return self.table.row(self.model.row_at(index.row()).code)

    def _show_basis(self) -> None:
        row = self.selected()
        self.basis_heading.setText(f"计分依据：{row.name}（总分{fmt(row.total)}分，{row.grade}，第{row.rank}名）"
                                   if row else "计分依据：请在上表中选中一个乡镇。")
        rows = io.basis_rows(self.table, row.code) if row else []
        self.basis.set_rows(_lines([line[1:] for line in rows]))
        if rows:
            self.basis_view.selectRow(0)
        self._show_meaning()

    def _show_meaning(self) -> None:
        index = self.basis_view.selectionModel().currentIndex()
        name = self.basis.row_at(index.row()).c0 if index.isValid() and self.table else None
        head = next((h for h in self.table.items if h.name == name), None) if self.table else None
        self.meaning.setText(f"口径（{head.name}）：{head.meaning or '由绩效科评分。'}" if head else "")

    # -- hand scores -------------------------------------------------------------------------------
    def _double_clicked(self, index) -> None:
        item = index.column() - FIRST_ITEM
        if self.table is not None and 0 <= item < len(self.table.items) and self.allowed("score"):
            self.score_selected(self.table.items[item].name)

    def score_selected(self, item: str = "") -> bool:
        """评分…: the selected township's hand score, asked (township_score.ask_score) and saved."""
        row = self.selected()
        if row is None:
            messages.show_error(self, RejectedError("请先在考核表中选中一个乡镇。"), "评分")
            return False
        answer = township_score.ask_score(self, self.table, row, item)
        if answer is None:
            return False
        name, score, note = answer
        try:
            svc.set_score(self.ws, self.table.year, row.code, name, score, note)
        except RejectedError as exc:
            messages.show_error(self, exc, "未能评分")
            return False
        return True

    def export(self, fmt: str, path: Optional[str] = None) -> Optional[Op]:
        """The table the page shows (self.table), written as it is: a score saved elsewhere since
        shows after the page reads again."""
        table = self.table
        if table is None:
            messages.show_error(self, RejectedError("考核表还没有读出，请等“正在读取…”消失后再导出。"), "导出乡镇考核表")
            return None
        render = io.render_pdf if fmt == "pdf" else io.render_xlsx
        pattern = "PDF 文件 (*.pdf)" if fmt == "pdf" else "Excel 工作簿 (*.xlsx)"
        return export_to(self, path, f"{table.year}年度乡镇预算绩效管理工作考核表.{fmt}", pattern,
                         lambda target, job: render(table, target), "导出乡镇考核表")
