"""新增/编辑项目: every field of the spec, validated inline as the user types (the same rule
object the save and the import use). 保存 goes through the service; its change notification
brings every page showing projects up to date."""

from __future__ import annotations

from datetime import date
from typing import Optional

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from app.services import projects as svc
from app.services.base_data import list_departments, list_offices
from app.services.workspace import Workspace
from ui.dialogs.form_dialog import FormDialog


class ProjectForm(FormDialog):
    def __init__(self, ws: Workspace, year: int, project_id: Optional[int] = None, parent: Optional[QWidget] = None):
        title = "编辑项目" if project_id else "新增项目"
        self._version = ""  # the version the form was filled from; a save checks it is unchanged
        super().__init__(title, lambda raw: svc.validate(raw)[1],
                         lambda raw: svc.save_project(ws, {**raw, "version": self._version}, project_id), parent)
        self.resize(620, 640)
        depts = [d.display for d in list_departments(ws)]
        offices = list_offices(ws)
        for spec in svc.PROJECT_FIELDS:
            self.add_field(spec.key, spec.label, self._widget(spec.key, depts, offices), spec.required, spec.hint)
        if project_id:
            values = svc.form_values(ws, project_id)
            self._version = values.pop("version")
            self.set_values(values)
        else:
            self.set_values({"year": str(year), "period_start": f"{year}-01", "period_end": f"{year}-12",
                             "department": "", "unit": ""})

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
