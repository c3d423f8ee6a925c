"""First start with an empty database: load the demo county, or start empty with our own county."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWidget,
)

from app.rules.validation import RejectedError
from app.services.base_data import save_region
from app.services.demo import load_demo
from app.services.workspace import Workspace
from ui.messages import show_error


class FirstRunDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("欢迎使用预算绩效管理")
        intro = QLabel("这是一个新的数据库。请选择如何开始：")
        self.demo = QRadioButton("载入演示县数据（五份2023年县级报告中的项目、部门和评价结果，可随时换新库）")
        self.empty = QRadioButton("新建空白数据库，从本级区划开始")
        self.demo.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.demo)
        group.addButton(self.empty)
        self.region_name = QLineEdit()
        self.region_name.setPlaceholderText("如：钢城区")
        self.region_code = QLineEdit()
        self.region_code.setPlaceholderText("6位区划代码，如：370117")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        form = QFormLayout()
        form.addRow("本级区划名称：", self.region_name)
        form.addRow("区划代码：", self.region_code)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("开始")
        buttons.button(QDialogButtonBox.Cancel).setText("退出")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.demo, self.empty):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.demo.toggled.connect(self._toggle)
        self._toggle()

    def _toggle(self) -> None:
        for w in (self.region_name, self.region_code):
            w.setEnabled(self.empty.isChecked())

    def start(self) -> None:
        try:
            if self.demo.isChecked():
                load_demo(self.ws)
            else:
                save_region(self.ws, {"code": self.region_code.text(), "name": self.region_name.text(), "level": "县级"})
                self.ws.set_setting("home_region", self.region_code.text().strip())
        except RejectedError as exc:
            self.error.setText("；".join(p.message for p in exc.report.problems) or exc.summary)
            return
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc)
            return
        self.accept()
