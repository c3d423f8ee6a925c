"""乡镇考核: screenshots — the demo's three townships in 2023, counted at 2024-06-30, 白沙镇 chosen (its
late monitoring record named in the 计分依据)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    page = win.show_page("township")
    settle()
    page.at.setDate(QDate(2024, 6, 30))
    settle()
    page.view.selectRow(1)
    settle()
    snap(win, out / "main_township.png")
