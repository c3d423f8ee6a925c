"""The audit log: every change a user makes is written in the same transaction as the change."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from db.models import AuditLog


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


def record(session: Session, action: str, entity: str, summary: str, *, user: str, uuid: str | None = None,
           changes: dict[str, Any] | None = None) -> None:
    """`user`: the actor's name (ws.actor, or the actor a service was handed) — every entry says who."""
    detail = json.dumps({k: _jsonable(v) for k, v in changes.items()}, ensure_ascii=False) if changes else None
    session.add(AuditLog(user=user, action=action, entity=entity, entity_uuid=uuid,
                         summary=summary, detail=detail))
