"""整改台账 page: the year's items — 来源, 问题类别, 问题描述, 责任单位, 整改期限, 状态, 逾期天数 — as they
stand on the 统计日期 chosen (today to start with): an item still 待整改 or 整改中 after its 整改期限 is
逾期, its row shaded and its 逾期天数 counted to that date. Filters by 区划 (a county holding its
townships' items: the 区划 column and filter show), 状态, 责任单位 and 只看逾期; the 汇总 line under the
list counts the year's items of the region chosen by state and the overdue ones.

新增（审计发现）… opens an unsaved form for a problem typed by hand; 打开 (or a double-click) opens the
selected item; 设定整改期限… gives the selected items one date (钢城: one date for all); 导入… takes a
workbook of items (all or nothing); 导出台账… writes the ledger with its 汇总 (xlsx or PDF); 整改通知书…
asks the 文号 and the date, then a folder, and writes one PDF per 责任单位 with open items. The
exported ledger holds the region chosen (all regions: with the 按区划汇总).

The list is read in the background (ui.ops.Loader) and again when an item, or a stage items come
from, changes (StagePage), keeping the selected rows."""

from __future__ import annotations

from datetime import date
from typing import Iterable, Optional

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDateEdit, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
    QLineEdit, QVBoxLayout, QWidget,
)

from app.domain.rectification import STATES, LedgerRow, LedgerView
from app.rules.validation import RejectedError
from app.services import rectification as svc
from app.services import regions
from app.stages.rectification import STAGE
from ui import messages
from ui.context import PageContext
from ui.dialogs.rectification_form import RectificationForm
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import StagePage
from ui.region_filter import RegionFilter
from ui.widgets import button, keeping_place, table_view
from ui.workers import EXCEL_OR_PDF, export_to, format_of, import_from, run_export

LOADING = "正在读取…"
ALL, OVERDUE_ONLY = "全部", "只看逾期"
OVERDUE_FILL = QColor("#F8CBAD")
COLUMNS = [ModelColumn("来源", "source", width=80), ModelColumn("问题类别", "category", width=80),
           ModelColumn("问题描述", "description", width=420), ModelColumn("责任单位", "responsible", width=180),
           ModelColumn("整改期限", "deadline", "date", width=90), ModelColumn("状态", "shown_status", width=120),
           ModelColumn("逾期天数", "overdue_days", "int", width=70), ModelColumn("区划", "region", width=70)]


class LedgerModel(RowTableModel):
    """The ledger's rows; an overdue one shaded as in the printed 台账."""

    def data(self, index, role: int = Qt.DisplayRole):
        if role == Qt.BackgroundRole and index.isValid():
            return OVERDUE_FILL if self.row_at(index.row()).overdue else None
        return super().data(index, role)


def qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def pydate(d: QDate) -> date:
    return date(d.year(), d.month(), d.day())


def date_edit(value: date, name: str = "") -> QDateEdit:
    edit = QDateEdit(qdate(value))
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if name:
        edit.setObjectName(name)
    return edit


class DateAsker(QDialog):
    """One date (and, for the 整改通知书, its 文号)."""

    def __init__(self, parent: Optional[QWidget], title: str, label: str, value: date, doc_no: bool = False):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.date = date_edit(value, "asked_date")
        self.doc_no = QLineEdit()
        self.doc_no.setPlaceholderText("如 钢财绩〔2023〕5号")
        form = QFormLayout()
        if doc_no:
            form.addRow("文号：", self.doc_no)
        form.addRow(label, self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


def ask_deadline(parent: QWidget, count: int) -> Optional[date]:
    """设定整改期限: the one date for the selected items (None: cancelled). Tests patch this."""
    dialog = DateAsker(parent, "设定整改期限", f"选中的{count}项的整改期限：", date.today())
    return pydate(dialog.date.date()) if dialog.exec() == QDialog.Accepted else None


def ask_notice(parent: QWidget) -> Optional[tuple[str, date]]:
    """整改通知书: (文号, 发文日期), or None when cancelled. Tests patch this."""
    dialog = DateAsker(parent, "整改通知书", "发文日期：", date.today(), doc_no=True)
    return (dialog.doc_no.text().strip(), pydate(dialog.date.date())) if dialog.exec() == QDialog.Accepted else None


def ask_folder(parent: QWidget, caption: str) -> str:
    """A folder to write into ("" when cancelled), starting where exports last went. Tests patch this."""
    from ui.files import remember_folder, start_folder

    folder = QFileDialog.getExistingDirectory(parent, caption, str(start_folder("export")))
    if folder:
        remember_folder("export", f"{folder}/.")
    return folder or ""


class RectificationPage(StagePage):
    RIGHTS = (("new_item", svc.WORKFLOW, "新增"), ("set_deadline", svc.WORKFLOW, "设置整改期限"),
              ("import", svc.WORKFLOW, "新增"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.ledger: Optional[LedgerView] = None
        self.model = LedgerModel(COLUMNS, self)
        self.loader = Loader(self, self._arrived, self.read_failed)
        self.opener = Loader(self, self._opened, self._open_failed)
        self.form: Optional[RectificationForm] = None  # the form opened last
        self.at = date_edit(date.today(), "at")
        self.at.dateChanged.connect(lambda _d: self.reload())
        self.state, self.unit = QComboBox(), QComboBox()
        self.state.setObjectName("state_filter")
        self.state.addItems([ALL, *STATES])
        self.unit.setObjectName("unit_filter")
        self.unit.addItem(ALL)
        self.overdue = QCheckBox(OVERDUE_ONLY)
        self.overdue.setObjectName("overdue_only")
        self.region_filter = RegionFilter(QLabel("区划："))
        for signal in (self.state.currentTextChanged, self.unit.currentTextChanged, self.overdue.toggled,
                       self.region_filter.currentIndexChanged):
            signal.connect(lambda *_: self.refilter())
        self.view = table_view(self.model, single=False, sort_column=None)
        self.region_filter.hide_columns_of(self.view)
        self.view.doubleClicked.connect(lambda index: self.open_item(index.row()))
        self.status, self.counts, self.notice = QLabel(), QLabel(), QLabel()
        self.counts.setObjectName("rectification_counts")
        self.counts.setWordWrap(True)
        self.notice.setWordWrap(True)  # what the last 导入 / 设定 / 通知书 did, in a sentence
        filters = QHBoxLayout()
        for label, widget in ((QLabel("统计日期："), self.at), (self.region_filter.caption, self.region_filter),
                              (QLabel("状态："), self.state), (QLabel("责任单位："), self.unit)):
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addWidget(self.overdue)
        filters.addStretch(1)
        filters.addWidget(self.status)
        actions = QHBoxLayout()
        for text, slot, name in (("新增（审计发现）…", self.new_item, "new_item"),
                                 ("打开", lambda: self.open_item(self._selected()[0] if self._selected() else -1), "open_item"),
                                 ("设定整改期限…", self.set_deadline, "set_deadline"), ("导入…", self.import_file, "import"),
                                 ("导出台账…", self.export_ledger, "export_ledger"), ("整改通知书…", self.write_notices, "notices")):
            actions.addWidget(button(text, slot, name))
        actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.notice)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.counts)

    # -- loading ---------------------------------------------------------------------------------
    @property
    def at_date(self) -> date:
        return pydate(self.at.date())

    def reload(self) -> Op:
        ws, year, at = self.ws, self.year, self.at_date  # read here, on the GUI thread
        return self.read(lambda job: (svc.list_year(ws, year, at), regions.choices(ws)))

    def _arrived(self, answer) -> None:
        view, choices = answer
        self.ledger = view
        self.status.setText("")
        self.region_filter.fill(choices)
        chosen = self.unit.currentText()
        self.unit.blockSignals(True)
        self.unit.clear()
        self.unit.addItems([ALL, *sorted({r.responsible for r in view.rows if r.responsible})])
        self.unit.setCurrentText(chosen if self.unit.findText(chosen) >= 0 else ALL)
        self.unit.blockSignals(False)
        with keeping_place(self.view, "item_id"):  # a reload after a change keeps the user's place
            self.refilter()

    def _shown(self, row: LedgerRow) -> bool:
        state, unit = self.state.currentText(), self.unit.currentText()
        return ((state == ALL or row.status == state) and (unit == ALL or row.responsible == unit)
                and (not self.overdue.isChecked() or row.overdue))

    def refilter(self) -> None:
        """The rows the filters keep; the 汇总 line counts the region chosen (all regions: every row)."""
        rows = [r for r in self.ledger.rows if self.region_filter.keeps(r)] if self.ledger else []
        self.model.set_rows([r for r in rows if self._shown(r)])
        where = self.region_filter.label()
        if not rows:
            self.counts.setText(f"{self.year}年度{where}还没有整改事项。重点评价、绩效自评、运行监控、事前评估中发现的问题可转为整改事项，"
                                "也可点“新增（审计发现）…”录入或导入。")
            return
        by_state = "、".join(f"{s}{n}项" for s in STATES if (n := sum(r.status == s for r in rows)))
        overdue = sum(r.overdue for r in rows)
        shown = f"（当前显示{self.model.rowCount()}项）" if self.model.rowCount() != len(rows) else ""
        self.counts.setText(f"汇总：{self.year}年度{where}整改事项{len(rows)}项{shown}，其中{by_state}；截至{self.at_date.isoformat()}"
                            + (f"逾期{overdue}项，最长逾期{max(r.overdue_days for r in rows)}天。" if overdue else "没有逾期的事项。"))

    def _selected(self) -> list[int]:
        return sorted(index.row() for index in self.view.selectionModel().selectedRows())

    # -- opening ---------------------------------------------------------------------------------
    def open_item(self, row: int) -> Optional[Op]:
        """The row's item, read in the background; the form then opens and is `self.form`."""
        if not 0 <= row < self.model.rowCount():
            return None
        ws, item_id = self.ws, self.model.row_at(row).item_id
        self.status.setText(LOADING)
        return self.opener.load(lambda job: svc.open_item(ws, item_id))

    def new_item(self) -> Op:
        """新增（审计发现）…: an unsaved form, its 反馈日期 and 整改期限 defaulted from today (the pack's days)."""
        ws, year = self.ws, self.year
        self.status.setText(LOADING)
        return self.opener.load(lambda job: svc.new_item(ws, year, notice=date.today()))

    def _opened(self, draft) -> None:
        self.status.setText("")
        self.form = RectificationForm(self.ws, draft, self)
        self.form.open()

    def _open_failed(self, error: BaseException) -> None:
        self.status.setText("")
        show_error(self, error, "未能打开整改事项")

    # -- many items at once ----------------------------------------------------------------------
    def set_deadline(self, deadline: Optional[date] = None) -> bool:
        """设定整改期限…: one date for every selected item (refused as a whole when one is closed)."""
        rows = [self.model.row_at(n) for n in self._selected()]
        if not rows:
            self.notice.setText("请先在台账中选中要设定整改期限的整改事项（可按住Ctrl或Shift多选）。")
            return False
        deadline = deadline or ask_deadline(self, len(rows))
        if deadline is None:
            return False
        if not messages.confirm_step(self, "设定整改期限",
                                     f"把选中的{len(rows)}项整改事项的整改期限都设为{deadline.isoformat()}吗？"):
            return False
        try:
            count = svc.set_deadline(self.ws, [r.item_id for r in rows], deadline)
        except RejectedError as exc:
            show_error(self, exc, "未设定")
            return False
        self.notice.setText(f"已把{count}项整改事项的整改期限设为{deadline.isoformat()}。")
        return True

    # -- files -----------------------------------------------------------------------------------
    def import_file(self, path: Optional[str] = None) -> Optional[Op]:
        """导入…: a workbook of items (sheet 整改事项), all or nothing; bad cells open the list."""
        from app.services.rectification_import import import_file

        ws = self.ws
        return import_from(self, path, "导入整改台账", lambda source, job: import_file(ws, source, job),
                           lambda sentence: self.notice.setText(str(sentence)))

    def export_ledger(self, path: Optional[str] = None) -> Optional[Op]:
        """导出台账…: the ledger on the 统计日期 (of the region chosen) with its 汇总 by 责任单位, xlsx or
        PDF by the name chosen."""
        ws, year, at, region = self.ws, self.year, self.at_date, self.region_filter.code()
        where = self.region_filter.label()
        return export_to(self, path, f"{year}年度整改台账{where}（{at.isoformat()}）.xlsx", EXCEL_OR_PDF,
                         lambda target, job: svc.export_ledger(ws, year, at, target, format_of(target), job,
                                                               region=region),
                         "导出整改台账")

    def write_notices(self, folder: Optional[str] = None) -> Optional[Op]:
        """整改通知书…: 文号 and date asked, then the folder; one PDF per 责任单位 with open items."""
        asked = ask_notice(self)
        if asked is None:
            return None
        doc_no, issued_on = asked
        if not doc_no:
            self.notice.setText("请填写整改通知书的文号。")
            return None
        folder = folder or ask_folder(self, "整改通知书保存到")
        if not folder:
            return None
        ws, year = self.ws, self.year

        def done(paths) -> None:
            self.notice.setText(f"已生成{len(paths)}份整改通知书（每个责任单位一份），保存在：{folder}")

        return run_export(self, "正在生成整改通知书…", lambda job: svc.notices(ws, year, doc_no, issued_on, folder), done)
