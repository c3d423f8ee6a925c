"""The cells an import refused, as a table the user can export to Excel and fix from."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout

from app.rules.validation import CellProblem
from ui import files
from ui.messages import show_error
from ui.models.row_table import ModelColumn, RowTableModel
from ui.widgets import button, table_view


@dataclass(frozen=True)
class _Row:
    sheet: str
    row: int
    header: str
    expected: str
    actual: str


COLUMNS = [ModelColumn("工作表", "sheet"), ModelColumn("行号", "row", "int"), ModelColumn("列", "header"),
           ModelColumn("实际值", "actual"), ModelColumn("应为", "expected")]  # the long text last, stretched


class ImportReportDialog(QDialog):
    def __init__(self, summary: str, cells: list[CellProblem], parent=None):
        super().__init__(parent)
        self.setWindowTitle("导入未完成 — 错误清单")
        self.resize(1000, 460)
        self.cells = cells
        self.model = RowTableModel(COLUMNS, self)
        self.model.set_rows([_Row(c.sheet, c.row, c.header, c.expected, c.actual) for c in cells])
        self.view = table_view(self.model, sort_column=None)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.resizeColumnsToContents()
        head = QLabel(summary)
        head.setWordWrap(True)
        export = button("导出错误清单…", self.export, "export_errors")
        close = button("关闭", self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(export)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(self.view)
        layout.addLayout(buttons)

    def export(self, path: str | None = None) -> None:
        if not path:
            path = files.ask_save_path(self, "导出错误清单", "导入错误清单.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            from app.io.xlsx import write_problems  # openpyxl on first use

            try:
                write_problems(path, self.cells)
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
            else:
                self.told = files.tell_exported(self, path)
