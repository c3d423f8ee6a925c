"""Monitoring figures from Excel into a round, all or nothing (the file's format: app.io.monitoring_import):
every row's project must be in the round with its record still editable, every indicator row must
name one of the record's indicators, and the indicator rows pass the same rule as the form
(app.rules.monitoring.progress_problems). One bad cell and nothing is written; else every amount
and indicator row lands in one transaction, each touched record's version moving (an open form
is then refused), audited and noted."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import select, update

from app import changes
from app.domain.monitoring import MonitoringFile
from app.io import monitoring_import as io
from app.jobs import JobControl, control
from app.rules import monitoring as rules
from app.rules.validation import CellProblem, RejectedError
from app.services import access, audit, project_codes, workflow
from app.services.actor import Actor
from app.services.monitoring_records import RECORDS
from app.services.workspace import Workspace
from db.base import now
from db.models import MonitoringIndicator, MonitoringRecord, MonitoringRound, Project

# the columns an indicator row's rule names, by the rule's field (app.rules.monitoring.progress_problems)
_HEADER = {field: header for header, field in io.PROGRESS_COLUMNS.items()}
_STORED = {"completed": "completed_value", "projected": "projected_value", "cause_class": "deviation_class",
           "cause_note": "deviation_note", "likelihood": "likelihood", "measures": "measures"}


def import_file(ws: Workspace, round_id: int, path, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    actor = actor or ws.actor
    job = control(job)
    parsed, problems = io.parse_monitoring(path, job)
    rec, p, mi = MonitoringRecord.__table__, Project.__table__, MonitoringIndicator.__table__
    with ws.session() as s:
        year = s.scalar(select(MonitoringRound.year).where(MonitoringRound.id == round_id))
        if year is None:
            raise RejectedError("这个监控批次已被删除。")
        records, shared = project_codes.index(((code, region, (rid, version, status)) for code, region, rid, version, status
                                               in s.execute(select(p.c.code, p.c.region_code, rec.c.id, rec.c.version,
                                                                   rec.c.status).join(p, p.c.id == rec.c.project_id)
                                                            .where(rec.c.round_id == round_id))), ws.home_region())
        chosen = {rid for rid, _, _ in records.values()}
        away = set() if actor.scope is None else set(records) - set(s.scalars(
            select(p.c.code).join(rec, rec.c.project_id == p.c.id)
            .where(rec.c.round_id == round_id, *access.where(actor, Project))))
        progress: dict[tuple[str, str], list[tuple]] = {}  # the same name twice in a target: in its order
        for code, level3, iid, version, direction, target, rid in s.execute(
                select(p.c.code, mi.c.level3, mi.c.id, mi.c.version, mi.c.direction, mi.c.target_value, rec.c.id)
                .join(rec, rec.c.id == mi.c.record_id).join(p, p.c.id == rec.c.project_id)
                .where(rec.c.round_id == round_id).order_by(mi.c.id)):
            if rid in chosen:
                progress.setdefault((code, level3), []).append((iid, version, direction, target or ""))
        money_updates, progress_updates = _check(parsed, records, progress, problems, actor, away,
                                                 _shared_sentences(s, year, shared))
        if problems:
            problems.sort(key=_order)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        if not money_updates and not progress_updates:
            raise RejectedError("文件中没有可导入的执行数或指标完成情况，未导入任何数据。")
        stamp = now()
        s.execute(update(MonitoringRecord), [{**u, "updated_at": stamp} for u in money_updates.values()])
        if progress_updates:
            s.execute(update(MonitoringIndicator), progress_updates)
        amounts = sum(1 for u in money_updates.values() if len(u) > 2)
        sentence = f"导入完成：更新项目执行数{amounts}个，指标完成情况{len(progress_updates)}条。"
        audit.record(s, "导入", MonitoringRecord.label, sentence, changes={"file": str(path)}, user=actor.name)
        changes.note(s, "monitoring", year, money_updates)
    return sentence


def _check(parsed: MonitoringFile, records: dict, progress: dict, problems: list[CellProblem],
           actor: Actor, away: set[str] = frozenset(), shared: Optional[dict[str, str]] = None) -> tuple[dict, list[dict]]:
    """The drafts against the round: (record updates by id, indicator updates); problems appended."""

    def record_for(sheet: str, row_no: int, code: str):
        found = records.get(code)
        if found is None:
            problems.append(CellProblem(sheet, row_no, "项目编码", (shared or {}).get(code, "应为本监控批次中的项目编码"), code))
        elif code in away:
            problems.append(CellProblem(sheet, row_no, "项目编码", access.OUT_OF_SCOPE, code))
        elif refusal := workflow.change_refusal(RECORDS, found[2], actor):
            problems.append(CellProblem(sheet, row_no, "项目编码", refusal, code))
        else:
            return found
        return None

    money_updates = {}
    for line in parsed.budget:
        found = record_for(parsed.budget_sheet, line.row, line.code)
        values = {key: amount for key, amount in (("executed_fen", line.executed_fen), ("projected_fen", line.projected_fen))
                  if amount is not None}
        if found is not None and values:
            money_updates[found[0]] = {"id": found[0], "version": found[1], **values}
    progress_updates, seen, sheet = [], {}, parsed.progress_sheet
    for line in parsed.progress:
        found = record_for(sheet, line.row, line.code)
        if found is None:
            continue
        key = (line.code, line.level3)
        if key not in progress:
            problems.append(CellProblem(sheet, line.row, "三级指标", "应为该项目监控表中已有的三级指标", line.level3))
            continue
        earlier = seen.setdefault(key, [])
        if len(earlier) >= len(progress[key]):
            problems.append(CellProblem(sheet, line.row, "三级指标", f"同一项目内重复（与第{earlier[0]}行相同，"
                                        f"监控表中只有{len(progress[key])}个同名指标）", line.level3))
            continue
        iid, version, direction, target = progress[key][len(earlier)]
        earlier.append(line.row)
        for name, message in rules.progress_problems(direction, target, line.projected, line.cause_class, line.likelihood):
            problems.append(CellProblem(sheet, line.row, _HEADER[name], message, getattr(line, name)))
        values = {column: getattr(line, name) for name, column in _STORED.items() if getattr(line, name)}
        if values:
            progress_updates.append({"id": iid, "version": version, **values})
            # the record's version moves with its indicator rows, and is checked when the import writes
            money_updates.setdefault(found[0], {"id": found[0], "version": found[1]})
    return money_updates, progress_updates


def _order(cell: CellProblem) -> tuple:
    """Sheet by sheet, row by row; within a 预算执行 row, column by column (the 项目编码 first)."""
    budget = cell.sheet == io.BUDGET_SHEET
    column = io.BUDGET_HEADERS.index(cell.header) if budget and cell.header in io.BUDGET_HEADERS else 0
    return (not budget, cell.row, column)


def _shared_sentences(s, year: int, shared: dict) -> dict[str, str]:
    return {code: project_codes.not_found(year, code, shared, s, code) for code in shared}


def fill_rows(ws: Workspace, round_id: int) -> tuple[list[list], list[list]]:
    """The round's projects and indicators as the rows of its pre-filled 填报表
    (app.io.monitoring_import.write_template): this database's own — a township fills its records in
    its own database and they arrive by package (and townships may share a code)."""
    rec, p, mi = MonitoringRecord.__table__, Project.__table__, MonitoringIndicator.__table__
    own = p.c.region_code == ws.home_region()
    with ws.read() as conn:
        budget = [[code, name, None, None] for code, name in conn.execute(
            select(p.c.code, p.c.name).join(rec, rec.c.project_id == p.c.id)
            .where(rec.c.round_id == round_id, own, *access.where(ws.actor, Project)).order_by(p.c.code))]
        indicators = [[code, level3, f"{direction}{target or ''}{unit or ''}"] for code, level3, direction, target, unit in conn.execute(
            select(p.c.code, mi.c.level3, mi.c.direction, mi.c.target_value, mi.c.unit)
            .join(rec, rec.c.id == mi.c.record_id).join(p, p.c.id == rec.c.project_id)
            .where(rec.c.round_id == round_id, own, *access.where(ws.actor, Project)).order_by(p.c.code, mi.c.id))]
    return budget, indicators


def write_fill_sheet(ws: Workspace, round_id: int, path) -> None:
    """下载填报表: the template pre-filled with the round's projects and indicators."""
    io.write_template(path, *fill_rows(ws, round_id))
