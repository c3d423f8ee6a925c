"""How problems reach the user: a sentence in a message box; details to the log file."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import is_expected, user_sentence
from app.logs import log


def show_error(parent: QWidget | None, error: BaseException, title: str = "操作未完成") -> None:
    if not is_expected(error):
        log.error("error shown to user", exc_info=(type(error), error, error.__traceback__))
    QMessageBox.warning(parent, title, user_sentence(error))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
    box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes
