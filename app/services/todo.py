"""工作台: what waits on the user today, as lines (app.domain.todo.TodoLine) the start page shows and
the `todo` command prints.

    todo(ws, actor=None, at=None) → [TodoLine]   # overdue first (most days first), then by due date

What a line counts, always within the actor's scope (access.where) and one grouped Core query per
kind of record (never per record):
- each workflow's records waiting for a step the actor's role takes (the pack's `roles` section,
  as the kernel's `offered` reads it): 草稿 and 退回修改 to submit, 已提交 at a review level to review,
  审核通过 to 批复 / 定稿. 绩效科 may act anywhere, but only the steps the pack gives it (or leaves
  unlisted: 绩效科's alone) wait on it. Without users the local user takes every step.
- each monitoring round still open (进行中), for whoever hands its records in and for the bureau:
  its records not handed in (未报送, with the round's 报送截止日期, 逾期 past it) and its red lights
  (the rule of the pack the round was opened under, as app.rules.monitoring.light, in SQL) without a
  偏差原因 (budget_cause).
- 整改 items past their 整改期限 (app.rules.rectification.overdue_days, by days) and due within 7
  days; items awaiting 核验 for whoever verifies.
- a 第三方机构's evaluations not yet 定稿 (重点评价, 事前绩效评估 naming it).
- for 绩效科 (or without users): exchange conflicts waiting, by township, and townships whose
  package is late (township_assessment.late_packages).
A 只读 user has nothing waiting."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Optional

from sqlalchemy import and_, case, false, func, or_, select

from app.domain.rectification import OPEN_STATES, TO_VERIFY
from app.domain.todo import TodoLine, TodoTarget
from app.rules import monitoring as M
from app.rules.rectification import overdue_days
from app.rules.roles import PERFORMANCE, REVIEW_STEPS, Rights
from app.services import access, rectification, township_assessment
from app.services.actor import Actor
from app.services.exante_records import STAGE as EXANTE_STAGE, WORKFLOW as EXANTE
from app.services.key_eval_records import STAGE as KEY_EVAL_STAGE, WORKFLOW as KEY_EVALS
from app.services.monitoring import RECORDS, settings as monitor_settings
from app.services.self_eval_records import STAGE as SELF_EVAL_STAGE, WORKFLOW as SELF_EVALS
from app.services.target_records import STAGE as TARGETS_STAGE, TARGETS
from app.services.workflow import APPROVE, DRAFT, FINALIZE, PASSED, RETURNED, SUBMITTED, Workflow
from app.services.workspace import Workspace
from db.models import ExchangeConflict, MonitoringRecord, MonitoringRound, Region

SOON_DAYS = 7  # 整改 items due within this many days are listed before they fall overdue
OPEN_ROUND = "进行中"
MONITORING_STAGE = "monitoring"
EXCHANGE_STAGE, TOWNSHIP_STAGE = "exchange", "township"
UNREPORTED, RED_WITHOUT_CAUSE, OVERDUE, DUE_SOON = "未报送", "红灯未说明原因", "逾期", "即将到期"
# (workflow, stage key, the measure word a count takes)
FLOWS = ((TARGETS, TARGETS_STAGE, "个"), (RECORDS, MONITORING_STAGE, "条"), (SELF_EVALS, SELF_EVAL_STAGE, "份"),
         (KEY_EVALS, KEY_EVAL_STAGE, "项"), (EXANTE, EXANTE_STAGE, "份"))


def todo(ws: Workspace, actor: Optional[Actor] = None, at: Optional[date] = None) -> list[TodoLine]:
    """Everything waiting on `actor` (the workspace's by default) on the day `at` (today)."""
    actor = actor or ws.actor
    at = at or date.today()
    if actor.read_only:
        return []
    rights = actor.rights or Rights.from_pack(ws.rule_pack())
    lines: list[TodoLine] = []
    with ws.read() as conn:
        for wf, stage, word in FLOWS:
            lines += _steps(conn, wf, stage, word, actor, rights)
        if _bureau(actor) or takes(actor, rights, RECORDS.noun, "提交"):  # who hands records in, and the bureau
            lines += _rounds(conn, ws, actor, at)
        lines += _rectification(conn, actor, rights, at)
        lines += _assigned(conn, actor)
        if _bureau(actor):
            lines += _conflicts(conn)
    if _bureau(actor):
        lines += [TodoLine("乡镇数据包逾期未报", f"[{p.code}]{p.name} {at.year}年度上报数据包", p.due, p.days_late or None,
                           TodoTarget(TOWNSHIP_STAGE, at.year, filter=p.code))
                  for p in township_assessment.late_packages(ws, at.year, at)]
    order = {id(line): n for n, line in enumerate(lines)}
    return sorted(lines, key=lambda l: (-(l.overdue_days or 0), l.due or date.max, order[id(l)]))


# -- who takes a step -----------------------------------------------------------------------------------------
def _bureau(actor: Actor) -> bool:
    """绩效科, or the local user of a database without users: the county's own work waits on them."""
    return not actor.role or actor.role == PERFORMANCE


def takes(actor: Actor, rights: Rights, noun: str, action: str, level: Optional[int] = None) -> bool:
    """Whether a step waits on the actor's role: the roles the pack names for it (at the review
    level, for a review in a chain); an action the pack names nobody for is 绩效科's. Unlike the
    kernel's permission, 绩效科's right to act anywhere does not make every step wait on it."""
    if not actor.role:
        return True
    if actor.read_only:
        return False
    if level is not None and action in REVIEW_STEPS and rights.chain(noun):
        listed = rights.level(noun, level).roles
    else:
        listed = rights.steps.get(noun, {}).get(action, ())
    return actor.role in listed or (not listed and actor.role == PERFORMANCE)


# -- the workflows' records waiting for a step -----------------------------------------------------------------
def _year_and_source(wf: Workflow):
    t = wf.model.__table__
    if wf is RECORDS:  # a monitoring record's year is its round's
        r = MonitoringRound.__table__
        return r.c.year, t.join(r, r.c.id == t.c.round_id)
    return t.c.year, t


def _steps(conn, wf: Workflow, stage: str, word: str, actor: Actor, rights: Rights) -> list[TodoLine]:
    t = wf.model.__table__
    year, source = _year_and_source(wf)
    actions = {step.action for step in wf.steps}
    final = next((a for a in (APPROVE.action, FINALIZE.action) if a in actions), None)
    states = [SUBMITTED] + ([PASSED] if final else [])
    if wf is not RECORDS:  # a round's records to hand in are its round's line
        states += [DRAFT, RETURNED]
    rows = conn.execute(select(year, t.c.status, t.c.review_level, func.count(), func.min(t.c.id))
                        .select_from(source).where(t.c.status.in_(states), *access.where(actor, wf.model))
                        .group_by(year, t.c.status, t.c.review_level).order_by(year, t.c.status, t.c.review_level)).all()
    found: dict[tuple, list] = {}  # (事项, year) → [count, first id, state]: review levels of one 事项 add up
    chained = bool(actor.role) and bool(rights.chain(wf.noun))
    for y, status, level, count, first in rows:
        if status in (DRAFT, RETURNED):
            mine, kind = takes(actor, rights, wf.noun, "提交"), f"{'待提交' if status == DRAFT else '被退回修改'}的{wf.noun}"
        elif status == SUBMITTED:
            level = (level or 0) if chained else None
            mine = takes(actor, rights, wf.noun, REVIEW_STEPS[0], level)
            where = f"（{rights.level(wf.noun, level).name}）" if level is not None else ""
            kind = f"待审核的{wf.noun}{where}"
        else:
            mine, kind = takes(actor, rights, wf.noun, final), f"待{final}的{wf.noun}"
        if mine:
            slot = found.setdefault((kind, y), [0, first, status])
            slot[0], slot[1] = slot[0] + count, min(slot[1], first)
    return [TodoLine(kind, f"{y}年度{count}{word}", None, None, TodoTarget(stage, y, first if count == 1 else None, status),
                     count) for (kind, y), (count, first, status) in found.items()]


# -- monitoring rounds -----------------------------------------------------------------------------------------
def _red(s: M.MonitorSettings, rec, rnd):
    """The pack's red light (app.rules.monitoring.light) as SQL, in integers: nothing spent (when the
    pack says so) or executed/budget < month/12 − red_below."""
    n, d = s.red_below.numerator, s.red_below.denominator
    behind = 12 * d * rec.c.executed_fen < rec.c.budget_fen * (d * rnd.c.cutoff_month - 12 * n)
    spent_nothing = rec.c.executed_fen == 0 if s.red_when_nothing_spent else false()
    return and_(rec.c.executed_fen.is_not(None), rec.c.budget_fen > 0, or_(spent_nothing, behind))


def _rounds(conn, ws: Workspace, actor: Actor, at: date) -> list[TodoLine]:
    rec, rnd = MonitoringRecord.__table__, MonitoringRound.__table__
    unreported = func.sum(case((rec.c.status.in_((DRAFT, RETURNED)), 1), else_=0))
    no_cause = or_(rec.c.budget_cause.is_(None), func.trim(rec.c.budget_cause) == "")
    # each round judged by the pack it was opened under (app.services.monitoring.settings)
    versions = conn.execute(select(rnd.c.rule_pack_version).where(rnd.c.status == OPEN_ROUND).distinct()).scalars().all()
    red = or_(false(), *(and_(rnd.c.rule_pack_version.is_(None) if v is None else rnd.c.rule_pack_version == v,
                              _red(monitor_settings(ws, v), rec, rnd)) for v in versions))
    unexplained = func.sum(case((and_(red, no_cause), 1), else_=0))
    rows = conn.execute(select(rnd.c.id, rnd.c.year, rnd.c.name, rnd.c.deadline, unreported, unexplained)
                        .select_from(rec.join(rnd, rnd.c.id == rec.c.round_id))
                        .where(rnd.c.status == OPEN_ROUND, rnd.c.year <= at.year, *access.where(actor, MonitoringRecord))
                        .group_by(rnd.c.id, rnd.c.year, rnd.c.name, rnd.c.deadline)
                        .order_by(rnd.c.year, rnd.c.cutoff_month)).all()
    lines = []
    for rid, year, name, deadline, waiting, red in rows:
        late = (at - deadline).days if deadline is not None and at > deadline else None
        if waiting:
            lines.append(TodoLine("监控批次报送", f"{year}年{name}：{UNREPORTED}{waiting}条", deadline, late,
                                  TodoTarget(MONITORING_STAGE, year, None, UNREPORTED, rid), int(waiting)))
        if red:
            lines.append(TodoLine("监控红灯待说明原因", f"{year}年{name}：{red}个项目", deadline, late,
                                  TodoTarget(MONITORING_STAGE, year, None, RED_WITHOUT_CAUSE, rid), int(red)))
    return lines


# -- 整改 ------------------------------------------------------------------------------------------------------
def _rectification(conn, actor: Actor, rights: Rights, at: date) -> list[TodoLine]:
    wf, t = rectification.WORKFLOW, rectification.WORKFLOW.model.__table__
    lines = []
    if _bureau(actor) or takes(actor, rights, wf.noun, rectification.REPORT.action):
        rows = conn.execute(select(t.c.year, t.c.deadline, t.c.status, func.count(), func.min(t.c.id))
                            .where(t.c.status.in_(OPEN_STATES), t.c.deadline.is_not(None),
                                   t.c.deadline <= at + timedelta(days=SOON_DAYS), *access.where(actor, wf.model))
                            .group_by(t.c.year, t.c.deadline, t.c.status).order_by(t.c.deadline, t.c.year)).all()
        found: dict[tuple, list[int]] = {}  # (year, deadline) → [count, first id]
        for year, deadline, status, count, first in rows:
            slot = found.setdefault((year, deadline, overdue_days(status, deadline, at)), [0, first])
            slot[0] += count
            slot[1] = min(slot[1], first)
        for (year, deadline, days), (count, first) in found.items():
            kind, filter_ = ("整改事项逾期", OVERDUE) if days else ("整改事项即将到期", DUE_SOON)
            lines.append(TodoLine(kind, f"{year}年度{count}项", deadline, days or None,
                                  TodoTarget(rectification.STAGE, year, first if count == 1 else None, filter_), count))
    if takes(actor, rights, wf.noun, rectification.CLOSE.action):
        for year, count, first in conn.execute(
                select(t.c.year, func.count(), func.min(t.c.id)).where(t.c.status == TO_VERIFY, *access.where(actor, wf.model))
                .group_by(t.c.year).order_by(t.c.year)):
            lines.append(TodoLine("待核验销号的整改事项", f"{year}年度{count}项", None, None,
                                  TodoTarget(rectification.STAGE, year, first if count == 1 else None, TO_VERIFY), count))
    return lines


# -- evaluations a 第三方机构 carries out -----------------------------------------------------------------------
def _assigned(conn, actor: Actor) -> list[TodoLine]:
    if actor.scope is None or actor.scope.agency_id is None:
        return []
    lines = []
    for wf, stage in ((KEY_EVALS, KEY_EVAL_STAGE), (EXANTE, EXANTE_STAGE)):
        t = wf.model.__table__
        for year, count, first in conn.execute(
                select(t.c.year, func.count(), func.min(t.c.id))
                .where(t.c.agency_id == actor.scope.agency_id, t.c.status != FINALIZE.target)
                .group_by(t.c.year).order_by(t.c.year)):
            lines.append(TodoLine(f"委托本机构的{wf.noun}（未定稿）", f"{year}年度{count}项", None, None,
                                  TodoTarget(stage, year, first if count == 1 else None), count))
    return lines


# -- exchange ---------------------------------------------------------------------------------------------------
def _conflicts(conn) -> list[TodoLine]:
    c, r = ExchangeConflict.__table__, Region.__table__
    names = dict(conn.execute(select(r.c.code, r.c.name)).all())
    rows = conn.execute(select(c.c.counterpart_code, func.count()).where(c.c.status == "待处理")
                        .group_by(c.c.counterpart_code).order_by(c.c.counterpart_code)).all()
    return [TodoLine("数据交换冲突待处理", f"[{code}]{names.get(code, '')}：{count}处", None, None,
                     TodoTarget(EXCHANGE_STAGE, None, None, code), count) for code, count in rows]
