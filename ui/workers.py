"""Imports and exports off the GUI thread (ui.ops.CollectionOp with its cancellable progress
dialog). Both return the running op at once; what follows arrives as callbacks on the GUI thread."""

from __future__ import annotations

from typing import Any, Callable, Optional

from PySide6.QtWidgets import QWidget

from app.jobs import JobControl
from app.rules.validation import RejectedError
from ui.ops import CollectionOp


class ExportOp(CollectionOp):
    """An export: a failure or a cancel is told in a sentence; a success calls `done(result)`, then
    says where the file went (`told`, the open ui.files.ExportedDialog with 打开文件 and
    打开所在文件夹) when the file's path is known."""

    def __init__(self, parent: Optional[QWidget], label: str, work: Callable[[JobControl], Any],
                 done: Optional[Callable[[Any], None]] = None, path: Optional[str] = None):
        super().__init__(parent, work, self._exported, label=label)
        self.path = None if path is None else str(path)
        self._done = done
        self.told: Optional[QWidget] = None

    def _exported(self, result: Any) -> None:
        if self._done is not None:
            self._done(result)
        if self.path:
            from ui.files import tell_exported

            self.told = tell_exported(self.parent, self.path)


def run_export(parent: Optional[QWidget], label: str, work: Callable[[JobControl], Any],
               done: Optional[Callable[[Any], None]] = None, *, path: Optional[str] = None) -> ExportOp:
    """An export to `path`; a failure or a cancel is told in a sentence, `done(result)` follows a
    success, then "已导出到：…" with 打开文件 / 打开所在文件夹 (`op.told`)."""
    return ExportOp(parent, label, work, done, path).run()


EXCEL_OR_PDF = "Excel 工作簿 (*.xlsx);;PDF 文件 (*.pdf)"


def format_of(path: str) -> str:
    """The export format the chosen file name says: pdf, else xlsx."""
    return "pdf" if str(path).lower().endswith(".pdf") else "xlsx"


def export_to(parent: Optional[QWidget], path: Optional[str], suggested: str, pattern: str,
              write: Callable[[str, JobControl], Any], title: str = "导出",
              done: Optional[Callable[[Any], None]] = None) -> Optional[ExportOp]:
    """An export to `path`, or — without one — to the file the user picks (ui.files.ask_save_path,
    starting from `suggested`); None when no file was picked. `write(path, job)` writes it;
    `done(result)` follows a success."""
    if not path:
        from ui.files import ask_save_path

        path = ask_save_path(parent, title, suggested, pattern)
    if not path:
        return None
    path = str(path)
    return run_export(parent, "正在导出…", lambda job: write(path, job), done, path=path)


def import_from(parent: Optional[QWidget], path: Optional[str], title: str, read: Callable[[str, JobControl], Any],
                done: Optional[Callable[[Any], None]] = None) -> Optional["ImportOp"]:
    """An import of `path`, or — without one — of the workbook the user picks; None when none was
    picked. `read(path, job)` imports it (all or nothing: bad cells open the error list)."""
    if not path:
        from ui.files import ask_open_path

        path = ask_open_path(parent, title, "Excel 工作簿 (*.xlsx *.xls)")
    if not path:
        return None
    return run_import(parent, f"正在{title}…", lambda job: read(path, job), done)


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
