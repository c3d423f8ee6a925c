"""绩效自评 page: the year's 自评表 — 项目 or 部门整体 — with their money, 参考总分, 总分, 等级, state and
the consistency check's count of problems (a project or department still without a table shows as
未填报). Open one (double-click) to fill, submit or review it; 生成本年度自评表 creates every table
missing; import, the 自评汇总表 (xlsx/pdf), the 一致性检查 list, and 真实性核查.

The list is read in the background (ui.ops.Loader) and read again when a self-evaluation, target,
project, monitoring or base-data change is told (StagePage), keeping the selected row; a table is
read in the background too before its form opens."""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Optional

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.self_eval import DEPARTMENT, GRADES, NOT_STARTED, PROJECT, SelfEvalDraft, SelfEvalRow
from app.services import guard, regions, self_eval as svc
from app.services import self_eval_year as year_svc
from app.stages.self_eval import STAGE
from ui.context import PageContext
from ui.dialogs.self_eval_form import SelfEvalForm
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import CollectionOp, Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of, import_from

LOADING = "正在读取…"
TAIL = [ModelColumn("全年预算数（万元）", "annual_fen", "money", width=100), ModelColumn("执行率", "rate", "rate", width=70),
        ModelColumn("参考总分", "reference_total", "score", width=70), ModelColumn("总分", "total", "score", width=60),
        ModelColumn("评价等级", "grade", width=60), ModelColumn("状态", "status", width=70),
        ModelColumn("问题数", "problems", "int", width=60)]
REGION = ModelColumn("区划", "region", width=70)  # hidden unless the county holds townships' tables
COLUMNS = [ModelColumn("项目编码", "code", width=120), REGION, ModelColumn("项目名称", "name", width=280),
           ModelColumn("主管部门", "department", width=200)] + TAIL
DEPT_COLUMNS = [ModelColumn("部门编码", "code", width=120), REGION, ModelColumn("部门名称", "name", width=280),
                ModelColumn("主管部门", "department", width=200)] + TAIL
KINDS = {"项目支出": PROJECT, "部门整体支出": DEPARTMENT}


def _key(row: SelfEvalRow) -> tuple:
    return row.kind, row.project_id, row.department_id


def counts_line(rows: list[SelfEvalRow]) -> str:
    """共N份，已提交M份，审核通过K份；优a 良b 中c 差d (未填报 counted apart)."""
    tables = [r for r in rows if r.status != NOT_STARTED]
    states = Counter(r.status for r in tables)
    grades = Counter(r.grade for r in tables if r.grade)
    waiting = len(rows) - len(tables)
    line = f"共{len(tables)}份，已提交{states['已提交']}份，审核通过{states['审核通过']}份"
    if states["退回修改"]:
        line += f"，退回修改{states['退回修改']}份"
    line += "；" + " ".join(f"{g}{grades[g]}" for g in GRADES)
    return line + (f"；未填报{waiting}个" if waiting else "")


class SelfEvalPage(StagePage):
    RIGHTS = (("create_year", svc.WORKFLOW, "新增"), ("import", svc.WORKFLOW, ("新增", "修改")),
              ("verify", guard.VERIFICATION, "抽样"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self._all: list[SelfEvalRow] = []
        self.models = {PROJECT: RowTableModel(COLUMNS, self), DEPARTMENT: RowTableModel(DEPT_COLUMNS, self)}
        self.model = self.models[PROJECT]
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.opener = Loader(self, self._opened, self._open_failed)
        self.form: Optional[SelfEvalForm] = None  # the form opened last
        self.dialog: Optional[QWidget] = None  # the 真实性核查 dialog opened last
        self.kind = QComboBox()
        self.kind.addItems(list(KINDS))
        self.kind.setObjectName("self_eval_kind")
        self.kind.currentTextChanged.connect(self.set_kind)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：编码、名称、主管部门")
        self.search.textChanged.connect(self.refilter)
        self.region_filter = RegionFilter(on_change=self.refilter)  # shown once the county holds townships' tables
        self.view = table_view(self.model)
        self.region_filter.hide_columns_of(self.view)  # until the list says the county holds townships' tables
        self.view.doubleClicked.connect(lambda index: self.open_table(index.row()))
        self.status = QLabel()
        self.counts = QLabel()
        self.counts.setObjectName("self_eval_counts")
        self.notice = QLabel()  # what the last 生成 / 导入 / 检查 did, in a sentence
        self.notice.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.kind)
        top.addWidget(self.search, 1)
        top.addWidget(self.region_filter.caption)
        top.addWidget(self.region_filter)
        for text, slot, name in (("打开", lambda: self.open_table(self._selected()), "open_table"),
                                 ("生成本年度自评表", self.create_year, "create_year"),
                                 ("导入…", self.import_file, "import"), ("导出汇总…", self.export_summary, "export_summary"),
                                 ("一致性检查…", self.check_year, "check"), ("真实性核查…", self.open_verification, "verify")):
            top.addWidget(button(text, slot, name))
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.counts)

    # -- loading ---------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return KINDS[self.kind.currentText()]

    def set_kind(self, _text: str = "") -> None:
        self.model = self.models[self.current_kind()]
        self.view.setModel(self.model)
        for i, column in enumerate(self.model.columns):
            self.view.setColumnWidth(i, column.width)
        self.region_filter.show_columns()
        self.refilter()

    def reload(self) -> Op:
        ws, year = self.ws, self.year  # read here, on the GUI thread
        return self.read(lambda job: (year_svc.list_year(ws, year), regions.choices(ws)))

    def _arrived(self, answer: tuple[list[SelfEvalRow], regions.RegionChoices]) -> None:
        self._all, choices = answer
        self.status.setText("")
        self.region_filter.fill(choices)  # keeps the choice; refiltered just below
        with keeping_place(self.view, _key):  # a reload after a change keeps the user's place
            self.refilter()

    def refilter(self) -> None:
        kind = self.current_kind()
        terms = self.search.text().casefold().split()
        mine = [r for r in self._all if r.kind == kind and self.region_filter.keeps(r)]
        self.model.set_rows([r for r in mine if all(t in r.search_key for t in terms)])
        place = self.region_filter.label()
        self.counts.setText(f"{self.year}年度{place}{self.kind.currentText()}自评表：{counts_line(mine)}" if mine else
                            f"{self.year}年度{place}还没有需要自评的{self.kind.currentText()}（项目须有已批复的绩效目标）。")

    # -- opening ---------------------------------------------------------------------------------
    def open_table(self, row: int) -> Optional[Op]:
        """The row's 自评表, read in the background; the form then opens and is `self.form`. A row
        still 未填报 opens an unsaved draft (nothing written until its first save)."""
        if not 0 <= row < self.model.rowCount():
            return None
        r = self.model.row_at(row)
        ws, year = self.ws, self.year
        eval_id, project_id, department_id = r.eval_id, r.project_id, r.department_id

        def work(_job) -> tuple[SelfEvalDraft, object]:
            if eval_id is not None:
                draft = svc.open_table(ws, eval_id)
            elif department_id is not None:
                draft = svc.open_department(ws, department_id, year)
            else:
                draft = svc.open_project(ws, project_id)
            return draft, svc.rules(ws)

        self.status.setText(LOADING)
        return self.opener.load(work)

    def _opened(self, answer) -> None:
        draft, rules = answer
        self.status.setText("")
        self.form = SelfEvalForm(self.ws, draft, self, rules)
        self.form.open()

    def _open_failed(self, error: BaseException) -> None:
        self.status.setText("")
        show_error(self, error, "未能打开自评表")

    # -- the year's work -------------------------------------------------------------------------
    def create_year(self) -> Op:
        """生成本年度自评表: a table for every project with an approved target and every department
        without one yet; the sentence says how many."""
        ws, year = self.ws, self.year
        self.notice.setText("正在生成自评表…")

        def done(count: int) -> None:
            self.notice.setText(svc.created_sentence(year, count, ws.actor))

        def failed(error: BaseException) -> None:
            self.notice.setText("")
            show_error(self, error, "未生成")

        return CollectionOp(self, lambda job: svc.create_year(ws, year), done, label="正在生成自评表…",
                            failure=failed).run()

    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """导入…: a 自评表 workbook (预算执行 and 指标 sheets), all or nothing; bad cells open the list."""
        from app.services.self_eval_import import import_file

        ws = self.ws
        return import_from(self, path, "导入绩效自评表", lambda source, job: import_file(ws, source, job),
                           lambda sentence: self.notice.setText(str(sentence)))

    def export_summary(self, path: Optional[str] = None) -> Optional[Op]:
        """导出汇总…: the 自评汇总表 with its 等级分布, as xlsx or PDF by the file name chosen (of the
        region the 区划 filter has chosen)."""
        from app.io.self_eval_reports import render_summary

        ws, year, region, place = self.ws, self.year, self.region_filter.code(), self.region_filter.label()
        return export_to(self, path, f"{year}年度绩效自评汇总表{place and f'（{place}）'}.xlsx", EXCEL_OR_PDF,
                         lambda target, job: render_summary(year_svc.summary(ws, year, region), format_of(target), target),
                         "导出自评汇总表")

    def check_year(self, path: Optional[str] = None) -> Optional[Op]:
        """一致性检查…: every finding of the year's tables to an xlsx; the sentence says how many."""
        from app.io.self_eval_reports import render_findings

        ws, year = self.ws, self.year

        def done(count: int) -> None:
            self.notice.setText(f"一致性检查：{year}年度的自评表共发现{count}处问题，已列入检查结果。" if count else
                                f"一致性检查：{year}年度的自评表没有发现问题。")

        return export_to(self, path, f"{year}年度绩效自评一致性检查.xlsx", "Excel 工作簿 (*.xlsx)",
                         lambda target, job: render_findings(year_svc.check_year(ws, year), target),
                         "一致性检查结果", done)

    def open_verification(self) -> Optional[QWidget]:
        """真实性核查…: draw a sample of the year's tables and record what their evidence shows."""
        try:
            from ui.dialogs.verification import VerificationDialog
        except ImportError:
            self.notice.setText("真实性核查功能尚未安装。")
            return None
        self.dialog = VerificationDialog(self.ctx, self.year, self)
        self.dialog.open()
        return self.dialog
