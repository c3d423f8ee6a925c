"""数据交换的密钥: each database signs its packages with its own Ed25519 key pair (made the first time
it is needed, the private key kept in the database); the county registers each township's public
key once, from the key file the township gives it, and the township registers its county's.

    exchange_keys.write_own(ws, path)      # 导出本库公钥 (a small .pdkey file, carried like a package)
    exchange_keys.trust(ws, path)          # 登记对方公钥: a township of this county, or this township's county
    exchange_keys.trusted(ws)              # fingerprint → public key, for app.io.package.read_package

Only 绩效科 (or the local user of a database without users) makes keys and registers them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Optional

from sqlalchemy import select

from app.io import package_keys as K
from app.rules.validation import RejectedError
from app.services import audit, guard
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models import ExchangeKey, Region, TrustedKey

TOWNSHIP = "乡镇"


@dataclass(frozen=True)
class TrustedRow:
    region_code: str
    region_name: str
    fingerprint: str
    registered_at: datetime
    registered_by: str


def _own(s, ws: Workspace) -> ExchangeKey:
    key = s.scalars(select(ExchangeKey).order_by(ExchangeKey.id)).first()
    if key is None:
        private, public = K.new_key_pair()
        key = ExchangeKey(region_code=ws.home_region(), private_key=private, public_key=public,
                          fingerprint=K.fingerprint(public))
        s.add(key)
        s.flush()
    return key


def own_key(ws: Workspace) -> tuple[bytes, bytes, str]:
    """(private, public, fingerprint) of this database, made the first time it is asked for."""
    with ws.session() as s:
        key = _own(s, ws)
        return bytes(key.private_key), bytes(key.public_key), key.fingerprint


def write_own(ws: Workspace, path, actor: Optional[Actor] = None) -> K.KeyFile:
    """导出本库公钥: the public key file naming this database's region."""
    guard.permit(actor or ws.actor, guard.BASE_DATA, "导出公钥")
    _, public, _ = own_key(ws)
    code = ws.home_region()
    with ws.session() as s:
        region = s.scalars(select(Region).where(Region.code == code)).first()
        name = region.name if region is not None else code
    return K.write_key_file(path, code, name, public)


def _relation(s, home: Region, code: str) -> Optional[str]:
    """How the key's region stands to this database's: 乡镇 (a township of this county), 上级 (this
    township's county), or None."""
    if home.parent_code and home.parent_code == code:
        return "上级"
    region = s.scalars(select(Region).where(Region.code == code)).first()
    if region is not None and region.parent_code == home.code:
        return TOWNSHIP
    if region is None and home.level != TOWNSHIP and code.startswith(home.code[:6]) and len(code) > len(home.code):
        return TOWNSHIP  # a township not yet in the base data: its code lies under the county's
    return None


def trust(ws: Workspace, path, actor: Optional[Actor] = None) -> TrustedRow:
    """登记对方公钥 from its key file: a township of this county (its region is added to the base
    data when missing) or, in a township's database, its county. Anything else is refused."""
    actor = actor or ws.actor
    guard.permit(actor, guard.BASE_DATA, "登记公钥")
    key = K.read_key_file(path)
    code = ws.home_region()
    with ws.session() as s:
        home = s.scalars(select(Region).where(Region.code == code)).first()
        if home is None:
            raise RejectedError("请先设置本级区划，再登记对方的公钥。")
        if key.region_code == code:
            raise RejectedError("这是本数据库自己的公钥，不需要登记。请登记乡镇（或上级县）交来的公钥文件。")
        relation = _relation(s, home, key.region_code)
        if relation is None:
            raise RejectedError(f"公钥文件来自[{key.region_code}]{key.region_name}，它既不是本县的乡镇，也不是本乡镇的上级县，"
                                "不能登记。请检查公钥文件，或先在基础数据中把该乡镇设为本县下级。")
        held = s.scalars(select(TrustedKey).where(TrustedKey.fingerprint == key.fingerprint)).first()
        if held is not None:
            raise RejectedError(f"[{key.region_code}]{key.region_name}的这个公钥已于{held.registered_at:%Y-%m-%d}登记过，不需要再登记。")
        region = s.scalars(select(Region).where(Region.code == key.region_code)).first()
        if region is None and relation == TOWNSHIP:
            s.add(Region(code=key.region_code, name=key.region_name, level=TOWNSHIP, parent_code=code,
                         region_code=key.region_code))
        elif region is not None and region.name != key.region_name and relation == "上级" and region.name == region.code:
            region.name = key.region_name  # the county named only by its code at `new --parent`
        row = TrustedKey(region_code=key.region_code, region_name=key.region_name, public_key=key.public,
                         fingerprint=key.fingerprint, registered_by=actor.name)
        s.add(row)
        s.flush()
        audit.record(s, "登记", TrustedKey.label,
                     f"登记[{key.region_code}]{key.region_name}的公钥（指纹{key.fingerprint}）", user=actor.name)
        return TrustedRow(row.region_code, row.region_name, row.fingerprint, row.registered_at, row.registered_by)


def trusted(ws: Workspace) -> dict[str, bytes]:
    """Fingerprint → public key of every registered region (what a package's signer is checked against)."""
    with ws.read() as conn:
        t = TrustedKey.__table__
        return {fp: bytes(key) for fp, key in conn.execute(select(t.c.fingerprint, t.c.public_key))}


def list_trusted(ws: Workspace) -> list[TrustedRow]:
    with ws.read() as conn:
        t = TrustedKey.__table__
        return [TrustedRow(*r) for r in conn.execute(
            select(t.c.region_code, t.c.region_name, t.c.fingerprint, t.c.registered_at, t.c.registered_by)
            .order_by(t.c.region_code, t.c.id))]
