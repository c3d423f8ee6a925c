"""基础数据 page: 区划 → 部门 → 单位 as a tree with codes, and the 财政归口科室 list.

Read in the background (ui.ops.Loader) when the page is built and whenever 基础数据 changes —
a save or deletion here, or departments an import created (the ChangeHub tells the page). Base
data belongs to no year: switching the year reads nothing."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox, QGroupBox, QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget, QMessageBox, QPushButton,
    QTreeView, QVBoxLayout, QWidget,
)

from app.rules.validation import RejectedError
from app.services import base_data as svc, guard
from app.stages.base_data import STAGE
from ui.context import PageContext
from ui.dialogs.form_dialog import FormDialog
from ui.messages import confirm
from ui.ops import Loader, Op
from ui.pages.base import StagePage

KIND_ROLE = Qt.UserRole + 1  # "region" / "dept"
ID_ROLE = Qt.UserRole + 2
LOADING = "正在读取…"


class BaseDataPage(StagePage):
    RIGHTS = tuple((name, guard.BASE_DATA, action) for name, action in (
        ("add_region", "新增"), ("add_dept", "新增"), ("add_unit", "新增"), ("edit_dept", "修改"),
        ("delete_dept", "删除"), ("add_office", "新增"), ("delete_office", "删除")))

    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(ctx, refresh_on or STAGE.refresh_on, parent)
        self.loader = Loader(self, self._arrived, self._failed)
        self.status = QLabel()
        self.tree_model = QStandardItemModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setHeaderHidden(False)
        self.tree.setEditTriggers(QTreeView.NoEditTriggers)
        self.tree.doubleClicked.connect(lambda _: self.edit_selected())
        self.offices = QListWidget()

        tree_box = QGroupBox("区划、部门和单位")
        tree_layout = QVBoxLayout(tree_box)
        buttons = QHBoxLayout()
        for text, slot, name in (("新增乡镇区划", self.add_region, "add_region"), ("新增部门", self.add_department, "add_dept"),
                                 ("新增下属单位", self.add_unit, "add_unit"), ("编辑", self.edit_selected, "edit_dept"),
                                 ("删除", self.delete_selected, "delete_dept")):
            b = QPushButton(text)
            b.setObjectName(f"btn_{name}")
            b.clicked.connect(slot)
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.status)
        tree_layout.addLayout(buttons)
        tree_layout.addWidget(self.tree)

        office_box = QGroupBox("财政归口科室")
        office_layout = QVBoxLayout(office_box)
        row = QHBoxLayout()
        for text, slot, name in (("新增科室", self.add_office, "add_office"), ("删除科室", self.delete_office, "delete_office")):
            b = QPushButton(text)
            b.setObjectName(f"btn_{name}")
            b.clicked.connect(slot)
            row.addWidget(b)
        office_layout.addLayout(row)
        office_layout.addWidget(self.offices)

        layout = QHBoxLayout(self)
        layout.addWidget(tree_box, 3)
        layout.addWidget(office_box, 1)
        self.reload()

    def set_year(self, year: int) -> None:
        self.year = year  # base data belongs to no year: nothing to read again

    def reload(self) -> Op:
        ws = self.ws
        self.status.setText(LOADING)
        return self.loader.load(lambda job: svc.base_data(ws))

    def _failed(self, error: BaseException) -> None:
        from ui.messages import show_error

        self.status.setText("")
        show_error(self, error)

    def _arrived(self, data: svc.BaseData) -> None:
        self.status.setText("")
        self.tree_model.clear()
        self.tree_model.setHorizontalHeaderLabels(["名称", "编码", "类型"])
        region_items: dict[str, QStandardItem] = {}
        for r in sorted(data.regions, key=lambda r: r.parent_code is not None):
            item = _row_items(r.name, r.code, r.level, "region", r.id)
            parent = region_items.get(r.parent_code) if r.parent_code else None
            (parent or self.tree_model.invisibleRootItem()).appendRow(item)
            region_items[r.code] = item[0]
        dept_items: dict[int, QStandardItem] = {}
        pending = list(data.departments)
        while pending:  # parents before children, whatever the order
            rest = [d for d in pending if d.parent_id is not None and d.parent_id not in dept_items]
            for d in pending:
                if d in rest:
                    continue
                items = _row_items(d.name, d.code, d.kind, "dept", d.id)
                holder = dept_items.get(d.parent_id) or region_items.get(d.region_code) or self.tree_model.invisibleRootItem()
                holder.appendRow(items)
                dept_items[d.id] = items[0]
            if len(rest) == len(pending):
                break
            pending = rest
        self.tree.expandToDepth(0)
        self.tree.setColumnWidth(0, 360)
        self.offices.clear()
        self.offices.addItems(list(data.offices))

    def _selected(self) -> tuple[Optional[str], Optional[int]]:
        index = self.tree.currentIndex()
        if not index.isValid():
            return None, None
        first = index.siblingAtColumn(0)
        return first.data(KIND_ROLE), first.data(ID_ROLE)

    def _dept_form(self, title: str, save, values: Optional[dict] = None) -> FormDialog:
        form = FormDialog(title, lambda raw: svc.parse_fields(svc.DEPT_FIELDS, raw)[1], save, self)
        form.add_field("code", "编码", QLineEdit(), True, "如 213001")
        form.add_field("name", "名称", QLineEdit(), True)
        kind = QComboBox()
        kind.addItems(svc.DEPT_KINDS)
        form.add_field("kind", "类型", kind, True)
        if values:
            form.set_values(values)
        form.open()
        return form

    def add_department(self) -> FormDialog:
        return self._dept_form("新增部门", lambda raw: svc.save_department(self.ws, raw), {"kind": "部门"})

    def add_unit(self) -> Optional[FormDialog]:
        kind, ident = self._selected()
        if kind != "dept":
            QMessageBox.information(self, "新增下属单位", "请先选中单位所属的部门。")
            return None
        return self._dept_form("新增下属单位", lambda raw: svc.save_department(self.ws, raw, parent_id=ident), {"kind": "单位"})

    def add_region(self) -> FormDialog:
        form = FormDialog("新增乡镇区划", svc.validate_region,
                          lambda raw: svc.save_region(self.ws, raw, parent_code=self.ws.home_region()), self)
        form.add_field("code", "区划代码", QLineEdit(), True, "9位乡镇区划代码")
        form.add_field("name", "区划名称", QLineEdit(), True)
        level = QComboBox()
        level.addItems(svc.REGION_LEVELS)
        level.setCurrentText("乡镇")
        form.add_field("level", "级次", level, True)
        form.open()
        return form

    def edit_selected(self) -> Optional[FormDialog]:
        kind, ident = self._selected()
        if kind != "dept":
            QMessageBox.information(self, "编辑", "请先选中一个部门或单位。")
            return None
        return self._dept_form("编辑部门/单位", lambda raw: svc.save_department(self.ws, raw, dept_id=ident),
                               svc.department_values(self.ws, ident))

    def delete_selected(self) -> None:
        kind, ident = self._selected()
        if kind is None:
            QMessageBox.information(self, "删除", "请先选中要删除的区划、部门或单位。")
            return
        if not confirm(self, "删除", "确定删除选中的记录吗？"):
            return
        try:
            (svc.delete_department if kind == "dept" else svc.delete_region)(self.ws, ident)
        except RejectedError as exc:
            QMessageBox.warning(self, "不能删除", exc.summary)

    def add_office(self) -> None:
        name, ok = QInputDialog.getText(self, "新增归口科室", "科室名称：")
        if not ok:
            return
        try:
            svc.save_office(self.ws, {"name": name})
        except RejectedError as exc:
            QMessageBox.warning(self, "不能新增", "；".join(p.message for p in exc.report.problems) or exc.summary)

    def delete_office(self) -> None:
        item = self.offices.currentItem()
        if item is None:
            return
        try:
            svc.delete_office(self.ws, svc.office_id_by_name(self.ws, item.text()))
        except RejectedError as exc:
            QMessageBox.warning(self, "不能删除", exc.summary)


def _row_items(name: str, code: str, kind_text: str, kind: str, ident: int) -> list[QStandardItem]:
    items = [QStandardItem(name), QStandardItem(code), QStandardItem(kind_text)]
    items[0].setData(kind, KIND_ROLE)
    items[0].setData(ident, ID_ROLE)
    return items
