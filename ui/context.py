"""What every page and dialog is handed (no globals): the open workspace and the one change
signal. A service commit anywhere — a dialog's save, an import in a worker — reaches every page
through ChangeHub.changed on the GUI thread; each page refreshes what it shows from it (at once
when visible, else when next shown: see ui.pages.base.StagePage)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal, Slot

from app.changes import Changes
from app.services.workspace import Workspace


class ChangeHub(QObject):
    changed = Signal(object)  # app.changes.Changes, always emitted on the GUI thread
    _arrived = Signal(object)

    def __init__(self, ws: Workspace, parent: QObject | None = None):
        super().__init__(parent)
        self.ws = ws
        self._arrived.connect(self._hand_on, Qt.QueuedConnection)  # from any thread to this one
        self._listener = self._arrived.emit
        ws.subscribe(self._listener)
        self.destroyed.connect(lambda *_: ws.unsubscribe(self._listener))

    @Slot(object)
    def _hand_on(self, changes: Changes) -> None:
        self.changed.emit(changes)

    def close(self) -> None:
        self.ws.unsubscribe(self._listener)


@dataclass(frozen=True)
class PageContext:
    ws: Workspace
    hub: ChangeHub
