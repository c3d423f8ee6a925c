"""上报数: a year's figures held outside the program, entered one by one or imported from Excel, listed
and exported; the year's report reads them (app.services.year_report). Every write is 绩效科's
(guard.STATS, the area 培训与报送数), audited with the actor and noted as a "reported" change; an edit
carries the version its form read. Within a year a 环节 names each 数据项 once."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import insert, select

from app import changes
from app.domain.reported import ImportedStat, ReportedRow, ReportedYear, check
from app.io.reported_io import SHEET, parse_stats, render_reported
from app.jobs import JobControl, control
from app.rules.validation import CellProblem, RejectedError, Report
from app.services import access, audit, guard, regions
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models import ReportedStat

STAGE = "reported"
STALE = "这条上报数在您打开后已被修改或删除，您的修改没有保存。请关闭后重新打开再改。"
TWICE = "本年度该环节已有同名数据项，请改名或编辑原有的那一条"


def validate(raw: dict) -> Report:
    """What the form shows as the user types (the same check the save and the import make)."""
    return check(raw)[1]


def list_year(ws: Workspace, year: int, region: Optional[str] = None) -> ReportedYear:
    """The year's 上报数 in the report's order of 环节 (其他 last), as entered within each, of one
    region when `region` names its code."""
    names = regions.names(ws)
    r = ReportedStat
    with ws.session() as s:
        found = s.scalars(select(r).where(r.year == year, *regions.clause(r, region), *access.where(ws.actor, r))
                          .order_by(r.id)).all()
        rows = [ReportedRow(x.id, x.year, x.stage, x.item, x.count, x.amount_fen, x.rate_pct, x.source or "",
                            x.text or "", x.version, x.region_code, names.get(x.region_code, x.region_code))
                for x in found]
    rows.sort(key=lambda x: x.order)
    return ReportedYear(year, tuple(rows), regions.choices(ws).label_of(region) if region else "")


def _taken(s, year: int, region: str, stage: str, item: str, but: Optional[int] = None) -> bool:
    r = ReportedStat
    found = s.scalar(select(r.id).where(r.year == year, r.region_code == region, r.stage == stage, r.item == item,
                                        *((r.id != but,) if but else ())).limit(1))
    return found is not None


def save(ws: Workspace, year: int, raw: dict, stat_id: Optional[int] = None, version=None,
         actor: Optional[Actor] = None) -> int:
    """Create (no id) or edit (id and the version the form read) one 上报数 of `year`."""
    actor = actor or ws.actor
    guard.permit(actor, guard.STATS, "修改" if stat_id else "新增")
    values, report = check(raw)
    if not report.ok:
        raise RejectedError("上报数信息有误，请按提示修改。", report)
    with ws.session() as s:
        row = s.get(ReportedStat, stat_id) if stat_id else None
        if stat_id and (row is None or version is None or str(row.version) != str(version).strip()):
            raise RejectedError(STALE)
        region = row.region_code if row else ws.home_region()
        if _taken(s, row.year if row else year, region, values["stage"], values["item"], stat_id):
            bad = Report()
            bad.add("item", TWICE)
            raise RejectedError("上报数信息有误，请按提示修改。", bad)
        action = "修改" if row else "新增"
        if row is None:
            row = ReportedStat(region_code=region, year=year)
            s.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        s.flush()
        audit.record(s, action, ReportedStat.label, f"{action}上报数{values['stage']}“{values['item']}”（来源：{values['source']}）",
                     uuid=row.uuid, changes=values, user=actor.name)
        changes.note(s, STAGE, row.year, [row.id])
        return row.id


def delete(ws: Workspace, stat_id: int, actor: Optional[Actor] = None) -> None:
    actor = actor or ws.actor
    guard.permit(actor, guard.STATS, "删除")
    with ws.session() as s:
        row = s.get(ReportedStat, stat_id)
        if row is None:
            return
        audit.record(s, "删除", ReportedStat.label, f"删除上报数{row.stage}“{row.item}”", uuid=row.uuid, user=actor.name)
        changes.note(s, STAGE, row.year, [row.id])
        s.delete(row)


def _clashes(s, stats: list[ImportedStat], year: int, region: str) -> list[CellProblem]:
    """A figure already entered (same 环节 and 数据项 in the year), or twice in the file, is a bad cell."""
    r = ReportedStat
    held = {(x.stage, x.item) for x in s.execute(select(r.stage, r.item).where(r.year == year, r.region_code == region))}
    seen: dict[tuple, int] = {}
    problems = []
    for x in stats:
        key = (x.values["stage"], x.values["item"])
        if key in held:
            problems.append(CellProblem(SHEET, x.row, "数据项", f"{year}年度{key[0]}已有同名数据项，不能再导入", key[1]))
        elif key in seen:
            problems.append(CellProblem(SHEET, x.row, "数据项", f"与第{seen[key]}行是同一环节的同一数据项，文件中应只出现一次",
                                        key[1]))
        seen.setdefault(key, x.row)
    return problems


def import_file(ws: Workspace, path, year: int, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Adds the file's figures to `year`, all or nothing: RejectedError naming every bad cell, or
    every row written in one transaction. Returns the sentence saying what landed."""
    job = control(job)
    actor = actor or ws.actor
    guard.permit(actor, guard.STATS, "导入")
    stats, problems = parse_stats(path, job)
    if not stats and not problems:
        raise RejectedError("文件中没有上报数数据行，未导入任何数据。")
    region = ws.home_region()
    with ws.session() as s:
        problems += _clashes(s, stats, year, region)
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        s.execute(insert(ReportedStat), [{**x.values, "region_code": region, "year": year} for x in stats])
        sentence = f"导入完成：新增{year}年上报数{len(stats)}条。"
        audit.record(s, "导入", ReportedStat.label, sentence, changes={"file": str(path)}, user=actor.name)
        changes.note(s, STAGE, year)
    return sentence


def export(ws: Workspace, year: int, path, fmt: str = "xlsx", region: Optional[str] = None) -> int:
    """The year's 上报数一览表 as xlsx or pdf — the view the page shows."""
    return render_reported(list_year(ws, year, region), path, fmt)
