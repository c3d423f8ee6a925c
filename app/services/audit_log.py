"""审计日志, read: who did what, when, to which record, with the values each entry wrote — newest
first, filtered by user, kind of record (the stage), record text and date range. Nothing here
writes: the program neither edits nor deletes an entry.

Only 绩效科 and 只读 users read it (and the local user of a database without users). An entry's
detail is the JSON of the values it wrote ("修改后"); "修改前" is what the record's previous entry
naming the same field wrote, so a change reads 字段 / 修改前 / 修改后."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Iterator, Optional

from sqlalchemy import func, select

from app.domain.agencies import AGENCY_FIELDS, CONTRACT_FIELDS
from app.domain.projects import PROJECT_FIELDS
from app.money import wan_text
from app.rules import roles as R
from app.rules.validation import RejectedError
from app.services.actor import Actor
from app.services.base_data import DEPT_FIELDS, OFFICE_FIELDS, REGION_FIELDS
from app.services.workspace import Workspace
from db.models import Agency, AgencyContract, AuditLog, Department, FinanceOffice, Project, Region

LIMIT = 2000  # entries shown on the page; an export holds every entry the filters keep
READERS = (R.PERFORMANCE, R.READ_ONLY)
REFUSED = "审计日志只有绩效科和只读用户可以查看，请用相应用户登录。"

_LABELS = {Project.label: PROJECT_FIELDS, Agency.label: AGENCY_FIELDS, AgencyContract.label: CONTRACT_FIELDS,
           Department.label: DEPT_FIELDS, Region.label: REGION_FIELDS, FinanceOffice.label: OFFICE_FIELDS}
_COMMON = {"file": "导入文件", "sha256": "文件校验值（SHA-256）", "size": "文件大小（字节）", "from": "来源记录",
           "year": "年度", "总分": "总分", "结果": "结果"}


@dataclass(frozen=True)
class AuditQuery:
    """The page's filters; empty text / None is no filter."""

    user: str = ""
    entity: str = ""  # the kind of record (项目, 绩效目标, 监控记录 …)
    text: str = ""  # contained in the entry's record text (or its record id)
    start: Optional[date] = None
    end: Optional[date] = None  # inclusive


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user: str
    action: str
    entity: str
    summary: str  # which record, and what was done to it, as a sentence
    uuid: str
    values: str  # what it wrote: 项目编码：X；项目名称：Y (the detail pane shows before and after)


@dataclass(frozen=True)
class DetailLine:
    field: str  # in the users' words where known
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


@dataclass(frozen=True)
class AuditView:
    entries: tuple[AuditEntry, ...]
    total: int  # entries the filters keep (the page shows the newest LIMIT)
    users: tuple[str, ...]  # everyone seen in the log, for the filter
    entities: tuple[str, ...]  # every kind of record seen in the log

    @property
    def limited(self) -> bool:
        return self.total > len(self.entries)

    @property
    def note(self) -> str:
        if not self.total:
            return "没有符合条件的记录。"
        if self.limited:
            return f"共{self.total}条，显示最新的前{len(self.entries)}条；请缩小筛选范围，或导出全部。"
        return f"共{self.total}条。"


def may_read(actor: Actor) -> bool:
    return not actor.role or actor.role in READERS


def _check(actor: Actor) -> None:
    if not may_read(actor):
        raise RejectedError(REFUSED)


def _conditions(query: AuditQuery) -> list:
    where = []
    if query.user:
        where.append(AuditLog.user == query.user)
    if query.entity:
        where.append(AuditLog.entity == query.entity)
    text = (query.text or "").strip()
    if text:
        where.append(AuditLog.summary.icontains(text, autoescape=True)
                     | AuditLog.entity_uuid.icontains(text, autoescape=True))
    if query.start is not None:
        where.append(AuditLog.at >= datetime.combine(query.start, time.min))
    if query.end is not None:
        where.append(AuditLog.at < datetime.combine(query.end + timedelta(days=1), time.min))
    return where


def _entry(row) -> AuditEntry:
    values = "；".join("：".join(field_words(row.entity, k, v)) for k, v in _values(row.detail).items())
    return AuditEntry(row.id, row.at, row.user or "", row.action or "", row.entity or "", row.summary or "",
                      row.entity_uuid or "", values)


_COLUMNS = (AuditLog.id, AuditLog.at, AuditLog.user, AuditLog.action, AuditLog.entity, AuditLog.summary,
            AuditLog.entity_uuid, AuditLog.detail)


def read(ws: Workspace, query: AuditQuery = AuditQuery(), limit: int = LIMIT, actor: Optional[Actor] = None) -> AuditView:
    """The newest `limit` entries the filters keep, how many there are, and the filters' choices."""
    _check(actor or ws.actor)
    where = _conditions(query)
    with ws.read() as conn:
        total = conn.execute(select(func.count()).select_from(AuditLog.__table__).where(*where)).scalar() or 0
        rows = conn.execute(select(*_COLUMNS).where(*where).order_by(AuditLog.at.desc(), AuditLog.id.desc())
                            .limit(limit)).all()
        users = conn.execute(select(AuditLog.user).distinct().order_by(AuditLog.user)).scalars().all()
        entities = conn.execute(select(AuditLog.entity).distinct().order_by(AuditLog.entity)).scalars().all()
    return AuditView(tuple(_entry(r) for r in rows), total, tuple(u for u in users if u),
                     tuple(e for e in entities if e))


def every_entry(ws: Workspace, query: AuditQuery, actor: Optional[Actor] = None) -> Iterator[AuditEntry]:
    """Every entry the filters keep, newest first (for the export), read in batches."""
    _check(actor or ws.actor)
    with ws.read() as conn:
        result = conn.execution_options(yield_per=1000).execute(
            select(*_COLUMNS).where(*_conditions(query)).order_by(AuditLog.at.desc(), AuditLog.id.desc()))
        for row in result:
            yield _entry(row)


def _values(detail: Optional[str]) -> dict[str, Any]:
    try:
        loaded = json.loads(detail) if detail else {}
    except ValueError:
        return {"内容": detail}
    return loaded if isinstance(loaded, dict) else {"内容": loaded}


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def field_words(entity: str, key: str, value: Any) -> tuple[str, str]:
    """(the field's words, the value shown): amounts kept in fen are shown in 万元 as the label says."""
    label = _label(entity, key)
    if "（万元）" in label and isinstance(value, int) and not isinstance(value, bool):
        return label, wan_text(value)
    return label, _shown(value)


def _label(entity: str, key: str) -> str:
    for spec in _LABELS.get(entity, ()):
        if spec.key == key:
            return spec.label
    return _COMMON.get(key, key)


def detail(ws: Workspace, entry_id: int, actor: Optional[Actor] = None) -> tuple[DetailLine, ...]:
    """The values an entry wrote, each with what the record's previous entry wrote for that field.
    A value stored as {"before": …, "after": …} (or {"old": …, "new": …}) is shown as it is."""
    _check(actor or ws.actor)
    with ws.read() as conn:
        row = conn.execute(select(*_COLUMNS).where(AuditLog.id == entry_id)).first()
        if row is None:
            raise RejectedError("没有找到这条审计记录。")
        earlier: list[dict[str, Any]] = []
        if row.entity_uuid:
            earlier = [_values(d) for d in conn.execute(
                select(AuditLog.detail).where(AuditLog.entity_uuid == row.entity_uuid, AuditLog.id < row.id,
                                              AuditLog.detail.is_not(None))
                .order_by(AuditLog.id.desc())).scalars()]
    lines = []
    for key, value in _values(row.detail).items():
        if isinstance(value, dict) and ({"before", "after"} <= value.keys() or {"old", "new"} <= value.keys()):
            before, after = value.get("before", value.get("old")), value.get("after", value.get("new"))
        else:
            before = next((values[key] for values in earlier if key in values), None)
            after = value
        label, after_text = field_words(row.entity, key, after)
        lines.append(DetailLine(label, field_words(row.entity, key, before)[1], after_text))
    return tuple(lines)


def export(ws: Workspace, query: AuditQuery, path, job=None, actor: Optional[Actor] = None) -> int:
    """Every entry the filters keep into an xlsx (app.io.audit_io); the number written."""
    from app.io.audit_io import render_audit

    actor = actor or ws.actor
    _check(actor)
    total = read(ws, query, limit=0, actor=actor).total
    return render_audit(every_entry(ws, query, actor), path, filters=describe(query), total=total, job=job)


def describe(query: AuditQuery) -> str:
    """The filters in a line for the exported sheet: 用户：张三；日期：2024-01-01 至 2024-03-31."""
    said = []
    if query.user:
        said.append(f"用户：{query.user}")
    if query.entity:
        said.append(f"记录类型：{query.entity}")
    if query.text.strip():
        said.append(f"记录包含：{query.text.strip()}")
    if query.start or query.end:
        said.append(f"日期：{query.start or '最早'} 至 {query.end or '今天'}")
    return "；".join(said) or "全部记录"
