"""项目 page: the year's projects, instant search, filters, sortable columns, edit, import, export.

The list is read in the background (ui.ops.Loader) and read again whenever projects or 基础数据
change (a form's save, a deletion, an import — here or anywhere: the ChangeHub tells the page);
the selected project stays selected and the list where it was scrolled to."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Optional

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from app.domain.projects import CATEGORIES, FUND_TYPES, ImportSummary, ProjectList, ProjectRow
from app.io.projects_io import render_projects
from app.money import fmt_wan
from app.rules.validation import RejectedError
from app.services import guard, projects as svc, regions
from app.services.exante_year import exante_marks
from app.services.project_import import import_file
from app.stages.projects import STAGE
from ui.context import PageContext
from ui.dialogs.project_form import ProjectForm
from ui.messages import confirm
from ui.models.project_table import ProjectTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui import files
from ui.workers import run_export, run_import

ALL = "全部"
LOADING = "正在读取…"


class ProjectsPage(StagePage):
    RIGHTS = (("add", guard.PROJECTS, "新增"), ("edit", guard.PROJECTS, "修改"),
              ("delete", guard.PROJECTS, "删除"), ("import", guard.PROJECTS, "导入"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.model = ProjectTableModel(self)
        self.loader = Loader(self, self._arrived, self._failed)

        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：项目编码、名称、部门、单位（可输入多个词，空格分隔）")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.dept_filter = QComboBox()
        self.dept_filter.setMinimumContentsLength(14)
        self.dept_filter.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.dept_filter.addItem(ALL, None)
        self.fund_filter = QComboBox()
        self.fund_filter.addItems([ALL, *FUND_TYPES])
        self.cat_filter = QComboBox()
        self.cat_filter.addItems([ALL, *CATEGORIES])
        self.region_filter = RegionFilter()  # shown once the county holds townships' projects
        for box in (self.dept_filter, self.fund_filter, self.cat_filter, self.region_filter):
            box.currentIndexChanged.connect(self.apply_filter)

        self.view = table_view(self.model)
        self.region_filter.hide_columns_of(self.view)  # until the list says the county holds townships' projects
        self.view.doubleClicked.connect(lambda _: self.edit_selected())
        self.status = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.region_filter.caption)
        top.addWidget(self.region_filter, 1)
        for caption, box in (("部门", self.dept_filter), ("资金性质", self.fund_filter), ("类别", self.cat_filter)):
            top.addWidget(QLabel(caption))
            top.addWidget(box, 1)
        actions = QHBoxLayout()
        for text, slot, name in (("新增项目", self.add, "add"), ("编辑", self.edit_selected, "edit"),
                                 ("删除", self.delete_selected, "delete"), ("导入Excel…", self.import_file, "import"),
                                 ("导出Excel…", lambda: self.export("xlsx"), "export_xlsx"),
                                 ("导出PDF…", lambda: self.export("pdf"), "export_pdf"), ("打印…", self.print_list, "print")):
            actions.addWidget(button(text, slot, name))
        actions.addStretch(1)
        actions.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.view)
        self.model.set_filter(**self._criteria())

    # -- loading ---------------------------------------------------------------------------
    def reload(self) -> Op:
        ws, year = self.ws, self.year
        self.status.setText(LOADING)
        return self.loader.load(lambda job: (svc.project_list(ws, year), exante_marks(ws, year), regions.choices(ws)))

    def _arrived(self, answer: tuple[ProjectList, dict[int, str], regions.RegionChoices]) -> None:
        found, marks, choices = answer
        with keeping_place(self.view, "id"):  # a reload after a change keeps the user's place
            self._fill_departments(found.departments)
            self.region_filter.fill(choices)  # keeps the choice (the model asks it for each row)
            self.model.load([replace(r, mark=marks[r.id]) if r.id in marks else r for r in found.rows])
        self._update_status()

    def _failed(self, error: BaseException) -> None:
        from ui.messages import show_error

        self.status.setText("")
        show_error(self, error)

    def _fill_departments(self, departments: tuple[tuple[int, str], ...]) -> None:
        current = self.dept_filter.currentData()
        self.dept_filter.blockSignals(True)
        self.dept_filter.clear()
        self.dept_filter.addItem(ALL, None)
        for dept_id, display in departments:
            self.dept_filter.addItem(display, dept_id)
        index = self.dept_filter.findData(current)
        self.dept_filter.setCurrentIndex(max(index, 0))
        self.dept_filter.blockSignals(False)
        if current is not None and index < 0:  # the chosen department is gone: show every project
            self.apply_filter()

    def _criteria(self) -> dict:
        fund, cat = self.fund_filter.currentText(), self.cat_filter.currentText()
        return dict(text=self.search.text(), department_id=self.dept_filter.currentData(),
                    fund_type=None if fund == ALL else fund, category=None if cat == ALL else cat,
                    keep=self.region_filter.keeps)

    def apply_filter(self) -> None:
        self.model.set_filter(**self._criteria())
        self._update_status()

    def _update_status(self) -> None:
        if self.loader.loading:
            self.status.setText(LOADING)
            return
        shown = self.model.rows()
        total = sum(r.annual_fen for r in shown)
        place = self.region_filter.label()
        self.status.setText(f"{self.year}年度{place and f'（{place}）'} 显示{len(shown)}个 / 共{self.model.total_count()}个项目，"
                            f"全年预算数合计{fmt_wan(total)}万元")

    def selected_row(self) -> Optional[ProjectRow]:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    # -- editing (the change notification brings the list up to date) -----------------------
    def add(self) -> ProjectForm:
        return self._open_form(None)

    def edit_selected(self) -> Optional[ProjectForm]:
        row = self.selected_row()
        if row is None:
            QMessageBox.information(self, "编辑项目", "请先在列表中选中一个项目。")
            return None
        return self._open_form(row.id)

    def _open_form(self, project_id: Optional[int]) -> ProjectForm:
        form = ProjectForm(self.ws, self.year, project_id, self)
        form.open()
        return form

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

    # -- files -----------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """Starts the import and returns its op (its `report` is the error list when cells were
        refused); a landed import is told in a sentence, and every page shows the new projects."""
        if not path:
            path = files.ask_open_path(self, "导入项目清单", "Excel 工作簿 (*.xlsx *.xls)")
        if not path:
            return None
        ws = self.ws
        return run_import(self, "正在导入项目清单…", lambda job: import_file(ws, path, job), self._imported)

    def _imported(self, summary: ImportSummary) -> None:
        QMessageBox.information(self, "导入完成", summary.sentence())

    def print_list(self) -> Op:
        """打印…: what the user sees (filtered and sorted), as its PDF prints, in the print preview."""
        from ui.print_preview import print_report

        rows, year, place, shown = self.model.rows(), self.year, self.region_filter.label(), self._with_regions()
        title = f"{year}年度项目清单" + (f"（{place}）" if place else "")
        return print_report(self, title, lambda p, job: render_projects(rows, year, "pdf", p, job, place, shown))

    def export(self, fmt: str, path: Optional[str] = None) -> Optional[Op]:
        """Writes what the user sees (filtered and sorted); returns the running op."""
        if not path:
            pattern = "Excel 工作簿 (*.xlsx)" if fmt == "xlsx" else "PDF 文件 (*.pdf)"
            place = self.region_filter.label()
            path = files.ask_save_path(self, "导出项目清单", f"{self.year}年度项目清单{place and f'（{place}）'}.{fmt}", pattern)
        if not path:
            return None
        rows, year, place, shown = self.model.rows(), self.year, self.region_filter.label(), self._with_regions()
        return run_export(self, "正在导出…", lambda job: render_projects(rows, year, fmt, path, job, place, shown),
                          path=str(path))

    def _with_regions(self) -> bool:
        return self.region_filter.choices.shown
