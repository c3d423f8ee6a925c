"""第三方机构: the list, one institution's view (contracts, the evaluations it carried out, its yearly
执业质量考核), and every write — each audited with the actor and noted as an "agencies" change.
An edit carries the version the form read: a record changed since is refused, never overwritten."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import changes
from app.domain.agencies import (
    AGENCY_FIELDS, CONTRACT_FIELDS, AgencyRow, AgencyView, AssessmentRow, AssessmentRules, ContractRow, WorkRow,
    fmt_score, score_assessment, validate_contract,
)
from app.rules.fields import parse_fields
from app.rules.validation import RejectedError
from app.services import access, audit, guard
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models import Agency, AgencyAssessment, AgencyContract, ExAnteAssessment, KeyEvaluation

STAGE = "agencies"
STALE = "这条记录在您打开后已被修改或删除，您的修改没有保存。请关闭后重新打开再改。"


def rules(ws: Workspace) -> AssessmentRules:
    return AssessmentRules.from_pack(ws.rule_pack().section("agency_assessment"))


def _counts(s: Session, column, model) -> dict[int, int]:
    return dict(s.execute(select(column, func.count()).select_from(model).where(column.is_not(None)).group_by(column)).all())


def list_agencies(ws: Workspace) -> list[AgencyRow]:
    """Every institution (by name) with its 合同数, 评价项目数 and latest 执业质量考核 result."""
    with ws.session() as s:
        contracts = _counts(s, AgencyContract.agency_id, AgencyContract)
        evals = _counts(s, KeyEvaluation.agency_id, KeyEvaluation)
        exante = _counts(s, ExAnteAssessment.agency_id, ExAnteAssessment)
        latest: dict[int, tuple[int, str]] = {}
        for agency_id, year, result in s.execute(select(AgencyAssessment.agency_id, AgencyAssessment.year,
                                                        AgencyAssessment.result).order_by(AgencyAssessment.year)):
            latest[agency_id] = (year, result or "")
        rows = []
        for a in s.scalars(select(Agency).where(*access.where(ws.actor, Agency)).order_by(Agency.name)):
            year_result = latest.get(a.id)
            shown = f"{year_result[1]}（{year_result[0]}年）" if year_result else (a.quality_result or "")
            rows.append(AgencyRow(a.id, a.name, a.credit_code or "", a.contact or "", a.phone or "", a.role or "",
                                  contracts.get(a.id, 0), evals.get(a.id, 0) + exante.get(a.id, 0), shown, a.version))
        return rows


def _values(a: Agency) -> dict[str, str]:
    return {"name": a.name, "credit_code": a.credit_code or "", "contact": a.contact or "", "phone": a.phone or "",
            "role": a.role or "", "note": a.note or ""}


def agency_view(ws: Workspace, agency_id: int) -> AgencyView:
    with ws.session() as s:
        a = s.get(Agency, agency_id)
        if a is None:
            raise RejectedError("这家第三方机构已被删除。请刷新列表。")
        contracts = tuple(ContractRow(c.id, c.name, c.amount_fen, c.start, c.finish, c.scope or "", c.version)
                          for c in s.scalars(select(AgencyContract).where(AgencyContract.agency_id == agency_id)
                                             .order_by(AgencyContract.start, AgencyContract.id)))
        works = [WorkRow("重点评价", y, n, sc, g or "") for y, n, sc, g in s.execute(
            select(KeyEvaluation.year, KeyEvaluation.object_name, KeyEvaluation.total_score, KeyEvaluation.grade)
            .where(KeyEvaluation.agency_id == agency_id))]
        works += [WorkRow("事前绩效评估", y, n, sc, g or "") for y, n, sc, g in s.execute(
            select(ExAnteAssessment.year, ExAnteAssessment.object_name, ExAnteAssessment.total_score,
                   ExAnteAssessment.grade).where(ExAnteAssessment.agency_id == agency_id))]
        works.sort(key=lambda w: (-w.year, w.kind, w.object_name))
        assessments = tuple(_assessment_row(x) for x in s.scalars(
            select(AgencyAssessment).where(AgencyAssessment.agency_id == agency_id).order_by(AgencyAssessment.year.desc())))
        return AgencyView(a.id, _values(a), a.version, contracts, tuple(works), assessments)


def _assessment_row(x: AgencyAssessment) -> AssessmentRow:
    scores = {k: Decimal(v) for k, v in json.loads(x.scores or "{}").items() if v not in (None, "")}
    return AssessmentRow(x.id, x.year, scores, x.total_score, x.result or "", x.opinion or "", x.version)


def _check_version(obj, version) -> None:
    """An edit carries the version its form read; anything else (none, or an older one) is refused."""
    if version is None or str(obj.version) != str(version).strip():
        raise RejectedError(STALE)


# -- institutions ---------------------------------------------------------------------------------
def save_agency(ws: Workspace, raw: dict, agency_id: Optional[int] = None, version=None,
                actor: Optional[Actor] = None) -> int:
    """Create (no id) or edit (id and the version the form read). The name is unique in the county."""
    actor = actor or ws.actor
    guard.permit(actor, guard.AGENCIES)  # the register is 绩效科's
    values, report = parse_fields(AGENCY_FIELDS, raw)
    with ws.session() as s:
        agency = s.get(Agency, agency_id) if agency_id else None
        if agency_id:
            if agency is None:
                raise RejectedError("这家第三方机构已被删除，您的修改没有保存。")
            _check_version(agency, version)
        region = agency.region_code if agency else ws.home_region()
        if report.ok:
            clash = s.scalar(select(Agency.id).where(Agency.region_code == region, Agency.name == values["name"],
                                                     Agency.id != (agency_id or 0)))
            if clash:
                report.add("name", f"已有名为“{values['name']}”的第三方机构，机构名称在本县内不能重复")
        if not report.ok:
            clash_words = report.for_field("name")
            summary = (f"已有名为“{values['name']}”的第三方机构，不能再新增同名机构。请改用已有的机构或换一个名称。"
                       if clash_words and values.get("name") else "机构信息有误，请按提示修改。")
            raise RejectedError(summary, report)
        if agency is None:
            agency = Agency(region_code=region, **values)
            s.add(agency)
            action = "新增"
        else:
            for key, value in values.items():
                setattr(agency, key, value)
            action = "修改"
        s.flush()
        audit.record(s, action, Agency.label, f"{action}第三方机构“{agency.name}”", uuid=agency.uuid, changes=values,
                     user=actor.name)
        changes.note(s, STAGE, None, [agency.id])
        return agency.id


def delete_agency(ws: Workspace, agency_id: int, actor: Optional[Actor] = None) -> None:
    """Refused while a 重点评价 or 事前绩效评估 names it (saying how many); its contracts and
    assessments go with it."""
    actor = actor or ws.actor
    guard.permit(actor, guard.AGENCIES)  # the register is 绩效科's
    with ws.session() as s:
        agency = s.get(Agency, agency_id)
        if agency is None:
            return
        evals = s.scalar(select(func.count()).select_from(KeyEvaluation).where(KeyEvaluation.agency_id == agency_id))
        exante = s.scalar(select(func.count()).select_from(ExAnteAssessment).where(ExAnteAssessment.agency_id == agency_id))
        if evals or exante:
            uses = "、".join(t for t in (f"{evals}项重点评价" if evals else "", f"{exante}项事前绩效评估" if exante else "") if t)
            raise RejectedError(f"第三方机构“{agency.name}”承担了{uses}，不能删除。请先在这些评价中改选评价机构后再删。")
        audit.record(s, "删除", Agency.label, f"删除第三方机构“{agency.name}”", uuid=agency.uuid, user=actor.name)
        changes.note(s, STAGE, None, [agency.id])
        s.delete(agency)


# -- contracts ------------------------------------------------------------------------------------
def save_contract(ws: Workspace, agency_id: int, raw: dict, contract_id: Optional[int] = None, version=None,
                  actor: Optional[Actor] = None) -> int:
    """合同: 名称, 金额 (万元 → fen), 起止日期, 范围."""
    actor = actor or ws.actor
    guard.permit(actor, guard.AGENCIES)  # the register is 绩效科's
    values, _ = parse_fields(CONTRACT_FIELDS, raw)
    report = validate_contract(raw)
    if not report.ok:
        raise RejectedError("合同信息有误，请按提示修改。", report)
    fields = {"name": values["name"], "amount_fen": values["amount"], "start": values["start"],
              "finish": values["finish"], "scope": values["scope"]}
    with ws.session() as s:
        agency = s.get(Agency, agency_id)
        if agency is None:
            raise RejectedError("这家第三方机构已被删除，合同没有保存。")
        if contract_id:
            contract = s.get(AgencyContract, contract_id)
            if contract is None or contract.agency_id != agency_id:
                raise RejectedError("这份合同已被删除，您的修改没有保存。")
            _check_version(contract, version)
            for key, value in fields.items():
                setattr(contract, key, value)
            action = "修改"
        else:
            contract = AgencyContract(agency_id=agency_id, region_code=agency.region_code, **fields)
            s.add(contract)
            action = "新增"
        s.flush()
        audit.record(s, action, AgencyContract.label, f"{action}“{agency.name}”的合同“{contract.name}”",
                     uuid=contract.uuid, changes=fields, user=actor.name)
        changes.note(s, STAGE, None, [agency_id])
        return contract.id


def delete_contract(ws: Workspace, contract_id: int, actor: Optional[Actor] = None) -> None:
    actor = actor or ws.actor
    guard.permit(actor, guard.AGENCIES)  # the register is 绩效科's
    with ws.session() as s:
        contract = s.get(AgencyContract, contract_id)
        if contract is None:
            return
        audit.record(s, "删除", AgencyContract.label, f"删除合同“{contract.name}”", uuid=contract.uuid, user=actor.name)
        changes.note(s, STAGE, None, [contract.agency_id])
        s.delete(contract)


# -- 执业质量考核 ----------------------------------------------------------------------------------
def save_assessment(ws: Workspace, agency_id: int, year: int, raw_scores: dict, opinion: str = "",
                    version=None, actor: Optional[Actor] = None) -> int:
    """One 执业质量考核 per institution and year: a second for the same year edits the first (with
    the version the form read, when it read one). Total and result are derived from the scores;
    the institution's quality_result follows its latest year."""
    actor = actor or ws.actor
    guard.permit(actor, guard.AGENCIES)  # the register is 绩效科's
    r = rules(ws)
    scored = score_assessment(r, raw_scores)
    if not scored.report.ok:
        raise RejectedError("考核得分有误，请按提示修改。", scored.report)
    stored = {name: fmt_score(value) for name, value in scored.scores.items()}
    with ws.session() as s:
        agency = s.get(Agency, agency_id)
        if agency is None:
            raise RejectedError("这家第三方机构已被删除，考核结果没有保存。")
        found = s.scalar(select(AgencyAssessment).where(AgencyAssessment.agency_id == agency_id,
                                                        AgencyAssessment.year == year))
        if found is not None and version is not None and str(found.version) != str(version):
            raise RejectedError(STALE)
        if found is None:
            found = AgencyAssessment(agency_id=agency_id, year=year, region_code=agency.region_code, scores="{}")
            s.add(found)
            action = "新增"
        else:
            action = "修改"
        found.scores = json.dumps(stored, ensure_ascii=False)
        found.total_score = scored.total
        found.result = scored.result
        found.opinion = (opinion or "").strip() or None
        s.flush()
        latest = s.execute(select(AgencyAssessment.result, AgencyAssessment.scores).where(
            AgencyAssessment.agency_id == agency_id).order_by(AgencyAssessment.year.desc())).first()
        agency.quality_result = latest[0]
        agency.quality_scores = latest[1]
        audit.record(s, action, AgencyAssessment.label,
                     f"{action}“{agency.name}”{year}年度执业质量考核：{fmt_score(scored.total)}分，{scored.result}",
                     uuid=found.uuid, changes={**stored, "总分": fmt_score(scored.total), "结果": scored.result},
                     user=actor.name)
        changes.note(s, STAGE, None, [agency_id])
        return found.id


def assessment_table(ws: Workspace, year: int) -> list[tuple[str, dict, Optional[Decimal], str, str]]:
    """The year's 执业质量考核 of every institution assessed: (机构名称, scores, 总分, 结果, 意见)."""
    with ws.session() as s:
        rows = s.execute(select(Agency.name, AgencyAssessment).join(Agency, Agency.id == AgencyAssessment.agency_id)
                         .where(AgencyAssessment.year == year, *access.where(ws.actor, Agency))
                         .order_by(Agency.name)).all()
        return [(name, _assessment_row(x).scores, x.total_score, x.result or "", x.opinion or "") for name, x in rows]
