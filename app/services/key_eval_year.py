"""A year of 重点评价 at once (Core reads): the page's rows in 评价编号 order with the check's
findings, the grade count offices write (9个项目评价结果为“优”，2个项目评价结果为“良”), the check's
findings, and one evaluation's 报告摘要 with its dimension table."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal
from typing import Optional

from sqlalchemy import select

from app.domain.key_eval import DimensionLine, KeyEvalDraft, KeyEvalReport, KeyEvalRow, KeyEvalYear
from app.domain.self_eval import Finding
from app.money import fmt_wan
from app.rules.evaluation_check import CheckedEvaluation, check_evaluation
from app.rules.scoring_tree import HUNDRED, fmt
from app.services import access, regions
from app.services.key_eval_records import judging_pack, leaves_of, pack_words, score_lines, stored_lines
from app.services.pack_versions import pack_at
from app.services.workspace import Workspace
from db.models import Agency, KeyEvalItem, KeyEvaluation

GRADE_ORDER = ("优", "良", "中", "差")


def _code_key(code: str) -> tuple:
    """评价编号 order: A-2 before A-10."""
    import re

    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code or ""))


def _evaluator(ev, agencies: dict[int, str]) -> str:
    if ev.agency_id and ev.agency_id in agencies:
        return agencies[ev.agency_id]
    return ev.evaluator_name or ("财政" if (ev.evaluator_kind or "财政") == "财政" else "第三方机构")


def _rate(budget: Optional[int], spend: Optional[int]) -> Optional[Decimal]:
    return Decimal(spend) / Decimal(budget) if budget and spend is not None else None


def year_rows(ws: Workspace, year: int, region: Optional[str] = None) -> tuple[list[KeyEvalRow], list[Finding]]:
    """The year's evaluations (of one region when `region` names its code) and the check's findings."""
    e, i, a = KeyEvaluation.__table__, KeyEvalItem.__table__, Agency.__table__
    bands: dict = {}  # version → its grade bands: each evaluation is checked under the pack it was scored with
    names = regions.names(ws)
    mine = (e.c.year == year, *regions.clause(e, region))
    with ws.read() as conn:
        agencies = dict(conn.execute(select(a.c.id, a.c.name)).all())
        evals = conn.execute(select(e).where(*mine, *access.where(ws.actor, KeyEvaluation))).all()
        nodes = defaultdict(list)
        for node in conn.execute(select(i).join(e, e.c.id == i.c.evaluation_id).where(*mine)):
            nodes[node.evaluation_id].append(node)
    rows, findings = [], []
    for ev in sorted(evals, key=lambda r: (_code_key(r.seq or ""), r.object_name)):
        lines = stored_lines(nodes[ev.id])
        code = ev.seq or ""
        if ev.rule_pack_version not in bands:
            bands[ev.rule_pack_version] = pack_at(ws, ev.rule_pack_version).grade_bands
        found = check_evaluation(CheckedEvaluation(
            code or ev.object_name, ev.object_name, tuple(leaves_of(lines)), ev.total_score, ev.grade or "",
            ev.approved_budget_fen, ev.actual_spend_fen, ev.printed_rate or ""), bands[ev.rule_pack_version])
        findings.extend(found)
        evaluator = _evaluator(ev, agencies)
        place = names.get(ev.region_code, ev.region_code)
        rows.append(KeyEvalRow(ev.id, ev.year, code, ev.object_type, ev.object_name, ev.unit_name or "", ev.office or "",
                               ev.fund_type or "", ev.approved_budget_fen, ev.actual_spend_fen,
                               _rate(ev.approved_budget_fen, ev.actual_spend_fen), ev.total_score, ev.grade or "",
                               ev.status, evaluator, len(found), bool(ev.as_printed),
                               f"{code}\n{ev.object_name}\n{ev.unit_name or ''}\n{evaluator}".casefold(),
                               ev.region_code, place, ev.rule_pack_version))
    return rows, findings


def list_year(ws: Workspace, year: int, region: Optional[str] = None) -> list[KeyEvalRow]:
    return year_rows(ws, year, region)[0]


def check_year(ws: Workspace, year: int) -> list[Finding]:
    return year_rows(ws, year)[1]


def grade_count(rows) -> str:
    """9个项目评价结果为“优”，2个项目评价结果为“良”"""
    counts = Counter(r.grade for r in rows if r.grade)
    return "，".join(f"{counts[g]}个项目评价结果为“{g}”" for g in GRADE_ORDER if counts[g])


def versions_sentence(rows) -> str:
    """Which 规则方案 version the 综合评分 of the rows (by 序号) were computed with: 综合评分按规则方案第1版计分
    when one did them all, else the fewer by 序号 and 其余 for the most (those taken from a report: 按原报告所印)."""
    by: dict = {}
    for n, r in enumerate(rows, 1):
        by.setdefault(r.pack_version, []).append(str(n))
    if not any(by):
        return ""
    if len(by) == 1:
        return f"综合评分{pack_words(next(iter(by)))}。"
    unversioned = [r for r in rows if r.pack_version is None]
    printed = "按原报告所印" if all(r.as_printed for r in unversioned) else "按原报告所印或尚未评分"
    said = lambda v: pack_words(v) or printed  # noqa: E731
    most = max(by, key=lambda v: (len(by[v]), v is None, v or 0))
    parts = [f"序号{'、'.join(by[v])}{said(v)}" for v in sorted((v for v in by if v != most), key=lambda v: v or 0)]
    return f"综合评分中，{'；'.join(parts)}，其余{said(most)}。"


def year_view(ws: Workspace, year: int, region: Optional[str] = None) -> KeyEvalYear:
    """The year's 附件 (of one region when `region` names its code; a 区划 column when the county
    holds townships' evaluations), saying the 规则方案 version each score was computed with."""
    rows = tuple(list_year(ws, year, region))
    place = regions.choices(ws)
    return KeyEvalYear(year, rows, grade_count(rows), place.label_of(region), place.shown, versions_sentence(rows))


def export_year(ws: Workspace, year: int, fmt: str, path, region: Optional[str] = None) -> int:
    """`export evaluations`: 附件1 and 附件2 as xlsx or pdf; returns the number of evaluations."""
    from app.io.key_eval_reports import render_year

    return render_year(year_view(ws, year, region), fmt, path)


def report(ws: Workspace, draft: KeyEvalDraft) -> KeyEvalReport:
    """The 报告摘要 in 德惠's four sections — the texts as written, or drafted from the figures where
    a section is blank — and 潜江's dimension table with its 综合绩效 row; graded by the pack it was
    scored with (judging_pack: the active one while it is being edited), which it names."""
    from app.rules.self_eval_draft import fen

    pack = judging_pack(ws, draft)
    bands = pack.grade_bands
    scored = score_lines(draft.leaves, bands)
    total = scored.total if draft.leaves and not draft.as_printed else draft.printed_total
    grade = scored.grade if draft.leaves and not draft.as_printed else draft.printed_grade
    budget, spend = fen(draft.budget), fen(draft.spend)
    rate = _rate(budget, spend)
    funds = draft.summary_funds or (
        f"{draft.object_name}预算批复金额{fmt_wan(budget)}万元" if budget is not None else f"{draft.object_name}")
    if not draft.summary_funds and spend is not None:
        funds += f"，实际支出{fmt_wan(spend)}万元"
        if rate is not None:
            funds += f"，执行率为{(rate * HUNDRED).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP)}%"
    if not draft.summary_funds:
        funds += "。"
    conclusion = draft.summary_conclusion or (
        f"该项目综合得分{fmt(total)}分，绩效评价结果为“{grade}”。" if total is not None else "")
    if draft.leaves and scored.dimensions and "权重" not in conclusion:
        lead = "" if conclusion.rstrip().endswith(("：", ":")) else "其中，"  # "…评分情况见下表：" reads on
        conclusion = (conclusion + lead + scored.sentence() + "。").strip()
    dims = tuple(DimensionLine(d.name, f"{fmt(d.points)}%", d.points, d.score, d.grade) for d in scored.dimensions)
    return KeyEvalReport(
        title=f"{draft.object_name}绩效评价报告摘要", funds=funds, conclusion=conclusion,
        problems=draft.summary_problems or draft.problems, suggestions=draft.summary_suggestions or draft.suggestions,
        dimensions=dims, total=total, grade=grade,
        evaluator=draft.evaluator_name or ("财政" if draft.evaluator_kind == "财政" else "第三方机构"),
        pack_note="综合得分和评价等级按原报告所印。" if draft.as_printed or not draft.leaves else
        f"综合得分和评价等级{pack_words(pack.version)}。")
