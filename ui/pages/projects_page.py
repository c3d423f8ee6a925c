"""项目 page: the year's projects, instant search, filters, sortable columns, edit, import, export."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox,
    QVBoxLayout, QWidget,
)

from app.io import projects_import, projects_io
from app.money import fmt_wan
from app.rules.validation import RejectedError
from app.services import projects as svc
from app.services.base_data import list_departments
from app.services.workspace import Workspace
from ui.context import PageContext
from ui.pages.base import StagePage
from ui.dialogs.project_form import ProjectForm
from ui.messages import confirm
from ui.models.project_table import ProjectTableModel
from ui.widgets import button, table_view
from ui.workers import run_export, run_import

ALL = "全部"


class ProjectsPage(StagePage):
    changed = Signal()  # the year's projects changed (e.g. after an import)

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on, parent)
        self.year: int = 0
        self.model = ProjectTableModel(self)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：项目编码、名称、部门、单位（可输入多个词，空格分隔）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.dept_filter = QComboBox()
        self.dept_filter.setMinimumContentsLength(14)
        self.dept_filter.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.fund_filter = QComboBox()
        self.fund_filter.addItems([ALL, *svc.FUND_TYPES])
        self.cat_filter = QComboBox()
        self.cat_filter.addItems([ALL, *svc.CATEGORIES])
        for box in (self.dept_filter, self.fund_filter, self.cat_filter):
            box.currentIndexChanged.connect(self.apply_filter)

        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda _: self.edit_selected())
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        for caption, box in (("部门", self.dept_filter), ("资金性质", self.fund_filter), ("类别", self.cat_filter)):
            top.addWidget(QLabel(caption))
            top.addWidget(box, 1)
        actions = QHBoxLayout()
        for text, slot, name in (("新增项目", self.add, "add"), ("编辑", self.edit_selected, "edit"),
                                 ("删除", self.delete_selected, "delete"), ("导入Excel…", self.import_file, "import"),
                                 ("导出Excel…", lambda: self.export("xlsx"), "export_xlsx"),
                                 ("导出PDF…", lambda: self.export("pdf"), "export_pdf")):
            actions.addWidget(button(text, slot, name))
        actions.addStretch(1)
        actions.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.view)

    # -- loading ---------------------------------------------------------------------------
    def set_year(self, year: int) -> None:
        self.year = year
        self.reload()

    def reload(self) -> None:
        self._fill_departments()
        self.model.load(svc.list_projects(self.ws, self.year))
        self._update_status()

    def _fill_departments(self) -> None:
        current = self.dept_filter.currentData()
        self.dept_filter.blockSignals(True)
        self.dept_filter.clear()
        self.dept_filter.addItem(ALL, None)
        for d in list_departments(self.ws):
            self.dept_filter.addItem(d.display, d.id)
        index = self.dept_filter.findData(current)
        self.dept_filter.setCurrentIndex(max(index, 0))
        self.dept_filter.blockSignals(False)

    def apply_filter(self) -> None:
        fund, cat = self.fund_filter.currentText(), self.cat_filter.currentText()
        self.model.set_filter(text=self.search.text(), department_id=self.dept_filter.currentData(),
                              fund_type=None if fund == ALL else fund, category=None if cat == ALL else cat)
        self._update_status()

    def _update_status(self) -> None:
        shown = self.model.rows()
        total = sum(r.annual_fen for r in shown)
        self.status.setText(f"{self.year}年度 显示{len(shown)}个 / 共{self.model.total_count()}个项目，"
                            f"全年预算数合计{fmt_wan(total)}万元")

    def selected_row(self) -> Optional[svc.ProjectRow]:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- editing ---------------------------------------------------------------------------
    def add(self) -> Optional[ProjectForm]:
        return self._open_form(None)

    def edit_selected(self) -> Optional[ProjectForm]:
        row = self.selected_row()
        if row is None:
            QMessageBox.information(self, "编辑项目", "请先在列表中选中一个项目。")
            return None
        return self._open_form(row.id)

    def _open_form(self, project_id: Optional[int]) -> ProjectForm:
        form = ProjectForm(self.ws, self.year, project_id, self)
        form.accepted.connect(self._after_change)
        form.open()
        return form

    def _after_change(self) -> None:
        self.reload()
        self.changed.emit()  # e.g. an import brought a new 年度 for the year picker

    def delete_selected(self) -> None:
        row = self.selected_row()
        if row is None:
            QMessageBox.information(self, "删除项目", "请先在列表中选中一个项目。")
            return
        if not confirm(self, "删除项目", f"确定删除项目“{row.code} {row.name}”吗？删除后不能恢复。"):
            return
        try:
            svc.delete_project(self.ws, row.id)
        except RejectedError as exc:
            QMessageBox.warning(self, "不能删除", exc.summary)
            return
        self._after_change()

    # -- files -----------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[QWidget]:
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, "导入项目清单", "", "Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        result, report = run_import(self, "正在导入项目清单…", lambda job: projects_import.import_projects(self.ws, path, job))
        if result is not None:
            self._after_change()
            QMessageBox.information(self, "导入完成", result.sentence())
        return report

    def export(self, fmt: str, path: Optional[str] = None) -> bool:
        if not path:
            pattern = "Excel 工作簿 (*.xlsx)" if fmt == "xlsx" else "PDF 文件 (*.pdf)"
            path, _ = QFileDialog.getSaveFileName(self, "导出项目清单", f"{self.year}年度项目清单.{fmt}", pattern)
        if not path:
            return False
        rows = self.model.rows()  # what the user sees: filtered and sorted
        return run_export(self, "正在导出…", lambda job: projects_io.export_projects(self.ws, self.year, fmt, path, rows, job))
