"""指标库: the starter library shipped in resources/library, loaded once into the database; the
library's view (app.domain.library.LibraryView) the page, the picker and the export show; and a
county's own library imported from Excel — all or nothing, every bad cell named. Every write is
audited with the actor and noted as a "library" change.

An indicator in the file replaces the library's one with the same 指标编码 — or, without a code,
the one with the same 行业领域 and 一级/二级/三级 names; anything else is added."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import func, insert, select, update

from app import changes
from app.domain.library import FIELDS, ImportedIndicator, LibraryRow, LibraryView
from app.io.library_io import parse_library
from app.jobs import JobControl, control
from app.paths import resource_path
from app.rules.validation import CellProblem, RejectedError
from app.services import audit, guard
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models import LibraryIndicator

STAGE = "library"  # the change-notification key (app.changes)
_STARTING = threading.Lock()  # the page and the target form's picker may both ask at once
_SEARCHED = ("code", "industry", "scope", "level1", "level2", "level3", "direction", "unit", "ref_value",
             "explanation", "method")


def ensure_starter_library(ws: Workspace, actor: Optional[Actor] = None) -> int:
    """Loads the starter library when the database has none; returns how many were added."""
    table = LibraryIndicator.__table__
    with _STARTING:
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
            audit.record(s, "导入", LibraryIndicator.label, f"载入起步指标库{len(rows)}条", user=(actor or ws.actor).name)
            changes.note(s, STAGE)
        return len(rows)


def list_library(ws: Workspace) -> list[LibraryRow]:
    """Every indicator, by 行业 then 编码 (as the page lists and the export writes them)."""
    t = LibraryIndicator.__table__
    with ws.read() as conn:
        found = conn.execute(select(t.c.id, *(t.c[k] for k in FIELDS))  # NULLS FIRST: as SQLite, on PostgreSQL too
                             .order_by(t.c.industry, t.c.code.nulls_first(), t.c.id)).all()
    searched = [FIELDS.index(k) + 1 for k in _SEARCHED]
    return [LibraryRow(*(v if v is not None else "" for v in r),
                       search_key=" ".join(str(r[i] or "") for i in searched).casefold()) for r in found]


def library_view(ws: Workspace) -> LibraryView:
    """The library as the page, the picker and the export show it (the starter library loaded
    first, when the database has none)."""
    ensure_starter_library(ws)
    return LibraryView.of(tuple(list_library(ws)))


# -- import ----------------------------------------------------------------------------------------
@dataclass
class _Held:
    """The library as the import matches it: entries by 指标编码 and by 行业 + 一级/二级/三级 names."""

    by_code: dict[str, tuple[int, int]]  # code → (id, version)
    by_names: dict[tuple, tuple[int, int, Optional[str]]]  # names → (id, version, code)

    def target(self, row: ImportedIndicator) -> tuple[Optional[tuple[int, int]], str]:
        """(id, version) the row updates — None: a new entry — and, when the row cannot be placed,
        why (the row's code and names point at two different entries)."""
        named = self.by_names.get(row.names)
        code = row.values["code"]
        if code and code in self.by_code:
            coded = self.by_code[code]
            if named is not None and named[0] != coded[0]:
                return None, f"编码{code}的指标与库中另一指标（{named[2] or '无编码'}）同类同名，请核对编码或名称"
            return coded, ""
        if named is not None:
            if code and named[2]:
                return None, f"库中已有同类同名指标，编码为{named[2]}，与本行编码不同，请核对"
            return named[:2], ""
        return None, ""


def _held(s) -> _Held:
    held = _Held({}, {})
    t = LibraryIndicator
    for id_, version, code, industry, l1, l2, l3 in s.execute(select(
            t.id, t.version, t.code, t.industry, t.level1, t.level2, t.level3).order_by(t.id)):
        if code:
            held.by_code[code] = (id_, version)
        held.by_names.setdefault((industry, l1, l2, l3), (id_, version, code))
    return held


def import_file(ws: Workspace, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Adds and updates indicators from the file (on top of the starter library). Raises
    RejectedError naming every bad cell (nothing written). Returns the sentence saying what landed."""
    job = control(job)
    actor = actor or ws.actor
    guard.permit(actor, guard.LIBRARY, "导入")
    file, problems = parse_library(path, job)
    parsed = file.rows
    if not parsed and not problems:
        raise RejectedError("文件中没有指标数据行，未导入任何数据。")
    ensure_starter_library(ws, actor)
    region = ws.home_region()
    with ws.session() as s:
        held = _held(s)
        inserts, updates = [], []
        claimed: dict[object, int] = {}  # library id, or the new row's code/names → the file row that has it
        for row in parsed:
            values = row.values
            header, shown = ("指标编码", values["code"]) if values["code"] else ("三级指标", values["level3"])
            found, clash = held.target(row)
            if clash:
                problems.append(CellProblem(file.sheet, row.row, header, clash, shown))
                continue
            keys = [found[0]] if found else [("code", values["code"])] * bool(values["code"]) + [row.names]
            earlier = next((claimed[k] for k in keys if k in claimed), None)
            if earlier is not None:
                problems.append(CellProblem(file.sheet, row.row, header, f"与第{earlier}行是库中同一个指标，文件中应只出现一次", shown))
                continue
            claimed.update({k: row.row for k in keys})
            if found is None:
                inserts.append({**values, "region_code": region})
            else:  # matched by names without a code: the entry keeps its code
                kept = values if values["code"] else {k: v for k, v in values.items() if k != "code"}
                updates.append({**kept, "id": found[0], "version": found[1]})
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        job.step(len(parsed) // 2, len(parsed))
        if inserts:
            s.execute(insert(LibraryIndicator), inserts)
        if updates:
            s.execute(update(LibraryIndicator), updates)
        sentence = f"导入完成：新增指标{len(inserts)}个，更新指标{len(updates)}个。"
        audit.record(s, "导入", LibraryIndicator.label, sentence, changes={"file": str(path)}, user=actor.name)
        changes.note(s, STAGE)
    return sentence

