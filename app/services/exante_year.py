"""A year of 事前绩效评估, read with Core: the page's list, the 汇总表 (with its 合计), the projects the
pack's trigger says need an assessment and have none (and the mark other pages show beside them),
and one assessment's report as printed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from sqlalchemy import select

from app.domain.exante import (
    INCREASE, MARK, NEW_PROJECT, ExAnteDraft, ExAnteReportView, ExAnteRow, ExAnteSummary, NeedingRow,
)
from app.money import fmt_wan
from app.rules.exante import ExAnteRules, score_draft
from app.rules.scoring_tree import fmt
from app.services import access, regions
from app.services.base_data import dept_display
from app.services.exante_records import rules_for, rules_of
from app.services.workspace import Workspace
from db.models import Agency, Department, ExAnteAssessment, ExAnteItem, Project


def _evaluator(kind: Optional[str], agency: Optional[str], name: Optional[str]) -> str:
    return agency or name or (kind or "")


def list_year(ws: Workspace, year: int, region: Optional[str] = None) -> list[ExAnteRow]:
    """Every assessment of the year (of one region when `region` names its code), by 项目编码 (named
    subjects after the projects)."""
    e, p, d, a, i = (ExAnteAssessment.__table__, Project.__table__, Department.__table__, Agency.__table__,
                     ExAnteItem.__table__)
    names = regions.names(ws)
    with ws.read() as conn:
        depts = {r.id: r for r in conn.execute(select(d.c.id, d.c.code, d.c.name))}
        agencies = dict(conn.execute(select(a.c.id, a.c.name)).all())
        with_items = set(conn.execute(select(i.c.assessment_id).join(e, e.c.id == i.c.assessment_id)
                                      .where(e.c.year == year)).scalars())
        found = conn.execute(select(e, p.c.code.label("project_code"), p.c.department_id.label("project_dept"))
                             .outerjoin(p, p.c.id == e.c.project_id)
                             .where(e.c.year == year, *regions.clause(e, region),
                                    *access.where(ws.actor, ExAnteAssessment))).all()
    rows = []
    for r in found:
        dept_id = r.project_dept or r.department_id
        dept = depts.get(dept_id)
        shown = dept_display(dept.code, dept.name) if dept else ""
        code = r.project_code or ""
        rows.append(ExAnteRow(
            r.id, r.project_id, code, r.object_name, shown, r.requested_fen, r.recommended_fen, r.cut_fen,
            r.self_score, r.total_score, r.grade or "", r.conclusion or "", r.status,
            _evaluator(r.evaluator_kind, agencies.get(r.agency_id), r.evaluator_name), r.id not in with_items,
            f"{code}\n{r.object_name}\n{shown}".casefold(), r.region_code, names.get(r.region_code, r.region_code)))
    rows.sort(key=lambda r: (not r.code, r.code, r.region_code, r.name))
    return rows


def summary(ws: Workspace, year: int, region: Optional[str] = None) -> ExAnteSummary:
    """The year's 汇总表 (of one region when `region` names its code): every assessment and the 合计
    of 申报, 建议安排 and 调减; a 区划 column when the county holds townships' assessments."""
    rows = tuple(list_year(ws, year, region))
    place = regions.choices(ws)
    total = lambda attr: sum((getattr(r, attr) or 0 for r in rows), 0)  # noqa: E731
    return ExAnteSummary(year, rows, total("requested_fen"), total("recommended_fen"), total("cut_fen"),
                         place.label_of(region), place.shown)


def export_summary(ws: Workspace, year: int, fmt: str, path, job=None, region: Optional[str] = None) -> int:
    """`export exante`: the year's 汇总表 as xlsx or pdf; returns the number of assessments."""
    from app.io.exante_reports import render_summary

    return render_summary(summary(ws, year, region), fmt, path, job)


# -- the pack's trigger ------------------------------------------------------------------------------
def _percent(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"


def needing(ws: Workspace, year: int) -> list[NeedingRow]:
    """The year's projects the pack says need an 事前评估 and that have none: a 新增 project with a
    全年预算数 at or above exante.new_project_threshold_wan, or a 延续 project whose budget rises by
    more than exante.continuing_increase_ratio over last year's (the project it continues: its
    parent_id when that is a project of the year before — a same-year parent is a 子项目's — else the
    project of the same name and 主管部门 the year before)."""
    settled: ExAnteRules = rules_of(ws.rule_pack())
    p, d, e = Project.__table__, Department.__table__, ExAnteAssessment.__table__
    wanted = (p.c.id, p.c.code, p.c.name, p.c.department_id, p.c.category, p.c.annual_budget_fen, p.c.parent_id,
              p.c.region_code)
    names = regions.names(ws)
    with ws.read() as conn:
        depts = {r.id: r for r in conn.execute(select(d.c.id, d.c.code, d.c.name))}
        projects = conn.execute(select(*wanted).where(p.c.year == year, *access.where(ws.actor, Project))
                                .order_by(p.c.code)).all()
        before = conn.execute(select(*wanted).where(p.c.year == year - 1)).all()
        parents = {r.id: r.annual_budget_fen for r in conn.execute(
            select(p.c.id, p.c.annual_budget_fen).where(p.c.year == year - 1,
                                                        p.c.id.in_([r.parent_id for r in projects if r.parent_id] or [0])))}
        have = set(conn.execute(select(e.c.project_id).where(e.c.year == year, e.c.project_id.isnot(None))).scalars())
    by_name = {(r.name.strip(), r.department_id): r.annual_budget_fen for r in before}
    out = []
    threshold = fmt(Decimal(settled.threshold_fen) / 1_000_000)
    for r in projects:
        if r.id in have:
            continue
        dept = depts[r.department_id]
        previous, reason = None, ""
        if r.category == "新增":
            if r.annual_budget_fen >= settled.threshold_fen:
                reason = f"{NEW_PROJECT}：全年预算数{fmt_wan(r.annual_budget_fen)}万元，达到{threshold}万元"
        else:
            previous = parents.get(r.parent_id) or by_name.get((r.name.strip(), r.department_id))
            if previous:
                rise = Decimal(r.annual_budget_fen - previous) / Decimal(previous)
                if rise > settled.increase_ratio:
                    reason = (f"{INCREASE}：较上年{fmt_wan(previous)}万元增长{_percent(rise)}，"
                              f"超过{_percent(settled.increase_ratio)}")
        if reason:
            out.append(NeedingRow(r.id, r.code, r.name, dept_display(dept.code, dept.name), r.category,
                                  r.annual_budget_fen, previous, reason, r.region_code,
                                  names.get(r.region_code, r.region_code)))
    return out


def exante_marks(ws: Workspace, year: int) -> dict[int, str]:
    """project id → "需事前评估" for each project of the year that needs an assessment and has none
    (what the target and project pages show beside the project)."""
    return {r.project_id: MARK for r in needing(ws, year)}


# -- one assessment's report ---------------------------------------------------------------------------
def _num(value: Optional[Decimal]) -> str:
    return "" if value is None else f"{value:.2f}"


def report_view(ws: Workspace, draft: ExAnteDraft, agency: str = "") -> ExAnteReportView:
    """The 事前绩效评估报告 as printed from what the form holds (scores derived as on screen: under the
    version its stored score was computed with, the active one while it is being edited), naming that version."""
    settled = rules_for(ws, draft)
    s = score_draft(draft, settled)
    wan = lambda fen: "" if fen is None else f"{fmt_wan(fen)}万元"  # noqa: E731
    evaluator = agency or draft.evaluator_name or ""
    fields = (("评估对象", draft.object_name), ("项目编码", draft.code or "（新项目/政策）"),
              ("主管部门", draft.department), ("预算年度", f"{draft.year}"),
              ("申报金额", wan(s.requested_fen)), ("建议安排金额", wan(s.recommended_fen)),
              ("调减金额", wan(s.cut_fen)), ("评估方式", draft.method),
              ("审核评估主体", f"{draft.evaluator_kind}{('：' + evaluator) if evaluator else ''}"), ("状态", draft.status))
    dim_header = ("评估维度", "分值", "部门自评估得分", "自评估等级", "审核评估得分", "审核评估等级")
    dims = tuple((own.name, fmt(own.points), _num(own.score), own.grade, _num(rev.score), rev.grade)
                 for own, rev in zip(s.own.dimensions, s.review.dimensions))
    if dims:
        dims += (("合计", fmt(s.review.points), _num(s.self_total), s.self_grade, _num(s.total), s.grade),)
    item_header = ("评估维度", "评估内容", "分值", "评分标准", "自评估评级", "自评估得分", "审核评级", "审核得分")
    items = tuple((line.dimension, line.name, line.points, line.standard, line.self_grade, _num(own), line.grade,
                   _num(rev)) for line, own, rev in zip(draft.lines, s.self_points, s.points))
    said = [f"综合得分{fmt(s.total) or '—'}分，评估等级“{s.grade or '—'}”，评估结论：{draft.conclusion or '—'}"]
    if s.recommended_fen is not None:
        said.append(f"建议安排{fmt_wan(s.recommended_fen)}万元" +
                    (f"，调减{fmt_wan(s.cut_fen)}万元" if s.cut_fen else ""))
    line = "；".join(said) + "。"
    if dims:
        line += "各维度得分：" + "；".join(f"{d.name}{fmt(d.points)}分，得分{fmt(d.score) if d.score is not None else '—'}分"
                                        for d in s.review.dimensions) + "。"
    sections = (("一、基本情况", draft.report_basic), ("二、评估工作开展情况", draft.report_work),
                ("三、评估结论", "\n".join(x for x in (line, draft.report_conclusion) if x)),
                ("四、有关建议", draft.report_suggestions), ("五、专家意见", draft.expert_opinion))
    note = ("本评估按原报告录入：得分、等级和结论照录，未逐项评分。" if draft.printed else
            f"按规则方案第{settled.version}版计分：各项得分按评级折算（或按评估人员填写），维度得分、总分和等级自动计算。")
    return ExAnteReportView(f"{draft.year}年度{draft.object_name}事前绩效评估报告", fields, dim_header, dims,
                            item_header, items, line, sections, note)
