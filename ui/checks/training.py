"""培训: screenshots — the demo's 2023 sessions (和硕's and 澄江's summary rows) with their 合计."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    win.show_page("training")
    settle()
    snap(win, out / "main_training.png")
