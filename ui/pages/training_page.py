"""培训 page: the year's sessions by date (a year's summary rows, as a report gave them, first), the
year's 培训次数 and 参训人次 below; 新增培训…, 编辑… (or a double-click), 删除, 导入… (a workbook of
sessions, all or nothing: bad cells open the list), 下载导入模板…, 导出… (xlsx or pdf, by the file
name). A county holding its townships' records shows a 区划 column and filter.

Read in the background (ui.ops.Loader) when built, when the year changes and whenever 培训 changes."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from app.domain.training import TrainingRow, TrainingYear
from app.io.training_io import write_template
from app.rules.validation import RejectedError
from app.services import guard, regions
from app.services import training as svc
from app.stages.training import STAGE
from ui import messages
from ui.context import PageContext
from ui.dialogs.training_form import TrainingForm
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import buttons, keeping_place, laid_out, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of, import_from

COLUMNS = [ModelColumn("培训日期", "date_text", width=90), ModelColumn("区划", "region", width=80),
           ModelColumn("培训主题", "topic", width=300), ModelColumn("主办单位", "organiser", width=160),
           ModelColumn("培训次数", "sessions", "int", width=70), ModelColumn("参训人次", "attendees", "int", width=70),
           ModelColumn("参训单位", "units", width=260), ModelColumn("备注", "note", width=260)]


class TrainingPage(StagePage):
    RIGHTS = (("add_training", guard.STATS, "新增"), ("edit_training", guard.STATS, "修改"),
              ("delete_training", guard.STATS, "删除"), ("import_training", guard.STATS, "导入"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.view_data: Optional[TrainingYear] = None
        self.form: Optional[TrainingForm] = None  # the form opened last
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda index: self.edit(index.row()))
        self.heading = QLabel()
        self.status = QLabel()
        self.counts = QLabel()
        self.counts.setObjectName("training_counts")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.region_filter = RegionFilter(QLabel("区划："), on_change=self.reload)
        self.region_filter.hide_columns_of(self.view)
        top = laid_out(QHBoxLayout(), (self.heading, 1), self.region_filter.caption, self.region_filter,
                       *buttons(("新增培训…", self.add, "add_training"),
                                ("编辑…", lambda: self.edit(self._selected()), "edit_training"),
                                ("删除", self.delete_selected, "delete_training"),
                                ("导入…", self.import_file, "import_training"),
                                ("下载导入模板…", self.save_template, "training_template"),
                                ("导出…", self.export, "export_training")),
                       self.status)
        laid_out(QVBoxLayout(self), top, (self.view, 1), self.counts, self.notice)

    def reload(self) -> Op:
        ws, year, region = self.ws, self.year, self.region_filter.code()
        return self.read(lambda job: (svc.list_year(ws, year, region), regions.choices(ws)))

    def _arrived(self, answer) -> None:
        view, choices = answer
        self.view_data = view
        self.status.setText("")
        self.region_filter.fill(choices)
        self.heading.setText(f"{view.year}年度{view.region_label}培训情况" + ("" if view.rows else "（尚未登记培训）"))
        with keeping_place(self.view, "id"):
            self.model.set_rows(list(view.rows))
        self.counts.setText(f"合计：培训{view.sessions}次，参训{view.attendees}人次。")

    def _row(self, row: int, what: str) -> Optional[TrainingRow]:
        if not 0 <= row < self.model.rowCount():
            messages.show_error(self, RejectedError(f"请先在列表中选中要{what}的培训。"), what)
            return None
        return self.model.row_at(row)

    # -- forms -----------------------------------------------------------------------------------
    def add(self) -> TrainingForm:
        self.form = TrainingForm(self.ws, self.year, None, self)
        self.form.open()
        return self.form

    def edit(self, row: int) -> Optional[TrainingForm]:
        found = self._row(row, "编辑")
        if found is None:
            return None
        if found.summary:
            messages.show_error(self, RejectedError(
                f"这是{found.year}年的全年汇总数（{found.sessions}次，{found.attendees}人次），不是一次培训，不能按一次培训编辑。"
                "如需逐次登记，请删除这条汇总数后逐次新增。"), "编辑")
            return None
        self.form = TrainingForm(self.ws, self.year, found, self)
        self.form.open()
        return self.form

    def delete_selected(self) -> bool:
        found = self._row(self._selected(), "删除")
        if found is None:
            return False
        ws = self.ws
        return self.delete_asked(f"确定删除培训{found.date_text}“{found.topic}”（{found.attendees}人次）吗？",
                                 lambda: svc.delete(ws, found.id))

    # -- files -----------------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year = self.ws, self.year
        return import_from(self, path, f"导入{year}年培训", lambda source, job: svc.import_file(ws, source, year, job),
                           lambda sentence: self.notice.setText(str(sentence)))

    def save_template(self, path: Optional[str] = None) -> Optional[Op]:
        return export_to(self, path, "培训情况导入模板.xlsx", "Excel 工作簿 (*.xlsx)", lambda p, job: write_template(p))

    def export(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year, region = self.ws, self.year, self.region_filter.code()
        where = self.region_filter.label()
        return export_to(self, path, f"{year}年度{where}培训情况表.xlsx", EXCEL_OR_PDF,
                         lambda target, job: svc.export(ws, year, target, format_of(target), region=region))
