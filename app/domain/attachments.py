"""佐证材料 as plain data: a file attached to a record (kept inside the database with its SHA-256)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class AttachmentRow:
    id: int
    file_name: str
    size: int
    sha256: str
    added_at: datetime
    note: str = ""

    @property
    def size_text(self) -> str:
        if self.size >= 1024 * 1024:
            tenths = self.size * 10 // (1024 * 1024)
            return f"{tenths // 10}.{tenths % 10} MB"
        return f"{max(1, (self.size + 1023) // 1024)} KB"
