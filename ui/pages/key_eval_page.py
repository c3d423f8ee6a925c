"""重点评价 page: the year's evaluations in 评价编号 order — 评价对象, 类型, 实施单位, the money with its
执行率, 综合得分, 等级, 评价机构, state and the check's count of problems — with the grade count offices
write (9个项目评价结果为“优”，2个项目评价结果为“良”). 新建评价… picks what is evaluated (a project of the
year, a department as a whole, or a policy / a township's fiscal operation by name) and opens an
unsaved form on the pack's default tree; 打开 (or a double-click) opens one; 导入… takes evaluations
(past reports as printed), 导出附件… writes 附件1 明细表 and 附件2 综合评分统计表 (xlsx or PDF), 检查…
lists the check's findings (合计不符, 等级不符, 得分越界, 执行率不符, 权重不符). A county holding its
townships' evaluations shows their 区划 column and filter; the grade count and 导出附件… follow the
region chosen.

The list is read in the background (ui.ops.Loader) and again when an evaluation, project, base
data, institution or 整改 change is told (StagePage), keeping the selected row."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app.domain.key_eval import DEPARTMENT, PROJECT, SUBJECT_TYPES, TOWNSHIP, KeyEvalRow
from app.services import key_eval as svc
from app.services import key_eval_year as year_svc
from app.services import regions
from app.services.key_eval_import import IMPORT_STEPS
from app.stages.key_eval import STAGE
from ui.context import PageContext
from ui.dialogs.key_eval_form import KeyEvalForm
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of, import_from

LOADING = "正在读取…"
COLUMNS = [ModelColumn("评价编号", "code", width=70), ModelColumn("区划", "region", width=70),
           ModelColumn("评价对象", "object_name", width=260),
           ModelColumn("类型", "object_type", width=64), ModelColumn("实施单位", "unit_name", width=170),
           ModelColumn("预算批复金额（万元）", "budget_fen", "money", width=96),
           ModelColumn("实际支出（万元）", "spend_fen", "money", width=90), ModelColumn("执行率", "rate", "rate", width=66),
           ModelColumn("综合得分", "total", "score", width=64), ModelColumn("等级", "grade", width=44),
           ModelColumn("评价机构", "evaluator", width=150), ModelColumn("状态", "status", width=64),
           ModelColumn("问题数", "findings", "int", width=52)]


class NewEvalDialog(QDialog):
    """新建评价: 评价对象类型, then the project of the year (项目), the department (部门整体), the township
    picked from the county's (下级财政运行, when it has townships) or the name typed (政策; 下级财政运行
    in a county without townships)."""

    def __init__(self, projects: list, departments: list, parent: Optional[QWidget] = None,
                 townships: tuple[tuple[str, str], ...] = ()):
        super().__init__(parent)
        self.setWindowTitle("新建重点评价")
        self.kind, self.project, self.department = QComboBox(), QComboBox(), QComboBox()
        self.kind.setObjectName("new_kind")
        self.kind.addItems(list(SUBJECT_TYPES))
        self.project.setObjectName("new_project")
        self.project.setEditable(True)  # typing part of a name finds it
        self.project.setInsertPolicy(QComboBox.NoInsert)
        for p in projects:
            self.project.addItem(f"{p.code} {p.name}", p.id)
        self.department.setObjectName("new_department")
        for d in departments:
            self.department.addItem(f"[{d.code}]{d.name}", d.id)
        self.name = QLineEdit()
        self.name.setObjectName("new_name")
        self.name.setPlaceholderText("政策或乡镇的名称，如“城乡居民养老保险政策”")
        self.township = QComboBox()  # 下级财政运行: the county's townships (regions.choices)
        self.township.setObjectName("new_township")
        for code, name in townships:
            self.township.addItem(name, code)
        self.problem = QLabel()
        self.problem.setStyleSheet("color:#B00020")
        self.form = QFormLayout()
        self.form.addRow("评价对象类型：", self.kind)
        self.form.addRow("项目：", self.project)
        self.form.addRow("部门：", self.department)
        self.form.addRow("评价对象名称：", self.name)
        self.form.addRow("乡镇：", self.township)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("新建", QDialogButtonBox.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.kind.currentTextChanged.connect(self._kind_changed)
        self._kind_changed(self.kind.currentText())
        self.resize(520, 200)

    def _kind_changed(self, kind: str) -> None:
        self.form.setRowVisible(1, kind == PROJECT)
        self.form.setRowVisible(2, kind == DEPARTMENT)
        picked = kind == TOWNSHIP and self.township.count() > 0
        self.form.setRowVisible(3, kind not in (PROJECT, DEPARTMENT) and not picked)
        self.form.setRowVisible(4, picked)
        self.problem.clear()

    def choice(self) -> Optional[tuple[str, Optional[int], Optional[int], str]]:
        """(类型, project_id, department_id, name), or None (the sentence says what is missing)."""
        kind = self.kind.currentText()
        if kind == PROJECT:
            at = self.project.findText(self.project.currentText())
            if at < 0:
                self.problem.setText("请选择本年度的一个项目（可输入编码或名称查找）。")
                return None
            return kind, self.project.itemData(at), None, ""
        if kind == DEPARTMENT:
            if self.department.currentIndex() < 0:
                self.problem.setText("请选择一个部门。")
                return None
            return kind, None, self.department.currentData(), f"{self.department.currentText().split(']')[-1]}整体支出"
        if kind == TOWNSHIP and self.township.count() > 0:
            return kind, None, None, self.township.currentText()
        if not self.name.text().strip():
            self.problem.setText("请填写评价对象的名称。")
            return None
        return kind, None, None, self.name.text().strip()

    def accept(self) -> None:
        if self.choice() is not None:
            super().accept()


def ask_new(parent: QWidget, projects: list, departments: list, townships: tuple[tuple[str, str], ...] = ()):
    """The subject of a new evaluation (None: cancelled). Tests patch this."""
    dialog = NewEvalDialog(projects, departments, parent, townships)
    return dialog.choice() if dialog.exec() == QDialog.Accepted else None


class KeyEvalPage(StagePage):
    RIGHTS = (("new_evaluation", svc.WORKFLOW, "新增"), ("import", svc.WORKFLOW, ("新增", *IMPORT_STEPS)))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self._all: list[KeyEvalRow] = []
        self.model = RowTableModel(COLUMNS, self)
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.opener = Loader(self, self._opened, self._open_failed)
        self.lister = Loader(self, self._choose_new, self._open_failed)
        self.form: Optional[KeyEvalForm] = None  # the form opened last
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：评价编号、评价对象、实施单位、评价机构")
        self.search.textChanged.connect(self.refilter)
        self.region_filter = RegionFilter(QLabel("区划："), on_change=self.refilter)
        self.view = table_view(self.model, sort_column=None)
        self.region_filter.hide_columns_of(self.view)
        self.view.doubleClicked.connect(lambda index: self.open_evaluation(index.row()))
        self.status = QLabel()
        self.counts = QLabel()
        self.counts.setObjectName("key_eval_counts")
        self.counts.setWordWrap(True)
        self.notice = QLabel()  # what the last 导入 / 检查 did, in a sentence
        self.notice.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.region_filter.caption)
        top.addWidget(self.region_filter)
        for text, slot, name in (("新建评价…", self.new_evaluation, "new_evaluation"),
                                 ("打开", lambda: self.open_evaluation(self._selected()), "open_evaluation"),
                                 ("导入…", self.import_file, "import"), ("导出附件…", self.export_year, "export_year"),
                                 ("检查…", self.check_year, "check")):
            top.addWidget(button(text, slot, name))
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.counts)

    # -- loading ---------------------------------------------------------------------------------
    def reload(self) -> Op:
        ws, year = self.ws, self.year  # read here, on the GUI thread
        return self.read(lambda job: (year_svc.list_year(ws, year), regions.choices(ws)))

    def _arrived(self, answer) -> None:
        self._all, choices = answer
        self.status.setText("")
        self.region_filter.fill(choices)
        with keeping_place(self.view, "eval_id"):  # a reload after a change keeps the user's place
            self.refilter()

    def refilter(self) -> None:
        """The rows the search and the 区划 keep; the count line counts the region chosen."""
        terms = self.search.text().casefold().split()
        rows = [r for r in self._all if self.region_filter.keeps(r)]
        self.model.set_rows([r for r in rows if all(t in r.search_key for t in terms)])
        where = self.region_filter.label()
        if not rows:
            self.counts.setText(f"{self.year}年度{where}还没有重点评价。点“新建评价…”开始一项，或导入往年的评价结果。")
            return
        grades = year_svc.grade_count(rows) or "还没有评出等级"
        problems = sum(r.findings for r in rows)
        self.counts.setText(f"{self.year}年度{where}重点评价{len(rows)}项：{grades}" +
                            (f"；检查发现{problems}处问题" if problems else ""))

    # -- opening ---------------------------------------------------------------------------------
    def open_evaluation(self, row: int) -> Optional[Op]:
        """The row's evaluation, read in the background; the form then opens and is `self.form`."""
        if not 0 <= row < self.model.rowCount():
            return None
        ws, eval_id = self.ws, self.model.row_at(row).eval_id
        self.status.setText(LOADING)
        return self.opener.load(lambda job: svc.open_evaluation(ws, eval_id))

    def new_evaluation(self) -> Op:
        """新建评价…: the year's projects and the departments read, then the subject asked."""
        ws, year = self.ws, self.year

        def work(job):
            from app.services.base_data import list_departments
            from app.services.projects import list_projects

            return list_projects(ws, year), list_departments(ws), regions.choices(ws).townships

        self.status.setText(LOADING)
        return self.lister.load(work)

    def _choose_new(self, lists) -> None:
        self.status.setText("")
        projects, departments, townships = lists
        choice = (ask_new(self, projects, departments, townships) if townships  # offered to pick from
                  else ask_new(self, projects, departments))
        if choice is None:
            return
        kind, project_id, department_id, name = choice
        ws, year = self.ws, self.year
        self.status.setText(LOADING)
        self.opener.load(lambda job: svc.new_evaluation(ws, year, kind, project_id, department_id, name))

    def _opened(self, draft) -> None:
        self.status.setText("")
        self.form = KeyEvalForm(self.ws, draft, self)
        self.form.open()

    def _open_failed(self, error: BaseException) -> None:
        self.status.setText("")
        show_error(self, error, "未能打开重点评价")

    # -- the year's files ------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """导入…: a workbook of evaluations (sheets 评价项目 and 评分), all or nothing; bad cells open the list."""
        from app.services.key_eval_import import import_file

        ws = self.ws
        return import_from(self, path, "导入重点评价", lambda source, job: import_file(ws, source, job),
                           lambda sentence: self.notice.setText(str(sentence)))

    def export_year(self, path: Optional[str] = None) -> Optional[Op]:
        """导出附件…: 附件1 明细表 and 附件2 综合评分统计表 (of the region chosen), as xlsx or PDF by the
        file name chosen."""
        ws, year, region, where = self.ws, self.year, self.region_filter.code(), self.region_filter.label()
        return export_to(self, path, f"{year}年度{where}重点绩效评价附件.xlsx", EXCEL_OR_PDF,
                         lambda target, job: year_svc.export_year(ws, year, format_of(target), target, region=region),
                         "导出重点评价附件")

    def check_year(self, path: Optional[str] = None) -> Optional[Op]:
        """检查…: every finding of the year's evaluations to an xlsx; the sentence says how many."""
        from app.io.key_eval_reports import render_findings

        ws, year = self.ws, self.year

        def done(count: int) -> None:
            self.notice.setText(f"检查：{year}年度的重点评价共发现{count}处问题（合计、等级、得分、执行率、权重），已列入检查结果。"
                                if count else f"检查：{year}年度的重点评价没有发现问题。")

        return export_to(self, path, f"{year}年度重点评价检查.xlsx", "Excel 工作簿 (*.xlsx)",
                         lambda target, job: render_findings(year_svc.check_year(ws, year), target),
                         "重点评价检查结果", done)
