"""A monitoring round follows the year (刷新批次).

A round opened in June meets a year that goes on: projects added, budgets adjusted, targets approved
later. Records not yet submitted (草稿 / 退回修改) follow by themselves:
- a project of the year without a record enters the round (a new 草稿 record, with the indicator
  rows of its approved target);
- the record's 全年预算数 follows the project's current 全年预算数;
- an approved target gives the record its indicator rows (有绩效目标). Rows already there are
  matched to the target's indicators (by the indicator they came from, else by 三级指标 name) and
  keep what was typed in them; the target's new indicators are added; a row of an indicator the
  target no longer has is removed only when nothing was typed in it.
A submitted or passed record keeps what it was filed with; `changed_since` says what changed since
(预算已调整：5,333.50 → 8,000.00万元 / 绩效目标已变更) for the page, the record form and its export.

`refresh_round` reads everything in a few bulk selects and writes only when something changed (a
page load calls it: an unchanged round costs reads only — no version moves, no audit entry). It is
the system keeping the round in step with changes the user already made to projects and targets,
so it asks no permission of its own (a page load must never be refused); the audit entry names
the actor who triggered it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Optional

from sqlalchemy import and_, bindparam, case, delete, exists, func, insert, or_, select, update

from app import changes
from app.domain.monitoring import RefreshResult
from app.money import fmt_wan
from app.rules.validation import RejectedError
from app.services import audit, workflow
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.base import now
from db.models import MonitoringIndicator, MonitoringRecord, MonitoringRound, PerformanceTarget, Project, TargetIndicator

EDITABLE = workflow.EDITABLE  # the monitoring records' editable states (草稿, 退回修改)
TARGET_CHANGED = "绩效目标已变更"

_rec, _mi, _p = MonitoringRecord.__table__, MonitoringIndicator.__table__, Project.__table__
_t, _ti, _round = PerformanceTarget.__table__, TargetIndicator.__table__, MonitoringRound.__table__
# what a monitoring row copies from its target indicator
_TARGET_FIELDS = ("target_indicator_id", "level3", "direction", "target_value", "unit")
# what a user types into a monitoring row: a row with any of these is never removed
_TYPED = (_mi.c.completed_value, _mi.c.projected_value, _mi.c.deviation_class, _mi.c.deviation_note,
          _mi.c.likelihood, _mi.c.measures, _mi.c.rectification_requirement)


@dataclass
class _Plan:
    round_id: int
    year: int
    name: str
    uuid: str
    new_records: list[dict] = field(default_factory=list)  # records to insert (projects added)
    new_rows_of_project: dict[int, list[dict]] = field(default_factory=dict)  # their indicator rows
    touched: dict[int, dict] = field(default_factory=dict)  # record id → new budget_fen / has_target
    insert_rows: list[dict] = field(default_factory=list)  # rows for existing records
    update_rows: list[dict] = field(default_factory=list)
    delete_rows: list[int] = field(default_factory=list)
    result: RefreshResult = RefreshResult()


def _approved_indicators(conn, year: int, project_ids: Optional[Iterable[int]] = None) -> dict[int, list[dict]]:
    """project id → its approved target's indicators (in the target's order), as monitoring rows."""
    query = (select(_t.c.project_id, _t.c.id).where(_t.c.year == year, _t.c.status == workflow.APPROVED,
                                                     _t.c.project_id.is_not(None)).order_by(_t.c.id))
    if project_ids is not None:
        query = query.where(_t.c.project_id.in_(list(project_ids)))
    newest = {pid: tid for pid, tid in conn.execute(query)}  # the newest approved target per project
    target_of = {tid: pid for pid, tid in newest.items()}
    out: dict[int, list[dict]] = {pid: [] for pid in target_of.values()}
    if not target_of:
        return out
    for iid, tid, level3, direction, value, unit in conn.execute(
            select(_ti.c.id, _ti.c.target_id, _ti.c.level3, _ti.c.direction, _ti.c.value_text, _ti.c.unit)
            .where(_ti.c.target_id.in_(list(target_of))).order_by(_ti.c.target_id, _ti.c.seq, _ti.c.id)):
        out[target_of[tid]].append({"target_indicator_id": iid, "level3": level3, "direction": direction,
                                    "target_value": value, "unit": unit})
    return out


def _match(rows: list[dict], wanted: list[dict]) -> tuple[list[tuple[dict, dict]], list[dict], list[dict]]:
    """Pair a record's rows with the target's indicators: by the indicator a row came from, else
    by 三级指标 name. → (pairs, indicators without a row, rows without an indicator)."""
    by_source = {r["target_indicator_id"]: r for r in rows if r["target_indicator_id"] is not None}
    used: set[int] = set()
    pairs, missing = [], []
    pending = []
    for ind in wanted:
        row = by_source.get(ind["target_indicator_id"])
        if row is not None and row["id"] not in used:
            used.add(row["id"])
            pairs.append((row, ind))
        else:
            pending.append(ind)
    for ind in pending:
        name = (ind["level3"] or "").strip()
        row = next((r for r in rows if r["id"] not in used and (r["level3"] or "").strip() == name), None)
        if row is None:
            missing.append(ind)
        else:
            used.add(row["id"])
            pairs.append((row, ind))
    return pairs, missing, [r for r in rows if r["id"] not in used]


def _suspects(conn, round_id: int, year: int, home: str) -> tuple[list[int], list[int]]:
    """What may need following, found by the database in aggregate (a round of 5,000 projects in
    step costs a few grouped selects, no rows in Python): (this database's own projects of the year
    without a record — a township's records are made in the township and arrive by package —,
    editable records whose budget or indicator rows may differ from the project and its target)."""
    c = lambda column: func.coalesce(column, "")  # noqa: E731 - empty and NULL alike
    missing = list(conn.execute(select(_p.c.id).where(_p.c.year == year, _p.c.region_code == home, ~exists().where(
        _rec.c.round_id == round_id, _rec.c.project_id == _p.c.id))).scalars())
    newest = (select(_t.c.project_id, func.max(_t.c.id).label("tid"))
              .where(_t.c.year == year, _t.c.status == workflow.APPROVED, _t.c.project_id.is_not(None))
              .group_by(_t.c.project_id).subquery())
    in_round = and_(_rec.c.round_id == round_id, _rec.c.status.in_(EDITABLE))
    wanted = (select(_ti.c.target_id, func.count().label("n")).join(newest, newest.c.tid == _ti.c.target_id)
              .group_by(_ti.c.target_id).subquery())  # only the year's approved targets' indicators
    rows = (select(_mi.c.record_id, func.count().label("n")).join(_rec, _rec.c.id == _mi.c.record_id)
            .where(in_round).group_by(_mi.c.record_id).subquery())
    # the rows still as their target indicator says, counted in the aggregate rather than filtered
    # in the join: PostgreSQL would guess that a join on five equalities keeps one row and then
    # compare every pair (a 5,000-project round: half a minute instead of a few milliseconds)
    as_target = and_(c(_mi.c.level3) == c(_ti.c.level3), c(_mi.c.direction) == c(_ti.c.direction),
                     c(_mi.c.target_value) == c(_ti.c.value_text), c(_mi.c.unit) == c(_ti.c.unit))
    same = (select(_mi.c.record_id, func.sum(case((as_target, 1), else_=0)).label("n"))
            .join(_rec, _rec.c.id == _mi.c.record_id)
            .join(newest, newest.c.project_id == _rec.c.project_id)
            .join(_ti, and_(_ti.c.id == _mi.c.target_indicator_id, _ti.c.target_id == newest.c.tid))
            .where(in_round).group_by(_mi.c.record_id).subquery())
    n = lambda sub: func.coalesce(sub.c.n, 0)  # noqa: E731
    budget = select(_rec.c.id).join(_p, _p.c.id == _rec.c.project_id).where(
        in_round, _rec.c.budget_fen != _p.c.annual_budget_fen)
    target = (select(_rec.c.id).join(newest, newest.c.project_id == _rec.c.project_id)
              .outerjoin(wanted, wanted.c.target_id == newest.c.tid).outerjoin(rows, rows.c.record_id == _rec.c.id)
              .outerjoin(same, same.c.record_id == _rec.c.id)
              .where(in_round, or_(_rec.c.has_target.is_(False), n(wanted) != n(rows), n(wanted) != n(same))))
    return missing, sorted(set(conn.execute(budget).scalars()) | set(conn.execute(target).scalars()))


def _plan(conn, round_id: int, home: str, quick: bool = False) -> _Plan:
    """What following the year would write (nothing: `result.changed` is False). `quick`: only
    when the aggregate check finds something to look at (a round in step reads no rows)."""
    found = conn.execute(select(_round.c.year, _round.c.name, _round.c.uuid).where(_round.c.id == round_id)).first()
    if found is None:
        raise RejectedError("这个监控批次已被删除。")
    year, name, uuid = found
    plan = _Plan(round_id, year, name, uuid)
    missing, suspects = _suspects(conn, round_id, year, home)
    if quick and not missing and not suspects:
        return plan
    projects = {pid: (budget, region) for pid, budget, region in conn.execute(
        select(_p.c.id, _p.c.annual_budget_fen, _p.c.region_code)
        .where(_p.c.id.in_(missing + list(conn.execute(select(_rec.c.project_id).where(_rec.c.id.in_(suspects)))
                                          .scalars()))).order_by(_p.c.code))}
    records = conn.execute(select(_rec.c.id, _rec.c.project_id, _rec.c.budget_fen, _rec.c.has_target, _rec.c.status)
                           .where(_rec.c.round_id == round_id, _rec.c.id.in_(suspects))).all()
    targets = _approved_indicators(conn, year, list(projects))
    counts = dict.fromkeys(("projects_added", "budgets_changed", "targets_added", "indicators_added",
                            "indicators_updated", "indicators_removed"), 0)

    missing_ = set(missing)
    for pid, (budget, region) in projects.items():  # in 项目编码 order
        if pid not in missing_:
            continue
        wanted = targets.get(pid, [])
        plan.new_records.append({"round_id": round_id, "project_id": pid, "budget_fen": budget, "has_target": pid in targets,
                                 "is_key": False, "status": workflow.DRAFT, "region_code": region})
        plan.new_rows_of_project[pid] = [dict(ind, region_code=region) for ind in wanted]
        counts["projects_added"] += 1
        counts["indicators_added"] += len(wanted)

    editable = [r for r in records if r.status in EDITABLE and r.project_id in projects]
    rows_of: dict[int, list[dict]] = {}
    if editable:
        ids = [r.id for r in editable]
        for row in conn.execute(
                select(_mi.c.id, _mi.c.record_id, _mi.c.target_indicator_id, _mi.c.level3, _mi.c.direction,
                       _mi.c.target_value, _mi.c.unit, _mi.c.region_code,
                       *(c.is_not(None) & (c != "") for c in _TYPED), _mi.c.needs_rectification)
                .where(_mi.c.record_id.in_(ids)).order_by(_mi.c.id)):
            rows_of.setdefault(row[1], []).append({
                "id": row[0], "target_indicator_id": row[2], "level3": row[3], "direction": row[4],
                "target_value": row[5], "unit": row[6], "region_code": row[7], "typed": any(row[8:])})
    for r in editable:
        budget, region = projects[r.project_id]
        change: dict = {}
        if r.budget_fen != budget:
            change["budget_fen"] = budget
            counts["budgets_changed"] += 1
        wanted = targets.get(r.project_id)
        if wanted is not None:  # an approved target: the record follows it
            if not r.has_target:
                change["has_target"] = True
                counts["targets_added"] += 1
            pairs, missing, stale = _match(rows_of.get(r.id, []), wanted)
            for row, ind in pairs:
                if any(row[k] != ind[k] for k in _TARGET_FIELDS):
                    plan.update_rows.append({"_id": row["id"], **{f"_{k}": ind[k] for k in _TARGET_FIELDS}})
                    if any(row[k] != ind[k] for k in _TARGET_FIELDS if k != "target_indicator_id"):
                        counts["indicators_updated"] += 1
                    change.setdefault("rows", True)
            for ind in missing:
                plan.insert_rows.append(dict(ind, record_id=r.id, region_code=region))
                counts["indicators_added"] += 1
                change.setdefault("rows", True)
            for row in stale:
                if not row["typed"]:
                    plan.delete_rows.append(row["id"])
                    counts["indicators_removed"] += 1
                    change.setdefault("rows", True)
        if change:
            plan.touched[r.id] = {"_id": r.id, "_budget": budget,
                                  "_has_target": bool(change.get("has_target", r.has_target))}
    plan.result = RefreshResult(**counts)
    return plan


def refresh_round(ws: Workspace, round_id: int, actor: Optional[Actor] = None) -> RefreshResult:
    """Bring the round's records not yet submitted up to the year as it stands now (see the module's
    words); returns what changed, with its sentence. Nothing changed: nothing is written."""
    with ws.read() as conn:
        if not _plan(conn, round_id, ws.home_region(), quick=True).result.changed:
            return RefreshResult()
    actor = actor or ws.actor
    with ws.session() as s:
        plan = _plan(s, round_id, ws.home_region())  # again, inside the writing transaction
        if not plan.result.changed:
            return plan.result
        if plan.new_records:
            s.execute(insert(MonitoringRecord), plan.new_records)
            added = dict(s.execute(select(_rec.c.project_id, _rec.c.id).where(
                _rec.c.round_id == round_id, _rec.c.project_id.in_([r["project_id"] for r in plan.new_records]))).all())
            plan.insert_rows += [dict(row, record_id=added[pid]) for pid, rows in plan.new_rows_of_project.items()
                                 for row in rows]
        if plan.delete_rows:
            s.execute(delete(_mi).where(_mi.c.id.in_(plan.delete_rows)))
        if plan.update_rows:
            s.execute(update(_mi).where(_mi.c.id == bindparam("_id")).values(
                **{k: bindparam(f"_{k}") for k in _TARGET_FIELDS}, updated_at=now(), version=_mi.c.version + 1),
                plan.update_rows)
        if plan.insert_rows:
            s.execute(insert(MonitoringIndicator), plan.insert_rows)
        if plan.touched:  # the record's version moves with its budget and its indicator rows
            s.execute(update(_rec).where(_rec.c.id == bindparam("_id")).values(
                budget_fen=bindparam("_budget"), has_target=bindparam("_has_target"), updated_at=now(),
                version=_rec.c.version + 1), list(plan.touched.values()))
        sentence = plan.result.sentence
        audit.record(s, "修改", MonitoringRound.label, f"刷新监控批次“{plan.name}”：{sentence.removeprefix('已刷新：')}",
                     uuid=plan.uuid, user=actor.name)
        ids = set(plan.touched)
        if plan.new_records:
            ids |= set(added.values())
        changes.note(s, "monitoring", plan.year, ids)
        return plan.result


def changed_since(conn, round_id: int, record_ids: Optional[Iterable[int]] = None) -> dict[int, str]:
    """record id → what changed since a submitted or passed record was filed: its budget
    ("预算已调整：5,333.50 → 8,000.00万元") and/or its approved target ("绩效目标已变更")."""
    query = (select(_rec.c.id, _rec.c.project_id, _rec.c.budget_fen, _rec.c.has_target, _p.c.annual_budget_fen, _p.c.year)
             .join(_p, _p.c.id == _rec.c.project_id)
             .where(_rec.c.round_id == round_id, _rec.c.status.not_in(EDITABLE)))
    if record_ids is not None:
        query = query.where(_rec.c.id.in_(list(record_ids)))
    filed = conn.execute(query).all()
    if not filed:
        return {}
    targets = _approved_indicators(conn, filed[0].year, [r.project_id for r in filed])
    rows_of: dict[int, list[tuple]] = {}
    with_target = [r.id for r in filed if r.project_id in targets]
    if with_target:
        for record_id, level3, direction, value, unit in conn.execute(
                select(_mi.c.record_id, _mi.c.level3, _mi.c.direction, _mi.c.target_value, _mi.c.unit)
                .where(_mi.c.record_id.in_(with_target)).order_by(_mi.c.id)):
            rows_of.setdefault(record_id, []).append(_key(level3, direction, value, unit))
    out = {}
    for r in filed:
        notes = []
        if r.budget_fen != r.annual_budget_fen:
            notes.append(f"预算已调整：{fmt_wan(r.budget_fen)} → {fmt_wan(r.annual_budget_fen)}万元")
        wanted = targets.get(r.project_id)
        if wanted is not None:
            now_rows = sorted(_key(i["level3"], i["direction"], i["target_value"], i["unit"]) for i in wanted)
            if not r.has_target or sorted(rows_of.get(r.id, [])) != now_rows:
                notes.append(TARGET_CHANGED)
        if notes:
            out[r.id] = "；".join(notes)
    return out


def _key(*values) -> tuple[str, ...]:
    return tuple((v or "").strip() for v in values)
