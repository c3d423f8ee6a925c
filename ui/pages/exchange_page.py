"""数据交换 page (a fixed page of the window, 系统 → 数据交换; 绩效科, or anyone on a database without
users): the county and its townships exchange work by signed package files (app.services.exchange).

- 本库公钥: this database's region and its key's fingerprint (the key made the first time), 导出本库公钥….
- 已登记的公钥: the keys registered here (a township's in the county, the county's in a township),
  登记对方公钥… (a refusal is told in its sentence).
- 导出数据包…: to whom and which years (ui.dialogs.exchange_dialogs), then where to save.
- 导入数据包…: the package is checked and merged as a dry run first; the preview (新增 / 更新 / 无变化 /
  冲突 by kind) asks 确认导入; a refused package is told in its sentence and nothing changes.
- 交换记录 (newest first) and 等待处理的冲突 side by side (本地值, 来件值), settled row by row with
  采用来件值 / 保留本地值; 导出冲突清单… writes them to an xlsx.

Read in the background (ui.ops.Loader) when first shown and after any change anywhere (an import
touches every stage; the log grows with every export)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget,
)

from app.errors import user_sentence
from app.io.package import SUFFIX, package_file_name
from app.io.package_keys import KEY_FILE_SUFFIX
from app.rules.validation import RejectedError
from app.services import exchange, exchange_keys, guard
from app.services.projects import list_years
from ui import files, messages
from ui.context import PageContext
from ui.dialogs.exchange_dialogs import ExportChoiceDialog, PreviewDialog
from ui.models.row_table import ModelColumn, RowTableModel
from ui.ops import CollectionOp, Loader, Op
from ui.pages.base import EveryChangePage
from ui.widgets import button, keeping_place, table_view
from ui.workers import export_to

PACKAGES = f"数据交换包 (*{SUFFIX})"
KEY_FILES = f"公钥文件 (*{KEY_FILE_SUFFIX})"
KEY_COLUMNS = [ModelColumn("区划代码", "region_code", width=90), ModelColumn("名称", "region_name", width=110),
               ModelColumn("指纹", "fingerprint", width=150), ModelColumn("登记时间", "registered_at", "date", width=90),
               ModelColumn("登记人", "registered_by", width=80)]
FILE_COLUMN = ModelColumn("文件", "file_name", width=330)
LOG_COLUMNS = [ModelColumn("时间", "when", width=130), ModelColumn("用户", "user", width=80),
               ModelColumn("方向", "direction", width=90), ModelColumn("对方", "counterpart", width=170),
               FILE_COLUMN, ModelColumn("年度", "years", width=90),
               ModelColumn("记录数", "records", "int", width=70)]
CONFLICT_COLUMNS = [ModelColumn("区划", "region", width=140), ModelColumn("数据类别", "kind", width=64),
                    ModelColumn("记录", "record", width=220), ModelColumn("字段", "field", width=90),
                    ModelColumn("本地值", "local_value", width=240), ModelColumn("来件值", "incoming_value", width=240),
                    ModelColumn("来件文件", "package_file", width=200)]
WRITES = ("export_key", "trust_key", "export_package", "import_package", "take_incoming", "keep_local")


@dataclass(frozen=True)
class ExchangeView:
    own: exchange.OwnKey
    trusted: list
    log: list
    conflicts: list


def _read(ws) -> ExchangeView:
    return ExchangeView(exchange.own_summary(ws), exchange_keys.list_trusted(ws), exchange.log_rows(ws),
                        exchange.conflicts(ws))


def _group(title: str, *parts) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 4, 6, 4)
    for part in parts:
        if isinstance(part, QWidget):
            layout.addWidget(part, 1 if isinstance(part, QAbstractItemView) else 0)
        else:
            layout.addLayout(part)
    return box


def _bar(*widgets, stretch_first: bool = False) -> QHBoxLayout:
    bar = QHBoxLayout()
    if stretch_first:
        bar.addStretch(1)
    for w in widgets:
        bar.addWidget(w)
    if not stretch_first:
        bar.addStretch(1)
    return bar


class ExchangePage(EveryChangePage):  # an import touches every stage; every export is logged here
    RIGHTS = (("export_key", guard.BASE_DATA, "导出公钥"), ("trust_key", guard.BASE_DATA, "登记公钥"),
              ("export_package", guard.EXCHANGE, "导出"), ("import_package", guard.EXCHANGE, "导入"),
              ("take_incoming", guard.EXCHANGE, "处理冲突"), ("keep_local", guard.EXCHANGE, "处理冲突"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on, parent)
        self.data: Optional[ExchangeView] = None
        self.loader = Loader(self, self._arrived, lambda error: self.read_failed(error, "未能读取数据交换情况"))
        self.choice: Optional[ExportChoiceDialog] = None
        self.preview: Optional[PreviewDialog] = None
        self.last_op: Optional[Op] = None

        self.own_region, self.own_fingerprint = QLabel("本库区划："), QLabel("公钥指纹：")
        self.own_fingerprint.setTextInteractionFlags(Qt.TextSelectableByMouse)
        own = _group("本库公钥", self.own_region, self.own_fingerprint,
                     QLabel("把公钥文件交给对方登记一次，对方才能导入本库的数据包。"),
                     _bar(button("导出本库公钥…", self.export_key, "export_key")))
        own.setMaximumWidth(360)
        self.key_model = RowTableModel(KEY_COLUMNS, self)
        self.key_view = table_view(self.key_model, sort_column=None)
        self.key_view.horizontalHeader().setStretchLastSection(True)
        trusted = _group("已登记的公钥", self.key_view, _bar(button("登记对方公钥…", self.trust_key, "trust_key")))
        top = QHBoxLayout()
        top.addWidget(own)
        top.addWidget(trusted, 1)
        top_box = QWidget()
        top_box.setLayout(top)
        top.setContentsMargins(0, 0, 0, 0)
        top_box.setMaximumHeight(170)

        self.status = QLabel("正在读取…")
        self.status.setObjectName("exchange_status")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextSelectableByMouse)
        actions = _bar(button("导出数据包…", self.export_package, "export_package"),
                       button("导入数据包…", self.import_package, "import_package"))
        actions.insertWidget(2, self.status, 1)

        self.log_model = RowTableModel(LOG_COLUMNS, self)
        self.log_view = table_view(self.log_model, sort_column=None)
        self.log_view.setSortingEnabled(False)  # newest first, as read
        self.log_view.horizontalHeader().setSectionResizeMode(LOG_COLUMNS.index(FILE_COLUMN), QHeaderView.Stretch)
        self.conflict_model = RowTableModel(CONFLICT_COLUMNS, self)
        self.conflict_view = table_view(self.conflict_model, sort_column=None)
        self.conflict_view.setSortingEnabled(False)
        self.conflict_view.horizontalHeader().setStretchLastSection(True)
        self.conflict_view.setWordWrap(True)  # 本地值 and 来件值 read whole, side by side
        self.conflict_note = QLabel()
        self.take = button("采用来件值", lambda: self.resolve(True), "take_incoming")
        self.keep = button("保留本地值", lambda: self.resolve(False), "keep_local")
        conflicts = _group("等待处理的冲突（冲突处理前本地值有效）", self.conflict_view,
                           _bar(self.conflict_note, self.take, self.keep,
                                button("导出冲突清单…", self.export_conflicts, "export_conflicts"), stretch_first=False))
        split = QSplitter(Qt.Vertical)
        split.addWidget(_group("交换记录", self.log_view))
        split.addWidget(conflicts)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)

        heading = QLabel("数据交换：县与本县乡镇之间用签名的数据包（U盘或OA附件）交换数据")
        heading.setStyleSheet("font-weight: bold;")
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(top_box)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        self.conflict_view.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self._enable()

    # -- reading ----------------------------------------------------------------------------------
    def reload(self) -> Op:
        ws = self.ws
        return self.loader.load(lambda job: _read(ws))

    def _arrived(self, view: ExchangeView) -> None:
        self.data = view
        self.own_region.setText(f"本库区划：[{view.own.region_code}]{view.own.region_name}")
        self.own_fingerprint.setText(f"公钥指纹：{view.own.fingerprint or '（尚未生成）'}")
        self.key_model.set_rows(view.trusted)
        self.log_model.set_rows(view.log)
        with keeping_place(self.conflict_view, "conflict_id"):
            self.conflict_model.set_rows(view.conflicts)
        self.conflict_view.resizeRowsToContents()
        self.conflict_note.setText(f"共{len(view.conflicts)}处冲突，选中一行后选择：" if view.conflicts
                                   else "没有等待处理的冲突。")
        if self.status.text() == "正在读取…":
            self.status.setText("")
        self._enable()

    def say(self, sentence: str) -> None:
        self.status.setText(sentence)

    # -- who may do what --------------------------------------------------------------------------
    def apply_rights(self, actor) -> None:
        super().apply_rights(actor)
        self._enable()

    def _enable(self) -> None:
        for name in WRITES:
            allowed = self.allowed(name) and not self.ws.read_only
            if name in ("take_incoming", "keep_local"):
                allowed = allowed and self.selected() is not None
            for widget in self.findChildren(QPushButton, f"btn_{name}"):
                if widget.window() is self.window():
                    widget.setEnabled(allowed)

    # -- keys -------------------------------------------------------------------------------------
    def export_key(self, path: Optional[str] = None) -> Optional[Op]:
        ws, actor = self.ws, self.ws.actor
        name = self.data.own.region_name if self.data else ws.home_region()

        def done(key) -> None:
            self.say(f"已导出[{key.region_code}]{key.region_name}的公钥（指纹{key.fingerprint}），请把这个文件交给对方登记。")
            self.reload()
        return export_to(self, path, f"{name}{KEY_FILE_SUFFIX}", KEY_FILES,
                         lambda target, job: exchange_keys.write_own(ws, target, actor), "导出本库公钥", done)

    def trust_key(self, path: Optional[str] = None) -> bool:
        path = path or files.ask_open_path(self, "登记对方公钥", KEY_FILES, kind="exchange")
        if not path:
            return False
        try:
            row = exchange_keys.trust(self.ws, path)
        except Exception as exc:  # noqa: BLE001 - the service's refusal, in its sentence
            messages.show_error(self, exc, "未能登记公钥")
            return False
        self.say(f"已登记[{row.region_code}]{row.region_name}的公钥（指纹{row.fingerprint}），今后可导入它签名的数据包。")
        self.reload()
        return True

    # -- packages ---------------------------------------------------------------------------------
    def export_package(self) -> Optional[ExportChoiceDialog]:
        try:
            options = exchange.counterparts(self.ws)
            years = list_years(self.ws)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc, "未能导出数据包")
            return None
        if not options:
            sentence = "没有可以导出的对方：请先在基础数据中设置本县的乡镇（或本乡镇的上级县）。"
            self.say(sentence)
            messages.show_error(self, RejectedError(sentence), "没有可以导出的对方")
            return None
        dialog = self.choice = ExportChoiceDialog(options, years, self.year or date.today().year, self)
        dialog.accepted.connect(lambda: self.export_chosen(*dialog.chosen()))
        dialog.open()
        return dialog

    def export_chosen(self, code: str, years: list[int], path: Optional[str] = None) -> Optional[Op]:
        ws, actor = self.ws, self.ws.actor
        name = self.data.own.region_name if self.data else ws.home_region()
        self.last_op = export_to(self, path, package_file_name(name, years), PACKAGES,
                                 lambda target, job: exchange.export_package(ws, code, years, target, actor),
                                 "导出数据包", lambda result: self.say(result.sentence))
        return self.last_op

    def import_package(self, path: Optional[str] = None) -> Optional[Op]:
        """Checked and merged as a dry run first (nothing written); the preview asks 确认导入."""
        path = path or files.ask_open_path(self, "导入数据包", PACKAGES, kind="exchange")
        if not path:
            return None
        ws, actor = self.ws, self.ws.actor
        self.say("正在核对数据包…")
        self.last_op = CollectionOp(self, lambda job: exchange.import_package(ws, path, dry_run=True, actor=actor, job=job),
                                    lambda result: self._preview(result, path), label="正在核对数据包…",
                                    failure=self._refused).run()
        return self.last_op

    def _preview(self, result: exchange.ImportResult, path: str) -> None:
        from pathlib import Path

        self.say(result.sentence)
        dialog = self.preview = PreviewDialog(result, Path(path).name, self)
        dialog.accepted.connect(lambda: self._import_now(path))
        dialog.rejected.connect(lambda: self.say("已取消导入，数据库未作任何改动。"))
        dialog.open()

    def _import_now(self, path: str) -> Op:
        ws, actor = self.ws, self.ws.actor
        self.last_op = CollectionOp(self, lambda job: exchange.import_package(ws, path, actor=actor, job=job),
                                    lambda result: self.say(result.sentence), label="正在导入数据包…",
                                    failure=self._refused).run()
        return self.last_op

    def _refused(self, error: BaseException) -> None:
        self.say(f"数据包未能导入：{user_sentence(error)}")
        messages.show_error(self, error, "数据包未能导入")

    # -- conflicts --------------------------------------------------------------------------------
    def selected(self):
        rows = self.conflict_view.selectionModel().selectedRows()
        return self.conflict_model.row_at(rows[0].row()) if rows else None

    def resolve(self, take_incoming: bool) -> bool:
        row = self.selected()
        if row is None:
            return False
        try:
            exchange.resolve_conflict(self.ws, row.conflict_id, take_incoming)
        except Exception as exc:  # noqa: BLE001
            messages.show_error(self, exc, "未能处理冲突")
            return False
        which = f"采用来件值“{row.incoming_value}”" if take_incoming else f"保留本地值“{row.local_value}”"
        self.say(f"{row.record}的{row.field}：已{which}。")
        return True  # the change notification reloads the page

    def export_conflicts(self, path: Optional[str] = None) -> Optional[Op]:
        from app.io.exchange_io import render_conflicts

        ws = self.ws
        return export_to(self, path, f"数据交换冲突{date.today():%Y%m%d}.xlsx", "Excel 工作簿 (*.xlsx)",
                         lambda target, job: render_conflicts(exchange.conflicts(ws), target), "导出冲突清单")
