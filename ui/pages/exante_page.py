"""事前绩效评估 page: the year's assessments (申报金额, 得分, 等级, 结论, 建议安排金额, 调减金额, state) and,
below, the projects the pack's trigger says need an assessment and have none (新增 ≥ 100万元, 延续
rising more than 20%). 新建评估… (a project of the year, or a new project/policy by name), 打开
(or double-click; a needing project double-clicked starts its assessment), 导入… past assessments
as printed, 导出汇总… as xlsx or PDF. A county holding its townships' records shows a 区划 column on
both lists and a 区划 filter narrowing both (the count line and 导出汇总… follow it). Lists are read in
the background and again when a change to 事前评估, projects or base data is told."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app.domain.exante import ExAnteRow, NeedingRow
from app.money import fmt_wan
from app.services import exante as svc
from app.services import exante_year as year_svc
from app.services import regions
from app.stages.exante import STAGE
from ui.context import PageContext
from ui.dialogs.exante_form import ExAnteForm
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of, import_from

LOADING = "正在读取…"
REGION = ModelColumn("区划", "region", width=70)
COLUMNS = [ModelColumn("项目编码", "code", width=120), REGION, ModelColumn("评估对象", "name", width=200),
           ModelColumn("主管部门", "department", width=150), ModelColumn("申报金额（万元）", "requested_fen", "money", width=96),
           ModelColumn("自评估得分", "self_score", "score", width=70), ModelColumn("评估得分", "total", "score", width=64),
           ModelColumn("评估等级", "grade", width=58), ModelColumn("评估结论", "conclusion", width=80),
           ModelColumn("建议安排金额（万元）", "recommended_fen", "money", width=100),
           ModelColumn("调减金额（万元）", "cut_fen", "money", width=96), ModelColumn("状态", "status", width=64),
           ModelColumn("评估主体", "evaluator", width=120)]
NEEDING_COLUMNS = [ModelColumn("项目编码", "code", width=120), REGION, ModelColumn("项目名称", "name", width=230),
                   ModelColumn("主管部门", "department", width=170), ModelColumn("项目类别", "category", width=60),
                   ModelColumn("全年预算数（万元）", "annual_fen", "money", width=100),
                   ModelColumn("上年预算数（万元）", "previous_fen", "money", width=100),
                   ModelColumn("需要评估的原因", "reason", width=330)]


class NewAssessmentDialog(QDialog):
    """新建评估…: a project of the year, or a new project or policy named here."""

    def __init__(self, projects: list[tuple[int, str, str]], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("新建事前评估")
        self.projects = projects
        self.project = QComboBox()
        self.project.addItem("（不在项目库中的新项目或政策）", None)
        for pid, code, name in projects:
            self.project.addItem(f"{code} {name}", pid)
        self.name = QLineEdit()
        self.name.setPlaceholderText("新项目或政策的名称")
        form = QFormLayout()
        form.addRow("评估对象（项目）：", self.project)
        form.addRow("或新项目/政策名称：", self.name)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class ExAntePage(StagePage):
    # the import's rows land as 已定稿: offered to whoever may create, submit, pass and finalize them
    RIGHTS = (("new_exante", svc.WORKFLOW, "新增"), ("import", svc.WORKFLOW, ("新增", "提交", "审核通过", "定稿")))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self._all: list[ExAnteRow] = []
        self._needing: list[NeedingRow] = []
        self.model = RowTableModel(COLUMNS, self)
        self.needing_model = RowTableModel(NEEDING_COLUMNS, self)
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.opener = Loader(self, self._opened, self._open_failed)
        self.form: Optional[ExAnteForm] = None
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：编码、名称、主管部门")
        self.search.textChanged.connect(self.refilter)
        self.region_filter = RegionFilter(QLabel("区划："), on_change=self._region_chosen)
        self.view = table_view(self.model)
        self.view.doubleClicked.connect(lambda index: self.open_assessment(index.row()))
        self.needing_view = table_view(self.needing_model)
        self.needing_view.setObjectName("exante_needing")
        self.needing_view.doubleClicked.connect(lambda index: self.start_needing(index.row()))
        self.region_filter.hide_columns_of(self.view, self.needing_view)
        self.status, self.counts, self.notice, self.needing_label = QLabel(), QLabel(), QLabel(), QLabel()
        self.counts.setObjectName("exante_counts")
        self.notice.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.region_filter.caption)
        top.addWidget(self.region_filter)
        for text, slot, name in (("新建评估…", lambda: self.new_assessment(), "new_exante"),
                                 ("打开", lambda: self.open_assessment(self._selected()), "open_exante"),
                                 ("导入…", lambda: self.import_file(), "import"),
                                 ("导出汇总…", lambda: self.export_summary(), "export_summary")):
            top.addWidget(button(text, slot, name))
        top.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 3)
        layout.addWidget(self.counts)
        layout.addWidget(self.needing_label)
        layout.addWidget(self.needing_view, 2)

    # -- loading ---------------------------------------------------------------------------------
    def reload(self) -> Op:
        ws, year = self.ws, self.year
        return self.read(lambda job: (year_svc.list_year(ws, year), year_svc.needing(ws, year),
                                     regions.choices(ws)))

    def _arrived(self, answer) -> None:
        self._all, self._needing, choices = answer
        self.status.setText("")
        self.region_filter.fill(choices)
        with keeping_place(self.view, "assessment_id"):
            self.refilter()
        with keeping_place(self.needing_view, "project_id"):
            self._refill_needing()

    def _region_chosen(self) -> None:
        self.refilter()
        self._refill_needing()

    def _refill_needing(self) -> None:
        """The projects needing an assessment, of the 区划 chosen."""
        needing = [r for r in self._needing if self.region_filter.keeps(r)]
        self.needing_model.set_rows(needing)
        self.needing_label.setText(f"需要事前评估但尚无评估的项目（{len(needing)}个，双击开始评估）："
                                   if needing else "需要事前评估但尚无评估的项目：没有。")

    def refilter(self) -> None:
        """The assessments of the 区划 chosen that the search keeps; the count line counts the region's."""
        terms = self.search.text().casefold().split()
        rows = [r for r in self._all if self.region_filter.keeps(r)]
        self.model.set_rows([r for r in rows if all(t in r.search_key for t in terms)])
        where = self.region_filter.label()
        if not rows:
            self.counts.setText(f"{self.year}年度{where}还没有事前绩效评估。")
            return
        cut = sum(r.cut_fen or 0 for r in rows)
        words = "，".join(f"{c}{sum(1 for r in rows if r.conclusion == c)}份"
                         for c in ("予以支持", "调整后支持", "不予支持") if any(r.conclusion == c for r in rows))
        self.counts.setText(f"{self.year}年度{where}事前绩效评估共{len(rows)}份" + (f"：{words}" if words else "") +
                            f"；调减金额合计{fmt_wan(cut)}万元。")

    # -- opening ---------------------------------------------------------------------------------
    def _open(self, work) -> Op:
        ws = self.ws
        self.status.setText(LOADING)
        return self.opener.load(lambda job: (work(), svc.rules(ws), svc.agencies(ws)))

    def open_assessment(self, row: int) -> Optional[Op]:
        if not 0 <= row < self.model.rowCount():
            return None
        ws, assessment_id = self.ws, self.model.row_at(row).assessment_id
        return self._open(lambda: svc.open_assessment(ws, assessment_id))

    def start_needing(self, row: int) -> Optional[Op]:
        """A needing project double-clicked: a new assessment of it (unsaved until its first save)."""
        if not 0 <= row < self.needing_model.rowCount():
            return None
        r: NeedingRow = self.needing_model.row_at(row)
        return self.new_assessment(project_id=r.project_id)

    def new_assessment(self, project_id: Optional[int] = None, name: Optional[str] = None) -> Optional[Op]:
        """新建评估…: ask for a project of the year or a new project/policy name (unless given)."""
        ws, year = self.ws, self.year
        if project_id is None and name is None:
            chooser = NewAssessmentDialog(svc.projects_of_year(ws, year), self)
            if chooser.exec() != QDialog.Accepted:
                return None
            project_id, name = chooser.project.currentData(), chooser.name.text().strip()
        if project_id is not None:
            return self._open(lambda: svc.new_for_project(ws, project_id))
        return self._open(lambda: svc.new_named(ws, year, name or ""))

    def _opened(self, answer) -> None:
        draft, rules, agencies = answer
        self.status.setText("")
        self.form = ExAnteForm(self.ws, draft, self, rules, agencies)
        self.form.open()

    def _open_failed(self, error: BaseException) -> None:
        self.status.setText("")
        show_error(self, error, "未能打开事前评估")

    # -- files -----------------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """导入…: past assessments as printed (sheet 事前评估), all or nothing."""
        from app.services.exante_import import import_file

        ws = self.ws
        return import_from(self, path, "导入事前评估", lambda source, job: import_file(ws, source, job),
                           lambda sentence: self.notice.setText(str(sentence)))

    def export_summary(self, path: Optional[str] = None) -> Optional[Op]:
        """导出汇总…: the year's 事前绩效评估汇总表 (of the region chosen) with its 合计 row, xlsx or PDF by
        the name chosen."""
        ws, year, region = self.ws, self.year, self.region_filter.code()
        where = self.region_filter.label()
        return export_to(self, path, f"{year}年度{where}事前绩效评估汇总表.xlsx", EXCEL_OR_PDF,
                         lambda target, job: year_svc.export_summary(ws, year, format_of(target), target, job,
                                                                     region=region),
                         "导出事前评估汇总表")
