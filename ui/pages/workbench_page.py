"""工作台: the page the program opens on. At the top, what waits on the user working today
(app.services.todo: 事项, 数量或对象, 期限, 逾期 — overdue lines first, in red); a double-click opens
what the line names: its stage's page on the line's year, the one record's form when the line
stands for one record (the page's own open_* of that row), else the list narrowed as the line says
(整改台账: 只看逾期 on the day counted, or the 状态; 运行监控: the round, 只看红灯) with the waiting
rows selected. The navigation entries carry the count of what waits in their stage ("整改台账(3)").

Under it, the year shown at a glance (ui.pages.workbench_charts): 绩效目标, 运行监控 against 序时进度,
绩效自评 grades and 整改 by state, each with 导出PNG…, and 导出全部图表… into a folder (for the year's
report).

The lines are read in the background (ui.ops.Loader) and again after any change they may follow —
even while another page is on screen, so the counts stay true; the charts when the page is shown.
`at` fixes the day counted (None: today)."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Callable, Iterable, Optional

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from app.changes import Changes
from app.domain.rectification import OPEN_STATES, TO_VERIFY
from app.domain.todo import TodoLine, TodoTarget
from app.services.todo import DUE_SOON, OVERDUE, RED_WITHOUT_CAUSE, TOWNSHIP_STAGE, todo
from app.services.year_glance import read_glance
from app.stages.workbench import STAGE
from ui.context import PageContext
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.pages.workbench_charts import GlanceCharts
from ui.widgets import button, table_view

LOADING = "正在读取…"
LATE = QColor("#C00000")
COLUMNS = [ModelColumn("事项", "kind", width=220), ModelColumn("数量或对象", "what", width=380),
           ModelColumn("期限", "due_text", width=100), ModelColumn("逾期", "overdue_text", width=90)]
EXCHANGE_LINES = "exchange"  # the lines' stage key for 数据交换 → the window's fixed 数据交换 page
# stage → (the page's method opening row N, the attribute of a row holding the record's id)
OPENERS = {"monitoring": ("open_record", "record_id"), "self_eval": ("open_table", "eval_id"),
           "key_eval": ("open_evaluation", "eval_id"), "exante": ("open_assessment", "assessment_id"),
           "rectification": ("open_item", "item_id")}
WAIT_MS, WAIT_TRIES = 30, 400  # how long a double-click waits for the page it opened to read its list


class TodoModel(RowTableModel):
    """The waiting lines; an overdue one in red."""

    def data(self, index, role: int = Qt.DisplayRole):
        if role == Qt.ForegroundRole and index.isValid():
            return LATE if self.row_at(index.row()).overdue_days else None
        return super().data(index, role)


def ask_folder(parent: QWidget, caption: str) -> str:
    """A folder to write the charts into ("" when cancelled). Tests patch this."""
    from ui.files import remember_folder, start_folder

    folder = QFileDialog.getExistingDirectory(parent, caption, str(start_folder("export")))
    if folder:
        remember_folder("export", f"{folder}/.")
    return folder or ""


class WorkbenchPage(StagePage):
    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.at: Optional[date] = None  # the day the lines are counted on (None: today)
        self.lines: list[TodoLine] = []
        self.model = TodoModel(COLUMNS, self)
        self.loader = Loader(self, self._arrived, self._failed)
        self.glance_loader = Loader(self, self._glance_arrived, self._failed)
        self._glance_stale = True
        self.view = table_view(self.model, sort_column=None)
        self.view.setObjectName("todo_view")
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda index: self.open_line(index.row()))
        self.heading, self.status = QLabel(), QLabel()
        self.heading.setObjectName("todo_heading")
        self.charts = GlanceCharts()
        self.glance_heading = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.status)
        top.addWidget(button("打开", lambda: self.open_line(self._selected()), "open_line"))
        top.addWidget(button("刷新", self.reload, "refresh"))
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(top)
        upper_layout.addWidget(self.view, 1)
        middle = QHBoxLayout()
        middle.addWidget(self.glance_heading, 1)
        middle.addWidget(button("导出全部图表…", lambda: self.export_charts(), "export_charts"))
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addLayout(middle)
        lower_layout.addWidget(self.charts, 1)
        self.splitter = QSplitter(Qt.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([215, 465])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

    # -- loading ---------------------------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.loader.loading or self.glance_loader.loading

    def reload(self) -> Op:
        ws, actor, at = self.ws, self.ws.actor, self.at  # read here, on the GUI thread
        self.status.setText(LOADING)
        op = self.loader.load(lambda job: todo(ws, actor, at))
        if self.isVisible():
            self._load_glance()
        else:
            self._glance_stale = True
        return op

    def _load_glance(self) -> None:
        self._glance_stale = False
        if not self.year:
            return
        ws, year, at = self.ws, self.year, self.at
        self.glance_heading.setText(f"{year}年度工作概况（{LOADING}）")
        self.glance_loader.load(lambda job: read_glance(ws, year, at))

    def _on_changes(self, changes: Changes) -> None:
        """The lines follow every change at once (the navigation's counts stay true while another
        page is on screen); the charts when this page is shown."""
        if changes.touches(self.refresh_on):
            self._pending.start()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._glance_stale and not self.glance_loader.loading:
            self._load_glance()

    def _arrived(self, lines: list[TodoLine]) -> None:
        self.lines = lines
        self.status.setText("")
        self.model.set_rows(lines)
        day = (self.at or date.today()).isoformat()
        late = sum(1 for line in lines if line.overdue_days)
        self.heading.setText(f"截至{day}，等待您处理的事项{len(lines)}项" + (f"，其中逾期{late}项（红色）" if late else "")
                             + "。双击一行打开它所指的页面或记录。" if lines else f"截至{day}，没有等待您处理的事项。")
        self.show_counts()

    def _glance_arrived(self, glance) -> None:
        self.glance_heading.setText(f"{glance.year}年度工作概况")
        self.charts.show_glance(glance)

    def _failed(self, error: BaseException) -> None:
        self.status.setText("读取失败")
        show_error(self, error, "未能读取工作台")

    # -- the navigation's counts ---------------------------------------------------------------
    def counts(self) -> Counter:
        """How many records wait in each stage (the lines' counts added up)."""
        found: Counter = Counter()
        for line in self.lines:
            found[line.target.stage] += line.count
        return found

    def show_counts(self) -> None:
        """"整改台账(3)" on the window's navigation entries (the entries are the stages in order)."""
        win = self.window()
        nav, stages = getattr(win, "nav", None), getattr(win, "stages", None)
        if nav is None or stages is None:
            return
        counts = self.counts()
        for row, (key, stage) in enumerate(stages.items()):
            item = nav.item(row)
            if item is not None and key != STAGE.key:
                item.setText(f"{stage.title}({counts[key]})" if counts.get(key) else stage.title)

    # -- opening what a line names ----------------------------------------------------------------
    def _selected(self) -> int:
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def open_line(self, row: int) -> Optional[QWidget]:
        """The page the line names, on its year, narrowed to it (or the one record's form); the page."""
        if not 0 <= row < self.model.rowCount():
            return None
        line = self.model.row_at(row)
        target = line.target
        win = self.window()
        if not hasattr(win, "show_page"):
            return None
        if target.stage == EXCHANGE_LINES:
            from ui.window_users import EXCHANGE

            return win.show_page(EXCHANGE)
        if target.stage not in getattr(win, "stages", {}):
            return None
        if target.year is not None and hasattr(win, "set_year"):
            win.set_year(target.year)
        page = win.show_page(target.stage)
        self._narrow(page, target)
        self._when_read(page, lambda: self._point_at(page, target, line.due))
        return page

    def _narrow(self, page: QWidget, target: TodoTarget) -> None:
        """The list's own filters set as the line says."""
        if target.stage == "rectification":
            if self.at is not None and hasattr(page, "at"):
                page.at.setDate(QDate(self.at.year, self.at.month, self.at.day))  # the day the line counted
            if target.filter == OVERDUE and hasattr(page, "overdue"):
                page.state.setCurrentIndex(0)
                page.overdue.setChecked(True)
            elif target.filter == TO_VERIFY and hasattr(page, "state"):
                page.state.setCurrentText(TO_VERIFY)
            elif target.filter == DUE_SOON and hasattr(page, "overdue"):  # not yet overdue: every state shown
                page.state.setCurrentIndex(0)
                page.overdue.setChecked(False)
        elif target.stage == "monitoring":
            if target.round_id is not None and hasattr(page, "choose_round") and page.round_id() != target.round_id:
                page.choose_round(target.round_id)
            if hasattr(page, "red_only"):
                page.red_only.setChecked(target.filter == RED_WITHOUT_CAUSE)

    def _when_read(self, page: QWidget, then: Callable[[], None], tries: int = WAIT_TRIES) -> None:
        """`then()` once the page's list has arrived (it reads in the background)."""
        loader = getattr(page, "loader", None)
        if loader is not None and loader.loading and tries > 0:
            QTimer.singleShot(WAIT_MS, lambda: self._when_read(page, then, tries - 1))
        else:
            then()

    def _point_at(self, page: QWidget, target: TodoTarget, due: Optional[date] = None) -> None:
        """The one record's form, or the waiting rows selected (by the line's state)."""
        model, view = getattr(page, "model", None), getattr(page, "view", None)
        if model is None or view is None:
            return
        rows = model.rows() if hasattr(model, "rows") else []
        method, attr = OPENERS.get(target.stage, ("", ""))
        if target.record_id is not None and method:
            for n, r in enumerate(rows):
                if getattr(r, attr, None) == target.record_id:
                    view.selectRow(n)
                    getattr(page, method)(n)
                    return
        if target.filter:
            wanted = _wanted(target, due)
            chosen = [n for n, r in enumerate(rows) if wanted(r)]
            if chosen:
                view.clearSelection()
                view.scrollTo(model.index(chosen[0], 0))
                selection = view.selectionModel()
                rows_flag = selection.SelectionFlag.Rows
                # the first one current (a page showing the current row's details shows it), the rest selected
                selection.setCurrentIndex(model.index(chosen[0], 0), selection.SelectionFlag.ClearAndSelect | rows_flag)
                for n in chosen[1:]:
                    selection.select(model.index(n, 0), selection.SelectionFlag.Select | rows_flag)

    # -- charts out ------------------------------------------------------------------------------
    def export_charts(self, folder: Optional[str] = None) -> list:
        """导出全部图表…: every chart as a PNG in a folder (asked unless given)."""
        folder = folder or ask_folder(self, "选择保存图表的文件夹")
        if not folder:
            return []
        try:
            written = self.charts.export_all(folder)
        except OSError as exc:
            show_error(self, exc, "未能导出图表")
            return []
        self.status.setText(f"已导出{len(written)}张图表到 {folder}")
        return written


def _wanted(target: TodoTarget, due: Optional[date]) -> Callable[[object], bool]:
    """Which of the opened list's rows the line is about: a township's row by its code (its 计分依据
    then shows why its package is late), the open 整改 items due on the line's day, else the rows
    in the line's state."""
    if target.stage == TOWNSHIP_STAGE:
        return lambda r: getattr(r, "code", None) == target.filter
    if target.filter == DUE_SOON:
        return lambda r: getattr(r, "deadline", None) == due and getattr(r, "status", None) in OPEN_STATES
    return lambda r: getattr(r, "status", None) == target.filter
