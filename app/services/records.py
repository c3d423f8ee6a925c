"""What every workflow service does before it changes a record: load it, refuse it — with nothing
written — when it is gone, was changed since the form opened (by a colleague or an import), or
is in a state that does not allow the change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.rules.validation import RejectedError


def load_for_change(s: Session, model: type, record_id: int, version: int, allowed: tuple[str, ...],
                    this: str, noun: str) -> Any:
    """`this` names the record in a sentence (这个绩效目标), `noun` its kind (绩效目标)."""
    record = s.get(model, record_id)
    if record is None:
        raise RejectedError(f"{this}已被删除，您的修改没有保存。")
    if record.version != version:
        raise RejectedError(f"{this}刚被其他人修改过（或被导入更新），您的修改没有保存。请重新打开后再改。")
    if record.status not in allowed:
        raise RejectedError(f"{noun}当前状态为“{record.status}”，不能进行这个操作。")
    return record
