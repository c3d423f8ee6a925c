"""结果应用: screenshots of the year's table (小计, 合计, the counts) and the form with a key evaluation
as its 依据 and the pack's suggestion, at 1366x768. Nothing is written."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    page = win.show_page("results")
    settle()
    snap(win, out / "results_table.png")
    form = page.add()
    form.resize(760, 560)
    graded = next((n for n, b in enumerate(form.bases) if b.grade), None)
    if graded is not None:
        form.widgets["basis"].setCurrentIndex(graded + 1)
    snap(form, out / "result_form.png")
    form.done(0)
    settle()
