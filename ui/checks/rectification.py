"""整改台账: screenshots of the demo year 2023's ledger counted to 2023-11-20 (钢城's problems due
10月15日: some closed, the others overdue, shaded), the overdue filter, and an overdue item's form, at 1366x768."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from ui.checks.common import settle, snap


def screenshots(win, out: Path) -> None:
    from ui.pages.rectification_page import qdate

    win.set_year(2023)
    page = win.show_page("rectification")
    settle()
    page.at.setDate(qdate(date(2023, 11, 20)))
    settle()
    snap(win, out / "rectification_list.png")
    page.overdue.setChecked(True)
    settle()
    snap(win, out / "rectification_overdue.png")
    page.overdue.setChecked(False)
    rows = page.model.rows()
    late = next((n for n, r in enumerate(rows) if r.overdue), 0 if rows else None)  # an overdue item's form
    if late is not None:
        page.open_item(late)
        settle()
        form = page.form
        snap(form, out / "rectification_form.png")
        form.done(0)
