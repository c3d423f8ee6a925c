"""A form dialog whose fields show their problems inline, next to the field, as the user types.
Validation and saving are app functions; this only shows what they report."""

from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout,
    QWidget,
)

from app.rules.validation import RejectedError, Report
from ui import messages
from ui.messages import show_error

ERROR_STYLE = "color: #c0392b;"
BAD_FIELD_STYLE = "border: 1px solid #c0392b;"


def widget_text(widget: QWidget) -> Any:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QCheckBox):
        return "是" if widget.isChecked() else "否"
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    raise TypeError(type(widget))


def set_widget_text(widget: QWidget, value: str) -> None:
    if isinstance(widget, QLineEdit):
        widget.setText(value)
    elif isinstance(widget, QComboBox):
        i = widget.findText(value)
        if i >= 0:
            widget.setCurrentIndex(i)
        elif widget.isEditable():
            widget.setEditText(value)
    elif isinstance(widget, QCheckBox):
        widget.setChecked(value == "是")
    elif isinstance(widget, QPlainTextEdit):
        widget.setPlainText(value)


def _on_change(widget: QWidget, slot: Callable[[], None]) -> None:
    if isinstance(widget, QLineEdit):
        widget.textChanged.connect(slot)
    elif isinstance(widget, QComboBox):
        widget.currentTextChanged.connect(slot)
    elif isinstance(widget, QCheckBox):
        widget.toggled.connect(slot)
    elif isinstance(widget, QPlainTextEdit):
        widget.textChanged.connect(slot)


class FormDialog(QDialog):
    """Fields are added with add_field; `validate(raw) -> Report` runs on every change and shows
    problems of the fields the user has touched; `save(raw)` runs on 保存 and may raise
    RejectedError, whose report is shown inline for every field. Closing it with changes not saved
    (取消, Esc, the window's close button) asks 保存 / 不保存 / 取消 (`ui.messages.ask_unsaved`,
    naming the form's `what`); closing it unchanged asks nothing."""

    def __init__(self, title: str, validate: Callable[[dict], Report], save: Callable[[dict], Any],
                 parent: Optional[QWidget] = None, what: str = "这份表单"):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.what = what
        self._validate, self._save = validate, save
        self._saved_values: Optional[dict[str, Any]] = None  # what "unchanged" means: set by set_values or on show
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self._touched: set[str] = set()
        self._show_all = False
        self.result_value: Any = None
        self.form = QFormLayout()
        self.form.setRowWrapPolicy(QFormLayout.DontWrapRows)
        self.form.setFieldGrowthPolicy(QFormLayout.AllNonFixedFieldsGrow)
        self.summary = QLabel()
        self.summary.setStyleSheet(ERROR_STYLE)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.Save)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)

    def add_field(self, key: str, label: str, widget: QWidget, required: bool = False, tip: str = "") -> QWidget:
        box = QWidget()
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(1)
        error = QLabel()
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setVisible(False)
        error.setObjectName(f"error_{key}")
        widget.setObjectName(f"field_{key}")
        if tip:
            widget.setToolTip(tip)
        inner.addWidget(widget)
        inner.addWidget(error)
        caption = QLabel(("<span style='color:#c0392b'>*</span>" if required else "") + label + "：")
        caption.setTextFormat(Qt.RichText)
        self.form.addRow(caption, box)
        self.widgets[key], self.errors[key] = widget, error
        _on_change(widget, lambda *_args, k=key: self._changed(k))
        return widget

    def raw(self) -> dict[str, Any]:
        return {key: widget_text(w) for key, w in self.widgets.items()}

    def set_values(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            if key in self.widgets:
                set_widget_text(self.widgets[key], value)
        self._touched.clear()
        self.show_report(Report())
        self._saved_values = self.raw()

    def is_dirty(self) -> bool:
        """Whether the fields differ from what the form was filled with (or showed first)."""
        return self._saved_values is not None and self.raw() != self._saved_values

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._saved_values is None:
            self._saved_values = self.raw()
        super().showEvent(event)

    def reject(self) -> None:
        """取消, Esc and the window's close button come here: with changes not saved, ask first —
        保存 saves (and closes only when the save succeeded), 不保存 closes, 取消 stays."""
        if self.is_dirty():
            answer = messages.ask_unsaved(self, self.what)
            if answer == "save":
                self.try_save()
                return
            if answer != "discard":
                return
        super().reject()

    def error_text(self, key: str) -> str:
        return self.errors[key].text() if self.errors[key].isVisible() or self.errors[key].text() else ""

    def _changed(self, key: str) -> None:
        self._touched.add(key)
        self.show_report(self._validate(self.raw()))

    def show_report(self, report: Report) -> None:
        for key, label in self.errors.items():
            messages = report.for_field(key) if (self._show_all or key in self._touched) else []
            label.setText("；".join(messages))
            label.setVisible(bool(messages))
            self.widgets[key].setStyleSheet(BAD_FIELD_STYLE if messages else "")
        if self._show_all and not report.ok:
            self.summary.setText(f"有{len(report.problems)}处需要修改，见各项下方的红字提示。")
        else:
            self.summary.setText("")

    def try_save(self) -> None:
        self._show_all = True
        raw = self.raw()
        report = self._validate(raw)
        if not report.ok:
            self.show_report(report)
            return
        try:
            self.result_value = self._save(raw)
        except RejectedError as exc:
            if exc.report.ok:
                show_error(self, exc)
            self.show_report(exc.report)
            return
        except Exception as exc:  # noqa: BLE001 - shown as a sentence, logged in full
            show_error(self, exc)
            return
        self.accept()
