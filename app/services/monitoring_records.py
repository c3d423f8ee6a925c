"""One project's monitoring record (项目绩效运行监控表): money to the cut-off, each indicator's
progress with the cause of any deviation, and the workflow 填报 → 已提交 → 审核通过 / 退回.

A red light, or an indicator whose projection misses its target, needs a cause before the record
can be submitted; submitted records are read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy import select

from app.money import wan_text
from app.rules import fields as F
from app.rules import monitoring as rules
from app.rules.target_check import first_number
from app.rules.validation import RejectedError, Report
from app.services import audit
from app.services.records import load_for_change
from app.services.monitoring import EDITABLE, PASSED, RETURNED, SUBMITTED, settings
from app.services.workspace import Workspace
from db.base import now
from db.models import MonitoringRecord, MonitoringRound, Project

_money = F.money_wan(required=False)


@dataclass
class ProgressDraft:
    """One indicator row of the record, as text."""

    id: int
    level3: str
    direction: str
    target: str
    unit: str
    completed: str = ""
    projected: str = ""
    cause_class: str = ""
    cause_note: str = ""
    likelihood: str = ""
    measures: str = ""
    needs_rectification: str = ""  # 是 / 否 (or empty)
    requirement: str = ""

    @property
    def missed(self) -> Optional[bool]:
        return rules.misses(self.direction, self.target, self.projected)


@dataclass
class RecordDraft:
    record_id: int
    round_title: str
    month: int
    code: str
    name: str
    budget_fen: int
    status: str
    version: int
    has_target: bool
    executed: str = ""  # 万元 text
    projected: str = ""
    budget_cause: str = ""
    overall: str = ""
    likelihood: str = ""
    review_opinion: str = ""
    indicators: list[ProgressDraft] = field(default_factory=list)

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE


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
             for i in sorted(record.indicators, key=lambda i: i.id)])


def executed_fen(draft: RecordDraft) -> Optional[int]:
    """截至执行数 as typed, in fen (None while empty or not a valid amount)."""
    try:
        return _money(draft.executed)
    except F.FieldInvalid:
        return None


def lamp(ws: Workspace, draft: RecordDraft) -> str:
    """The light the record's money gives (未填报 until 截至执行数 is a valid amount)."""
    return rules.light(executed_fen(draft), draft.budget_fen, draft.month, settings(ws))


def validate(ws: Workspace, draft: RecordDraft, submitting: bool = False) -> Report:
    """Field keys: executed, projected, budget_cause, "<row>:<field>" for indicator rows."""
    report = Report()
    for key in ("executed", "projected"):
        try:
            _money(getattr(draft, key))
        except F.FieldInvalid as exc:
            report.add(key, exc.expected)
    for n, ind in enumerate(draft.indicators):
        if ind.cause_class and ind.cause_class not in rules.CAUSE_CLASSES:
            report.add(f"{n}:cause_class", f"应为{'、'.join(rules.CAUSE_CLASSES)}之一")
        if ind.likelihood and ind.likelihood not in rules.LIKELIHOODS:
            report.add(f"{n}:likelihood", f"应为{'、'.join(rules.LIKELIHOODS)}之一")
        if ind.direction == "定性" and ind.projected and ind.projected not in rules.QUALITATIVE_ANSWERS:
            report.add(f"{n}:projected", f"定性指标应填{'、'.join(rules.QUALITATIVE_ANSWERS)}之一")
        if submitting:
            _submit_rules(report, n, ind)
        if ind.needs_rectification not in ("", "是", "否"):
            report.add(f"{n}:needs_rectification", "应为“是”或“否”")
        elif ind.needs_rectification == "是" and not ind.requirement.strip() and submitting:
            report.add(f"{n}:requirement", "需要整改时请填写整改要求和建议")
    if submitting:
        if not draft.executed.strip():
            report.add("executed", "提交前请填写截至执行数（万元）")
        elif lamp(ws, draft) == rules.RED and not draft.budget_cause.strip():
            report.add("budget_cause", "执行进度亮红灯，请说明执行偏慢的原因和纠偏措施")
    return report


def _submit_rules(report: Report, n: int, ind: ProgressDraft) -> None:
    """Before submitting: every indicator has its 全年预计完成值 (a number where the target has
    one), and a projection that misses the target has its cause — class and explanation."""
    if not ind.projected.strip():
        report.add(f"{n}:projected", "提交前请填写全年预计完成值")
    elif ind.direction != "定性" and first_number(ind.target) is not None and first_number(ind.projected) is None:
        report.add(f"{n}:projected", "全年目标值是数字，全年预计完成值也应填写数字")
    elif ind.missed:
        if not ind.cause_class:
            report.add(f"{n}:cause_class", "全年预计完成值达不到目标，请选择偏差原因类别")
        if not ind.cause_note.strip():
            report.add(f"{n}:cause_note", "全年预计完成值达不到目标，请说明偏差原因")


def _load(s, draft: RecordDraft, allowed) -> MonitoringRecord:
    return load_for_change(s, MonitoringRecord, draft.record_id, draft.version, allowed, "这条监控记录", "监控记录")


def save_record(ws: Workspace, draft: RecordDraft, submitting: bool = False) -> RecordDraft:
    report = validate(ws, draft, submitting)
    if not report.ok:
        raise RejectedError("监控表中有需要修改的地方，请按提示修改。" if not submitting
                            else "还有必须填写的原因或错误，不能提交，请按提示补充。", report)
    with ws.session() as s:
        record = _load(s, draft, EDITABLE)
        record.executed_fen, record.projected_fen = _money(draft.executed), _money(draft.projected)
        record.budget_cause, record.overall, record.likelihood = draft.budget_cause, draft.overall, draft.likelihood or None
        by_id = {i.id: i for i in record.indicators}
        for ind in draft.indicators:
            row = by_id[ind.id]
            row.completed_value, row.projected_value = ind.completed or None, ind.projected or None
            row.deviation_class, row.deviation_note = ind.cause_class or None, ind.cause_note or None
            row.likelihood, row.measures = ind.likelihood or None, ind.measures or None
            row.needs_rectification = ind.needs_rectification == "是"
            row.rectification_requirement = ind.requirement or None
        if submitting:
            record.status = SUBMITTED
        record.updated_at = now()  # the record's version moves with its indicator rows too
        s.flush()
        audit.record(s, "提交" if submitting else "修改", MonitoringRecord.label,
                     f"{'提交' if submitting else '保存'}监控记录：{draft.code} {draft.name}", uuid=record.uuid)
    return open_record(ws, draft.record_id)


def submit_record(ws: Workspace, draft: RecordDraft) -> RecordDraft:
    return save_record(ws, draft, submitting=True)


def review_record(ws: Workspace, draft: RecordDraft, passed: bool, opinion: str) -> RecordDraft:
    if not passed and not opinion.strip():
        raise RejectedError("退回时请填写审核意见，说明要补充或修改什么。")
    with ws.session() as s:
        record = _load(s, draft, (SUBMITTED,))
        record.status = PASSED if passed else RETURNED
        record.review_opinion = opinion
        s.flush()
        audit.record(s, "审核", MonitoringRecord.label, f"{record.status}：{draft.code} {opinion}", uuid=record.uuid)
    return open_record(ws, draft.record_id)
