"""结果应用 page: the measures decided in the page's year grouped by 措施, a “<措施>小计” row after
each group and a 合计 row (the exported table's own lines, app.io.results_reports.table_lines, with
its columns), the counts provincial systems collect
below; 新增措施…, 编辑… (or a double-click on a measure), 删除, 导出… (xlsx or pdf, by the file name).
A county holding its townships' records shows a 区划 column and a 区划 filter: the table, its 小计,
the counts and the export are then of the region chosen (the table is read again for it).

Read in the background (ui.ops.Loader) when built, when the year changes and whenever 结果应用,
重点评价, 自评, 事前评估 or 整改 change (the 依据 and the counts come from them)."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.results import ResultYear
from app.io.columns import format_value
from app.io.results_reports import NONE_YET, TableLine, table_lines
from app.rules.validation import RejectedError
from app.services import regions
from app.services import results as svc
from app.stages.results import STAGE
from ui import messages
from ui.context import PageContext
from ui.dialogs.result_form import ResultForm
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import buttons, keeping_place, laid_out, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of



COLUMNS = [ModelColumn("序号", "seq", "int", width=50), ModelColumn("措施", "measure", width=110),
           ModelColumn("对象", "object_name", width=300), ModelColumn("数量（份）", "count", "int", width=70),
           ModelColumn("金额（万元）", "amount_fen", "money", width=110), ModelColumn("依据", "basis_text", width=330),
           ModelColumn("影响年度", "affect_year", "int", width=70), ModelColumn("执行情况", "execution", width=220)]
# a county holding its townships' records: 区划 after 对象, as the exported table prints it
REGION_COLUMNS = [*COLUMNS[:3], ModelColumn("区划", "region", width=70), *COLUMNS[3:]]


def counts_text(view: ResultYear) -> str:
    said = []
    for label, kind, value in view.counts.lines():
        shown = format_value("money", value) if kind == "money" else str(value)
        said.append(f"{label.split('（')[0]}{shown}{'万元' if kind == 'money' else label[-2]}")
    return "，".join(said) + "。"


class ResultsPage(StagePage):
    RIGHTS = (("add_measure", svc.WORKFLOW, "新增"), ("edit_measure", svc.WORKFLOW, "修改"),
              ("delete_measure", svc.WORKFLOW, "删除"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.view_data: Optional[ResultYear] = None
        self.form: Optional[ResultForm] = None  # the form opened last
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model, sort_column=None)
        self.view.setSortingEnabled(False)
        self.view.doubleClicked.connect(lambda index: self.edit(index.row()))
        self.heading = QLabel()
        self.status = QLabel()
        self.counts = QLabel()
        self.counts.setObjectName("result_counts")
        self.counts.setWordWrap(True)
        self.region_filter = RegionFilter(QLabel("区划："), on_change=self.reload)
        top = laid_out(QHBoxLayout(), (self.heading, 1), self.region_filter.caption, self.region_filter,
                       *buttons(("新增措施…", self.add, "add_measure"),
                                ("编辑…", lambda: self.edit(self._selected()), "edit_measure"),
                                ("删除", self.delete_selected, "delete_measure"), ("导出…", self.export, "export_results")),
                       self.status)
        laid_out(QVBoxLayout(self), top, (self.view, 1), self.counts)

    def reload(self) -> Op:
        """The year's table of the 区划 chosen (all regions: 全部区划)."""
        ws, year, region = self.ws, self.year, self.region_filter.code()
        return self.read(lambda job: (svc.year_table(ws, year, region), regions.choices(ws)))

    def _arrived(self, answer) -> None:
        view, choices = answer
        self.view_data = view
        self.status.setText("")
        self._use_columns(REGION_COLUMNS if view.region_column else COLUMNS)
        self.region_filter.fill(choices)  # a region gone (none chosen now) reads the table again
        self.heading.setText(f"{view.year}年度{view.region}绩效评价结果应用措施" + ("" if view.rows else f"（{NONE_YET}）"))
        with keeping_place(self.view, lambda line: line.measure_id or line.measure):
            self.model.set_rows(table_lines(view))
        self.counts.setText("汇总：" + counts_text(view))

    def _use_columns(self, columns: list[ModelColumn]) -> None:
        """The table's columns as the export prints them (with or without 区划)."""
        if len(self.model.columns) == len(columns):
            return
        old, self.model = self.model, RowTableModel(columns, self)
        self.view.setModel(self.model)
        for i, column in enumerate(columns):
            self.view.setColumnWidth(i, column.width)
        old.deleteLater()

    def _measure_at(self, row: int, what: str) -> Optional[TableLine]:
        line = self.model.row_at(row) if 0 <= row < self.model.rowCount() else None
        if line is None or line.measure_id is None:
            messages.show_error(self, RejectedError(f"请先在表中选中一条结果应用措施（小计、合计行不能{what}）。"), what)
            return None
        return line

    # -- forms -----------------------------------------------------------------------------------
    def add(self) -> ResultForm:
        self.form = ResultForm(self.ws, self.year, None, self)
        self.form.open()
        return self.form

    def edit(self, row: int) -> Optional[ResultForm]:
        line = self._measure_at(row, "编辑")
        if line is None:
            return None
        try:
            self.form = ResultForm(self.ws, self.year, line.measure_id, self)
        except RejectedError as exc:  # deleted meanwhile
            messages.show_error(self, exc)
            return None
        self.form.open()
        return self.form

    def delete_selected(self) -> bool:
        line = self._measure_at(self._selected(), "删除")
        if line is None:
            return False
        ws = self.ws
        return self.delete_asked(f"确定删除结果应用措施“{line.object_name} {line.measure}”吗？",
                                 lambda: svc.delete(ws, line.measure_id, line.version))

    def export(self, path: Optional[str] = None) -> Optional[Op]:
        """导出…: the year's table of the 区划 chosen (all regions: with the 按区划汇总)."""
        ws, year, region = self.ws, self.year, self.region_filter.code()
        where = self.region_filter.label()
        return export_to(self, path, f"{year}年度{where}绩效评价结果应用情况表.xlsx", EXCEL_OR_PDF,
                         lambda target, job: svc.export_results(ws, year, format_of(target), target, region=region),
                         "导出结果应用情况表")
