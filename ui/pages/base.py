"""What every stage page shares: the context it is built with, the year it shows, and refreshing
from change notifications — at once when the page is on screen, else the next time it is shown.

A page sets REFRESH_ON (the stage keys whose changes it shows; the registry's refresh_on is
handed in) and implements reload(), which reads in the background (ui.ops.Loader).

A page's write buttons are offered only to users who may use them: RIGHTS names each (its object
name btn_<name>), the area or workflow and the actions it takes (all must be allowed, by
app.services.guard.may); apply_rights enables them for the user working — when the page is shown
and when the window says the user changed. Export, print and view buttons are not named: always on.

A list page reads through `self.loader` (a ui.ops.Loader) with `self.status` saying so: `read(work)`
starts it, `read_failed` is the Loader's failure handler, `loading` is true meanwhile;
`delete_asked(question, delete)` is the 删除 button's confirm-then-delete. EveryChangePage is a page of
no year that shows what every write leaves (审计日志, 数据交换)."""

from __future__ import annotations

from typing import Any, Callable, Iterable, Optional, Union

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton, QWidget

from app.changes import Changes
from app.services import guard
from app.services.actor import Actor
from app.rules.validation import RejectedError
from app.services.workflow import Workflow
from ui import messages
from ui.context import PageContext
from ui.ops import Loader, Op


Right = tuple[str, Workflow, Union[str, tuple[str, ...]]]  # (button name, area or workflow, action(s))
LOADING = "正在读取…"


class StagePage(QWidget):
    RIGHTS: tuple[Right, ...] = ()
    loader: Optional[Loader] = None  # a list page's background read (made by the page)

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

    def shows(self, changes: Changes) -> bool:
        """Whether the page shows what the changes touch (its REFRESH_ON stages, in its year)."""
        return changes.touches(self.refresh_on, self.year or None)

    def _on_changes(self, changes: Changes) -> None:
        if not self.shows(changes):
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

    # -- a list page's reading and deleting ---------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self.loader is not None and self.loader.loading

    def read(self, work: Callable[[Any], Any]) -> Op:
        """Read in the background (the newest answer wins), the status line saying 正在读取… meanwhile."""
        self.status.setText(LOADING)
        return self.loader.load(work)

    def _selected(self) -> int:
        """The selected row of the page's single-selection list (self.view), -1 when none is."""
        rows = self.view.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def read_failed(self, error: BaseException, title: str = "未能读取") -> None:
        self.status.setText("读取失败")
        messages.show_error(self, error, title)

    def delete_asked(self, question: str, delete: Callable[[], Any]) -> bool:
        """删除: asks the question (确定删除…吗？); a refusal is told as 不能删除. True when deleted."""
        if not messages.confirm(self, "删除", question):
            return False
        try:
            delete()
        except RejectedError as exc:
            messages.show_error(self, exc, "不能删除")
            return False
        return True


class EveryChangePage(StagePage):
    """A page of no year showing what every write leaves (审计日志, 数据交换): read the first time it is
    given a year (the year is only what an export offers first), then after any committed change."""

    _loaded_once = False

    def set_year(self, year: int) -> None:
        self.year = year
        if not self._loaded_once:
            self._loaded_once = True
            self.reload()

    def shows(self, changes: Changes) -> bool:
        return bool(changes)
