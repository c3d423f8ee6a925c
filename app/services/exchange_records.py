"""Which records travel between a township and its county, and how a row becomes package data.

Township → county (上报): its departments and units, projects, targets with their indicators, the
monitoring rounds its records belong to, monitoring records and indicators, self-evaluations and
their rows, rectification items and progress, and the evidence files of all of these — for the
chosen years. County → township (下发): the active rule pack, the indicator library, the monitoring
rounds of those years, and every record of the township the county holds (its review results,
opinions, rectification items addressed to it).

A project's 归口科室 is the county bureau's own business: it does not travel (each side keeps its
own), nor do links to records that stay at home (a 重点评价, an institution). A row travels as its
columns, with every other reference to another record by that record's UUID (ids
differ between databases), plus `_v` (its version here) and `_seen` (the version of the receiver's
copy this side last imported, or None): the receiver tells its own changes from the sender's with
them (app.services.exchange_merge)."""

from __future__ import annotations

from typing import Any, Iterable, Optional

from sqlalchemy import Table, and_, false, or_, select

from db.models import (
    Attachment, Department, ExchangeSeen, LibraryIndicator, MonitoringIndicator, MonitoringRecord, MonitoringRound,
    PerformanceTarget, Project, Rectification, ReviewOpinion, RulePack, SelfEvalIndicator, SelfEvaluation,
    TargetIndicator,
)

UP, DOWN = "上报", "下发"
# parents before children: a row's references are found when it is merged
ORDER = (RulePack, LibraryIndicator, Department, Project, MonitoringRound, PerformanceTarget, TargetIndicator,
         MonitoringRecord, MonitoringIndicator, SelfEvaluation, SelfEvalIndicator, Rectification, ReviewOpinion,
         Attachment)
KINDS = {m.__tablename__: m for m in ORDER}
LABELS = {m.__tablename__: m.label for m in ORDER}
NOT_COMPARED = ("id", "version", "created_at", "updated_at")
CONTENT = "content"  # an attachment's bytes travel as a file of the package, by SHA-256


def references(table: Table) -> dict[str, Table]:
    """Column → the table it points at by id (a record of a kind that travels, sent by its UUID)."""
    return {fk.parent.name: fk.column.table for fk in table.foreign_keys
            if fk.column.name == "id" and fk.column.table.name in KINDS}


def _local_only(table: Table) -> set[str]:
    """Links to records that do not travel (a 重点评价, an agency): kept as they are on each side."""
    return {fk.parent.name for fk in table.foreign_keys if fk.column.name == "id" and fk.column.table.name not in KINDS}


def compared(table: Table) -> list[str]:
    skip = _local_only(table)
    return [c.name for c in table.columns if c.name not in NOT_COMPARED and c.name not in skip]


def _ids(s, column, *where) -> list[int]:
    return list(s.scalars(select(column).where(*where)))


def selection(s, direction: str, township: str, years: Iterable[int]) -> dict[str, list[int]]:
    """The ids of each kind that travel (in ORDER)."""
    years = sorted(set(years))
    chosen: dict[str, list[int]] = {}
    depts = _ids(s, Department.id, Department.region_code == township)
    projects = _ids(s, Project.id, Project.region_code == township, Project.year.in_(years))
    targets = _ids(s, PerformanceTarget.id, or_(
        PerformanceTarget.project_id.in_(projects),
        and_(PerformanceTarget.project_id.is_(None), PerformanceTarget.department_id.in_(depts),
             PerformanceTarget.year.in_(years))))
    records = _ids(s, MonitoringRecord.id, MonitoringRecord.project_id.in_(projects))
    rounds = _ids(s, MonitoringRound.id, or_(MonitoringRound.id.in_(select(MonitoringRecord.round_id)
                                                                    .where(MonitoringRecord.id.in_(records))),
                                             MonitoringRound.year.in_(years) if direction == DOWN else false()))
    evals = _ids(s, SelfEvaluation.id, SelfEvaluation.year.in_(years), or_(
        SelfEvaluation.project_id.in_(projects),
        and_(SelfEvaluation.project_id.is_(None), SelfEvaluation.department_id.in_(depts))))
    if direction == DOWN:
        chosen["rule_pack"] = _ids(s, RulePack.id, RulePack.is_active.is_(True))
        chosen["library_indicator"] = _ids(s, LibraryIndicator.id)
    target_rows = _ids(s, TargetIndicator.id, TargetIndicator.target_id.in_(targets))
    if direction == UP:  # the library entries the township's targets were taken from
        chosen["library_indicator"] = _ids(s, LibraryIndicator.id, LibraryIndicator.id.in_(
            select(TargetIndicator.library_id).where(TargetIndicator.id.in_(target_rows))))
    chosen.update(department=depts, project=projects, monitoring_round=rounds, performance_target=targets,
                  target_indicator=target_rows,
                  monitoring_record=records,
                  monitoring_indicator=_ids(s, MonitoringIndicator.id, MonitoringIndicator.record_id.in_(records)),
                  self_evaluation=evals,
                  self_eval_indicator=_ids(s, SelfEvalIndicator.id, SelfEvalIndicator.evaluation_id.in_(evals)),
                  rectification=_ids(s, Rectification.id, Rectification.region_code == township,
                                     or_(Rectification.year.in_(years), Rectification.project_id.in_(projects))))
    owners = [select(m.uuid).where(m.id.in_(chosen[m.__tablename__]))
              for m in (PerformanceTarget, MonitoringRecord, SelfEvaluation, Rectification)]
    chosen["review_opinion"] = (_ids(s, ReviewOpinion.id, or_(*(ReviewOpinion.record_uuid.in_(o) for o in owners)))
                                if direction == DOWN else [])
    chosen["attachment"] = _ids(s, Attachment.id, or_(*(Attachment.owner_uuid.in_(o) for o in owners)))
    return {name: chosen[name] for name in KINDS if chosen.get(name)}


def uuid_maps(s, tables: Iterable[Table]) -> dict[str, dict[int, str]]:
    """id → uuid of every table referenced."""
    return {t.name: dict(s.execute(select(t.c.id, t.c.uuid)).all()) for t in tables}


def payload(s, name: str, ids: list[int], receiver: str, files: dict[str, bytes]) -> list[dict[str, Any]]:
    """The rows of one kind as package data (references by UUID; an attachment's bytes into `files`)."""
    table = KINDS[name].__table__
    refs = references(table)
    maps = uuid_maps(s, set(refs.values()))
    seen_t = ExchangeSeen.__table__
    seen = dict(s.execute(select(seen_t.c.record_uuid, seen_t.c.version).where(seen_t.c.counterpart_code == receiver,
                                                                              seen_t.c.record_uuid.in_(
                                                                                  select(table.c.uuid).where(
                                                                                      table.c.id.in_(ids))))).all())
    rows = []
    for row in s.execute(select(table).where(table.c.id.in_(ids)).order_by(table.c.id)).mappings():
        data = {c: row[c] for c in compared(table) if not (name == "attachment" and c == CONTENT)}
        for column, target in refs.items():
            data[column] = maps[target.name].get(row[column]) if row[column] is not None else None
        if name == "attachment" and row[CONTENT] is not None:
            files[row["sha256"]] = bytes(row[CONTENT])
        data.update(created_at=row["created_at"], updated_at=row["updated_at"], _v=row["version"],
                    _seen=seen.get(row["uuid"]))
        rows.append(data)
    return rows


def label_of(name: str, data: dict[str, Any]) -> str:
    """A record as people name it: 项目 3701171010001 某项目 — for the conflict list."""
    code = data.get("code") or data.get("seq") or ""
    title = data.get("name") or data.get("object_name") or data.get("level3") or data.get("description") or ""
    return f"{LABELS.get(name, name)} {code} {str(title)[:60]}".strip()


def seen_versions(s, counterpart: str, uuids: Iterable[str]) -> dict[str, Optional[int]]:
    t = ExchangeSeen.__table__
    return dict(s.execute(select(t.c.record_uuid, t.c.version).where(t.c.counterpart_code == counterpart,
                                                                    t.c.record_uuid.in_(list(uuids)))).all())
