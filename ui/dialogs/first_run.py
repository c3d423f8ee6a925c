"""First start with an empty database: load the demo county, start empty with our own county, or
open another database instead — a shared PostgreSQL server's URL or a database file. The last is
also 连接共享数据库… (ConnectDialog): the window then opens that database in place of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QRadioButton,
    QVBoxLayout, QWidget,
)

from app.rules.validation import RejectedError
from app.services.base_data import save_region
from app.services.demo import load_demo
from app.services.workspace import Workspace
from ui.db_location import EXAMPLE, is_url, location, url_problem
from ui.messages import show_error

DB_FILES = "数据库文件 (*.sqlite3 *.sqlite *.db);;所有文件 (*)"


def check_location(text: str) -> Union[str, Path]:
    """The database a typed URL or path names, or RejectedError saying what to type."""
    text = (text or "").strip()
    if not text:
        raise RejectedError(f"请填写共享数据库的地址（如 {EXAMPLE}），或选择一个数据库文件。")
    if is_url(text):
        problem = url_problem(text)
        if problem:
            raise RejectedError(problem)
        return location(text)
    if "://" in text:
        raise RejectedError(f"只能连接PostgreSQL共享数据库，地址应以 postgresql:// 开头，如 {EXAMPLE}。")
    path = Path(text).expanduser()
    if not path.is_file():
        raise RejectedError(f"找不到数据库文件“{path}”。请检查路径，或点“浏览…”选择文件。")
    return path


def location_row(parent: QWidget, edit: QLineEdit) -> QHBoxLayout:
    """The address box with its 浏览… button (which fills in a database file's path)."""
    from ui import files

    edit.setPlaceholderText(EXAMPLE)
    edit.setMinimumWidth(380)
    browse = QPushButton("浏览…")
    browse.setObjectName("btn_browse_db")

    def pick() -> None:
        path = files.ask_open_path(parent, "选择数据库文件", DB_FILES, kind="database")
        if path:
            edit.setText(path)

    browse.clicked.connect(lambda *_: pick())
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    row.addWidget(browse)
    return row


class ConnectDialog(QDialog):
    """连接共享数据库…: the URL (postgresql://用户名@服务器:端口/数据库名) or a file; `chosen` once accepted."""

    check = staticmethod(check_location)

    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("连接共享数据库")
        self.chosen: Union[str, Path, None] = None
        self.where = QLineEdit()
        self.where.setObjectName("db_location")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        intro = QLabel(f"填写共享数据库（PostgreSQL）的地址，如 {EXAMPLE}；也可以选择一个数据库文件。\n"
                       "连接后本窗口改用那个数据库；那里已设用户时须登录。")
        intro.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("连接")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(location_row(self, self.where))
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_accept(self) -> bool:
        try:
            self.chosen = check_location(self.where.text())
        except RejectedError as exc:
            self.error.setText(exc.summary)
            return False
        self.accept()
        return True


class FirstRunDialog(QDialog):
    def __init__(self, ws: Workspace, parent: QWidget | None = None):
        super().__init__(parent)
        self.ws = ws
        self.chosen: Union[str, Path, None] = None  # another database to open instead of this one
        self.setWindowTitle("欢迎使用预算绩效管理")
        intro = QLabel("这是一个新的数据库。请选择如何开始：")
        self.demo = QRadioButton("载入演示县数据（五份2023年县级报告中的项目、部门和评价结果，可随时换新库）")
        self.empty = QRadioButton("新建空白数据库，从本级区划开始")
        self.other = QRadioButton("连接共享数据库（PostgreSQL），或打开已有的数据库文件")
        self.demo.setChecked(True)
        group = QButtonGroup(self)
        for button in (self.demo, self.empty, self.other):
            group.addButton(button)
        self.region_name = QLineEdit()
        self.region_name.setPlaceholderText("如：钢城区")
        self.region_code = QLineEdit()
        self.region_code.setPlaceholderText("6位区划代码，如：370117")
        self.where = QLineEdit()
        self.where.setObjectName("db_location")
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        self.error.setWordWrap(True)
        form = QFormLayout()
        form.addRow("本级区划名称：", self.region_name)
        form.addRow("区划代码：", self.region_code)
        self.where_row = location_row(self, self.where)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("开始")
        buttons.button(QDialogButtonBox.Cancel).setText("退出")
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for w in (intro, self.demo, self.empty):
            layout.addWidget(w)
        layout.addLayout(form)
        layout.addWidget(self.other)
        layout.addLayout(self.where_row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        for button in (self.demo, self.empty, self.other):
            button.toggled.connect(self._toggle)
        self._toggle()

    def _toggle(self) -> None:
        for w in (self.region_name, self.region_code):
            w.setEnabled(self.empty.isChecked())
        for i in range(self.where_row.count()):
            self.where_row.itemAt(i).widget().setEnabled(self.other.isChecked())

    def start(self) -> None:
        try:
            if self.other.isChecked():
                self.chosen = check_location(self.where.text())
            elif self.demo.isChecked():
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
