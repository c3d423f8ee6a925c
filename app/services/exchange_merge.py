"""Merging a package's records into this database, in the caller's one transaction.

For each incoming record (by UUID), with `_v` its version there and `_seen` the version of our copy
the sender last imported from us:
- not here: 新增;
- the same content here: 无变化;
- changed there since we last imported it (`_v` ≠ the version we saw) and not here since the
  sender saw ours (our version = `_seen`): 更新;
- changed only here: 保留本地 (counted as unchanged; ours goes back with our next package);
- changed on both sides: 冲突 — each differing field waits in exchange_conflict, shown side by
  side, and the local value stands until a person chooses.
A second import of the same package finds every record as it left it: nothing changes. Packages of
different townships touch different records, so they merge in any order to the same result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update

from app.rules.validation import RejectedError
from app.services.exchange_records import (
    CONTENT, KINDS, LABELS, ORDER, compared, label_of, references, seen_versions,
)
from db.models import ExchangeConflict, ExchangeSeen

NEW, UPDATED, UNCHANGED, CONFLICT = "新增", "更新", "无变化", "冲突"


@dataclass
class MergeCounts:
    """Per kind (its Chinese label): how many records were new, updated, unchanged, in conflict."""

    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, kind: str, outcome: str) -> None:
        counts = self.by_kind.setdefault(LABELS.get(kind, kind), {NEW: 0, UPDATED: 0, UNCHANGED: 0, CONFLICT: 0})
        counts[outcome] += 1

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.by_kind.values())

    def sentence(self) -> str:
        return "，".join(f"{o}{self.total(o)}条" for o in (NEW, UPDATED, UNCHANGED, CONFLICT))


def _json(value: Any) -> str:
    from app.io.package_json import dumps_value

    return dumps_value(value)


def _local_ids(s, table, uuids: list[str]) -> dict[str, int]:
    return dict(s.execute(select(table.c.uuid, table.c.id).where(table.c.uuid.in_(uuids))).all()) if uuids else {}


def merge(s, records: dict[str, list[dict]], files: dict[str, bytes], counterpart: str, package_file: str) -> MergeCounts:
    counts = MergeCounts()
    for model in ORDER:
        name = model.__tablename__
        rows = records.get(name) or []
        if rows and name == "rule_pack":
            _merge_rule_packs(s, rows, counts)
        elif rows:
            _merge_kind(s, name, rows, files, counterpart, package_file, counts)
    return counts


def _merge_kind(s, name: str, rows: list[dict], files: dict[str, bytes], counterpart: str, package_file: str,
                counts: MergeCounts) -> None:
    table = KINDS[name].__table__
    refs = references(table)
    wanted = {col: sorted({r[col] for r in rows if r.get(col)}) for col in refs}
    ids = {col: _local_ids(s, refs[col], uuids) for col, uuids in wanted.items()}
    for col, uuids in wanted.items():
        missing = [u for u in uuids if u not in ids[col]]
        if missing:
            raise RejectedError(f"数据包中的{LABELS.get(name, name)}引用了本库没有的{refs[col].name}记录（{len(missing)}条），"
                                "请先导入对方更早的数据包，或请对方一并导出相关年度。数据库未作任何改动。")
    uuids = [r["uuid"] for r in rows]
    local = {row["uuid"]: dict(row) for row in s.execute(select(table).where(table.c.uuid.in_(uuids))).mappings()}
    seen = seen_versions(s, counterpart, uuids)
    ours = _local_versions(s, counterpart, uuids)
    columns = compared(table)
    new_rows, seen_rows = [], []
    for incoming in rows:
        values = {c: incoming.get(c) for c in columns if not (name == "attachment" and c == CONTENT)}
        for col in refs:
            values[col] = ids[col].get(incoming.get(col)) if incoming.get(col) else None
        if name == "attachment":
            values[CONTENT] = files.get(incoming.get("sha256"))
        here = local.get(incoming["uuid"])
        if here is None:
            new_rows.append({**values, "created_at": incoming.get("created_at"), "updated_at": incoming.get("updated_at"),
                             "version": 1})
            counts.add(name, NEW)
            seen_rows.append({**incoming, "_local": 1})
            continue
        differ = [c for c in values if c != "uuid" and _normal(values[c]) != _normal(here.get(c))]
        there_changed = incoming["_v"] != seen.get(incoming["uuid"])
        # ours is unchanged since the sender saw it, or since we last took the sender's version
        here_changed = here["version"] not in (incoming.get("_seen"), ours.get(incoming["uuid"]))
        if not differ:
            counts.add(name, UNCHANGED)
            seen_rows.append({**incoming, "_local": here["version"]})
        elif not there_changed:
            counts.add(name, UNCHANGED)  # changed only here: ours stands and goes back next time
        elif not here_changed:
            s.execute(update(table).where(table.c.id == here["id"]).values(
                **{c: values[c] for c in differ}, version=here["version"] + 1, updated_at=incoming.get("updated_at")))
            counts.add(name, UPDATED)
            seen_rows.append({**incoming, "_local": here["version"] + 1})
        else:
            _conflict(s, name, here, values, differ, incoming, counterpart, package_file)
            counts.add(name, CONFLICT)
    if new_rows:
        s.execute(insert(table), new_rows)
    _remember(s, counterpart, seen_rows)


def _merge_rule_packs(s, rows: list[dict], counts: MergeCounts) -> None:
    """The county's active 规则方案 becomes this township's: matched by name and version (each
    database starts with the shipped pack under its own UUID), its content taken, and made active."""
    t = KINDS["rule_pack"].__table__
    for incoming in rows:
        here = s.execute(select(t).where(t.c.name == incoming["name"], t.c.pack_version == incoming["pack_version"])
                         ).mappings().first()
        if here is None:
            s.execute(insert(t).values(**{k: incoming[k] for k in compared(t) if k in incoming},
                                       created_at=incoming.get("created_at"), updated_at=incoming.get("updated_at"),
                                       version=1))
            counts.add("rule_pack", NEW)
        elif (here["content"], here["is_active"]) != (incoming["content"], incoming["is_active"]):
            s.execute(update(t).where(t.c.id == here["id"]).values(content=incoming["content"],
                                                                   is_active=incoming["is_active"],
                                                                   version=here["version"] + 1))
            counts.add("rule_pack", UPDATED)
        else:
            counts.add("rule_pack", UNCHANGED)
        if incoming["is_active"]:
            s.execute(update(t).where(or_(t.c.name != incoming["name"], t.c.pack_version != incoming["pack_version"]),
                                      t.c.is_active.is_(True)).values(is_active=False))


def _normal(value: Any) -> Any:
    return bytes(value) if isinstance(value, memoryview) else value


def _conflict(s, name, here, values, differ, incoming, counterpart, package_file) -> None:
    c = ExchangeConflict.__table__
    waiting = {(f, v) for f, v in s.execute(select(c.c.field, c.c.incoming_version).where(
        c.c.record_uuid == incoming["uuid"], c.c.counterpart_code == counterpart, c.c.status == "待处理")).all()}
    label = label_of(name, here)  # the record as it reads here (the incoming side is in 来件值)
    rows = [dict(counterpart_code=counterpart, kind=name, record_uuid=incoming["uuid"], record_label=label, field=f,
                 local_value=_json(_readable(here.get(f), f, name)), incoming_value=_json(_readable(values[f], f, name)),
                 incoming_version=incoming["_v"], package_file=package_file, status="待处理")
            for f in differ if (f, incoming["_v"]) not in waiting]
    if rows:
        s.execute(insert(c), rows)


def _readable(value: Any, field_name: str, kind: str) -> Any:
    return f"<{len(value)}字节>" if field_name == CONTENT and value is not None else _normal(value)


def _local_versions(s, counterpart: str, uuids: list[str]) -> dict[str, int]:
    """Our copy's version right after we last took the counterpart's version of each record."""
    t = ExchangeSeen.__table__
    return dict(s.execute(select(t.c.record_uuid, t.c.local_version).where(
        t.c.counterpart_code == counterpart, t.c.record_uuid.in_(uuids), t.c.local_version.is_not(None))).all())


def _remember(s, counterpart: str, rows: list[dict]) -> None:
    """The versions we have now seen of the counterpart's records, and ours after taking them
    (`_local`; None: not known). Written only where they moved (a second import writes nothing)."""
    if not rows:
        return
    t = ExchangeSeen.__table__
    held = {u: (v, lv) for u, v, lv in s.execute(select(t.c.record_uuid, t.c.version, t.c.local_version).where(
        t.c.counterpart_code == counterpart, t.c.record_uuid.in_([r["uuid"] for r in rows])))}
    fresh = [dict(counterpart_code=counterpart, record_uuid=r["uuid"], version=r["_v"], local_version=r.get("_local"))
             for r in rows if r["uuid"] not in held]
    moved = [{"_uuid": r["uuid"], "_version": r["_v"], "_local": r.get("_local")} for r in rows
             if r["uuid"] in held and held[r["uuid"]] != (r["_v"], r.get("_local"))]
    if moved:
        s.execute(update(t).where(t.c.counterpart_code == counterpart, t.c.record_uuid == bindparam("_uuid"))
                  .values(version=bindparam("_version"), local_version=bindparam("_local")), moved)
    if fresh:
        s.execute(insert(t), fresh)


def resolve(s, conflict_id: int, take_incoming: bool, user: str) -> None:
    """A person's choice for one field: the incoming value written (or the local one kept); when the
    record has no field left waiting, its incoming version counts as seen."""
    c = ExchangeConflict.__table__
    row = s.execute(select(c).where(c.c.id == conflict_id)).mappings().first()
    if row is None or row["status"] != "待处理":
        raise RejectedError("这条冲突已处理或已不存在，请刷新列表。")
    table = KINDS[row["kind"]].__table__
    if take_incoming:
        value = _loads(row["incoming_value"])
        current = s.execute(select(table.c.id, table.c.version).where(table.c.uuid == row["record_uuid"])).first()
        if current is None:
            raise RejectedError("冲突所在的记录已被删除。")
        s.execute(update(table).where(table.c.id == current.id).values({row["field"]: value,
                                                                       "version": current.version + 1}))
    s.execute(update(c).where(c.c.id == conflict_id).values(status="已处理", chosen="来件" if take_incoming else "本地",
                                                             resolved_by=user))
    left = s.scalar(select(c.c.id).where(c.c.record_uuid == row["record_uuid"], c.c.status == "待处理").limit(1))
    if left is None:
        _remember(s, row["counterpart_code"], [{"uuid": row["record_uuid"], "_v": row["incoming_version"]}])


def _loads(text: str) -> Any:
    from app.io.package_json import loads_value

    return loads_value(text)
