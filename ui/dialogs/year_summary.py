"""文件 → 年度工作情况说明…: the work year and the format (Word / PDF / Excel); 导出… asks where to
save it and writes it in the background (ui.workers.export_to), then says where the file went."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from app.services import year_text
from app.services.workspace import Workspace
from ui.workers import export_to

FORMATS = (("docx", "Word 文档（可修改后签发）", "Word 文档 (*.docx)"), ("pdf", "PDF 文件", "PDF 文件 (*.pdf)"),
           ("xlsx", "Excel 工作簿（说明和数据）", "Excel 工作簿 (*.xlsx)"))


class YearSummaryDialog(QDialog):
    def __init__(self, ws: Workspace, years: list[int], year: Optional[int], parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.op = None
        self.setWindowTitle("年度预算绩效工作开展情况说明")
        self.year = QComboBox()
        self.year.setObjectName("summary_year")
        for y in sorted(set(years) | ({year} if year else set()), reverse=True):
            self.year.addItem(f"{y}年", y)
        if year:
            self.year.setCurrentIndex(self.year.findData(year))
        self.format = QComboBox()
        self.format.setObjectName("summary_format")
        for key, label, _ in FORMATS:
            self.format.addItem(label, key)
        form = QFormLayout(self)
        note = QLabel("按系统中该年度的记录起草说明，每个数字都列在“数据”表中可查；系统中没有记录的部分采用上报数并注明。"
                      "导出后请核对、补充文字再签发。")
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow("工作年度：", self.year)
        form.addRow("格式：", self.format)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("导出…")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def export(self, path: Optional[str] = None):
        """Ask where to save (unless `path` is given) and write in the background; the dialog closes
        once a file is chosen."""
        ws, year, fmt = self.ws, self.year.currentData(), self.format.currentData()
        pattern = next(p for key, _, p in FORMATS if key == fmt)
        parent = self.parentWidget()
        self.op = export_to(parent, path, f"{year}年度预算绩效工作开展情况说明.{fmt}", pattern,
                            lambda target, job: year_text.export(ws, year, target, fmt, job),
                            title="导出年度工作情况说明")
        if self.op is not None:
            self.accept()
        return self.op
