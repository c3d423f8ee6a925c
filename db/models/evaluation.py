"""绩效自评, 真实性核查, 重点评价 and 事前绩效评估, with their scoring trees."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from db.base import Base, Exchangeable, Fen, LongText
from db.types import Scaled


class Subject:
    """What is evaluated: a project, or a department as a whole, in a 年度."""

    year: Mapped[int] = mapped_column(index=True)
    object_type: Mapped[str] = mapped_column(String(10), default="项目")  # 项目/部门整体/政策/下级财政运行

    @declared_attr
    def project_id(cls) -> Mapped[Optional[int]]:
        return mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), nullable=True, index=True)

    @declared_attr
    def department_id(cls) -> Mapped[Optional[int]]:
        return mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), nullable=True, index=True)


class Scored:
    """A result with its score, grade and the rule pack version it was computed with."""

    total_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    grade: Mapped[Optional[str]] = mapped_column(String(4), nullable=True)  # 优/良/中/差 as recorded
    rule_pack_version: Mapped[Optional[int]] = mapped_column(nullable=True)


class ScoreItemFields:
    """A node of a weighted scoring tree: 分值, 评分标准, 得分, 扣分原因, 佐证."""

    seq: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(100))
    weight_pct: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    points: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    standard: Mapped[Optional[str]] = LongText()
    score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    grade: Mapped[Optional[str]] = mapped_column(String(4), nullable=True)
    deduction: Mapped[Optional[str]] = LongText()  # 扣分原因
    evidence: Mapped[Optional[str]] = LongText()

    @declared_attr
    def parent_id(cls) -> Mapped[Optional[int]]:
        return mapped_column(ForeignKey(f"{cls.__tablename__}.id", ondelete="CASCADE"), nullable=True)


class SelfEvaluation(Exchangeable, Subject, Scored, Base):
    """绩效自评表: 预算执行 (10 分 by default) + 指标 (90 分)."""

    __tablename__ = "self_evaluation"
    label = "绩效自评"

    initial_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 年初预算数
    annual_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 全年预算数
    executed_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 全年执行数
    fiscal_initial_fen: Mapped[Optional[int]] = Fen(nullable=True)
    fiscal_annual_fen: Mapped[Optional[int]] = Fen(nullable=True)
    fiscal_executed_fen: Mapped[Optional[int]] = Fen(nullable=True)
    other_initial_fen: Mapped[Optional[int]] = Fen(nullable=True)
    other_annual_fen: Mapped[Optional[int]] = Fen(nullable=True)
    other_executed_fen: Mapped[Optional[int]] = Fen(nullable=True)
    # 部门整体: 预算执行 of 基本支出 and 项目支出 (the total is annual_fen / executed_fen)
    basic_annual_fen: Mapped[Optional[int]] = Fen(nullable=True)
    basic_executed_fen: Mapped[Optional[int]] = Fen(nullable=True)
    project_annual_fen: Mapped[Optional[int]] = Fen(nullable=True)
    project_executed_fen: Mapped[Optional[int]] = Fen(nullable=True)
    staff_quota: Mapped[Optional[int]] = mapped_column(nullable=True)  # 编制人数
    staff_actual: Mapped[Optional[int]] = mapped_column(nullable=True)  # 实有人数
    functions: Mapped[Optional[str]] = LongText()  # 部门职能
    budget_points: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    budget_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    budget_cause: Mapped[Optional[str]] = LongText()
    goal_actual: Mapped[Optional[str]] = LongText()  # 年度目标 vs 实际完成情况
    process_summary: Mapped[Optional[str]] = LongText()
    conclusion: Mapped[Optional[str]] = LongText()
    problems: Mapped[Optional[str]] = LongText()
    improvements: Mapped[Optional[str]] = LongText()
    project_leader: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    finance_leader: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    status: Mapped[str] = mapped_column(String(10), default="草稿")
    review_level: Mapped[int] = mapped_column(default=0, server_default="0")  # 已提交: the chain level now reviewing
    review_opinion: Mapped[Optional[str]] = LongText()  # 审核意见 (required on 退回修改)
    # the approved target the indicator rows were copied from, and its version then (a later
    # change to the target is offered to an unsubmitted table)
    target_id: Mapped[Optional[int]] = mapped_column(ForeignKey("performance_target.id", ondelete="SET NULL"), nullable=True)
    target_version: Mapped[Optional[int]] = mapped_column(nullable=True)
    reference_total: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # 参考总分
    # a table imported as printed (no approved target here): its 执行率 / 总分 / 等级 are kept as
    # printed and judged by the consistency check, never recomputed
    as_printed: Mapped[bool] = mapped_column(default=False)
    printed_rate: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 执行率 as printed
    preset: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 部门整体: the scoring tree preset

    indicators: Mapped[list["SelfEvalIndicator"]] = relationship(cascade="all, delete-orphan")


class SelfEvalIndicator(Exchangeable, Base):
    __tablename__ = "self_eval_indicator"
    label = "自评指标"

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("self_evaluation.id", ondelete="CASCADE"), index=True)
    target_indicator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("target_indicator.id", ondelete="SET NULL"), nullable=True)
    seq: Mapped[int] = mapped_column(default=0)
    level1: Mapped[str] = mapped_column(String(20))
    level2: Mapped[str] = mapped_column(String(30))
    level3: Mapped[str] = mapped_column(String(200))
    direction: Mapped[str] = mapped_column(String(4))
    target_value: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    unit: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)
    actual_value: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
    qualitative_rating: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 达成/部分达成/未达成
    applicable: Mapped[bool] = mapped_column(default=True)
    points: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # 分值
    reference_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # 参考得分
    score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # 得分
    score_note: Mapped[Optional[str]] = LongText()  # 评分说明 (部门整体: 扣分原因)
    deviation_reason: Mapped[Optional[str]] = LongText()  # 偏差原因分析及改进措施
    weight: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # the target's 分值: splits its category
    standard: Mapped[Optional[str]] = LongText()  # 部门整体: 评分标准 of a scoring-tree item


class VerificationSample(Exchangeable, Base):
    """真实性核查: a repeatable random draw (the seed is kept) of self-evaluations."""

    __tablename__ = "verification_sample"
    label = "真实性核查"

    year: Mapped[int] = mapped_column(index=True)
    scope: Mapped[Optional[str]] = LongText()
    sample_size: Mapped[int]
    seed: Mapped[str] = mapped_column(String(64))
    drawn_on: Mapped[Optional[date]] = mapped_column(nullable=True)
    population: Mapped[Optional[int]] = mapped_column(nullable=True)  # how many tables it was drawn from
    by_department: Mapped[bool] = mapped_column(default=False)  # spread across departments
    drawn_by: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)


class VerificationItem(Exchangeable, Base):
    __tablename__ = "verification_item"
    label = "核查项目"

    sample_id: Mapped[int] = mapped_column(ForeignKey("verification_sample.id", ondelete="CASCADE"), index=True)
    project_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), nullable=True)
    evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("self_evaluation.id", ondelete="SET NULL"), nullable=True)
    # a drawn table has one item with no indicator; each core indicator checked adds one item
    indicator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("self_eval_indicator.id", ondelete="SET NULL"), nullable=True)
    result: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 佐证与填报一致/不一致
    findings: Mapped[Optional[str]] = LongText()
    status: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 待整改 for a 不一致 finding


class KeyEvaluation(Exchangeable, Subject, Scored, Base):
    """重点评价 by 财政 or a 第三方机构, on a weighted 决策/过程/产出/效益 tree."""

    __tablename__ = "key_evaluation"
    label = "重点评价"

    object_name: Mapped[str] = mapped_column(String(200))
    seq: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 序号 such as A-01
    fund_type: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    approved_budget_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 预算批复金额
    actual_spend_fen: Mapped[Optional[int]] = Fen(nullable=True)
    evaluator_kind: Mapped[str] = mapped_column(String(10), default="财政")  # 财政 / 第三方
    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), nullable=True)
    evaluator_name: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)
    methods: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # 现场调研, 问卷, 抽样
    main_performance: Mapped[Optional[str]] = LongText()
    problems: Mapped[Optional[str]] = LongText()
    suggestions: Mapped[Optional[str]] = LongText()
    summary_funds: Mapped[Optional[str]] = LongText()  # 报告摘要 一、项目资金投入及支出情况
    summary_conclusion: Mapped[Optional[str]] = LongText()  # 二、评价结论
    summary_problems: Mapped[Optional[str]] = LongText()  # 三、存在问题及原因
    summary_suggestions: Mapped[Optional[str]] = LongText()  # 四、有关建议
    published: Mapped[bool] = mapped_column(default=False)
    reported_to_congress: Mapped[bool] = mapped_column(default=False)
    note: Mapped[Optional[str]] = LongText()
    status: Mapped[str] = mapped_column(String(10), default="草稿")  # the workflow kernel's words, …→ 已定稿
    review_level: Mapped[int] = mapped_column(default=0, server_default="0")  # 已提交: the chain level now reviewing
    review_opinion: Mapped[Optional[str]] = LongText()
    office: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)  # 归口科室
    unit_name: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)  # 实施单位 as written
    preset: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # the scoring-tree preset
    as_printed: Mapped[bool] = mapped_column(default=False)  # a past report imported as printed
    printed_rate: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)  # 执行率 as printed

    items: Mapped[list["KeyEvalItem"]] = relationship(cascade="all, delete-orphan", order_by="KeyEvalItem.seq")


class KeyEvalItem(Exchangeable, ScoreItemFields, Base):
    __tablename__ = "key_eval_item"
    label = "评价指标"

    evaluation_id: Mapped[int] = mapped_column(ForeignKey("key_evaluation.id", ondelete="CASCADE"), index=True)


class ExAnteAssessment(Exchangeable, Subject, Scored, Base):
    """事前绩效评估 on 立项必要性, 投入经济性, 绩效目标合理性, 实施方案可行性, 筹资合规性."""

    __tablename__ = "exante_assessment"
    label = "事前绩效评估"

    object_name: Mapped[str] = mapped_column(String(200))
    requested_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 申报金额
    recommended_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 建议安排金额
    cut_fen: Mapped[Optional[int]] = Fen(nullable=True)  # 调减金额
    method: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)
    conclusion: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 予以支持/调整后支持/不予支持
    evaluator_kind: Mapped[str] = mapped_column(String(10), default="财政")
    agency_id: Mapped[Optional[int]] = mapped_column(ForeignKey("agency.id", ondelete="RESTRICT"), nullable=True)
    evaluator_name: Mapped[Optional[str]] = mapped_column(String(200), nullable=True)
    report_basic: Mapped[Optional[str]] = LongText()
    report_work: Mapped[Optional[str]] = LongText()
    report_conclusion: Mapped[Optional[str]] = LongText()
    report_suggestions: Mapped[Optional[str]] = LongText()
    expert_opinion: Mapped[Optional[str]] = LongText()
    report_date: Mapped[Optional[date]] = mapped_column(nullable=True)
    note: Mapped[Optional[str]] = LongText()
    status: Mapped[str] = mapped_column(String(10), default="草稿")
    review_level: Mapped[int] = mapped_column(default=0, server_default="0")  # 已提交: the chain level now reviewing
    review_opinion: Mapped[Optional[str]] = LongText()
    # 部门自评估, kept beside the 财政/第三方 审核评估 (total_score / grade)
    self_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    self_grade: Mapped[Optional[str]] = mapped_column(String(4), nullable=True)
    self_conclusion: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)

    items: Mapped[list["ExAnteItem"]] = relationship(cascade="all, delete-orphan", order_by="ExAnteItem.seq")


class ExAnteItem(Exchangeable, ScoreItemFields, Base):
    __tablename__ = "exante_item"
    label = "评估指标"

    assessment_id: Mapped[int] = mapped_column(ForeignKey("exante_assessment.id", ondelete="CASCADE"), index=True)
    self_score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)  # 部门自评估 得分
    self_grade: Mapped[Optional[str]] = mapped_column(String(4), nullable=True)  # 部门自评估 评级
