"""审核意见 as the printed forms show them (绩效目标申报表, 自评表, 监控表): the workflow kernel keeps
every level's decision as a ReviewOpinion row; a form prints one row per level of the review chain
— 主管部门审核意见, 财政业务科室审核意见, 绩效科批复意见 … — each with that level's latest decision (its
opinion, who, the date), in the order the levels first decided. Only the present round counts: the
decisions after the last 退回修改 / 退回 (a record resubmitted after a return does not print the
earlier round's opinions); a record just returned prints the round that ended in the return, the
return's reason with it. A record decided only without a chain (a database without users: the level
is 审核) prints the single 审核意见, as before users."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import select

from app.services.workflow import APPROVE, FINALIZE, REOPEN_APPROVED, RETURN
from db.models import ReviewOpinion

NO_CHAIN = "审核"  # the level of a decision taken where no review chain applies
SINGLE = "审核意见"
SIGNED_ONLY = (APPROVE.action, FINALIZE.action)  # 批复, 定稿 give no opinion: the 审核意见 is the review before
RETURNS = (RETURN.action, REOPEN_APPROVED.action)  # 退回修改, 退回: each ends a round of decisions


def printed(s, record_uuid: Optional[str], single: Optional[str] = None) -> tuple[tuple[str, str], ...]:
    """(label, text) rows for one record's form. Without chain levels: the single 审核意见 — `single`
    (the stage's own 审核意见 field) when the stage has one, else the latest review decision (审核通过,
    退回修改, 退回; none: no row)."""
    rows = s.scalars(select(ReviewOpinion).where(ReviewOpinion.record_uuid == record_uuid)
                     .order_by(ReviewOpinion.id)).all() if record_uuid else []
    rows = this_round(rows)
    latest: dict[str, ReviewOpinion] = {}
    for row in rows:  # dicts keep the first position of a key: levels in the order they first decided
        latest[row.level] = row
    if not set(latest) - {NO_CHAIN}:
        if single is not None:
            return ((SINGLE, single),)
        reviews = [row for row in rows if row.action not in SIGNED_ONLY]
        return ((SINGLE, said(reviews[-1])),) if reviews else ()
    return tuple((f"{level}意见", said(row)) for level, row in latest.items())


def this_round(rows: list[ReviewOpinion]) -> list[ReviewOpinion]:
    """The decisions of the present round: those after the last return; when the last decision is
    itself a return, the round it ended (from the return before it)."""
    ends = [n for n, row in enumerate(rows) if row.action in RETURNS]
    if not ends:
        return rows
    if ends[-1] < len(rows) - 1:
        return rows[ends[-1] + 1:]
    return rows[ends[-2] + 1 if len(ends) > 1 else 0:]


def said(row: ReviewOpinion) -> str:
    """审核通过：同意（张主管，2024年3月1日）."""
    opinion = (row.opinion or "").strip()
    body = f"{row.action}：{opinion}" if opinion and opinion != row.action else row.action
    return f"{body}（{row.user}，{_day(row.at)}）"


def _day(at: Optional[datetime]) -> str:
    return f"{at.year}年{at.month}月{at.day}日" if at else ""
