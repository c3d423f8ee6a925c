"""What uses a record: found from the schema's foreign keys, so every later table is covered
without a list to keep up to date. Deleting something still in use is refused with a sentence."""

from __future__ import annotations

from typing import Any, Callable, Optional

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app import changes
from app.rules.validation import RejectedError
from app.services import audit
from app.services.actor import Actor


def _label_of(table_name: str) -> str:
    from db.models import Base

    for mapper in Base.registry.mappers:
        if mapper.local_table.name == table_name:
            return mapper.class_.label
    return table_name


def references_to(session: Session, obj) -> list[tuple[str, int]]:
    """[(Chinese label of the using record kind, how many)] for rows whose foreign keys point at obj."""
    from db.models import Base  # every stage's tables, so every use is found

    target = obj.__table__
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table is not target:
                continue
            column = fk.parent
            if fk.ondelete and fk.ondelete.upper() in ("CASCADE", "SET NULL"):
                continue
            key = getattr(obj, fk.column.key)
            count = session.scalar(select(func.count()).select_from(table).where(column == key))
            if count:
                label = _label_of(table.name)
                found[label] = found.get(label, 0) + count
    return sorted(found.items())


def in_use_sentence(what: str, refs: list[tuple[str, int]]) -> str:
    uses = "、".join(f"{count}条{label}" for label, count in refs)
    return f"{what}正被{uses}使用，不能删除。请先删除或改挂这些记录后再删。"


def delete_record(ws, model, record_id: int, describe: Callable[[Any], str], stage: str,
                  year_of: Callable[[Any], Optional[int]] = lambda obj: None, actor: Optional[Actor] = None) -> None:
    """Delete one record unless something uses it; `describe(obj)` names it in the sentence. The
    deletion is audited with the actor and noted as a change of `stage` (in `year_of(obj)`)."""
    actor = actor or ws.actor
    with ws.session() as s:
        obj = s.get(model, record_id)
        if obj is None:
            return
        refs = references_to(s, obj)
        if refs:
            raise RejectedError(in_use_sentence(describe(obj), refs))
        audit.record(s, "删除", model.label, f"删除{describe(obj)}", uuid=obj.uuid, user=actor.name)
        changes.note(s, stage, year_of(obj), [obj.id])
        s.delete(obj)
