"""第三方机构 page: the institutions with their 统一社会信用代码, contact, how many contracts and
evaluations they hold and their latest 执业质量考核 result; search as you type; 新增…, 编辑… (or a
double-click), 删除 (refused while evaluations name the institution), 执业质量考核… (the form on its
考核 tab, on the page's year), and the year's 考核结果表 as Excel.

Read in the background (ui.ops.Loader) when built and whenever 第三方机构, 重点评价 or 事前评估 change
(StagePage), keeping the selected row. Institutions belong to no year: switching the year reads nothing."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.agencies import AgencyRow
from app.io.agency_reports import render_assessments
from app.rules.validation import RejectedError
from app.services import agencies as svc, guard
from app.stages.agencies import STAGE
from ui import messages
from ui.context import PageContext
from ui.dialogs.agency_form import TABS, AgencyForm
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.widgets import buttons, keeping_place, laid_out, table_view
from ui.workers import export_to

COLUMNS = [ModelColumn("机构名称", "name", width=330), ModelColumn("统一社会信用代码", "credit_code", width=160),
           ModelColumn("业务类型", "role", width=70), ModelColumn("联系人", "contact", width=80),
           ModelColumn("电话", "phone", width=120), ModelColumn("合同数", "contracts", "int", width=60),
           ModelColumn("评价项目数", "works", "int", width=80), ModelColumn("最近考核结果", "latest_result", width=120)]


class AgenciesPage(StagePage):
    RIGHTS = tuple((name, guard.AGENCIES, "修改") for name in ("add_agency", "edit_agency", "delete_agency",
                                                                "assess_agency"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self._all: list[AgencyRow] = []
        self.form: Optional[AgencyForm] = None  # the form opened last
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda index: self.edit(index.row()))
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：机构名称、统一社会信用代码、联系人、电话")
        self.search.textChanged.connect(self.refilter)
        self.status = QLabel()
        self.counts = QLabel()
        self.counts.setObjectName("agency_counts")
        top = laid_out(QHBoxLayout(), (self.search, 1),
                       *buttons(("新增…", self.add, "add_agency"),
                                ("编辑…", lambda: self.edit(self._selected()), "edit_agency"),
                                ("删除", self.delete_selected, "delete_agency"),
                                ("执业质量考核…", lambda: self.assess(self._selected()), "assess_agency"),
                                ("导出考核结果表…", self.export_assessments, "export_assessments")),
                       self.status)
        laid_out(QVBoxLayout(self), top, (self.view, 1), self.counts)
        self.reload()

    def set_year(self, year: int) -> None:
        self.year = year  # the list belongs to no year; the year is the one an assessment opens on

    def reload(self) -> Op:
        ws = self.ws
        return self.read(lambda job: svc.list_agencies(ws))

    def _arrived(self, rows: list[AgencyRow]) -> None:
        self._all = rows
        self.status.setText("")
        with keeping_place(self.view, "id"):
            self.refilter()

    def refilter(self) -> None:
        terms = self.search.text().casefold().split()
        rows = [r for r in self._all if all(t in r.search_key for t in terms)]
        self.model.set_rows(rows)
        shown = f"显示{len(rows)}家，" if terms else ""
        self.counts.setText(f"第三方机构共{len(self._all)}家，{shown}合同{sum(r.contracts for r in self._all)}份，"
                            f"承担评价项目{sum(r.works for r in self._all)}项。")

    def select_name(self, name: str) -> None:
        for n, row in enumerate(self.model.rows()):
            if row.name == name:
                self.view.selectRow(n)
                return

    # -- forms -----------------------------------------------------------------------------------
    def add(self) -> AgencyForm:
        self.form = AgencyForm(self.ws, None, self.year, self)
        self.form.open()
        return self.form

    def edit(self, row: int, tab: int = 0) -> Optional[AgencyForm]:
        if not 0 <= row < self.model.rowCount():
            messages.show_error(self, RejectedError("请先在列表中选中一家第三方机构。"), "编辑")
            return None
        try:
            self.form = AgencyForm(self.ws, self.model.row_at(row).id, self.year, self)
        except RejectedError as exc:  # deleted meanwhile
            messages.show_error(self, exc)
            return None
        self.form.tabs.setCurrentIndex(tab)
        self.form.open()
        return self.form

    def assess(self, row: int) -> Optional[AgencyForm]:
        return self.edit(row, TABS.index("执业质量考核"))

    def delete_selected(self) -> bool:
        row = self._selected()
        if row < 0:
            messages.show_error(self, RejectedError("请先在列表中选中要删除的第三方机构。"), "删除")
            return False
        ws, agency = self.ws, self.model.row_at(row)
        return self.delete_asked(f"确定删除第三方机构“{agency.name}”及其合同和考核结果吗？",
                                 lambda: svc.delete_agency(ws, agency.id))

    def export_assessments(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year = self.ws, self.year
        return export_to(self, path, f"{year}年度第三方机构执业质量考核结果表.xlsx", "Excel 工作簿 (*.xlsx)",
                         lambda p, job: render_assessments(svc.rules(ws), year, svc.assessment_table(ws, year), p))
