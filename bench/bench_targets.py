"""Targets benchmark (`make bench`; not part of `make test`).

On the synthetic county of bench_foundation (5,000 projects of one year), prints the median of N
runs (default 5) of:

  import   app.services.targets.import_file (app.io parses, the service writes in bulk) over a flat
           workbook of 5,000 targets × 12 indicators (60,000 rows, the 一体化 layout), on a fresh
           copy of the database each run, against bare openpyxl read_only reading every cell of the
           same file (the reference)
  check    the automatic check over every target of the year (year_drafts + check per target)
  form     opening a target form of 12 indicators: the draft read (open_target, also shown alone:
           the page reads it on the GUI thread while it stays under 50 ms), TargetForm built,
           shown and painted

and a PASS/FAIL table against the issue's figures. Always exits 0: it is a report, not a gate.

    .venv/bin/python bench/bench_targets.py [--runs 5] [--keep]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_foundation import bare_read, YEAR, build_county, ms, start, timed, verdicts  # noqa: E402

TARGETS = {"import_ratio": (2.0, "x"), "check": (2.0, "s"), "form": (0.100, "s")}
GRID = [  # 12 indicators a clerk would write; values vary per project
    ("产出", "数量", "补助发放人次", "≥", "{n}", "人次"), ("产出", "数量", "完成改造面积", "≥", "{m}", "平方米"),
    ("产出", "质量", "资金发放准确率", "=", "100", "%"), ("产出", "质量", "工程验收合格率", "≥", "98", "%"),
    ("产出", "时效", "资金拨付及时率", "≥", "95", "%"), ("产出", "时效", "项目完工时间", "≤", f"{YEAR}年11月", ""),
    ("产出", "成本", "人均补助标准", "≤", "{c}", "元"), ("效益", "社会效益", "政策知晓率", "≥", "90", "%"),
    ("效益", "经济效益", "带动就业人数", "≥", "{j}", "人"), ("效益", "可持续影响", "长效管护机制建立", "定性", "建立", ""),
    ("满意度", "服务对象满意度", "受益群众满意度", "≥", "90", "%"), ("效益", "生态效益", "垃圾无害化处理率", "≥", "95", "%"),
]
HEADERS = ["项目编码", "年度", "总体目标", "年度目标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值",
           "计量单位", "分值", "指标解释"]


def write_targets_file(db_path: Path, path: Path) -> int:
    from openpyxl import Workbook
    from sqlalchemy import text

    from db.engine import make_engine

    engine = make_engine(db_path)  # a SQLite file or a PostgreSQL URL
    with engine.connect() as conn:
        codes = [r[0] for r in conn.execute(text("select code from project where year = :y order by code"), {"y": YEAR})]
    engine.dispose()
    wb = Workbook(write_only=True)
    sheet = wb.create_sheet("绩效目标")
    sheet.append(HEADERS)
    rows = 0
    for n, code in enumerate(codes):
        for k, (l1, l2, l3, d, v, u) in enumerate(GRID):
            goal = f"全年完成{code}项目建设任务，补助按月足额发放，验收合格率98%以上，群众满意度90%以上。" if k == 0 else ""
            value = v.format(n=500 + n, m=1000 + n * 3, c=300 + n % 50, j=5 + n % 20)
            sheet.append([code, YEAR, "", goal, l1, l2, l3, d, value, u, "", "按项目实施方案测算"])
            rows += 1
    wb.save(path)
    return rows


def measure_import(db_path: Path, folder: Path, runs: int) -> dict:
    from app.services.targets import import_file
    from app.services.workspace import Workspace

    source = folder / "targets-60000.xlsx"
    rows = write_targets_file(db_path, source)
    bare, ours, sentence = [], [], ""
    for n in range(runs):
        bare.append(timed(lambda: bare_read(source, ["绩效目标"])))
        copy = folder / f"import-{n}.sqlite3"
        shutil.copy(db_path, copy)
        ws = Workspace.open(copy)
        t = time.perf_counter()
        sentence = import_file(ws, source)
        ours.append(time.perf_counter() - t)
        ws.close()
    return {"rows": rows, "bare": statistics.median(bare), "import": statistics.median(ours), "sentence": sentence,
            "db": folder / f"import-{runs - 1}.sqlite3"}


def measure_check(db_path: Path, runs: int) -> dict:
    from app.services import targets
    from app.services.workspace import Workspace

    ws = Workspace.open(db_path)
    out = {}

    def run() -> None:
        pairs = targets.year_drafts(ws, YEAR)
        out["targets"], out["indicators"] = len(pairs), sum(len(d.indicators) for _, d in pairs)
        out["findings"] = sum(len(targets.check(ws, d).findings) for _, d in pairs)

    times = [timed(run) for _ in range(runs)]
    ws.close()
    return {**out, "check": statistics.median(times)}


def measure_form(db_path: Path, runs: int) -> dict:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from app.services import targets
    from app.services.workspace import Workspace
    from ui.app import make_application
    from ui.dialogs.target_form import TargetForm

    app = QApplication.instance() or make_application([])
    ws = Workspace.open(db_path)
    pids = [row.project_id for row in targets.list_targets(ws, YEAR)]
    opened = TargetForm(ws, targets.open_target(ws, pids[0]))  # first form: imports and font caches
    opened.show()
    app.processEvents()
    opened.close()
    times, reads = [], []
    for pid in pids[1:max(runs, 20) + 1]:
        t = time.perf_counter()
        draft = targets.open_target(ws, pid)
        reads.append(time.perf_counter() - t)
        form = TargetForm(ws, draft)
        form.show()
        app.processEvents()
        times.append(time.perf_counter() - t)
        rows = form.model.rowCount()
        form.close()
        form.deleteLater()
        app.processEvents()
    ws.close()
    return {"form": statistics.median(times), "max": max(times), "rows": rows, "opened": len(times),
            "read": statistics.median(reads), "read_max": max(reads)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    tmp = start("perfdesk targets benchmark", "perfdesk-bench-targets-")
    try:
        db_path = tmp / "county.sqlite3"
        built = build_county(db_path)
        print(f"county: {built['projects']} projects of {YEAR}")
        imp = measure_import(db_path, tmp, args.runs)
        ratio = imp["import"] / imp["bare"]
        print(f"import: {imp['rows']} indicator rows; import_file {ms(imp['import'])}, bare openpyxl read_only "
              f"{ms(imp['bare'])} → {ratio:.2f}×  ({imp['sentence']})")
        chk = measure_check(imp["db"], args.runs)
        print(f"check:  {chk['targets']} targets, {chk['indicators']} indicators, {chk['findings']} findings: "
              f"{ms(chk['check'])}")
        frm = measure_form(imp["db"], args.runs)
        print(f"form:   {frm['opened']} forms of {frm['rows']} indicators opened; median {ms(frm['form'])}, "
              f"slowest {ms(frm['max'])}; of which the draft read (open_target) median {ms(frm['read'])}, "
              f"slowest {ms(frm['read_max'])}")
        print()
        results = {"import_ratio": ratio, "check": chk["check"], "form": frm["form"]}
        verdicts(TARGETS, results)
    finally:
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
