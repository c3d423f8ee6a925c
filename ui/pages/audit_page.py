"""审计日志 page (a fixed page of the window, after the stages; 绩效科 and 只读 users only): who did
what, when, to which record — newest first; the selected entry's values below (字段, 修改前, 修改后).
Filters: 用户, 记录类型, 记录包含, 日期 from / to (each applies at once); 导出… writes every entry the
filters keep to an xlsx. There is no way to change or delete an entry here.

Read in the background (ui.ops.Loader) when first shown and after any change anywhere (every
write is audited)."""

from __future__ import annotations

from datetime import date
from typing import Iterable, Optional

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox, QDateEdit, QHBoxLayout, QLabel, QLineEdit, QSplitter, QVBoxLayout, QWidget,
)

from app.services import audit_log as svc
from ui import messages
from ui.context import PageContext
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import Loader, Op
from ui.pages.base import EveryChangePage
from ui.widgets import button, keeping_place, table_view
from ui.workers import export_to

ALL = "全部"
NO_DATE = QDate(2000, 1, 1)  # the date boxes' lowest value, shown as 不限
COLUMNS = [ModelColumn("时间", "at", width=150), ModelColumn("用户", "user", width=90),
           ModelColumn("操作", "action", width=80), ModelColumn("记录类型", "entity", width=100),
           ModelColumn("记录", "summary", width=620)]
DETAIL_COLUMNS = [ModelColumn("字段", "field", width=160), ModelColumn("修改前", "before", width=380),
                  ModelColumn("修改后", "after", width=380)]


def _date_box(name: str) -> QDateEdit:
    box = QDateEdit()
    box.setObjectName(name)
    box.setCalendarPopup(True)
    box.setDisplayFormat("yyyy-MM-dd")
    box.setMinimumDate(NO_DATE)
    box.setSpecialValueText("不限")
    box.setDate(NO_DATE)
    box.setMinimumWidth(110)
    return box


def _day(box: QDateEdit) -> Optional[date]:
    return None if box.date() == NO_DATE else box.date().toPython()


class AuditPage(EveryChangePage):  # every write is audited: any committed change may add entries
    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on, parent)
        self.view_data: Optional[svc.AuditView] = None
        self.loader = Loader(self, self._arrived, lambda error: self.read_failed(error, "未能读取审计日志"))
        self.user = QComboBox()
        self.user.setObjectName("audit_user")
        self.user.setMinimumContentsLength(8)
        self.entity = QComboBox()
        self.entity.setObjectName("audit_entity")
        self.entity.setMinimumContentsLength(8)
        for box in (self.user, self.entity):
            box.addItem(ALL, "")
        self.text = QLineEdit()
        self.text.setObjectName("audit_text")
        self.text.setPlaceholderText("项目名称、编码或记录编号中的字")
        self.text.setClearButtonEnabled(True)
        self.start, self.end = _date_box("audit_start"), _date_box("audit_end")
        self.status = QLabel()
        self.status.setObjectName("audit_status")
        self._typing = QTimer(self)  # typing in 记录包含 reads once the typing pauses
        self._typing.setSingleShot(True)
        self._typing.setInterval(300)
        self._typing.timeout.connect(self.reload)
        bar = QHBoxLayout()
        for caption, widget in (("用户：", self.user), ("记录类型：", self.entity), ("记录包含：", self.text),
                                ("日期：", self.start), ("至", self.end)):
            bar.addWidget(QLabel(caption))
            bar.addWidget(widget, 2 if widget is self.text else 0)
        bar.addWidget(button("清除筛选", self.clear_filters, "clear_audit_filters"))
        bar.addWidget(button("导出…", self.export, "export_audit"))
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model, sort_column=None)
        self.view.setSortingEnabled(False)  # newest first, as read
        self.detail_model = RowTableModel(DETAIL_COLUMNS, self)
        self.detail_view = table_view(self.detail_model, sort_column=None)
        self.detail_view.setSortingEnabled(False)
        self.detail_view.setWordWrap(True)
        for view in (self.view, self.detail_view):
            view.horizontalHeader().setStretchLastSection(True)
        self.detail_head = QLabel("选中一条记录，这里显示它写入的内容（修改前、修改后）。")
        self.detail_head.setObjectName("audit_detail_head")
        self.detail_head.setWordWrap(True)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.detail_head)
        below_layout.addWidget(self.detail_view, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.view)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        heading = QLabel("审计日志：谁在何时对哪条记录做了什么（只能查看和导出，不能修改或删除）")
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        for box in (self.user, self.entity):
            box.currentIndexChanged.connect(lambda *_: self.reload())
        for box in (self.start, self.end):
            box.dateChanged.connect(lambda *_: self.reload())
        self.text.textChanged.connect(lambda *_: self._typing.start())
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.show_detail())

    # -- reading ----------------------------------------------------------------------------------
    def query(self) -> svc.AuditQuery:
        return svc.AuditQuery(user=self.user.currentData() or "", entity=self.entity.currentData() or "",
                              text=self.text.text(), start=_day(self.start), end=_day(self.end))

    def reload(self) -> Op:
        ws, query = self.ws, self.query()
        return self.read(lambda job: svc.read(ws, query))

    def _arrived(self, view: svc.AuditView) -> None:
        self.view_data = view
        self.status.setText(view.note)
        for box, values in ((self.user, view.users), (self.entity, view.entities)):
            chosen = box.currentData() or ""
            box.blockSignals(True)
            box.clear()
            box.addItem(ALL, "")
            for value in sorted(set(values) | ({chosen} - {""})):
                box.addItem(value, value)
            box.setCurrentIndex(max(box.findData(chosen), 0))
            box.blockSignals(False)
        with keeping_place(self.view, "id"):
            self.model.set_rows(list(view.entries))
        self.show_detail()

    def clear_filters(self) -> None:
        for widget in (self.user, self.entity, self.text, self.start, self.end):
            widget.blockSignals(True)
        self.user.setCurrentIndex(0)
        self.entity.setCurrentIndex(0)
        self.text.clear()
        self.start.setDate(NO_DATE)
        self.end.setDate(NO_DATE)
        for widget in (self.user, self.entity, self.text, self.start, self.end):
            widget.blockSignals(False)
        self.reload()

    # -- the selected entry -----------------------------------------------------------------------
    def selected(self) -> Optional[svc.AuditEntry]:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def show_detail(self) -> None:
        entry = self.selected()
        if entry is None:
            self.detail_model.set_rows([])
            self.detail_head.setText("选中一条记录，这里显示它写入的内容（修改前、修改后）。")
            return
        try:
            lines = svc.detail(self.ws, entry.id)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc, "未能读取")
            return
        self.detail_model.set_rows(list(lines))
        where = f"    记录编号：{entry.uuid}" if entry.uuid else ""
        said = "" if lines else "（这条记录没有保存字段内容。）"
        self.detail_head.setText(f"{entry.at:%Y-%m-%d %H:%M:%S}  {entry.user}  {entry.action}  {entry.entity}{where}{said}")
        self.detail_view.resizeRowsToContents()

    # -- export -----------------------------------------------------------------------------------
    def export(self, path: Optional[str] = None) -> Optional[Op]:
        ws, query = self.ws, self.query()
        return export_to(self, path, f"审计日志{date.today():%Y%m%d}.xlsx", "Excel 工作簿 (*.xlsx)",
                         lambda target, job: svc.export(ws, query, target, job), "导出审计日志")
