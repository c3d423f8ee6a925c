"""Records every stage shares: 规则方案, 审计日志, 附件, settings, and the figures a county reported."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable, Fen, LongText, now
from db.types import DecimalText, Scaled


class RulePack(Exchangeable, Base):
    """规则方案: every threshold, weight and band, versioned; scores record the version they used."""

    __tablename__ = "rule_pack"
    __table_args__ = (UniqueConstraint("name", "pack_version"),)
    label = "规则方案"

    name: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[int]
    content: Mapped[str] = mapped_column(Text)  # JSON
    is_active: Mapped[bool] = mapped_column(default=False)
    note: Mapped[Optional[str]] = LongText()


class AuditLog(Base):
    """Who changed what, when. Never edited, never exchanged."""

    __tablename__ = "audit_log"
    label = "审计日志"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(20))  # 新增 / 修改 / 删除 / 导入 / 提交 / 审核 …
    entity: Mapped[str] = mapped_column(String(50))  # the record kind's Chinese label
    entity_uuid: Mapped[Optional[str]] = mapped_column(String(36), nullable=True, index=True)
    summary: Mapped[str] = mapped_column(Text)
    detail: Mapped[Optional[str]] = LongText()  # JSON of changed fields


class Setting(Base):
    """Program settings kept with the data (e.g. the year last opened)."""

    __tablename__ = "setting"
    label = "设置"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Attachment(Exchangeable, Base):
    """佐证材料: a file attached to any record, identified by the record's kind and UUID."""

    __tablename__ = "attachment"
    label = "附件"

    owner_kind: Mapped[str] = mapped_column(String(50), index=True)
    owner_uuid: Mapped[str] = mapped_column(String(36), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    content: Mapped[Optional[bytes]] = mapped_column(nullable=True)
    note: Mapped[Optional[str]] = LongText()


class Agency(Exchangeable, Base):
    """第三方机构 with its 执业质量考核 result."""

    __tablename__ = "agency"
    label = "第三方机构"

    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 评价 / 评估 / 评审
    contract: Mapped[Optional[str]] = LongText()
    quality_scores: Mapped[Optional[str]] = LongText()  # JSON: 基础管理, 服务质量, 档案管理 …
    quality_result: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 优秀 / …
    credit_code: Mapped[Optional[str]] = mapped_column(String(18), nullable=True)  # 统一社会信用代码
    contact: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    phone: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)
    note: Mapped[Optional[str]] = LongText()


class AgencyContract(Exchangeable, Base):
    """A 第三方机构's contract: amount, period and what it covers (the evaluations name the agency)."""

    __tablename__ = "agency_contract"
    label = "委托合同"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    amount_fen: Mapped[Optional[int]] = Fen(nullable=True)
    start: Mapped[Optional[date]] = mapped_column(nullable=True)
    finish: Mapped[Optional[date]] = mapped_column(nullable=True)
    scope: Mapped[Optional[str]] = LongText()


class AgencyAssessment(Exchangeable, Base):
    """The yearly 执业质量考核 of a 第三方机构 (和硕's six aspects, points from the pack)."""

    __tablename__ = "agency_assessment"
    label = "执业质量考核"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(index=True)
    scores: Mapped[str] = mapped_column(Text)  # JSON: aspect → score (text, Decimal)
    total_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    result: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 优秀 / 良好 / 合格 / 不合格
    opinion: Mapped[Optional[str]] = LongText()
    note: Mapped[Optional[str]] = LongText()


class Training(Exchangeable, Base):
    """培训: one session (培训日期, 培训主题, 主办单位, 参训人次, 参训单位) — or, with no date, a year's
    summary as a report gave it (`sessions` 次, `attendees` 人次); the year report counts both."""

    __tablename__ = "training"
    label = "培训"

    year: Mapped[int] = mapped_column(index=True)
    held_on: Mapped[Optional[date]] = mapped_column(nullable=True)  # 培训日期; none: a summary row
    title: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)  # 培训主题
    organiser: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)  # 主办单位
    units: Mapped[Optional[str]] = LongText()  # 参训单位
    sessions: Mapped[int] = mapped_column(default=1)
    attendees: Mapped[int] = mapped_column(default=0)
    note: Mapped[Optional[str]] = LongText()


class ReportedStat(Exchangeable, Base):
    """上报数: a figure the county holds outside the program (a provincial system, its own year's
    report), kept with its 原文 and 来源, for figures the program does not hold item by item (e.g.
    "5月项目绩效监控130个24,066万元，总体进度46%"; 德惠's 169 一级 projects monitored in the
    province's system). The year's report uses it, marked, where a section has no records."""

    __tablename__ = "reported_stat"
    label = "上报数"

    year: Mapped[int] = mapped_column(index=True)
    stage: Mapped[str] = mapped_column(String(20))
    item: Mapped[str] = mapped_column(String(200))
    count: Mapped[Optional[int]] = mapped_column(nullable=True)
    amount_fen: Mapped[Optional[int]] = Fen(nullable=True)
    rate_pct: Mapped[Optional[object]] = mapped_column(DecimalText, nullable=True)
    text: Mapped[Optional[str]] = LongText()  # 原文: the words the figure was taken from
    source: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)  # 来源: the system or report it came from
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), nullable=True)
