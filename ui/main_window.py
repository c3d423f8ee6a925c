"""Main window: 年度 picker, page navigation, menus for files and the system."""

from __future__ import annotations

from datetime import date
from typing import Optional

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QListWidget, QMainWindow, QMessageBox, QStackedWidget, QVBoxLayout,
    QWidget,
)

from app import __version__
from app.io.projects_io import write_template
from app.services.projects import list_years
from app.services.workspace import Workspace
from ui.messages import show_error
from ui.pages.base_data_page import BaseDataPage
from ui.pages.projects_page import ProjectsPage


def _targets_page(ws):
    from ui.pages.targets_page import TargetsPage
    return TargetsPage(ws)


def _monitoring_page(ws):
    from ui.pages.monitoring_page import MonitoringPage
    return MonitoringPage(ws)


def _library_page(ws):
    from ui.pages.library_page import LibraryPage
    return LibraryPage(ws)


# stage pages built on first view (plain imports, so the frozen build finds them)
LAZY_PAGES = {"targets": _targets_page, "monitoring": _monitoring_page, "library": _library_page}


class MainWindow(QMainWindow):
    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle(f"预算绩效管理 perfdesk {__version__}")
        self.year_box = QComboBox()
        self.year_box.setObjectName("year_box")
        self.year_box.setMinimumContentsLength(8)
        self.projects = ProjectsPage(ws)
        self.base_data = BaseDataPage(ws)
        self.pages = QStackedWidget()
        self.nav = QListWidget()
        self.nav.setFixedWidth(96)
        # stage pages are built on first view: the first window does not pay for them
        self.lazy: dict[str, Optional[QWidget]] = {name: None for name in LAZY_PAGES}
        self._slots = {name: QWidget() for name in LAZY_PAGES}
        for title, page in (("项目库", self.projects), ("绩效目标", self._slots["targets"]),
                            ("运行监控", self._slots["monitoring"]), ("指标库", self._slots["library"]),
                            ("基础数据", self.base_data)):
            self.nav.addItem(title)
            self.pages.addWidget(page)
        self.nav.currentRowChanged.connect(self._show_page)

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
        where = str(ws.db_file) if ws.db_file else ws.url
        self.statusBar().addPermanentWidget(QLabel(f"数据库：{where}"))

        self.projects.changed.connect(self._data_changed)
        self.base_data.changed.connect(self.projects.reload)  # department names and the filter list
        self.year_box.currentIndexChanged.connect(self._year_changed)
        years = list_years(self.ws)
        self.fill_years(self._initial_year(years), years)
        self.nav.setCurrentRow(0)

    # -- years -----------------------------------------------------------------------------
    def _initial_year(self, years: list[int]) -> int:
        saved = self.ws.get_setting("last_year")
        if saved and int(saved) in years:
            return int(saved)
        return years[-1] if years else date.today().year

    def fill_years(self, select: int, known: list[int] | None = None) -> None:
        years = sorted(set(list_years(self.ws) if known is None else known) | {select, date.today().year})
        self.year_box.blockSignals(True)
        self.year_box.clear()
        for y in years:
            self.year_box.addItem(f"{y}年度", y)
        self.year_box.setCurrentIndex(self.year_box.findData(select))
        self.year_box.blockSignals(False)
        self._year_changed()

    def current_year(self) -> int:
        return self.year_box.currentData()

    def set_year(self, year: int) -> None:
        self.year_box.setCurrentIndex(self.year_box.findData(year))

    def _year_changed(self) -> None:
        year = self.current_year()
        if year is None:
            return
        self.ws.set_setting("last_year", str(year))
        self.projects.set_year(year)
        for name, slot in self._slots.items():
            page = self.lazy[name]
            if page is not None and self.pages.currentWidget() is slot and hasattr(page, "set_year"):
                page.set_year(year)

    def _data_changed(self) -> None:
        """The projects page has reloaded itself; new years go into the picker."""
        if set(list_years(self.ws)) - {self.year_box.itemData(i) for i in range(self.year_box.count())}:
            self.fill_years(self.current_year())

    def _show_page(self, index: int) -> None:
        for name, slot in self._slots.items():
            if self.pages.widget(index) is slot:
                self.show_page(name)
                return
        self.pages.setCurrentIndex(index)
        if self.pages.currentWidget() is self.base_data:
            self.base_data.reload()

    def show_page(self, name: str) -> QWidget:
        """A stage page (built the first time it is shown), brought to the front on the current year."""
        page = self.lazy[name]
        if page is None:
            page = self.lazy[name] = LAZY_PAGES[name](self.ws)
            layout = QVBoxLayout(self._slots[name])
            layout.setContentsMargins(0, 0, 0, 0)
            layout.addWidget(page)
        slot = self._slots[name]
        self.pages.setCurrentWidget(slot)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(self.pages.indexOf(slot))
        self.nav.blockSignals(False)
        if hasattr(page, "set_year"):
            page.set_year(self.current_year())
        return page

    def show_targets(self):
        return self.show_page("targets")

    # -- menus -----------------------------------------------------------------------------
    def _menus(self) -> None:
        def action(menu, text: str, slot, name: str) -> QAction:
            act = QAction(text, self)
            act.setObjectName(name)
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        file_menu = self.menuBar().addMenu("文件(&F)")
        action(file_menu, "导入项目清单…", lambda: self.projects.import_file(), "act_import")
        action(file_menu, "下载项目导入模板…", self.save_template, "act_template")
        file_menu.addSeparator()
        action(file_menu, "导出项目清单（Excel）…", lambda: self.projects.export("xlsx"), "act_export_xlsx")
        action(file_menu, "导出项目清单（PDF）…", lambda: self.projects.export("pdf"), "act_export_pdf")
        file_menu.addSeparator()
        action(file_menu, "退出", self.close, "act_quit")
        system = self.menuBar().addMenu("系统(&S)")
        action(system, "立即备份数据库…", self.backup_now, "act_backup")
        action(system, "备份与恢复…", self.open_backups, "act_backups")
        action(system, "关于", self.about, "act_about")

    def save_template(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "保存导入模板", "项目清单导入模板.xlsx", "Excel 工作簿 (*.xlsx)")
        if path:
            try:
                write_template(path)
            except Exception as exc:  # noqa: BLE001
                show_error(self, exc)

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
        """Everything on screen came from the old file: read it all again."""
        years = list_years(self.ws)
        self.fill_years(self._initial_year(years), years)
        self.base_data.reload()

    def about(self) -> None:
        QMessageBox.about(self, "关于", f"预算绩效管理 perfdesk\n版本 {__version__}\n\n"
                                      "县级财政局与乡镇财政所的预算绩效管理离线桌面程序。")

