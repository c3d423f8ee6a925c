"""上报数 page: the year's figures held outside the program (环节, 数据项, 数量, 金额（万元）, 比率（%）,
来源, 原文) in the report's order of 环节, with a sentence saying what they are for; 新增上报数…, 编辑…
(or a double-click), 删除 (asked first), 导入… (a workbook, all or nothing: bad cells open the list),
下载导入模板…, 导出… (xlsx or pdf, by the file name). A county holding its townships' records shows a
区划 column and filter.

Read in the background (ui.ops.Loader) when built, when the year changes and whenever 上报数 change."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.reported import PURPOSE, ReportedRow, ReportedYear
from app.io.reported_io import write_template
from app.rules.validation import RejectedError
from app.services import guard, regions
from app.services import reported as svc
from app.stages.reported import STAGE
from ui import messages
from ui.context import PageContext
from ui.dialogs.reported_form import ReportedForm
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import buttons, keeping_place, laid_out, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of, import_from

COLUMNS = [ModelColumn("环节", "stage_text", width=100, sort_attr="order"), ModelColumn("区划", "region", width=70),
           ModelColumn("数据项", "item", width=240), ModelColumn("数量", "count", "int", width=55),
           ModelColumn("金额（万元）", "amount_fen", "money", width=90), ModelColumn("比率（%）", "rate_pct", "score", width=60),
           ModelColumn("来源", "source_text", width=250), ModelColumn("原文", "text", width=600)]


class ReportedPage(StagePage):
    RIGHTS = (("add_reported", guard.STATS, "新增"), ("edit_reported", guard.STATS, "修改"),
              ("delete_reported", guard.STATS, "删除"), ("import_reported", guard.STATS, "导入"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.view_data: Optional[ReportedYear] = None
        self.form: Optional[ReportedForm] = None  # the form opened last
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda index: self.edit(index.row()))
        self.heading = QLabel()
        self.status = QLabel()
        self.purpose = QLabel(PURPOSE)
        self.purpose.setObjectName("reported_purpose")
        self.purpose.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setObjectName("reported_counts")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.region_filter = RegionFilter(QLabel("区划："), on_change=self.reload)
        self.region_filter.hide_columns_of(self.view)
        top = laid_out(QHBoxLayout(), (self.heading, 1), self.region_filter.caption, self.region_filter,
                       *buttons(("新增上报数…", self.add, "add_reported"),
                                ("编辑…", lambda: self.edit(self._selected()), "edit_reported"),
                                ("删除", self.delete_selected, "delete_reported"),
                                ("导入…", self.import_file, "import_reported"),
                                ("下载导入模板…", self.save_template, "reported_template"),
                                ("导出…", self.export, "export_reported")),
                       self.status)
        laid_out(QVBoxLayout(self), top, self.purpose, (self.view, 1), self.counts, self.notice)

    def reload(self) -> Op:
        ws, year, region = self.ws, self.year, self.region_filter.code()
        return self.read(lambda job: (svc.list_year(ws, year, region), regions.choices(ws)))

    def _arrived(self, answer) -> None:
        view, choices = answer
        self.view_data = view
        self.status.setText("")
        self.region_filter.fill(choices)
        self.heading.setText(f"{view.year}年度{view.region_label}上报数" + ("" if view.rows else "（尚未录入）"))
        with keeping_place(self.view, "id"):
            self.model.set_rows(list(view.rows))
        self.counts.setText(view.sentence)

    def _row(self, row: int, what: str) -> Optional[ReportedRow]:
        if not 0 <= row < self.model.rowCount():
            messages.show_error(self, RejectedError(f"请先在列表中选中要{what}的上报数。"), what)
            return None
        return self.model.row_at(row)

    # -- forms -----------------------------------------------------------------------------------
    def add(self) -> ReportedForm:
        self.form = ReportedForm(self.ws, self.year, None, self)
        self.form.open()
        return self.form

    def edit(self, row: int) -> Optional[ReportedForm]:
        found = self._row(row, "编辑")
        if found is None:
            return None
        self.form = ReportedForm(self.ws, self.year, found, self)
        self.form.open()
        return self.form

    def delete_selected(self) -> bool:
        found = self._row(self._selected(), "删除")
        if found is None:
            return False
        ws = self.ws
        return self.delete_asked(f"确定删除上报数{found.stage}“{found.item}”（来源：{found.source_text}）吗？"
                                 "删除后年度工作情况说明不再采用这个数字。", lambda: svc.delete(ws, found.id))

    # -- files -----------------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year = self.ws, self.year
        return import_from(self, path, f"导入{year}年上报数", lambda source, job: svc.import_file(ws, source, year, job),
                           lambda sentence: self.notice.setText(str(sentence)))

    def save_template(self, path: Optional[str] = None) -> Optional[Op]:
        return export_to(self, path, "上报数导入模板.xlsx", "Excel 工作簿 (*.xlsx)", lambda p, job: write_template(p))

    def export(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year, region = self.ws, self.year, self.region_filter.code()
        where = self.region_filter.label()
        return export_to(self, path, f"{year}年度{where}上报数一览表.xlsx", EXCEL_OR_PDF,
                         lambda target, job: svc.export(ws, year, target, format_of(target), region=region))
