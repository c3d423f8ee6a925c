"""新增/编辑项目: every field of the spec, validated inline as the user types (the same rule
object the save and the import use). The 实施单位 list offers the chosen 主管部门 and its 单位; a
实施期 outside the project's 年度 is named under the field. 保存 goes through the service; its
change notification brings every page showing projects up to date. Closing it with changes not
saved asks first (FormDialog)."""

from __future__ import annotations

import re
from datetime import date
from typing import Optional

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from app.domain.projects import unit_choices
from app.services import projects as svc
from app.services.base_data import list_departments, list_offices
from app.services.workspace import Workspace
from ui.dialogs.form_dialog import FormDialog


class ProjectForm(FormDialog):
    def __init__(self, ws: Workspace, year: int, project_id: Optional[int] = None, parent: Optional[QWidget] = None):
        title = "编辑项目" if project_id else "新增项目"
        self._version = ""  # the version the form was filled from; a save checks it is unchanged
        super().__init__(title, lambda raw: svc.validate(raw)[1],
                         lambda raw: svc.save_project(ws, {**raw, "version": self._version}, project_id), parent,
                         what="这个项目" if project_id else "新项目")
        self.resize(620, 640)
        self.departments = list_departments(ws)
        depts = [d.display for d in self.departments]
        offices = list_offices(ws)
        for spec in svc.PROJECT_FIELDS:
            self.add_field(spec.key, spec.label, self._widget(spec.key, depts, offices), spec.required, spec.hint)
        self.widgets["department"].currentTextChanged.connect(self.offer_units)
        self._year = str(year)
        self.widgets["year"].textChanged.connect(self._year_changed)
        if project_id:
            values = svc.form_values(ws, project_id)
            self._version = values.pop("version")
            self.set_values(values)
        else:
            self.set_values({"year": str(year), "period_start": f"{year}-01", "period_end": f"{year}-12",
                             "department": "", "unit": ""})
        self._year = self.widgets["year"].text()

    def unit_list(self) -> list[str]:
        box = self.widgets["unit"]
        return [box.itemText(i) for i in range(box.count()) if box.itemText(i)]

    def offer_units(self, department: str) -> None:
        """The 实施单位 list for the chosen 主管部门: the department itself and its 单位 (every
        department and unit while none is chosen). A unit typed or chosen is kept; an empty one
        becomes the department itself (the usual case: 实施单位 same as 主管部门)."""
        box: QComboBox = self.widgets["unit"]
        typed = box.currentText()
        offered = unit_choices(self.departments, department)
        box.blockSignals(True)
        box.clear()
        box.addItem("")
        box.addItems(offered)
        box.blockSignals(False)
        known = department.strip() in offered
        value = typed if typed.strip() or not known else department.strip()
        index = box.findText(value)
        if index >= 0:
            box.setCurrentIndex(index)
        else:
            box.setEditText(value)

    def _year_changed(self, text: str) -> None:
        """A 实施期 still at the whole of the old 年度 moves with a newly typed 年度."""
        old, text = self._year, text.strip()
        if not re.fullmatch(r"\d{4}", text):
            return
        start, end = self.widgets["period_start"], self.widgets["period_end"]
        if (start.text(), end.text()) == (f"{old}-01", f"{old}-12"):
            start.setText(f"{text}-01")
            end.setText(f"{text}-12")
        self._year = text

    @staticmethod
    def _widget(key: str, depts: list[str], offices: list[str]) -> QWidget:
        if key in ("department", "unit"):
            box = QComboBox()
            box.addItem("")
            box.addItems(depts)
            box.setEditable(True)  # type to find; completion against the list
            box.setInsertPolicy(QComboBox.NoInsert)
            return box
        if key in ("fund_type", "category"):
            box = QComboBox()
            box.addItems(svc.FUND_TYPES if key == "fund_type" else svc.CATEGORIES)
            return box
        if key == "office":
            box = QComboBox()  # picked from the list: a typo must not create a new 科室
            box.addItem("")
            box.addItems(offices)
            return box
        if key == "is_key":
            return QCheckBox("是重点项目")
        edit = QLineEdit()
        if key.endswith("budget") or key in ("fiscal", "other"):
            edit.setPlaceholderText("万元，如 3201.18")
        if key == "year":
            edit.setText(str(date.today().year))
        return edit
