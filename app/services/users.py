"""用户: logins of one database (SQLite or PostgreSQL) with a role and its scope.

A database with no users asks no login: the computer's user acts with every right (a township, a
single officer). The first user created must be a 绩效科 user (the administrator); after that only
a 绩效科 user adds users or resets passwords. Passwords are kept as a salted scrypt hash, never in
clear; five wrong passwords in a row lock the account for fifteen minutes (a reset unlocks it)."""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Optional

from sqlalchemy import func, select

from app.rules import roles as R
from app.rules.validation import RejectedError
from app.services import access, audit
from app.services.actor import Actor
from app.services.workspace import Workspace
from db.models import AppUser

MAX_TRIES, LOCK_MINUTES = 5, 15
MIN_PASSWORD = 6
_N, _R, _P = 2 ** 14, 8, 1  # scrypt cost: ~50 ms on a bureau PC, 16 MiB of memory per try


@dataclass(frozen=True)
class UserRow:
    name: str
    role: str
    scope: str  # the code as given ("" for 绩效科 / 只读)
    scope_label: str  # its name (钢城区城市管理局)
    locked_until: Optional[datetime]


# -- passwords -------------------------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(password.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                               dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(found.hex(), digest)


@lru_cache(maxsize=1)
def _stand_in() -> str:
    """A hash no password matches, checked for an unknown name."""
    return hash_password(os.urandom(16).hex())


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise RejectedError(f"密码至少{MIN_PASSWORD}位，请重新设置。")


# -- reading ---------------------------------------------------------------------------------------------------
def has_users(ws: Workspace) -> bool:
    with ws.read() as conn:
        return bool(conn.execute(select(func.count()).select_from(AppUser.__table__)).scalar())


def list_users(ws: Workspace) -> list[UserRow]:
    """Names, roles and scopes (never a password), by name."""
    with ws.session() as s:
        users = s.scalars(select(AppUser).order_by(AppUser.name)).all()
        rows = []
        for u in users:
            try:
                label = (access.resolve(s, u.role, u.scope) or None)
            except RejectedError:
                label = None
            rows.append(UserRow(u.name, u.role, u.scope or "", label.label if label else "", u.locked_until))
        return rows


# -- writing ---------------------------------------------------------------------------------------------------
def _require_admin(s, actor: Actor) -> None:
    if s.scalar(select(func.count()).select_from(AppUser)) and actor.role != R.PERFORMANCE:
        raise RejectedError("只有绩效科用户可以管理用户和重置密码，请用绩效科用户登录后再办理。")


def add_user(ws: Workspace, name: str, role: str, scope: Optional[str], password: str,
             actor: Optional[Actor] = None) -> UserRow:
    """A new login. The first one must be 绩效科; later ones are added by a 绩效科 user."""
    actor = actor or ws.actor
    name = (name or "").strip()
    if not name or len(name) > 50:
        raise RejectedError("请填写用户名（不超过50个字）。")
    _check_password(password)
    with ws.session() as s:
        first = not s.scalar(select(func.count()).select_from(AppUser))
        if first and role != R.PERFORMANCE:
            raise RejectedError("第一个用户须为绩效科用户（负责规则、用户和最终批复），请先建立绩效科用户。")
        _require_admin(s, actor)
        if s.scalars(select(AppUser).where(AppUser.name == name)).first() is not None:
            raise RejectedError(f"已有名为“{name}”的用户，请换一个用户名。")
        scope = access.resolve(s, role, scope)
        s.add(AppUser(name=name, role=role, scope=scope.code if scope else None, password_hash=hash_password(password)))
        where = f"，范围：{scope.label or scope.code}" if scope else ""
        audit.record(s, "新增", AppUser.label, f"新增用户“{name}”（{role}{where}）", user=actor.name)
    return UserRow(name, role, scope.code if scope else "", scope.label if scope else "", None)


def set_password(ws: Workspace, name: str, password: str, actor: Optional[Actor] = None) -> None:
    """A user changes their own password; a 绩效科 user resets anyone's (and unlocks the account)."""
    actor = actor or ws.actor
    _check_password(password)
    with ws.session() as s:
        user = s.scalars(select(AppUser).where(AppUser.name == name)).first()
        if user is None:
            raise RejectedError(f"没有名为“{name}”的用户。")
        if actor.name != name:
            _require_admin(s, actor)
        user.password_hash = hash_password(password)
        user.failed_logins, user.locked_until = 0, None
        said = "修改了自己的密码" if actor.name == name else f"重置了用户“{name}”的密码"
        audit.record(s, "修改", AppUser.label, said, user=actor.name)


# -- logging in ------------------------------------------------------------------------------------------------
def login(ws: Workspace, name: str, password: str, now: Optional[datetime] = None) -> Actor:
    """The actor of a user whose password matches; refused with a sentence otherwise (and locked
    after five wrong tries in a row). The caller sets ws.actor."""
    now = now or datetime.now()
    with ws.session() as s:
        user = s.scalars(select(AppUser).where(AppUser.name == (name or "").strip())).first()
        if user is None:
            password_matches(password or "", _stand_in())  # as long as for a real name: the time tells nothing
            raise RejectedError("用户名或密码不正确，请重新输入。")
        if user.locked_until is not None and user.locked_until > now:
            raise RejectedError(f"密码连续输错{MAX_TRIES}次，账户已锁定，请于{user.locked_until:%H:%M}后再试，"
                                "或请绩效科用户重置密码。")
        if not password_matches(password or "", user.password_hash):
            if ws.read_only:  # opened read-only beside the program that holds it: nothing can be counted
                raise RejectedError("用户名或密码不正确，请重新输入。")
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= MAX_TRIES:
                user.failed_logins, user.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
                audit.record(s, "锁定", AppUser.label, f"用户“{user.name}”密码连续输错{MAX_TRIES}次，锁定{LOCK_MINUTES}分钟",
                             user=user.name)
                locked = (f"密码连续输错{MAX_TRIES}次，账户已锁定{LOCK_MINUTES}分钟，请于{user.locked_until:%H:%M}后再试，"
                          "或请绩效科用户重置密码。")
            else:
                locked = None
            left = MAX_TRIES - user.failed_logins
        else:
            if not ws.read_only and (user.failed_logins or user.locked_until is not None):
                user.failed_logins, user.locked_until = 0, None
            scope = access.resolve(s, user.role, user.scope)
            return Actor(user.name, user.role, scope, R.Rights.from_pack(ws.rule_pack()))
    # the failed try is committed (the count must survive) before it is refused
    raise RejectedError(locked or f"用户名或密码不正确，请重新输入（再输错{left}次账户将锁定{LOCK_MINUTES}分钟）。")
