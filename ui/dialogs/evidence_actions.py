"""添加… / 打开 / 删除 of a form's 佐证材料 box, the same on every form that keeps files (自评表,
整改事项): files go through the stage's service (which decides whether the record may take one)
and are opened with the system viewer; a failure is said in a sentence, never a traceback."""

from __future__ import annotations

from typing import Any, Optional

from PySide6.QtWidgets import QMessageBox

from app.logs import log
from app.rules.validation import RejectedError
from ui import files, messages
from ui.messages import show_error

OPEN_FAILED = "文件正被其他程序打开或无法写出，请关闭后再试。"


class EvidenceActions:
    """Mixed into a form that has ws, draft, evidence (an EvidenceBox), message, refuse(exc, title),
    show_evidence() and _saved_first(); `evidence_service` is the stage's service module (its
    add_evidence(ws, draft, path) and remove_evidence(ws, draft, attachment_id))."""

    evidence_service: Any = None

    def add_evidence(self, path: Optional[str] = None) -> bool:
        """添加…: a file attached to the record (saved first when it is new or has unsaved typing)."""
        if not path:
            path = files.ask_open_path(self, "添加佐证材料", "所有文件 (*)", kind="evidence")
        if not path:
            return False
        if not self._saved_first():
            return False
        try:
            self.evidence_service.add_evidence(self.ws, self.draft, path)
        except RejectedError as exc:
            self.refuse(exc, "未添加")
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
            if files.open_file(path):
                return True
            said = f"佐证材料已取出到“{path}”，但系统没有能打开这种文件的程序，请到该文件夹中查看。"
        except RejectedError as exc:
            self.refuse(exc, "未能打开")
            return False
        except OSError:  # the copy is open in another program, the folder cannot be written…
            log.warning("evidence not copied out", exc_info=True)
            said = OPEN_FAILED
        except Exception as exc:  # noqa: BLE001 - a sentence, never a traceback (show_error logs it)
            self.message.setText(f"佐证材料“{chosen.file_name}”没有打开。")
            show_error(self, exc, "未能打开")
            return False
        self.message.setText(f"佐证材料“{chosen.file_name}”没有打开：{said}")
        QMessageBox.warning(self, "未能打开", said)
        return False

    def remove_evidence(self) -> bool:
        chosen = self.evidence.chosen()
        if chosen is None or not messages.confirm_step(self, "删除", f"删除佐证材料“{chosen.file_name}”吗？删除后不能恢复。"):
            return False
        try:
            self.evidence_service.remove_evidence(self.ws, self.draft, chosen.id)
        except RejectedError as exc:
            self.refuse(exc, "未删除")
            return False
        self.show_evidence()
        return True
