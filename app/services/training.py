"""培训: a year's sessions, entered one by one or imported from Excel, listed and exported; and the
year's count the year report calls (`year_counts`). Every write is 绩效科's (guard.STATS), audited
with the actor and noted as a "training" change; an edit carries the version its form read."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import func, insert, select

from app import changes
from app.domain.training import ImportedSession, TrainingRow, TrainingYear, check
from app.io.training_io import SHEET, parse_sessions, render_training
from app.jobs import JobControl, control
from app.rules.validation import CellProblem, RejectedError, Report
from app.services import access, audit, guard, regions
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models import Training

STAGE = "training"
STALE = "这条培训记录在您打开后已被修改或删除，您的修改没有保存。请关闭后重新打开再改。"


def validate(raw: dict, year: int) -> Report:
    """What the form shows as the user types (the same check the save and the import make)."""
    return check(raw, year)[1]


def list_year(ws: Workspace, year: int, region: Optional[str] = None) -> TrainingYear:
    """The year's sessions by date (a year's summary rows first), of one region when `region` names
    its code."""
    names = regions.names(ws)
    t = Training
    with ws.session() as s:
        found = s.scalars(select(t).where(t.year == year, *regions.clause(t, region), *access.where(ws.actor, t))
                          .order_by(t.held_on.is_not(None), t.held_on, t.id)).all()
        rows = tuple(TrainingRow(x.id, x.year, x.held_on, x.title or "", x.organiser or "", x.sessions, x.attendees,
                                 x.units or "", x.note or "", x.version, x.region_code,
                                 names.get(x.region_code, x.region_code)) for x in found)
    return TrainingYear(year, rows, regions.choices(ws).label_of(region) if region else "")


def year_counts(ws: Workspace, year: int, region: Optional[str] = None) -> tuple[int, int]:
    """培训次数 and 参训人次 of the work year: the sum of every row's sessions and attendees (a
    session counts 1; a summary row as its report said)."""
    t = Training.__table__
    with ws.read() as conn:
        sessions, attendees = conn.execute(
            select(func.coalesce(func.sum(t.c.sessions), 0), func.coalesce(func.sum(t.c.attendees), 0))
            .where(t.c.year == year, *regions.clause(t, region), *access.where(ws.actor, Training))).one()
    return int(sessions), int(attendees)


def _described(values: dict) -> str:
    return f"{values['held_on'].isoformat()}“{values['title']}”"


def save(ws: Workspace, year: int, raw: dict, training_id: Optional[int] = None, version=None,
         actor: Optional[Actor] = None) -> int:
    """Create (no id) or edit (id and the version the form read) one session of `year`."""
    actor = actor or ws.actor
    guard.permit(actor, guard.STATS, "修改" if training_id else "新增")
    values, report = check(raw, year)
    if not report.ok:
        raise RejectedError("培训信息有误，请按提示修改。", report)
    with ws.session() as s:
        row = s.get(Training, training_id) if training_id else None
        if training_id:
            if row is None or version is None or str(row.version) != str(version).strip():
                raise RejectedError(STALE)
            if row.held_on is None:
                raise RejectedError(f"这是{row.year}年的全年汇总数（{row.sessions}次，{row.attendees}人次），不是一次培训，"
                                    "不能按一次培训修改。如需逐次登记，请删除这条汇总数后逐次新增。")
            action = "修改"
        else:
            row = Training(region_code=ws.home_region(), year=year, sessions=1)
            s.add(row)
            action = "新增"
        for key, value in values.items():
            setattr(row, key, value)
        s.flush()
        audit.record(s, action, Training.label, f"{action}培训{_described(values)}，{values['attendees']}人次",
                     uuid=row.uuid, changes=values, user=actor.name)
        changes.note(s, STAGE, year, [row.id])
        return row.id


def delete(ws: Workspace, training_id: int, actor: Optional[Actor] = None) -> None:
    actor = actor or ws.actor
    guard.permit(actor, guard.STATS, "删除")
    with ws.session() as s:
        row = s.get(Training, training_id)
        if row is None:
            return
        what = (f"{row.held_on.isoformat()}“{row.title or ''}”" if row.held_on
                else f"{row.year}年全年汇总数（{row.sessions}次，{row.attendees}人次）")
        audit.record(s, "删除", Training.label, f"删除培训{what}", uuid=row.uuid, user=actor.name)
        changes.note(s, STAGE, row.year, [row.id])
        s.delete(row)


def _clashes(s, sessions: list[ImportedSession], region: str) -> list[CellProblem]:
    """A session already registered (same date and topic), or twice in the file, is a bad cell."""
    held = {(d, t): None for d, t in s.execute(select(Training.held_on, Training.title).where(
        Training.region_code == region, Training.held_on.in_({x.values["held_on"] for x in sessions})))}
    seen: dict[tuple, int] = {}
    problems = []
    for x in sessions:
        key = (x.values["held_on"], x.values["title"])
        if key in held:
            problems.append(CellProblem(SHEET, x.row, "培训主题", "与已登记的同日同主题培训重复，不能再导入", x.values["title"]))
        elif key in seen:
            problems.append(CellProblem(SHEET, x.row, "培训主题", f"与第{seen[key]}行是同一次培训，文件中应只出现一次",
                                        x.values["title"]))
        seen.setdefault(key, x.row)
    return problems


def import_file(ws: Workspace, path, year: int, job: Optional[JobControl] = None, actor: Optional[Actor] = None) -> str:
    """Adds the file's sessions to `year`, all or nothing: RejectedError naming every bad cell, or
    every row written in one transaction. Returns the sentence saying what landed."""
    job = control(job)
    actor = actor or ws.actor
    guard.permit(actor, guard.STATS, "导入")
    sessions, problems = parse_sessions(path, year, job)
    if not sessions and not problems:
        raise RejectedError("文件中没有培训数据行，未导入任何数据。")
    region = ws.home_region()
    with ws.session() as s:
        problems += _clashes(s, sessions, region)
        if problems:
            problems.sort(key=lambda c: c.row)
            raise RejectedError(f"文件中有{len(problems)}处错误，未导入任何数据。请按错误清单修改后重新导入。", cells=problems)
        s.execute(insert(Training), [{**x.values, "region_code": region, "year": year, "sessions": 1} for x in sessions])
        people = sum(x.values["attendees"] for x in sessions)
        sentence = f"导入完成：新增{year}年培训{len(sessions)}次，参训{people}人次。"
        audit.record(s, "导入", Training.label, sentence, changes={"file": str(path)}, user=actor.name)
        changes.note(s, STAGE, year)
    return sentence


def export(ws: Workspace, year: int, path, fmt: str = "xlsx", region: Optional[str] = None) -> int:
    """The year's 培训情况表 as xlsx or pdf — the view the page shows."""
    return render_training(list_year(ws, year, region), path, fmt)
