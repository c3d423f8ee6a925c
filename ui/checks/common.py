"""What the check steps share: a failed self-test sentence, and a screenshot of a widget."""

from __future__ import annotations

from pathlib import Path


class SelfTestFailed(Exception):
    pass


def check(ok: bool, sentence: str) -> None:
    if not ok:
        raise SelfTestFailed(sentence)


def settle(seconds: float = 20) -> None:
    """Process events until every background op (page reads, exports) has delivered its result
    and the change notifications have reached the pages."""
    import time

    from PySide6.QtWidgets import QApplication

    from ui import ops

    end = time.monotonic() + seconds
    quiet = 0
    while time.monotonic() < end and quiet < 5:
        QApplication.processEvents()
        quiet = quiet + 1 if ops.idle() else 0
        if not ops.idle():
            time.sleep(0.005)


def snap(widget, path: Path) -> None:
    """Show, let it paint (background reads delivered), save the PNG, print its path."""
    widget.show()
    settle()
    widget.grab().save(str(path))
    print(path)
