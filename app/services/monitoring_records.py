"""One project's monitoring record (项目绩效运行监控表): money to the cut-off, each indicator's
progress with the cause of any deviation, and the workflow 草稿 → 已提交 → 审核通过 / 退回修改
(a passed record can be 退回 with a reason).

A red light, or an indicator whose projection misses its target, needs a cause before the record
can be submitted; submitted records are read-only. The indicator rows are checked by the same rule
the import applies (app.rules.monitoring.progress_problems)."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select

from app import changes
from app.domain.monitoring import ProgressDraft, RecordDraft, RecordSheet
from app.money import wan_text
from app.rules import fields as F
from app.rules import monitoring as rules
from app.rules.validation import RejectedError, Report
from app.services import audit, review_opinions, workflow
from app.services.actor import Actor
from app.services.monitoring import RECORDS, settings  # noqa: F401 - RECORDS: the stage workflow
from app.services.monitoring_refresh import changed_since
from app.services.workflow import PASS, REOPEN_PASSED, RETURN, SUBMIT
from app.services.workspace import Workspace
from db.models import MonitoringRecord, MonitoringRound, Project

_money = F.money_wan(required=False)


def open_record(ws: Workspace, record_id: int) -> RecordDraft:
    with ws.session() as s:
        record = s.get(MonitoringRecord, record_id)
        if record is None:
            raise RejectedError("这条监控记录已被删除。")
        round_ = s.get(MonitoringRound, record.round_id)
        project = s.get(Project, record.project_id)
        text = lambda fen: "" if fen is None else wan_text(fen)  # noqa: E731
        return RecordDraft(
            record.id, f"{round_.year}年{round_.name}", round_.cutoff_month, project.code, project.name, record.budget_fen,
            record.status, record.version, record.has_target, text(record.executed_fen), text(record.projected_fen),
            record.budget_cause or "", record.overall or "", record.likelihood or "", record.review_opinion or "",
            [ProgressDraft(i.id, i.level3, i.direction, i.target_value or "", i.unit or "", i.completed_value or "",
                           i.projected_value or "", i.deviation_class or "", i.deviation_note or "", i.likelihood or "",
                           i.measures or "", "是" if i.needs_rectification else "", i.rectification_requirement or "")
             for i in sorted(record.indicators, key=lambda i: i.id)],
            workflow.may_edit(RECORDS, record, ws.actor), workflow.offered(RECORDS, record, ws.actor),
            changed_since(s, record.round_id, [record.id]).get(record.id, ""), round_.rule_pack_version)


def record_sheet(ws: Workspace, record_id: int) -> RecordSheet:
    """The 项目绩效运行监控表 of a record as stored, for app.io.monitoring_reports.render_record."""
    draft = open_record(ws, record_id)
    with ws.session() as s:  # one 审核意见 per review level (the single one without a chain)
        record = s.get(MonitoringRecord, record_id)
        opinions = review_opinions.printed(s, record.uuid if record is not None else None, draft.review_opinion)
    return RecordSheet(draft, lamp(ws, draft), rules.execution_rate(executed_fen(draft), draft.budget_fen), opinions)


def executed_fen(draft: RecordDraft) -> Optional[int]:
    """截至执行数 as typed, in fen (None while empty or not a valid amount)."""
    try:
        return _money(draft.executed)
    except F.FieldInvalid:
        return None


def lamp(ws: Workspace, draft: RecordDraft) -> str:
    """The light the record's money gives (未填报 until 截至执行数 is a valid amount), by the thresholds
    of the 规则方案 its round was opened under."""
    return rules.light(executed_fen(draft), draft.budget_fen, draft.month, settings(ws, draft.pack_version))


def validate(ws: Workspace, draft: RecordDraft, submitting: bool = False) -> Report:
    """Field keys: executed, projected, budget_cause, "<row>:<field>" for indicator rows."""
    report = Report()
    for key in ("executed", "projected"):
        try:
            _money(getattr(draft, key))
        except F.FieldInvalid as exc:
            report.add(key, exc.expected)
    for n, ind in enumerate(draft.indicators):
        for name, message in rules.progress_problems(
                ind.direction, ind.target, ind.projected, ind.cause_class, ind.likelihood, ind.cause_note,
                ind.needs_rectification, ind.requirement, submitting):
            report.add(f"{n}:{name}", message)
    if submitting:
        if not draft.executed.strip():
            report.add("executed", "提交前请填写截至执行数（万元）")
        elif lamp(ws, draft) == rules.RED and not draft.budget_cause.strip():
            report.add("budget_cause", "执行进度亮红灯，请说明执行偏慢的原因和纠偏措施")
    return report


def _year(s, record: MonitoringRecord) -> int:
    return s.scalar(select(MonitoringRound.year).where(MonitoringRound.id == record.round_id))


def save_record(ws: Workspace, draft: RecordDraft, submitting: bool = False, actor: Optional[Actor] = None) -> RecordDraft:
    """Save the form (only in 草稿 / 退回修改); submitting also takes the 提交 step."""
    actor = actor or ws.actor
    report = validate(ws, draft, submitting)
    if not report.ok:
        raise RejectedError("监控表中有需要修改的地方，请按提示修改。" if not submitting
                            else "还有必须填写的原因或错误，不能提交，请按提示补充。", report)
    with ws.session() as s:
        record = workflow.edit(s, RECORDS, draft.record_id, draft.version, actor)
        by_id = {i.id: i for i in record.indicators}  # loaded before any change: no flush moves the version early
        record.executed_fen, record.projected_fen = _money(draft.executed), _money(draft.projected)
        record.budget_cause, record.overall, record.likelihood = draft.budget_cause, draft.overall, draft.likelihood or None
        for ind in draft.indicators:
            row = by_id[ind.id]
            row.completed_value, row.projected_value = ind.completed or None, ind.projected or None
            row.deviation_class, row.deviation_note = ind.cause_class or None, ind.cause_note or None
            row.likelihood, row.measures = ind.likelihood or None, ind.measures or None
            row.needs_rectification = ind.needs_rectification == "是"
            row.rectification_requirement = ind.requirement or None
        workflow.touch(record)  # the record's version moves with its indicator rows too
        if submitting:  # the same transaction, one version step: the content and the new state
            workflow.move(s, RECORDS, draft.record_id, draft.version, SUBMIT.action, actor,
                          summary=f"提交监控记录：{draft.code} {draft.name}")
        else:
            s.flush()
            audit.record(s, "修改", MonitoringRecord.label, f"保存监控记录：{draft.code} {draft.name}", uuid=record.uuid,
                         user=actor.name)
        changes.note(s, "monitoring", _year(s, record), [record.id])
    return open_record(ws, draft.record_id)


def submit_record(ws: Workspace, draft: RecordDraft, actor: Optional[Actor] = None) -> RecordDraft:
    return save_record(ws, draft, submitting=True, actor=actor)


def _step(ws: Workspace, draft: RecordDraft, action: str, reason: str, actor: Optional[Actor]) -> RecordDraft:
    actor = actor or ws.actor
    with ws.session() as s:
        record = workflow.move(s, RECORDS, draft.record_id, draft.version, action, actor, reason=reason,
                               summary=f"{action}：{draft.code} {draft.name}", review_opinion=reason)
        changes.note(s, "monitoring", _year(s, record), [record.id])
    return open_record(ws, draft.record_id)


def review_record(ws: Workspace, draft: RecordDraft, passed: bool, opinion: str, actor: Optional[Actor] = None) -> RecordDraft:
    """审核通过, or 退回修改 with the 审核意见 saying what to change."""
    return _step(ws, draft, PASS.action if passed else RETURN.action, opinion, actor)


def reopen_record(ws: Workspace, draft: RecordDraft, reason: str, actor: Optional[Actor] = None) -> RecordDraft:
    """退回 a record already 审核通过 (back to 退回修改), with the reason kept as its 审核意见."""
    return _step(ws, draft, REOPEN_PASSED.action, reason, actor)
