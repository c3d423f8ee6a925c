"""指标库: the starter library shipped in resources/library, loaded once into the database, and
search as you type (code, names, explanation) by industry."""

from __future__ import annotations

import json
from dataclasses import dataclass
from sqlalchemy import func, insert, select

from app.paths import resource_path
from app.services import audit
from app.services.workspace import Workspace
from db.models import LibraryIndicator

FIELDS = ("code", "industry", "scope", "level1", "level2", "level3", "direction", "unit", "ref_value", "ref_basis",
          "explanation", "method", "source")


@dataclass(frozen=True)
class LibraryRow:
    id: int
    code: str
    industry: str
    scope: str
    level1: str
    level2: str
    level3: str
    direction: str
    unit: str
    ref_value: str
    explanation: str
    method: str
    search_key: str


def ensure_starter_library(ws: Workspace) -> int:
    """Loads the starter library when the database has none; returns how many were added."""
    table = LibraryIndicator.__table__
    with ws.read() as conn:
        if conn.execute(select(func.count()).select_from(table)).scalar():
            return 0
    path = resource_path("library", "indicators.json")
    if not path.is_file():
        return 0
    data = json.loads(path.read_text(encoding="utf-8"))
    region = ws.home_region()
    rows = [{**{k: (item.get(k) or None) for k in FIELDS}, "region_code": region,
             "industry": item["industry"], "scope": item.get("scope") or "项目"} for item in data["indicators"]]
    with ws.session() as s:
        s.execute(insert(LibraryIndicator), rows)
        audit.record(s, "导入", LibraryIndicator.label, f"载入起步指标库{len(rows)}条")
    return len(rows)


def list_library(ws: Workspace) -> list[LibraryRow]:
    t = LibraryIndicator.__table__
    cols = [t.c.id, t.c.code, t.c.industry, t.c.scope, t.c.level1, t.c.level2, t.c.level3, t.c.direction, t.c.unit,
            t.c.ref_value, t.c.explanation, t.c.method]
    with ws.read() as conn:
        found = conn.execute(select(*cols).order_by(t.c.industry, t.c.code, t.c.id)).all()
    return [LibraryRow(*(v if v is not None else "" for v in r),
                       search_key=" ".join(str(v or "") for v in r[1:]).casefold()) for r in found]


def search(rows: list[LibraryRow], text: str = "", branch: tuple[str, ...] = ()) -> list[LibraryRow]:
    """Rows under a branch of the tree (行业 → 一级 → 二级, any prefix) holding every search term."""
    terms = text.casefold().split()
    depth = len(branch)
    return [r for r in rows if (r.industry, r.level1, r.level2)[:depth] == branch
            and all(t in r.search_key for t in terms)]


def tree(rows: list[LibraryRow]) -> dict[str, dict[str, dict[str, int]]]:
    """行业 → 一级 → 二级 → number of indicators, in the library's own order (for browsing)."""
    out: dict[str, dict[str, dict[str, int]]] = {}
    for r in rows:
        level2s = out.setdefault(r.industry, {}).setdefault(r.level1, {})
        level2s[r.level2] = level2s.get(r.level2, 0) + 1
    return out
