"""One training session's form: 培训日期, 培训主题, 主办单位, 参训人次, 参训单位, 备注 — checked as the
user types with the service's own check (the date within the page's year, 人次 a positive whole
number); the first save creates the session, an edit carries the version the form read
(the form closes on a successful save)."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from app.domain.training import SPECS, TrainingRow
from app.services import training as svc
from app.services.workspace import Workspace
from ui.dialogs.form_dialog import FormDialog


class TrainingForm(FormDialog):
    def __init__(self, ws: Workspace, year: int, row: Optional[TrainingRow] = None, parent: Optional[QWidget] = None):
        self.ws, self.year, self.row = ws, year, row
        self.saved_id: Optional[int] = row.id if row else None
        title = f"编辑培训（{year}年）" if row else f"新增培训（{year}年）"
        super().__init__(title, lambda raw: svc.validate(raw, year), self._save_raw, parent, what="这次培训")
        for spec in SPECS:
            widget = QPlainTextEdit() if spec.key in ("units", "note") else QLineEdit()
            if isinstance(widget, QPlainTextEdit):
                widget.setFixedHeight(60)
            elif spec.key == "held_on":
                widget.setPlaceholderText(f"如{year}-10-15")
            self.add_field(spec.key, spec.label, widget, spec.required, spec.hint)
        if row:
            self.set_values(row.values())
        self.resize(520, self.sizeHint().height())

    def _save_raw(self, raw: dict) -> int:
        self.saved_id = svc.save(self.ws, self.year, raw, self.row.id if self.row else None,
                                 self.row.version if self.row else None)
        return self.saved_id
