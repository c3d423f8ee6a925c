"""How problems reach the user: a sentence in a message box; details to the log file."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from app.jobs import Cancelled
from app.logs import log
from app.rules.validation import RejectedError
from db.errors import DatabaseProblem


def sentence_for(error: BaseException) -> str:
    if isinstance(error, RejectedError):
        return error.summary
    if isinstance(error, DatabaseProblem):
        return error.message
    if isinstance(error, Cancelled):
        return "已取消，没有写入任何数据。"
    if isinstance(error, PermissionError):
        return f"没有权限写入“{error.filename}”。如果文件正在Excel中打开，请先关闭它再试。"
    if isinstance(error, OSError):
        return f"无法读写文件“{error.filename or ''}”。请检查路径是否存在、磁盘是否已满。"
    return "操作没有完成，发生了意外错误。详细信息已写入日志文件，请把日志交给技术支持。"


def show_error(parent: QWidget | None, error: BaseException, title: str = "操作未完成") -> None:
    if not isinstance(error, (RejectedError, Cancelled)):
        log.error("error shown to user", exc_info=(type(error), error, error.__traceback__))
    QMessageBox.warning(parent, title, sentence_for(error))


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    box = QMessageBox(QMessageBox.Question, title, text, QMessageBox.Yes | QMessageBox.No, parent)
    box.setDefaultButton(QMessageBox.No)
    return box.exec() == QMessageBox.Yes
