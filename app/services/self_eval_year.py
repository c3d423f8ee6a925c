"""A year of 自评表 at once, read with Core (no ORM objects): every table as a draft, scored and
checked; the page's list, the 自评汇总表 with its 等级分布 and the sentence offices write, the
consistency check's findings, and one table's printed form."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from sqlalchemy import select

from app.domain.self_eval import (
    DEPARTMENT, GRADES, NOT_STARTED, PROJECT, Finding, GradeShare, SelfEvalDraft, SelfEvalFormView, SelfEvalRow,
    SelfEvalSummary,
)
from app.money import wan_text
from app.rules.self_eval import TableScore, cents, percent
from app.rules.self_eval_check import check_table
from app.rules.self_eval_draft import checked_table, fen, score_draft
from app.services.base_data import dept_display
from app.services.self_eval_records import FROM_TARGET, as_draft, rules_of
from app.services.workflow import PASSED, SUBMITTED
from app.services.workspace import Workspace
from db.models import Department, PerformanceTarget, Project, SelfEvalIndicator, SelfEvaluation


FINISHED = (SUBMITTED, PASSED)


@dataclass(frozen=True)
class Table:
    """A stored table of the year with its draft, score and findings."""

    draft: SelfEvalDraft
    score: TableScore
    findings: tuple[Finding, ...]


def year_tables(ws: Workspace, year: int) -> list[Table]:
    """Every 自评表 of the year, scored under the county's pack and checked (project tables by
    project code, then departments by code)."""
    e, i, p, d = SelfEvaluation.__table__, SelfEvalIndicator.__table__, Project.__table__, Department.__table__
    rules = rules_of(ws.rule_pack())
    with ws.read() as conn:
        depts = {r.id: r for r in conn.execute(select(d.c.id, d.c.code, d.c.name))}
        projects = {r.id: r for r in conn.execute(select(p.c.id, p.c.code, p.c.name, p.c.department_id, p.c.unit_id)
                                                  .where(p.c.year == year))}
        evals = conn.execute(select(e).where(e.c.year == year)).all()
        rows = defaultdict(list)
        for row in conn.execute(select(i).join(e, e.c.id == i.c.evaluation_id).where(e.c.year == year)):
            rows[row.evaluation_id].append(row)
    out = []
    for ev in evals:
        if ev.object_type == DEPARTMENT:
            dept = depts[ev.department_id]
            draft = as_draft(ev, rows[ev.id], rules, code=dept.code, name=dept.name,
                             department=dept_display(dept.code, dept.name))
        else:
            project = projects.get(ev.project_id)
            if project is None:
                continue
            dept, unit = depts[project.department_id], depts[project.unit_id]
            draft = as_draft(ev, rows[ev.id], rules, code=project.code, name=project.name,
                             department=dept_display(dept.code, dept.name), unit=dept_display(unit.code, unit.name))
        scored = score_draft(draft, rules)
        out.append(Table(draft, scored, tuple(check_table(checked_table(draft, rules, scored), rules))))
    out.sort(key=lambda t: (t.draft.kind != PROJECT, t.draft.code))
    return out


def _row(t: Table) -> SelfEvalRow:
    d, s = t.draft, t.score
    total_line = d.budget[0] if d.budget else None
    annual, executed = (fen(total_line.annual), fen(total_line.executed)) if total_line else (None, None)
    total: Optional[Decimal] = d.printed_total if d.as_printed and d.printed_total is not None else s.total
    grade = (d.printed_grade or s.grade) if d.as_printed else s.grade
    if not d.as_printed and all(line.score is None for line in s.lines):
        total, grade = None, ""  # nothing scored yet: no 总分, no 差
    return SelfEvalRow(d.eval_id, d.kind, d.project_id, d.department_id, d.code, d.name, d.department, annual, executed,
                       s.rate, s.reference_total, total, grade, d.status, len(t.findings), d.as_printed,
                       f"{d.code}\n{d.name}\n{d.department}".casefold())


def list_year(ws: Workspace, year: int) -> list[SelfEvalRow]:
    """The page's lines: every table of the year, and — as 未填报 — each project with an approved
    target and each department with projects that year that has no table yet."""
    tables = year_tables(ws, year)
    rows = [_row(t) for t in tables]
    have_p = {t.draft.project_id for t in tables if t.draft.kind == PROJECT}
    have_d = {t.draft.department_id for t in tables if t.draft.kind == DEPARTMENT}
    p, d, t = Project.__table__, Department.__table__, PerformanceTarget.__table__
    with ws.read() as conn:
        depts = {r.id: r for r in conn.execute(select(d.c.id, d.c.code, d.c.name))}
        waiting = conn.execute(select(p.c.id, p.c.code, p.c.name, p.c.department_id, p.c.annual_budget_fen)
                               .join(t, t.c.project_id == p.c.id)
                               .where(p.c.year == year, t.c.status == FROM_TARGET).order_by(p.c.code)).all()
        with_projects = set(conn.execute(select(p.c.department_id).where(p.c.year == year)).scalars())
    for pid, code, name, dept_id, annual in waiting:
        if pid not in have_p:
            dept = depts[dept_id]
            shown = dept_display(dept.code, dept.name)
            rows.append(SelfEvalRow(None, PROJECT, pid, None, code, name, shown, annual, None, None, None, None, "",
                                    NOT_STARTED, 0, False, f"{code}\n{name}\n{shown}".casefold()))
    for dept_id in sorted(with_projects - have_d, key=lambda i: depts[i].code):
        dept = depts[dept_id]
        shown = dept_display(dept.code, dept.name)
        rows.append(SelfEvalRow(None, DEPARTMENT, None, dept_id, dept.code, dept.name, shown, None, None, None, None,
                                None, "", NOT_STARTED, 0, False, f"{dept.code}\n{dept.name}".casefold()))
    rows.sort(key=lambda r: (r.kind != PROJECT, r.code))
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


def summary(ws: Workspace, year: int) -> SelfEvalSummary:
    """The 自评汇总表: every table of the year (project and department); the 等级分布 over the
    finished ones (已提交 or 审核通过 — a draft's score is not yet a result), the sentence, and a
    line per 主管部门 (份数, 平均分, 份数 by grade)."""
    rows = tuple(_row(t) for t in year_tables(ws, year))
    graded = [r for r in rows if r.grade in GRADES and r.total is not None and r.status in FINISHED]
    counts = Counter(r.grade for r in graded)
    shares = [GradeShare(g, counts[g], cents(Decimal(counts[g]) * 100 / len(graded)) if graded else Decimal(0))
              for g in GRADES]
    by_dept: dict[str, list[SelfEvalRow]] = defaultdict(list)
    for r in graded:
        by_dept[r.department].append(r)
    departments = tuple(
        (dept, len(found), cents(sum((r.total for r in found), Decimal(0)) / len(found)),
         {g: sum(1 for r in found if r.grade == g) for g in GRADES})
        for dept, found in sorted(by_dept.items()))
    return SelfEvalSummary(year, rows, tuple(shares), grade_sentence(len(graded), shares), departments)


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
    total = draft.printed_total if draft.as_printed and draft.printed_total is not None else s.total
    grade = (draft.printed_grade or s.grade) if draft.as_printed else s.grade
    texts = ((("部门职能", draft.functions), ("年度主要工作完成情况", draft.goal_actual)) if dept else
             (("年度目标与实际完成情况", draft.goal_actual), ("实施过程概述", draft.process_summary))) + (
        ("评价结论", draft.conclusion), ("存在问题", draft.problems), ("改进措施", draft.improvements))
    if draft.review_opinion:
        texts += (("审核意见", draft.review_opinion),)
    counts = "计入" if rules.counts_budget else "不计入"
    pack_note = (f"按规则方案第{draft.pack_version or rules.version}版计分" +
                 ("" if dept else f"：预算执行{_num(s.budget_points)}分，指标{_num(s.indicator_points)}分，总分{counts}预算执行得分。"))
    return SelfEvalFormView(
        kind=draft.kind, year=draft.year, status=draft.status,
        title=f"{draft.year}年度{'部门整体支出' if dept else '项目支出'}绩效自评表", fields=fields,
        budget_header=("预算执行", "年初预算数（万元）", "全年预算数（万元）", "全年执行数（万元）", "执行率", "分值", "得分", "原因"),
        budget_rows=tuple(budget_rows), indicator_header=header, indicator_rows=rows,
        total=_num(total), grade=grade, texts=tuple((k, v) for k, v in texts if v),
        signatures=((("部门负责人", ""), ("财务负责人", draft.finance_leader)) if dept else
                    (("项目负责人", draft.project_leader), ("财务负责人", draft.finance_leader))),
        pack_note=pack_note)
