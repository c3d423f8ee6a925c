"""A year of 自评表 at once, read with Core (no ORM objects): every table as a draft, scored and
checked; the page's list, the 自评汇总表 with its 等级分布 and the sentence offices write, the
consistency check's findings, and one table's printed form."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from sqlalchemy import Integer, select, type_coerce

from app.domain.self_eval import (
    DEPARTMENT, GRADES, NOT_STARTED, PROJECT, Finding, GradeShare, SelfEvalDraft, SelfEvalFormView, SelfEvalRow,
    SelfEvalSummary,
)
from app.money import wan_text
from app.rules.self_eval import Line, TableScore, budget_reference, cents, execution_rate, percent, score_table
from app.rules.self_eval_check import CheckedTable, check_table
from app.rules.self_eval_draft import fen, score_draft
from app.services import access, regions, review_opinions
from app.services.base_data import dept_display
from app.services.self_eval_records import FROM_TARGET, WORKFLOW, rules_of
from app.services.workflow import PASSED, SUBMITTED
from app.services.workspace import Workspace
from db.models import Department, PerformanceTarget, Project, SelfEvalIndicator, SelfEvaluation


FINISHED = (SUBMITTED, PASSED)


@dataclass(frozen=True)
class Table:
    """A stored table of the year: its list row's facts, its rows as the rules read them, its score
    and the consistency check's findings."""

    eval_id: int
    kind: str
    code: str
    name: str
    department: str
    status: str
    settled: bool
    as_printed: bool
    names: tuple[str, ...]  # each indicator's 三级指标
    lines: tuple[Line, ...]
    score: TableScore
    row: SelfEvalRow
    findings: tuple[Finding, ...]


def _hundredths(value: Optional[int]) -> Optional[Decimal]:
    return None if value is None else Decimal(value).scaleb(-2)


def _line(r, settled: bool, tree: bool) -> Line:
    """A stored indicator row (scores as raw hundredths) as the rules read it — the same reading
    as_draft + lines_of give, without the round trip through text (a year is thousands of tables)."""
    follows = not settled and not tree and r.score is not None and r.score == r.reference_score
    return Line(r.level1, r.direction or "", (r.target_value or "") if r.direction else "", r.actual_value or "",
                r.qualitative_rating or "", bool(r.applicable), None if settled else _hundredths(r.weight),
                _hundredths(r.points) if (settled or tree) else None, None if follows else _hundredths(r.score),
                r.score_note or "", r.deviation_reason or "", (r.target_value or "") if not r.direction else "",
                r.unit or "")


def _table(ev, rows: list, rules, code: str, name: str, department: str, place: str = "") -> Table:
    settled = bool(ev.as_printed) or not WORKFLOW.can_edit(ev.status)
    tree = ev.object_type == DEPARTMENT
    rows = sorted(rows, key=lambda r: (r.seq, r.id))
    lines = [_line(r, settled, tree) for r in rows]
    names = tuple(r.level3 for r in rows)
    budget_score = ev.budget_score
    if not settled and not tree and budget_score is not None and ev.budget_points is not None:
        if budget_score == budget_reference(execution_rate(ev.annual_fen, ev.executed_fen), ev.budget_points, rules):
            budget_score = None  # it follows the formula
    scored = score_table(lines, names, rules, annual_fen=ev.annual_fen, executed_fen=ev.executed_fen,
                         initial_fen=ev.initial_fen, budget_points=ev.budget_points if settled else None,
                         budget_score=budget_score, budget_cause=ev.budget_cause or "", allot=not settled,
                         department=tree, follow=not settled)
    total, grade = _kept(settled, ev.total_score, ev.grade or "", scored)
    checked = CheckedTable(
        code, name, tuple(lines) if settled else tuple(
            Line(x.level1, x.direction, x.target_value, x.actual, x.rating, x.applicable, x.weight, s.points, s.score,
                 x.score_note, x.deviation, x.rule, x.unit) for x, s in zip(lines, scored.lines)), names,
        ev.annual_fen, ev.executed_fen, ev.fiscal_annual_fen, ev.other_annual_fen,
        (ev.printed_rate or "") if ev.as_printed else "", None if tree else scored.budget_points,
        scored.budget_score, ev.total_score if settled else scored.total, (ev.grade or "") if settled else scored.grade,
        tree)
    findings = tuple(check_table(checked, rules, [s.missed for s in scored.lines]))
    row = SelfEvalRow(ev.id, ev.object_type, ev.project_id, ev.department_id, code, name, department, ev.annual_fen,
                      ev.executed_fen, scored.rate, scored.reference_total, total, grade, ev.status, len(findings),
                      bool(ev.as_printed), f"{code}\n{name}\n{department}\n{place}".casefold(), ev.region_code or "",
                      place)
    return Table(ev.id, ev.object_type, code, name, department, ev.status, settled, bool(ev.as_printed), names,
                 tuple(lines), scored, row, findings)


def year_tables(ws: Workspace, year: int, region: Optional[str] = None) -> list[Table]:
    """Every 自评表 of the year (of one 区划 when `region` is a code), scored (a table being filled
    under the county's pack as it stands; a settled one as kept) and checked — project tables by
    code, then departments by code."""
    e, i, p, d = SelfEvaluation.__table__, SelfEvalIndicator.__table__, Project.__table__, Department.__table__
    rules = rules_of(ws.rule_pack())
    with ws.read() as conn:
        depts = {r.id: r for r in conn.execute(select(d.c.id, d.c.code, d.c.name))}
        projects = {r.id: r for r in conn.execute(select(p.c.id, p.c.code, p.c.name, p.c.department_id)
                                                  .where(p.c.year == year))}
        evals = conn.execute(select(e).where(e.c.year == year, *access.where(ws.actor, SelfEvaluation),
                                             *regions.clause(e, region))).all()
        rows = defaultdict(list)
        raw = [type_coerce(c, Integer).label(c.name) for c in (i.c.weight, i.c.points, i.c.reference_score, i.c.score)]
        wanted = (i.c.id, i.c.evaluation_id, i.c.seq, i.c.level1, i.c.level3, i.c.direction, i.c.target_value,
                  i.c.unit, i.c.actual_value, i.c.qualitative_rating, i.c.applicable, *raw, i.c.score_note,
                  i.c.deviation_reason)
        for row in conn.execute(select(*wanted).join(e, e.c.id == i.c.evaluation_id).where(e.c.year == year)):
            rows[row.evaluation_id].append(row)
    named = regions.names(ws)
    out = []
    for ev in evals:
        place = named.get(ev.region_code, ev.region_code or "")
        if ev.object_type == DEPARTMENT:
            dept = depts[ev.department_id]
            out.append(_table(ev, rows[ev.id], rules, dept.code, dept.name, dept_display(dept.code, dept.name), place))
        elif ev.project_id in projects:
            project = projects[ev.project_id]
            dept = depts[project.department_id]
            out.append(_table(ev, rows[ev.id], rules, project.code, project.name, dept_display(dept.code, dept.name),
                              place))
    out.sort(key=lambda t: (t.kind != PROJECT, t.code, t.row.region_code))
    return out


def kept(d: SelfEvalDraft, s: TableScore) -> tuple[Optional[Decimal], str]:
    return _kept(d.settled, d.printed_total, d.printed_grade, s)


def _kept(settled: bool, stored_total: Optional[Decimal], stored_grade: str, s: TableScore) -> tuple[Optional[Decimal], str]:
    """The 总分 and 等级 a table shows: as kept on a settled one (printed, or submitted under the
    pack version it records); on one being filled, the live ones — with no 等级 while a row still
    lacks its actual or 得分 (and no 总分 before anything is scored)."""
    if settled:
        return stored_total, stored_grade
    if all(line.score is None for line in s.lines):
        return None, ""
    unfinished = any(n.field in ("actual", "score") and n.blocking for n in s.needs)
    return s.total, "" if unfinished else s.grade


def list_year(ws: Workspace, year: int, region: Optional[str] = None) -> list[SelfEvalRow]:
    """The page's lines (of one 区划 when `region` is a code): every table of the year, and — as
    未填报 — each project with an approved target and each department with projects that year that
    has no table yet; each with its region's name."""
    tables = year_tables(ws, year, region)
    rows = [t.row for t in tables]
    have_p = {t.row.project_id for t in tables if t.kind == PROJECT}
    have_d = {t.row.department_id for t in tables if t.kind == DEPARTMENT}
    p, d, t = Project.__table__, Department.__table__, PerformanceTarget.__table__
    with ws.read() as conn:
        depts = {r.id: r for r in conn.execute(select(d.c.id, d.c.code, d.c.name, d.c.region_code))}
        waiting = conn.execute(select(p.c.id, p.c.code, p.c.name, p.c.department_id, p.c.annual_budget_fen, p.c.region_code)
                               .join(t, t.c.project_id == p.c.id)
                               .where(p.c.year == year, t.c.status == FROM_TARGET, *access.where(ws.actor, Project),
                                      *regions.clause(p, region))
                               .order_by(p.c.code)).all()
        with_projects = set(conn.execute(select(p.c.department_id).where(p.c.year == year)).scalars())
        if ws.actor.scope is not None:  # the departments (部门整体) within the scope
            with_projects &= set(conn.execute(select(d.c.id).where(*access.where(ws.actor, Department))).scalars())
    named = regions.names(ws)
    for pid, code, name, dept_id, annual, reg in waiting:
        if pid not in have_p:
            dept, place = depts[dept_id], named.get(reg, reg or "")
            shown = dept_display(dept.code, dept.name)
            rows.append(SelfEvalRow(None, PROJECT, pid, None, code, name, shown, annual, None, None, None, None, "",
                                    NOT_STARTED, 0, False, f"{code}\n{name}\n{shown}\n{place}".casefold(), reg or "", place))
    for dept_id in sorted(with_projects - have_d, key=lambda i: depts[i].code):
        dept = depts[dept_id]
        if region and dept.region_code != region:
            continue
        shown, place = dept_display(dept.code, dept.name), named.get(dept.region_code, dept.region_code or "")
        rows.append(SelfEvalRow(None, DEPARTMENT, None, dept_id, dept.code, dept.name, shown, None, None, None, None,
                                None, "", NOT_STARTED, 0, False, f"{dept.code}\n{dept.name}\n{place}".casefold(),
                                dept.region_code or "", place))
    rows.sort(key=lambda r: (r.kind != PROJECT, r.code, r.region_code))
    return rows


def check_year(ws: Workspace, year: int) -> list[Finding]:
    """The consistency check's findings over every table of the year (own and imported)."""
    return [f for t in year_tables(ws, year) for f in t.findings]


def grade_sentence(count: int, shares: list[GradeShare]) -> str:
    """本次24个绩效自评表中，自评等级为“优”的17份，占70.83%；…，无“差”等级。"""
    if not count:
        return "本年度还没有评定等级的绩效自评表。"
    parts = [f"自评等级为“{g.grade}”的{g.count}份，占{g.share}%" for g in shares if g.count]
    missing = [g.grade for g in shares if not g.count]
    tail = f"，无{'、'.join(f'“{g}”' for g in missing)}等级" if missing else ""
    return f"本次{count}个绩效自评表中，" + "；".join(parts) + tail + "。"


def summary(ws: Workspace, year: int, region: Optional[str] = None) -> SelfEvalSummary:
    """The 自评汇总表: every table of the year (project and department; of one 区划 when `region`
    is a code, named in the title); the 等级分布 over the finished ones (已提交 or 审核通过 — a
    draft's score is not yet a result), the sentence, a line per 主管部门 (份数, 平均分, 份数 by
    grade) and — a county holding townships' tables — the same line per region, then 合计."""
    chosen = regions.choices(ws)
    rows = tuple(t.row for t in year_tables(ws, year, region))
    graded = _graded(rows)
    counts = Counter(r.grade for r in graded)
    shares = [GradeShare(g, counts[g], cents(Decimal(counts[g]) * 100 / len(graded)) if graded else Decimal(0))
              for g in GRADES]
    by_dept: dict[str, list[SelfEvalRow]] = defaultdict(list)
    for r in graded:
        by_dept[r.department].append(r)
    departments = tuple(_grades_line(dept, found) for dept, found in sorted(by_dept.items()))
    return SelfEvalSummary(year, rows, tuple(shares), grade_sentence(len(graded), shares), departments,
                           chosen.label_of(region), () if region else _by_region(rows, chosen))


def _graded(rows) -> list[SelfEvalRow]:
    return [r for r in rows if r.grade in GRADES and r.total is not None and r.status in FINISHED]


def _grades_line(label: str, graded: list[SelfEvalRow]) -> tuple[str, int, Optional[Decimal], dict]:
    """A line of the 部门汇总 (or 按区划汇总): 份数, 平均分 and 份数 by grade of finished, graded tables."""
    average = cents(sum((r.total for r in graded), Decimal(0)) / len(graded)) if graded else None
    return label, len(graded), average, {g: sum(1 for r in graded if r.grade == g) for g in GRADES}


def _by_region(rows: tuple[SelfEvalRow, ...], chosen: regions.RegionChoices) -> tuple:
    """按区划汇总: (区划, 自评表份数, 已评定份数, 平均分, {等级: 份数}) for 本级 and each township, then
    合计 — nothing when the county holds no township's tables."""
    if not chosen.shown:
        return ()
    by_code: dict[str, list[SelfEvalRow]] = {code: [] for code in (chosen.home_code, *dict(chosen.townships))}
    for r in rows:
        by_code.setdefault(r.region_code, []).append(r)
    lines = [(chosen.label_of(code), found) for code, found in by_code.items()] + [("合计", list(rows))]
    return tuple((label, len(found), *_grades_line(label, _graded(found))[1:]) for label, found in lines)


# -- one table's printed form ----------------------------------------------------------------------------
def _wan(fen_value: Optional[int]) -> str:
    return "" if fen_value is None else wan_text(fen_value)


def _num(value: Optional[Decimal]) -> str:
    return "" if value is None else f"{value:.2f}"


def form_view(ws: Workspace, draft: SelfEvalDraft) -> SelfEvalFormView:
    """The 自评表 as printed: what the form holds, with the derived 分值, 得分, 总分 and 等级."""
    rules = rules_of(ws.rule_pack())
    s = score_draft(draft, rules)
    dept = draft.is_department
    fields = ((("部门名称", draft.name), ("部门编码", draft.code), ("编制人数", draft.staff_quota),
               ("实有人数", draft.staff_actual), ("年度", f"{draft.year}"), ("状态", draft.status)) if dept else
              (("项目名称", draft.name), ("项目编码", draft.code), ("主管部门", draft.department),
               ("实施单位", draft.unit), ("年度", f"{draft.year}"), ("状态", draft.status)))
    budget_rows = []
    for n, line in enumerate(draft.budget):
        rate = s.rate if n == 0 else None
        if n and fen(line.annual):
            executed = fen(line.executed)
            rate = None if executed is None else Decimal(executed) / Decimal(fen(line.annual))
        shown_rate = draft.printed_rate if (n == 0 and draft.as_printed and draft.printed_rate) else (
            "" if rate is None else percent(rate))
        points = "" if dept or n else _num(s.budget_points)
        score = "" if dept or n else _num(s.budget_score)
        budget_rows.append((line.label, line.initial, line.annual, line.executed, shown_rate, points, score,
                            draft.budget_cause if n == 0 else ""))
    if dept:
        header = ("一级指标", "二级指标", "三级指标", "评分标准", "分值", "得分", "扣分原因")
        rows = tuple((i.level1, i.level2, i.level3, i.standard, _num(ls.points), _num(ls.score), i.score_note)
                     for i, ls in zip(draft.indicators, s.lines) if i.applicable)
    else:
        header = ("一级指标", "二级指标", "三级指标", "指标性质", "年度指标值", "计量单位", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施")
        rows = tuple((i.level1, i.level2, i.level3, i.direction, i.target_value, i.unit,
                      i.actual or i.rating, _num(ls.points), _num(ls.score),
                      "；".join(x for x in (i.deviation, i.score_note and f"评分说明：{i.score_note}") if x))
                     for i, ls in zip(draft.indicators, s.lines) if i.applicable)
    total, grade = kept(draft, s)
    texts = ((("部门职能", draft.functions), ("年度主要工作完成情况", draft.goal_actual)) if dept else
             (("年度目标与实际完成情况", draft.goal_actual), ("实施过程概述", draft.process_summary))) + (
        ("评价结论", draft.conclusion), ("存在问题", draft.problems), ("改进措施", draft.improvements))
    with ws.session() as session:  # one 审核意见 per review level (the single one without a chain)
        texts += review_opinions.printed(session, draft.uuid or None, draft.review_opinion)
    counts = "计入" if rules.counts_budget else "不计入"
    version = draft.pack_version if draft.settled and draft.pack_version else rules.version
    pack_note = (f"按规则方案第{version}版计分" +
                 ("" if dept else f"：预算执行{_num(s.budget_points)}分，指标{_num(s.indicator_points)}分，总分{counts}预算执行得分。"))
    if draft.as_printed:
        pack_note = "本表按原表导入：分值、得分、总分、执行率和评价等级均为原表所填。"
    return SelfEvalFormView(
        kind=draft.kind, year=draft.year, status=draft.status,
        title=f"{draft.year}年度{'部门整体支出' if dept else '项目支出'}绩效自评表", fields=fields,
        budget_header=("预算执行", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "分值", "得分", "原因"),
        budget_rows=tuple(budget_rows), indicator_header=header, indicator_rows=rows,
        total=_num(total), grade=grade, texts=tuple((k, v) for k, v in texts if v),
        signatures=((("部门负责人", ""), ("财务负责人", draft.finance_leader)) if dept else
                    (("项目负责人", draft.project_leader), ("财务负责人", draft.finance_leader))),
        pack_note=pack_note)
