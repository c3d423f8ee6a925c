"""Background work the way Anki's CollectionOp / QueryOp do it: start a job and return at once;
success and failure arrive as callbacks on the GUI thread; progress and cancel when asked for.
No nested event loop anywhere.

    QueryOp(page, lambda job: svc.round_rows(ws, round_id), page.show_rows).run()
    CollectionOp(page, lambda job: svc.import_file(ws, path, job), done, label="正在导入…").run()

The job is plain Python: it gets an app.jobs.JobControl, opens its own database session(s),
holds no Qt object and returns plain data. Widgets are read on the GUI thread *before* the job
starts (capture the values in the lambda, never the widget). Garbage collection follows the one
program-wide policy of ui.app (automatic collection off, the GUI thread collects on a timer), so a
worker can never destroy a Qt object from the wrong thread.

A write's changes reach every page through the workspace's listeners (ui.context.ChangeHub), not
through the op."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Callable, Generic, Optional, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.jobs import Cancelled, JobControl

T = TypeVar("T")

# Two workers: a long import does not hold up a page's read. SQLite (WAL) lets reads run beside
# one writer; a second writer waits on the busy timeout.
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="perfdesk-op")
_RUNNING: set["Op"] = set()
SHOW_PROGRESS_AFTER_MS = 400


def writing() -> bool:
    """A CollectionOp (an import, an export, a long change) is running: closing the window or
    restoring a backup now would lose or break it."""
    return any(isinstance(op, CollectionOp) for op in _RUNNING)


def idle() -> bool:
    """No op is running or waiting to deliver its result (tests wait for this)."""
    return not _RUNNING


@dataclass
class Outcome:
    result: Any = None
    error: Optional[BaseException] = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Bridge(QObject):
    """Lives on the GUI thread and is the receiver of its own signals: the worker emits, Qt queues
    the call, and the slots run on the GUI thread."""

    finished = Signal(object)
    progressed = Signal(int, int)

    def __init__(self, on_finished: Callable[[Outcome], None], on_progress: Callable[[int, int], None]):
        super().__init__()
        self._on_finished, self._on_progress = on_finished, on_progress
        self.finished.connect(self._deliver, Qt.QueuedConnection)
        self.progressed.connect(self._step, Qt.QueuedConnection)

    @Slot(object)
    def _deliver(self, outcome: Outcome) -> None:
        self._on_finished(outcome)

    @Slot(int, int)
    def _step(self, done: int, total: int) -> None:
        self._on_progress(done, total)


class Op(Generic[T]):
    """One job off the GUI thread. `success(result)` / `failure(error)` run on the GUI thread; a
    cancelled job calls neither (the user asked for it) unless `on_cancel` is given."""

    def __init__(self, parent: Optional[QWidget], work: Callable[[JobControl], T],
                 success: Optional[Callable[[T], None]] = None, *, failure: Optional[Callable[[BaseException], None]] = None,
                 label: Optional[str] = None, on_cancel: Optional[Callable[[], None]] = None):
        self.parent = parent
        self.work = work
        self._success = success
        self._failure = failure
        self._on_cancel = on_cancel
        self.label = label
        self.outcome: Optional[Outcome] = None
        self._bridge = _Bridge(self._finish, self._on_progress)
        self._progress: Optional[QProgressDialog] = None
        self.control = JobControl()

    @property
    def done(self) -> bool:
        return self.outcome is not None

    def run(self) -> "Op[T]":
        if self.label is not None:
            self._progress = _progress_dialog(self.parent, self.label, self.control)
            # shown after a moment even when the job never reports progress (QProgressDialog
            # itself only appears after a setValue)
            QTimer.singleShot(SHOW_PROGRESS_AFTER_MS, self._show_progress)
            self.control.progress = self._bridge.progressed.emit
        _RUNNING.add(self)
        _POOL.submit(self._run_in_worker)
        return self

    def _show_progress(self) -> None:
        if self._progress is not None and shiboken6.isValid(self._progress) and not self.done:
            self._progress.show()

    def _run_in_worker(self) -> None:
        outcome = Outcome()
        try:
            if self.control.cancelled:  # superseded before it started (Loader): no work at all
                raise Cancelled()
            outcome.result = self.work(self.control)
        except Cancelled:
            outcome.cancelled = True
        except BaseException as exc:  # noqa: BLE001 - handed to the GUI thread, which says it in a sentence
            outcome.error = exc
        self._bridge.finished.emit(outcome)

    def _on_progress(self, done: int, total: int) -> None:
        if self._progress is not None and shiboken6.isValid(self._progress):
            self._progress.setMaximum(max(total, 0))
            self._progress.setValue(min(done, total) if total else 0)

    def _finish(self, outcome: Outcome) -> None:
        self.outcome = outcome
        if self._progress is not None:
            if shiboken6.isValid(self._progress):
                self._progress.hide()  # before any message box the callback opens
                self._progress.deleteLater()
            self._progress = None
        try:
            if self.parent is not None and not shiboken6.isValid(self.parent):
                return  # the page or dialog that asked was closed meanwhile: nobody to tell
            if outcome.ok:
                if self._success is not None:
                    self._success(outcome.result)
            elif outcome.cancelled:
                if self._on_cancel is not None:
                    self._on_cancel()
            elif self._failure is not None:
                self._failure(outcome.error)
            else:
                from ui.messages import show_error

                show_error(self.parent, outcome.error)
        finally:
            _RUNNING.discard(self)


def _progress_dialog(parent: Optional[QWidget], label: str, control: JobControl) -> QProgressDialog:
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(SHOW_PROGRESS_AFTER_MS)  # a quick job never flashes a dialog
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.canceled.connect(control.cancel)
    return dialog


class QueryOp(Op[T]):
    """A read: no progress dialog unless a label is given; failures are told in a sentence."""


class CollectionOp(Op[T]):
    """A write (import, export, a long change) with a cancellable progress dialog; a cancel is
    told in a sentence (nothing was written)."""

    def __init__(self, parent: Optional[QWidget], work: Callable[[JobControl], T],
                 success: Optional[Callable[[T], None]] = None, *, label: str = "请稍候…",
                 failure: Optional[Callable[[BaseException], None]] = None):
        super().__init__(parent, work, success, failure=failure, label=label, on_cancel=self._told_cancelled)

    def _told_cancelled(self) -> None:
        from ui.messages import show_error

        show_error(self.parent, Cancelled())


class Loader:
    """A page's background read with only the newest answer kept: a page asks again (another
    year, another round) before the last answer came, and the stale answer is dropped."""

    def __init__(self, parent: Optional[QWidget], show: Callable[[Any], None],
                 failed: Optional[Callable[[BaseException], None]] = None):
        self.parent = parent
        self.show = show
        self.failed = failed
        self._generation = 0
        self.loading = False
        self._current: Optional[Op] = None

    def load(self, work: Callable[[JobControl], Any]) -> Op:
        """Start reading; a read still under way is cancelled (its answer would be dropped anyway:
        it must not hold up the new one in the pool)."""
        if self._current is not None and not self._current.done:
            self._current.control.cancel()
        self._generation += 1
        generation = self._generation
        self.loading = True

        def arrived(result) -> None:
            if generation == self._generation:
                self.loading = False
                self.show(result)

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
                if self.failed is not None:
                    self.failed(error)
                else:
                    from ui.messages import show_error

                    show_error(self.parent, error)

        self._current = QueryOp(self.parent, work, arrived, failure=failed).run()
        return self._current
