"""项目库: self-test steps (export, read back, the PDF's font) and screenshots."""

from __future__ import annotations

from pathlib import Path

from ui.checks.common import check, snap


def selftest_xlsx(state: dict) -> None:
    from app.io.projects_import import SHEET
    from app.io.projects_io import render_projects
    from app.io.xlsx import read_table
    from app.services.projects import list_projects

    path = state["out"] / "projects.xlsx"
    render_projects(list_projects(state["ws"], 2023), 2023, "xlsx", path)
    table = read_table(path, sheet=SHEET, required=["项目编码", "全年预算数（万元）"])
    codes = {str(cells["项目编码"]) for _, cells in table.rows} - {"合计"}
    check(codes == {r.code for r in state["rows"]}, "导出的Excel读回后项目不一致。")


def selftest_pdf(state: dict) -> None:
    from app.io.projects_io import render_projects
    from app.services.projects import list_projects

    path = state["out"] / "projects.pdf"
    render_projects(list_projects(state["ws"], 2023), 2023, "pdf", path)
    data = path.read_bytes()
    check(data.startswith(b"%PDF"), "导出的PDF文件无效。")
    check(b"/FontFile2" in data and b"WenQuanYiMicroHei" in data, "导出的PDF没有嵌入中文字体（文泉驿微米黑）。")


def screenshots(win, out: Path) -> None:
    """The 2022 list, a search, the form with a bad amount, an import's error list."""
    from app.rules.validation import CellProblem
    from ui.dialogs.import_report import ImportReportDialog

    win.set_year(2022)
    win.show_page("projects")
    snap(win, out / "main_projects.png")
    win.projects.search.setText("公厕")
    snap(win, out / "main_search.png")
    win.projects.search.setText("")
    form = win.projects.add()
    form.widgets["annual_budget"].setText("abc")
    form.try_save()
    snap(form, out / "project_form.png")
    form.done(0)  # the screenshot's typing is not kept (close() would ask whether to save it)
    report = ImportReportDialog("文件中有2处错误，未导入任何数据。请按错误清单修改后重新导入。",
                                [CellProblem("项目", 7, "全年预算数（万元）", "应为不小于0的数字", "abc"),
                                 CellProblem("项目", 9, "资金性质", "应为一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算、专项债券之一", "预算内")])
    snap(report, out / "import_report.png")
    report.close()
