"""指标库: screenshots."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import check, snap


def screenshots(win, out: Path) -> None:
    win.show_page("library").browser.choose_branch("交通运输", "产出")
    snap(win, out / "main_library.png")
