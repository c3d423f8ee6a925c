"""The 自评表 form's steps and files: the workflow steps (提交, 审核通过 with an optional 审核意见,
退回修改 with a required one, 退回 of a passed table with a reason — each confirmed), its 佐证材料
(添加… saves a new or changed table first, 打开 copies the file out — checked against its SHA-256 —
and opens it with the system viewer, a locked or unwritable file said in a sentence; 删除 asks
first), and the table as printed (打印… through the print preview, 导出… as PDF or xlsx by the name
chosen), both written from what is on screen by app.io.self_eval_reports.render_form. Every
refusal goes through the form's `refuse` (its summary said, its cells shaded)."""

from __future__ import annotations

from typing import Optional

from app.services import self_eval as svc
from ui import files, messages
from ui.dialogs import self_eval_parts as parts
from ui.dialogs.evidence_actions import OPEN_FAILED, EvidenceActions  # noqa: F401 - OPEN_FAILED: tests read it here
from ui.ops import CollectionOp
from ui.workers import run_export


class FormFiles(EvidenceActions):
    """Mixed into SelfEvalForm (which provides ws, draft, evidence, message, save, is_dirty, current,
    show_evidence, refuse, _run)."""

    evidence_service = svc

    # -- workflow steps ----------------------------------------------------------------------------
    def _confirmed(self, step: str, reason: str = "") -> bool:
        title, sentence = parts.CONFIRM[step]
        return messages.confirm_step(self, title, sentence.format(reason=reason))

    def submit(self) -> bool:
        """提交 (saving what is typed first; a table never saved is created), once confirmed."""
        if not self._confirmed("submit" if self.draft.saved else "submit_new"):
            return False
        return self._run(lambda: svc.submit(self.ws, self.current()))

    def review(self, passed: bool, opinion: Optional[str] = None) -> bool:
        """审核通过 with an optional 审核意见, or 退回修改 with one (required); both asked, 取消 stops."""
        if opinion is None:
            opinion = (parts.ask_opinion(self) if passed else
                       parts.ask_reason(self, "退回修改", "审核意见（说明要补充或修改什么）："))
            if opinion is None:
                return False
        opinion = (opinion or "").strip()
        if not passed and not opinion:
            self.message.setText("退回修改时必须填写审核意见，说明要补充或修改什么。")
            return False
        said = f"审核意见：{opinion}。" if passed and opinion else ""
        if not self._confirmed("pass" if passed else "return", said if passed else opinion):
            return False
        return self._run(lambda: svc.review(self.ws, self.draft, passed, opinion))

    def reopen(self, reason: Optional[str] = None) -> bool:
        """退回 a passed table, with the reason (asked; required)."""
        if reason is None:
            reason = parts.ask_reason(self, "退回", "退回原因（会记录在案，作为审核意见）：")
            if reason is None:
                return False
        reason = reason.strip()
        if not reason:
            self.message.setText("退回已审核通过的自评表必须填写原因。")
            return False
        if not self._confirmed("reopen", reason):
            return False
        return self._run(lambda: svc.reopen(self.ws, self.draft, reason))

    def _saved_first(self) -> bool:
        """A new table, or typing not yet saved, is saved before a file is attached."""
        return (self.draft.saved and not self.is_dirty()) or self.save()

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
