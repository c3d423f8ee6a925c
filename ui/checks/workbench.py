"""工作台: screenshots — the demo's 2023 counted on 2023-11-01 (钢城's three 整改 items 逾期17天)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    page = win.show_page("workbench")
    page.at = date(2023, 11, 1)
    page.reload()
    settle()
    snap(win, out / "main_workbench.png")
