"""绩效自评: screenshots of the page and of a filled 自评表 (project and department) at 1366x768."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from ui.checks.common import check, settle, snap


def selftest_page(state: dict) -> None:
    """The 绩效自评 page on the demo's 2022 tables, and one 自评表 printed to PDF (the font and
    reportlab must be in the build)."""
    from app.io.self_eval_reports import render_form
    from app.services.self_eval import open_table
    from app.services.self_eval_year import form_view
    from ui.main_window import MainWindow

    window = MainWindow(state["ws"])
    window.resize(1366, 738)
    window.show()
    window.set_year(2022)
    page = window.show_page("self_eval")
    settle()
    rows = page.model.rows()
    check(len(rows) >= 17 and all(r.grade for r in rows), "绩效自评没有显示演示数据中2022年度的自评表。")
    pdf = state["out"] / "self_eval.pdf"
    render_form(form_view(state["ws"], open_table(state["ws"], rows[0].eval_id)), "pdf", pdf)
    check(pdf.stat().st_size > 10_000, "自评表PDF没有生成。")
    window.close()


def _open(page, row: int):
    """The row's form, once its table is read in the background."""
    page.open_table(row)
    settle()
    return page.form


def _fill(form) -> None:
    """Type what a clerk would: every actual at its target (one short), the money spent, one score
    decided below its reference without a reason yet (so a need shows)."""
    model = form.model
    for n, line in enumerate(model.lines):
        actual = line.target_value or "完成"
        if n == 1 and line.direction in ("≥", "=") and actual.replace(".", "", 1).isdigit():
            actual = f"{(Decimal(actual) * Decimal('0.9')).normalize():f}"  # one indicator short of its target
        model.setData(model.index(n, model.column_of("actual")), actual)
    if model.rowCount():
        model.setData(model.index(0, model.column_of("score")), "12")
    budget = form.budget_model
    annual = budget.lines[0].annual
    if annual:
        spent = (Decimal(annual.replace(",", "")) * Decimal("0.86")).quantize(Decimal("0.01"))
        budget.setData(budget.index(0, budget.column_of("executed")), f"{spent}")
    form.texts.boxes["goal_actual"].setPlainText("全年目标基本完成，部分指标因工期调整未达预期。")


def screenshots(win, out: Path) -> None:
    """The 2023 list (tables generated), a project's 自评表 part-filled (needs showing), its second
    tab, a department's 自评表, and the department list."""
    win.set_year(2023)
    page = win.show_page("self_eval")
    settle()
    page.create_year()
    settle()
    snap(win, out / "self_eval_list.png")
    rows = page.model.rows()
    editable = [n for n, r in enumerate(rows) if r.status in ("草稿", "未填报", "退回修改")]
    if editable:
        form = _open(page, editable[0])
        form.resize(1320, 700)
        _fill(form)
        snap(form, out / "self_eval_form.png")
        form.tabs.setCurrentIndex(1)
        snap(form, out / "self_eval_form_texts.png")
        form.done(0)  # the screenshot's typing is not kept (close() would ask whether to save it)
    page.kind.setCurrentText("部门整体支出")
    settle()
    snap(win, out / "self_eval_departments.png")
    if page.model.rowCount():
        dept = _open(page, 0)
        dept.resize(1320, 700)
        for n, line in enumerate(dept.model.lines):
            if line.rule != "预算执行率":
                dept.model.setData(dept.model.index(n, dept.model.column_of("score")),
                                   line.points if n % 4 else str(max(int(float(line.points or 0)) - 1, 0)))
        snap(dept, out / "self_eval_department_form.png")
        dept.done(0)
    page.kind.setCurrentText("项目支出")
