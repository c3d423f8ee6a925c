"""运行监控: the self-test step (the page with its QtCharts chart) and screenshots."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import check, settle, snap


def selftest_page(state: dict) -> None:
    """The monitoring page with its QtCharts chart (PySide6-Addons must be in the build)."""
    from ui.main_window import MainWindow

    window = MainWindow(state["ws"])
    window.resize(1366, 738)
    window.show()
    page = window.show_page("monitoring")
    page.tabs.setCurrentIndex(1)
    settle()
    view = page.round_view
    check(view is not None and sum(r.light == "红" for r in view.rows) >= 2, "运行监控没有显示演示数据中的红灯项目。")
    check(len(page.chart.bars) > 0, "监控汇总图表没有画出来。")
    png = state["out"] / "monitoring.png"
    check(window.grab().save(str(png)) and png.stat().st_size > 10_000, "运行监控截图失败。")
    window.close()


def screenshots(win, out: Path) -> None:
    """The demo's 1-8月 round: the project table (red first), a record dialog, the summary tab, and
    the summary PDF and 监控表 PDF written beside the screenshots."""
    from app.io.monitoring_reports import render_record, render_summary
    from app.services.monitoring_records import record_sheet

    win.set_year(2023)
    page = win.show_page("monitoring")
    settle()  # the round is read in the background
    page.view.selectRow(0)
    snap(win, out / "monitoring_projects.png")
    dialog = page.open_record(0)
    dialog.resize(1300, 680)
    snap(dialog, out / "monitoring_record.png")
    dialog.close()
    page.tabs.setCurrentIndex(1)
    snap(win, out / "monitoring_summary.png")
    page.tabs.setCurrentIndex(2)
    snap(win, out / "monitoring_projection.png")
    page.tabs.setCurrentIndex(0)
    render_summary(page.round_view, "pdf", out / "monitoring_summary.pdf")
    render_summary(page.round_view, "xlsx", out / "monitoring_summary.xlsx")
    render_record(record_sheet(win.ws, page.model.row_at(0).record_id), out / "monitoring_record.pdf")
