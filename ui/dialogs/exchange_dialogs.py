"""The 数据交换 page's two small dialogs, both opened with .open() (never blocking):

- `ExportChoiceDialog`: 导出数据包… — to whom (this county's townships, or this township's county)
  and which years (checkable; the year shown is checked);
- `PreviewDialog`: what an import would do, before anything is written — by kind of record: 新增,
  更新, 无变化, 冲突 (a dry run of the merge) — with 确认导入 / 取消."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from app.services.exchange import Counterpart, ImportResult
from app.services.exchange_merge import CONFLICT, NEW, UNCHANGED, UPDATED
from ui.models.row_table import ModelColumn, RowTableModel
from ui.widgets import table_view


class ExportChoiceDialog(QDialog):
    """To whom and which years; `chosen()` → (code, years) once accepted."""

    def __init__(self, counterparts: Sequence[Counterpart], years: Iterable[int], checked: int,
                 parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("导出数据包")
        self.to = QComboBox()
        self.to.setObjectName("exchange_to")
        self.to.setMinimumContentsLength(20)
        for c in counterparts:
            self.to.addItem(c.title, c.code)
        self.years = QListWidget()
        self.years.setObjectName("exchange_years")
        self.years.setMaximumHeight(140)
        for year in sorted(set(years) | {checked}, reverse=True):
            item = QListWidgetItem(f"{year}年度")
            item.setData(Qt.UserRole, year)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Checked if year == checked else Qt.Unchecked)
            self.years.addItem(item)
        note = QLabel("乡镇导出给上级县（上报：项目、目标、监控、自评、整改及佐证材料）；"
                      "县导出给本县乡镇（下发：规则、指标库、监控轮次、审核结果和整改事项）。")
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("接收方：", self.to)
        form.addRow("年度：", self.years)
        self.buttons = QDialogButtonBox()
        self.ok = self.buttons.addButton("选择保存位置…", QDialogButtonBox.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        self.problem = QLabel()
        self.problem.setStyleSheet("color: #b00020;")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(460, 300)

    def check_years(self, years: Iterable[int]) -> None:
        wanted = set(years)
        for i in range(self.years.count()):
            item = self.years.item(i)
            item.setCheckState(Qt.Checked if item.data(Qt.UserRole) in wanted else Qt.Unchecked)

    def chosen(self) -> tuple[str, list[int]]:
        years = [self.years.item(i).data(Qt.UserRole) for i in range(self.years.count())
                 if self.years.item(i).checkState() == Qt.Checked]
        return self.to.currentData(), sorted(years)

    def _accept(self) -> None:
        code, years = self.chosen()
        if not code:
            self.problem.setText("没有可以导出的对方：请先在基础数据中设置本县的乡镇（或本乡镇的上级县）。")
        elif not years:
            self.problem.setText("请至少勾选一个年度。")
        else:
            self.accept()


@dataclass(frozen=True)
class PreviewLine:
    kind: str
    new: int
    updated: int
    unchanged: int
    conflict: int


PREVIEW_COLUMNS = [ModelColumn("数据类别", "kind", width=130), ModelColumn(NEW, "new", "int", width=70),
                   ModelColumn(UPDATED, "updated", "int", width=70), ModelColumn(UNCHANGED, "unchanged", "int", width=70),
                   ModelColumn(CONFLICT, "conflict", "int", width=70)]


def preview_lines(result: ImportResult) -> list[PreviewLine]:
    lines = [PreviewLine(kind, c[NEW], c[UPDATED], c[UNCHANGED], c[CONFLICT]) for kind, c in result.counts.by_kind.items()]
    if len(lines) > 1:
        lines.append(PreviewLine("合计", *(result.counts.total(o) for o in (NEW, UPDATED, UNCHANGED, CONFLICT))))
    return lines


class PreviewDialog(QDialog):
    """What the import would do (nothing written yet): 确认导入 accepts, 取消 rejects."""

    def __init__(self, result: ImportResult, file_name: str, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("导入数据包：预览")
        self.result = result
        head = QLabel(f"数据包“{file_name}”来自[{result.producer_code}]{result.producer_name}。"
                      "导入后将有以下变化（现在尚未写入）：")
        head.setWordWrap(True)
        self.model = RowTableModel(PREVIEW_COLUMNS, self)
        self.model.set_rows(preview_lines(result))
        self.view = table_view(self.model, sort_column=None)
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        tail = QLabel("有冲突的记录导入后仍保留本地值，冲突列在本页“等待处理的冲突”中，由您逐项选择。"
                      if result.counts.total(CONFLICT) else "没有冲突。")
        tail.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.confirm = self.buttons.addButton("确认导入", QDialogButtonBox.AcceptRole)
        self.confirm.setObjectName("btn_confirm_import")
        self.cancel = self.buttons.addButton("取消", QDialogButtonBox.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(tail)
        layout.addWidget(self.buttons)
        self.resize(520, 360)

    def counts_of(self, kind: str) -> dict[str, int]:
        line = next(x for x in self.model.rows() if x.kind == kind)
        return {NEW: line.new, UPDATED: line.updated, UNCHANGED: line.unchanged, CONFLICT: line.conflict}
