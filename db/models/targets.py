"""指标库 and 绩效目标 (project-year or department-year), with review and kept versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Exchangeable, Fen, LongText
from db.types import DecimalText, Scaled


class IndicatorFields:
    """The indicator row as every stage writes it: 一级/二级/三级, 指标性质, 指标值, 计量单位, 分值."""

    level1: Mapped[str] = mapped_column(String(20))  # 产出 / 效益 / 满意度 (/ 履职效能 / 管理效率)
    level2: Mapped[str] = mapped_column(String(30))  # 数量 / 质量 / 时效 / 成本 / 社会效益 …
    level3: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(4))  # ≥ / ≤ / = / 定性
    unit: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)


class LibraryIndicator(Exchangeable, IndicatorFields, Base):
    """指标库 entry, classified 分行业分领域 (or 共性指标)."""

    __tablename__ = "library_indicator"
    label = "指标库指标"

    industry: Mapped[str] = mapped_column(String(30), index=True)  # 教育, 农林水 … / 共性
    scope: Mapped[str] = mapped_column(String(10), default="项目")  # 项目 / 部门整体
    code: Mapped[Optional[str]] = mapped_column(String(40), nullable=True)
    explanation: Mapped[Optional[str]] = LongText()  # 指标解释
    method: Mapped[Optional[str]] = LongText()  # 计算方法或评分标准
    ref_value: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 参考值
    ref_basis: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 历史 / 行业 / 计划标准
    source: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)


class PerformanceTarget(Exchangeable, Base):
    """绩效目标: 项目支出 (project_id) or 部门整体支出 (department_id) for a 年度."""

    __tablename__ = "performance_target"
    label = "绩效目标"

    year: Mapped[int] = mapped_column(index=True)
    kind: Mapped[str] = mapped_column(String(10))  # 项目支出 / 部门整体支出
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), nullable=True, index=True)
    department_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), nullable=True, index=True)
    total_funds_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 年度资金总额
    fiscal_fen: Mapped[Optional[int]] = Fen(nullable=True)
    other_fen: Mapped[Optional[int]] = Fen(nullable=True)
    overall_goal: Mapped[Optional[str]] = LongText()  # 总体目标（中长期）
    annual_goal: Mapped[Optional[str]] = LongText()  # 年度目标
    basis: Mapped[Optional[str]] = LongText()  # 立项依据
    overview: Mapped[Optional[str]] = LongText()  # 项目概况
    functions: Mapped[Optional[str]] = LongText()  # 部门职能 (部门整体)
    status: Mapped[str] = mapped_column(String(10), default="草稿")  # 草稿/已提交/审核通过/退回修改/已批复
    review_level: Mapped[int] = mapped_column(default=0, server_default="0")  # 已提交: the chain level now reviewing
    quality_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    review_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    revision: Mapped[int] = mapped_column(default=1)  # bumps on each 退回 after 批复
    rule_pack_version: Mapped[Optional[int]] = mapped_column(nullable=True)
    submitted_at: Mapped[Optional[date]] = mapped_column(nullable=True)
    approved_at: Mapped[Optional[date]] = mapped_column(nullable=True)

    indicators: Mapped[list["TargetIndicator"]] = relationship(
        back_populates="target", order_by="TargetIndicator.seq", cascade="all, delete-orphan"
    )
    tasks: Mapped[list["TargetTask"]] = relationship(order_by="TargetTask.seq", cascade="all, delete-orphan")


class TargetIndicator(Exchangeable, IndicatorFields, Base):
    __tablename__ = "target_indicator"
    label = "绩效指标"

    target_id: Mapped[int] = mapped_column(ForeignKey("performance_target.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(default=0)
    value_text: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 指标值 as written
    value_num: Mapped[Optional[Decimal]] = mapped_column(DecimalText, nullable=True)  # parsed, when numeric
    points: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # 分值 (weight)
    explanation: Mapped[Optional[str]] = LongText()
    last_year_actual: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    remark: Mapped[Optional[str]] = LongText()
    library_id: Mapped[Optional[int]] = mapped_column(ForeignKey("library_indicator.id", ondelete="SET NULL"), nullable=True)

    target: Mapped[PerformanceTarget] = relationship(back_populates="indicators")


class TargetTask(Exchangeable, Base):
    """年度主要任务 (部门整体) or 实施进度计划 (项目) lines with their 预算数."""

    __tablename__ = "target_task"
    label = "任务"

    target_id: Mapped[int] = mapped_column(ForeignKey("performance_target.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(default=0)
    content: Mapped[str] = mapped_column(Text)
    budget_fen: Mapped[Optional[int]] = Fen(nullable=True)
    start: Mapped[Optional[str]] = mapped_column(String(7), nullable=True)
    finish: Mapped[Optional[str]] = mapped_column(String(7), nullable=True)


class TargetReview(Exchangeable, Base):
    """审核: one row per review step (主管部门 / 财政业务科室 / 绩效科 / 第三方)."""

    __tablename__ = "target_review"
    label = "目标审核"

    target_id: Mapped[int] = mapped_column(ForeignKey("performance_target.id", ondelete="CASCADE"), index=True)
    reviewer_role: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    scores: Mapped[Optional[str]] = LongText()  # JSON: 完整性, 相关性, 合理性, 可衡量性
    score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    decision: Mapped[str] = mapped_column(String(10))  # 审核通过 / 退回修改 / 已批复
    opinion: Mapped[Optional[str]] = LongText()
    reviewed_on: Mapped[Optional[date]] = mapped_column(nullable=True)
    rule_pack_version: Mapped[Optional[int]] = mapped_column(nullable=True)


class TargetSnapshot(Exchangeable, Base):
    """An earlier version of a target, kept viewable after a 退回 of an approved target."""

    __tablename__ = "target_snapshot"
    label = "目标历史版本"

    target_id: Mapped[int] = mapped_column(ForeignKey("performance_target.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int]
    content: Mapped[str] = mapped_column(Text)  # JSON of the target and its indicators
    reason: Mapped[Optional[str]] = LongText()
