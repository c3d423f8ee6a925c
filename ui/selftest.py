"""`perfdesk --selftest`: proves a build works on this PC without touching the user's data.
A demo database in a temporary folder, the main window shown offscreen and saved as PNG, then each
registered stage's own steps (app.stages: the project list exported to xlsx and PDF and checked,
the monitoring page with its chart, …). Exit 0, or 1 with a sentence saying what failed."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

from ui.checks.common import SelfTestFailed, check, settle


def steps() -> list[tuple[str, Callable[[dict], None]]]:
    from app.stages import all_stages
    from ui.stage_ui import resolve

    found = [("建立演示数据库", _demo), ("显示主窗口并截图", _window)]
    for stage in all_stages():
        found += [(title, resolve(reference)) for title, reference in stage.selftest]
    return found + [("打印预览渲染PDF页面", _print_preview), ("读取Excel 97-2003（.xls）文件", _xls)]


def run_selftest(out_dir: str | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(out_dir or tempfile.mkdtemp(prefix="perfdesk-selftest-"))
    out.mkdir(parents=True, exist_ok=True)
    os.environ["PERFDESK_HOME"] = str(out / "home")  # never the user's data folder
    state: dict = {"out": out}
    try:
        for title, step in steps():
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
        from ui.app import settle_garbage

        settle_garbage()  # the interpreter's last collection must not meet Qt wrappers
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
    check(len(state["rows"]) > 0, "演示数据没有载入任何2023年度项目。")


def _window(state: dict) -> None:
    from ui.app import make_application
    from ui.main_window import MainWindow

    make_application()
    window = MainWindow(state["ws"])
    window.resize(1366, 738)
    window.set_year(2023)
    window.show()
    settle()
    check(window.projects.model.rowCount() == len(state["rows"]), "主窗口没有显示全部项目。")
    png = state["out"] / "main-window.png"
    check(window.grab().save(str(png)) and png.stat().st_size > 10_000, "主窗口截图失败。")
    window.close()


def _print_preview(state: dict) -> None:
    """The print preview's PDF renderer (PDFium) is in the build and draws a report's page."""
    from app.io.columns import Column
    from app.io.pdf import write_table_pdf
    from ui.print_preview import PdfPages

    path = state["out"] / "print-preview.pdf"
    write_table_pdf(path, title="打印预览自检", unit_line="单位：万元", columns=[Column("项目名称"), Column("金额（万元）", "money")],
                    rows=[["<道路&桥梁>", 123_456_789]])
    pages = PdfPages(path)
    try:
        image = pages.image(0, 72)
        check(len(pages) == 1 and not image.isNull() and image.width() > 100, "打印预览不能显示PDF页面（缺少PDFium）。")
    finally:
        pages.close()


def _xls(state: dict) -> None:
    """The .xls reader (python-calamine) is in the build: a county's Excel 97-2003 project list reads."""
    from app.io.projects_import import SHEET
    from app.io.xlsx import read_table
    from app.paths import resource_path

    table = read_table(resource_path("selftest", "projects.xls"), sheet=SHEET, required=["项目编码", "全年预算数（万元）"])
    check(len(table.rows) > 0 and all(cells.get("项目编码") for _, cells in table.rows), "不能读取Excel 97-2003（.xls）文件。")
