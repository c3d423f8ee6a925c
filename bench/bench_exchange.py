"""县乡数据交换 benchmark (`make bench`; not part of `make test`).

A township database with 300 projects of one year, each with an approved target of 6 indicators
(bulk-inserted), its record in an opened 1-8月 round with the target's indicator rows
(app.services.monitoring.open_round, execution filled by a bulk update) and its 自评表 with the same
rows (app.services.self_eval.create_year); the county has registered the township's key. Prints
the record counts and the median of N runs (default 3) of:

  export   app.services.exchange.export_package of the township's 上报 package — ≤ 2 s
  first    app.services.exchange.import_package into a county that has none of it (all 新增),
           a fresh county database each run — ≤ 2 s
  again    the same package imported a second time (all 无变化: nothing written) — ≤ 2 s

and the PASS/FAIL table; exits 1 when a measure misses its mark (the issue's benchmark).

    .venv/bin/python bench/bench_exchange.py [--runs 3] [--projects 300] [--keep] [--backend postgresql]

--backend postgresql puts the county databases on a throwaway local PostgreSQL server (the
township's is a SQLite file, as on a township PC).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.bench_foundation import BenchDatabase, add_backend_option, ms, start, verdicts  # noqa: E402

YEAR = 2023
COUNTY = ("530326", "云溪县")
TOWN = ("530326101", "青石镇")
LIMITS = {"export": (2.0, "s"), "first": (2.0, "s"), "again": (2.0, "s")}
GRID = [  # level1, level2, level3, direction, value, unit, points
    ("产出", "数量", "硬化（改造）道路里程", "≥", "{q}", "公里", "20"),
    ("产出", "质量", "工程竣工验收合格率", "=", "100", "%", "15"),
    ("产出", "时效", "工程完工时间", "≤", "10", "月", "15"),
    ("产出", "成本", "项目支出", "≤", "{budget}", "万元", "10"),
    ("效益", "社会效益", "受益群众人数", "≥", "2600", "人", "20"),
    ("满意度", "服务对象满意度", "沿线群众满意度", "≥", "90", "%", "20"),
]
TOPICS = ["村级道路硬化", "农村饮水安全巩固", "农村人居环境整治", "小型水利设施维修", "村级公益事业奖补", "集镇环境卫生保洁"]


def region_ws(path_or_url, home: tuple[str, str], township: tuple[str, str]):
    """A database with the county and the township in its base data and `home` as 本级区划."""
    from app.services.base_data import save_region
    from app.services.workspace import Workspace

    ws = Workspace.open(path_or_url)
    save_region(ws, {"code": COUNTY[0], "name": COUNTY[1], "level": "县级"})
    save_region(ws, {"code": township[0], "name": township[1], "level": "乡镇"}, parent_code=COUNTY[0])
    ws.set_setting("home_region", home[0])
    return ws


def build_township(path: Path, n: int) -> dict:
    """The township's records: projects and approved targets bulk-inserted, the round and the
    自评表 made by the services, the round's execution filled by one bulk update."""
    from sqlalchemy import insert, update

    from app.services import self_eval
    from app.services.monitoring import open_round
    from db.models import Department, MonitoringRecord, PerformanceTarget, Project, TargetIndicator

    t = time.perf_counter()
    ws = region_ws(path, TOWN, TOWN)
    region = TOWN[0]
    with ws.session() as s:
        s.execute(insert(Department), [{"id": 1, "code": "901001", "name": "云溪县青石镇人民政府", "kind": "部门",
                                        "region_code": region}])
        projects, targets, rows = [], [], []
        for i in range(n):
            wan = 20 + (i * 37) % 180
            projects.append({"id": i + 1, "year": YEAR, "code": f"{YEAR}{i + 1:04d}",
                             "name": f"{TOPICS[i % len(TOPICS)]}（第{i // len(TOPICS) + 1}批）", "department_id": 1,
                             "unit_id": 1, "fund_type": "一般公共预算", "category": "新增", "is_key": False,
                             "initial_budget_fen": wan * 1_000_000, "annual_budget_fen": wan * 1_000_000,
                             "fiscal_fen": wan * 1_000_000, "other_fen": 0, "period_start": f"{YEAR}-01",
                             "period_end": f"{YEAR}-12", "region_code": region})
            targets.append({"id": i + 1, "year": YEAR, "kind": "项目支出", "project_id": i + 1,
                            "total_funds_fen": wan * 1_000_000, "status": "已批复", "version": 4, "region_code": region,
                            "annual_goal": "全年完成村组道路硬化和养护，工程验收合格，沿线群众出行更加便利。"})
            fill = {"q": f"{1 + i % 9}.5", "budget": str(wan)}
            rows += [{"target_id": i + 1, "seq": k + 1, "level1": l1, "level2": l2, "level3": l3, "direction": d,
                      "value_text": value.format(**fill), "unit": unit, "points": points, "region_code": region}
                     for k, (l1, l2, l3, d, value, unit, points) in enumerate(GRID)]
        s.execute(insert(Project), projects)
        s.execute(insert(PerformanceTarget), targets)
        s.execute(insert(TargetIndicator), rows)
    round_id = open_round(ws, YEAR, 8, "1-8月")
    with ws.session() as s:
        s.execute(update(MonitoringRecord).where(MonitoringRecord.round_id == round_id)
                  .values(executed_fen=MonitoringRecord.budget_fen * 3 // 5))
    tables = self_eval.create_year(ws, YEAR)
    ws.close()
    return {"projects": n, "indicators": len(rows), "tables": tables, "seconds": time.perf_counter() - t}


def counts_text(counts: dict) -> str:
    return "，".join(f"{k}{v}" for k, v in counts.items())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--projects", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the temp folder (databases, packages)")
    add_backend_option(parser)
    args = parser.parse_args(argv)
    tmp = start(f"perfdesk exchange benchmark (county on {args.backend})", "perfdesk-bench-exchange-")
    database = BenchDatabase(tmp, args.backend)
    try:
        from app.services import exchange, exchange_keys

        built = build_township(tmp / "township.sqlite3", args.projects)
        print(f"township: {built['projects']} projects of {YEAR}, each with an approved target ({built['indicators']} "
              f"indicators), a record in the 1-8月 round and a 自评表 ({built['tables']} tables, incl. the department's); "
              f"built in {built['seconds']:.1f} s")
        from app.services.workspace import Workspace

        town = Workspace.open(tmp / "township.sqlite3")
        exchange_keys.write_own(town, tmp / "township.pdkey")

        def county(n: int):
            if database.server is None:
                where = tmp / f"county-{n}.sqlite3"
            else:
                where = database.server.url(database.server.create(f"bench_county_{n}"))
            ws = region_ws(where, COUNTY, TOWN)
            exchange_keys.trust(ws, tmp / "township.pdkey")
            return ws

        exports, firsts, agains = [], [], []
        package = tmp / "青石镇-2023.pdx"
        for _ in range(args.runs):
            t = time.perf_counter()
            out = exchange.export_package(town, COUNTY[0], [YEAR], package)
            exports.append(time.perf_counter() - t)
        print(f"package: {package.stat().st_size / 1e6:.2f} MB, {sum(out.counts.values())} records: "
              f"{counts_text(out.counts)}")
        for n in range(args.runs):
            ws = county(n)
            t = time.perf_counter()
            first = exchange.import_package(ws, package)
            firsts.append(time.perf_counter() - t)
            t = time.perf_counter()
            again = exchange.import_package(ws, package)
            agains.append(time.perf_counter() - t)
            ws.close()
        town.close()
        print(f"first import:  {first.counts.sentence()}")
        print(f"second import: {again.counts.sentence()}")
        results = {"export": statistics.median(exports), "first": statistics.median(firsts),
                   "again": statistics.median(agains)}
        for name, runs in (("export", exports), ("first", firsts), ("again", agains)):
            print(f"{name:<8}runs {', '.join(ms(x).strip() for x in runs)}")
        print()
        verdicts(LIMITS, results)
        if first.counts.total("新增") != sum(out.counts.values()) - out.counts.get("rule_pack", 0) \
                or again.counts.total("新增") + again.counts.total("更新") + again.counts.total("冲突"):
            print("FAIL: the first import should add every record and the second change nothing")
            return 1
        return 0 if all(results[k] <= limit for k, (limit, _) in LIMITS.items()) else 1
    finally:
        database.close()
        if args.keep:
            print(f"kept: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
