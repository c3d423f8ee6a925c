"""GUI tests must never hang on a modal dialog nobody will close: any message box or file/input
dialog a test did not expect fails the test with its text instead."""

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox


class UnexpectedDialog(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _no_unexpected_dialogs(monkeypatch):
    def refuse(kind):
        def raiser(*args, **_kw):
            texts = [a for a in args if isinstance(a, str)]
            raise UnexpectedDialog(f"unexpected {kind}: {texts}")

        return raiser

    for name in ("warning", "information", "critical", "question", "about"):
        monkeypatch.setattr(QMessageBox, name, refuse(f"QMessageBox.{name}"))
    monkeypatch.setattr(QMessageBox, "exec", refuse("QMessageBox.exec"))
    for name in ("getOpenFileName", "getSaveFileName", "getExistingDirectory"):
        monkeypatch.setattr(QFileDialog, name, refuse(f"QFileDialog.{name}"))
    monkeypatch.setattr(QInputDialog, "getText", refuse("QInputDialog.getText"))
