"""The audit log: every change a user makes is written in the same transaction as the change."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from app.services.actor import local_actor
from db.models import AuditLog


def current_user() -> str:
    return local_actor().name


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, (str, int, bool, type(None))) else str(value)


def record(session: Session, action: str, entity: str, summary: str, *, uuid: str | None = None,
           changes: dict[str, Any] | None = None, user: str | None = None) -> None:
    detail = json.dumps({k: _jsonable(v) for k, v in changes.items()}, ensure_ascii=False) if changes else None
    session.add(AuditLog(user=user or current_user(), action=action, entity=entity, entity_uuid=uuid,
                         summary=summary, detail=detail))
