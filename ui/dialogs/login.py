"""登录 and 修改密码. A database with users asks who is working before the main window shows
(`ask_login`); a refusal (wrong password, a locked account) is the service's sentence under the
fields and the user may try again. 修改密码 asks the old password first; a 绩效科 user resetting
someone else's password (用户管理 → 重置密码) gives only the new one, twice."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget,
)

from app.errors import user_sentence
from app.logs import log
from app.rules.validation import RejectedError
from app.services import users
from app.services.workspace import Workspace
from ui.db_location import shown

ERROR_STYLE = "color: #c0392b;"


def password_box(name: str) -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.Password)
    box.setObjectName(name)
    box.setMinimumWidth(260)
    return box


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setObjectName("error")
    return label


def said(exc: BaseException) -> str:
    if not isinstance(exc, RejectedError):
        log.error("login or password change failed", exc_info=(type(exc), exc, exc.__traceback__))
    return user_sentence(exc)


class LoginDialog(QDialog):
    """用户名, 密码, 登录 / 退出. `try_login()` is the 登录 button: True once ws.actor is the user."""

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None, intro: str = ""):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("登录 — 预算绩效管理")
        where = QLabel(f"数据库：{shown(ws.db_file or ws.url)}")
        where.setWordWrap(True)
        where.setStyleSheet("color: #555;")
        self.name = QLineEdit()
        self.name.setObjectName("login_name")
        self.name.setMinimumWidth(260)
        self.password = password_box("login_password")
        self.error = error_label()
        self.error.setObjectName("login_error")
        form = QFormLayout()
        form.addRow("用户名：", self.name)
        form.addRow("密码：", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.login_button = buttons.button(QDialogButtonBox.Ok)
        self.login_button.setText("登录")
        self.login_button.setObjectName("btn_login")
        buttons.button(QDialogButtonBox.Cancel).setText("退出")
        buttons.accepted.connect(self.try_login)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(intro or "这个数据库已设用户，请登录。"))
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def try_login(self) -> bool:
        try:
            actor = users.login(self.ws, self.name.text(), self.password.text())
        except Exception as exc:  # noqa: BLE001 - every refusal is a sentence in the dialog
            self.error.setText(said(exc))
            self.password.clear()
            self.password.setFocus()
            return False
        self.ws.actor = actor
        log.info("logged in: %s", actor.title)
        self.accept()
        return True


def ask_login(ws: Workspace, parent: Optional[QWidget] = None, intro: str = "") -> bool:
    """True when the work may go on as ws.actor: a user logged in, or the database has no users
    (the computer's user acts, as on a single PC). False: the user chose 退出."""
    if not users.has_users(ws):
        return True
    return LoginDialog(ws, parent, intro).exec() == QDialog.Accepted


class PasswordDialog(QDialog):
    """修改密码 (own: 原密码 first) or 重置密码 (a 绩效科 user, for `name`): the new password twice."""

    def __init__(self, ws: Workspace, name: str, own: bool = True, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws, self.user, self.own = ws, name, own
        self.setWindowTitle("修改密码" if own else f"重置密码 — {name}")
        self.old = password_box("old_password")
        self.new = password_box("new_password")
        self.again = password_box("again_password")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("用户名：", QLabel(name))
        if own:
            form.addRow("原密码：", self.old)
        form.addRow("新密码：", self.new)
        form.addRow("再次输入新密码：", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("确定")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if not own:
            layout.addWidget(QLabel("重置后账户同时解锁。请把新密码当面告诉本人，并请其登录后自行修改。"))
        layout.addLayout(form)
        layout.addWidget(QLabel(f"密码至少{users.MIN_PASSWORD}位。"))
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def try_save(self) -> bool:
        if self.new.text() != self.again.text():
            self.error.setText("两次输入的新密码不一致，请重新输入。")
            return False
        try:
            if self.own:  # the old password first (a wrong one counts as a failed login)
                users.login(self.ws, self.user, self.old.text())
            users.set_password(self.ws, self.user, self.new.text())
        except Exception as exc:  # noqa: BLE001
            self.error.setText(said(exc))
            return False
        self.accept()
        return True
