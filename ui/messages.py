"""How problems reach the user: a sentence in a message box; details to the log file."""

from __future__ import annotations

from typing import Callable

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


def ask_unsaved(parent: QWidget | None, what: str) -> str:
    """Closing a form with unsaved changes: 保存 / 不保存 / 取消 → "save" | "discard" | "cancel".

    `what` names the thing being edited (e.g. "监控表", "绩效目标"). Callers call it as
    `messages.ask_unsaved(...)` (module attribute), so tests can monkeypatch ui.messages.ask_unsaved."""
    box = QMessageBox(QMessageBox.Question, "尚未保存", f"{what}有未保存的修改。关闭前要保存吗？",
                      QMessageBox.NoButton, parent)
    save = box.addButton("保存", QMessageBox.AcceptRole)
    discard = box.addButton("不保存", QMessageBox.DestructiveRole)
    cancel = box.addButton("取消", QMessageBox.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    if clicked is save:
        return "save"
    if clicked is discard:
        return "discard"
    return "cancel"


def may_close(parent: QWidget | None, what: str, dirty: bool, save: Callable[[], bool]) -> bool:
    """Whether a form may close: unsaved typing asks 保存 / 不保存 / 取消 first (`ask_unsaved`);
    保存 closes only when `save()` succeeded, 取消 stays."""
    if not dirty:
        return True
    answer = ask_unsaved(parent, what)
    return answer == "discard" or (answer == "save" and save())


def confirm_step(parent: QWidget | None, title: str, sentence: str) -> bool:
    """A workflow step (submit, approve, pass, return) confirmed by a sentence saying what will
    happen, e.g. "提交后监控表不能再修改，由绩效科审核。确定提交吗？". The confirming button carries the
    title's verb; 取消 is the default. Call as `messages.confirm_step(...)` so tests can patch it."""
    box = QMessageBox(QMessageBox.Question, title, sentence, QMessageBox.NoButton, parent)
    ok = box.addButton(title.rstrip("…").rstrip("."), QMessageBox.AcceptRole)
    cancel = box.addButton("取消", QMessageBox.RejectRole)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is ok
