"""规则方案 (系统 → 规则方案): the active pack's settings with their meanings, saving a change as a new
version, the versions with what each changed, and the pack as a .json file for the townships.

    rule_packs.view(ws)                                   # → PackView: sections, settings, versions
    rule_packs.save(ws, {"monitoring/red_below_schedule_points": "15"}, "说明", based_on=1)  # → 2
    rule_packs.export_active(ws, path) / rule_packs.import_file(ws, path, "说明")

A save or an import writes a new row of rule_pack (pack_version = the highest + 1, its content's
`version` the same, active; every older version kept, inactive) after checking the whole pack
(pack_meanings.problems: each stage's own from_pack): a bad value is refused in a sentence and
nothing is saved. Only 绩效科 (guard.RULE_PACK); audited; noted as a "rule_pack" change. Scores
computed afterwards record the new version (ws.rule_pack().version); stored ones keep theirs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from sqlalchemy import func, select, update

from app import changes
from app.domain.rule_packs import PackSection, PackSetting, PackVersion, PackView
from app.io.rule_pack_io import read_pack, write_pack
from app.rules import pack_meanings as M
from app.rules.validation import RejectedError
from app.services import audit, guard
from app.services.actor import Actor
from app.services.workspace import UNSET_REGION, Workspace
from db.models import RulePack

STAGE = "rule_pack"
STALE = "规则方案在您打开后已被另存为第{n}版，您的修改没有保存。请重新打开规则方案页后再改。"


def view(ws: Workspace) -> PackView:
    """The active pack's settings by section (each with its meaning) and every version, newest first."""
    pack = ws.rule_pack()
    content = pack.content
    own = content.get("township_assessment", {}).get("meanings", {})
    sections = []
    for key, (title, meaning) in M.SECTIONS.items():
        rows = tuple(PackSetting(title, s.key, s.label, M.shown(M.value_of(content, s.path), s.kind), s.kind, s.meaning)
                     for s in M.settings(content) if s.section == key)
        if rows:
            said = own.get("section", meaning) if key == "township_assessment" else meaning
            sections.append(PackSection(title, said, rows))
    return PackView(pack.name, pack.version, tuple(sections), tuple(versions(ws)))


def versions(ws: Workspace) -> list[PackVersion]:
    """Every stored version, newest first, each with what it changed against the one before it."""
    t = RulePack.__table__
    with ws.read() as conn:
        rows = conn.execute(select(t.c.pack_version, t.c.name, t.c.created_at, t.c.note, t.c.is_active, t.c.content)
                            .order_by(t.c.pack_version, t.c.id)).all()
    out, before = [], None
    for r in rows:
        content = json.loads(r.content)
        said = tuple(M.diff_words(before, content)) if before is not None else ("最初的规则方案",)
        out.append(PackVersion(r.pack_version, r.name, r.created_at, r.note or "", bool(r.is_active),
                               said or ("与上一版相同",)))
        before = content
    return out[::-1]


def save(ws: Workspace, edits: dict[str, str], note: str, based_on: Optional[int] = None,
         actor: Optional[Actor] = None) -> int:
    """The active pack with `edits` (setting key → text as typed) saved as a new version; its number.
    `based_on`: the version the page showed (a newer one saved since refuses the save)."""
    actor = actor or ws.actor
    guard.permit(actor, guard.RULE_PACK)
    if not edits:
        raise RejectedError("没有修改任何设置，未保存新版本。")
    current = ws.rule_pack()
    try:
        content = M.apply(current.content, edits)
    except ValueError as exc:
        raise RejectedError(f"{exc}规则方案没有保存。") from exc
    return _store(ws, content, note, based_on, actor, "修改")


def import_file(ws: Workspace, path: str | Path, note: str = "", actor: Optional[Actor] = None) -> int:
    """A pack file (exported here or by the county) checked whole and saved as a new active version."""
    actor = actor or ws.actor
    guard.permit(actor, guard.RULE_PACK, "导入")
    content = read_pack(path)
    return _store(ws, content, note or f"导入自{Path(path).name}", None, actor, "导入")


def export_active(ws: Workspace, path: str | Path) -> Path:
    """The active pack as a .json file (what a township imports)."""
    write_pack(ws.rule_pack().content, path)
    return Path(path)


def _store(ws: Workspace, content: dict, note: str, based_on: Optional[int], actor: Actor, action: str) -> int:
    problems = M.problems(content)
    if problems:
        raise RejectedError("规则方案有误，没有保存：" + "".join(p if p.endswith("。") else p + "。" for p in problems))
    t = RulePack.__table__
    old = ws.rule_pack()
    with ws.session() as s:
        latest = s.execute(select(func.max(t.c.pack_version))).scalar() or 0
        active = s.execute(select(func.max(t.c.pack_version)).where(t.c.is_active)).scalar()
        if based_on is not None and active != based_on:
            raise RejectedError(STALE.format(n=active))
        number = latest + 1
        content = {**content, "version": number}
        words = M.diff_words(old.content, content)
        if not words and action == "修改":
            raise RejectedError("所填的值与现行规则方案相同，未保存新版本。")
        s.execute(update(t).where(t.c.is_active.is_(True)).values(is_active=False, version=t.c.version + 1))
        row = RulePack(name=str(content["name"]), pack_version=number, is_active=True, note=(note or "").strip() or None,
                       content=json.dumps(content, ensure_ascii=False, indent=2), region_code=ws.home_region() or UNSET_REGION)
        s.add(row)
        s.flush()
        audit.record(s, action, RulePack.label, f"规则方案另存为第{number}版：" + ("；".join(words) or "内容未变"),
                     uuid=row.uuid, user=actor.name, changes={"note": note or "", "from": old.version})
        changes.note(s, STAGE, None, [row.id])
        ws._pack = None  # noqa: SLF001 - read afresh (also by the pages the commit tells)
    return number
