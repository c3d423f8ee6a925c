"""运行监控 (双监控): rounds, one record per project, one row per indicator."""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Exchangeable, Fen, LongText


class MonitoringRound(Exchangeable, Base):
    """监控批次, e.g. 1-8月 with its cut-off month."""

    __tablename__ = "monitoring_round"
    __table_args__ = (UniqueConstraint("region_code", "year", "cutoff_month"),)
    label = "监控批次"

    year: Mapped[int] = mapped_column(index=True)
    name: Mapped[str] = mapped_column(String(50))
    cutoff_month: Mapped[int]
    deadline: Mapped[Optional[date]] = mapped_column(nullable=True)  # 报送截止日期
    kind: Mapped[str] = mapped_column(String(10), default="全面")  # 全面 / 重点
    status: Mapped[str] = mapped_column(String(10), default="进行中")
    rule_pack_version: Mapped[Optional[int]] = mapped_column(nullable=True)


class MonitoringRecord(Exchangeable, Base):
    __tablename__ = "monitoring_record"
    __table_args__ = (UniqueConstraint("round_id", "project_id"),)
    label = "监控记录"

    round_id: Mapped[int] = mapped_column(ForeignKey("monitoring_round.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), index=True)
    budget_fen: Mapped[int] = Fen()  # 全年预算数 at the round
    executed_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 截至执行数
    projected_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 全年预计执行数
    has_target: Mapped[bool] = mapped_column(default=False)
    is_key: Mapped[bool] = mapped_column(default=False)  # 重点监控, confirmed by the bureau
    overall: Mapped[Optional[str]] = LongText()  # 目标执行总体情况
    likelihood: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)
    budget_cause: Mapped[Optional[str]] = LongText()
    status: Mapped[str] = mapped_column(String(10), default="草稿")  # 草稿 / 已提交 / 审核通过 / 退回修改
    review_level: Mapped[int] = mapped_column(default=0, server_default="0")  # 已提交: the chain level now reviewing
    review_opinion: Mapped[Optional[str]] = LongText()  # 审核意见 (required on 退回)

    indicators: Mapped[list["MonitoringIndicator"]] = relationship(cascade="all, delete-orphan")


class MonitoringIndicator(Exchangeable, Base):
    __tablename__ = "monitoring_indicator"
    label = "监控指标"

    record_id: Mapped[int] = mapped_column(ForeignKey("monitoring_record.id", ondelete="CASCADE"), index=True)
    target_indicator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("target_indicator.id", ondelete="SET NULL"), nullable=True)
    level3: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(4))
    target_value: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 全年目标值
    unit: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)
    completed_value: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 截至完成值
    projected_value: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 全年预计完成值
    deviation_class: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 经费保障 …
    deviation_note: Mapped[Optional[str]] = LongText()
    likelihood: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 确定能/有可能/完全不可能
    measures: Mapped[Optional[str]] = LongText()  # 纠偏措施
    needs_rectification: Mapped[bool] = mapped_column(default=False)
    rectification_requirement: Mapped[Optional[str]] = LongText()
    rectification_result: Mapped[Optional[str]] = LongText()
