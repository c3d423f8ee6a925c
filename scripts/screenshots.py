"""Screenshots of every page and dialog at 1366x768 for a human to look at (run under Xvfb):
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py OUT_DIR"""

from __future__ import annotations

import shutil
from decimal import Decimal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.rules.validation import CellProblem  # noqa: E402
from app.services.demo import load_demo  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from ui.app import make_application  # noqa: E402
from ui.dialogs.first_run import FirstRunDialog  # noqa: E402
from ui.dialogs.import_report import ImportReportDialog  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402


def snap(widget, path: Path) -> None:
    widget.show()
    for _ in range(5):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(path)


def target_screens(win: MainWindow, out: Path) -> None:
    """A project target part-filled (findings showing), the picker, a reopened target's versions,
    and the department list and form."""
    from dataclasses import replace

    from app.services import targets
    from app.services.targets import IndicatorDraft, TaskDraft

    page = win.show_targets()
    form = page.open_target(0)
    form.resize(1300, 700)
    rows = [IndicatorDraft("产出", "数量", "城区道路清扫保洁面积", "≥", "320", "万平方米", "20", "按合同面积计", "300"),
            IndicatorDraft("产出", "质量", "保洁质量", "定性", "明显提高", "", "20"),
            IndicatorDraft("产出", "时效", "垃圾日产日清率", "=", "100", "%", "20"),
            IndicatorDraft("效益", "社会效益", "环境卫生投诉办结率", "≥", "98", "%", "20"),
            IndicatorDraft("满意度", "服务对象满意度", "居民满意度", "≥", "90", "%", "20")]
    form.show_draft(replace(form.draft, annual_goal="完成全年既定目标", indicators=rows))
    snap(form, out / "target_form.png")
    picker = form.pick_from_library()
    picker.browser.choose_branch("城乡社区", "产出", "数量")
    snap(picker, out / "library_picker.png")
    picker.close()
    form.close()
    ws = win.ws
    draft = targets.open_target(ws, page.model.row_at(1).project_id)
    goal = "全年完成城区320万平方米道路清扫保洁和公厕运行，垃圾日产日清，保洁考核达标率95%以上，居民满意度90%以上。"
    good = [replace(r, value=v) for r, v in zip(rows, ["320", "95", "100", "98", "90"])]
    good[1] = replace(good[1], level3="保洁质量考核达标率", direction="≥", unit="%")
    good.append(IndicatorDraft("产出", "成本", "保洁服务合同金额", "≤", "50", "万元", "0"))
    draft = targets.submit(ws, replace(draft, annual_goal=goal, indicators=good))
    draft = targets.review(ws, draft, {k: Decimal(90) for k in ("完整性", "相关性", "合理性", "可衡量性")}, True, "同意")
    draft = targets.approve(ws, draft)
    targets.reopen(ws, draft, "年中追加预算，调整保洁面积")
    page.reload()
    reopened = page.open_target(1)
    reopened.resize(1300, 700)
    versions = reopened.open_versions()
    snap(versions, out / "target_versions.png")
    versions.close()
    reopened.close()
    page.kind.setCurrentText("部门整体支出")
    snap(win, out / "main_targets_departments.png")
    dept = page.open_target(0)
    dept.resize(1300, 700)
    dept.functions.setPlainText("负责城区市容环境卫生、城市道路和公共设施的管理与维护。")
    for task in (TaskDraft("城区环卫一体化保洁", "3201.18"), TaskDraft("路灯及公厕运行维护", "1350.93")):
        dept.add_task(task)
    dept.model.append(good[:4])
    snap(dept, out / "department_form.png")
    dept.close()
    page.kind.setCurrentText("项目支出")


def monitoring_screens(win: MainWindow, out: Path) -> None:
    """The demo's 1-8月 round: the project table (red first), a record dialog, the summary tab, and
    the summary PDF and 监控表 PDF written beside the screenshots."""
    from app.io.monitoring_reports import export_record, export_summary

    page = win.show_page("monitoring")
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
    export_summary(win.ws, page.round_id(), "pdf", out / "monitoring_summary.pdf")
    export_summary(win.ws, page.round_id(), "xlsx", out / "monitoring_summary.xlsx")
    export_record(win.ws, page.model.row_at(0).record_id, out / "monitoring_record.pdf")


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    app = make_application()
    tmp = Path(tempfile.mkdtemp())
    empty = Workspace.open(tmp / "empty.sqlite3")
    snap(FirstRunDialog(empty), out / "first_run.png")
    ws = Workspace.open(tmp / "demo.sqlite3")
    load_demo(ws)
    win = MainWindow(ws)
    win.resize(1366, 738)
    win.set_year(2022)
    snap(win, out / "main_projects.png")
    win.projects.search.setText("公厕")
    snap(win, out / "main_search.png")
    win.nav.setCurrentRow(4)
    snap(win, out / "main_base_data.png")
    win.set_year(2023)
    win.nav.setCurrentRow(1)
    snap(win, out / "main_targets.png")
    target_screens(win, out)
    monitoring_screens(win, out)
    win.nav.setCurrentRow(3)
    win.show_page("library").browser.choose_branch("交通运输", "产出")
    snap(win, out / "main_library.png")
    win.nav.setCurrentRow(0)
    form = win.projects.add()
    form.widgets["annual_budget"].setText("abc")
    form.try_save()
    snap(form, out / "project_form.png")
    form.close()
    report = ImportReportDialog("文件中有2处错误，未导入任何数据。请按错误清单修改后重新导入。",
                                [CellProblem("项目", 7, "全年预算数（万元）", "应为不小于0的数字", "abc"),
                                 CellProblem("项目", 9, "资金性质", "应为一般公共预算、政府性基金预算、国有资本经营预算、社会保险基金预算、专项债券之一", "预算内")])
    snap(report, out / "import_report.png")
    for widget in QApplication.topLevelWidgets():  # widgets go before the application does
        widget.close()
        widget.deleteLater()
    app.processEvents()
    ws.close()
    empty.close()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "out/screens"))
