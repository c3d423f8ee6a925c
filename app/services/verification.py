"""真实性核查: a seeded random draw of the year's submitted or passed 项目支出 自评表, and the check of
each drawn table's core indicators against its evidence (佐证与填报一致 / 不一致 with a note).

Public use cases (each write takes the actor, audits and notes the change on "self_eval"):
    draw(ws, year, count=N | percent=P, seed=None, by_department=False) → DrawView
    draws(ws, year) → [DrawView] (newest first);  draw_view(ws, sample_id) → DrawView
    check_lines(ws, sample_id) → [CheckLine];  record_check(ws, sample_id, indicator_id, result, note)
    findings(ws, year) → every 不一致 of the year's draws (status 待整改: the rectification ledger takes them)

The draw is repeatable: random.Random(seed) over the population sorted by project code, so the same
seed over the same population gives the same sample. The seed is shown and stored."""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Optional

from sqlalchemy import select

from app import changes
from app.domain.self_eval import PROJECT, CheckLine, DrawnRow, DrawView
from app.rules.self_eval import is_quantitative
from app.rules.validation import RejectedError
from app.services import access, audit, guard
from app.services.actor import Actor
from app.services.base_data import dept_display
from app.services.workspace import Workspace
from db.models import (
    Department, Project, SelfEvalIndicator, SelfEvaluation, VerificationItem, VerificationSample,
)

STAGE = "self_eval"
DRAWN_STATES = ("已提交", "审核通过")
CONSISTENT, INCONSISTENT = "佐证与填报一致", "佐证与填报不一致"
RESULTS = (CONSISTENT, INCONSISTENT)
TO_RECTIFY = "待整改"


# -- the draw ------------------------------------------------------------------------------------------
def _population(s, year: int, actor: Actor) -> list[tuple[int, int, str, str]]:
    """(eval_id, project_id, project code, department code) of every table that may be drawn."""
    e, p, d = SelfEvaluation.__table__, Project.__table__, Department.__table__
    rows = s.execute(select(e.c.id, p.c.id, p.c.code, d.c.code)
                     .join(p, p.c.id == e.c.project_id).join(d, d.c.id == p.c.department_id)
                     .where(e.c.year == year, e.c.object_type == PROJECT, e.c.status.in_(DRAWN_STATES),
                            *access.where(actor, SelfEvaluation))).all()
    return sorted((tuple(r) for r in rows), key=lambda r: (r[2], r[0]))


def sample_size(population: int, count: Optional[int] = None, percent: Optional[Decimal] = None) -> int:
    """How many to draw: N, or the percentage of the population rounded half-up (at least 1)."""
    if (count is None) == (percent is None):
        raise RejectedError("请填写抽取数量或抽取比例（二者选一）。")
    if count is not None:
        if count < 1:
            raise RejectedError("抽取数量应为不小于1的整数。")
        if count > population:
            raise RejectedError(f"可抽取的自评表只有{population}份，抽取数量不能超过{population}。")
        return count
    try:
        share = Decimal(percent)
    except (InvalidOperation, TypeError, ValueError):
        raise RejectedError("抽取比例应为0到100之间的数，如 20。") from None
    if not share.is_finite() or not 0 < share <= 100:
        raise RejectedError("抽取比例应为大于0、不超过100的数，如 20。")
    n = int((Decimal(population) * share / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(population, max(1, n))


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Largest remainder: n spread over the groups in proportion to their sizes (ties by key)."""
    total = sum(sizes.values())
    quotas = {k: Decimal(n) * v / total for k, v in sizes.items()}
    given = {k: int(q) for k, q in quotas.items()}
    left = n - sum(given.values())
    for k in sorted(quotas, key=lambda k: (-(quotas[k] - given[k]), k))[:left]:
        given[k] += 1
    return given


def pick(population: list, n: int, seed: str, by_department: bool = False) -> list:
    """The seeded sample (population sorted by code; items (eval_id, project_id, code, dept_code))."""
    rng = random.Random(f"{seed}")
    if not by_department:
        return sorted(rng.sample(population, n), key=lambda r: r[2])
    groups: dict[str, list] = defaultdict(list)
    for row in population:
        groups[row[3]].append(row)
    quota = allocate({k: len(v) for k, v in groups.items()}, n)
    drawn = []
    for dept in sorted(groups):
        drawn.extend(sorted(rng.sample(groups[dept], quota[dept]), key=lambda r: r[2]))
    return drawn


def new_seed() -> str:
    return f"{secrets.randbelow(10 ** 8):08d}"


def draw(ws: Workspace, year: int, *, count: Optional[int] = None, percent: Optional[Decimal] = None,
         seed: Optional[str] = None, by_department: bool = False, actor: Optional[Actor] = None) -> DrawView:
    """Draw and record a sample of the year's submitted or passed 项目支出 自评表."""
    actor = actor or ws.actor
    seed = (seed or "").strip() or new_seed()
    if len(seed) > 64:
        raise RejectedError("随机种子太长，请用不超过64个字符（留空则自动生成）。")
    region = ws.home_region()
    guard.permit(actor, guard.VERIFICATION, "抽样")
    with ws.session() as s:
        population = _population(s, year, actor)
        if not population:
            raise RejectedError(f"{year}年度还没有已提交或审核通过的项目支出自评表，无法抽取。")
        n = sample_size(len(population), count, percent)
        drawn = pick(population, n, seed, by_department)
        scope = (f"{year}年度已提交或审核通过的项目支出绩效自评表{len(population)}份"
                 + ("，按主管部门分布抽取" if by_department else ""))
        sample = VerificationSample(year=year, scope=scope, sample_size=n, seed=seed, drawn_on=date.today(),
                                    population=len(population), by_department=by_department,
                                    drawn_by=actor.name, region_code=region)
        s.add(sample)
        s.flush()
        s.add_all([VerificationItem(sample_id=sample.id, evaluation_id=eval_id, project_id=project_id,
                                    indicator_id=None, region_code=region)
                   for eval_id, project_id, _, _ in drawn])
        s.flush()
        audit.record(s, "新增", VerificationSample.label,
                     f"真实性核查抽样：{year}年度从{len(population)}份自评表中抽取{n}份，随机种子{seed}",
                     uuid=sample.uuid, user=actor.name)
        changes.note(s, STAGE, year, [r[0] for r in drawn])
        sample_id = sample.id
    return draw_view(ws, sample_id)


# -- reading draws ---------------------------------------------------------------------------------------
def _views(ws: Workspace, where) -> list[DrawView]:
    vs, vi = VerificationSample.__table__, VerificationItem.__table__
    e, p, d = SelfEvaluation.__table__, Project.__table__, Department.__table__
    with ws.read() as conn:
        samples = conn.execute(select(vs).where(where).order_by(vs.c.id.desc())).all()
        ids = [x.id for x in samples] or [0]
        rows = conn.execute(
            select(vi.c.sample_id, e.c.id, p.c.code, p.c.name, d.c.code.label("dcode"), d.c.name.label("dname"),
                   e.c.total_score, e.c.grade, e.c.region_code)
            .join(e, e.c.id == vi.c.evaluation_id).join(p, p.c.id == e.c.project_id)
            .join(d, d.c.id == p.c.department_id)
            .where(vi.c.sample_id.in_(ids), vi.c.indicator_id.is_(None), *access.where(ws.actor, VerificationItem))
            .order_by(vi.c.id)).all()
    by_sample: dict[int, list[DrawnRow]] = defaultdict(list)
    for r in rows:
        by_sample[r.sample_id].append(DrawnRow(r.id, r.code, r.name, dept_display(r.dcode, r.dname),
                                               r.total_score, r.grade or "", r.region_code))
    return [DrawView(x.id, x.year, x.seed, x.population or 0, bool(x.by_department), x.drawn_on,
                     tuple(by_sample[x.id])) for x in samples]


def draws(ws: Workspace, year: int) -> list[DrawView]:
    """The year's draws, newest first (each drawn row says its table's 区划)."""
    return _views(ws, VerificationSample.__table__.c.year == year)


def draw_view(ws: Workspace, sample_id: int) -> DrawView:
    found = _views(ws, VerificationSample.__table__.c.id == sample_id)
    if not found:
        raise RejectedError("这次抽样已被删除。")
    return found[0]


# -- checking the core indicators ---------------------------------------------------------------------
def _target_text(direction: str, value: Optional[str], unit: Optional[str]) -> str:
    value, unit = value or "", unit or ""
    return f"{direction}{value}{unit}" if is_quantitative(direction) else value


def _lines(conn_or_s, sample_ids: list[int], only: Optional[str] = None,
           indicator_id: Optional[int] = None) -> list[CheckLine]:
    vi, i, e, p = VerificationItem.__table__, SelfEvalIndicator.__table__, SelfEvaluation.__table__, Project.__table__
    drawn = conn_or_s.execute(select(vi.c.sample_id, vi.c.evaluation_id).where(
        vi.c.sample_id.in_(sample_ids or [0]), vi.c.indicator_id.is_(None)).order_by(vi.c.id)).all()
    checked = {(r.sample_id, r.indicator_id): r for r in conn_or_s.execute(select(vi).where(
        vi.c.sample_id.in_(sample_ids or [0]), vi.c.indicator_id.is_not(None)))}
    evals = [ev for _, ev in drawn]
    query = (select(i, p.c.code, p.c.name).join(e, e.c.id == i.c.evaluation_id).join(p, p.c.id == e.c.project_id)
             .where(i.c.evaluation_id.in_(evals or [0]), i.c.applicable.is_(True)))
    if indicator_id is not None:
        query = query.where(i.c.id == indicator_id)
    by_eval: dict[int, list] = defaultdict(list)
    for row in conn_or_s.execute(query):
        by_eval[row.evaluation_id].append(row)
    out = []
    for sample_id, ev in drawn:
        for row in sorted(by_eval[ev], key=lambda r: (not is_quantitative(r.direction), r.seq, r.id)):
            item = checked.get((sample_id, row.id))
            result = (item.result or "") if item is not None else ""
            if only is not None and result != only:
                continue
            out.append(CheckLine(item.id if item is not None else None, ev, row.id, row.code, row.name, row.level3,
                                 _target_text(row.direction, row.target_value, row.unit),
                                 row.actual_value or row.qualitative_rating or "", result,
                                 (item.findings or "") if item is not None else "",
                                 (item.status or "") if item is not None else ""))
    return out


def check_lines(ws: Workspace, sample_id: int) -> list[CheckLine]:
    """The core indicators of every drawn table (quantitative first), with any result recorded."""
    with ws.read() as conn:
        return _lines(conn, [sample_id])


def record_check(ws: Workspace, sample_id: int, indicator_id: int, result: str, note: str = "",
                 actor: Optional[Actor] = None) -> CheckLine:
    """Record what the evidence showed for one core indicator of a drawn table; a 不一致 needs a
    note saying what differs and is kept as a finding to rectify (待整改)."""
    actor = actor or ws.actor
    note = (note or "").strip()
    if result not in RESULTS:
        raise RejectedError(f"核查结果请选择“{CONSISTENT}”或“{INCONSISTENT}”。")
    if result == INCONSISTENT and not note:
        raise RejectedError("核查结果为佐证与填报不一致时，请在说明中写明哪里不一致。")
    guard.permit(actor, guard.VERIFICATION, "核查")
    with ws.session() as s:
        sample = s.get(VerificationSample, sample_id)
        if sample is None:
            raise RejectedError("这次抽样已被删除。")
        indicator = s.get(SelfEvalIndicator, indicator_id)
        drawn = {ev: pid for ev, pid in s.execute(select(VerificationItem.evaluation_id, VerificationItem.project_id).where(
            VerificationItem.sample_id == sample_id, VerificationItem.indicator_id.is_(None)))}
        if indicator is None or indicator.evaluation_id not in drawn:
            raise RejectedError("这项指标不属于本次抽中的自评表（可能已被修改），请重新打开核查。")
        item = s.scalars(select(VerificationItem).where(VerificationItem.sample_id == sample_id,
                                                        VerificationItem.indicator_id == indicator_id)).first()
        if item is None:
            item = VerificationItem(sample_id=sample_id, evaluation_id=indicator.evaluation_id,
                                    project_id=drawn[indicator.evaluation_id], indicator_id=indicator_id,
                                    region_code=sample.region_code)
            s.add(item)
        item.result = result
        item.findings = note or None
        item.status = TO_RECTIFY if result == INCONSISTENT else ""
        s.flush()
        audit.record(s, "修改", VerificationSample.label,
                     f"真实性核查：指标“{indicator.level3}”{result}" + (f"（{note}）" if note else ""),
                     uuid=sample.uuid, user=actor.name)
        changes.note(s, STAGE, sample.year, [indicator.evaluation_id])
        return _lines(s, [sample_id], indicator_id=indicator_id)[0]


def findings(ws: Workspace, year: int) -> list[CheckLine]:
    """Every 佐证与填报不一致 of the year's draws (newest draw first)."""
    vs = VerificationSample.__table__
    with ws.read() as conn:
        ids = list(conn.execute(select(vs.c.id).where(vs.c.year == year).order_by(vs.c.id.desc())).scalars())
        out = []
        for sample_id in ids:
            out.extend(_lines(conn, [sample_id], only=INCONSISTENT))
        return out
