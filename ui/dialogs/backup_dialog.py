"""系统 → 备份与恢复: back up now, restore from a file or an automatic backup, and how many
automatic backups (made on exit) to keep."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog, QFormLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMessageBox, QPushButton,
    QSpinBox, QVBoxLayout, QWidget,
)

from app.services import maintenance
from app.services.workspace import Workspace
from db.backup import list_backups
from ui import files
from ui.db_location import shown as shown_url
from ui.messages import confirm, show_error

PATH_ROLE = 0x0100


class BackupDialog(QDialog):
    restored = Signal()

    def __init__(self, ws: Workspace, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ws = ws
        self.setWindowTitle("备份与恢复")
        self.resize(680, 460)
        where = QLabel(f"当前数据库：{ws.db_file or shown_url(ws.url)}")
        where.setWordWrap(True)
        self.keep = QSpinBox()
        self.keep.setRange(1, 100)
        self.keep.setValue(maintenance.exit_backup_count(ws))
        self.keep.setSuffix(" 份")
        self.keep.valueChanged.connect(lambda n: maintenance.set_exit_backup_count(ws, n))
        self.backups = QListWidget()
        form = QFormLayout()
        form.addRow("退出程序时自动备份，保留最近：", self.keep)
        buttons = QHBoxLayout()
        for text, slot, name in (("立即备份到文件…", self.backup_now, "backup_now"),
                                 ("从备份文件恢复…", self.restore_file, "restore_file"),
                                 ("恢复选中的自动备份", self.restore_selected, "restore_selected")):
            button = QPushButton(text)
            button.setObjectName(f"btn_{name}")
            button.clicked.connect(slot)
            buttons.addWidget(button)
        close = QPushButton("关闭")
        close.clicked.connect(self.accept)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(where)
        layout.addLayout(form)
        layout.addWidget(QLabel("自动备份（在数据库旁的 backups 文件夹，最新的在上）："))
        layout.addWidget(self.backups)
        layout.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.backups.clear()
        for path in list_backups(self.ws.db_file) if self.ws.db_file else []:
            stamp = datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")
            item = QListWidgetItem(f"{stamp}    {path.name}")
            item.setData(PATH_ROLE, str(path))
            self.backups.addItem(item)

    def backup_now(self, path: str | None = None) -> bool:
        if not path:
            suffix = "sqlite3" if self.ws.db_file else "backup"  # a server database: pg_dump or the portable file
            path = files.ask_save_path(self, "备份数据库到", f"perfdesk-备份-{date.today():%Y%m%d}.{suffix}",
                                       f"数据库备份 (*.{suffix})", kind="backup")
        if not path:
            return False
        try:
            maintenance.backup_to(self.ws, Path(path))
        except Exception as exc:  # noqa: BLE001
            show_error(self, exc, "备份未完成")
            return False
        QMessageBox.information(self, "备份完成", f"已备份到：{path}")
        return True

    def restore_file(self, path: str | None = None) -> bool:
        if not path:
            path = files.ask_open_path(self, "选择要恢复的备份文件", "数据库备份 (*.sqlite3 *.backup *.dump);;所有文件 (*)", kind="backup")
        return bool(path) and self._restore(Path(path))

    def restore_selected(self) -> bool:
        item = self.backups.currentItem()
        if item is None:
            QMessageBox.information(self, "恢复", "请先在列表中选中一份自动备份。")
            return False
        return self._restore(Path(item.data(PATH_ROLE)))

    def _restore(self, source: Path) -> bool:
        from ui import ops

        if not ops.idle():  # a read, import or export holds the database file
            QMessageBox.information(self, "恢复数据库", "程序正在读取或导入导出数据，请等它完成后再恢复。")
            return False
        if not confirm(self, "恢复数据库", f"用“{source.name}”替换当前数据库吗？\n当前数据库会先另存一份，之后仍可恢复回来。"):
            return False
        try:
            aside = maintenance.restore_from(self.ws, source)
        except Exception as exc:  # noqa: BLE001 - refused files change nothing; say why
            show_error(self, exc, "没有恢复")
            return False
        self.refresh()
        QMessageBox.information(self, "恢复完成", f"已恢复。恢复前的数据库另存为：{aside}")
        self.restored.emit()  # the window may ask a login again (the backup's user table) and close this
        return True
