"""`perfdesk --selftest`: proves a build works on this PC without touching the user's data.
A demo database in a temporary folder, the main window shown offscreen and saved as PNG, the
project list exported to xlsx and PDF and checked. Exit 0, or 1 with a sentence saying what failed."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Callable


class SelfTestFailed(Exception):
    pass


def _check(ok: bool, sentence: str) -> None:
    if not ok:
        raise SelfTestFailed(sentence)


def run_selftest(out_dir: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(out_dir or tempfile.mkdtemp(prefix="perfdesk-selftest-"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ["PERFDESK_HOME"] = str(out / "home")  # never the user's data folder
    steps: list[tuple[str, Callable[[dict], None]]] = [
        ("建立演示数据库", _demo), ("显示主窗口并截图", _window), ("显示运行监控和图表", _monitoring),
        ("导出Excel并读回", _xlsx), ("导出PDF并检查字体", _pdf),
    ]
    state: dict = {"out": out}
    try:
        for title, step in steps:
            step(state)
            print(f"通过：{title}", flush=True)
    except SelfTestFailed as exc:
        print(f"自检未通过：{exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the point is to say what broke
        print(f"自检未通过：{type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        if "ws" in state:
            state["ws"].close()
    print(f"自检全部通过。截图和导出文件在：{out}")
    return 0


def _demo(state: dict) -> None:
    from app.services.demo import load_demo
    from app.services.projects import list_projects
    from app.services.workspace import Workspace

    db = state["out"] / "selftest.sqlite3"
    for leftover in state["out"].glob("selftest.sqlite3*"):  # an earlier run's database
        leftover.unlink()
    ws = Workspace.open(db)
    state["ws"] = ws
    load_demo(ws)
    state["rows"] = list_projects(ws, 2023)
    _check(len(state["rows"]) > 0, "演示数据没有载入任何2023年度项目。")


def _window(state: dict) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    window = MainWindow(state["ws"])
    window.resize(1366, 738)
    window.show()
    for _ in range(10):
        QApplication.processEvents()
    _check(window.projects.model.rowCount() == len(state["rows"]), "主窗口没有显示全部项目。")
    png = state["out"] / "main-window.png"
    _check(window.grab().save(str(png)) and png.stat().st_size > 10_000, "主窗口截图失败。")
    window.close()


def _monitoring(state: dict) -> None:
    """The monitoring page with its QtCharts chart (PySide6-Addons must be in the build)."""
    from PySide6.QtWidgets import QApplication

    from ui.main_window import MainWindow

    window = MainWindow(state["ws"])
    window.resize(1366, 738)
    window.show()
    page = window.show_page("monitoring")
    page.tabs.setCurrentIndex(1)
    for _ in range(10):
        QApplication.processEvents()
    _check(sum(r.light == "红" for r in page._all) >= 2, "运行监控没有显示演示数据中的红灯项目。")
    _check(len(page.chart.bars) > 0, "监控汇总图表没有画出来。")
    png = state["out"] / "monitoring.png"
    _check(window.grab().save(str(png)) and png.stat().st_size > 10_000, "运行监控截图失败。")
    window.close()


def _xlsx(state: dict) -> None:
    from app.io.projects_import import SHEET
    from app.io.projects_io import export_projects
    from app.io.xlsx import read_table

    path = state["out"] / "projects.xlsx"
    export_projects(state["ws"], 2023, "xlsx", path)
    table = read_table(path, sheet=SHEET, required=["项目编码", "全年预算数（万元）"])
    codes = {str(cells["项目编码"]) for _, cells in table.rows} - {"合计"}
    _check(codes == {r.code for r in state["rows"]}, "导出的Excel读回后项目不一致。")


def _pdf(state: dict) -> None:
    from app.io.projects_io import export_projects

    path = state["out"] / "projects.pdf"
    export_projects(state["ws"], 2023, "pdf", path)
    data = path.read_bytes()
    _check(data.startswith(b"%PDF"), "导出的PDF文件无效。")
    _check(b"/FontFile2" in data and b"WenQuanYiMicroHei" in data, "导出的PDF没有嵌入中文字体（文泉驿微米黑）。")
