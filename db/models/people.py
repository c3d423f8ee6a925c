"""Who may work in the database: 用户 (login, role, scope, the salted scrypt hash — never the
password), and the opinion each level of a review chain gave (审核意见 per level, printed on forms)."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable, LongText, now


class AppUser(Base):
    """A login of this database. Never exchanged (a township keeps its own users)."""

    __tablename__ = "app_user"
    label = "用户"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50), unique=True)
    role: Mapped[str] = mapped_column(String(20))  # 绩效科 / 财政业务科室 / 主管部门 / 预算单位 / 乡镇财政所 / 第三方机构 / 只读
    scope: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)  # a code or 归口科室 name (by role)
    password_hash: Mapped[str] = mapped_column(String(300))  # scrypt$n$r$p$salt$hash (hex)
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[Optional[datetime]] = mapped_column(nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    __mapper_args__ = {"version_id_col": version}


class ReviewOpinion(Exchangeable, Base):
    """One level's decision on a record (提交后 主管部门审核 → 财政业务科室审核 → 绩效科批复): the level's
    name, the step, the opinion, who and when. Kept for every stage the kernel moves."""

    __tablename__ = "review_opinion"
    label = "审核意见"

    entity: Mapped[str] = mapped_column(String(50))  # the record kind's label (绩效目标)
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    level: Mapped[str] = mapped_column(String(30))  # 主管部门审核 / 财政业务科室审核 / 绩效科批复 / 审核
    action: Mapped[str] = mapped_column(String(20))  # 审核通过 / 退回修改 / 批复 / 退回
    opinion: Mapped[Optional[str]] = LongText()
    user: Mapped[str] = mapped_column(String(100))
    role: Mapped[Optional[str]] = mapped_column(String(20), nullable=True)
    at: Mapped[datetime] = mapped_column(default=now)
