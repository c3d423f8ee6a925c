"""佐证材料: files attached to a record, kept inside the database (so a backup, a copy of the file
or a township package carries them) with their SHA-256, and copied out to open with the system
viewer. The stage that owns the record decides whether it may take a file (its state); adding or
removing one is a change of the record, so the actor must be allowed to 修改 it (the workflow
kernel's check: role and scope, in the same transaction as the write), and a file is copied out
only for a user whose scope holds the record."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Optional

from sqlalchemy import select

from app import changes
from app.domain.attachments import AttachmentRow
from app.paths import data_dir
from app.rules.validation import RejectedError
from app.services import access, audit
from app.services.actor import Actor
from app.services.workflow import Workflow, permit
from app.services.workspace import Workspace
from db.base import Base
from db.models import Attachment

MAX_BYTES = 50 * 1024 * 1024  # a scanned contract or a few photos; larger files stay on the share


def _owner_of(s, wf: Workflow, owner_uuid: str, actor: Actor):
    """The record of the workflow `wf` a file belongs to, refused unless the actor may 修改 it."""
    record = s.scalars(select(wf.model).where(wf.model.uuid == owner_uuid)).first()
    if record is None:
        raise RejectedError(f"{wf.this}已被删除，佐证材料没有改动。")
    permit(actor, wf, "修改", record)
    return record


def attach(ws: Workspace, wf: Workflow, owner_uuid: str, path, actor: Optional[Actor] = None,
           note: str = "", stage: Optional[tuple[str, int]] = None) -> AttachmentRow:
    """Store the file against the record of the workflow `wf`; refused (nothing written) when the
    actor may not change the record, or the file cannot be read or is too large. `stage`: (change
    key, year) to tell the pages showing the record."""
    actor = actor or ws.actor
    source = Path(path)
    if not source.is_file():
        raise RejectedError(f"找不到文件“{source.name}”，请重新选择。")
    size = source.stat().st_size
    if size > MAX_BYTES:
        raise RejectedError(f"文件“{source.name}”有{size // (1024 * 1024)} MB，超过了{MAX_BYTES // (1024 * 1024)} MB，"
                            "请压缩或只附关键页后再添加。")
    try:
        content = source.read_bytes()
    except OSError:
        raise RejectedError(f"文件“{source.name}”无法读取（可能正被其他程序打开），请关闭后再添加。") from None
    digest = hashlib.sha256(content).hexdigest()
    with ws.session() as s:
        owner = _owner_of(s, wf, owner_uuid, actor)
        row = Attachment(owner_kind=wf.model.label, owner_uuid=owner_uuid, file_name=source.name, sha256=digest,
                         size=len(content), content=content, note=note or None, region_code=owner.region_code)
        s.add(row)
        s.flush()
        audit.record(s, "新增", Attachment.label, f"添加佐证材料：{source.name}", uuid=owner_uuid, user=actor.name,
                     changes={"sha256": digest, "size": len(content)})
        if stage:
            changes.note(s, *stage)
        return _row(row)


def _row(a: Attachment) -> AttachmentRow:
    return AttachmentRow(a.id, a.file_name, a.size, a.sha256, a.created_at, a.note or "")


def list_for(ws: Workspace, owner_kind: str, owner_uuid: str) -> list[AttachmentRow]:
    t = Attachment.__table__
    with ws.read() as conn:
        found = conn.execute(select(t.c.id, t.c.file_name, t.c.size, t.c.sha256, t.c.created_at, t.c.note).where(
            t.c.owner_kind == owner_kind, t.c.owner_uuid == owner_uuid).order_by(t.c.id)).all()
    return [AttachmentRow(i, name, size, sha, at, note or "") for i, name, size, sha, at, note in found]


def _held(s, actor: Actor, a: Attachment) -> bool:
    """Whether the actor's scope holds the record the file belongs to (found by its kind's label)."""
    if actor.scope is None:
        return True
    model = next((m.class_ for m in Base.registry.mappers if getattr(m.class_, "label", None) == a.owner_kind
                  and hasattr(m.class_, "uuid")), None)
    record = s.scalars(select(model).where(model.uuid == a.owner_uuid)).first() if model is not None else None
    return record is not None and access.holds(s, actor, record)


def copy_out(ws: Workspace, attachment_id: int, folder: Optional[Path] = None, actor: Optional[Actor] = None) -> Path:
    """The file written out (to open with the system viewer or keep); its content checked
    against the SHA-256 kept when it was attached. Refused when the record lies outside the scope."""
    actor = actor or ws.actor
    with ws.session() as s:
        a = s.get(Attachment, attachment_id)
        if a is None:
            raise RejectedError("这份佐证材料已被删除。")
        if not _held(s, actor, a):
            raise RejectedError(f"这份佐证材料所属的{a.owner_kind}不在您的管理范围内，不能打开。")
        content, name, digest = a.content or b"", a.file_name, a.sha256
    if hashlib.sha256(content).hexdigest() != digest:
        raise RejectedError(f"佐证材料“{name}”的内容与添加时不一致（文件可能已损坏），请重新添加。")
    target_dir = folder or (data_dir() / "佐证材料" / str(attachment_id))
    target = target_dir / re.sub(r'[\\/:*?"<>|]', "_", name)
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    except OSError:
        raise RejectedError(f"佐证材料“{name}”无法写出（同名文件可能正被其他程序打开），请关闭后再试。") from None
    return target


def remove(ws: Workspace, attachment_id: int, actor: Optional[Actor] = None, *,
           owner: tuple[Workflow, str], stage: Optional[tuple[str, int]] = None) -> None:
    """Delete an attachment of the owner (its workflow, uuid) — refused unless the actor may change it."""
    actor = actor or ws.actor
    wf, owner_uuid = owner
    with ws.session() as s:
        _owner_of(s, wf, owner_uuid, actor)
        a = s.get(Attachment, attachment_id)
        if a is None:
            return
        if (a.owner_kind, a.owner_uuid) != (wf.model.label, owner_uuid):
            raise RejectedError("这份佐证材料不属于当前的表，未删除。")
        if stage:
            changes.note(s, *stage)
        audit.record(s, "删除", Attachment.label, f"删除佐证材料：{a.file_name}", uuid=a.owner_uuid, user=actor.name,
                     changes={"sha256": a.sha256})
        s.delete(a)
