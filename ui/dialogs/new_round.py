"""开启监控批次: the month the round runs to, its name and the reporting deadline."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateEdit, QDialog, QDialogButtonBox, QFormLayout, QLineEdit, QSpinBox, QWidget


class NewRoundDialog(QDialog):
    """开启监控批次: 截至月份, 名称 (1-M月 by default), 报送截止日期."""

    def __init__(self, year: int, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle(f"开启{year}年监控批次")
        self.month = QSpinBox()
        self.month.setRange(1, 12)
        self.month.setValue(8)
        self.month.setSuffix(" 月")
        self.name = QLineEdit()
        self.name.setPlaceholderText("不填则为“1-8月”")
        self.deadline = QDateEdit(QDate.currentDate().addDays(15))
        self.deadline.setCalendarPopup(True)
        self.deadline.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout(self)
        form.addRow("截至月份：", self.month)
        form.addRow("批次名称：", self.name)
        form.addRow("报送截止日期：", self.deadline)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self):
        return self.month.value(), self.name.text(), self.deadline.date().toPython()
