"""The demo county's evaluations as the reports published them: 重点评价 (德惠's 8 摘要, 钢城's 11 of
附件1/附件2, 潜江's two 摘要 dimension tables, 和硕's 5, 澄江's 5), 事前绩效评估 (潜江's 3, 澄江's 2,
和硕's 1) and the 第三方机构 the reports name with the contracts and the 执业质量考核 they describe.

Published reports are finished work: every evaluation and assessment is 已定稿, a 重点评价 is kept
as printed (its 综合得分, 等级 and 执行率 exactly as the report prints them, judged by the check, never
recomputed). A dimension table is stored as it is printed — one node per dimension, no children,
with 分值 (= 权重), 得分 and the printed grade where the report prints one — which
app.services.key_eval_records.stored_lines reads as the leaves of a dimension-only table. An
evaluation's 年度 is the budget year it covers (钢城 evaluated the 2022 budgets in 2023: 年度 2022)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Optional

from sqlalchemy.orm import Session

from app.money import fen_from_wan
from app.services.workflow import FINALIZED
from db.models import (
    Agency, AgencyAssessment, AgencyContract, Department, ExAnteAssessment, KeyEvalItem, KeyEvaluation, Project,
)

DEFAULT_YEAR = 2023  # the year all five reports speak of

Find = Callable[[str, Optional[str]], Any]  # (region, code) → the loaded Project / Department, or None


def _fen(value: Optional[str]) -> Optional[int]:
    return None if value in (None, "") else fen_from_wan(value)


def _dec(value) -> Optional[Decimal]:
    return None if value in (None, "") else Decimal(str(value))


def _date(value: Optional[str]) -> Optional[date]:
    return date.fromisoformat(value) if value else None


def _unit_name(project: Optional[Project], dept: Optional[Department]) -> Optional[str]:
    """实施单位 as the program writes it for an evaluation made from a project ([213001]…)."""
    unit = project.unit if project is not None else dept
    return f"[{unit.code}]{unit.name}" if unit is not None else None


def load_evaluations(s: Session, data: dict[str, Any], project: Find, dept: Find) -> None:
    """Agencies (with contracts and 执业质量考核), then the 重点评价 and 事前绩效评估 that name them."""
    agencies = _agencies(s, data.get("agencies", []))
    for e in data.get("key_evaluations", []):
        s.add(_key_evaluation(e, project, dept, agencies))
    for x in data.get("exante_assessments", []):
        s.add(_exante(x, project, agencies))


def _agencies(s: Session, rows: list[dict]) -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for a in rows:
        agencies[a["name"]] = Agency(
            name=a["name"], role=a.get("role"), quality_result=a.get("quality_result"), note=a.get("note"),
            credit_code=a.get("credit_code"), contact=a.get("contact"), phone=a.get("phone"), region_code=a["region"])
        s.add(agencies[a["name"]])
    s.flush()  # the contracts, assessments and evaluations below need their ids
    for a in rows:
        region, agency = a["region"], agencies[a["name"]]
        for c in a.get("contracts", []):
            s.add(AgencyContract(agency_id=agency.id, region_code=region, name=c["name"],
                                 amount_fen=_fen(c.get("amount_wan")), start=_date(c.get("start")),
                                 finish=_date(c.get("finish")), scope=c.get("scope")))
        for x in a.get("assessments", []):
            scores = {k: str(v) for k, v in (x.get("scores") or {}).items()}
            s.add(AgencyAssessment(agency_id=agency.id, region_code=region, year=x["year"],
                                   scores=json.dumps(scores, ensure_ascii=False), total_score=_dec(x.get("total_score")),
                                   result=x.get("result"), opinion=x.get("opinion"), note=x.get("note")))
    return agencies


def _agency_id(name: Optional[str], agencies: dict[str, Agency]) -> Optional[int]:
    return agencies[name].id if name in agencies else None


def _key_evaluation(e: dict, project: Find, dept: Find, agencies: dict[str, Agency]) -> KeyEvaluation:
    region = e["region"]
    p = project(region, e.get("project_code"))
    d = dept(region, e.get("department_code"))
    office = e.get("office") or (p.office.name if p is not None and p.office is not None else None)
    ev = KeyEvaluation(
        region_code=region, year=e["year"], object_type=e["object_type"], object_name=e["object_name"],
        project_id=p.id if p is not None else None, department_id=d.id if d is not None else None,
        seq=e.get("seq"), office=office, unit_name=e.get("unit_name") or _unit_name(p, d),
        fund_type=e.get("fund_type"), approved_budget_fen=_fen(e.get("approved_budget_wan")),
        actual_spend_fen=_fen(e.get("actual_spend_wan")), printed_rate=e.get("printed_rate"),
        evaluator_kind=e.get("evaluator_kind") or "财政", agency_id=_agency_id(e.get("evaluator_name"), agencies),
        evaluator_name=e.get("evaluator_name"), methods=e.get("methods"), total_score=_dec(e.get("total_score")),
        grade=e.get("grade"), main_performance=e.get("main_performance"), problems=e.get("problems"),
        suggestions=e.get("suggestions"), summary_funds=e.get("summary_funds"),
        summary_conclusion=e.get("summary_conclusion"), summary_problems=e.get("summary_problems"),
        summary_suggestions=e.get("summary_suggestions"), published=bool(e.get("published")),
        reported_to_congress=bool(e.get("reported_to_congress")), note=e.get("note"),
        status=FINALIZED, as_printed=True)
    for i, dim in enumerate(e.get("dimensions") or []):  # a dimension-only table: each dimension a leaf
        points = _dec(dim.get("points"))
        ev.items.append(KeyEvalItem(region_code=region, seq=i + 1, name=dim["name"], parent_id=None,
                                    weight_pct=_dec(dim.get("weight_pct")) if dim.get("weight_pct") else points,
                                    points=points, score=_dec(dim.get("score")), grade=dim.get("grade"),
                                    deduction=dim.get("note")))
    return ev


def _exante(x: dict, project: Find, agencies: dict[str, Agency]) -> ExAnteAssessment:
    region = x["region"]
    p = project(region, x.get("project_code"))
    return ExAnteAssessment(
        region_code=region, year=p.year if p is not None else int(x.get("year") or DEFAULT_YEAR),
        object_type="项目", project_id=p.id if p is not None else None,
        object_name=x.get("object_name") or (p.name if p is not None else ""),
        requested_fen=_fen(x.get("requested_wan")), recommended_fen=_fen(x.get("recommended_wan")),
        cut_fen=_fen(x.get("cut_wan")), total_score=_dec(x.get("score")), grade=x.get("grade"),
        conclusion=x.get("conclusion"), evaluator_kind=x.get("evaluator_kind") or "财政",
        agency_id=_agency_id(x.get("evaluator_name"), agencies), evaluator_name=x.get("evaluator_name"),
        report_date=_date(x.get("report_date")), note=x.get("note"), status=FINALIZED)
