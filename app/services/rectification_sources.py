"""整改事项 made from their sources with one call each, pre-filled and linked back: a monitoring
indicator marked 需要整改, a 自评表's problems, a 真实性核查 finding, a 重点评价 problem, an 事前评估
conclusion. A source holds at most one item per problem (a second call is refused)."""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import select

from app.domain.rectification import EXANTE, KEY_EVAL, MONITORING, SELF_EVAL, TO_DO, VERIFICATION, RectificationDraft
from app.rules import rectification as R
from app.rules.validation import RejectedError
from app.services.actor import Actor
from app.services.rectification import rules, save
from app.services.workspace import Workspace
from db.models import (
    Department, ExAnteAssessment, KeyEvaluation, MonitoringIndicator, MonitoringRecord, Project, Rectification,
    SelfEvaluation, VerificationItem,
)


def _unit_name(s, project: Optional[Project]) -> str:
    unit = s.get(Department, project.unit_id) if project is not None else None
    return unit.name if unit is not None else ""


def _create(ws, actor, notice, category, *, source, link, link_id, description, requirement="", project_id=None,
            department_id=None, responsible="") -> RectificationDraft:
    notice = notice or date.today()
    with ws.session() as s:
        held = s.scalars(select(Rectification.id).where(getattr(Rectification, link) == link_id,
                                                       Rectification.description == description)).first()
    if held is not None:
        raise RejectedError("这个问题已经转为整改事项了。")
    feedback, deadline = R.default_dates(rules(ws), notice=notice)
    draft = RectificationDraft(None, notice.year, source=source, category=category or "", description=description,
                               requirement=requirement or "", responsible=responsible or "", feedback_date=feedback,
                               deadline=deadline, project_id=project_id, department_id=department_id,
                               links={link: link_id})
    return save(ws, draft, actor)


def from_monitoring(ws: Workspace, indicator_id: int, notice: Optional[date] = None, category: str = "产出效果",
                    actor: Optional[Actor] = None) -> RectificationDraft:
    """A monitoring indicator marked 需要整改: its 整改要求和建议 becomes the item's requirement."""
    with ws.session() as s:
        ind = s.get(MonitoringIndicator, indicator_id)
        if ind is None:
            raise RejectedError("这项监控指标已被删除。")
        if not ind.needs_rectification:
            raise RejectedError("这项监控指标没有标为需要整改，请先在监控表中标明。")
        record = s.get(MonitoringRecord, ind.record_id)
        project = s.get(Project, record.project_id)
        said = (ind.deviation_note or "").strip()
        text = f"{project.name}：监控指标“{ind.level3}”偏离目标" + (f"，{said}" if said else "")
        values = dict(link_id=record.id, description=text, requirement=ind.rectification_requirement or "",
                      project_id=project.id, responsible=_unit_name(s, project))
    return _create(ws, actor, notice, category, source=MONITORING, link="monitoring_record_id", **values)


def from_self_eval(ws: Workspace, eval_id: int, notice: Optional[date] = None, category: str = "",
                   actor: Optional[Actor] = None) -> RectificationDraft:
    """A 自评表's 存在问题 (its 改进措施 as the requirement)."""
    with ws.session() as s:
        ev = s.get(SelfEvaluation, eval_id)
        if ev is None:
            raise RejectedError("这份自评表已被删除。")
        if not (ev.problems or "").strip():
            raise RejectedError("这份自评表没有填写存在问题，没有可转为整改的内容。")
        project = s.get(Project, ev.project_id) if ev.project_id else None
        dept = s.get(Department, ev.department_id) if ev.department_id else None
        values = dict(link_id=ev.id, description=ev.problems.strip(), requirement=ev.improvements or "",
                      project_id=ev.project_id, department_id=ev.department_id,
                      responsible=_unit_name(s, project) if project else (dept.name if dept else ""))
    return _create(ws, actor, notice, category, source=SELF_EVAL, link="self_evaluation_id", **values)


def from_verification(ws: Workspace, item_id: int, notice: Optional[date] = None, category: str = "绩效目标",
                      actor: Optional[Actor] = None) -> RectificationDraft:
    """A 真实性核查 finding (佐证与填报不一致, 待整改)."""
    with ws.session() as s:
        found = s.get(VerificationItem, item_id)
        if found is None:
            raise RejectedError("这条核查结果已被删除。")
        if found.status != TO_DO:
            raise RejectedError("这条核查结果不是待整改的问题（佐证与填报一致），不需要整改。")
        project = s.get(Project, found.project_id) if found.project_id else None
        text = (f"{project.name}：" if project else "") + f"自评佐证与填报不一致，{(found.findings or '').strip()}"
        values = dict(link_id=found.id, description=text, requirement="按实际情况更正自评表并补充佐证材料",
                      project_id=found.project_id, responsible=_unit_name(s, project))
    return _create(ws, actor, notice, category, source=VERIFICATION, link="verification_item_id", **values)


def from_key_evaluation(ws: Workspace, eval_id: int, text: str, notice: Optional[date] = None, category: str = "",
                        actor: Optional[Actor] = None) -> RectificationDraft:
    """One problem of a key evaluation (the text chosen from its 存在问题); its 有关建议 as the requirement."""
    text = (text or "").strip()
    if not text:
        raise RejectedError("请先选中或填写要整改的问题。")
    with ws.session() as s:
        ev = s.get(KeyEvaluation, eval_id)
        if ev is None:
            raise RejectedError("这项重点评价已被删除。")
        values = dict(link_id=ev.id, description=text, requirement=ev.suggestions or "", project_id=ev.project_id,
                      department_id=ev.department_id, responsible=ev.unit_name or ev.object_name)
    return _create(ws, actor, notice, category, source=KEY_EVAL, link="key_evaluation_id", **values)


def from_exante(ws: Workspace, assessment_id: int, notice: Optional[date] = None, category: str = "立项",
                actor: Optional[Actor] = None) -> RectificationDraft:
    """An ex-ante assessment's conclusion (调整后支持 / 不予支持) with its 建议."""
    with ws.session() as s:
        ex = s.get(ExAnteAssessment, assessment_id)
        if ex is None:
            raise RejectedError("这项事前绩效评估已被删除。")
        if not ex.conclusion:
            raise RejectedError("这项事前绩效评估还没有评估结论。")
        project = s.get(Project, ex.project_id) if ex.project_id else None
        said = (ex.report_conclusion or "").strip()
        values = dict(link_id=ex.id, description=f"{ex.object_name}：事前绩效评估结论为“{ex.conclusion}”" + (f"，{said}" if said else ""),
                      requirement=ex.report_suggestions or ex.expert_opinion or "", project_id=ex.project_id,
                      department_id=ex.department_id, responsible=_unit_name(s, project) if project else "")
    return _create(ws, actor, notice, category, source=EXANTE, link="exante_id", **values)
