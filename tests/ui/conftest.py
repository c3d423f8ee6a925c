"""GUI tests must never hang on a modal dialog nobody will close: any message box or file/input
dialog a test did not expect fails the test with its text instead."""

import gc

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from ui import ops


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


@pytest.fixture(scope="session", autouse=True)
def _program_gc_policy(qapp):
    """The application as the program makes it (ui.app.make_application), with its one
    garbage-collection policy: no automatic collection, so a worker thread never destroys a Qt
    object; the GUI thread collects."""
    from ui.app import make_application

    from ui.app import settle_garbage

    assert make_application() is qapp
    yield
    settle_garbage()  # as the program does at exit (a collection after the application aborts)


@pytest.fixture(autouse=True)
def _ops_finish(qtbot):
    """Each test ends with its background ops delivered, then collects on the GUI thread."""
    yield
    qtbot.waitUntil(ops.idle, timeout=10_000)
    gc.collect()


@pytest.fixture
def settle(qtbot):
    """settle(): wait until every background op (page reads, imports, exports) has delivered its
    result on the GUI thread, and queued change notifications have reached the pages."""
    def wait(timeout: int = 10_000) -> None:
        qtbot.waitUntil(ops.idle, timeout=timeout)
        qtbot.wait(5)  # queued notifications and 0 ms reload timers
        qtbot.waitUntil(ops.idle, timeout=timeout)

    return wait


@pytest.fixture
def page_ctx(qtbot):
    """page_ctx(ws) → the PageContext a page is built with (a ChangeHub over the workspace)."""
    from ui.context import ChangeHub, PageContext

    hubs = []

    def make(ws):
        hub = ChangeHub(ws)
        hubs.append(hub)
        return PageContext(ws, hub)

    yield make
    for hub in hubs:
        hub.close()


@pytest.fixture
def stage_page(qtbot, page_ctx, settle):
    """stage_page(key, ws, year) → the registry's page of that stage, built, shown at 1300x700 on
    the year, its first read landed."""
    from app import stages
    from ui.stage_ui import build_page

    def build(key: str, ws, year: int = 2023):
        built = build_page(stages.stage(key), page_ctx(ws))
        qtbot.addWidget(built)
        built.resize(1300, 700)
        built.show()
        built.set_year(year)
        settle()
        return built

    return build
