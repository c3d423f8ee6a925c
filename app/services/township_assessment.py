"""乡镇预算绩效管理工作考核: the county scores each of its townships (Region level 乡镇 under the home
region) on the pack's items — filled from the township's records in this database (region_code = the
township's code: what its packages brought) where a figure can be counted, by 绩效科's hand where not
(or to put a counted score right, with the reason).

    assessment(ws, year, at=None) → TownshipTable    # at: the date the figures are counted to (today)
    set_score(ws, year, township_code, item, score, note, actor=None)   # score "" / None: back to counted
    late_packages(ws, year, at) → [LatePackage(code, name, due, days_late)]   # for the 工作台

The counted figures, one Core query each for every township (the 口径 are the pack's `meaning`
sentences): 目标申报覆盖率 projects of the year whose target has left the editable states / projects;
监控报送及时率 records of the year's rounds past their 报送截止日期 reported by that date / records;
自评覆盖率 projects of the year before (the self-evaluations carried out in a year are of the budget
year before) whose 自评表 is submitted or passed / those projects; 整改完成率 items past their
整改期限 that are 已销号 / items past it; 数据报送及时性 packages (each at its first import) received
within each due period / periods due — the first period opens on 1 January, or the day after the year
before's last due date when that falls in the year (R.TownshipRules.opening). Nothing to count
scores as the item's if_none says (0 with 无数据, or the points). Each counted item's reason
(Measure.reason) names what cost the township points: 未申报：…, 逾期报送：…（day）, 未报送：…,
未自评：…, 未销号：…（逾期N天）, 年中数据包…收到，逾期N天 — at most 3 names, then 等N个.
财政运行综合绩效评价 is the township's latest finalized 重点评价 of subject 下级财政运行
(its region_code, or its name beginning with the township's name): shown beside the table, and
scored as total ÷ 100 when the pack lists an item with source key_eval."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Iterable, Optional, Union

from sqlalchemy import and_, case, exists, func, or_, select

from app import changes
from app.domain.key_eval import TOWNSHIP
from app.domain.rectification import CLOSED
from app.domain.township_assessment import ItemHead, LatePackage, Measure, TownshipRow, TownshipTable
from app.rules import township_assessment as R
from app.rules.rectification import overdue_days
from app.rules.validation import RejectedError
from app.services import audit, guard, regions
from app.services.actor import Actor
from app.services.monitoring import RECORDS
from app.services.self_eval_records import WORKFLOW as SELF_EVALS
from app.services.target_records import TARGETS
from app.services.workflow import FINALIZED, Workflow
from app.services.workspace import Workspace
from db.models import (ExchangeLog, KeyEvaluation, MonitoringRecord, MonitoringRound, PerformanceTarget, Project,
                       Rectification, ReviewOpinion, SelfEvaluation, TownshipScore)

STAGE = "township"  # the change-notification key
IMPORTED = "导入"  # ExchangeLog.direction of a package merged here (app.services.exchange logs it so)
NEVER = datetime(9999, 12, 31)  # the cut-off of a round without a 报送截止日期: reported is in time
Figures = dict[str, tuple[int, int, str]]  # township code → (numerator, denominator, what cost it points)


def rules(ws: Workspace) -> R.TownshipRules:
    return R.TownshipRules.from_pack(ws.rule_pack())


def reported(wf: Workflow) -> tuple[str, ...]:
    """The states a record has once it has been handed in: where its steps lead, less the editable
    states (草稿, 退回修改) — 已提交, 审核通过 (and 已批复 for targets)."""
    return tuple(sorted({step.target for step in wf.steps} - set(wf.editable)))


def _project_name(code, name) -> str:
    return f"{code} {name}"


def _tally(rows, label: str) -> Figures:
    """(township, counted?, what the record is called) rows → each township's (counted, all, the
    reason naming those not counted under `label`)."""
    found: dict[str, tuple[list[str], list[str]]] = {}  # township → (counted, not counted)
    for code, ok, name in rows:
        found.setdefault(code, ([], []))[0 if ok else 1].append(name)
    return {code: (len(good), len(good) + len(missing), R.missed(label, missing))
            for code, (good, missing) in found.items()}


def _projects_with(conn, codes: list[str], year: int, held, label: str) -> Figures:
    """Projects of the year by township: how many, how many satisfy `held` (an EXISTS), and those
    that do not, named under `label` — one query for every township."""
    p = Project.__table__
    rows = conn.execute(select(p.c.region_code, held, p.c.code, p.c.name)
                        .where(p.c.year == year, p.c.region_code.in_(codes)).order_by(p.c.region_code, p.c.code)).all()
    return _tally(((code, ok, _project_name(pc, name)) for code, ok, pc, name in rows), label)


def _targets(conn, codes, year, at) -> Figures:
    t, p = PerformanceTarget.__table__, Project.__table__
    return _projects_with(conn, codes, year, exists().where(t.c.project_id == p.c.id,
                                                            t.c.status.in_(reported(TARGETS))), "未申报")


def _self_evals(conn, codes, year, at) -> Figures:
    """The self-evaluations carried out in `year` are of the budget year before: its projects."""
    se, p = SelfEvaluation.__table__, Project.__table__
    return _projects_with(conn, codes, year - 1, exists().where(se.c.project_id == p.c.id,
                                                                se.c.status.in_(reported(SELF_EVALS))), "未自评")


def _monitoring(conn, codes, year, at) -> Figures:
    """Records of the year's rounds whose 报送截止日期 has passed (or that have none), by the record's
    project's township; in time when handed in and its time of reporting is on or before that day —
    its last change, or the first review here when earlier (a review follows the reporting). The
    reason names the records handed in late (with the day) and those not handed in."""
    rnd, rec, p, ro = (MonitoringRound.__table__, MonitoringRecord.__table__, Project.__table__,
                       ReviewOpinion.__table__)
    rounds = conn.execute(select(rnd.c.id, rnd.c.deadline, rnd.c.name).where(
        rnd.c.year == year, or_(rnd.c.deadline.is_(None), rnd.c.deadline < at))).all()
    if not rounds:
        return {}
    cutoff = case({rid: (R.end_of(deadline) if deadline else NEVER) for rid, deadline, _ in rounds}, value=rec.c.round_id)
    first_review = select(func.min(ro.c.at)).where(ro.c.record_uuid == rec.c.uuid).scalar_subquery()
    when = case((first_review < rec.c.updated_at, first_review), else_=rec.c.updated_at)
    handed = rec.c.status.in_(reported(RECORDS))
    rows = conn.execute(select(p.c.region_code, and_(handed, when < cutoff), handed, when, rec.c.round_id, p.c.code,
                               p.c.name)
                        .select_from(rec.join(p, p.c.id == rec.c.project_id))
                        .where(rec.c.round_id.in_([rid for rid, *_ in rounds]), p.c.region_code.in_(codes))
                        .order_by(p.c.region_code, rec.c.round_id, p.c.code)).all()
    names = {rid: name for rid, _, name in rounds} if len(rounds) > 1 else {}  # one round: no need to say which
    found: dict[str, tuple[list[str], list[str], list[str]]] = {}  # township → (in time, late, not handed in)
    for code, ok, was_handed, day, rid, pc, name in rows:
        good, late, unsent = found.setdefault(code, ([], [], []))
        called, which = _project_name(pc, name), [names[rid]] if rid in names else []
        if ok:
            good.append(called)
        elif was_handed:
            late.append(f"{called}（{'，'.join(which + [_day(day)])}）")
        else:
            unsent.append(called + "".join(f"（{w}）" for w in which))
    return {code: (len(good), len(good) + len(late) + len(unsent),
                   "；".join(t for t in (R.missed("逾期报送", late), R.missed("未报送", unsent)) if t))
            for code, (good, late, unsent) in found.items()}


def _day(value) -> str:
    """A time as its day (SQLite may hand back the text of a CASE over two times)."""
    return value.date().isoformat() if isinstance(value, datetime) else str(value)[:10]


def _rectification(conn, codes, year, at) -> Figures:
    """Items past their 整改期限 by township; the reason names those not 已销号 (their project, else
    the problem) with how long overdue."""
    r, p = Rectification.__table__, Project.__table__
    rows = conn.execute(select(r.c.region_code, r.c.status, r.c.deadline, r.c.description, p.c.code, p.c.name)
                        .select_from(r.outerjoin(p, p.c.id == r.c.project_id))
                        .where(r.c.year == year, r.c.region_code.in_(codes), r.c.deadline.is_not(None),
                               r.c.deadline < at).order_by(r.c.region_code, r.c.deadline, r.c.id)).all()

    def called(status, deadline, description, pc, name) -> str:
        what = _project_name(pc, name) if pc else _short(description)
        days = overdue_days(status, deadline, at)
        return f"{what}（逾期{days}天）" if days else f"{what}（{status}）"

    return _tally(((code, status == CLOSED, called(status, deadline, *rest)) for code, status, deadline, *rest in rows),
                  "未销号")


def _short(text: Optional[str], most: int = 16) -> str:
    text = (text or "").strip()
    return text if len(text) <= most else text[:most] + "…"


def _arrivals(conn, codes, year, at: date) -> dict[str, list[datetime]]:
    """When each township's packages of `year` arrived here, up to the end of `at`: one time per
    package, its first import (the same package imported again is not another one)."""
    log = ExchangeLog.__table__
    found: dict[str, list[datetime]] = {code: [] for code in codes}
    first = func.min(log.c.at)
    for code, when in conn.execute(select(log.c.counterpart_code, first).where(
            log.c.direction == IMPORTED, log.c.counterpart_code.in_(codes), log.c.years.like(f"%{year}%"),
            log.c.at < R.end_of(at)).group_by(log.c.counterpart_code, log.c.package_id).order_by(first)).all():
        found[code].append(when)
    return found


def _answered(conn, codes, year, at, rules_: R.TownshipRules):
    """The periods due before `at` and, by township, the package answering each (None: none yet)."""
    due = [w for w in rules_.windows(year) if w[2] < at]
    return due, {code: R.answering(due, got) for code, got in _arrivals(conn, codes, year, at).items()}


def _packages(conn, codes, year, at, rules_: R.TownshipRules) -> Figures:
    due, answered = _answered(conn, codes, year, at, rules_)
    return {code: (sum(1 for (_, _, day), got in zip(due, answers) if got is not None and got < R.end_of(day)),
                   len(due), R.package_reasons(due, answers)) for code, answers in answered.items()}


COUNTED = {R.TARGETS: _targets, R.MONITORING: _monitoring, R.SELF_EVAL: _self_evals, R.RECTIFICATION: _rectification}


def _fiscal_evals(conn, townships: Iterable[tuple[str, str]], year: int) -> dict[str, tuple[int, Decimal, str]]:
    """Each township's latest finalized 财政运行综合绩效评价 up to `year`: (year, total, grade). An
    evaluation is a township's by its 区划 (app.services.key_eval.region_of), else by its object's
    name beginning with the township's name (a report imported or typed before the township existed)."""
    ke = KeyEvaluation.__table__
    found = conn.execute(select(ke.c.region_code, ke.c.object_name, ke.c.year, ke.c.total_score, ke.c.grade)
                         .where(ke.c.object_type == TOWNSHIP, ke.c.status == FINALIZED, ke.c.year <= year,
                                ke.c.total_score.is_not(None))
                         .order_by(ke.c.year.desc(), ke.c.updated_at.desc(), ke.c.id.desc())).all()
    names = dict(townships)
    by_name = sorted(names.items(), key=lambda t: -len(t[1]))
    latest: dict[str, tuple[int, Decimal, str]] = {}
    for f in found:
        code = f.region_code if f.region_code in names else next(
            (c for c, name in by_name if (f.object_name or "").strip().startswith(name)), None)
        if code is not None and code not in latest:
            latest[code] = (f.year, Decimal(f.total_score), f.grade or "")
    return latest


def _fiscal_text(found: Optional[tuple[int, Decimal, str]], year: int) -> str:
    if found is None:
        return ""
    y, total, grade = found
    return f"{R.fmt(total)}分" + (f"（{grade}）" if grade else "") + ("" if y == year else f"，{y}年度")


def _measure(item: R.Item, figures: dict[str, Figures], fiscal, code: str, year: int, hand) -> Measure:
    score, note, by, version = hand.get((code, item.name), (None, "", "", None))
    given = dict(hand=score, note=note or "", scored_by=by or "", hand_version=version)
    if item.source == R.MANUAL:
        return Measure(item.name, item.points, **given)
    if item.source == R.KEY_EVAL:
        found = fiscal.get(code)
        if found is None or found[0] != year:
            _, measured, reason = R.measured_score(item, 0, 0)
            return Measure(item.name, item.points, measured=measured, reason=reason, **given)
        rate = min(found[1] / R.KEY_EVAL_FULL, Decimal(1))
        return Measure(item.name, item.points, rate=rate, measured=R.points_times(item.points, rate),
                       reason=f"综合得分{_fiscal_text(found, year)}", **given)
    num, den, missing = figures[item.source].get(code, (0, 0, ""))
    rate, measured, reason = R.measured_score(item, num, den)
    return Measure(item.name, item.points, num, den, rate, measured, reason or missing, **given)


def assessment(ws: Workspace, year: int, at: Optional[date] = None) -> TownshipTable:
    """The year's table for every township of this county, ranked (ties share a place)."""
    at = at or date.today()
    rules_ = rules(ws)
    choices = regions.choices(ws)
    townships = list(choices.townships)
    codes = [code for code, _ in townships]
    sources = {i.source for i in rules_.items}
    with ws.read() as conn:
        figures = {source: count(conn, codes, year, at) for source, count in COUNTED.items() if source in sources}
        if R.PACKAGES in sources:
            figures[R.PACKAGES] = _packages(conn, codes, year, at, rules_)
        fiscal = _fiscal_evals(conn, townships, year)
        ts = TownshipScore.__table__
        hand = {(c, i): (s, n, b, v) for c, i, s, n, b, v in conn.execute(
            select(ts.c.township_code, ts.c.item, ts.c.score, ts.c.note, ts.c.scored_by, ts.c.pack_version)
            .where(ts.c.year == year, ts.c.township_code.in_(codes), ts.c.score.is_not(None))).all()}
        rnd = MonitoringRound.__table__
        rounds = tuple(conn.execute(select(rnd.c.name, rnd.c.deadline).where(rnd.c.year == year)
                                    .order_by(rnd.c.cutoff_month, rnd.c.id)).all())
    scored = []
    for code, name in townships:
        measures = tuple(_measure(item, figures, fiscal, code, year, hand) for item in rules_.items)
        total = sum((m.score for m in measures), Decimal("0.00"))
        scored.append((code, name, measures, total))
    places = R.rank([total for *_, total in scored])
    shown = R.KEY_EVAL not in sources and bool(fiscal)
    rows = sorted((TownshipRow(code, name, measures, total, rules_.grade(total), place,
                               _fiscal_text(fiscal.get(code), year))
                   for (code, name, measures, total), place in zip(scored, places)), key=lambda r: (r.rank, r.code))
    heads = tuple(ItemHead(i.name, i.points, i.source, R.SOURCE_LABELS[i.source], i.said, i.automatic)
                  for i in rules_.items)
    return TownshipTable(year, at, heads, tuple(rows), rules_.full, ws.rule_pack().version, choices.home_name,
                         rules_.meanings, shown, rules_.bands,
                         tuple((p.name, day) for p, day in rules_.due_dates(year)),
                         tuple((name, deadline) for name, deadline in rounds))


def set_score(ws: Workspace, year: int, township_code: str, item: str, score: Union[str, Decimal, None],
              note: str = "", actor: Optional[Actor] = None) -> Optional[Decimal]:
    """Give (or, with score "" / None, take back) a township's hand score for one item of the year.
    Only 绩效科 scores; 0 ≤ score ≤ the item's points; a counted item needs the reason. Returns the
    score kept."""
    actor = actor or ws.actor
    guard.permit(actor, guard.TOWNSHIPS, "评分")
    rules_ = rules(ws)
    spec = rules_.item(item)
    if spec is None:
        raise RejectedError(f"规则方案中没有考核项目“{item}”，请刷新考核表后再评分。")
    name = dict(regions.choices(ws).townships).get(township_code)
    if name is None:
        raise RejectedError(f"[{township_code}]不是本县的乡镇，不能评分。乡镇在“基础数据”中添加。")
    note = (note or "").strip()
    value = None if score is None or not str(score).strip() else R.check_hand_score(spec, str(score))
    if value is not None and spec.automatic and not note:
        raise RejectedError(f"“{spec.name}”由程序按乡镇报来的数据计算；改为手工得分时请在说明中写明理由"
                            f"（如乡镇以纸质材料报送）。")
    with ws.session() as s:
        row = s.scalars(select(TownshipScore).where(TownshipScore.year == year,
                                                    TownshipScore.township_code == township_code,
                                                    TownshipScore.item == spec.name)).first()
        before = None if row is None else row.score
        if row is None and value is None:
            return None
        if row is None:
            row = TownshipScore(year=year, township_code=township_code, item=spec.name, region_code=ws.home_region())
            s.add(row)
        row.score, row.note, row.pack_version, row.scored_by = value, note or None, ws.rule_pack().version, actor.name
        s.flush()
        said = "取消手工得分" if value is None else f"{R.fmt(value)}分"
        audit.record(s, "新增" if before is None else "修改", TownshipScore.label,
                     f"乡镇考核评分：{year}年度 {name} {spec.name} {said}", user=actor.name, uuid=row.uuid,
                     changes={"得分": [None if before is None else str(before), None if value is None else str(value)],
                              "说明": note})
        changes.note(s, STAGE, year, [row.id])
    return value


def late_packages(ws: Workspace, year: int, at: date) -> list[LatePackage]:
    """Each township's 上报 package of `year` whose due date has passed by `at` and that has not come
    (a package is matched to the periods in order: R.answering): (code, name, due date, days late),
    earliest due first."""
    townships = list(regions.choices(ws).townships)
    with ws.read() as conn:
        due, answered = _answered(conn, [code for code, _ in townships], year, at, rules(ws))
    return [LatePackage(code, name, day, (at - day).days)
            for n, (_, _, day) in enumerate(due) for code, name in townships if answered[code][n] is None]
