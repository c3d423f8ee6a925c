"""Long work off the GUI thread: a progress dialog that can cancel, results back on the GUI thread.
The job function gets an app.jobs.JobControl and opens its own database session(s)."""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QThread, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.jobs import Cancelled, JobControl


@dataclass
class JobOutcome:
    result: Any = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def ok(self) -> bool:
        return self.error is None and not self.cancelled


class _Worker(QObject):
    progressed = Signal(int, int)
    done = Signal(object)

    def __init__(self, fn: Callable[[JobControl], Any]):
        super().__init__()
        self.fn = fn
        self.control = JobControl(progress=lambda d, t: self.progressed.emit(d, t))

    def run(self) -> None:
        outcome = JobOutcome()
        try:
            outcome.result = self.fn(self.control)
        except Cancelled:
            outcome.cancelled = True
        except BaseException as exc:  # handed to the GUI thread, which shows a sentence
            outcome.error = exc
        self.done.emit(outcome)


def run_job(parent: QWidget | None, label: str, fn: Callable[[JobControl], Any]) -> JobOutcome:
    """Runs fn in a worker thread while a cancellable progress dialog shows; returns when done.

    Python's garbage collector is paused while the worker runs: a collection started in the worker
    would destroy unreachable Qt objects from the wrong thread and crash the program. The GUI
    thread collects once the job is over."""
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run_job(parent, label, fn)
    finally:
        if gc_was_enabled:
            gc.enable()
        gc.collect()


def _run_job(parent: QWidget | None, label: str, fn: Callable[[JobControl], Any]) -> JobOutcome:
    dialog = QProgressDialog(label, "取消", 0, 0, parent)
    dialog.setWindowTitle("请稍候")
    dialog.setWindowModality(Qt.WindowModal)
    dialog.setMinimumDuration(300)
    thread = QThread()
    worker = _Worker(fn)
    worker.moveToThread(thread)
    loop = QEventLoop()
    box: list[JobOutcome] = []

    def on_progress(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 0))
        dialog.setValue(min(done, total) if total else 0)

    def on_done(outcome: JobOutcome) -> None:
        box.append(outcome)
        loop.quit()

    worker.progressed.connect(on_progress, Qt.QueuedConnection)
    worker.done.connect(on_done, Qt.QueuedConnection)
    dialog.canceled.connect(worker.control.cancel)
    thread.started.connect(worker.run)
    thread.start()
    if not box:
        loop.exec()
    thread.quit()
    thread.wait()
    dialog.reset()
    dialog.deleteLater()
    return box[0]


def run_export(parent: QWidget | None, label: str, fn: Callable[[JobControl], Any]) -> bool:
    """An export off the GUI thread; a failure or a cancel is told in a sentence. True when written."""
    from ui.messages import show_error

    outcome = run_job(parent, label, fn)
    if not outcome.ok:
        show_error(parent, outcome.error or Cancelled())
    return outcome.ok
