"""事前绩效评估: the self-test step (the demo's 2024 assessments listed, a report printed) and the
screenshots of the page and of a part-rated assessment at 1366x768."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import check, settle, snap


def selftest_page(state: dict) -> None:
    """The page on the demo's 2024 assessments (澄江's 80.00 良 and 77.50 中), and one report as PDF."""
    from app.io.exante_reports import render_report
    from app.services.exante import open_assessment
    from app.services.exante_year import report_view
    from ui.main_window import MainWindow

    window = MainWindow(state["ws"])
    window.resize(1366, 738)
    window.show()
    window.set_year(2024)
    page = window.show_page("exante")
    settle()
    rows = page.model.rows()
    check(len(rows) >= 2 and all(r.grade for r in rows), "事前绩效评估没有显示演示数据中2024年度的评估。")
    pdf = state["out"] / "exante.pdf"
    render_report(report_view(state["ws"], open_assessment(state["ws"], rows[0].assessment_id)), pdf)
    check(pdf.stat().st_size > 10_000, "事前绩效评估报告PDF没有生成。")
    window.close()


def screenshots(win, out: Path) -> None:
    """The 2024 list, then a new assessment of a 2025 project with half its items rated."""
    win.set_year(2024)
    page = win.show_page("exante")
    settle()
    snap(win, out / "exante_list.png")
    win.set_year(2025)
    settle()
    from app.services.exante import projects_of_year

    projects = projects_of_year(win.ws if hasattr(win, "ws") else page.ws, 2025)
    if not projects:
        return
    page.new_assessment(project_id=projects[0][0])
    settle()
    form = page.form
    form.resize(1320, 700)
    model = form.model
    for row in range(model.rowCount()):
        model.setData(model.index(row, model.column_of("self_grade")), "优" if row % 3 else "良")
        if row < 14:
            model.setData(model.index(row, model.column_of("grade")), ("优", "良", "良", "中")[row % 4])
    model.setData(model.index(2, model.column_of("score")), "3.5")
    form.recommended.setText(f"{form.requested.text().replace(',', '')[:-3] or '0'}")
    snap(form, out / "exante_form.png")
    form.tabs.setCurrentIndex(1)
    snap(form, out / "exante_form_texts.png")
    form.done(0)  # the screenshot's typing is not kept
    win.set_year(2024)
