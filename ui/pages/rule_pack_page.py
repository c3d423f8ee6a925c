"""系统 → 规则方案 (a fixed page of the window, 绩效科 only): every setting of the active pack by
section with its meaning; a value is changed by typing in the 取值 column (changed ones in bold),
and 保存为新版本 saves them all with the 修改说明 as a new version (a bad value is refused in a
sentence and nothing saves). Below, every version with what it changed. 导出… writes the active pack
as a .json file for the townships; 导入… checks a file whole and makes it the new version."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Iterable, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout, QHeaderView, QLabel, QLineEdit, QSplitter, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget,
)

from app.changes import Changes
from app.domain.rule_packs import PackView
from app.services import guard
from app.services import rule_packs as svc
from ui import messages
from ui.context import PageContext
from ui.files import ask_open_path, ask_save_path
from ui.models.row_table import ModelColumn, RowTableModel
from ui.pages.base import StagePage
from ui.widgets import button, table_view

KEY = Qt.UserRole
ORIGINAL = Qt.UserRole + 1
VERSION_COLUMNS = [ModelColumn("版本", "number", width=70), ModelColumn("保存时间", "at", width=140),
                   ModelColumn("状态", "state", width=60), ModelColumn("说明", "note", width=200),
                   ModelColumn("修改内容", "changes", width=600)]


class RulePackPage(StagePage):
    RIGHTS = (("save_pack", guard.RULE_PACK, "修改"), ("import_pack", guard.RULE_PACK, "导入"))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (svc.STAGE,), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on, parent)
        self.view_data: Optional[PackView] = None
        self.heading = QLabel()
        self.heading.setObjectName("pack_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.tree = QTreeWidget()
        self.tree.setObjectName("pack_tree")
        self.tree.setHeaderLabels(["设置", "取值", "含义"])
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.resizeSection(0, 240)
        header.resizeSection(1, 200)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.tree.itemChanged.connect(self._edited)
        self.note = QLineEdit()
        self.note.setObjectName("pack_note")
        self.note.setPlaceholderText("修改说明（如：按2024年市局通知下调红灯线）")
        self.status = QLabel("在“取值”列双击即可修改；改过的设置以粗体显示，保存后成为新的一版，旧版保留。")
        self.status.setObjectName("pack_status")
        self.status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("修改说明："))
        bar.addWidget(self.note, 1)
        bar.addWidget(button("保存为新版本", self.save, "save_pack"))
        bar.addWidget(button("放弃修改", self.reload, "discard_pack"))
        bar.addWidget(button("导出…", self.export, "export_pack"))
        bar.addWidget(button("导入…", self.import_file, "import_pack"))
        self.versions = RowTableModel(VERSION_COLUMNS, self)
        self.versions_view = table_view(self.versions, sort_column=None)
        self.versions_view.setObjectName("pack_versions")
        self.versions_view.setSortingEnabled(False)
        self.versions_view.setWordWrap(True)
        self.versions_view.horizontalHeader().setStretchLastSection(True)
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(QLabel("历次版本（新的在上）：每一版相对上一版改了什么"))
        below_layout.addWidget(self.versions_view, 1)
        split = QSplitter(Qt.Vertical)
        split.addWidget(self.tree)
        split.addWidget(below)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addWidget(split, 1)
        self._filling = False

    def set_year(self, year: int) -> None:  # the pack is not a year's: read once, and after changes
        if self.view_data is None:
            self.reload()

    def _on_changes(self, changes: Changes) -> None:
        if changes.touches(self.refresh_on) and not self.edits():
            self._pending.start()

    def reload(self) -> None:
        try:
            self.view_data = data = svc.view(self.ws)
        except Exception as exc:  # noqa: BLE001 - shown, not raised into Qt
            messages.show_error(self, exc, "无法读取规则方案")
            return
        self.heading.setText(f"规则方案：{data.name}（现行第{data.version}版）——各项评分、亮灯和提示按现行版本计算，"
                             "已算出的分数保留当时的版本")
        self._filling = True
        self.tree.clear()
        for section in data.sections:
            top = QTreeWidgetItem([section.title, "", section.meaning])
            top.setFirstColumnSpanned(False)
            top.setToolTip(2, section.meaning)
            self.tree.addTopLevelItem(top)
            for s in section.settings:
                item = QTreeWidgetItem([s.label, s.value, s.meaning])
                item.setData(0, KEY, s.key)
                item.setData(0, ORIGINAL, s.value)
                item.setToolTip(2, s.meaning)
                item.setToolTip(1, f"{s.kind}：" + ("填“是”或“否”" if s.kind == "是否" else
                                                   "词与词之间用顿号隔开" if s.kind == "词语" else "填数字"))
                item.setFlags(item.flags() | Qt.ItemIsEditable)
                top.addChild(item)
            top.setExpanded(True)
        self._filling = False
        self.versions.set_rows([_version_row(v) for v in data.versions])
        self.versions_view.resizeRowsToContents()

    def _edited(self, item: QTreeWidgetItem, column: int) -> None:
        if self._filling or column != 1 or item.data(0, KEY) is None:
            return
        font = QFont(item.font(1))
        font.setBold(item.text(1).strip() != item.data(0, ORIGINAL))
        item.setFont(1, font)
        item.setFont(0, font)

    def edits(self) -> dict[str, str]:
        """The settings whose 取值 differs from the active pack's, by key."""
        out: dict[str, str] = {}
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                item = top.child(j)
                if item.text(1).strip() != item.data(0, ORIGINAL):
                    out[item.data(0, KEY)] = item.text(1)
        return out

    def set_value(self, key: str, text: str) -> None:
        """Type `text` into the setting `key` (what a person does by double-clicking)."""
        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            for j in range(top.childCount()):
                if top.child(j).data(0, KEY) == key:
                    top.child(j).setText(1, text)
                    return
        raise KeyError(key)

    def save(self) -> bool:
        if self.view_data is None:
            return False
        try:
            number = svc.save(self.ws, self.edits(), self.note.text(), based_on=self.view_data.version)
        except Exception as exc:  # noqa: BLE001 - the refusal's sentence, the typing kept
            self.status.setText(str(getattr(exc, "summary", exc)))
            messages.show_error(self, exc, "规则方案没有保存")
            return False
        self.note.clear()
        self.reload()
        self.status.setText(f"已保存为第{number}版。此后计算的分数按第{number}版，已算出的分数保留原来的版本。")
        return True

    def export(self) -> str:
        data = self.view_data
        name = f"规则方案第{data.version}版.json" if data else "规则方案.json"
        path = ask_save_path(self, "导出规则方案", name, "规则方案 (*.json)")
        if path:
            svc.export_active(self.ws, path)
            self.status.setText(f"已导出现行规则方案到 {path}，可发给乡镇导入。")
        return path

    def import_file(self) -> Optional[int]:
        path = ask_open_path(self, "导入规则方案", "规则方案 (*.json)")
        if not path:
            return None
        try:
            number = svc.import_file(self.ws, path, self.note.text())
        except Exception as exc:  # noqa: BLE001 - shown in a sentence; nothing saved
            self.status.setText(str(getattr(exc, "summary", exc)))
            messages.show_error(self, exc, "规则方案没有导入")
            return None
        self.note.clear()
        self.reload()
        self.status.setText(f"已导入为第{number}版并启用。")
        return number


def _version_row(v) -> SimpleNamespace:
    return SimpleNamespace(**{"number": f"第{v.version}版", "at": v.saved_at.strftime("%Y-%m-%d %H:%M") if v.saved_at else "",
            "state": "现行" if v.active else "", "note": v.note, "changes": "；".join(v.changes)})
