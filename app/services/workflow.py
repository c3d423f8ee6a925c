"""The one workflow kernel every stage declares its workflow with (Qt-free).

A stage names its record model and its steps; the kernel owns what is the same everywhere:
the words for the states, which step goes from which state to which, which step needs a reason
(退回 always does), who acts, the optimistic version check, the permission hook and the audit
entry — all in the caller's transaction, so a refused step writes nothing.

    TARGETS = Workflow(PerformanceTarget, "绩效目标", "这个绩效目标", (SUBMIT, PASS, RETURN, APPROVE, REOPEN))
    with ws.session() as s:
        target = workflow.move(s, TARGETS, target_id, version, "提交", actor)

On a database without users the actor is the computer's own user (`local_actor`, no role: all
allowed). With users, PERMISSION_CHECKS holds app.services.access.permission: the pack says which
role takes which step, and a submitted record climbs its review chain — 审核通过 at a level that is
not the last keeps it 已提交 and hands it to the next level (`review_level`); 退回修改 at any level
sends it back. Each level's decision and opinion is kept (ReviewOpinion) for the printed form."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Optional

from app.rules.roles import REVIEW_STEPS
from app.rules.validation import RejectedError
from app.services import audit
from app.services.access import permission as _role_permission
from app.services.actor import Actor, local_actor  # noqa: F401 - local_actor: re-exported

# -- one vocabulary across stages --------------------------------------------------------------------
DRAFT, SUBMITTED, PASSED, RETURNED, APPROVED = "草稿", "已提交", "审核通过", "退回修改", "已批复"
FINALIZED = "已定稿"  # an evaluation's report, once passed (重点评价, 事前绩效评估)
EDITABLE = (DRAFT, RETURNED)
STATES = (DRAFT, SUBMITTED, PASSED, RETURNED, APPROVED, FINALIZED)


@dataclass(frozen=True)
class Step:
    """One allowed transition: the word the user clicks and the audit log keeps, from which states,
    to which state, and whether it needs a reason (with the sentence asking for one)."""

    action: str
    sources: tuple[str, ...]
    target: str
    needs_reason: bool = False
    ask_reason: str = ""


SUBMIT = Step("提交", EDITABLE, SUBMITTED)
PASS = Step("审核通过", (SUBMITTED,), PASSED)
RETURN = Step("退回修改", (SUBMITTED,), RETURNED, True, "退回修改时请填写审核意见，说明要改什么。")
APPROVE = Step("批复", (PASSED,), APPROVED)
# 退回 of a record already passed or approved: back to 退回修改, with the reason kept
REOPEN_APPROVED = Step("退回", (APPROVED,), RETURNED, True, "退回已批复的记录必须填写原因。")
REOPEN_PASSED = Step("退回", (PASSED,), RETURNED, True, "退回已审核通过的记录必须填写原因。")
FINALIZE = Step("定稿", (PASSED,), FINALIZED)
REOPEN_FINALIZED = Step("退回", (FINALIZED,), RETURNED, True, "退回已定稿的评价必须填写原因。")
DECISIONS = (*REVIEW_STEPS, APPROVE.action, FINALIZE.action, "退回")  # kept per level as 审核意见


@dataclass(frozen=True)
class Workflow:
    """A stage's workflow: the ORM model (with id, status, version, uuid and a Chinese `label`),
    how a sentence names one record (这个绩效目标) and its kind (绩效目标), and its steps."""

    model: type
    noun: str
    this: str
    steps: tuple[Step, ...]
    editable: tuple[str, ...] = EDITABLE

    def step(self, action: str, status: Optional[str] = None) -> Step:
        """The step called `action` — from `status` when given: two steps may share a word (退回
        from 审核通过 and from 已批复) and differ in where they start."""
        named = [step for step in self.steps if step.action == action]
        if not named:
            raise KeyError(f"{self.noun} has no step {action!r}")
        return next((step for step in named if status in step.sources), named[0])

    def sources(self, action: str) -> tuple[str, ...]:
        """Every state a step called `action` starts from."""
        return tuple(state for step in self.steps if step.action == action for state in step.sources)

    def actions_from(self, status: str) -> list[str]:
        """The steps a record in `status` can take (what the form enables)."""
        return [s.action for s in self.steps if status in s.sources]

    def can(self, status: str, action: str) -> bool:
        return action in self.actions_from(status)

    def can_edit(self, status: str) -> bool:
        return status in self.editable


# A permission check answers None (allowed) or the sentence refusing the actor; logins plug in here.
PermissionCheck = Callable[[Actor, Workflow, str, Any], Optional[str]]
PERMISSION_CHECKS: list[PermissionCheck] = [_role_permission]


def permission_refusal(actor: Actor, wf: Workflow, action: str, record: Any = None) -> Optional[str]:
    """The sentence refusing the actor `action` on the record (None: allowed)."""
    for check in PERMISSION_CHECKS:
        refusal = check(actor, wf, action, record)
        if refusal:
            return refusal
    return None


def permit(actor: Actor, wf: Workflow, action: str, record: Any = None) -> None:
    """Refuse, with the check's sentence, what the actor may not do — for writes that are not a
    step or an edit of one record: creating a record, a bureau decision over many (重点监控)."""
    refusal = permission_refusal(actor, wf, action, record)
    if refusal:
        raise RejectedError(refusal)


def offered(wf: Workflow, record: Any, actor: Actor) -> tuple[str, ...]:
    """The steps the form offers on a stored record: those its state allows and the actor may take
    (a step the user may not take is not offered; taken another way, it is refused in a sentence)."""
    return tuple(dict.fromkeys(a for a in wf.actions_from(record.status)
                               if permission_refusal(actor, wf, a, record) is None))


def may_edit(wf: Workflow, record: Any, actor: Actor) -> bool:
    """The form's fields are editable: the state allows changes and the actor may make them."""
    return wf.can_edit(record.status) and permission_refusal(actor, wf, "修改", record) is None


def change_refusal(wf: Workflow, status: str, actor: Actor, record: Any = None) -> Optional[str]:
    """Why the record's content may not be changed by the actor — its state, or a permission — as
    the words an import puts after a bad cell (None: it may). The form's save refuses the same."""
    if not wf.can_edit(status):
        return f"对应的{wf.noun}状态为“{status}”，不能用导入修改"
    return permission_refusal(actor, wf, "修改", record)


def load(s, wf: Workflow, record_id: int, version: int, allowed: tuple[str, ...], actor: Actor,
         action: str = "修改") -> Any:
    """The record, refused — with nothing written — when it is gone, was changed since the form
    read it (by a colleague or an import), is in a state that does not allow the change, or the
    actor may not take it."""
    record = s.get(wf.model, record_id)
    if record is None:
        raise RejectedError(f"{wf.this}已被删除，您的修改没有保存。")
    if record.version != version:
        raise RejectedError(f"{wf.this}{_changed_by(s, record)}，您的修改没有保存（您填写的内容仍在窗口中，可复制留存）。"
                            "请重新打开后再改。")
    if record.status not in allowed:
        raise RejectedError(f"{wf.noun}当前状态为“{record.status}”，不能{action}。")
    permit(actor, wf, action, record)
    return record


def _changed_by(s, record: Any) -> str:
    """刚被张三于11月30日 10:05修改过 — who changed the record last and when (from the audit log)."""
    from sqlalchemy import select

    from db.models import AuditLog

    uuid = getattr(record, "uuid", None)
    last = s.scalars(select(AuditLog).where(AuditLog.entity_uuid == uuid).order_by(AuditLog.id.desc())
                     .limit(1)).first() if uuid else None
    if last is None:
        return "刚被其他人修改过（或被导入更新）"
    return f"刚被{last.user}于{last.at.month}月{last.at.day}日 {last.at:%H:%M}修改过（{last.action}）"


def edit(s, wf: Workflow, record_id: int, version: int, actor: Actor) -> Any:
    """The record, for changing its content (only in an editable state)."""
    return load(s, wf, record_id, version, wf.editable, actor, "修改")


def touch(record: Any) -> None:
    """The record's version moves at the next flush even when only its child rows changed (an
    indicator, a tree node): an UPDATE is forced, so a form opened before is refused as stale."""
    from sqlalchemy.orm.attributes import flag_modified

    from db.base import now

    record.updated_at = now()
    flag_modified(record, "updated_at")


def check_reason(wf: Workflow, action: str, reason: str, status: Optional[str] = None) -> None:
    """A step that needs a reason is refused without one (before anything is read or written)."""
    step = wf.step(action, status)
    if step.needs_reason and not (reason or "").strip():
        raise RejectedError(step.ask_reason or f"{action}时请填写原因。")


def move(s, wf: Workflow, record_id: int, version: int, action: str, actor: Actor, *, reason: str = "",
         summary: str = "", opinion: str = "", **fields: Any) -> Any:
    """Take one step: check reason, version, state and permission; set the new state (and any
    `fields`), flush so the version moves, and write the audit entry and, for a decision (审核,
    批复, 定稿, 退回), the level's opinion (`opinion`, else the reason). Returns the record."""
    if all(step.needs_reason for step in wf.steps if step.action == action):
        check_reason(wf, action, reason)  # before anything is read
    record = load(s, wf, record_id, version, wf.sources(action), actor, action)
    step = wf.step(action, record.status)
    check_reason(wf, action, reason, record.status)
    level = getattr(record, "review_level", 0) or 0
    rights = actor.rights if actor.role else None
    climbs = (rights is not None and step is not None and step.action == PASS.action and record.status == SUBMITTED
              and level < rights.last_level(wf.noun))
    level_name = rights.level_name(wf.noun, step.action, level) if rights is not None else "审核"
    record.status = SUBMITTED if climbs else step.target
    if hasattr(record, "review_level"):
        record.review_level = level + 1 if climbs else 0
    for key, value in fields.items():
        setattr(record, key, value)
    s.flush()
    if climbs:
        said = summary or f"{wf.noun}{level_name}通过，转{rights.level(wf.noun, level + 1).name}"
    else:
        said = summary or f"{wf.noun}{action}，状态：{step.target}"
    if reason.strip() and reason.strip() not in said:
        said += f"；原因：{reason.strip()}"
    uuid = getattr(record, "uuid", None)
    audit.record(s, action, wf.model.label, said, uuid=uuid, user=actor.name)
    if step.action in DECISIONS and uuid:
        from db.models import ReviewOpinion

        s.add(ReviewOpinion(entity=wf.model.label, record_uuid=uuid, level=level_name, action=step.action,
                            opinion=(opinion or reason or "").strip() or None, user=actor.name,
                            role=actor.role or None, region_code=record.region_code))
    return record
