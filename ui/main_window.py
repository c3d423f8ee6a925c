"""Main window: 年度 picker, one navigation entry per registered stage (app.stages), menus for files
and the system. Pages are built from the registry with the PageContext; they refresh themselves
from change notifications (ui.context.ChangeHub), so nothing here wires one page to another."""

from __future__ import annotations

from datetime import date
from typing import Optional

from PySide6.QtCore import QSettings, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QDialog, QFileDialog, QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout,
    QWidget,
)

from app import __version__
from app.changes import Changes
from app.paths import data_dir
from app.services.projects import list_years
from app.services.workspace import Workspace
from app.stages import Stage, all_stages
from ui.context import ChangeHub, PageContext
from ui.messages import show_error
from ui.db_location import shown
from ui.stage_ui import build_page
from ui.window_users import AUDIT, EXCHANGE, FIXED_PAGES, RULE_PACK, WindowUsers


class MainWindow(WindowUsers, QMainWindow):
    database_chosen = Signal(object)  # 连接共享数据库…: the location to open instead (ui.app switches)

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.hub = ChangeHub(ws, self)
        self.ctx = PageContext(ws, self.hub)
        self._set_title()
        self.year_box = QComboBox()
        self.year_box.setObjectName("year_box")
        self.year_box.setMinimumContentsLength(8)
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setFixedWidth(120)  # room for the 工作台's counts: 事前绩效评估(12)
        self.stages: dict[str, Stage] = {}
        self.built: dict[str, QWidget] = {}  # stage pages built so far
        self._slots: dict[str, QWidget] = {}
        for stage in all_stages():
            self.stages[stage.key] = stage
            slot = self._slots[stage.key] = QWidget()
            layout = QVBoxLayout(slot)
            layout.setContentsMargins(0, 0, 0, 0)
            self.nav.addItem(stage.title)
            self.pages.addWidget(slot)
        for key in FIXED_PAGES:  # 系统 → 审计日志 / 数据交换 (no navigation entry); built when first shown
            slot = self._slots[key] = QWidget()
            QVBoxLayout(slot).setContentsMargins(0, 0, 0, 0)
            self.pages.addWidget(slot)
        for key, stage in self.stages.items():
            if not stage.page_lazy:  # the first page and the small ones: built with the window
                self.page(key)
        self.nav.currentRowChanged.connect(self._show_row)

        head = QHBoxLayout()
        head.addWidget(QLabel("年度："))
        head.addWidget(self.year_box)
        head.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.pages, 1)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(head)
        layout.addLayout(body, 1)
        self.setCentralWidget(central)
        self._menus()
        where = str(ws.db_file) if ws.db_file else shown(ws.url)  # never a password on screen
        self.statusBar().addPermanentWidget(QLabel(f"数据库：{where}" + ("（只读：另一程序正在使用，不能保存修改）"
                                                                      if ws.read_only else "")))

        self.hub.changed.connect(self._data_changed)
        self.year_box.currentIndexChanged.connect(self._year_changed)
        years = list_years(self.ws)
        self.fill_years(self._initial_year(years), years)
        self.nav.setCurrentRow(0)
        self._show_row(0)
        self.apply_actor()

    # the pages every caller reaches by name
    @property
    def projects(self):
        return self.page("projects")

    @property
    def base_data(self):
        return self.page("base_data")

    def page(self, key: str) -> QWidget:
        """The stage's page, built the first time it is asked for."""
        page = self.built.get(key)
        if page is None:
            if key == AUDIT:
                from ui.pages.audit_page import AuditPage

                page = self.built[key] = AuditPage(self.ctx)
            elif key == EXCHANGE:
                from ui.pages.exchange_page import ExchangePage

                page = self.built[key] = ExchangePage(self.ctx)
            elif key == RULE_PACK:
                from ui.pages.rule_pack_page import RulePackPage

                page = self.built[key] = RulePackPage(self.ctx)
            else:
                page = self.built[key] = build_page(self.stages[key], self.ctx)
            self._slots[key].layout().addWidget(page)
            if hasattr(page, "set_year") and self.current_year() is not None:
                page.set_year(self.current_year())
        return page

    # -- years -----------------------------------------------------------------------------
    def _initial_year(self, years: list[int]) -> int:
        saved = self.ws.get_setting("last_year")
        if saved and int(saved) in years:
            return int(saved)
        return years[-1] if years else date.today().year

    def fill_years(self, select: Optional[int], known: list[int] | None = None) -> None:
        select = date.today().year if select is None else select  # an empty picker has no year yet
        years = sorted(set(list_years(self.ws) if known is None else known) | {select, date.today().year})
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in years:
            self.year_box.addItem(f"{y}年度", y)
        self.year_box.setCurrentIndex(self.year_box.findData(select))
        self.year_box.blockSignals(False)
        self._year_changed()

    def current_year(self) -> Optional[int]:
        return self.year_box.currentData()

    def set_year(self, year: int) -> None:
        self.year_box.setCurrentIndex(self.year_box.findData(year))

    def _year_changed(self) -> None:
        year = self.current_year()
        if year is None:
            return
        if not self.ws.read_only:
            self.ws.set_setting("last_year", str(year))
        for page in self.built.values():
            if hasattr(page, "set_year"):
                page.set_year(year)

    def _data_changed(self, changes: Changes) -> None:
        """New years (an import, a project saved into another year) go into the picker."""
        if not changes.touches({"projects"}):
            return
        if set(list_years(self.ws)) - {self.year_box.itemData(i) for i in range(self.year_box.count())}:
            self.fill_years(self.current_year())

    # -- navigation ------------------------------------------------------------------------
    def _show_row(self, index: int) -> None:
        for key, slot in self._slots.items():
            if self.pages.indexOf(slot) == index:
                self.show_page(key)
                return

    def show_page(self, key: str) -> QWidget:
        """A stage page (built the first time it is shown), brought to the front on the current year."""
        page = self.page(key)
        slot = self._slots[key]
        self.pages.setCurrentWidget(slot)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(-1 if key in FIXED_PAGES else self.pages.indexOf(slot))
        self.nav.blockSignals(False)
        return page

    def show_targets(self):
        return self.show_page("targets")

    def current_key(self) -> Optional[str]:
        """The key of the page on screen (a stage's or a 系统 page's)."""
        return next((key for key, slot in self._slots.items() if self.pages.currentWidget() is slot), None)

    def open_help(self) -> "HelpWindow":
        """帮助 → 使用手册 (F1): the manual at the page for the page on screen."""
        from ui.help_window import open_help

        return open_help(self, self.current_key())

    # -- menus -----------------------------------------------------------------------------
    def _menus(self) -> None:
        def action(menu, text: str, slot, name: str) -> QAction:
            act = QAction(text, self)
            act.setObjectName(name)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        file_menu = self.menuBar().addMenu("文件(&F)")
        action(file_menu, "新建年度…", self.new_year, "act_new_year").setEnabled(not self.ws.read_only)
        file_menu.addSeparator()
        action(file_menu, "导入项目清单…", lambda: self.projects.import_file(), "act_import")
        action(file_menu, "下载项目导入模板…", self.save_template, "act_template")
        file_menu.addSeparator()
        action(file_menu, "导出项目清单（Excel）…", lambda: self.projects.export("xlsx"), "act_export_xlsx")
        action(file_menu, "导出项目清单（PDF）…", lambda: self.projects.export("pdf"), "act_export_pdf")
        action(file_menu, "年度工作情况说明…", self.year_summary, "act_year_summary")
        file_menu.addSeparator()
        action(file_menu, "连接共享数据库…", self.connect_shared, "act_connect")
        file_menu.addSeparator()
        action(file_menu, "退出", self.close, "act_quit")
        system = self.menuBar().addMenu("系统(&S)")
        action(system, "切换用户…", self.switch_user, "act_switch_user")
        action(system, "修改密码…", self.change_password, "act_password")
        action(system, "用户管理…", self.open_users, "act_users")
        action(system, "审计日志", lambda: self.show_page(AUDIT), "act_audit")
        action(system, "数据交换", lambda: self.show_page(EXCHANGE), "act_exchange")
        action(system, "规则方案", lambda: self.show_page(RULE_PACK), "act_rule_pack")
        system.addSeparator()
        action(system, "立即备份数据库…", self.backup_now, "act_backup")
        action(system, "备份与恢复…", self.open_backups, "act_backups").setEnabled(not self.ws.read_only)
        action(system, "关于", self.about, "act_about")
        help_menu = self.menuBar().addMenu("帮助(&H)")
        manual = action(help_menu, "使用手册", self.open_help, "act_help")
        manual.setShortcut("F1")  # F1 anywhere in the window: the page for the page on screen

    def close_dialogs(self) -> bool:
        """Open forms closed, each asking about its unsaved typing; False when one stays open
        (取消, or a save that did not go through: keep working)."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
                if dialog.isVisible():
                    return False
        return True

    def new_year(self) -> "NewYearDialog":
        """新建年度…: the dialog shows what will be carried; once started, the year list has the
        new year and it is shown."""
        from ui.dialogs.new_year import NewYearDialog

        dialog = NewYearDialog(self.ws, self)
        dialog.started.connect(self._year_started)
        dialog.open()
        return dialog

    def _year_started(self, year: int, sentence: str) -> None:
        self.fill_years(year)
        self.statusBar().showMessage(sentence, 15_000)

    def year_summary(self) -> "YearSummaryDialog":
        """文件 → 年度工作情况说明…: the year's 年度预算绩效工作开展情况说明 as Word, PDF or Excel."""
        from ui.dialogs.year_summary import YearSummaryDialog

        years = [self.year_box.itemData(i) for i in range(self.year_box.count())]
        dialog = YearSummaryDialog(self.ws, years, self.current_year(), self)
        dialog.open()
        return dialog

    def save_template(self) -> None:
        from ui import files

        path = files.ask_save_path(self, "保存导入模板", "项目清单导入模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            try:
                self.stages["projects"].kinds[0].template(path)
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)
            else:
                files.tell_exported(self, path)

    def backup_now(self) -> bool:
        from ui.dialogs.backup_dialog import BackupDialog

        return BackupDialog(self.ws, self).backup_now()

    def open_backups(self) -> "BackupDialog":
        from ui.dialogs.backup_dialog import BackupDialog

        dialog = BackupDialog(self.ws, self)
        dialog.restored.connect(self.after_restore)
        dialog.open()
        return dialog

    def after_restore(self) -> None:
        """Everything on screen came from the old file: the years again (the pages were told by the
        workspace's restore notification), after a login against the restored user table."""
        if not self.login_after_restore():
            return
        years = list_years(self.ws)
        self.fill_years(self._initial_year(years), years)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        from ui import ops

        if ops.writing():  # an import or export under way would be cut off, its outcome unseen
            QMessageBox.information(self, "请稍候", "正在导入或导出，请等它完成（或点“取消”）后再关闭。")
            event.ignore()
            return
        if not self.close_dialogs():
            event.ignore()
            return
        self.save_placement()
        self.hub.close()
        super().closeEvent(event)

    # -- size and place on screen (per PC: a small ini in the user data folder) ----------------
    @staticmethod
    def placement_file():
        return data_dir() / "window.ini"

    def show_placed(self) -> None:
        """Maximized the first time; after that as the user left it (size, place, maximized). Only
        a window placed this way (the program's, not a test's or a screenshot's) saves its place."""
        self._placed = True
        settings = QSettings(str(self.placement_file()), QSettings.IniFormat)
        geometry = settings.value("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.showMaximized()
            return
        if settings.value("main/maximized", False, type=bool):
            self.showMaximized()
        else:
            self.show()

    def save_placement(self) -> None:
        if not getattr(self, "_placed", False):
            return
        settings = QSettings(str(self.placement_file()), QSettings.IniFormat)
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/maximized", self.isMaximized())
        settings.sync()

    def about(self) -> None:
        QMessageBox.about(self, "关于", f"预算绩效管理 perfdesk\n版本 {__version__}\n\n"
                                      "县级财政局与乡镇财政所的预算绩效管理离线桌面程序。")
