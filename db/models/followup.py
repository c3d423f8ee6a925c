"""整改 and 结果应用: what every finding turns into."""

from __future__ import annotations

from datetime import date
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable, Fen, LongText


class SourceLinks:
    """Where a rectification or a result use comes from; at most one link is set."""

    source: Mapped[str] = mapped_column(String(20))  # 监控/自评/重点评价/事前评估/真实性核查/审计
    key_evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("key_evaluation.id", ondelete="RESTRICT"), nullable=True)
    self_evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("self_evaluation.id", ondelete="RESTRICT"), nullable=True)
    monitoring_record_id: Mapped[Optional[int]] = mapped_column(ForeignKey("monitoring_record.id", ondelete="RESTRICT"), nullable=True)
    exante_id: Mapped[Optional[int]] = mapped_column(ForeignKey("exante_assessment.id", ondelete="RESTRICT"), nullable=True)
    verification_item_id: Mapped[Optional[int]] = mapped_column(ForeignKey("verification_item.id", ondelete="RESTRICT"), nullable=True)
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), nullable=True, index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), nullable=True, index=True)


class Rectification(Exchangeable, SourceLinks, Base):
    """整改事项 with its deadline, measures, progress and 财政核验."""

    __tablename__ = "rectification"
    label = "整改事项"

    year: Mapped[int] = mapped_column(index=True)
    category: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 立项/绩效目标/资金投入 …
    description: Mapped[str] = mapped_column(Text)
    requirement: Mapped[Optional[str]] = LongText()
    responsible: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)  # 责任单位 as text
    feedback_date: Mapped[Optional[date]] = mapped_column(nullable=True)
    deadline: Mapped[Optional[date]] = mapped_column(nullable=True)
    measures: Mapped[Optional[str]] = LongText()
    progress: Mapped[Optional[str]] = LongText()
    completed_on: Mapped[Optional[date]] = mapped_column(nullable=True)
    verify_result: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 通过 / 未通过
    verifier: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    verified_on: Mapped[Optional[date]] = mapped_column(nullable=True)
    closed: Mapped[bool] = mapped_column(default=False)  # 销号
    status: Mapped[str] = mapped_column(String(10), default="待整改")
    note: Mapped[Optional[str]] = LongText()
    verify_opinion: Mapped[Optional[str]] = LongText()  # 核验意见 (required when 未通过)
    source_ref: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)  # 来源编号 as the office numbers it


class ResultApplication(Exchangeable, SourceLinks, Base):
    """结果应用: 调减/取消/收回/暂停拨付/优先保障/通报/公开/报人大."""

    __tablename__ = "result_application"
    label = "结果应用"

    year: Mapped[int] = mapped_column(index=True)
    object_name: Mapped[str] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(20))
    amount_fen: Mapped[Optional[int]] = Fen(nullable=True)
    count: Mapped[Optional[int]] = mapped_column(nullable=True)
    affect_year: Mapped[Optional[int]] = mapped_column(nullable=True)
    explanation: Mapped[Optional[str]] = LongText()
    execution: Mapped[Optional[str]] = LongText()
    note: Mapped[Optional[str]] = LongText()
