"""用户管理 (系统 menu): the users of this database (用户名, 角色, 范围, 锁定至), 新增用户… and
重置密码…. Open to a 绩效科 user — or, on a database without users, to whoever creates the first
one, which must be a 绩效科 user; that user is then logged in (the program asks a login from now on).

新增用户 asks the role's scope from a list: 主管部门 a department, 预算单位 a unit (or a department's
own 本级), 财政业务科室 an 归口科室, 乡镇财政所 a township, 第三方机构 an institution; 绩效科 and 只读
see the whole county and take none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QCompleter, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout,
    QWidget,
)

from app.rules import roles as R
from app.services import agencies, base_data, users
from app.services.workspace import Workspace
from ui.dialogs.login import PasswordDialog, error_label, password_box, said
from ui.models.row_table import ModelColumn, RowTableModel
from ui.widgets import button, table_view

FIRST_USER = ("这个数据库还没有用户，打开时不需登录。建立的第一个用户须为绩效科用户（管理用户、重置密码、最终批复）；"
              "建立后即以该用户登录，以后打开这个数据库都须登录。")
SCOPE_CAPTION = {R.DEPARTMENT: "主管部门", R.UNIT: "预算单位", R.OFFICE: "归口科室", R.TOWNSHIP: "乡镇",
                 R.AGENCY: "第三方机构"}


@dataclass(frozen=True)
class UserLine:
    name: str
    role: str
    scope: str  # [213001]钢城区城市管理局, or 全县
    locked: str


COLUMNS = [ModelColumn("用户名", "name", width=120), ModelColumn("角色", "role", width=110),
           ModelColumn("范围", "scope", width=300), ModelColumn("锁定至", "locked", width=140)]


def _line(row: users.UserRow) -> UserLine:
    if not row.scope:
        scope = "全县"
    elif row.role == R.OFFICE or row.scope_label == row.scope:
        scope = row.scope
    else:
        scope = f"[{row.scope}]{row.scope_label}" if row.scope_label else row.scope
    return UserLine(row.name, row.role, scope, f"{row.locked_until:%Y-%m-%d %H:%M}" if row.locked_until else "")


def scope_choices(ws: Workspace, role: str) -> list[tuple[str, str]]:
    """(shown, code) for the role's scope list; empty for a whole-county role."""
    if role in (R.DEPARTMENT, R.UNIT):
        depts = base_data.list_departments(ws)
        kept = [d for d in depts if d.kind == "部门"] if role == R.DEPARTMENT else sorted(
            depts, key=lambda d: (d.kind != "单位", d.code))
        return [(d.display, d.code) for d in kept]
    if role == R.OFFICE:
        return [(name, name) for name in base_data.list_offices(ws)]
    if role == R.TOWNSHIP:
        return [(f"[{r.code}]{r.name}", r.code) for r in base_data.list_regions(ws) if r.level == "乡镇"]
    if role == R.AGENCY:
        return [(a.name, a.credit_code or a.name) for a in agencies.list_agencies(ws)]
    return []


class NewUserDialog(QDialog):
    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.first = not users.has_users(ws)
        self.added: Optional[users.UserRow] = None
        self.setWindowTitle("新增用户")
        self.name = QLineEdit()
        self.name.setObjectName("user_name")
        self.role = QComboBox()
        self.role.setObjectName("user_role")
        self.role.addItems([R.PERFORMANCE] if self.first else list(R.ROLES))
        self.scope = QComboBox()
        self.scope.setObjectName("user_scope")
        self.scope.setEditable(True)  # type to narrow a long list of departments
        self.scope.setInsertPolicy(QComboBox.NoInsert)
        self.scope.setMinimumWidth(340)
        completer = self.scope.completer()
        completer.setFilterMode(Qt.MatchContains)
        completer.setCompletionMode(QCompleter.PopupCompletion)
        self.scope_caption = QLabel("范围：")
        self.scope_hint = QLabel()
        self.scope_hint.setStyleSheet("color: #555;")
        self.password = password_box("user_password")
        self.again = password_box("user_again")
        self.error = error_label()
        form = QFormLayout()
        form.addRow("用户名：", self.name)
        form.addRow("角色：", self.role)
        form.addRow(self.scope_caption, self.scope)
        form.addRow("", self.scope_hint)
        form.addRow("密码：", self.password)
        form.addRow("再次输入密码：", self.again)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("保存")
        buttons.button(QDialogButtonBox.Cancel).setText("取消")
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if self.first:
            intro = QLabel(FIRST_USER)
            intro.setWordWrap(True)
            layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)
        self.role.currentTextChanged.connect(self._role_changed)
        self._role_changed(self.role.currentText())

    def _role_changed(self, role: str) -> None:
        caption = SCOPE_CAPTION.get(role)
        self.scope.clear()
        for text, code in scope_choices(self.ws, role) if caption else []:
            self.scope.addItem(text, code)
        self.scope.setEnabled(bool(caption))
        self.scope_caption.setText(f"{caption}：" if caption else "范围：")
        self.scope_hint.setText("可输入编码或名称中的字查找。" if caption else f"{role}用户可查看全县数据，不需指定范围。")
        self.scope.setCurrentIndex(0 if caption and self.scope.count() else -1)
        if not caption:
            self.scope.setEditText("")

    def scope_code(self) -> str:
        """The chosen item's code; typed text that names no item is taken as a code (the service says
        when nothing has that code)."""
        if not self.scope.isEnabled():
            return ""
        text = self.scope.currentText().strip()
        found = self.scope.findText(text)
        return self.scope.itemData(found) if found >= 0 else text

    def try_save(self) -> bool:
        if self.password.text() != self.again.text():
            self.error.setText("两次输入的密码不一致，请重新输入。")
            return False
        role, name, password = self.role.currentText(), self.name.text(), self.password.text()
        try:
            self.added = users.add_user(self.ws, name, role, self.scope_code() or None, password)
            if self.first:  # whoever made the first (绩效科) user is that user from now on
                self.ws.actor = users.login(self.ws, self.added.name, password)
        except Exception as exc:  # noqa: BLE001 - a sentence under the fields
            self.error.setText(said(exc))
            return False
        self.accept()
        return True


class UsersDialog(QDialog):
    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("用户管理")
        self.resize(760, 440)
        self.form: Optional[QDialog] = None  # the dialog opened last
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.model = RowTableModel(COLUMNS, self)
        self.view = table_view(self.model)
        self.view.horizontalHeader().setStretchLastSection(True)
        bar = QHBoxLayout()
        self.add_button = button("新增用户…", self.add, "add_user")
        self.reset_button = button("重置密码…", self.reset, "reset_password")
        for widget in (self.add_button, self.reset_button):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(button("关闭", self.accept, "close"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.view, 1)
        layout.addLayout(bar)
        self.refresh()

    def refresh(self) -> None:
        rows = users.list_users(self.ws)
        self.model.set_rows([_line(r) for r in rows])
        self.intro.setText(FIRST_USER if not rows else
                           f"共{len(rows)}个用户。每个用户一个角色；范围决定能看到和办理哪些记录。密码连续输错5次锁定15分钟，重置密码即解锁。")
        self.reset_button.setEnabled(bool(rows))

    def add(self) -> NewUserDialog:
        self.form = NewUserDialog(self.ws, self)
        self.form.accepted.connect(self.refresh)
        self.form.open()
        return self.form

    def selected_name(self) -> str:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()).name if rows else ""

    def reset(self) -> Optional[PasswordDialog]:
        name = self.selected_name()
        if not name:
            self.intro.setText("请先在表中选中要重置密码的用户。")
            return None
        self.form = PasswordDialog(self.ws, name, own=name == self.ws.actor.name, parent=self)
        self.form.accepted.connect(self.refresh)
        self.form.open()
        return self.form
