"""Imports and exports off the GUI thread (ui.ops.CollectionOp with its cancellable progress
dialog). Both return the running op at once; what follows arrives as callbacks on the GUI thread."""

from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtWidgets import QWidget

from app.jobs import JobControl
from app.rules.validation import RejectedError
from ui.ops import CollectionOp


def run_export(parent: Optional[QWidget], label: str, work: Callable[[JobControl], Any],
               done: Optional[Callable[[Any], None]] = None) -> CollectionOp:
    """An export; a failure or a cancel is told in a sentence, `done(result)` follows a success."""
    return CollectionOp(parent, work, done, label=label).run()


class ImportOp(CollectionOp):
    """An import: cells the file got wrong open the error list (`report`, the open dialog);
    any other problem is told in a sentence; `done(result)` follows a landed import."""

    def __init__(self, parent: Optional[QWidget], label: str, work: Callable[[JobControl], Any],
                 done: Optional[Callable[[Any], None]] = None):
        super().__init__(parent, work, done, label=label, failure=self._refused)
        self.report: Optional[QWidget] = None

    def _refused(self, error: BaseException) -> None:
        if isinstance(error, RejectedError) and error.cells:
            from ui.dialogs.import_report import ImportReportDialog

            self.report = ImportReportDialog(error.summary, error.cells, self.parent)
            self.report.open()
            return
        from ui.messages import show_error

        show_error(self.parent, error)


def run_import(parent: Optional[QWidget], label: str, work: Callable[[JobControl], Any],
               done: Optional[Callable[[Any], None]] = None) -> ImportOp:
    return ImportOp(parent, label, work, done).run()
