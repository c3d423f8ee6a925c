"""The demo county 示范县 (a fictional county, region code 990101): the projects, agencies and
figures of five 2023 county reports (德惠, 钢城, 潜江, 澄江, 和硕) gathered into one county with its own
departments, stored in the tables of their stage (evaluations as evaluations), figures exactly as
printed; amounts a report does not print are illustrative and say so in their note. The reports'
重点评价, 事前绩效评估 and 第三方机构 are loaded by app.services.demo_evaluations (published: 已定稿);
the 整改台账 and 结果应用 that point at them by app.services.demo_followup.

Base data and the reports' records are inserted as loaded; targets and the 1-8月 monitoring round
go through the stages' services (app.services.targets, monitoring, monitoring_records, and the 2022
自评表 through app.services.self_eval: app.services.demo_self_eval), so their workflow states come
from the kernel like any user's."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal
from typing import Any, Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.money import fen_from_wan
from app.paths import resource_path
from app import changes
from app.services import audit, guard
from app.services.demo_evaluations import load_evaluations
from app.services.demo_followup import load_followups
from app.services.demo_self_eval import load_self_evals
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
                                    rate_pct=_dec(st.get("rate_pct")), text=st.get("text")))


def load_demo(ws: Workspace, force: bool = False) -> dict[str, int]:
    """Fill the database with the demo county. Refuses a database that already holds data unless
    force, in which case the existing base data must not clash (use a new file instead)."""
    if not ws.is_empty() and not force:
        raise DemoRefused("这个数据库已有数据，未载入演示数据。请换一个新的数据库文件，或加 --force 覆盖。")
    guard.permit(ws.actor, guard.DEMO, "载入")
    data = load_demo_data()
    with ws.session() as s:
        if force:
            _clear(s)
        _Loader(s, data).run()
        audit.record(s, "导入", "演示数据", "载入演示数据：示范县（取自五份2023年县级绩效管理报告）", user=ws.actor.name)
        changes.note(s, changes.EVERYTHING)  # a whole county: every page reads afresh
    first_region = next(r["code"] for r in data["regions"] if r["level"] == "县级")
    ws.set_setting("home_region", first_region)
    ws.set_setting("last_year", str(DEMO_YEAR))  # the year all five reports speak of
    _targets(ws, data.get("targets", []))
    _monitoring(ws, data.get("monitoring_rounds", []))
    load_self_evals(ws, data.get("self_evaluations") or {})
    return {key: len(value) for key, value in data.items() if isinstance(value, list)}


def _project_ids(ws: Workspace) -> dict[tuple[int, str], int]:
    with ws.session() as s:
        return {(y, c): i for i, y, c in s.execute(select(Project.id, Project.year, Project.code))}


def _targets(ws: Workspace, targets: list[dict]) -> None:
    """Targets in every state, each step taken through app.services.targets (the workflow kernel):
    草稿 saved with the check's findings, 已提交, 退回修改 with the 绩效科's opinion, 审核通过, 已批复."""
    from app.services import targets as svc

    ids = _project_ids(ws)
    for t in targets:
        rows = [svc.IndicatorDraft(l1, l2, l3, direction, value, unit, points)
                for l1, l2, l3, direction, value, unit, points in t["indicators"]]
        draft = replace(svc.open_target(ws, ids[(t["year"], t["code"])]), annual_goal=t["annual_goal"], indicators=rows)
        if t["status"] == svc.DRAFT:
            svc.save_target(ws, draft)
            continue
        draft = svc.submit(ws, draft)
        if t["status"] == svc.SUBMITTED:
            continue
        passed = t["status"] != svc.RETURNED
        scores = {k: Decimal(v) for k, v in t["scores"].items()}
        draft = svc.review(ws, draft, scores, passed, t.get("opinion") or "目标明确，指标可衡量，同意。")
        if t["status"] == svc.APPROVED:
            svc.approve(ws, draft)


def _monitoring(ws: Workspace, rounds: list[dict]) -> None:
    """The demo's monitoring rounds, filled through app.services.monitoring_records: 德惠's
    救灾物资 9.46万元 after seven months and 净水厂 nothing all year (red, with the reports' causes),
    the other projects' illustrative 执行数 (red, yellow and green), some submitted and passed."""
    from app.services import monitoring_records as records
    from app.services.monitoring import open_round
    from db.models import MonitoringRecord

    ids = _project_ids(ws)
    for r in rounds:
        round_id = open_round(ws, r["year"], r["month"], r["name"])
        with ws.session() as s:
            by_project = dict(s.execute(select(MonitoringRecord.project_id, MonitoringRecord.id)
                                        .where(MonitoringRecord.round_id == round_id)).all())
        for item in r["records"]:
            record_id = by_project.get(ids.get((r["year"], item["code"])))
            if record_id is None:
                raise ValueError(f"demo monitoring record not found: {item['code']}")
            draft = records.open_record(ws, record_id)
            state = item.get("state") or "保存"
            # a submitted record projects each indicator to its target (the demo's projects are on course)
            indicators = [replace(i, projected=i.target if state != "保存" else "") for i in draft.indicators]
            draft = replace(draft, executed=item["executed_wan"], budget_cause=item.get("budget_cause") or "",
                            indicators=indicators)
            if state == "保存":
                records.save_record(ws, draft)
                continue
            draft = records.submit_record(ws, draft)
            if state == "审核通过":
                records.review_record(ws, draft, True, "执行进度正常，同意。")


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
