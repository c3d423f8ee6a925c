"""绩效目标 page: the year's projects (项目支出) or departments (部门整体支出) with their target's
state; open one to fill, review or approve. The list is read in the background (ui.ops.Loader)
and read again whenever a change to targets, projects or base data is told (StagePage), keeping
the selected row; a target with its indicators is read in the background too before its form opens."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Optional

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget

from app.domain.targets import TargetDraft
from app.services import regions, targets as svc
from app.services.exante_year import exante_marks
from app.stages.targets import STAGE
from ui.context import PageContext
from ui.dialogs.target_form import TargetForm
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui import files
from ui.workers import export_to, run_import

LOADING = "正在读取…"
REGION = ModelColumn("区划", "region", width=70)  # hidden unless the county holds townships' targets
COLUMNS = [ModelColumn("项目编码", "code", width=120), REGION, ModelColumn("项目名称", "name", width=260),
           ModelColumn("主管部门", "department", width=180), ModelColumn("全年预算数（万元）", "annual_fen", "money", width=110),
           ModelColumn("目标状态", "status", width=80), ModelColumn("质量得分", "quality_score", "score", width=80),
           ModelColumn("审核得分", "review_score", "score", width=80), ModelColumn("计分规则方案", "versions", width=90),
           ModelColumn("事前评估", "mark", width=80)]
DEPT_COLUMNS = [ModelColumn("部门编码", "code", width=120), REGION, ModelColumn("部门（单位）名称", "name", width=300),
                ModelColumn("上级部门", "department", width=220),
                ModelColumn("项目资金合计（万元）", "annual_fen", "money", width=120)] + COLUMNS[5:9]


def _key(row: svc.TargetRow) -> tuple:
    """Which project (项目支出) or department (部门整体支出) a line is, across reloads."""
    return row.project_id, row.department_id


class TargetsPage(StagePage):
    RIGHTS = (("import_targets", svc.TARGETS, ("新增", "修改")),)

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self._all: dict[str, list[svc.TargetRow]] = {svc.PROJECT: [], svc.DEPARTMENT: []}
        self.models = {svc.PROJECT: RowTableModel(COLUMNS, self), svc.DEPARTMENT: RowTableModel(DEPT_COLUMNS, self)}
        self.model = self.models[svc.PROJECT]
        self.loader = Loader(self, self._arrived, self._failed)
        self.opener = Loader(self, self._opened, self._open_failed)  # a target with its indicators
        self.form: Optional[TargetForm] = None  # the form opened last
        self.kind = QComboBox()
        self.kind.addItems(list(self.models))
        self.kind.setObjectName("target_kind")
        self.kind.currentTextChanged.connect(self.set_kind)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：编码、名称、部门")
        self.search.textChanged.connect(self.refilter)
        self.region_filter = RegionFilter(on_change=self.refilter)  # shown once the county holds townships' targets
        self.view = table_view(self.model)
        self.region_filter.hide_columns_of(self.view)  # until the list says the county holds townships' targets
        self.view.doubleClicked.connect(lambda index: self.open_target(index.row()))
        self.status = QLabel()
        open_button = button("填报/查看绩效目标", lambda: self.open_target(self._selected()), "open_target")
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.search, 1)
        top.addWidget(self.region_filter.caption)
        top.addWidget(self.region_filter)
        top.addWidget(open_button)
        for text, slot, name in (("导入Excel…", self.import_file, "import_targets"),
                                 ("自动检查结果…", self.export_review, "review_targets"),
                                 ("审核汇总表…", self.export_summary, "summary_targets"),
                                 ("打印…", self.print_summary, "print")):
            top.addWidget(button(text, slot, name))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view)
        layout.addWidget(self.status)  # below the list: the bar above keeps room for the 区划 filter at 1366 px

    def set_kind(self, kind: str) -> None:
        """项目支出 or 部门整体支出: the list, its columns and what opens."""
        self.model = self.models[kind]
        self.view.setModel(self.model)
        for i, column in enumerate(self.model.columns):
            self.view.setColumnWidth(i, column.width)
        self.region_filter.show_columns()
        self._enable_import()
        self.reload()

    def apply_rights(self, actor) -> None:
        super().apply_rights(actor)
        self._enable_import()

    def _enable_import(self) -> None:
        # the flat import is the 一体化 layout of project targets, for users who may write them
        self.findChild(QWidget, "btn_import_targets").setEnabled(
            self.kind.currentText() == svc.PROJECT and self.allowed("import_targets"))

    def reload(self) -> Op:
        """Read the year's list of the kind shown, in the background (the newest answer wins)."""
        ws, year, kind = self.ws, self.year, self.kind.currentText()
        self.status.setText(LOADING)

        def work(_job):
            if kind == svc.DEPARTMENT:
                return kind, svc.department_list(ws, year), regions.choices(ws)
            marks = exante_marks(ws, year)  # 需事前评估 beside a project the pack's trigger names
            return kind, [replace(r, mark=marks[r.project_id]) if r.project_id in marks else r
                          for r in svc.list_targets(ws, year)], regions.choices(ws)

        return self.loader.load(work)

    def _arrived(self, answer: tuple[str, list[svc.TargetRow], regions.RegionChoices]) -> None:
        kind, rows, choices = answer
        self._all[kind] = rows
        self.region_filter.fill(choices)  # keeps the choice; refiltered just below
        with keeping_place(self.view, _key):  # a reload after a change keeps the user's place
            self.refilter()

    def _failed(self, error: BaseException) -> None:
        from ui.messages import show_error

        self.status.setText("读取失败")
        show_error(self, error)

    def refilter(self) -> None:
        kind = self.kind.currentText()
        terms = self.search.text().casefold().split()
        everything = self._all[kind]
        self.model.set_rows([r for r in everything if all(t in r.search_key for t in terms) and self.region_filter.keeps(r)])
        self._show_status()

    def _show_status(self) -> None:
        if self.loader.loading or self.opener.loading:
            self.status.setText(LOADING)
            return
        kind = self.kind.currentText()
        counts: dict[str, int] = {}
        for r in self.model.rows():  # what the list shows
            counts[r.status] = counts.get(r.status, 0) + 1
        place = self.region_filter.label()
        self.status.setText(f"{self.year}年度{place}{kind} " + "，".join(f"{k}{v}个" for k, v in sorted(counts.items())))

    def _selected(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def open_target(self, row: int) -> Optional[Op]:
        """The target form of the row, once the target with its indicators is read in the
        background ("正在读取…" meanwhile). Opening writes nothing: a row still 未填报 opens an
        unsaved 草稿 that its first save creates. Returns the read; the form then opens and is
        `self.form`. What the form saves reaches this page as a change notification."""
        if row < 0:
            return None
        target = self.model.row_at(row)
        ws, year = self.ws, self.year  # read here, on the GUI thread
        project_id, department_id = target.project_id, target.department_id
        title = f"[{target.code}]{target.name}" if department_id is not None else f"{target.code} {target.name}"

        def work(_job) -> tuple[str, TargetDraft]:
            if department_id is not None:
                return title, svc.open_department_target(ws, department_id, year)
            return title, svc.open_target(ws, project_id)

        op = self.opener.load(work)
        self.status.setText(LOADING)
        return op

    def _opened(self, answer: tuple[str, TargetDraft]) -> None:
        title, draft = answer
        self._show_status()
        self.form = TargetForm(self.ws, draft, title, self)
        self.form.open()

    def _open_failed(self, error: BaseException) -> None:
        from ui.messages import show_error

        self._show_status()
        show_error(self, error, "未能打开绩效目标")

    # -- files -----------------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """Import a flat workbook in the background; bad cells open the error list (`op.report`)."""
        if not path:
            path = files.ask_open_path(self, "导入绩效目标", "Excel 工作簿 (*.xlsx *.xls)")
        if not path:
            return None
        ws = self.ws
        return run_import(self, "正在导入绩效目标…", lambda job: svc.import_file(ws, path, job),
                          lambda sentence: QMessageBox.information(self, "导入完成", sentence))

    # the reports are of the region the 区划 filter has chosen (every region's under 全部区划)
    def _named(self, what: str) -> str:
        place = self.region_filter.label()
        return f"{self.year}年度{what}" + (f"（{place}）" if place else "")

    def export_review(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year, region = self.ws, self.year, self.region_filter.code()
        return self._export(path, f"{self._named('绩效目标自动检查结果')}.xlsx", "Excel 工作簿 (*.xlsx)",
                            lambda p, job: svc.export_review(ws, year, p, job, region=region))

    def print_summary(self) -> Op:
        """打印…: the year's 绩效目标审核汇总表 in the print preview (the same pages as its PDF)."""
        from ui.print_preview import print_report

        ws, year, region = self.ws, self.year, self.region_filter.code()
        return print_report(self, self._named("绩效目标审核汇总表"),
                            lambda p, job: svc.export_summary(ws, year, "pdf", p, job, region=region))

    def export_summary(self, path: Optional[str] = None) -> Optional[Op]:
        ws, year, region = self.ws, self.year, self.region_filter.code()
        return self._export(path, f"{self._named('绩效目标审核汇总表')}.xlsx", "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)",
                            lambda p, job: svc.export_summary(ws, year, "pdf" if p.lower().endswith(".pdf") else "xlsx",
                                                              p, job, region=region))

    def _export(self, path: Optional[str], suggested: str, pattern: str, write) -> Optional[Op]:
        return export_to(self, path, suggested, pattern, write)
