"""Monitoring benchmark (`make bench`; not part of `make test`).

The synthetic county of bench_foundation (5,000 projects of one year), every target approved with
12 indicators (so the round holds 60,000 indicator rows), a round opened at an August cut-off.
Median of N runs (default 5) of:

  table    the 运行监控 page showing the round: the round's view read in the background (money,
           rates, lights, missed indicators, summary, projection, candidates) + the table model +
           the summary and chart, shown offscreen and painted (info: how long the GUI thread is
           busy with it, and with opening a 监控表 — all typing would wait on)
  lights   after an import of 5,000 execution amounts: every light recomputed (round_view: the
           rows, the summary, the projection and candidates), which is what the page does on reload
  xlsx     the 监控汇总表 workbook (汇总, 项目, 预警清单) against the same cells written by bare
           openpyxl write_only, as a ratio

    .venv/bin/python bench/bench_monitoring.py [--runs 5] [--backend postgresql]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_foundation import (  # noqa: E402
    YEAR, BenchDatabase, add_backend_option, build_county, ms, start, timed, verdicts,
)
from bench.bench_targets import write_targets_file  # noqa: E402

TARGETS = {"table": (0.5, "s"), "lights": (0.5, "s"), "xlsx_ratio": (1.3, "x")}


def prepare(db_path: Path, folder: Path) -> dict:
    from sqlalchemy import update

    from app.services import monitoring as mon
    from app.services.target_import import import_file as import_targets
    from app.services.workspace import Workspace
    from db.models import PerformanceTarget

    source = folder / "targets.xlsx"
    write_targets_file(db_path, source)
    ws = Workspace.open(db_path)
    import_targets(ws, source)
    with ws.session() as s:
        s.execute(update(PerformanceTarget).values(status="已批复"))
    t = time.perf_counter()
    round_id = mon.open_round(ws, YEAR, 8, "1-8月")
    opened = time.perf_counter() - t
    rows = mon.round_rows(ws, round_id)
    ws.close()
    return {"round_id": round_id, "open": opened, "rows": rows}


def write_execution_file(rows, path: Path) -> None:
    from openpyxl import Workbook

    rnd = random.Random(8)
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("预算执行")
    sheet.append(["项目编码", "截至执行数（万元）", "全年预计执行数（万元）"])
    for r in rows:
        spent = r.budget_fen * rnd.choice([0, 20, 45, 60, 66, 70, 90]) // 100
        sheet.append([r.code, f"{spent / 1_000_000:.2f}", None])
    wb.save(path)


def measure_table(db_path: Path, round_id: int, runs: int) -> dict:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from app.services.workspace import Workspace
    from ui.app import make_application
    from ui.main_window import MainWindow

    app = QApplication.instance() or make_application([])
    ws = Workspace.open(db_path)
    win = MainWindow(ws)
    win.resize(1366, 738)
    win.show()
    t = time.perf_counter()
    page = win.show_page("monitoring")  # built once (imports QtCharts); then each run reloads the round
    settle(app)  # its round read in the background, shown and painted
    first = time.perf_counter() - t
    times, busy = [], []
    for _ in range(runs):
        t = time.perf_counter()
        busy.append(show_round(app, page, round_id))
        times.append(time.perf_counter() - t)
    shown = page.model.rowCount()
    record = [open_record_busy(app, page) for _ in range(runs)]
    win.close()
    ws.close()
    return {"table": statistics.median(times), "shown": shown, "first": first, "busy": statistics.median(busy),
            "record_busy": statistics.median(b for b, _ in record), "record": statistics.median(t for _, t in record)}


def open_record_busy(app, page) -> tuple[float, float]:
    """Open the 监控表 of the first project (12 indicator rows) the way a double-click does; its
    record is read in the background. Returns (how long the GUI thread was busy: building the
    dialog, then showing the record; the whole time until the record is shown)."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    t0 = time.perf_counter()
    dialog = page.open_record(0)
    busy = time.perf_counter() - t0
    show = dialog.loader.show

    def shown(found) -> None:
        nonlocal busy
        t = time.perf_counter()
        show(found)
        busy += time.perf_counter() - t
        loop.quit()

    dialog.loader.show = shown
    if dialog.loader.loading:
        loop.exec()
    whole = time.perf_counter() - t0
    dialog.close()
    dialog.deleteLater()
    app.processEvents()
    return busy, whole


def settle(app) -> None:
    """Process events until every background read has landed (and painted)."""
    from ui import ops

    app.processEvents()
    while not ops.idle():
        app.processEvents()
        time.sleep(0.001)
    app.processEvents()


def show_round(app, page, round_id: int) -> float:
    """Ask the page for the round and wait in the event loop — idle, as the program waits, not
    polling for the GIL the worker needs — until the page has shown it; then paint. Returns how
    long the GUI thread was busy with it (asking, showing the answer, painting): what typing waits on."""
    from PySide6.QtCore import QEventLoop

    loop = QEventLoop()
    show = page.loader.show
    busy = []

    def shown(found) -> None:
        t = time.perf_counter()
        show(found)
        busy.append(time.perf_counter() - t)
        loop.quit()

    page.loader.show = shown
    try:
        t = time.perf_counter()
        page.choose_round(round_id)
        busy.append(time.perf_counter() - t)
        loop.exec()
    finally:
        page.loader.show = show
    t = time.perf_counter()
    app.processEvents()
    return sum(busy) + time.perf_counter() - t


def measure_lights(db_path: Path, round_id: int, folder: Path, runs: int) -> dict:
    from app.services import monitoring as mon
    from app.services.monitoring_import import import_file
    from app.services.workspace import Workspace

    ws = Workspace.open(db_path)
    path = folder / "execution.xlsx"
    write_execution_file(mon.round_rows(ws, round_id), path)
    t = time.perf_counter()
    sentence = import_file(ws, round_id, path)
    imported = time.perf_counter() - t
    out = {}

    def run() -> None:
        view = mon.round_view(ws, round_id)
        out["red"] = view.summary.overall.red
        out["rows"] = view.rows

    times = [timed(run) for _ in range(runs)]
    ws.close()
    return {"lights": statistics.median(times), "import": imported, "sentence": sentence, **out}


def measure_xlsx(db_path: Path, round_id: int, folder: Path, runs: int) -> dict:
    from openpyxl import Workbook

    from app.io import monitoring_reports as reports
    from app.services import monitoring as mon
    from app.services.workspace import Workspace

    ws = Workspace.open(db_path)
    view = mon.round_view(ws, round_id)
    cells = {"汇总": (reports.DEPT_COLUMNS, [reports.dept_row(line, 8) for line in view.summary.departments]),
             "项目": (reports.PROJECT_COLUMNS, [reports.project_row(r) for r in view.rows]),
             "预警清单": (reports.WARNING_COLUMNS, [reports.warning_row(w) for w in view.warnings])}
    # the same cell values the export stores: 万元 for money, rates rounded as shown
    plain = {name: [[_plain(c.kind, v) for c, v in zip(columns, row)] for row in table]
             for name, (columns, table) in cells.items()}

    def bare() -> None:
        wb = Workbook(write_only=True)
        for name, table in plain.items():
            sheet = wb.create_sheet(name)
            for row in table:
                sheet.append(row)
        wb.save(folder / "bare.xlsx")

    ours, ref = [], []
    for _ in range(runs):  # interleaved, so a busy moment on the machine weighs on both alike
        # the view read and rendered, as the command line's export does
        ours.append(timed(lambda: reports.render_summary(mon.round_view(ws, round_id), "xlsx", folder / "ours.xlsx")))
        ref.append(timed(bare))
    ws.close()
    return {"ours": statistics.median(ours), "bare": statistics.median(ref)}


def _plain(kind: str, value):
    from app.io.columns import hundredths
    from app.money import wan_from_fen

    if value is None or isinstance(value, str):
        return value
    if kind == "money":
        return wan_from_fen(value)
    if kind == "rate":
        return hundredths(value)
    if kind == "points":
        return hundredths(value) * 100
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    add_backend_option(parser)
    args = parser.parse_args(argv)
    tmp = start(f"perfdesk monitoring benchmark ({args.backend})", "perfdesk-bench-monitoring-")
    database = BenchDatabase(tmp, args.backend)
    try:
        db_path = database.where
        built = build_county(db_path)
        ready = prepare(db_path, tmp)
        print(f"county: {built['projects']} projects of {YEAR}, all with approved targets of 12 indicators; "
              f"round opened in {ready['open']:.2f} s (info)")
        table = measure_table(db_path, ready["round_id"], args.runs)
        print(f"table:  {table['shown']} projects shown: {ms(table['table'])} (the page's first view, with its "
              f"imports and the chart: {ms(table['first'])}); the GUI thread busy {ms(table['busy'])} of it (info)")
        print(f"record: a 监控表 of 12 indicators open and filled in {ms(table['record'])}; the GUI thread busy "
              f"{ms(table['record_busy'])} of it (info: typing waits only on that)")
        lights = measure_lights(db_path, ready["round_id"], tmp, args.runs)
        print(f"lights: import {lights['import']:.2f} s (info: {lights['sentence']}); recompute every light + summary "
              f"{ms(lights['lights'])}; {lights['red']} red")
        xlsx = measure_xlsx(db_path, ready["round_id"], tmp, args.runs)
        ratio = xlsx["ours"] / xlsx["bare"]
        print(f"xlsx:   round_view + render_summary {ms(xlsx['ours'])}, bare openpyxl write_only {ms(xlsx['bare'])} → {ratio:.2f}×")
        print()
        results = {"table": table["table"], "lights": lights["lights"], "xlsx_ratio": ratio}
        verdicts(TARGETS, results)
    finally:
        database.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
