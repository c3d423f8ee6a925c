"""绩效目标 reports as views: every target of a year with its grid, the automatic check over them
(自动检查结果: one line per finding), the 审核汇总表, and one target's 申报表. The service builds
the view; app.io renders it (targets_io, target_form_io)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Optional

from sqlalchemy import select

from app.domain.targets import (
    DEPARTMENT, PROJECT, IndicatorDraft, ReviewLine, SummaryLine, TargetDraft, TargetFormView, TargetRow,
    score_versions,
)
from app.io import target_form_io, targets_io
from app.jobs import JobControl, control
from app.money import fmt_wan
from app.rules.scoring_tree import fmt
from app.rules.target_check import ERROR, HINT, WARNING
from app.rules.validation import RejectedError
from app.services import regions, review_opinions
from app.services.department_targets import list_department_targets
from app.services.pack_versions import words
from app.services.target_records import check, check_version, list_targets, review_versions
from app.services.workspace import Workspace
from db.models import Department, PerformanceTarget, Project, TargetIndicator


def department_list(ws: Workspace, year: int, region: Optional[str] = None) -> list[TargetRow]:
    """The 部门整体支出 list (department_targets.list_department_targets) with each department's
    区划 and its name; one region's departments when `region` is a code."""
    d = Department.__table__
    with ws.read() as conn:
        placed = dict(conn.execute(select(d.c.id, d.c.region_code)).all())
    named = regions.names(ws)
    out = []
    for row in list_department_targets(ws, year):
        code = placed.get(row.department_id) or ""
        if not region or code == region:
            place = named.get(code, code)
            out.append(replace(row, region_code=code, region=place, search_key=f"{row.search_key} {place}".casefold()))
    return out


def year_drafts(ws: Workspace, year: int, region: Optional[str] = None) -> list[tuple[TargetRow, TargetDraft]]:
    """Every target of the year (of one 区划 when `region` is a code) with its grid — projects by
    code, then departments' — read in plain queries (for checks and reports)."""
    t, i = PerformanceTarget.__table__, TargetIndicator.__table__
    by_project = {r.project_id: r for r in list_targets(ws, year, region)}
    by_department = {r.department_id: r for r in department_list(ws, year, region)}
    with ws.read() as conn:
        heads = conn.execute(select(t.c.id, t.c.project_id, t.c.department_id, t.c.kind, t.c.status, t.c.version,
                                    t.c.overall_goal, t.c.annual_goal, t.c.total_funds_fen, t.c.rule_pack_version)
                             .where(t.c.year == year)).all()
        grid: dict[int, list[IndicatorDraft]] = {}
        for r in conn.execute(select(i.c.target_id, i.c.level1, i.c.level2, i.c.level3, i.c.direction, i.c.value_text,
                                     i.c.unit, i.c.points, i.c.explanation, i.c.last_year_actual, i.c.library_id)
                              .join(t, t.c.id == i.c.target_id).where(t.c.year == year).order_by(i.c.target_id, i.c.seq)):
            grid.setdefault(r[0], []).append(IndicatorDraft(
                r[1], r[2], r[3], r[4], r[5] or "", r[6] or "", "" if r[7] is None else f"{r[7].normalize():f}",
                r[8] or "", r[9] or "", r[10]))
    out = []
    for tid, pid, did, kind, status, version, overall, annual, funds, pack_version in heads:
        row = by_project.get(pid) if kind == PROJECT else by_department.get(did)
        if row is not None:  # a target handed in is checked under the pack of its last save (check_version)
            draft = TargetDraft(tid, pid, year, status, version, overall or "", annual or "", funds, grid.get(tid, []),
                                kind=kind, department_id=did, pack_version=pack_version)
            out.append((row, draft))
    out.sort(key=lambda pair: (pair[1].kind != PROJECT, pair[0].code, pair[0].region_code))
    return out


def _name(row: TargetRow, draft: TargetDraft) -> str:
    """A department's overall target is named as such: its money is the sum of its projects'."""
    return f"{row.name}（部门整体支出）" if draft.kind == DEPARTMENT else row.name


def review_lines(ws: Workspace, year: int, job: Optional[JobControl] = None, region: Optional[str] = None) -> list[ReviewLine]:
    """The check over every target of the year (of one 区划 when `region` is a code): one line per
    finding, and one for a target with none."""
    job = control(job)
    pairs = year_drafts(ws, year, region)
    out = []
    for n, (row, draft) in enumerate(pairs):
        result, name = check(ws, draft), _name(row, draft)
        if not result.findings:
            out.append(ReviewLine(row.code, name, result.quality_score, "无", "", "未发现问题", ""))
        for f in result.findings:
            out.append(ReviewLine(row.code, name, result.quality_score, f.severity, f.where(draft), f.problem, f.advice))
        if n % 200 == 0:
            job.step(n, len(pairs))
    return out


def summary_lines(ws: Workspace, year: int, region: Optional[str] = None) -> list[SummaryLine]:
    """The 审核汇总表's lines: each target's check (under check_version) and 审核得分, with the
    规则方案 version(s) they were computed with."""
    with ws.read() as conn:
        reviewed = review_versions(conn, year)
    out = []
    for row, draft in year_drafts(ws, year, region):
        result = check(ws, draft)
        versions = score_versions(check_version(ws, draft),
                                  reviewed.get(draft.target_id) if row.review_score is not None else None)
        out.append(SummaryLine(row.code, _name(row, draft), row.department, row.annual_fen, row.status,
                               result.quality_score, row.review_score, result.count(ERROR), result.count(WARNING),
                               result.count(HINT), row.region, versions))
    return out


def export_review(ws: Workspace, year: int, path, job: Optional[JobControl] = None, region: Optional[str] = None) -> int:
    """The 自动检查结果 workbook (one region's, named in its title, when `region` is a code); the
    number of lines."""
    return targets_io.render_review(review_lines(ws, year, job, region), year, path, job,
                                    region=regions.choices(ws).label_of(region))


def export_summary(ws: Workspace, year: int, fmt: str, path, job: Optional[JobControl] = None,
                   region: Optional[str] = None) -> int:
    """The 审核汇总表 as "xlsx" or "pdf" (one region's, named in its title, when `region` is a code;
    with a 区划 column when the county holds townships' targets); the number of lines."""
    chosen = regions.choices(ws)
    return targets_io.render_summary(summary_lines(ws, year, region), year, fmt, path, job,
                                     region=chosen.label_of(region), with_regions=chosen.shown)


# -- one target's 申报表 ------------------------------------------------------------------------------
def form_view(ws: Workspace, draft: TargetDraft) -> TargetFormView:
    """Everything the 申报表 prints, as text: header pairs (from the project or the department),
    full-width text blocks (ending with the 审核意见 of each review level) and the indicator rows."""
    with ws.session() as s:
        if draft.kind == DEPARTMENT:
            dept = s.get(Department, draft.department_id)
            if dept is None:
                raise RejectedError("这个部门已被删除。")
            fields = (("部门（单位）名称", dept.name), ("预算编码", dept.code),
                      ("年度资金总额（万元）", fmt_wan(draft.funds_fen)), ("年度", str(draft.year)))
            tasks = "\n".join(f"{n}. {t.content}" + (f"（预算数{t.budget}万元）" if t.budget else "")
                              for n, t in enumerate(draft.tasks, 1))
            texts = (("部门职能", draft.functions), ("年度主要任务", tasks), ("整体目标", draft.overall_goal),
                     ("年度目标", draft.annual_goal))
        else:
            p = s.get(Project, draft.project_id)
            if p is None:
                raise RejectedError("这个项目已被删除。")
            fields = (("项目名称", p.name), ("项目编码", p.code), ("主管部门", p.department.display),
                      ("实施单位", p.unit.display), ("项目类别", p.category), ("资金性质", p.fund_type),
                      ("年度资金总额（万元）", fmt_wan(draft.funds_fen)), ("其中：财政拨款（万元）", fmt_wan(p.fiscal_fen or 0)),
                      ("其他资金（万元）", fmt_wan(p.other_fen or 0)),
                      ("项目期限", f"{p.period_start or ''}至{p.period_end or ''}"))
            texts = (("总体目标", draft.overall_goal), ("年度目标", draft.annual_goal))
        target = s.get(PerformanceTarget, draft.target_id) if draft.target_id else None
        if draft.review_score is not None:
            texts += (("审核得分", review_words(draft)),)
        texts += review_opinions.printed(s, target.uuid if target is not None else None)
    rows = tuple((i.level1, i.level2, i.level3, i.direction, i.value, i.unit, i.points, i.explanation)
                 for i in draft.indicators)
    return TargetFormView(draft.kind, draft.year, draft.status, fields, texts, rows)


def review_words(draft: TargetDraft) -> str:
    """82.50分（按规则方案第1版计分）: the 审核得分 with the version its weights were taken from."""
    said = words(draft.review_version)
    return f"{fmt(draft.review_score)}分" + (f"（{said}计分）" if said else "")


def export_form(ws: Workspace, draft: TargetDraft, path) -> None:
    """The 申报表 as PDF, or as xlsx when the file name ends in .xlsx."""
    view = form_view(ws, draft)
    if Path(str(path)).suffix.lower() == ".xlsx":
        target_form_io.render_form_xlsx(view, path)
    else:
        target_form_io.render_form_pdf(view, path)
