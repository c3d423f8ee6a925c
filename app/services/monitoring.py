"""运行监控 (双监控, issue 5): rounds, the round's table of projects with their lights, the summary
by department, the year-end projection and the key-monitoring candidates.

Opening a round gives every project of the year a record (its 全年预算数 as it stands); a project
with an approved target also gets one row per indicator. A project without one is still monitored
on its money and listed as 无绩效目标. Lists are Core reads; lights are computed, never stored, so an
import shows at once — by the thresholds of the 规则方案 version the round was opened under (kept as
its rule_pack_version and said on the page and the reports): a later change of the pack judges the
rounds opened after it, not the ones already reported.

The page and its exports show one view of a round (`round_view` → app.domain.monitoring.RoundView):
the table, the summary, the year-end projection, the key candidates and the 预警清单, computed here
once. A record's workflow is in monitoring_records, the import in monitoring_import."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Optional

from sqlalchemy import func, insert, select, update

from app import changes
from app.domain.monitoring import (
    MonitoringView, MonitorRow, ProjectionRow, RoundRow, RoundView, Summary, SummaryLine, WarningRow,
)
from app.rules import monitoring as rules
from app.rules.validation import RejectedError
from app.services import access, audit, regions, workflow
from app.services.actor import Actor
from app.services.monitoring_refresh import changed_since, refresh_round
from app.services.pack_versions import pack_at
from app.services.workflow import PASS, REOPEN_PASSED, RETURN, SUBMIT, Workflow
from app.services.workspace import Workspace
from db.models import (
    Department, MonitoringIndicator, MonitoringRecord, MonitoringRound, PerformanceTarget, Project, TargetIndicator,
)

# the stage's workflow: a record is filled, submitted, passed or returned; a passed one can be returned
RECORDS = Workflow(MonitoringRecord, "监控记录", "这条监控记录", (SUBMIT, PASS, RETURN, REOPEN_PASSED))

APPROVED_TARGET = workflow.APPROVED


def settings(ws: Workspace, pack_version: Optional[int] = None) -> rules.MonitorSettings:
    """The thresholds of the 规则方案 `pack_version` (a round's: the one it was opened under), else the active one."""
    return rules.MonitorSettings.from_pack(pack_at(ws, pack_version))


# -- rounds ----------------------------------------------------------------------------------------
def open_round(ws: Workspace, year: int, month: int, name: str = "", deadline: Optional[date] = None,
               actor: Optional[Actor] = None) -> int:
    """A new 监控批次: a record for every project of the year (草稿), indicator rows from approved targets."""
    actor = actor or ws.actor
    if not 1 <= month <= 12:
        raise RejectedError("截至月份应为1到12之间的整数。")
    name = name.strip() or f"1-{month}月"
    p, t, i = Project.__table__, PerformanceTarget.__table__, TargetIndicator.__table__
    with ws.session() as s:
        region = ws.home_region()
        clash = s.scalars(select(MonitoringRound).where(MonitoringRound.year == year, MonitoringRound.cutoff_month == month,
                                                        MonitoringRound.region_code == region)).first()
        if clash is not None:
            raise RejectedError(f"{year}年已有截至{month}月的监控批次“{clash.name}”，请直接打开它。")
        # this database's own projects: a township makes its records in its own database (package)
        projects = s.execute(select(p.c.id, p.c.annual_budget_fen, p.c.is_key, p.c.region_code)
                             .where(p.c.year == year, p.c.region_code == region).order_by(p.c.code)).all()
        if not projects:
            raise RejectedError(f"{year}年度项目库中还没有项目，请先录入或导入项目。")
        workflow.permit(actor, RECORDS, "新增")  # a round gives every project a record
        round_ = MonitoringRound(year=year, name=name, cutoff_month=month, deadline=deadline, region_code=region,
                                 rule_pack_version=ws.rule_pack().version)
        s.add(round_)
        s.flush()
        own = {pid for pid, *_ in projects}
        targets = {pid: tid for pid, tid in s.execute(select(t.c.project_id, t.c.id).where(
            t.c.year == year, t.c.status == APPROVED_TARGET, t.c.project_id.is_not(None))) if pid in own}
        s.execute(insert(MonitoringRecord), [
            {"round_id": round_.id, "project_id": pid, "budget_fen": budget, "has_target": pid in targets,
             "is_key": False, "status": workflow.DRAFT, "region_code": reg} for pid, budget, is_key, reg in projects])
        record_of = {pid: (rid, reg) for pid, rid, reg in s.execute(
            select(MonitoringRecord.project_id, MonitoringRecord.id, MonitoringRecord.region_code)
            .where(MonitoringRecord.round_id == round_.id))}
        by_target = {tid: pid for pid, tid in targets.items()}
        rows = [{"record_id": record_of[by_target[tid]][0], "target_indicator_id": iid, "level3": level3,
                 "direction": direction, "target_value": value, "unit": unit,
                 "region_code": record_of[by_target[tid]][1]}
                for iid, tid, level3, direction, value, unit in s.execute(
                    select(i.c.id, i.c.target_id, i.c.level3, i.c.direction, i.c.value_text, i.c.unit)
                    .where(i.c.target_id.in_(list(by_target) or [0])).order_by(i.c.target_id, i.c.seq))]
        if rows:
            s.execute(insert(MonitoringIndicator), rows)
        audit.record(s, "新增", MonitoringRound.label, f"开启{year}年监控批次“{name}”（截至{month}月），"
                     f"项目{len(projects)}个，其中有已批复绩效目标的{len(targets)}个", uuid=round_.uuid, user=actor.name)
        changes.note(s, "monitoring", year, [round_.id])
        return round_.id


def _rounds_query():
    r, rec = MonitoringRound.__table__, MonitoringRecord.__table__
    return (select(r.c.id, r.c.year, r.c.name, r.c.cutoff_month, r.c.deadline, r.c.kind, func.count(rec.c.id),
                   r.c.rule_pack_version)
            .join(rec, rec.c.round_id == r.c.id, isouter=True).group_by(r.c.id)
            .order_by(r.c.year, r.c.cutoff_month))


def list_rounds(ws: Workspace, year: Optional[int] = None) -> list[RoundRow]:
    query = _rounds_query()
    if year is not None:
        query = query.where(MonitoringRound.__table__.c.year == year)
    with ws.read() as conn:
        return [RoundRow(*row) for row in conn.execute(query)]


def find_round(ws: Workspace, year: int, month: int) -> RoundRow:
    for row in list_rounds(ws, year):
        if row.month == month:
            return row
    raise RejectedError(f"{year}年没有截至{month}月的监控批次。请先开启批次（monitor open）。")


# -- the round's view ------------------------------------------------------------------------------
def monitoring_view(ws: Workspace, year: int, round_id: Optional[int] = None,
                    region: Optional[str] = None) -> MonitoringView:
    """The page for a year: its rounds and the view of `round_id` (the year's latest round when
    it is not given or no longer there; of one 区划 when `region` is a code), first brought up to
    the year as it stands (monitoring_refresh.refresh_round: writes only when something changed)."""
    rounds = tuple(list_rounds(ws, year))
    chosen = next((r for r in rounds if r.id == round_id), rounds[-1] if rounds else None)
    # the round follows the year (not in a copy opened read-only beside the program that holds the file)
    # and only for a user who may open rounds (绩效科, or a database without users): a 只读 user changes nothing
    keeps = ws.read_only or workflow.permission_refusal(ws.actor, RECORDS, "新增") is not None
    refreshed = None if chosen is None or keeps else refresh_round(ws, chosen.id)
    if refreshed is not None and refreshed.changed:
        rounds = tuple(list_rounds(ws, year))
        chosen = next(r for r in rounds if r.id == chosen.id)
    return MonitoringView(year, rounds, None if chosen is None else _view(ws, chosen, region), refreshed)


def round_view(ws: Workspace, round_id: int, region: Optional[str] = None) -> RoundView:
    """Everything the page's three tabs and the exports show for one round (for one 区划 when
    `region` is a code: its projects, summary and lists, the region named in the title)."""
    with ws.read() as conn:
        found = conn.execute(_rounds_query().where(MonitoringRound.__table__.c.id == round_id)).first()
    if found is None:
        raise RejectedError("这个监控批次已被删除。")
    return _view(ws, RoundRow(*found), region)


def _view(ws: Workspace, round_: RoundRow, region: Optional[str] = None) -> RoundView:
    s = settings(ws, round_.pack_version)  # the round is judged by the pack it was opened under
    month = round_.month
    chosen = regions.choices(ws)
    rows = tuple(round_rows(ws, round_.id, month, region, s))
    outlook, warnings = [], []
    # only a project behind the time line (red, yellow) can head below a year-end line of at most 100%
    everyone = s.projection_line > 1
    for r in rows:
        p = rules.project_year_end(r.executed_fen, r.budget_fen, month, s) if everyone or r.light in _WARNED else None
        reasons = rules.key_candidate_reasons(r.budget_fen, r.executed_fen, month, r.is_key_project, r.light, s)
        reasons = tuple(reasons) if reasons else ()
        below = p is not None and p.below_line
        if below or reasons:
            outlook.append(ProjectionRow(r, p if below else None, reasons))
        if r.light in _WARNED:
            warnings.append(WarningRow(r, p, reasons))
    warnings.sort(key=lambda w: w.row.behind)  # red and yellow together, furthest behind first
    summary = _summarize(rows, month, s)
    return RoundView(round_, rows, summary, tuple(outlook), tuple(warnings), chosen.label_of(region),
                     () if region else _by_region(rows, month, s, chosen, summary.overall))


def _by_region(rows: tuple[MonitorRow, ...], month: int, s: rules.MonitorSettings, chosen: regions.RegionChoices,
               total: SummaryLine) -> tuple[SummaryLine, ...]:
    """按区划汇总: the summary's totals (its 合计 line) for 本级 and each township, then 合计;
    nothing when the county holds no township's records."""
    if not chosen.shown:
        return ()
    by_code: dict[str, list[MonitorRow]] = {code: [] for code in (chosen.home_code, *dict(chosen.townships))}
    for row in rows:
        by_code.setdefault(row.region_code, []).append(row)
    lines = [replace(_summarize(tuple(found), month, s).overall, department=chosen.label_of(code))
             for code, found in by_code.items()]
    return (*lines, total)


_WARNED = frozenset({rules.RED, rules.YELLOW})


def round_rows(ws: Workspace, round_id: int, month: Optional[int] = None, region: Optional[str] = None,
               s: Optional[rules.MonitorSettings] = None) -> list[MonitorRow]:
    """Every project of the round (of one 区划 when `region` is a code) with its money, rates, light
    (by `s`, else the thresholds of the pack the round was opened under) and region's name (one Core
    read per table), red first, then yellow, green and unfilled; within a light, furthest behind the
    time line first."""
    rec, p, d, r = MonitoringRecord.__table__, Project.__table__, Department.__table__, MonitoringRound.__table__
    mi = MonitoringIndicator.__table__
    with ws.read() as conn:
        if month is None or s is None:
            found = conn.execute(select(r.c.cutoff_month, r.c.rule_pack_version).where(r.c.id == round_id)).first()
            if found is None:
                raise RejectedError("这个监控批次已被删除。")
            month = found.cutoff_month if month is None else month
            s = settings(ws, found.rule_pack_version) if s is None else s
        missed: dict[int, int] = {}
        for record_id, direction, target, projected in conn.execute(
                select(mi.c.record_id, mi.c.direction, mi.c.target_value, mi.c.projected_value)
                .join(rec, rec.c.id == mi.c.record_id)
                .where(rec.c.round_id == round_id, mi.c.projected_value.is_not(None))):  # no projection, no miss
            if rules.misses(direction, target or "", projected or ""):
                missed[record_id] = missed.get(record_id, 0) + 1
        found = conn.execute(
            select(rec.c.id, rec.c.project_id, p.c.code, p.c.name, d.c.name, rec.c.budget_fen, rec.c.executed_fen,
                   rec.c.projected_fen, rec.c.has_target, rec.c.is_key, p.c.is_key, rec.c.status, rec.c.region_code)
            .join(p, p.c.id == rec.c.project_id).join(d, d.c.id == p.c.department_id)
            .where(rec.c.round_id == round_id, *access.where(ws.actor, MonitoringRecord), *regions.clause(rec, region))
            .order_by(p.c.code, p.c.region_code)).all()
        since = changed_since(conn, round_id)  # submitted / passed records: what changed since filing
    named = regions.names(ws)
    line = rules.schedule(month)
    out = []
    for rid, pid, code, name, dept, budget, executed, projected, has_target, is_key, key_project, status, reg in found:
        lamp = rules.light(executed, budget, month, s)
        gap = rules.deviation(executed, budget, month)
        place = named.get(reg, reg or "")
        out.append(MonitorRow(rid, pid, code, name, dept, budget, executed, projected, rules.execution_rate(executed, budget),
                              line, gap, lamp, "有绩效目标" if has_target else "无绩效目标",
                              bool(is_key), bool(key_project), status, missed.get(rid, 0),
                              f"{code} {name} {dept} {place}".casefold(), rules.LIGHT_ORDER[lamp],
                              None if gap is None else gap.numerator * 10**12 // gap.denominator, since.get(rid, ""),
                              reg or "", place))
    out.sort(key=lambda r: (r.light_order, r.behind or 0, r.code, r.region_code))
    return out


_LIGHT_SLOT = {rules.RED: 4, rules.YELLOW: 5, rules.GREEN: 6, rules.NOT_FILLED: 7}


def _summarize(rows: tuple[MonitorRow, ...], month: int, s: rules.MonitorSettings) -> Summary:
    """监控汇总: by 主管部门 and overall, lights counted, the red list, the seeds' sentence."""
    # per line: projects, budget, executed, filled budget, then the lights in SummaryLine's order
    by_dept: dict[str, list[int]] = {}
    for row in rows:
        acc = by_dept.get(row.department) or by_dept.setdefault(row.department, [0] * 8)
        acc[0] += 1
        acc[1] += row.budget_fen
        if row.executed_fen is not None:
            acc[2] += row.executed_fen
            acc[3] += row.budget_fen
        acc[_LIGHT_SLOT[row.light]] += 1
    total = SummaryLine("合计", *(sum(column) for column in zip(*by_dept.values())) if by_dept else ())
    red = [r for r in rows if r.light == rules.RED]  # the table's order: furthest behind first
    sentence = rules.overall_sentence(total.executed_fen, total.filled_budget_fen, month, s)
    if total.not_filled:
        sentence += f"（{total.not_filled}个项目未填报执行数，未计入）"
    return Summary(month, total, tuple(SummaryLine(dept, *acc) for dept, acc in sorted(by_dept.items())),
                   tuple(red), sentence)


# -- the bureau's decisions --------------------------------------------------------------------------
def mark_key(ws: Workspace, round_id: int, record_ids: list[int], key: bool = True, actor: Optional[Actor] = None) -> int:
    """The bureau's decision: these records into (key) or out of the round's 重点监控 list; returns
    how many the list now holds. Only the flag is written (a Core update): the records' content
    and versions stay as they are, so a clerk's open form can still be saved."""
    actor = actor or ws.actor
    workflow.permit(actor, RECORDS, "定为重点监控" if key else "取消重点监控")
    r = MonitoringRecord.__table__
    with ws.session() as s:
        year = s.scalar(select(MonitoringRound.year).where(MonitoringRound.id == round_id))
        if year is None:
            raise RejectedError("这个监控批次已被删除。")
        ids = list(s.scalars(select(r.c.id).where(r.c.round_id == round_id, r.c.id.in_(record_ids))))
        if ids:
            s.execute(update(r).where(r.c.id.in_(ids)).values(is_key=key))
        total = s.scalar(select(func.count()).select_from(r).where(r.c.round_id == round_id, r.c.is_key))
        audit.record(s, "修改", MonitoringRound.label, f"{'定为' if key else '取消'}重点监控项目{len(ids)}个，"
                     f"本批次重点监控项目共{total}个", user=actor.name)
        changes.note(s, "monitoring", year, ids)
    return total
