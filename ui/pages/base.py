"""What every stage page shares: the context it is built with, the year it shows, and refreshing
from change notifications — at once when the page is on screen, else the next time it is shown.

A page sets REFRESH_ON (the stage keys whose changes it shows; the registry's refresh_on is
handed in) and implements reload(), which reads in the background (ui.ops.Loader).

A page's write buttons are offered only to users who may use them: RIGHTS names each (its object
name btn_<name>), the area or workflow and the actions it takes (all must be allowed, by
app.services.guard.may); apply_rights enables them for the user working — when the page is shown
and when the window says the user changed. Export, print and view buttons are not named: always on."""

from __future__ import annotations

from typing import Iterable, Optional, Union

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from app.changes import Changes
from app.services import guard
from app.services.actor import Actor
from app.services.workflow import Workflow
from ui.context import PageContext


Right = tuple[str, Workflow, Union[str, tuple[str, ...]]]  # (button name, area or workflow, action(s))


class StagePage(QWidget):
    RIGHTS: tuple[Right, ...] = ()

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
        self._allowed: dict[str, bool] = {}
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

    def apply_rights(self, actor: Actor) -> None:
        """Enable each RIGHTS button when the actor may take its actions (a page with more conditions
        on a button overrides this and asks `allowed`)."""
        self._allowed = {}
        for name, area, actions in self.RIGHTS:
            actions = (actions,) if isinstance(actions, str) else actions
            self._allowed[name] = all(guard.may(actor, area, action) for action in actions)
            for widget in self.findChildren(QPushButton, f"btn_{name}"):
                if widget.window() is self.window():  # not a same-named button in a form opened from here
                    widget.setEnabled(self._allowed[name])

    def allowed(self, name: str) -> bool:
        """Whether the user working may use the RIGHTS button `name` (as last applied)."""
        return self._allowed.get(name, True)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.apply_rights(self.ws.actor)
        if self._stale:
            self._stale = False
            self.reload()
