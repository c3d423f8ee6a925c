"""县乡数据交换 by file: a township exports its records to its county (上报), the county its rule pack,
library, rounds and review results to a township (下发); the other side imports the signed package.

    exchange.export_package(ws, "429005101", [2023], path)    # → ExportResult
    exchange.import_package(ws, path, dry_run=True)            # → ImportResult (counts; nothing written)

An import is refused whole, the database untouched, when the package is unsigned, signed by a key
not registered, altered, damaged, from a newer format (app.io.package), not addressed to this
database, from a region that is neither a township of this county nor this township's county, or
signed by a key registered for another region. Otherwise the merge runs in one transaction
(app.services.exchange_merge) and the exchange is logged."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from app import changes
from app.io import package as P
from app.rules.validation import RejectedError
from app.services import exchange_keys, guard
from app.services.actor import Actor
from app.services.exchange_merge import MergeCounts, merge
from app.services.exchange_records import DOWN, UP, payload, selection
from app.services.workspace import Workspace
from db.models import ExchangeLog, Region, TrustedKey

log = logging.getLogger(__name__)

UNTOUCHED = "数据库未作任何改动。"


@dataclass(frozen=True)
class ExportResult:
    path: Path
    direction: str
    counterpart: str
    counts: dict[str, int]

    @property
    def sentence(self) -> str:
        total = sum(self.counts.values())
        return f"已生成{self.direction}数据包（{total}条记录）：{self.path}"


@dataclass(frozen=True)
class ImportResult:
    producer_code: str
    producer_name: str
    counts: MergeCounts
    dry_run: bool

    @property
    def sentence(self) -> str:
        head = "预览（未写入）" if self.dry_run else "已导入"
        tail = "；有冲突的记录保留本地值，等待处理（exchange conflicts 或 数据交换 页面）。" if self.counts.total("冲突") else "。"
        return f"{head}[{self.producer_code}]{self.producer_name}的数据包：{self.counts.sentence()}{tail}"


def _region(s, code: str) -> Optional[Region]:
    return s.scalars(select(Region).where(Region.code == code)).first()


def relation(s, home_code: str, other: str) -> Optional[str]:
    """UP when `other` is this township's county, DOWN when it is a township of this county."""
    home, there = _region(s, home_code), _region(s, other)
    if home is not None and home.parent_code == other:
        return UP
    if there is not None and there.parent_code == home_code:
        return DOWN
    return None


def _log(s, actor: Actor, direction: str, code: str, name: str, manifest: P.Manifest, file_name: str, sha256: str,
         counts: dict) -> None:
    s.execute(insert(ExchangeLog.__table__).values(
        user=actor.name, direction=direction, counterpart_code=code, counterpart_name=name,
        package_id=manifest.package_id, file_name=file_name, sha256=sha256,
        years="、".join(str(y) for y in manifest.years), counts=json.dumps(counts, ensure_ascii=False)))


def export_package(ws: Workspace, to_code: str, years: Iterable[int], path, actor: Optional[Actor] = None) -> ExportResult:
    from app import __version__

    actor = actor or ws.actor
    guard.permit(actor, guard.EXCHANGE, "导出")
    years = sorted({int(y) for y in years})
    if not years:
        raise RejectedError("请选择要交换的年度。")
    home = ws.home_region()
    private, _public, _fp = exchange_keys.own_key(ws)
    files: dict[str, bytes] = {}
    with ws.session() as s:
        direction = relation(s, home, to_code)
        if direction is None:
            raise RejectedError(f"区划“{to_code}”既不是本县的乡镇，也不是本乡镇的上级县，不能向它导出数据包。")
        township = home if direction == UP else to_code
        records = {name: payload(s, name, ids, to_code, files)
                   for name, ids in selection(s, DOWN if direction == DOWN else UP, township, years).items()}
        me, them = _region(s, home), _region(s, to_code)
        manifest = P.write_package(path, producer_code=home, producer_name=me.name if me else home, target_code=to_code,
                                   target_name=them.name if them else to_code, years=years,
                                   program_version=__version__, records=records, files=files, private_key=private)
        digest = _sha256(path)
        counts = {name: len(rows) for name, rows in records.items()}
        _log(s, actor, f"导出（{direction}）", to_code, them.name if them else to_code, manifest, Path(path).name, digest,
             counts)
        changes.note(s, "exchange")  # the 数据交换 page's log
    return ExportResult(Path(path), direction, to_code, counts)


def _sha256(path) -> str:
    import hashlib

    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def import_package(ws: Workspace, path, dry_run: bool = False, actor: Optional[Actor] = None,
                   job=None) -> ImportResult:
    actor = actor or ws.actor
    guard.permit(actor, guard.EXCHANGE, "导入")
    package = P.read_package(path, exchange_keys.trusted(ws), job)  # PackageRefused says which
    m = package.manifest
    home = ws.home_region()
    if m.target_code != home:
        raise RejectedError(f"这个数据包是发给[{m.target_code}]{m.target_name}的，不是本数据库（{home}），不能导入。{UNTOUCHED}")
    try:
        return _merge_package(ws, package, path, dry_run, actor)
    except IntegrityError as exc:  # both sides made the same record on their own (e.g. one project's 监控表 twice)
        log.warning("exchange import %s refused: %s", Path(path).name, exc)
        raise RejectedError(f"数据包中有记录与本库已有的另一条记录重复（双方各自为同一项目新建了同一份表，如同一监控批次的"
                            f"监控表），未导入任何数据，{UNTOUCHED}请保留双方中的一份后重新导出、导入；详情见日志。") from None


def _merge_package(ws: Workspace, package, path, dry_run: bool, actor: Actor) -> ImportResult:
    m, home = package.manifest, ws.home_region()
    with ws.session() as s:
        if relation(s, home, m.producer_code) is None:
            raise RejectedError(f"数据包来自[{m.producer_code}]{m.producer_name}，它既不是本县的乡镇，也不是本乡镇的上级县，"
                                f"不能导入。{UNTOUCHED}")
        owner = s.scalars(select(TrustedKey.region_code).where(TrustedKey.fingerprint == m.signer)).first()
        if owner != m.producer_code:
            raise RejectedError(f"数据包声称来自[{m.producer_code}]{m.producer_name}，但签名的公钥登记在[{owner}]名下，"
                                f"不能导入。{UNTOUCHED}")
        counts = merge(s, package.records, package.files, m.producer_code, Path(path).name)
        if dry_run:
            s.rollback()
        else:
            _log(s, actor, "导入", m.producer_code, m.producer_name, m, Path(path).name, package.sha256,
                 {k: dict(v) for k, v in counts.by_kind.items()})
            changes.note(s, changes.EVERYTHING)
    return ImportResult(m.producer_code, m.producer_name, counts, dry_run)


def resolve_conflict(ws: Workspace, conflict_id: int, take_incoming: bool, actor: Optional[Actor] = None) -> None:
    """A person's choice for one field in conflict: 来件 (the other side's value) or 本地 (ours kept)."""
    from app.services.exchange_merge import resolve

    actor = actor or ws.actor
    guard.permit(actor, guard.EXCHANGE, "处理冲突")
    with ws.session() as s:
        resolve(s, conflict_id, take_incoming, actor.name)
        changes.note(s, changes.EVERYTHING)


@dataclass(frozen=True)
class ConflictRow:
    conflict_id: int
    region: str  # [370117101]艾山街道
    kind: str  # 项目
    record: str  # its code and name
    field: str  # in the users' words (项目名称)
    local_value: str
    incoming_value: str
    package_file: str


def conflicts(ws: Workspace) -> list[ConflictRow]:
    """What waits for a person: one row per field changed on both sides (待处理), by region and record."""
    from app.io.package_json import loads_value
    from app.services.audit_log import field_words
    from app.services.exchange_records import KINDS, LABELS
    from db.models import ExchangeConflict

    c = ExchangeConflict.__table__
    with ws.read() as conn:
        names = dict(conn.execute(select(Region.__table__.c.code, Region.__table__.c.name)).all())
        rows = conn.execute(select(c).where(c.c.status == "待处理").order_by(c.c.counterpart_code, c.c.record_label,
                                                                          c.c.id)).mappings().all()
    out = []
    for r in rows:
        entity = KINDS[r["kind"]].label if r["kind"] in KINDS else r["kind"]
        label, local = field_words(entity, r["field"], loads_value(r["local_value"]))
        incoming = field_words(entity, r["field"], loads_value(r["incoming_value"]))[1]
        out.append(ConflictRow(r["id"], f"[{r['counterpart_code']}]{names.get(r['counterpart_code'], '')}",
                               LABELS.get(r["kind"], r["kind"]), r["record_label"], label, local, incoming,
                               r["package_file"]))
    return out


@dataclass(frozen=True)
class Counterpart:
    code: str
    name: str
    direction: str  # 上报 (to this township's county) / 下发 (to a township of this county)

    @property
    def title(self) -> str:
        return f"[{self.code}]{self.name}（{self.direction}）"


def counterparts(ws: Workspace) -> list[Counterpart]:
    """Where this database can send a package: this county's townships (下发), or this township's
    county (上报)."""
    home = ws.home_region()
    r = Region.__table__
    with ws.read() as conn:
        me = conn.execute(select(r.c.parent_code).where(r.c.code == home)).first()
        out = []
        if me is not None and me.parent_code:
            name = conn.execute(select(r.c.name).where(r.c.code == me.parent_code)).scalar()
            out.append(Counterpart(me.parent_code, name or me.parent_code, UP))
        out += [Counterpart(code, name, DOWN) for code, name in conn.execute(
            select(r.c.code, r.c.name).where(r.c.parent_code == home).order_by(r.c.code))]
    return out


@dataclass(frozen=True)
class OwnKey:
    region_code: str
    region_name: str
    fingerprint: str  # "" in a read-only database that has no key yet


def own_summary(ws: Workspace) -> OwnKey:
    """This database's region and its key's fingerprint (the key made the first time, unless the
    database is open read-only)."""
    from db.models import ExchangeKey

    home = ws.home_region()
    k, r = ExchangeKey.__table__, Region.__table__
    with ws.read() as conn:
        name = conn.execute(select(r.c.name).where(r.c.code == home)).scalar()
        fingerprint = conn.execute(select(k.c.fingerprint).order_by(k.c.id)).scalar()
    if fingerprint is None and not ws.read_only:
        fingerprint = exchange_keys.own_key(ws)[2]
    return OwnKey(home, name or home, fingerprint or "")


@dataclass(frozen=True)
class LogRow:
    id: int
    at: object  # datetime
    user: str
    direction: str  # 导出（上报） / 导出（下发） / 导入
    counterpart: str  # [code]name
    file_name: str
    records: int  # records in the package (an export), or merged (an import: every outcome)
    years: str

    @property
    def when(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M}"


def _records(counts: Optional[str]) -> int:
    try:
        data = json.loads(counts or "{}")
    except ValueError:
        return 0
    return sum(sum(v.values()) if isinstance(v, dict) else int(v) for v in data.values())


def log_rows(ws: Workspace, limit: int = 500) -> list[LogRow]:
    """The exchanges recorded here, newest first."""
    t = ExchangeLog.__table__
    with ws.read() as conn:
        rows = conn.execute(select(t.c.id, t.c.at, t.c.user, t.c.direction, t.c.counterpart_code, t.c.counterpart_name,
                                   t.c.file_name, t.c.counts, t.c.years)
                            .order_by(t.c.at.desc(), t.c.id.desc()).limit(limit)).mappings().all()
    return [LogRow(r["id"], r["at"], r["user"], r["direction"], f"[{r['counterpart_code']}]{r['counterpart_name']}",
                   r["file_name"], _records(r["counts"]), r["years"]) for r in rows]
