"""上报数: screenshots — the demo's 2023 上报数 (德惠's 169 and 523 from the provincial system first
among 运行监控's) and the form dialog on one of them."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    win.set_year(2023)
    page = win.show_page("reported")
    settle()
    snap(win, out / "main_reported.png")
    row = next(n for n, r in enumerate(page.model.rows()) if r.count == 169)
    form = page.edit(row)
    snap(form, out / "reported_form.png")
    form.reject()
