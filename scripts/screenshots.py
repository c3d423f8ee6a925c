"""Screenshots of every page and dialog at 1366x768 for a human to look at (run under Xvfb):
    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python scripts/screenshots.py OUT_DIR"""

from __future__ import annotations

import shutil
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
    win.nav.setCurrentRow(2)
    snap(win, out / "main_base_data.png")
    win.set_year(2023)
    win.nav.setCurrentRow(1)
    snap(win, out / "main_targets.png")
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
