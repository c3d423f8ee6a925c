"""运行监控 (双监控, issue 5): rounds, the round's table of projects with their lights, the summary
by department, the year-end projection and the key-monitoring candidates.

Opening a round gives every project of the year a record (its 全年预算数 as it stands); a project
with an approved target also gets one row per indicator. A project without one is still monitored
on its money and listed as 无绩效目标. Lists are Core reads; lights are computed, never stored, so a
rule-pack change or an import shows at once."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Optional

from sqlalchemy import func, insert, select

from app.rules import monitoring as rules
from app.rules.validation import RejectedError
from app.services import audit
from app.services.workspace import Workspace
from db.models import (
    Department, MonitoringIndicator, MonitoringRecord, MonitoringRound, PerformanceTarget, Project, TargetIndicator,
)

APPROVED_TARGET = "已批复"
FILLING, SUBMITTED, PASSED, RETURNED = "填报", "已提交", "审核通过", "退回"
EDITABLE = (FILLING, RETURNED)


@dataclass(frozen=True)
class RoundRow:
    id: int
    year: int
    name: str
    month: int
    deadline: Optional[date]
    kind: str
    records: int

    @property
    def title(self) -> str:
        return f"{self.year}年{self.name}（截至{self.month}月）"


def settings(ws: Workspace) -> rules.MonitorSettings:
    return rules.MonitorSettings.from_pack(ws.rule_pack())


# -- rounds ----------------------------------------------------------------------------------------
def open_round(ws: Workspace, year: int, month: int, name: str = "", deadline: Optional[date] = None) -> int:
    """A new 监控批次: a record for every project of the year, indicator rows from approved targets."""
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
        projects = s.execute(select(p.c.id, p.c.annual_budget_fen, p.c.is_key, p.c.region_code)
                             .where(p.c.year == year).order_by(p.c.code)).all()
        if not projects:
            raise RejectedError(f"{year}年度项目库中还没有项目，请先录入或导入项目。")
        round_ = MonitoringRound(year=year, name=name, cutoff_month=month, deadline=deadline, region_code=region,
                                 rule_pack_version=ws.rule_pack().version)
        s.add(round_)
        s.flush()
        targets = {pid: tid for pid, tid in s.execute(select(t.c.project_id, t.c.id).where(
            t.c.year == year, t.c.status == APPROVED_TARGET, t.c.project_id.is_not(None)))}
        s.execute(insert(MonitoringRecord), [
            {"round_id": round_.id, "project_id": pid, "budget_fen": budget, "has_target": pid in targets,
             "is_key": False, "status": FILLING, "region_code": reg} for pid, budget, is_key, reg in projects])
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
                     f"项目{len(projects)}个，其中有已批复绩效目标的{len(targets)}个", uuid=round_.uuid)
        return round_.id


def list_rounds(ws: Workspace, year: Optional[int] = None) -> list[RoundRow]:
    r, rec = MonitoringRound.__table__, MonitoringRecord.__table__
    query = (select(r.c.id, r.c.year, r.c.name, r.c.cutoff_month, r.c.deadline, r.c.kind, func.count(rec.c.id))
             .join(rec, rec.c.round_id == r.c.id, isouter=True).group_by(r.c.id)
             .order_by(r.c.year, r.c.cutoff_month))
    if year is not None:
        query = query.where(r.c.year == year)
    with ws.read() as conn:
        return [RoundRow(*row) for row in conn.execute(query)]


def find_round(ws: Workspace, year: int, month: int) -> RoundRow:
    for row in list_rounds(ws, year):
        if row.month == month:
            return row
    raise RejectedError(f"{year}年没有截至{month}月的监控批次。请先开启批次（monitor open）。")


# -- the round's table -----------------------------------------------------------------------------
@dataclass(slots=True)
class MonitorRow:
    record_id: int
    project_id: int
    code: str
    name: str
    department: str
    budget_fen: int
    executed_fen: Optional[int]
    projected_fen: Optional[int]
    rate: Optional[Fraction]
    schedule: Fraction
    deviation: Optional[Fraction]
    light: str
    target_state: str  # 有绩效目标 / 无绩效目标
    is_key: bool  # confirmed for 重点监控
    is_key_project: bool
    status: str
    missed: int  # indicators whose projection misses the target
    search_key: str = ""
    light_order: int = 0


def round_rows(ws: Workspace, round_id: int) -> list[MonitorRow]:
    """Every project of the round with its money, rates and light (one Core read per table)."""
    rec, p, d, r = MonitoringRecord.__table__, Project.__table__, Department.__table__, MonitoringRound.__table__
    mi = MonitoringIndicator.__table__
    s = settings(ws)
    with ws.read() as conn:
        month = conn.execute(select(r.c.cutoff_month).where(r.c.id == round_id)).scalar()
        if month is None:
            raise RejectedError("这个监控批次已被删除。")
        missed: dict[int, int] = {}
        for record_id, direction, target, projected in conn.execute(
                select(mi.c.record_id, mi.c.direction, mi.c.target_value, mi.c.projected_value)
                .join(rec, rec.c.id == mi.c.record_id)
                .where(rec.c.round_id == round_id, mi.c.projected_value.is_not(None))):  # no projection, no miss
            if rules.misses(direction, target or "", projected or ""):
                missed[record_id] = missed.get(record_id, 0) + 1
        found = conn.execute(
            select(rec.c.id, rec.c.project_id, p.c.code, p.c.name, d.c.name, rec.c.budget_fen, rec.c.executed_fen,
                   rec.c.projected_fen, rec.c.has_target, rec.c.is_key, p.c.is_key, rec.c.status)
            .join(p, p.c.id == rec.c.project_id).join(d, d.c.id == p.c.department_id)
            .where(rec.c.round_id == round_id).order_by(p.c.code)).all()
    line = rules.schedule(month)
    out = []
    for rid, pid, code, name, dept, budget, executed, projected, has_target, is_key, key_project, status in found:
        lamp = rules.light(executed, budget, month, s)
        rate = rules.execution_rate(executed, budget)
        out.append(MonitorRow(rid, pid, code, name, dept, budget, executed, projected, rate, line,
                              rules.deviation(executed, budget, month), lamp, "有绩效目标" if has_target else "无绩效目标",
                              bool(is_key), bool(key_project), status, missed.get(rid, 0),
                              f"{code} {name} {dept}".casefold(), rules.LIGHT_ORDER[lamp]))
    # red first, then yellow, green and unfilled; within a light, furthest behind the time line first
    # (the deviation scaled to an integer: comparing Fractions would be most of this function's time)
    out.sort(key=lambda r: (r.light_order, 0 if r.deviation is None else
                            r.deviation.numerator * 10**12 // r.deviation.denominator, r.code))
    return out


def round_month(ws: Workspace, round_id: int) -> int:
    with ws.read() as conn:
        return conn.execute(select(MonitoringRound.cutoff_month).where(MonitoringRound.id == round_id)).scalar_one()


# -- summary ---------------------------------------------------------------------------------------
@dataclass
class SummaryLine:
    department: str
    projects: int = 0
    budget_fen: int = 0
    executed_fen: int = 0
    filled_budget_fen: int = 0  # budgets of the records whose 截至执行数 is in: the rate's denominator
    lights: dict[str, int] = field(default_factory=lambda: {rules.RED: 0, rules.YELLOW: 0, rules.GREEN: 0,
                                                             rules.NOT_FILLED: 0})

    def add(self, row: MonitorRow) -> None:
        self.projects += 1
        self.budget_fen += row.budget_fen
        if row.executed_fen is not None:
            self.executed_fen += row.executed_fen
            self.filled_budget_fen += row.budget_fen
        self.lights[row.light] += 1

    @property
    def reported_fen(self) -> Optional[int]:
        """截至执行数 of the records that have reported (None when none has)."""
        return self.executed_fen if self.projects > self.lights[rules.NOT_FILLED] else None

    @property
    def rate(self) -> Optional[Fraction]:
        """执行率 over the projects that have reported (an unfilled record is unknown, not zero)."""
        if not self.filled_budget_fen:
            return None
        return rules.execution_rate(self.executed_fen, self.filled_budget_fen)


@dataclass
class Summary:
    month: int
    overall: SummaryLine
    departments: list[SummaryLine]
    red: list[MonitorRow]
    sentence: str

    @property
    def schedule(self) -> Fraction:
        return rules.schedule(self.month)


def summarize(ws: Workspace, rows: list[MonitorRow], month: int) -> Summary:
    """监控汇总: by 主管部门 and overall, lights counted, the red list, the seeds' sentence."""
    overall, by_dept = SummaryLine("合计"), {}
    for row in rows:
        overall.add(row)
        by_dept.setdefault(row.department, SummaryLine(row.department)).add(row)
    red = sorted((r for r in rows if r.light == rules.RED), key=lambda r: (r.deviation if r.deviation is not None else 0))
    sentence = rules.overall_sentence(overall.executed_fen, overall.filled_budget_fen, month, settings(ws))
    if overall.lights[rules.NOT_FILLED]:
        sentence += f"（{overall.lights[rules.NOT_FILLED]}个项目未填报执行数，未计入）"
    return Summary(month, overall, sorted(by_dept.values(), key=lambda x: x.department), red, sentence)


# -- year-end projection and key-monitoring candidates ---------------------------------------------
@dataclass(frozen=True)
class ProjectionRow:
    row: MonitorRow
    projection: rules.Projection


def projections(ws: Workspace, rows: list[MonitorRow], month: int) -> list[ProjectionRow]:
    """Projects heading below the pack's year-end line, lowest estimated rate first."""
    s = settings(ws)
    out = []
    for row in rows:
        p = rules.project_year_end(row.executed_fen, row.budget_fen, month, s)
        if p is not None and p.below_line:
            out.append(ProjectionRow(row, p))
    return sorted(out, key=lambda x: x.projection.rate)


def key_candidates(ws: Workspace, rows: list[MonitorRow], month: int) -> list[tuple[MonitorRow, list[str]]]:
    s = settings(ws)
    found = [(r, rules.key_candidate_reasons(r.budget_fen, r.executed_fen, month, r.is_key_project, r.light, s))
             for r in rows]
    return [(r, reasons) for r, reasons in found if reasons]


def mark_key(ws: Workspace, round_id: int, record_ids: list[int], key: bool = True) -> int:
    """The bureau's decision: these records into (key) or out of the round's 重点监控 list; returns
    how many the list now holds."""
    with ws.session() as s:
        records = s.scalars(select(MonitoringRecord).where(MonitoringRecord.round_id == round_id,
                                                           MonitoringRecord.id.in_(record_ids))).all()
        for record in records:
            record.is_key = key
        total = s.scalar(select(func.count()).where(MonitoringRecord.round_id == round_id, MonitoringRecord.is_key))
        audit.record(s, "修改", MonitoringRound.label, f"{'定为' if key else '取消'}重点监控项目{len(records)}个，"
                     f"本批次重点监控项目共{total}个")
    return total
