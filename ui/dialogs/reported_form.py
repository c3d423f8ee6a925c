"""One 上报数's form: 环节 (the year's report's sections, or 其他), 数据项, 数量, 金额（万元）, 比率（%）,
来源, 原文 — checked as the user types with the service's own check; the first save creates it, an
edit carries the version the form read (the form closes on a successful save)."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from app.domain.reported import SPECS, STAGES, ReportedRow
from app.services import reported as svc
from app.services.workspace import Workspace
from ui.dialogs.form_dialog import FormDialog

SOURCES = ("省级预算绩效管理系统", "预算管理一体化系统", "年度预算绩效工作开展情况说明")
NOTE = "金额单位万元、比率单位%，都最多两位小数。系统中该环节没有记录时，年度说明采用这里的数字，并注明“上报数”和来源。"


class ReportedForm(FormDialog):
    def __init__(self, ws: Workspace, year: int, row: Optional[ReportedRow] = None, parent: Optional[QWidget] = None):
        self.ws, self.year, self.row = ws, year, row
        self.saved_id: Optional[int] = row.id if row else None
        title = f"编辑上报数（{year}年）" if row else f"新增上报数（{year}年）"
        super().__init__(title, svc.validate, self._save_raw, parent, what="这条上报数")
        for spec in SPECS:
            if spec.key == "stage":
                widget = QComboBox()
                widget.addItems(STAGES)
            elif spec.key == "source":
                widget = QComboBox()
                widget.setEditable(True)
                widget.addItems(SOURCES)
                widget.setCurrentIndex(-1)
                widget.lineEdit().setPlaceholderText("可从列表中选，也可直接填写，如“县财政局2023年度工作总结”")
            elif spec.key == "text":
                widget = QPlainTextEdit()
                widget.setFixedHeight(70)
            else:
                widget = QLineEdit()
            self.add_field(spec.key, spec.label, widget, spec.required, spec.hint)
        note = QLabel(NOTE)
        note.setWordWrap(True)
        self.form.addRow(note)
        if row:
            if row.stage not in STAGES:  # entered elsewhere under another word: shown, and named as to be chosen
                self.widgets["stage"].addItem(row.stage)
            self.set_values(row.values())
        self.resize(560, self.sizeHint().height())

    def _save_raw(self, raw: dict) -> int:
        self.saved_id = svc.save(self.ws, self.year, raw, self.row.id if self.row else None,
                                 self.row.version if self.row else None)
        return self.saved_id
