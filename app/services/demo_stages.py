"""The demo's targets and monitoring records made as a user makes them, through the stages' services
(app.services.targets, monitoring, monitoring_records), so their workflow states come from the
kernel: used for the county (app.services.demo) and, in each township's own database, for its
townships (app.services.demo_townships)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from sqlalchemy import select

from app.services.workspace import Workspace
from db.models import MonitoringRecord, Project

DEFAULT_OPINION = "目标明确，指标可衡量，同意。"


def project_ids(ws: Workspace) -> dict[tuple[int, str], int]:
    """(年度, 项目编码) → id of this database's own projects (a county's townships may reuse a code)."""
    with ws.session() as s:
        return {(y, c): i for i, y, c in s.execute(select(Project.id, Project.year, Project.code)
                                                    .where(Project.region_code == ws.home_region()))}


def load_targets(ws: Workspace, targets: list[dict]) -> None:
    """Targets in every state, each step taken through app.services.targets (the workflow kernel):
    草稿 saved with the check's findings, 已提交, 退回修改 with the 绩效科's opinion, 审核通过, 已批复."""
    from app.services import targets as svc

    ids = project_ids(ws)
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
        draft = svc.review(ws, draft, scores, passed, t.get("opinion") or DEFAULT_OPINION)
        if t["status"] == svc.APPROVED:
            svc.approve(ws, draft)


def load_rounds(ws: Workspace, rounds: list[dict]) -> None:
    """The county's monitoring rounds, opened here and filled (fill_round): 德惠's 救灾物资 9.46万元
    after seven months and 净水厂 nothing all year (red, with the reports' causes), the other
    projects' illustrative 执行数 (red, yellow and green), some submitted and passed."""
    from datetime import date

    from app.services.monitoring import open_round

    for r in rounds:
        deadline = date.fromisoformat(r["deadline"]) if r.get("deadline") else None
        fill_round(ws, open_round(ws, r["year"], r["month"], r["name"], deadline), r["year"], r["records"])


def fill_round(ws: Workspace, round_id: int, year: int, items: list[dict]) -> None:
    """Each item's record of the round (by 项目编码) filled through app.services.monitoring_records:
    its 截至执行数 and cause, then 保存, 已提交 or 审核通过; a project without an item stays 未填报."""
    from app.services import monitoring_records as records

    ids = project_ids(ws)
    with ws.session() as s:
        by_project = dict(s.execute(select(MonitoringRecord.project_id, MonitoringRecord.id)
                                    .where(MonitoringRecord.round_id == round_id)).all())
    for item in items:
        record_id = by_project.get(ids.get((year, item["code"])))
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
