"""Choosing files and telling where an export went.

`ask_open_path` / `ask_save_path` open Qt's file dialog (in Chinese: ui.app.install_translations) in
the folder the user last used for that kind of file, or in their 文档 folder the first time; the
folder is remembered per kind in a small file in the data folder (it is the user's habit, not the
database's). Both return "" when the user cancels. They call QFileDialog's static functions, so a
test answers them by patching QFileDialog.getOpenFileName / getSaveFileName.

`ExportedDialog` says where an exported file went, with 打开文件 and 打开所在文件夹."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Optional

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from app.logs import log
from app.paths import data_dir

FOLDERS_FILE = "folders.json"  # {kind: folder last used}


def _folders_file() -> Path:
    return data_dir() / FOLDERS_FILE


def _remembered() -> dict[str, str]:
    try:
        data = json.loads(_folders_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}


def documents_folder() -> Path:
    """The user's 文档 folder (their home when the system names none or it is missing)."""
    found = QStandardPaths.writableLocation(QStandardPaths.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


def start_folder(kind: str) -> Path:
    """Where a file dialog for `kind` opens: the folder last used for it, else 文档."""
    folder = _remembered().get(kind)
    if folder and Path(folder).is_dir():
        return Path(folder)
    return documents_folder()


def remember_folder(kind: str, path: str | os.PathLike) -> None:
    """Remember the folder of a chosen file for the next dialog of this kind (best effort)."""
    folders = _remembered()
    folders[kind] = os.path.dirname(os.path.abspath(path))
    try:
        _folders_file().write_text(json.dumps(folders, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError as exc:  # a read-only data folder only loses the convenience
        log.warning("cannot remember the folder for %s: %s", kind, exc)


_SUFFIX = re.compile(r"\(\*(\.[A-Za-z0-9]+)")


def _with_suffix(path: str, chosen_filter: str, filters: str) -> str:
    """A new name typed without an extension gets the one of the file type chosen in the dialog
    (an existing file keeps its name: it is what the user picked)."""
    if Path(path).suffix or os.path.lexists(path):
        return path
    found = _SUFFIX.search(chosen_filter or "") or _SUFFIX.search(filters or "")
    return path + found.group(1) if found else path


def ask_open_path(parent: Optional[QWidget], caption: str, filters: str, kind: str = "import") -> str:
    """A file to read (an import, a backup to restore); "" when cancelled."""
    path, _ = QFileDialog.getOpenFileName(parent, caption, str(start_folder(kind)), filters)
    if path:
        remember_folder(kind, path)
    return path or ""


def ask_save_path(parent: Optional[QWidget], caption: str, suggested_name: str, filters: str,
                  kind: str = "export") -> str:
    """A file to write, offered as `suggested_name` in the start folder; "" when cancelled."""
    start = start_folder(kind) / Path(suggested_name).name
    path, chosen = QFileDialog.getSaveFileName(parent, caption, str(start), filters)
    if not path:
        return ""
    path = _with_suffix(path, chosen, filters)
    remember_folder(kind, path)
    return path


def open_file(path: str | os.PathLike) -> bool:
    """Open a file (or folder) with the program the system chose for it."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(os.path.abspath(path)))


class ExportedDialog(QDialog):
    """"已导出到：…" with 打开文件, 打开所在文件夹 and 关闭. Opened with .open() (never blocks)."""

    def __init__(self, path: str | os.PathLike, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.path = Path(os.path.abspath(path))  # as the user chose it (a link stays the link)
        self.setWindowTitle("导出完成")
        self.setAttribute(Qt.WA_DeleteOnClose)
        self.sentence = f"已导出到：{self.path}"
        label = QLabel(self.sentence)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        buttons = QDialogButtonBox(self)
        self.open_button: QPushButton = buttons.addButton("打开文件", QDialogButtonBox.ActionRole)
        self.folder_button: QPushButton = buttons.addButton("打开所在文件夹", QDialogButtonBox.ActionRole)
        self.close_button: QPushButton = buttons.addButton("关闭", QDialogButtonBox.RejectRole)
        self.open_button.clicked.connect(self.open_exported)
        self.folder_button.clicked.connect(self.open_folder)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(buttons)
        self.open_button.setDefault(True)

    def open_exported(self) -> None:
        open_file(self.path)
        self.accept()

    def open_folder(self) -> None:
        open_file(self.path.parent)
        self.accept()


def tell_exported(parent: Optional[QWidget], path: str | os.PathLike) -> ExportedDialog:
    """Say where the file went (non-blocking); returns the open dialog."""
    dialog = ExportedDialog(path, parent)
    dialog.open()
    return dialog
