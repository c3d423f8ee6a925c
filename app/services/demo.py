"""The demo county 示范县 (a fictional county, region code 990101): the projects, agencies and
figures of five 2023 county reports (德惠, 钢城, 潜江, 澄江, 和硕) gathered into one county with its own
departments, stored in the tables of their stage (evaluations as evaluations), figures exactly as
printed; amounts a report does not print are illustrative and say so in their note. The reports'
重点评价, 事前绩效评估 and 第三方机构 are loaded by app.services.demo_evaluations (published: 已定稿);
the 整改台账 and 结果应用 that point at them by app.services.demo_followup.

Base data and the reports' records are inserted as loaded; targets and the 1-8月 monitoring round
go through the stages' services (app.services.targets, monitoring, monitoring_records, and the 2022
自评表 through app.services.self_eval: app.services.demo_self_eval), so their workflow states come
from the kernel like any user's. The county's three townships send their records by signed package,
each made in the township's own database (app.services.demo_townships)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Optional

from sqlalchemy.orm import Session

from app.money import fen_from_wan
from app.paths import resource_path
from app import changes
from app.services import audit, guard
from app.services.demo_evaluations import load_evaluations
from app.services.demo_followup import load_followups
from app.services.demo_self_eval import load_self_evals
from app.services.demo_stages import load_rounds, load_targets
from app.services.demo_townships import kept_database, load_townships
from app.services.workspace import Workspace
from db.models import (
    Department, FinanceOffice, Project, Region, ReportedStat, Training,
)


DEMO_YEAR = 2023


class DemoRefused(Exception):
    pass


def load_demo_data() -> dict[str, Any]:
    return json.loads(resource_path("demo", "demo_county.json").read_text(encoding="utf-8"))


def _fen(value: Optional[str]) -> Optional[int]:
    return None if value in (None, "") else fen_from_wan(value)


def _dec(value) -> Optional[Decimal]:
    return None if value in (None, "") else Decimal(str(value))


class _Loader:
    def __init__(self, session: Session, data: dict[str, Any]):
        self.s = session
        self.data = data
        self.depts: dict[tuple[str, str], Department] = {}
        self.projects: dict[tuple[str, str], Project] = {}
        self.offices: dict[tuple[str, str], FinanceOffice] = {}

    def dept(self, region: str, code: Optional[str]) -> Optional[Department]:
        return self.depts[(region, code)] if code else None

    def project(self, region: str, code: Optional[str]) -> Optional[Project]:
        return self.projects[(region, code)] if code else None

    def run(self) -> None:
        d = self.data
        for r in sorted(d["regions"], key=lambda r: r["parent_code"] is not None):
            self.s.add(Region(code=r["code"], name=r["name"], level=r["level"], parent_code=r.get("parent_code"),
                              note=r.get("note"), region_code=r["code"]))
        self.s.flush()
        for o in d.get("finance_offices", []):
            self.offices[(o["region"], o["name"])] = FinanceOffice(name=o["name"], region_code=o["region"])
            self.s.add(self.offices[(o["region"], o["name"])])
        for dep in sorted(d["departments"], key=lambda x: x.get("parent_code") is not None):
            obj = Department(code=dep["code"], name=dep["name"], kind=dep["kind"], note=dep.get("note"),
                             parent=self.dept(dep["region"], dep.get("parent_code")), region_code=dep["region"])
            self.depts[(dep["region"], dep["code"])] = obj
            self.s.add(obj)
        for p in sorted(d["projects"], key=lambda x: x.get("parent_code") is not None):
            self.projects[(p["region"], p["code"])] = obj = Project(
                year=p["year"], code=p["code"], name=p["name"], region_code=p["region"],
                department=self.dept(p["region"], p["department_code"]),
                unit=self.dept(p["region"], p.get("unit_code") or p["department_code"]),
                office=self.offices.get((p["region"], p.get("office"))) if p.get("office") else None,
                fund_type=p["fund_type"], category=p["category"], is_key=bool(p.get("is_key")),
                parent=self.project(p["region"], p.get("parent_code")),
                initial_budget_fen=fen_from_wan(p["initial_budget_wan"]), annual_budget_fen=fen_from_wan(p["annual_budget_wan"]),
                fiscal_fen=fen_from_wan(p["fiscal_wan"]), other_fen=fen_from_wan(p["other_wan"]),
                period_start=p.get("period_start"), period_end=p.get("period_end"), note=p.get("note"))
            self.s.add(obj)
        self.s.flush()
        load_evaluations(self.s, d, self.project, self.dept)
        self._followups()

    def _followups(self) -> None:
        d = self.data
        load_followups(self.s, d, self.project)
        for t in d.get("training", []):
            self.s.add(Training(region_code=t["region"], year=t["year"], sessions=t["sessions"], attendees=t["attendees"],
                                title=t.get("title"), note=t.get("note")))
        for st in d.get("reported_stats", []):
            self.s.add(ReportedStat(region_code=st["region"], year=st["year"], stage=st["stage"], item=st["item"],
                                    count=st.get("count"), amount_fen=_fen(st.get("amount_wan")),
                                    rate_pct=_dec(st.get("rate_pct")), text=st.get("text"),
                                    source=st.get("source")))


def load_demo(ws: Workspace, force: bool = False, township_dir: Optional[Path] = None,
              townships: bool = True) -> dict[str, int]:
    """Fill the database with the demo county and (unless not `townships`) its three townships'
    records, received by package (app.services.demo_townships). Refuses a database that already
    holds data unless force, in which case the existing base data must not clash (use a new file
    instead). `township_dir`: keep 青石镇's database and its package there (an older demo copy there
    is replaced only with force)."""
    if not ws.is_empty() and not force:
        raise DemoRefused("这个数据库已有数据，未载入演示数据。请换一个新的数据库文件，或加 --force 覆盖。")
    guard.permit(ws.actor, guard.DEMO, "载入")
    data = load_demo_data()
    kept = kept_database(township_dir, data) if township_dir is not None and townships else None
    if kept is not None and kept.exists() and not force:
        raise DemoRefused(f"文件夹中已有乡镇数据库“{kept}”，未载入演示数据。请换一个文件夹，或加 --force 覆盖。")
    with ws.session() as s:
        if force:
            _clear(s)
        _Loader(s, data).run()
        audit.record(s, "导入", "演示数据", "载入演示数据：示范县（取自五份2023年县级绩效管理报告）", user=ws.actor.name)
        changes.note(s, changes.EVERYTHING)  # a whole county: every page reads afresh
    first_region = next(r["code"] for r in data["regions"] if r["level"] == "县级")
    ws.set_setting("home_region", first_region)
    ws.set_setting("last_year", str(DEMO_YEAR))  # the year all five reports speak of
    load_targets(ws, data.get("targets", []))
    load_rounds(ws, data.get("monitoring_rounds", []))
    load_self_evals(ws, data.get("self_evaluations") or {})
    counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
    if townships:
        counts["townships"] = load_townships(ws, data, township_dir)
    return counts


def _clear(s: Session) -> None:
    """Remove every record (children first) so --force starts from a clean county."""
    from db.models import Base
    for table in Base.metadata.sorted_tables:  # self-references (一级/二级, 部门/单位) first
        for fk in table.foreign_keys:
            if fk.column.table is table and fk.parent.nullable:
                s.execute(table.update().values({fk.parent.name: None}))
    for table in reversed(Base.metadata.sorted_tables):
        if table.name not in ("rule_pack", "setting", "audit_log", "alembic_version"):
            s.execute(table.delete())
