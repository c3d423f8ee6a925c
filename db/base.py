"""Declarative base and the mixin every exchangeable record carries (DESIGN.md §5)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def new_uuid() -> str:
    return str(uuid.uuid4())


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {int: Integer, str: String(200), date: Date, datetime: DateTime}

    # Chinese name of the record kind, used in sentences such as "被3条绩效目标引用".
    label: str = "记录"


def Fen(nullable: bool = False, **kw):
    """An amount of money in integer fen (分)."""
    return mapped_column(BigInteger, nullable=nullable, **kw)


def LongText():
    return mapped_column(Text, nullable=True)


class Exchangeable:
    """UUID, 区划代码, created/updated time and a version: lets township packages merge with the
    county's without clashes; the version doubles as an optimistic lock for concurrent edits."""

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True, default=new_uuid)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    version: Mapped[int] = mapped_column(default=1)

    @declared_attr.directive
    def __mapper_args__(cls):
        return {"version_id_col": cls.__table__.c.version}
