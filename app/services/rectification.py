"""整改台账: every problem found, with its deadline, measures, 财政核验 and 销号, moved through
待整改 → 整改中 → 已整改待核验 → 已销号 (核验未通过 sends it back to 整改中). 逾期 is derived from
the date asked about, never stored.

Public use cases (each write takes the actor, audits and notes the change "rectification"):
    list_year(ws, year, at) → LedgerView;  open_item(ws, id) → draft;  new_item(ws, year, notice=None)
    save(ws, draft) (creates when unsaved);  start / report / verify(passed, verifier, on, opinion) / close
    (items made from their sources — monitoring, self-evaluation, verification, key evaluation,
    ex-ante — are app.services.rectification_sources)
    items_of_source(ws, kind, id) → [LedgerRow];  set_deadline(ws, ids, deadline)
    evidence / add_evidence / remove_evidence;  export_ledger / notice / notices (app.io.rectification_reports)
The import is app.services.rectification_import."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Optional

from sqlalchemy import select

from app import changes
from app.domain.attachments import AttachmentRow
from app.domain.rectification import (
    AUDIT, CLOSED, DOING, EXANTE, FAILED, KEY_EVAL, MONITORING, OPEN_STATES, PASSED, SELF_EVAL, TO_DO, TO_VERIFY,
    VERIFICATION, LedgerRow, LedgerView, NoticeView, RectificationDraft, UnitSummary,
)
from app.rules import rectification as R
from app.rules.validation import RejectedError
from app.services import access, attachments, audit, guard, regions, workflow
from app.services.actor import Actor
from app.services.workflow import Step, Workflow
from app.services.workspace import Workspace
from db.models import Project, Rectification, Region

STAGE = "rectification"
START = Step("开始整改", (TO_DO,), DOING)
REPORT = Step("报送核验", (TO_DO, DOING), TO_VERIFY)
VERIFY_PASS = Step("核验通过", (TO_VERIFY,), TO_VERIFY)
VERIFY_FAIL = Step("核验未通过", (TO_VERIFY,), DOING, True, "核验未通过时请填写核验意见，说明还要怎样整改。")
CLOSE = Step("销号", (TO_VERIFY,), CLOSED)
WORKFLOW = Workflow(Rectification, "整改事项", "这个整改事项", (START, REPORT, VERIFY_PASS, VERIFY_FAIL, CLOSE),
                    editable=OPEN_STATES)
# the link column of each source kind (items_of_source)
LINKS = {MONITORING: "monitoring_record_id", SELF_EVAL: "self_evaluation_id", KEY_EVAL: "key_evaluation_id",
         EXANTE: "exante_id", VERIFICATION: "verification_item_id"}
_TEXTS = ("category", "description", "requirement", "responsible", "measures", "progress")


def rules(ws: Workspace) -> R.RectificationRules:
    return R.RectificationRules.from_pack(ws.rule_pack())


# -- reading ---------------------------------------------------------------------------------------------
def _row(r, at: date, names: dict[str, str]) -> LedgerRow:
    return LedgerRow(r.id, r.version, r.year, r.source, r.category or "", r.description, r.requirement or "",
                     r.responsible or "", r.code or "", r.name or "", r.feedback_date, r.deadline, r.measures or "",
                     r.progress or "", r.completed_on, r.verify_result or "", r.verifier or "", r.verified_on, r.status,
                     R.is_overdue(r.status, r.deadline, at), R.overdue_days(r.status, r.deadline, at),
                     r.region_code, names.get(r.region_code, r.region_code))


def _rows(ws: Workspace, at: date, *where) -> list[LedgerRow]:
    t, p = Rectification.__table__, Project.__table__
    query = (select(t, p.c.code, p.c.name).select_from(t.outerjoin(p, p.c.id == t.c.project_id))
             .where(*where, *access.where(ws.actor, Rectification))
             .order_by(t.c.responsible.nulls_first(), t.c.id))  # NULLS FIRST: the same order on SQLite and PostgreSQL
    names = regions.names(ws)
    with ws.read() as conn:
        return [_row(r, at, names) for r in conn.execute(query)]


def _tally(rows: list[LedgerRow], key, first: tuple[str, ...] = ()) -> tuple[UnitSummary, ...]:
    """The 汇总 lines (问题数, 已销号, 逾期) of the rows grouped by `key`; the groups named in `first`
    lead, in their order, listed even when they have no item."""
    groups: dict[str, list[LedgerRow]] = {name: [] for name in first}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return tuple(UnitSummary(name, len(items), sum(i.status == CLOSED for i in items), sum(i.overdue for i in items))
                 for name, items in groups.items())


def list_year(ws: Workspace, year: int, at: Optional[date] = None, region: Optional[str] = None) -> LedgerView:
    """The year's items (of one region when `region` names its code) with 逾期 / 逾期天数 as they stand
    on `at`, the 汇总 by 责任单位 and — a county with townships, all regions asked — by 区划."""
    at = at or date.today()
    place = regions.choices(ws)
    t = Rectification.__table__
    rows = _rows(ws, at, t.c.year == year, *regions.clause(t, region))
    every = (place.label_of(place.home_code), *dict(place.townships).values())  # 本级, then each township
    by_region = () if region or not place.shown else _tally(rows, lambda r: place.label_of(r.region_code), every)
    return LedgerView(year, at, tuple(rows), _tally(rows, lambda r: r.responsible), by_region, place.label_of(region),
                      place.shown)


def items_of_source(ws: Workspace, kind: str, source_id: int, at: Optional[date] = None) -> list[LedgerRow]:
    """The items a source (监控/自评/重点评价/事前评估/真实性核查 record id) turned into."""
    if kind not in LINKS:
        raise RejectedError(f"来源应为{'、'.join(LINKS)}之一。")
    return _rows(ws, at or date.today(), Rectification.__table__.c[LINKS[kind]] == source_id)


def _draft(s, item: Rectification) -> RectificationDraft:
    project = s.get(Project, item.project_id) if item.project_id else None
    links = {c: getattr(item, c) for c in LINKS.values() if getattr(item, c) is not None}
    return RectificationDraft(
        item.id, item.year, item.status, item.version, item.source, item.category or "", item.description,
        item.requirement or "", item.responsible or "", item.feedback_date, item.deadline, item.measures or "",
        item.progress or "", item.completed_on, item.verify_result or "", item.verifier or "", item.verified_on,
        bool(item.closed), item.project_id, item.department_id, project.code if project else "",
        project.name if project else "", item.uuid, links, item.verify_opinion or "", item.source_ref or "")


def open_item(ws: Workspace, item_id: int) -> RectificationDraft:
    with ws.session() as s:
        item = s.get(Rectification, item_id)
        if item is None:
            raise RejectedError("这个整改事项已被删除。")
        return replace(_draft(s, item), **guard.offer(WORKFLOW, item, ws.actor))


def new_item(ws: Workspace, year: int, notice: Optional[date] = None, source: str = AUDIT) -> RectificationDraft:
    """A hand-typed item (审计 by default), its dates defaulted from the notice date (nothing written)."""
    feedback, deadline = R.default_dates(rules(ws), notice=notice)
    return RectificationDraft(None, year, source=source, feedback_date=feedback, deadline=deadline,
                              **guard.offer(WORKFLOW, None, ws.actor))


# -- saving and the steps -----------------------------------------------------------------------------
def _refuse(report) -> None:
    if not report.ok:
        raise RejectedError("整改事项中有需要修改的地方，请按提示修改。", report)


def save(ws: Workspace, draft: RectificationDraft, actor: Optional[Actor] = None) -> RectificationDraft:
    """Save the form (待整改 / 整改中 only; the first save creates the item). A 反馈日期 without a
    整改期限 gets the pack's default."""
    actor = actor or ws.actor
    _, deadline = R.default_dates(rules(ws), feedback=draft.feedback_date, deadline=draft.deadline)
    draft = replace(draft, deadline=deadline)
    _refuse(R.validate(draft))
    with ws.session() as s:
        if draft.saved:
            item = workflow.edit(s, WORKFLOW, draft.item_id, draft.version, actor)
            action = "修改"
        else:
            workflow.permit(actor, WORKFLOW, "新增")
            region = regions.of_owner(s, draft.project_id, draft.department_id, ws.home_region())
            item = Rectification(source=draft.source, year=draft.year, status=TO_DO, region_code=region,
                                 project_id=draft.project_id, department_id=draft.department_id, **draft.links)
            s.add(item)
            action = "新增"
        for key in _TEXTS:
            setattr(item, key, getattr(draft, key).strip() or None)
        item.description = draft.description.strip()
        item.feedback_date, item.deadline, item.completed_on = draft.feedback_date, draft.deadline, draft.completed_on
        s.flush()
        audit.record(s, action, Rectification.label, f"{'新增' if action == '新增' else '保存'}整改事项：{item.description[:40]}",
                     uuid=item.uuid, user=actor.name)
        changes.note(s, STAGE, item.year, [item.id])
        item_id = item.id
    return open_item(ws, item_id)


def _move(ws: Workspace, draft: RectificationDraft, step: Step, actor: Optional[Actor], reason: str = "",
          check=None, **fields) -> RectificationDraft:
    actor = actor or ws.actor
    if not draft.saved:
        raise RejectedError("这个整改事项还没有保存。")
    with ws.session() as s:
        if check is not None:
            item = s.get(Rectification, draft.item_id)
            if item is not None and item.version == draft.version:
                check(item)
        item = workflow.move(s, WORKFLOW, draft.item_id, draft.version, step.action, actor, reason=reason,
                             summary=f"{step.action}：整改事项 {draft.description[:40]}", **fields)
        changes.note(s, STAGE, item.year, [item.id])
    return open_item(ws, draft.item_id)


def start(ws: Workspace, draft: RectificationDraft, actor: Optional[Actor] = None) -> RectificationDraft:
    return _move(ws, draft, START, actor)


def report(ws: Workspace, draft: RectificationDraft, actor: Optional[Actor] = None) -> RectificationDraft:
    """报送核验: the stored item must hold its 整改措施 and 完成日期 (save the form first)."""
    def needs(item):
        _refuse(R.report_needs(item.measures or "", item.completed_on))
    return _move(ws, draft, REPORT, actor, check=needs, verify_result=None, verifier=None, verified_on=None,
                 verify_opinion=None)  # a past 未通过's 意见 stays in the audit log, not on the new 核验


def verify(ws: Workspace, draft: RectificationDraft, passed: bool, verifier: str, on: Optional[date] = None,
           opinion: str = "", actor: Optional[Actor] = None) -> RectificationDraft:
    """财政核验: 通过 (then 销号 may follow) or 未通过 with the 意见 (back to 整改中); the 意见 is kept
    on the item (核验意见) and in the audit entry."""
    if not (verifier or "").strip():
        raise RejectedError("请填写核验人。")
    step = VERIFY_PASS if passed else VERIFY_FAIL
    return _move(ws, draft, step, actor, reason=opinion, verify_result=PASSED if passed else FAILED,
                 verifier=verifier.strip(), verified_on=on or date.today(), verify_opinion=(opinion or "").strip() or None)


def close(ws: Workspace, draft: RectificationDraft, actor: Optional[Actor] = None) -> RectificationDraft:
    """销号: only an item whose 财政核验 passed."""
    def passed(item):
        if item.status == TO_VERIFY and item.verify_result != PASSED:
            raise RejectedError("财政核验通过后才能销号，请先核验。")
    return _move(ws, draft, CLOSE, actor, check=passed, closed=True)


def set_deadline(ws: Workspace, item_ids: list[int], deadline: date, actor: Optional[Actor] = None) -> int:
    """One 整改期限 for many items (钢城: one date for all); refused as a whole, naming the item, when
    one may no longer be changed (已整改待核验, 已销号 — as its form refuses) or its 反馈日期 is later."""
    actor = actor or ws.actor
    if not item_ids:
        raise RejectedError("请先选择要设置整改期限的整改事项。")
    workflow.permit(actor, WORKFLOW, "设置整改期限")
    with ws.session() as s:
        items = list(s.scalars(select(Rectification).where(Rectification.id.in_(item_ids))))
        if len(items) != len(set(item_ids)):
            raise RejectedError("选中的整改事项中有的已被删除，请刷新后重试。")
        shut = [i for i in items if not WORKFLOW.can_edit(i.status)]
        if shut:
            raise RejectedError(f"选中的整改事项中有{len(shut)}项状态为“{shut[0].status}”，不能再改整改期限："
                                f"{shut[0].description[:30]}。请只选待整改或整改中的事项。")
        early = [i for i in items if i.feedback_date and deadline < i.feedback_date]
        if early:
            raise RejectedError(f"整改期限不能早于反馈日期：选中的事项中有{len(early)}项的反馈日期晚于"
                                f"{deadline.isoformat()}，如“{early[0].description[:30]}”的反馈日期为"
                                f"{early[0].feedback_date.isoformat()}。")
        for item in items:
            item.deadline = deadline
        s.flush()
        audit.record(s, "修改", Rectification.label, f"为{len(items)}项整改事项统一设置整改期限：{deadline.isoformat()}",
                     user=actor.name)
        for year in {i.year for i in items}:
            changes.note(s, STAGE, year, [i.id for i in items if i.year == year])
    return len(items)


# -- from a source: one call each, pre-filled and linked -----------------------------------------------------
def evidence(ws: Workspace, draft: RectificationDraft) -> list[AttachmentRow]:
    return attachments.list_for(ws, Rectification.label, draft.uuid) if draft.uuid else []


def _open_row(ws: Workspace, draft: RectificationDraft) -> tuple[str, str, int]:
    if not draft.saved:
        raise RejectedError("请先保存整改事项，再添加佐证材料。")
    with ws.session() as s:
        item = s.get(Rectification, draft.item_id)
        if item is None:
            raise RejectedError("这个整改事项已被删除。")
        if item.status not in OPEN_STATES:
            raise RejectedError(f"这个整改事项状态为“{item.status}”，不能再改动佐证材料。")
        return item.uuid, item.region_code, item.year


def add_evidence(ws: Workspace, draft: RectificationDraft, path, actor: Optional[Actor] = None) -> AttachmentRow:
    """Attach a file to an open item (by whom may 修改 it)."""
    uuid, _, year = _open_row(ws, draft)
    return attachments.attach(ws, WORKFLOW, uuid, path, actor, stage=(STAGE, year))


def remove_evidence(ws: Workspace, draft: RectificationDraft, attachment_id: int, actor: Optional[Actor] = None) -> None:
    uuid, _, year = _open_row(ws, draft)
    attachments.remove(ws, attachment_id, actor, owner=(WORKFLOW, uuid), stage=(STAGE, year))


def copy_evidence(ws: Workspace, attachment_id: int, folder: Optional[Path] = None, actor: Optional[Actor] = None) -> Path:
    return attachments.copy_out(ws, attachment_id, folder, actor)


# -- the printed ledger and the notices --------------------------------------------------------------------
def bureau_name(ws: Workspace) -> str:
    """The bureau issuing notices: the home region's name + 财政局."""
    code = ws.home_region()
    with ws.read() as conn:
        name = conn.execute(select(Region.__table__.c.name).where(Region.__table__.c.code == code)).scalar()
    return f"{name or ''}财政局"


def export_ledger(ws: Workspace, year: int, at: date, path, fmt: str = "xlsx", job=None,
                  region: Optional[str] = None) -> LedgerView:
    """The ledger (of one region when `region` names its code) as xlsx or pdf."""
    from app.io import rectification_reports as io

    view = list_year(ws, year, at, region)
    (io.render_ledger_pdf if fmt == "pdf" else io.render_ledger_xlsx)(view, path, job)
    return view


def notice_view(ws: Workspace, year: int, responsible: str, doc_no: str, issued_on: date,
                ledger: Optional[LedgerView] = None) -> NoticeView:
    ledger = ledger or list_year(ws, year, issued_on)
    rows = tuple(r for r in ledger.rows if r.responsible == responsible and r.status != CLOSED)
    if not rows:
        raise RejectedError(f"“{responsible or '（未填责任单位）'}”{year}年度没有未销号的整改事项，无需发整改通知书。")
    return NoticeView(bureau_name(ws), doc_no, issued_on, responsible, rows)


def notice(ws: Workspace, year: int, responsible: str, doc_no: str, issued_on: date, path) -> Path:
    from app.io.rectification_reports import render_notice

    render_notice(notice_view(ws, year, responsible, doc_no, issued_on), path)
    return Path(path)


def notices(ws: Workspace, year: int, doc_no: str, issued_on: date, folder) -> list[Path]:
    """One 整改通知书 per 责任单位 with open items, into `folder` (named 整改通知书-<单位>.pdf; two units
    whose names differ only in a character a file name cannot hold get -2, -3 … so none is lost)."""
    from app.io.rectification_reports import notice_file_name, render_notice

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    ledger = list_year(ws, year, issued_on)
    out: list[Path] = []
    for unit in [u.responsible for u in ledger.units if u.count > u.closed]:
        name, n = notice_file_name(unit), 1
        while folder / name in out:
            n += 1
            name = notice_file_name(unit, n)
        render_notice(notice_view(ws, year, unit, doc_no, issued_on, ledger), folder / name)
        out.append(folder / name)
    return out
