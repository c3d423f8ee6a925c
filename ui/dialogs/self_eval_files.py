"""The 自评表 form's files: its 佐证材料 (添加… saves a new or changed table first, 打开 copies the file
out — checked against its SHA-256 — and opens it with the system viewer, 删除 asks first), and the
table as printed (打印… through the print preview, 导出… as PDF or xlsx by the name chosen), both
written from what is on screen by app.io.self_eval_reports.render_form."""

from __future__ import annotations

from typing import Optional

from app.rules.validation import RejectedError
from app.services import self_eval as svc
from ui import files, messages
from ui.messages import show_error
from ui.ops import CollectionOp
from ui.workers import run_export


class FormFiles:
    """Mixed into SelfEvalForm (which provides ws, draft, evidence, save, is_dirty, current,
    show_evidence)."""

    # -- 佐证材料 ----------------------------------------------------------------------------------
    def add_evidence(self, path: Optional[str] = None) -> bool:
        """添加…: a file attached to the table (saved first when it is new or has unsaved typing)."""
        if not path:
            path = files.ask_open_path(self, "添加佐证材料", "所有文件 (*)", kind="evidence")
        if not path:
            return False
        if (not self.draft.saved or self.is_dirty()) and not self.save():
            return False
        try:
            svc.add_evidence(self.ws, self.draft, path)
        except RejectedError as exc:
            show_error(self, exc, "未添加")
            return False
        self.show_evidence()
        return True

    def open_evidence(self) -> bool:
        chosen = self.evidence.chosen()
        if chosen is None:
            return False
        from app.services import attachments

        try:
            path = attachments.copy_out(self.ws, chosen.id)
        except RejectedError as exc:
            show_error(self, exc, "未能打开")
            return False
        return bool(files.open_file(path))

    def remove_evidence(self) -> bool:
        chosen = self.evidence.chosen()
        if chosen is None or not messages.confirm_step(self, "删除", f"删除佐证材料“{chosen.file_name}”吗？删除后不能恢复。"):
            return False
        try:
            svc.remove_evidence(self.ws, self.draft, chosen.id)
        except RejectedError as exc:
            show_error(self, exc, "未删除")
            return False
        self.show_evidence()
        return True

    # -- printing --------------------------------------------------------------------------------
    def _writer(self, fmt: str):
        from app.io.self_eval_reports import render_form
        from app.services.self_eval_year import form_view

        ws, draft = self.ws, self.current()  # what is on screen
        return lambda path, job=None: render_form(form_view(ws, draft), fmt, path)

    def print_form(self) -> CollectionOp:
        from ui.print_preview import print_report

        return print_report(self, f"{self.draft.code} {self.draft.name} 绩效自评表", self._writer("pdf"))

    def export_form(self, path: Optional[str] = None) -> Optional[CollectionOp]:
        """The 自评表 as PDF or xlsx by the file name chosen, in the background (None: no file chosen)."""
        if not path:
            path = files.ask_save_path(self, "导出自评表", f"{self.draft.code}-{self.draft.name}-绩效自评表.pdf",
                                       "PDF 文件 (*.pdf);;Excel 工作簿 (*.xlsx)")
        if not path:
            return None
        path = str(path)
        write = self._writer("xlsx" if path.lower().endswith(".xlsx") else "pdf")
        return run_export(self, "正在导出自评表…", lambda job: write(path), path=path)
