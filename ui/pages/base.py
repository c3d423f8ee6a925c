"""What every stage page shares: the context it is built with, the year it shows, and refreshing
from change notifications — at once when the page is on screen, else the next time it is shown.

A page sets REFRESH_ON (the stage keys whose changes it shows; the registry's refresh_on is
handed in) and implements reload(), which reads in the background (ui.ops.Loader)."""

from __future__ import annotations

from typing import Iterable, Optional

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from app.changes import Changes
from ui.context import PageContext


class StagePage(QWidget):
    def __init__(self, ctx: PageContext, refresh_on: Iterable[str] = (), parent: Optional[QWidget] = None):
        super().__init__(parent)
        self.ctx = ctx
        self.ws = ctx.ws
        self.year = 0
        self.refresh_on = frozenset(refresh_on)
        self._stale = False
        self._pending = QTimer(self)  # several commits in a row (save, then submit) reload once
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._pending.timeout.connect(self.reload)
        ctx.hub.changed.connect(self._on_changes)

    def set_year(self, year: int) -> None:
        changed = year != self.year
        self.year = year
        if changed or self._stale:
            self._stale = False
            self.reload()

    def reload(self) -> None:  # pragma: no cover - every page implements it
        raise NotImplementedError

    def _on_changes(self, changes: Changes) -> None:
        if not changes.touches(self.refresh_on, self.year or None):
            return
        if self.isVisible():
            self._pending.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._stale:
            self._stale = False
            self.reload()
