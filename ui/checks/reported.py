"""上报数: screenshots — the demo's 2023 上报数 with 德惠's 169 一级 projects from the provincial system
selected, and the form dialog on it."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    page = win.show_page("reported")
    settle()
    row = next(n for n, r in enumerate(page.model.rows()) if r.count == 169)
    page.view.selectRow(row)
    page.view.scrollTo(page.model.index(row, 0), page.view.ScrollHint.PositionAtCenter)
    snap(win, out / "main_reported.png")
    form = page.edit(row)
    snap(form, out / "reported_form.png")
    form.reject()
