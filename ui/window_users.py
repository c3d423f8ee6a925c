"""The main window's part about who is working and on which database: the title naming the user
(actor.title), the 系统 menu's 切换用户… / 修改密码… / 用户管理… / 审计日志 / 数据交换 / 规则方案 enabled for that user, the
pages' write buttons (StagePage.apply_rights; a page built later applies them when shown), and
文件 → 连接共享数据库… (the location handed to ui.app through `database_chosen`)."""

from __future__ import annotations

from typing import Optional

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog

from app import __version__
from app.changes import everything
from app.rules import roles as R
from app.rules.validation import RejectedError
from app.services import audit_log, guard, users
from app.services.actor import local_actor
from app.services.projects import list_years
from ui.messages import show_error

AUDIT = "audit"  # the fixed 审计日志 page (系统 menu), after the stages
EXCHANGE = "exchange_page"  # the fixed 数据交换 page (系统 menu): 绩效科, or anyone on a database without users
RULE_PACK = "rule_pack_page"  # the fixed 规则方案 page (系统 menu): 绩效科, or anyone on a database without users
FIXED_PAGES = (AUDIT, EXCHANGE, RULE_PACK)


class WindowUsers:
    """Mixed into MainWindow (which has ws, hub, pages, built, _slots, stages, show_page, fill_years …)."""

    def _set_title(self) -> None:
        actor = self.ws.actor
        who = f" — {actor.title}" if actor.logged_in else ""
        self.setWindowTitle(f"预算绩效管理 perfdesk {__version__}{who}" + ("（只读）" if self.ws.read_only else ""))

    def apply_actor(self) -> None:
        """The title, the menus, the pages' write buttons and the 审计日志 entry for the user now working."""
        actor = self.ws.actor
        admin = not actor.logged_in or actor.role == R.PERFORMANCE
        self._set_title()
        self.findChild(QAction, "act_switch_user").setEnabled(actor.logged_in)
        self.findChild(QAction, "act_password").setEnabled(actor.logged_in and not self.ws.read_only)
        self.findChild(QAction, "act_users").setEnabled(admin and not self.ws.read_only)
        for name in ("act_new_year", "act_backups"):
            self.findChild(QAction, name).setEnabled(admin and not self.ws.read_only)
        self.findChild(QAction, "act_backup").setEnabled(admin)  # a backup holds every record and the users
        self.findChild(QAction, "act_import").setEnabled(guard.may(actor, guard.PROJECTS, "导入"))
        for page in self.built.values():
            if hasattr(page, "apply_rights"):
                page.apply_rights(actor)
        readable = audit_log.may_read(actor)
        self.findChild(QAction, "act_audit").setEnabled(readable)
        self.findChild(QAction, "act_exchange").setEnabled(admin)
        self.findChild(QAction, "act_rule_pack").setEnabled(admin)
        shut = [key for key, open_to in ((AUDIT, readable), (EXCHANGE, admin), (RULE_PACK, admin)) if not open_to]
        if any(self.pages.currentWidget() is self._slots[key] for key in shut):
            self.show_page(next(iter(self.stages)))

    def switch_user(self) -> bool:
        """切换用户…: open forms are closed first (each asks about unsaved typing), then the login
        asks again; 退出 there closes the program. True when another (or the same) user logged in."""
        return self._login_again("请登录（切换用户）。")

    def login_after_restore(self) -> bool:
        """After a restore the user table is the backup's: whoever worked must log in again (a
        database without users: the computer's user acts, as before any login)."""
        if not users.has_users(self.ws):
            self.ws.actor = local_actor()
            self.apply_actor()
            return True
        return self._login_again("数据库已从备份恢复，用户名单可能已改变，请重新登录。", must=True)

    def _login_again(self, intro: str, must: bool = False) -> bool:
        """The login asked again, forms closed first; `must`: asked even when a form stays open."""
        from ui.dialogs import login

        if not self.close_dialogs() and not must:
            return False
        if not login.ask_login(self.ws, self, intro):
            self.close()
            return False
        self.apply_actor()
        self.hub.changed.emit(everything())  # every page reads again, within the new user's scope
        years = list_years(self.ws)
        self.fill_years(self.current_year(), years)
        return True

    def change_password(self) -> "PasswordDialog":
        from ui.dialogs.login import PasswordDialog

        dialog = PasswordDialog(self.ws, self.ws.actor.name, own=True, parent=self)
        dialog.accepted.connect(lambda: self.statusBar().showMessage("密码已修改，下次登录请用新密码。", 15_000))
        dialog.open()
        return dialog

    def open_users(self) -> "UsersDialog":
        """用户管理…; on a database without users, creating the first (绩效科) user logs it in."""
        from ui.dialogs.users_dialog import UsersDialog

        dialog = UsersDialog(self.ws, self)
        dialog.finished.connect(lambda *_: self.apply_actor())
        dialog.open()
        return dialog

    def connect_shared(self, text: Optional[str] = None) -> bool:
        """连接共享数据库…: a PostgreSQL URL (or a database file) opened in place of this one —
        asked in a small dialog unless given. ui.app opens it (and asks a login there)."""
        from ui.dialogs.first_run import ConnectDialog

        if text is None:
            dialog = ConnectDialog(self)
            if dialog.exec() != QDialog.Accepted:
                return False
            where = dialog.chosen
        else:
            try:
                where = ConnectDialog.check(text)
            except RejectedError as exc:
                show_error(self, exc, "无法连接")
                return False
        self.database_chosen.emit(where)
        return True
