"""What uses a record: found from the schema's foreign keys, so every later table is covered
without a list to keep up to date. Deleting something still in use is refused with a sentence."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session



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
