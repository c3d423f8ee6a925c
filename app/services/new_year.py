"""新建年度: start the next budget year by carrying last year's 延续 projects over — same 主管部门 and
实施单位, the 项目编码 with its year moved on (3701172023001 → 3701172024001), amounts left at 0 for
the user to enter, and last year's approved (已批复) target copied as a starting 草稿 (goals,
indicator grid, tasks; not submitted). Projects already in the new year are skipped, never doubled.
The year is remembered as started (projects.CREATED_YEARS), so the year list shows it even when no
project was carried. Every record is audited with the actor; the write is noted as "projects"
and "targets" changes of the new year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Optional

from sqlalchemy import Connection, select

from app import changes
from app.services import audit, guard, workflow
from app.services.actor import Actor
from app.services.base_data import dept_display
from app.services.projects import CREATED_YEARS, STAGE as PROJECTS, created_years, list_years
from app.services.target_records import STAGE as TARGETS_STAGE, TARGETS
from app.services.workflow import APPROVED, DRAFT
from app.services.workspace import Workspace
from app.rules.validation import RejectedError
from db.models import Department, PerformanceTarget, Project, Setting, TargetIndicator, TargetTask

CONTINUING = "延续"


def new_code(code: str, old_year: int, year: int) -> str:
    """The 项目编码 in the new year: the old year inside it (the last time it appears: a region
    prefix may hold the same digits) replaced by the new one; a code without it is kept."""
    at = code.rfind(str(old_year))
    if at < 0:
        return code
    return code[:at] + str(year) + code[at + 4:]


def moved_period(period: Optional[str], old_year: int, year: int) -> Optional[str]:
    """实施期 "YYYY-MM" moved on by the years between (for a period that ended before the new year)."""
    if not period or len(period) < 4 or not (period[:4].isascii() and period[:4].isdigit()):
        return period
    return f"{int(period[:4]) + year - old_year:04d}{period[4:]}"


@dataclass(frozen=True)
class CarryRow:
    """One 延续 project of last year, as the dialog lists it."""

    old_id: int
    old_code: str
    code: str  # its code in the new year
    name: str
    department: str
    unit: str
    has_target: bool  # last year's target is approved: it is copied as a 草稿
    there: bool  # the new year already has it: skipped

    @property
    def target_text(self) -> str:
        return "上年已批复目标作为草稿" if self.has_target else "无（需新填）"

    @property
    def state_text(self) -> str:
        return "已有，跳过" if self.there else "结转"


@dataclass(frozen=True)
class NewYearPlan:
    year: int
    rows: tuple[CarryRow, ...]
    started: bool  # the year is already in the year list

    @property
    def from_year(self) -> int:
        return self.year - 1

    @property
    def carried(self) -> tuple[CarryRow, ...]:
        return tuple(r for r in self.rows if not r.there)

    @property
    def skipped(self) -> tuple[CarryRow, ...]:
        return tuple(r for r in self.rows if r.there)

    def refusal(self) -> Optional[str]:
        """Why starting the year would do nothing (None: it may be started)."""
        if self.rows and not self.carried:
            return (f"{self.year}年度已有{self.from_year}年度全部{len(self.rows)}个延续项目，"
                    "没有需要结转的项目。")
        if not self.rows and self.started:
            return f"{self.year}年度已经建立，{self.from_year}年度没有可结转的延续项目。"
        return None

    def sentence(self) -> str:
        """What starting the year will do, in one sentence."""
        refusal = self.refusal()
        if refusal:
            return refusal
        carried = self.carried
        if not carried:
            return f"{self.from_year}年度没有延续项目，将建立空的{self.year}年度。"
        targets = sum(1 for r in carried if r.has_target)
        text = (f"将把{self.from_year}年度的{len(carried)}个延续项目结转到{self.year}年度"
                f"（其中{targets}个带上年已批复的绩效目标作为草稿），预算金额为0，请结转后填写。")
        if self.skipped:
            text += f"另有{len(self.skipped)}个{self.year}年度已有，将跳过。"
        return text


@dataclass(frozen=True)
class NewYearResult:
    year: int
    carried: int
    targets: int
    skipped: int

    def sentence(self) -> str:
        text = f"已建立{self.year}年度：结转延续项目{self.carried}个，带入绩效目标草稿{self.targets}个"
        if self.skipped:
            text += f"，跳过{self.skipped}个（{self.year}年度已有）"
        return text + "。请为结转的项目填写本年度预算金额。"


def next_year(ws: Workspace) -> int:
    """The year 新建年度 offers: the newest year + 1 (this year + 1 in an empty database)."""
    years = list_years(ws)
    return (years[-1] if years else date.today().year) + 1


def _plan(conn: Connection, year: int, started: bool, home: str) -> NewYearPlan:
    """Only this database's own projects are carried: a township starts its year in its own database
    and its projects reach the county by package."""
    p, d, t = Project.__table__, Department.__table__, PerformanceTarget.__table__
    old_year = year - 1
    depts = {i: dept_display(c, n) for i, c, n in conn.execute(select(d.c.id, d.c.code, d.c.name))}
    found = conn.execute(select(p.c.id, p.c.code, p.c.name, p.c.department_id, p.c.unit_id)
                         .where(p.c.year == old_year, p.c.category == CONTINUING, p.c.region_code == home)
                         .order_by(p.c.code)).all()
    approved = set(conn.execute(select(t.c.project_id).where(t.c.year == old_year, t.c.project_id.is_not(None),
                                                             t.c.status == APPROVED)).scalars())
    there = conn.execute(select(p.c.code, p.c.name, p.c.department_id).where(p.c.year == year, p.c.region_code == home)).all()
    codes = {c for c, _n, _d in there}
    names = {(n, dept) for _c, n, dept in there}
    rows = []
    for pid, code, name, dept_id, unit_id in found:
        code_now = new_code(code, old_year, year)
        rows.append(CarryRow(pid, code, code_now, name, depts.get(dept_id, ""), depts.get(unit_id, ""),
                             pid in approved, code_now in codes or (name, dept_id) in names))
    return NewYearPlan(year, tuple(rows), started)


def plan(ws: Workspace, year: int) -> NewYearPlan:
    """What starting `year` would carry over from the year before (a read: nothing is written)."""
    started = year in list_years(ws)
    with ws.read() as conn:
        return _plan(conn, year, started, ws.home_region())


def start_year(ws: Workspace, year: int, actor: Optional[Actor] = None) -> NewYearResult:
    """Start `year`: carry last year's 延续 projects not yet in it (with their approved targets as
    草稿) and remember the year as started — all in one transaction. Refused (RejectedError) when it
    would do nothing: the year already has them all, or it was started and there is nothing to carry."""
    actor = actor or ws.actor
    guard.permit(actor, guard.NEW_YEAR, "新建")
    if not 1900 < year < 3000:
        raise RejectedError("年度应为四位年份，如2024。")
    started = year in list_years(ws)
    with ws.session() as s:
        the_plan = _plan(s.connection(), year, started, ws.home_region())
        refusal = the_plan.refusal()
        if refusal:
            raise RejectedError(refusal)
        carry = the_plan.carried
        old = {p.id: p for p in s.scalars(select(Project).where(Project.id.in_([r.old_id for r in carry])))}
        if any(r.has_target for r in carry):
            workflow.permit(actor, TARGETS, "新增")
        made: dict[int, Project] = {}
        # 一级 projects first, so a carried 二级 project finds its carried 一级 project
        for row in sorted(carry, key=lambda r: old[r.old_id].parent_id is not None):
            made[row.old_id] = _carry_project(s, old[row.old_id], row.code, year, made, actor)
        targets = s.scalars(select(PerformanceTarget).where(
            PerformanceTarget.project_id.in_(list(made)), PerformanceTarget.status == APPROVED)).all()
        new_targets = [_carry_target(s, target, made[target.project_id], actor) for target in targets]
        _remember(s, year)
        changes.note(s, PROJECTS, year, [p.id for p in made.values()])
        if new_targets:
            changes.note(s, TARGETS_STAGE, year, [t.id for t in new_targets])
        return NewYearResult(year, len(made), len(new_targets), len(the_plan.skipped))


def _carry_project(s, old: Project, code: str, year: int, made: dict[int, Project], actor: Actor) -> Project:
    parent_id = None
    if old.parent_id is not None:
        if old.parent_id in made:
            parent_id = made[old.parent_id].id
        else:  # its 一级 project is not carried (e.g. 新增 last year): the same code in the new year, if any
            parent = s.get(Project, old.parent_id)
            parent_id = s.scalar(select(Project.id).where(
                Project.year == year, Project.code == new_code(parent.code, old.year, year),
                Project.region_code == old.region_code, Project.parent_id.is_(None)))
    start, end = old.period_start, old.period_end
    if end and end < f"{year}-01":  # a period that ended last year moves on with the project
        start, end = moved_period(start, old.year, year), moved_period(end, old.year, year)
    project = Project(year=year, code=code, name=old.name, department_id=old.department_id, unit_id=old.unit_id,
                      office_id=old.office_id, fund_type=old.fund_type, category=CONTINUING, is_key=old.is_key,
                      parent_id=parent_id, initial_budget_fen=0, annual_budget_fen=0, fiscal_fen=0, other_fen=0,
                      period_start=start, period_end=end, leader=old.leader, phone=old.phone,
                      region_code=old.region_code)
    s.add(project)
    s.flush()
    audit.record(s, "新增", Project.label, f"新建年度：结转{old.year}年度延续项目 {old.code} → {code} {old.name}",
                 uuid=project.uuid, user=actor.name, changes={"from": old.uuid, "year": year})
    return project


def _carry_target(s, old: PerformanceTarget, project: Project, actor: Actor) -> PerformanceTarget:
    target = PerformanceTarget(
        year=project.year, kind=old.kind, project_id=project.id, status=DRAFT, total_funds_fen=project.annual_budget_fen,
        fiscal_fen=project.fiscal_fen, other_fen=project.other_fen, overall_goal=old.overall_goal,
        annual_goal=old.annual_goal, basis=old.basis, overview=old.overview, region_code=project.region_code)
    target.indicators = [
        TargetIndicator(seq=i.seq, level1=i.level1, level2=i.level2, level3=i.level3, direction=i.direction,
                        value_text=i.value_text, value_num=i.value_num, unit=i.unit, points=i.points,
                        explanation=i.explanation, remark=i.remark, library_id=i.library_id,
                        region_code=project.region_code)
        for i in old.indicators]
    target.tasks = [TargetTask(seq=t.seq, content=t.content, region_code=project.region_code) for t in old.tasks]
    s.add(target)
    s.flush()
    audit.record(s, "新增", PerformanceTarget.label,
                 f"新建年度：以{old.year}年度已批复的绩效目标作为{project.year}年度草稿：{project.code} {project.name}",
                 uuid=target.uuid, user=actor.name, changes={"from": old.uuid})
    return target


def _remember(s, year: int) -> None:
    """The year joins the started years (the year list shows it even with no projects)."""
    row = s.get(Setting, CREATED_YEARS)
    years = created_years(row.value if row is not None else "") | {year}
    text = ",".join(str(y) for y in sorted(years))
    if row is None:
        s.add(Setting(key=CREATED_YEARS, value=text))
    else:
        row.value = text
