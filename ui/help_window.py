"""帮助 → 使用手册 (F1): the manual's pages (app/io/help_text.py) in a list on the left, the chosen
page on the right (QTextBrowser, Markdown with its screenshots), a search box that keeps the pages
holding every word typed, and 导出PDF… for the whole manual (app/io/help_pdf.py). F1 anywhere in
the main window opens the page for the page on screen. One window per main window, not modal."""

from __future__ import annotations

from typing import Optional

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSplitter, QTextBrowser,
    QVBoxLayout, QWidget,
)

from app.io import help_text


class HelpWindow(QDialog):
    def __init__(self, parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.setWindowTitle("使用手册")
        self.setWindowFlag(Qt.WindowMaximizeButtonHint, True)
        self.setModal(False)
        self.resize(1100, 700)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("help_search")
        self.search_box.setPlaceholderText("搜索：输入词语，多个词用空格分开")
        self.search_box.setClearButtonEnabled(True)
        self.pages = QListWidget()
        self.pages.setObjectName("help_pages")
        self.found = QLabel()
        self.browser = QTextBrowser()
        self.browser.setObjectName("help_browser")
        self.browser.setOpenExternalLinks(False)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._link)
        self.browser.setSearchPaths([str(help_text.help_dir())])
        self.pdf_button = QPushButton("导出PDF…")
        self.pdf_button.setObjectName("help_pdf")
        self.pdf_button.setToolTip("把整本使用手册（文字和截图）导出为A4的PDF，便于打印")
        self.pdf_button.clicked.connect(self.export_pdf)

        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search_box)
        column.addWidget(self.found)
        column.addWidget(self.pages, 1)
        column.addWidget(self.pdf_button)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.browser)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 880])
        layout = QHBoxLayout(self)
        layout.addWidget(split)

        self.current_key: str = help_text.KEYS[0]
        self.search_box.textChanged.connect(self.search)
        self.pages.currentItemChanged.connect(self._picked)
        self.search("")

    # -- pages ---------------------------------------------------------------------------------
    def listed(self) -> list[str]:
        """The keys of the pages in the list (all of them, or those the search found)."""
        return [self.pages.item(i).data(Qt.UserRole) for i in range(self.pages.count())]

    def search(self, words: str) -> list[str]:
        keys = help_text.search(words)
        self.pages.blockSignals(True)
        self.pages.clear()
        for key in keys:
            item = QListWidgetItem(help_text.title(key))
            item.setData(Qt.UserRole, key)
            self.pages.addItem(item)
        self.pages.blockSignals(False)
        if words.strip():
            self.found.setText(f"找到{len(keys)}页" if keys else "没有找到包含这些词的页面，请换个词试试。")
        else:
            self.found.setText("")
        if keys:
            self.show_key(self.current_key if self.current_key in keys else keys[0])
        if words.strip():  # the words found, marked on the page shown
            self.browser.find(words.split()[0])
        return keys

    def show_key(self, key: str) -> None:
        """Show a help page (and select it in the list when listed)."""
        self.current_key = key
        self.browser.setMarkdown(help_text.text(key))
        self.browser.verticalScrollBar().setValue(0)
        self.setWindowTitle(f"使用手册 — {help_text.title(key)}")
        for i in range(self.pages.count()):
            if self.pages.item(i).data(Qt.UserRole) == key:
                self.pages.blockSignals(True)
                self.pages.setCurrentRow(i)
                self.pages.blockSignals(False)

    def _picked(self, item: Optional[QListWidgetItem], _previous=None) -> None:
        if item is not None:
            self.show_key(item.data(Qt.UserRole))

    def _link(self, url: QUrl) -> None:
        """A link to another page (projects.md) opens it here; others are not followed."""
        name = url.path().rsplit("/", 1)[-1]
        if name.endswith(".md") and name[:-3] in help_text.KEYS:
            self.show_key(name[:-3])

    # -- PDF -----------------------------------------------------------------------------------
    def export_pdf(self, path: str = "") -> str:
        """导出PDF…: the whole manual; returns the path written ('' when not)."""
        from app.io.help_pdf import write_manual_pdf
        from ui import files
        from ui.messages import show_error

        path = path or files.ask_save_path(self, "导出使用手册", "perfdesk使用手册.pdf", "PDF 文件 (*.pdf)")
        if not path:
            return ""
        try:
            write_manual_pdf(path)
        except Exception as exc:  # noqa: BLE001 - one sentence for the user, the details in the log
            show_error(self, exc)
            return ""
        if self.isVisible():
            files.tell_exported(self, path)
        return path


def open_help(window, key: Optional[str] = None) -> HelpWindow:
    """The main window's help window (made once), showing the page for `key` (a window page key)."""
    dialog = getattr(window, "_help_window", None)
    if dialog is None:
        dialog = window._help_window = HelpWindow(window)
    dialog.search_box.blockSignals(True)
    dialog.search_box.clear()
    dialog.search_box.blockSignals(False)
    dialog.search("")
    dialog.show_key(help_text.page_for(key))
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
