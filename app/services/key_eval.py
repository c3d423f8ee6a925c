"""重点评价: an evaluation of a project, a department as a whole, a policy or a township's fiscal
operation, by the bureau or a 第三方机构, on a weighted scoring tree whose dimensions and total are
derived (never typed), moved through 草稿 → 已提交 → 审核通过 / 退回修改 → 已定稿.

Public use cases (each write takes the actor, audits and notes the change):
    new_evaluation(ws, year, object_type, project_id=None, department_id=None, object_name="") → draft
    open_evaluation(ws, eval_id) → draft;  presets(ws);  with_preset(ws, draft, name);  score(ws, draft)
    save / submit / review(passed, opinion) / finalize / reopen(reason)
    to_rectification(ws, draft, text) → a 整改 item (待整改) linked to the evaluation
Year views (list, 附件, check, 报告摘要) are app.services.key_eval_year; the import app.services.key_eval_import."""

from __future__ import annotations

from dataclasses import replace
from typing import Optional

from sqlalchemy import select

from app import changes
from app.domain.key_eval import PROJECT, THIRD_PARTY, TOWNSHIP, KeyEvalDraft
from app.rules.scoring_tree import TreeScore, shape_problems
from app.rules.validation import RejectedError, Report
from app.services import audit, guard, regions, workflow
from app.services.actor import Actor
from app.services.key_eval_records import (
    STAGE, WORKFLOW, as_draft, head_values, leaves_of, preset_lines, presets as pack_presets, score_lines,
    write_tree,
)
from app.services.rectification_sources import from_key_evaluation
from app.services.workflow import DRAFT, FINALIZE, PASS, REOPEN_FINALIZED, RETURN, SUBMIT
from app.services.workspace import Workspace
from db.models import Department, KeyEvaluation, Project, Rectification


def presets(ws: Workspace) -> tuple[str, list[str]]:
    return pack_presets(ws.rule_pack())


def score(ws: Workspace, draft: KeyEvalDraft) -> TreeScore:
    return score_lines(draft.leaves, ws.rule_pack().grade_bands)


def new_evaluation(ws: Workspace, year: int, object_type: str = PROJECT, project_id: Optional[int] = None,
                   department_id: Optional[int] = None, object_name: str = "") -> KeyEvalDraft:
    """A new evaluation on the pack's default tree (nothing written until the first save): a project's
    name, 实施单位 and budget come from the project."""
    default, _ = presets(ws)
    draft = KeyEvalDraft(None, year, DRAFT, 0, object_type=object_type, object_name=object_name,
                         project_id=project_id, department_id=department_id, preset=default,
                         leaves=preset_lines(ws.rule_pack(), default))
    scope = ws.actor.scope if ws.actor is not None else None
    if scope is not None and scope.agency_id is not None:  # a 第三方机构's evaluation names the agency itself
        draft = replace(draft, evaluator_kind=THIRD_PARTY, agency_id=scope.agency_id)
    with ws.session() as s:
        owner = None  # the project or department a first save needs to be within the scope
        if project_id is not None:
            p = owner = s.get(Project, project_id)
            if p is None:
                raise RejectedError("这个项目已被删除。")
            unit = s.get(Department, p.unit_id)
            from app.money import wan_text

            from app.io.key_eval_io import fund_words

            words = fund_words(ws.rule_pack().section("key_evaluation")["fund_types"])
            draft = replace(draft, object_name=object_name or p.name, unit_name=f"[{unit.code}]{unit.name}",
                            fund_type=words.get("".join(p.fund_type.split()), p.fund_type),
                            budget=wan_text(p.annual_budget_fen), year=p.year)
        elif department_id is not None:
            d = owner = s.get(Department, department_id)
            if d is None:
                raise RejectedError("这个部门已被删除。")
            draft = replace(draft, object_name=object_name or d.name, unit_name=f"[{d.code}]{d.name}")
        return replace(draft, **guard.offer(WORKFLOW, None, ws.actor, owner))


def with_preset(ws: Workspace, draft: KeyEvalDraft, name: str) -> KeyEvalDraft:
    """The draft on another preset's tree; what was typed against a leaf of the same names is kept —
    its score only where the leaf's 分值 stays the same (a rescaled leaf is scored afresh)."""
    typed = {(t.level1, t.level2, t.level3): t for t in draft.leaves}
    lines = []
    for line in preset_lines(ws.rule_pack(), name):
        held = typed.get((line.level1, line.level2, line.level3))
        lines.append(line if held is None else replace(
            line, score=held.score if held.points == line.points else "", deduction=held.deduction,
            evidence=held.evidence))
    return replace(draft, preset=name, leaves=lines)


def open_evaluation(ws: Workspace, eval_id: int) -> KeyEvalDraft:
    with ws.session() as s:
        ev = s.get(KeyEvaluation, eval_id)
        if ev is None:
            raise RejectedError("这项重点评价已被删除。")
        items = s.scalars(select(Rectification).where(Rectification.key_evaluation_id == eval_id)
                          .order_by(Rectification.id)).all()
        return replace(as_draft(ev, ev.items, items), **guard.offer(WORKFLOW, ev, ws.actor))


def validate(draft: KeyEvalDraft) -> Report:
    """What the typed text gets wrong on its own. Keys: "<row>:points" / "<row>:score", budget, spend, object_name."""
    from app.rules.self_eval_draft import number_problem
    from app.rules import fields as F

    report = Report()
    if not draft.object_name.strip():
        report.add("object_name", "请填写评价对象（项目、部门、政策或乡镇的名称）")
    money = F.money_wan(required=False)
    for key in ("budget", "spend"):
        try:
            money(getattr(draft, key))
        except F.FieldInvalid as exc:
            report.add(key, exc.expected)
    for n, column, expected in shape_problems(leaves_of(draft.leaves)):
        report.add(f"{n}:{column}", expected)
    for n, line in enumerate(draft.leaves):
        if not line.level1.strip():
            report.add(f"{n}:level1", "请填写一级指标（如决策、过程、产出、效益）")
        for column in ("points", "score"):
            problem = number_problem(getattr(line, column))
            if problem:
                report.add(f"{n}:{column}", problem)
    return report


def region_of(place: regions.RegionChoices, object_type: str, object_name: str) -> str:
    """The 区划 an evaluation belongs to: a 下级财政运行 evaluation whose object names one of the
    county's townships (picked from the list, or typed or imported beginning with its name) is that
    township's (the 乡镇考核 shows it); every other evaluation is this database's own region's."""
    if object_type == TOWNSHIP:
        name = (object_name or "").strip()
        for code, township in sorted(place.townships, key=lambda t: -len(t[1])):
            if name.startswith(township):
                return code
    return place.home_code


def _refuse(report: Report, submitting: bool) -> None:
    raise RejectedError("重点评价中有需要修改的地方，请按提示修改。" if not submitting
                        else "评分表还有必须填写的内容，不能提交，请按提示补充。", report)


def save(ws: Workspace, draft: KeyEvalDraft, actor: Optional[Actor] = None, *, submitting: bool = False) -> KeyEvalDraft:
    """Save the form (only in 草稿 / 退回修改; the first save creates the evaluation); submitting
    also takes the 提交 step — refused while a leaf lacks its score or a deduction its reason."""
    actor = actor or ws.actor
    report = validate(draft)
    if not report.ok:
        _refuse(report, submitting)
    scored = score(ws, draft)
    if submitting and not draft.as_printed and scored.blocking:
        needs = Report()
        for need in scored.blocking:
            needs.add(f"{need.row}:{need.field}" if need.row is not None else need.field, need.sentence)
        _refuse(needs, True)
    region = region_of(regions.choices(ws), draft.object_type, draft.object_name)
    with ws.session() as s:
        if draft.saved:
            ev = workflow.edit(s, WORKFLOW, draft.eval_id, draft.version, actor)
            ev.region_code = region  # the type or the township named may have changed
            said = "保存"
        else:
            owner = (s.get(Project, draft.project_id) if draft.project_id is not None else
                     s.get(Department, draft.department_id) if draft.department_id is not None else None)
            guard.permit_new(s, actor, WORKFLOW, owner, draft.agency_id)
            ev = KeyEvaluation(year=draft.year, object_type=draft.object_type, object_name=draft.object_name.strip(),
                               status=DRAFT, region_code=region)
            s.add(ev)
            said = "新建"
        for key, value in head_values(draft, scored).items():
            setattr(ev, key, value)
        ev.rule_pack_version = None if draft.as_printed or not draft.leaves else ws.rule_pack().version
        s.flush()
        guard.keep_within(s, actor, WORKFLOW, ev)  # an edit may not name another project, department or agency
        write_tree(s, ev, draft.leaves, scored, draft.as_printed)
        workflow.touch(ev)  # the tree changed with it: the evaluation's version moves
        s.flush()
        audit.record(s, "新增" if said == "新建" else "修改", KeyEvaluation.label,
                     f"{said}重点评价：{draft.code} {draft.object_name}".replace("  ", " "), uuid=ev.uuid, user=actor.name)
        if submitting:
            workflow.move(s, WORKFLOW, ev.id, ev.version, SUBMIT.action, actor, summary=f"提交重点评价：{draft.object_name}")
        changes.note(s, STAGE, ev.year, [ev.id])
        eval_id = ev.id
    return open_evaluation(ws, eval_id)


def submit(ws: Workspace, draft: KeyEvalDraft, actor: Optional[Actor] = None) -> KeyEvalDraft:
    return save(ws, draft, actor, submitting=True)


def _step(ws: Workspace, draft: KeyEvalDraft, action: str, reason: str, actor: Optional[Actor]) -> KeyEvalDraft:
    actor = actor or ws.actor
    if not draft.saved:
        raise RejectedError("这项重点评价还没有保存。")
    with ws.session() as s:
        ev = workflow.move(s, WORKFLOW, draft.eval_id, draft.version, action, actor, reason=reason,
                           summary=f"{action}：重点评价 {draft.object_name}", review_opinion=reason or None)
        changes.note(s, STAGE, ev.year, [ev.id])
    return open_evaluation(ws, draft.eval_id)


def review(ws: Workspace, draft: KeyEvalDraft, passed: bool, opinion: str = "", actor: Optional[Actor] = None) -> KeyEvalDraft:
    return _step(ws, draft, PASS.action if passed else RETURN.action, opinion, actor)


def finalize(ws: Workspace, draft: KeyEvalDraft, actor: Optional[Actor] = None) -> KeyEvalDraft:
    """审核通过 → 已定稿: the report stands."""
    return _step(ws, draft, FINALIZE.action, "", actor)


def reopen(ws: Workspace, draft: KeyEvalDraft, reason: str, actor: Optional[Actor] = None) -> KeyEvalDraft:
    """退回 a finalized evaluation (back to 退回修改) with the reason kept as its 审核意见."""
    return _step(ws, draft, REOPEN_FINALIZED.action, reason, actor)


def to_rectification(ws: Workspace, draft: KeyEvalDraft, text: str, actor: Optional[Actor] = None) -> KeyEvalDraft:
    """One problem of the evaluation becomes a 整改 item (待整改), linked back to it, with its 有关建议
    as the requirement and the pack's deadlines (app.services.rectification_sources.from_key_evaluation)."""
    actor = actor or ws.actor
    text = (text or "").strip()
    if not draft.saved:
        raise RejectedError("请先保存重点评价，再把问题转为整改事项。")
    if not text:
        raise RejectedError("请先选中或填写要整改的问题。")
    with ws.session() as s:
        ev = s.get(KeyEvaluation, draft.eval_id)
        if ev is None:
            raise RejectedError("这项重点评价已被删除。")
        workflow.permit(actor, WORKFLOW, "转为整改", ev)
        eval_id, eval_year = ev.id, ev.year
    from_key_evaluation(ws, eval_id, text, actor=actor)  # refuses a problem already turned into an item
    with ws.session() as s:
        changes.note(s, STAGE, eval_year, [eval_id])  # the evaluation's list of items changed too
    return open_evaluation(ws, draft.eval_id)


__all__ = ["WORKFLOW", "STAGE"]
