"""运行监控 page: pick the round; the projects with their light (a coloured dot and the word),
sortable by deviation, filtered to red; a detail panel with the project's money and indicators;
the summary with its chart; the year-end projection and the key-monitoring candidates.

The round's view (app.domain.monitoring.RoundView: the table, the summary, the projection and the
candidates) is read in the background; so is the record the detail panel shows. The page reloads
when a monitoring change is told (a dialog's save, an import, another page), keeping the selected
row, its detail and the scroll position."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QSplitter, QTabWidget,
    QTextBrowser, QVBoxLayout, QWidget,
)

from app.domain.monitoring import MonitoringView, MonitorRow, RecordDraft, RoundView
from app.io.columns import format_value
from app.rules import monitoring as rules
from app.services import monitoring as svc, regions
from app.services import monitoring_records as records
from app.services.monitoring_refresh import refresh_round
from ui.context import PageContext
from ui.dialogs.monitoring_record import RecordDialog
from ui.dialogs.new_round import NewRoundDialog
from ui.messages import show_error
from ui.models.row_table import RowTableModel
from ui.ops import CollectionOp, Loader, Op
from ui.pages.base import StagePage
from ui.pages.monitoring_chart import RateChart
from ui.pages.monitoring_columns import COLUMNS, DEPT_COLUMNS, PROJECTION_COLUMNS, REGION_COLUMNS
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui import files
from ui.workers import export_to, run_import

LOADING = "正在读取…"

class MonitoringPage(StagePage):
    RIGHTS = (("new_round", svc.RECORDS, "新增"), ("refresh_round", svc.RECORDS, "新增"),  # a round gives each project a record
              ("import", svc.RECORDS, "修改"), ("confirm_key", svc.RECORDS, "定为重点监控"),
              ("unmark_key", svc.RECORDS, "取消重点监控"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on, parent)
        self.round_view: Optional[RoundView] = None  # what the page shows (None: no round yet, or not read yet)
        self._round_id: Optional[int] = None  # the round asked for (None: the year's latest)
        self._detail_for: Optional[int] = None  # the record the detail panel is waiting for
        self.loader = Loader(self, self._show, self._failed)
        self.detail_loader = Loader(self, self._show_record, self._record_failed)
        self.rounds = QComboBox()
        self.rounds.setMinimumContentsLength(16)
        self.rounds.currentIndexChanged.connect(lambda index: self.choose_round(self.rounds.itemData(index)))
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索：项目编码、名称、部门")
        self.search.textChanged.connect(self.refilter)
        self.red_only = QCheckBox("只看红灯")
        self.red_only.toggled.connect(self.refilter)
        # one region's round (its table, summary and lists) is read for the 区划 chosen
        self.region_filter = RegionFilter(on_change=self.reload)  # shown once the county holds townships' records
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model, sort_column=None)  # as listed: red first, furthest behind first
        self.region_filter.hide_columns_of(self.view)  # until the round says the county holds townships' records
        self.view.horizontalHeader().setSortIndicator(-1, Qt.AscendingOrder)  # no sort until a header is clicked
        self.view.setSortingEnabled(True)
        # the row the user moved to (the selection itself changes only after this signal)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.show_detail(current.row() if current.isValid() else -1))
        self.view.doubleClicked.connect(lambda index: self.open_record(index.row()))
        self.detail = QTextBrowser()
        self.sentence = QLabel()
        self.dept_model = RowTableModel(DEPT_COLUMNS, self)
        self.region_model = RowTableModel(REGION_COLUMNS, self)  # 按区划: 本级, each township, 合计
        self.region_view = table_view(self.region_model, sort_column=None)
        self.region_view.setVisible(False)
        self.chart = RateChart()
        self.projection_model = RowTableModel(PROJECTION_COLUMNS, self)
        self.status = QLabel()
        self.notice = QLabel()  # what the last 刷新批次 changed, in a sentence
        self.notice.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(QLabel("监控批次："))
        top.addWidget(self.rounds)
        top.addWidget(button("开启新批次…", self.new_round, "new_round"))
        top.addWidget(button("刷新批次", self.refresh_round, "refresh_round"))
        top.addWidget(self.search, 1)
        top.addWidget(self.red_only)
        for text, slot, name in (("填报/查看监控表", lambda: self.open_record(self._selected()), "open_record"),
                                 ("下载填报表…", self.save_fill_sheet, "fill_sheet"), ("导入Excel…", self.import_file, "import"),
                                 ("导出汇总表…", self.export_summary, "export_summary"),
                                 ("导出预警清单…", self.export_warnings, "export_warnings"),
                                 ("打印…", self.print_summary, "print")):
            top.addWidget(button(text, slot, name))
        split = QSplitter()
        split.addWidget(self.view)
        split.addWidget(self.detail)
        split.setSizes([880, 300])
        summary = QWidget()
        column = QVBoxLayout(summary)
        column.addWidget(self.sentence)
        inner = QSplitter()
        tables = QSplitter(Qt.Vertical)
        tables.addWidget(table_view(self.dept_model, sort_column=None))
        tables.addWidget(self.region_view)
        tables.setStretchFactor(0, 3)  # the departments are the longer list
        inner.addWidget(tables)
        inner.addWidget(self.chart)
        inner.setSizes([720, 480])
        column.addWidget(inner, 1)
        projection = QWidget()
        column = QVBoxLayout(projection)
        column.addWidget(QLabel("按目前支出进度推算年末执行率低于规则方案红线的项目（建议调减数供参考，由财政局决定），"
                                "以及按规则方案提出的重点监控候选项目："))
        self.projection_view = table_view(self.projection_model, single=False, sort_column=None)
        column.addWidget(self.projection_view, 1)
        confirm_bar = QHBoxLayout()
        confirm_bar.addStretch(1)
        confirm_bar.addWidget(button("将选中项目定为重点监控", lambda: self.mark_key(True), "confirm_key"))
        confirm_bar.addWidget(button("取消选中项目的重点监控", lambda: self.mark_key(False), "unmark_key"))
        confirm_bar.addWidget(button("打印预警清单…", self.print_warnings, "print_warnings"))
        column.addLayout(confirm_bar)
        self.tabs = QTabWidget()
        self.tabs.addTab(split, "项目")
        self.tabs.addTab(summary, "监控汇总")
        self.tabs.addTab(projection, "年末预计与重点监控")
        corner = QWidget()  # the 区划 filter beside the tabs: it narrows all three (the bar above is full)
        beside = QHBoxLayout(corner)
        beside.setContentsMargins(0, 0, 0, 2)
        beside.addWidget(self.region_filter.caption)
        beside.addWidget(self.region_filter)
        self.tabs.setCornerWidget(corner, Qt.TopRightCorner)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)

    # -- loading ---------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.loader.loading

    def set_year(self, year: int) -> None:
        if year != self.year:
            self._round_id = None  # the new year's latest round
        super().set_year(year)

    def choose_round(self, round_id: Optional[int]) -> Op:
        self._round_id = round_id
        return self.reload()

    def round_id(self) -> Optional[int]:
        """The round on screen."""
        return None if self.round_view is None else self.round_view.round.id

    def reload(self) -> Op:
        ws, year, round_id, region = self.ws, self.year, self._round_id, self.region_filter.code()  # on the GUI thread
        self.status.setText(LOADING)
        return self.loader.load(lambda job: (svc.monitoring_view(ws, year, round_id, region), regions.choices(ws)))

    def _show(self, answer: tuple[MonitoringView, regions.RegionChoices]) -> None:
        found, choices = answer
        self.region_filter.fill(choices)  # a region no longer there: 全部区划, read again
        current = found.current
        self.rounds.blockSignals(True)
        self.rounds.clear()
        for r in found.rounds:
            self.rounds.addItem(f"{r.name}（截至{r.month}月）", r.id)
        if current is not None:
            self.rounds.setCurrentIndex(self.rounds.findData(current.round.id))
        self.rounds.blockSignals(False)
        self._round_id = None if current is None else current.round.id
        self.round_view = current
        if found.refreshed is not None and found.refreshed.changed:  # loading brought the round up to the year
            self.notice.setText(found.refreshed.sentence)
        if current is None:
            self.status.setText(f"{self.year}年还没有监控批次。点“开启新批次…”开始，例如截至5月（1-5月）或8月（1-8月）。")
        self.refilter()
        self.show_summary()

    def _failed(self, error: BaseException) -> None:
        self.status.setText("")
        show_error(self, error, "未能读取")

    def refilter(self) -> None:
        view = self.round_view
        rows = view.rows if view is not None else ()
        terms = self.search.text().casefold().split()
        red = self.red_only.isChecked()
        with keeping_place(self.view, "record_id"):  # a reload after a change keeps the user's place
            self.model.set_rows([r for r in rows if all(t in r.search_key for t in terms) and (not red or r.light == rules.RED)])
        if rows:
            counts = view.summary.overall.lights
            self.status.setText(f"共{len(rows)}个项目，显示{self.model.rowCount()}个：" +
                                "，".join(f"{k}{'灯' if k != rules.NOT_FILLED else ''}{counts[k]}个" for k in rules.LIGHT_ORDER)
                                + (f"（{view.round.judged}）" if view.round.judged else ""))
        row = self._selected()  # the row kept selected has asked for its record already
        if row < 0 or self.model.row_at(row).record_id != self._detail_for:
            self.show_detail(row)

    def show_summary(self) -> None:
        view = self.round_view
        if view is None or not view.rows:
            self.sentence.setText("")
            self.dept_model.set_rows([])
            self.region_model.set_rows([])
            self.region_view.setVisible(False)
            self.projection_model.set_rows([])
            self.chart.show_summary(None)
            return
        summary = view.summary
        self.sentence.setText(f"{summary.sentence}　红灯{summary.overall.red}个，"
                              f"黄灯{summary.overall.yellow}个，绿灯{summary.overall.green}个"
                              + (f"（{view.round.judged}）" if view.round.judged else "") + "。")
        self.dept_model.set_rows(summary.lines)
        self.region_model.set_rows(view.by_region)
        self.region_view.setVisible(bool(view.by_region))
        self.chart.show_summary(summary)
        with keeping_place(self.projection_view, "record_id"):
            self.projection_model.set_rows(view.projections)

    # -- the detail panel ------------------------------------------------------------------------
    def show_detail(self, row: int) -> None:
        """The project on `row`: its money at once, its record (indicators) read in the background."""
        if not 0 <= row < self.model.rowCount():
            self._detail_for = None
            self.detail.setPlainText("选中一个项目查看它的资金和指标；双击打开监控表填报。")
            return
        r = self.model.row_at(row)
        # the same record read again (after a change): what the panel shows stays until the answer
        if r.record_id != self._detail_for:
            self.detail.setPlainText(f"{r.code} {r.name}\n\n{LOADING}")
        self._detail_for = r.record_id
        ws, record_id = self.ws, r.record_id
        self.detail_loader.load(lambda job: (r, records.open_record(ws, record_id)))

    def _show_record(self, found: tuple[MonitorRow, RecordDraft]) -> None:
        r, d = found
        if r.record_id != self._detail_for:
            return  # the selection went elsewhere meanwhile
        lines = [f"{r.code} {r.name}", f"主管部门：{r.department}", f"预警：{r.light}　填报状态：{r.status}",
                 *([f"自填报后：{d.changed_since}（监控表保持填报时的内容）"] if d.changed_since else []),
                 f"全年预算数：{format_value('money', r.budget_fen)}万元", f"截至执行数：{d.executed or '未填'}万元",
                 f"执行率：{format_value('rate', r.rate) or '—'}　序时进度：{rules.percent(r.schedule)}%",
                 f"全年预计执行数：{d.projected or '未填'}万元"]
        if d.budget_cause:
            lines.append(f"原因及措施：{d.budget_cause}")
        lines.append("")
        lines.append("绩效指标：" if d.indicators else "无绩效目标：只监控预算执行。")
        for i in d.indicators:
            flag = "（预计达不到）" if i.missed else ""
            lines.append(f"· {i.level3} {i.direction}{i.target}{i.unit}：截至{i.completed or '—'}，预计{i.projected or '—'}{flag}")
        self.detail.setPlainText("\n".join(lines))

    def _record_failed(self, error: BaseException) -> None:
        from app.errors import user_sentence

        self.detail.setPlainText(user_sentence(error))

    def _selected(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # -- actions ---------------------------------------------------------------------------------
    def new_round(self, month: Optional[int] = None, name: str = "") -> Optional[Op]:
        """开启新批次 in the background; the page then shows it."""
        deadline = None
        if month is None:
            dialog = NewRoundDialog(self.year, self)
            if dialog.exec() != QDialog.Accepted:
                return None
            month, name, deadline = dialog.values()
        ws, year = self.ws, self.year
        return CollectionOp(self, lambda job: svc.open_round(ws, year, month, name, deadline), self.choose_round,
                            label="正在开启监控批次…", failure=lambda error: show_error(self, error, "未开启")).run()

    def refresh_round(self) -> Optional[Op]:
        """刷新批次: the round's records not yet submitted follow the year (projects added, budgets
        adjusted, targets approved since); the sentence says what changed. The page then reloads
        through the change notification."""
        round_id = self.round_id()
        if round_id is None:
            self.notice.setText("还没有监控批次可刷新。请先开启批次。")
            return None
        ws = self.ws
        self.notice.setText("正在刷新批次…")
        return CollectionOp(self, lambda job: refresh_round(ws, round_id), lambda result: self.notice.setText(result.sentence),
                            label="正在刷新批次…", failure=lambda error: self._refresh_failed(error)).run()

    def _refresh_failed(self, error: BaseException) -> None:
        self.notice.setText("")
        show_error(self, error, "未刷新")

    def open_record(self, row: int) -> Optional[RecordDialog]:
        if not 0 <= row < self.model.rowCount():
            return None
        dialog = RecordDialog(self.ws, self.model.row_at(row).record_id, self)
        dialog.open()
        return dialog

    def mark_key(self, key: bool) -> int:
        """The selected candidates into (or out of) the round's 重点监控 list."""
        if self.round_view is None:
            return 0
        chosen = [self.projection_model.row_at(i.row()).record_id for i in self.projection_view.selectionModel().selectedRows()]
        return svc.mark_key(self.ws, self.round_view.round.id, chosen, key)

    def save_fill_sheet(self, path: Optional[str] = None):
        """The template pre-filled with this round's projects and indicators."""
        from app.services.monitoring_import import write_fill_sheet

        ws, round_id = self.ws, self.round_id()
        return self._save(path, f"{self.year}年{self.rounds.currentText()}监控填报表.xlsx", "Excel 工作簿 (*.xlsx)",
                          lambda p, job: write_fill_sheet(ws, round_id, p))

    def import_file(self, path: Optional[str] = None):
        from app.services.monitoring_import import import_file

        round_id = self.round_id()
        if round_id is None:
            QMessageBox.information(self, "导入", "请先开启或选择一个监控批次。")
            return None
        if not path:
            path = files.ask_open_path(self, "导入监控数据", "Excel 工作簿 (*.xlsx *.xls)")
        if not path:
            return None
        ws = self.ws
        return run_import(self, "正在导入监控数据…", lambda job: import_file(ws, round_id, path, job),
                          lambda sentence: QMessageBox.information(self, "导入完成", sentence))

    def export_summary(self, path: Optional[str] = None):
        from app.io.monitoring_reports import render_summary

        view = self.round_view  # the very view the page shows
        return self._save(path, f"{self._named('监控汇总表')}.xlsx",
                          "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)", lambda p, job: render_summary(view, _fmt(p), p, job))

    def export_warnings(self, path: Optional[str] = None):
        from app.io.monitoring_reports import render_warnings

        view = self.round_view
        return self._save(path, f"{self._named('预警清单')}.xlsx",
                          "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)", lambda p, job: render_warnings(view, _fmt(p), p, job))

    def print_summary(self):
        """打印…: the 监控汇总表 as its PDF prints, in Qt's print preview (the op; None without a round)."""
        from app.io.monitoring_reports import render_summary

        return self._print("监控汇总表", render_summary)

    def print_warnings(self):
        """打印预警清单…: the 预警清单 in the print preview (the op; None without a round)."""
        from app.io.monitoring_reports import render_warnings

        return self._print("预警清单", render_warnings)

    def _print(self, report: str, render):
        from ui.print_preview import print_report

        view = self.round_view  # the very view the page shows
        if view is None:
            QMessageBox.information(self, "打印", "请先开启或选择一个监控批次。")
            return None
        return print_report(self, self._named(report), lambda p, job: render(view, "pdf", p, job))

    def _named(self, report: str) -> str:
        """A report's name: the round's, the region the view is of (when one is chosen), the report's."""
        place = self.round_view.region if self.round_view is not None else ""
        return f"{self.year}年{self.rounds.currentText()}{place and f'（{place}）'}{report}"

    def _save(self, path: Optional[str], suggested: str, pattern: str, write):
        """The export running in the background (the op), or False when there is nothing to save."""
        if self.round_view is None:
            QMessageBox.information(self, "导出", "请先开启或选择一个监控批次。")
            return False
        return export_to(self, path, suggested, pattern, write) or False


def _fmt(path: str) -> str:
    return "pdf" if path.lower().endswith(".pdf") else "xlsx"
