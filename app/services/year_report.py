"""The figures of a work year's 年度预算绩效工作开展情况说明, each traced to what it counts.

    figures(ws, year, at=None, region=None) → [Figure]   # in the seeds' order: 事前绩效评估 … 培训

A work year's report counts what was done in that year, as the seeds do: the targets and the
monitoring of that budget year; the self-evaluations, their 真实性核查 and the key evaluations carried out
in it — of the budget year before (和硕 and 澄江 self-evaluated 2022 budgets in 2023; 钢城 evaluated
2022 projects in 2023); the ex-ante assessments carried out in it — for next year's budgets; the
year's 结果应用 measures, 整改 items and training. Every figure comes from the stage's own summary (the
lists read through access.where, so a user sees the figures of their scope). A section the program
holds no records for takes the county's 上报数 (ReportedStat) of that stage and year, marked so."""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import select

from app.domain.results import BASIS_EXANTE
from app.domain.self_eval import DEPARTMENT, PROJECT
from app.domain.year_report import (
    EXANTE, KEY_EVAL, MONITORING, PERCENT, RECTIFICATION, REPORTED_STAGES, RESULTS, SECTIONS, SELF_EVAL,
    TARGETS, TRAINING, VERIFICATION, WAN, Figure, share, two_places, wan,
)
from app.rules import monitoring as mrules
from app.rules.results import CUT, SQUEEZE
from app.services import (
    access, exante_year, key_eval_year, monitoring, rectification, regions, results, self_eval_year,
    verification,
)
from app.services.target_records import list_targets
from app.services.target_reports import department_list
from app.services.workflow import APPROVED, FINALIZED, PASSED
from app.services.workspace import Workspace
from db.models import ReportedStat

GRADES = ("优", "良", "中", "差")
REVIEWED = (PASSED, APPROVED)  # a target 审核通过 or 已批复 has been reviewed


class _Figures:
    """Collects one section's figures in order."""

    def __init__(self, section: str) -> None:
        self.section, self.items = section, []

    def add(self, key: str, item: str, value, unit: str, basis: str) -> None:
        self.items.append(Figure(key, item, value, unit, basis, False, self.section))


def figures(ws: Workspace, year: int, at: Optional[date] = None, region: Optional[str] = None) -> list[Figure]:
    """Every figure of the work `year` (整改 counted as it stands at the year's end, or at `at` /
    today when earlier), in the seeds' order of sections; `region`: one 区划's records (None: all)."""
    at = min(at or date(year, 12, 31), date(year, 12, 31), date.today())
    r = region
    parts = {EXANTE: _exante(ws, year, r), TARGETS: _targets(ws, year, r), MONITORING: _monitoring(ws, year, r),
             SELF_EVAL: _self_eval(ws, year, r), KEY_EVAL: _key_eval(ws, year, r),
             VERIFICATION: _verification(ws, year, r), RESULTS: _results(ws, year, r),
             RECTIFICATION: _rectification(ws, year, at, r), TRAINING: _training(ws, year, r)}
    reported = _reported(ws, year, r)
    out: list[Figure] = []
    for section in SECTIONS:
        out.extend(parts[section] or reported.get(section, []))
    return out


# -- the sections ------------------------------------------------------------------------------------
def _exante(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    view = exante_year.summary(ws, year + 1, region)
    done = [r for r in view.rows if r.status == FINALIZED]
    if not view.rows:
        return []
    f = _Figures(EXANTE)
    basis = f"{year}年开展的事前绩效评估：{year + 1}年度预算项目（新增及增加预算的项目）的评估，已定稿的"
    f.add("exante.count", "事前评估项目数", len(done), "个", basis)
    f.add("exante.requested", "事前评估项目申报金额", wan(sum(r.requested_fen or 0 for r in done)), WAN,
          basis + "，申报金额合计")
    f.add("exante.cut", "事前评估建议调减金额", wan(sum(r.cut_fen or 0 for r in done)), WAN, basis + "，调减金额合计")
    return f.items


def _targets(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    projects = list_targets(ws, year, region)
    departments = department_list(ws, year, region)
    reviewed = [r for r in projects if r.status in REVIEWED]
    depts = [r for r in departments if r.status in REVIEWED]
    if not reviewed and not depts and not any(r.status != "未填报" for r in (*projects, *departments)):
        return []
    f = _Figures(TARGETS)
    basis = f"{year}年度预算项目的绩效目标，审核通过或已批复的"
    f.add("targets.projects", "绩效目标审核项目数", len(reviewed), "个", basis)
    f.add("targets.departments", "绩效目标审核部门数", len(depts), "个",
          f"{year}年度部门整体支出绩效目标，审核通过或已批复的")
    f.add("targets.amount", "绩效目标审核金额", wan(sum(r.annual_fen or 0 for r in reviewed)), WAN,
          basis + "，项目全年预算数合计")
    f.add("targets.coverage", "绩效目标审核覆盖率", share(len(reviewed), len(projects)), PERCENT,
          f"审核通过或已批复的项目 ÷ {year}年度全部预算项目（{len(projects)}个）")
    return f.items


def _monitoring(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    views = [(r, monitoring.round_view(ws, r.id, region).summary.overall) for r in monitoring.list_rounds(ws, year)]
    views = [(r, total) for r, total in views if total.projects or region is None]  # a region outside a round
    f = _Figures(MONITORING)
    if views:
        f.add("monitoring.rounds", "监控批次", len(views), "批", f"{year}年度预算的监控批次")
    for r, total in views:
        key, label = f"monitoring.{r.month}", f"{r.name}监控"
        basis = f"{year}年{r.name}监控批次（截至{r.month}月）的项目"
        f.add(f"{key}.projects", f"{label}项目数", total.projects, "个", basis)
        f.add(f"{key}.amount", f"{label}金额", wan(total.budget_fen), WAN, basis + "，全年预算数合计")
        rate = mrules.percent(mrules.execution_rate(total.executed_fen, total.filled_budget_fen))
        if rate is not None:
            f.add(f"{key}.progress", f"{label}总体进度", rate, PERCENT,
                  basis + "：截至执行数 ÷ 已填报项目的全年预算数"
                  + (f"（{total.not_filled}个项目未填报执行数，未计入）" if total.not_filled else ""))
        f.add(f"{key}.schedule", f"{label}序时进度", mrules.percent(mrules.schedule(r.month)), PERCENT,
              f"截至月份 ÷ 12（{r.month}/12）")
    return f.items


def _self_eval(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    budget_year = year - 1
    view = self_eval_year.summary(ws, budget_year, region)
    done = [r for r in view.rows if r.status in self_eval_year.FINISHED]
    if not done:
        return []
    f = _Figures(SELF_EVAL)
    basis = f"{year}年开展的{budget_year}年度预算绩效自评：已提交或审核通过的自评表"
    f.add("self_eval.count", "自评表份数", len(done), "份", basis)
    f.add("self_eval.projects", "项目支出自评份数", sum(1 for r in done if r.kind == PROJECT), "份", basis)
    f.add("self_eval.departments", "部门整体支出自评份数", sum(1 for r in done if r.kind == DEPARTMENT), "份", basis)
    f.add("self_eval.amount", "自评金额", wan(sum(r.annual_fen or 0 for r in done)), WAN, basis + "，全年预算数合计")
    graded = sum(g.count for g in view.distribution)
    of = f"{basis}中已评定等级的{graded}份"
    for g in view.distribution:
        f.add(f"self_eval.grade.{g.grade}", f"自评等级“{g.grade}”份数", g.count, "份", of)
        f.add(f"self_eval.grade.{g.grade}.share", f"自评等级“{g.grade}”占比", g.share, PERCENT, f"该等级份数 ÷ {graded}份")
    return f.items


def _key_eval(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    budget_year = year - 1
    rows = [r for r in key_eval_year.list_year(ws, budget_year, region) if r.status == FINALIZED]
    if not rows:
        return []
    f = _Figures(KEY_EVAL)
    basis = f"{year}年开展的重点评价：{budget_year}年度预算项目、部门整体、政策及下级财政运行的评价，已定稿的"
    f.add("key_eval.count", "重点评价项目数", len(rows), "个", basis)
    f.add("key_eval.amount", "重点评价金额", wan(sum(r.budget_fen or 0 for r in rows)), WAN, basis + "，预算批复金额合计")
    for g in GRADES:
        n = sum(1 for r in rows if r.grade == g)
        f.add(f"key_eval.grade.{g}", f"评价结果“{g}”的项目数", n, "个", basis)
    ungraded = sum(1 for r in rows if r.grade not in GRADES)
    if ungraded:
        f.add("key_eval.grade.none", "未评定等级的项目数", ungraded, "个", basis)
    return f.items


def _verification(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    # a county draws from every 区划's tables: a region's figures count the tables of that region drawn
    draws = [[r for r in d.rows if region is None or r.region_code == region] for d in verification.draws(ws, year - 1)]
    draws = [rows for rows in draws if rows]
    if not draws:
        return []
    f = _Figures(VERIFICATION)
    basis = f"{year}年对{year - 1}年度预算绩效自评表的真实性核查：各次随机抽取的自评表"
    f.add("verification.draws", "核查抽取批次", len(draws), "批", basis)
    f.add("verification.drawn", "核查抽取项目数", sum(len(rows) for rows in draws), "个", basis)
    return f.items


def _results(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    table = results.year_table(ws, year, region)
    if not table.rows:
        return []
    f = _Figures(RESULTS)
    basis = f"{year}年决定的结果应用措施"
    f.add("results.measures", "结果应用措施数", len(table.rows), "项", basis)
    f.add("results.cut", "结果应用调减金额", wan(table.counts.cut_fen), WAN, basis + "：调减与压缩预算金额合计")
    exante = sum(r.amount_fen or 0 for r in table.rows if r.measure in (CUT, SQUEEZE) and r.basis == BASIS_EXANTE)
    if exante:
        f.add("results.cut.exante", "其中根据事前评估结论调减金额", wan(exante), WAN,
              basis + "：依据为事前评估的调减与压缩金额（已含在结果应用调减金额中）")
    f.add("results.recovered", "结果应用收回资金", wan(table.counts.recovered_fen), WAN, basis + "：收回资金合计")
    return f.items


def _rectification(ws: Workspace, year: int, at: date, region: Optional[str] = None) -> list[Figure]:
    view = rectification.list_year(ws, year, at=at, region=region)
    if not view.rows:
        return []
    total = view.total
    f = _Figures(RECTIFICATION)
    basis = f"{year}年的整改事项，截至{at.year}年{at.month}月{at.day}日"
    f.add("rectification.count", "整改问题数", total.count, "个", basis)
    f.add("rectification.closed", "整改已销号数", total.closed, "个", basis)
    f.add("rectification.overdue", "整改逾期数", total.overdue, "个", basis + "已过整改期限仍未销号的")
    f.add("rectification.closed.share", "整改销号率", share(total.closed, total.count), PERCENT, "已销号数 ÷ 整改问题数")
    return f.items


def _training(ws: Workspace, year: int, region: Optional[str] = None) -> list[Figure]:
    from app.services.training import year_counts

    sessions, attendees = year_counts(ws, year, region)  # the 培训 page's own count
    if not sessions and not attendees:
        return []
    f = _Figures(TRAINING)
    basis = f"{year}年登记的培训"
    f.add("training.sessions", "培训次数", sessions, "次", basis + "，次数合计")
    f.add("training.attendees", "培训人次", attendees, "人次", basis + "，参训人次合计")
    return f.items


# -- 上报数 ------------------------------------------------------------------------------------------
def _reported(ws: Workspace, year: int, region: Optional[str] = None) -> dict[str, list[Figure]]:
    """The county's 上报数 of the year by section, as figures (count, amount and rate each a row), each
    口径 naming its source: 上报数（来源：省级预算绩效管理系统）：<原文>."""
    r = ReportedStat.__table__
    with ws.read() as conn:
        found = conn.execute(select(r.c.id, r.c.stage, r.c.item, r.c.count, r.c.amount_fen, r.c.rate_pct, r.c.text,
                                    r.c.source)
                             .where(r.c.year == year, *access.where(ws.actor, ReportedStat),
                                    *regions.clause(ReportedStat, region)).order_by(r.c.id)).all()
    out: dict[str, list[Figure]] = {}
    for x in found:
        section = REPORTED_STAGES.get(x.stage)
        if section is None:
            continue
        basis = "上报数" + (f"（来源：{x.source}）" if x.source else "") + (f"：{x.text}" if x.text else "")
        for kind, value, unit, item in _reported_values(x):
            out.setdefault(section, []).append(Figure(f"reported.{x.id}.{kind}", item, value, unit, basis, True, section,
                                                           x.text or ""))
    return out


def _reported_values(x) -> list[tuple]:
    """(kind, value, unit, 数据项) of a 上报数's count, amount and rate, each named once: 自评核查金额 holding
    24 and 196579.94 gives 自评核查数 and 自评核查金额; an entry of words alone is one row without a value."""
    item = x.item
    stem = item[:-2] if item.endswith("金额") else item
    out = []
    if x.count is not None:
        out.append(("count", x.count, _count_unit(item), stem + "数" if stem != item else item))
    if x.amount_fen is not None:
        out.append(("amount", wan(x.amount_fen), WAN, item if stem != item or x.count is None else item + "金额"))
    if x.rate_pct is not None:
        named = item if item.endswith("率") or (x.count is None and x.amount_fen is None) else item + "（比率）"
        out.append(("rate", two_places(x.rate_pct), PERCENT, named))
    if not out and x.text:  # words alone (补贴标准为每人每月80元): a row of the 数据 sheet with no 数值
        out.append(("words", None, "", item))
    return out


def _count_unit(item: str) -> str:
    for word, unit in (("人次", "人次"), ("次", "次"), ("份", "份"), ("表", "份")):
        if word in item:
            return unit
    return "个"
