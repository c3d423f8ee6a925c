"""数据交换: this database's own signing key, the keys of the regions it trusts (the county's
townships, or a township's county), the log of every package exported or imported, and the scores
the county gives its townships by hand (乡镇考核)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Optional

from sqlalchemy import LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Exchangeable, LongText, now
from db.types import Scaled


class ExchangeKey(Base):
    """This database's Ed25519 key pair (raw 32-byte keys), made the first time it is needed. The
    private key stays in the database (a county's and a township's database can sit on one PC).
    Never exchanged."""

    __tablename__ = "exchange_key"
    label = "交换密钥"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12))
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(default=now)


class TrustedKey(Base):
    """Another region's public key, registered once from its key file (登记公钥)."""

    __tablename__ = "trusted_key"
    label = "信任的公钥"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_code: Mapped[str] = mapped_column(String(12), index=True)
    region_name: Mapped[str] = mapped_column(String(100))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    fingerprint: Mapped[str] = mapped_column(String(32), unique=True)
    registered_at: Mapped[datetime] = mapped_column(default=now)
    registered_by: Mapped[str] = mapped_column(String(100))


class ExchangeLog(Base):
    """One package exported or imported: who, when, which file, its hash, the counts."""

    __tablename__ = "exchange_log"
    label = "数据交换记录"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=now, index=True)
    user: Mapped[str] = mapped_column(String(100))
    direction: Mapped[str] = mapped_column(String(10))  # 导出 / 导入
    counterpart_code: Mapped[str] = mapped_column(String(12), index=True)
    counterpart_name: Mapped[str] = mapped_column(String(100))
    package_id: Mapped[str] = mapped_column(String(36), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    years: Mapped[str] = mapped_column(String(100))
    counts: Mapped[Optional[str]] = mapped_column(Text, nullable=True)  # JSON: new / updated / unchanged / conflicts
    note: Mapped[Optional[str]] = LongText()


class ExchangeSeen(Base):
    """The version of a record a counterpart last sent us (at our last import from it): what tells a
    change made there since from one made here."""

    __tablename__ = "exchange_seen"
    __table_args__ = (UniqueConstraint("counterpart_code", "record_uuid"),)
    label = "交换版本"

    id: Mapped[int] = mapped_column(primary_key=True)
    counterpart_code: Mapped[str] = mapped_column(String(12))
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    version: Mapped[int]
    # our copy's version right after that import (None: not known — a person's choice kept ours):
    # our copy still at it has not changed here since, though the counterpart never saw our version
    local_version: Mapped[Optional[int]] = mapped_column(nullable=True)


class ExchangeConflict(Base):
    """One field of one record changed on both sides since the last exchange: the local value stands
    until a person chooses (待处理 → 已处理, with the value kept)."""

    __tablename__ = "exchange_conflict"
    label = "交换冲突"

    id: Mapped[int] = mapped_column(primary_key=True)
    counterpart_code: Mapped[str] = mapped_column(String(12), index=True)
    kind: Mapped[str] = mapped_column(String(40))  # the table (project, performance_target …)
    record_uuid: Mapped[str] = mapped_column(String(36), index=True)
    record_label: Mapped[str] = mapped_column(String(300))  # its code and name, for people
    field: Mapped[str] = mapped_column(String(60))
    local_value: Mapped[Optional[str]] = LongText()  # JSON of the value
    incoming_value: Mapped[Optional[str]] = LongText()
    incoming_version: Mapped[int]
    package_file: Mapped[str] = mapped_column(String(255))
    found_at: Mapped[datetime] = mapped_column(default=now)
    status: Mapped[str] = mapped_column(String(10), default="待处理")  # 待处理 / 已处理
    chosen: Mapped[Optional[str]] = mapped_column(String(10), nullable=True)  # 本地 / 来件
    resolved_by: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)


class TownshipScore(Exchangeable, Base):
    """乡镇预算绩效管理工作考核: a score the county gives a township by hand for one item of the pack's
    table in one year (the items the program fills from exchanged data are computed, not stored).
    `pack_version` is the rule pack version the item was scored under."""

    __tablename__ = "township_score"
    __table_args__ = (UniqueConstraint("year", "township_code", "item"),)
    label = "乡镇考核得分"

    year: Mapped[int] = mapped_column(index=True)
    township_code: Mapped[str] = mapped_column(String(12), index=True)
    item: Mapped[str] = mapped_column(String(60))
    score: Mapped[Optional[Decimal]] = mapped_column(Scaled(2), nullable=True)
    note: Mapped[Optional[str]] = mapped_column(Text, nullable=True)
    pack_version: Mapped[Optional[int]] = mapped_column(nullable=True)
    scored_by: Mapped[Optional[str]] = mapped_column(String(100), nullable=True)
