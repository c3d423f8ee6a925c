"""基础数据: screenshots."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import check, snap


def screenshots(win, out: Path) -> None:
    win.show_page("base_data")
    snap(win, out / "main_base_data.png")
