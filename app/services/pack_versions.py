"""The 规则方案 a stored score was computed with: every saved version stays in table rule_pack
(app.services.rule_packs), and a record that keeps `rule_pack_version` is judged again — its
lights, its check, its grade — under that version, not under whatever is active today.

    pack_at(ws, 3)      # → RulePackData of version 3 (the active pack when None or not held here)
    words(3)            # → "按规则方案第3版"
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional

from sqlalchemy import select

from app.rules.pack import RulePackData
from app.services.workspace import Workspace
from db.models import RulePack


def pack_at(ws: Workspace, version: Optional[int]) -> RulePackData:
    """The pack saved as `version`: the active one when it is that version (no read), else the stored
    row (the active name's first, then the newest); the active pack when `version` is None or the
    database does not hold it (a record from before versions were kept, or brought by a package)."""
    active = ws.rule_pack()
    if version is None or version == active.version:
        return active
    t = RulePack.__table__
    with ws.read() as conn:
        content = conn.execute(select(t.c.content).where(t.c.pack_version == version)
                               .order_by((t.c.name == active.name).desc(), t.c.id.desc())).scalars().first()
    return _parsed(content) if content else active


@lru_cache(maxsize=16)
def _parsed(content: str) -> RulePackData:
    """A stored version's text read once (a saved version never changes; callers copy what they change)."""
    return RulePackData.from_json(content)


def words(version: Optional[int]) -> str:
    """按规则方案第N版 ("" when the version is not known)."""
    return f"按规则方案第{version}版" if version else ""
