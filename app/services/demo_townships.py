"""The demo county's three townships — 青石镇, 白沙镇, 红岩乡 (fictional, like their figures) — and their
records, which reach the county the way a township's do: by signed package (县乡数据交换).

Each township gets its own database (what `new --parent` makes), the two sides register each
other's public key, the county sends the township its 1-8月 round (下发), and the township, as its
财政所 would, enters its projects of 2022 and 2023, their 绩效目标, its records in the county's round
and its 2022 自评表 through the stages' services (app.services.demo_stages, demo_self_eval), then
sends them up (上报) in the pack's two packages — 年中 (its 2023 projects, targets and records) and
年度 (everything of 2022 and 2023, with the 自评表 and 整改) — and the county imports each: the
county's 数据交换 page shows six packages received. The townships differ so the 乡镇考核 has something
to tell: 青石镇 has done everything, on time (its 整改 item closed); 白沙镇 has one target and two
records still 已提交, one of them handed in after the round's 报送截止日期, and a closed 整改 item;
红岩乡 has a project without a target, records not reported, a 2022 project whose target was never
approved (so no 自评表: the 2023 考核's 自评覆盖率 counts the 2022 projects), its 部门整体 自评表 still
已提交, an overdue 整改 item, and its 年中 package came after the due date (2023: 青石镇 100, 白沙镇
96, 红岩乡 44 at 2024-06-30). 青石镇 and 白沙镇 both number their projects 2023001…: a code may be used in
two townships.

The demo is set in 2023 but its services stamp today's time; so, once everything is imported, the
times the 乡镇考核 reads are set to the data's 2023 ones (back_date: the records' reporting times,
the packages' exchange times).

The township databases are made in a temporary folder, except 青石镇's when a folder is given: it is
kept there with the 年度 package it sent (which holds all its records), so a user can change a
record in it, export again and import into the county (an update, or a conflict when the county
changed the same record)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import case, select, update

from app.services import exchange, exchange_keys
from app.services.demo_self_eval import load_self_evals
from app.services.demo_stages import fill_round, load_targets
from app.services.workspace import Workspace
from db.models import ExchangeLog, MonitoringRecord, MonitoringRound, Project, Region, ReviewOpinion, SelfEvaluation

KEPT = "990101100"  # 青石镇: the township whose database and package a user may keep
ROUND_YEAR, ROUND_MONTH = 2023, 8  # the county's 1-8月 round the townships report in
YEARS = (2022, 2023)  # 2022: the 自评表 of 2022 budgets (made in 2023); 2023: projects, targets, the round
SIDE_FILES = ("-wal", "-shm", "-journal")
MID_YEAR, YEAR_END = "年中", "年度"  # the township's two packages (the pack's 年中数据包, 年度数据包)
HANDOVER = timedelta(hours=2)  # from a package made on one side to its import on the other
Times = dict[str, datetime]  # a record's uuid, or a package's file name → its time


def package_name(town: str, at: date) -> str:
    """青石镇-2023-20231015.pdx, as the issue names a package."""
    return f"{town}-{max(YEARS)}-{at:%Y%m%d}.pdx"


def kept_database(folder: Path, data: dict[str, Any]) -> Optional[Path]:
    """Where the kept township's database goes in `folder` (None: the demo has no townships)."""
    town = next((t for t in (data.get("townships") or {}).get("list", []) if t["code"] == KEPT), None)
    return Path(folder) / f"{town['name']}.sqlite3" if town else None


def kept_files(folder: Path, data: dict[str, Any]) -> list[Path]:
    """The kept township's database and the newest package it sent, as they are in `folder`."""
    db = kept_database(folder, data)
    if db is None or not db.exists():
        return []
    packages = sorted(Path(folder).glob(db.stem + "-*.pdx"), key=lambda p: p.stat().st_mtime)
    return [db] + packages[-1:]


def remove_database(path: Path) -> None:
    for p in [path] + [path.with_name(path.name + tail) for tail in SIDE_FILES]:
        p.unlink(missing_ok=True)


def load_townships(county: Workspace, data: dict[str, Any], keep_dir: Optional[Path] = None) -> int:
    """Every township of the demo made in its own database and imported into `county` by package;
    returns how many. 青石镇's database and package are kept in `keep_dir` when given (an older
    copy there is replaced: see app.services.demo.load_demo)."""
    section = data.get("townships") or {}
    towns = section.get("list", [])
    if not towns:
        return 0
    round_sent = _when(section.get("round_sent"))
    records: Times = {}
    received: Times = {}
    with tempfile.TemporaryDirectory(prefix="perfdesk-demo-") as tmp:
        work = Path(tmp)
        county_key = work / "county.pdkey"
        exchange_keys.write_own(county, county_key)
        blank = work / "blank.sqlite3"  # an empty database made once, copied for each (each makes its own key)
        Workspace.open(blank).close()
        for town in towns:
            folder = Path(keep_dir) if keep_dir is not None and town["code"] == KEPT else work
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{town['name']}.sqlite3"
            remove_database(path)
            shutil.copyfile(blank, path)
            ws = Workspace.open(path)
            try:
                down = _set_up(ws, county, town, county_key, work, round_sent.date())
                township = _Township(ws, town, section)
                sent = township.send_up(county, folder, work)
                handed = township.record_times(round_sent + HANDOVER)
                records.update(handed)
                received.update({name: when + HANDOVER for name, when in sent.items()})
                received[down] = round_sent
                if folder is not work:  # the kept township's own database tells the same dates
                    back_date(ws, round_sent + HANDOVER, handed, {**sent, down: round_sent + HANDOVER})
            finally:
                ws.close()
    back_date(county, round_sent + HANDOVER, records, received)
    return len(towns)


def _when(text: Optional[str]) -> datetime:
    return datetime.fromisoformat(text) if text else datetime.now().replace(microsecond=0)


def back_date(ws: Workspace, arrived: datetime, records: Times, packages: Times) -> None:
    """Demo back-dating: the demo is set in 2023 but the services stamp today's time, so the times the
    乡镇考核 reads are set to the data's — each township monitoring record made when the round
    `arrived` and last changed when it was handed in (or reviewed, or saved: `records`), its review
    there (the township's own) then too, and each package's exchange_log entry to when it was made or
    imported (by file name). One Core UPDATE per table, in one transaction; versions are left as they
    are (a time is no change to exchange)."""
    rec, log, opinion = MonitoringRecord.__table__, ExchangeLog.__table__, ReviewOpinion.__table__
    reviewed = case(records, value=opinion.c.record_uuid)
    with ws.session() as s:
        s.execute(update(rec).where(rec.c.uuid.in_(records))
                  .values(created_at=arrived, updated_at=case(records, value=rec.c.uuid)))
        s.execute(update(opinion).where(opinion.c.record_uuid.in_(records))
                  .values(at=reviewed, created_at=reviewed, updated_at=reviewed))
        s.execute(update(log).where(log.c.file_name.in_(packages)).values(at=case(packages, value=log.c.file_name)))


def _set_up(ws: Workspace, county: Workspace, town: dict, county_key: Path, work: Path, sent: date) -> str:
    """The township's database as `new --parent` makes it, the keys registered both ways, and the
    county's 下发 package (its rule pack and the 1-8月 round), sent on `sent`, imported; returns the
    package's file name."""
    from app.services.base_data import save_department, save_region

    code = county.home_region()
    with county.session() as s:
        name = s.scalars(select(Region.name).where(Region.code == code)).one()
    save_region(ws, {"code": code, "name": name, "level": "县级"})
    save_region(ws, {"code": town["code"], "name": town["name"], "level": "乡镇"}, parent_code=code)
    ws.set_setting("home_region", town["code"])
    ws.set_setting("last_year", str(ROUND_YEAR))
    own = work / f"{town['code']}.pdkey"
    exchange_keys.write_own(ws, own)
    exchange_keys.trust(county, own)
    exchange_keys.trust(ws, county_key)
    down = work / package_name(f"{name}-{town['name']}", sent)  # 示范县-青石镇-2023-20230825.pdx
    exchange.export_package(county, town["code"], [ROUND_YEAR], down)
    exchange.import_package(ws, down)
    dept = town["department"]
    save_department(ws, {"code": dept["code"], "name": dept["name"], "kind": "部门"})
    return down.name


class _Township:
    """One township's records, entered in its own database through the stages' services."""

    def __init__(self, ws: Workspace, town: dict, section: dict):
        self.ws, self.town, self.section = ws, town, section
        self.round_id: Optional[int] = None

    def plan(self) -> None:
        """What the 年中 package brings: the projects, their targets and the 1-8月 records."""
        for p in self.town["projects"]:
            self._project(p)
        load_targets(self.ws, [self._target(p) for p in self.town["projects"] if p.get("target")])
        self._round()

    def year_end(self) -> None:
        """What the 年度 package adds: the 2022 自评表 and the 整改 items."""
        load_self_evals(self.ws, {"year": min(YEARS), "opinion": self.section["self_eval_opinion"],
                                  "projects": self.town.get("self_evaluations", []),
                                  "departments": [self.town["department_self_evaluation"]]})
        for item in self.town.get("rectifications", []):
            self._rectification(item)

    def send_up(self, county: Workspace, folder: Path, work: Path) -> Times:
        """The records entered and sent in the two packages, each imported into `county`; returns each
        package's file name → when the township made it (the data's `received`, less HANDOVER). The
        年度 package, which holds everything, is written in `folder`; the 年中 one in `work`."""
        sent: Times = {}
        for part, years, enter in ((MID_YEAR, (ROUND_YEAR,), self.plan), (YEAR_END, YEARS, self.year_end)):
            enter()
            made = _when((self.town.get("received") or {}).get(part)) - HANDOVER
            package = (folder if part == YEAR_END else work) / package_name(self.town["name"], made.date())
            exchange.export_package(self.ws, county.home_region(), years, package)
            exchange.import_package(county, package)
            sent[package.name] = made
        return sent

    def _project(self, p: dict) -> int:
        from app.services.projects import save_project

        dept = f"[{self.town['department']['code']}]{self.town['department']['name']}"
        return save_project(self.ws, {
            "code": p["code"], "name": p["name"], "year": str(p["year"]), "department": dept, "unit": dept,
            "fund_type": "一般公共预算", "category": "新增", "initial_budget": p["budget_wan"],
            "annual_budget": p["budget_wan"], "office": "", "fiscal": p["budget_wan"], "other": "0", "is_key": "否",
            "parent_code": "", "period_start": f"{p['year']}-01", "period_end": f"{p['year']}-12"})

    def _target(self, p: dict) -> dict:
        kind = self.section["kinds"][p["kind"]]
        fill = {"{q}": p["quantity"], "{budget}": p["budget_wan"]}
        indicators = [[fill.get(cell, cell) for cell in row] for row in kind["indicators"]]
        return {"year": p["year"], "code": p["code"], "status": p["target"], "indicators": indicators,
                "annual_goal": kind["goal"].format(name=p["name"], q=p["quantity"]),
                "scores": self.section["scores"], "opinion": self.section["opinion"]}

    def _round(self) -> None:
        """The county's round, as it arrived: the township's projects join it (刷新批次), then each
        record is filled as the data says (a project without monitoring data stays 未填报)."""
        from app.services.monitoring_refresh import refresh_round

        with self.ws.session() as s:
            self.round_id = s.scalars(select(MonitoringRound.id).where(
                MonitoringRound.year == ROUND_YEAR, MonitoringRound.cutoff_month == ROUND_MONTH)).one()
        refresh_round(self.ws, self.round_id)
        fill_round(self.ws, self.round_id, ROUND_YEAR, [dict(p["monitoring"], code=p["code"])
                                                        for p in self.town["projects"] if p.get("monitoring")])

    def record_times(self, arrived: datetime) -> Times:
        """Each of the township's records in the round (by uuid) → when it was last changed, as the
        data says (`at`: handed in, reviewed or saved); a record never filled: when the round arrived."""
        at = {p["code"]: _when(p["monitoring"]["at"]) for p in self.town["projects"] if p.get("monitoring")}
        with self.ws.session() as s:
            rows = s.execute(select(MonitoringRecord.uuid, Project.code)
                             .join(Project, Project.id == MonitoringRecord.project_id)
                             .where(MonitoringRecord.round_id == self.round_id)).all()
        return {uuid: at.get(code, arrived) for uuid, code in rows}

    def _rectification(self, item: dict) -> None:
        """An 整改 item made from a 自评表's 存在问题, then taken as far as the data says."""
        from app.services import rectification as svc
        from app.services.rectification_sources import from_self_eval

        with self.ws.session() as s:
            eval_id = s.scalars(select(SelfEvaluation.id).join(Project, Project.id == SelfEvaluation.project_id)
                                .where(Project.code == item["from_self_eval"], Project.year == min(YEARS))).one()
        draft = svc.start(self.ws, from_self_eval(self.ws, eval_id, date.fromisoformat(item["notice"]),
                                                  item["category"]))
        if item["state"] != "已销号":
            return
        draft = svc.save(self.ws, replace(draft, measures=item["measures"],
                                          completed_on=date.fromisoformat(item["completed_on"])))
        draft = svc.report(self.ws, draft)
        draft = svc.verify(self.ws, draft, True, item["verifier"], date.fromisoformat(item["verified_on"]))
        svc.close(self.ws, draft)
