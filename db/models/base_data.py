"""基础数据: 区划, 部门/单位, 财政归口科室, 项目."""

from __future__ import annotations

from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Exchangeable, Fen, LongText


class Region(Exchangeable, Base):
    """区划: the county and its townships. `code` is the 区划代码 (text: leading zeros matter)."""

    __tablename__ = "region"
    label = "区划"

    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[str] = mapped_column(String(10))  # 县级 / 乡镇
    parent_code: Mapped[Optional[str]] = mapped_column(String(12), ForeignKey("region.code"), nullable=True)
    note: Mapped[Optional[str]] = LongText()


class FinanceOffice(Exchangeable, Base):
    """财政归口科室 (e.g. 经建科, 社保科)."""

    __tablename__ = "finance_office"
    __table_args__ = (UniqueConstraint("region_code", "name"),)
    label = "归口科室"

    name: Mapped[str] = mapped_column(String(50))


class Department(Exchangeable, Base):
    """部门 and 单位 as one tree: a 单位 hangs under its 部门. Shown as "[213001]钢城区城市管理局"."""

    __tablename__ = "department"
    __table_args__ = (UniqueConstraint("region_code", "code"),)
    label = "部门/单位"

    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(10), default="部门")  # 部门 / 单位
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), nullable=True, index=True)
    note: Mapped[Optional[str]] = LongText()

    parent: Mapped[Optional["Department"]] = relationship(remote_side="Department.id")

    @property
    def display(self) -> str:
        return f"[{self.code}]{self.name}"


class Project(Exchangeable, Base):
    """项目: one row per project per 年度. Money in fen."""

    __tablename__ = "project"
    __table_args__ = (UniqueConstraint("region_code", "year", "code"),)  # townships may reuse codes
    label = "项目"

    year: Mapped[int] = mapped_column(index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("department.id", ondelete="RESTRICT"), index=True)
    office_id: Mapped[Optional[int]] = mapped_column(ForeignKey("finance_office.id", ondelete="RESTRICT"), nullable=True)
    fund_type: Mapped[str] = mapped_column(String(20))  # 资金性质
    category: Mapped[str] = mapped_column(String(10))  # 项目类别: 新增 / 延续
    parent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("project.id", ondelete="RESTRICT"), nullable=True, index=True)
    is_key: Mapped[bool] = mapped_column(default=False)  # 重点项目
    initial_budget_fen: Mapped[int] = Fen()  # 年初预算数
    annual_budget_fen: Mapped[int] = Fen()  # 全年预算数（调整后）
    fiscal_fen: Mapped[int] = Fen()  # 其中财政拨款
    other_fen: Mapped[int] = Fen()  # 其他资金
    period_start: Mapped[Optional[str]] = mapped_column(String(7), nullable=True)  # 实施期 YYYY-MM
    period_end: Mapped[Optional[str]] = mapped_column(String(7), nullable=True)
    leader: Mapped[Optional[str]] = mapped_column(String(50), nullable=True)  # 项目负责人
    phone: Mapped[Optional[str]] = mapped_column(String(30), nullable=True)
    note: Mapped[Optional[str]] = LongText()

    department: Mapped[Department] = relationship(foreign_keys=[department_id])
    unit: Mapped[Department] = relationship(foreign_keys=[unit_id])
    office: Mapped[Optional[FinanceOffice]] = relationship()
    parent: Mapped[Optional["Project"]] = relationship(remote_side="Project.id")
