"""用户 and logins: the first user is 绩效科; passwords kept as a salted scrypt hash; five wrong tries
lock the account for fifteen minutes and a 绩效科 reset unlocks it; scopes are checked when a user
is added; only 绩效科 manages users."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from app.rules.validation import RejectedError
from app.services import users
from db.models import AppUser, AuditLog

NOW = datetime(2023, 9, 1, 9, 0)


@pytest.fixture
def admin(county):
    """The first user (绩效科) and the workspace acting as them."""
    assert not users.has_users(county)
    users.add_user(county, "刘绩效", "绩效科", None, "secret-1")
    county.actor = users.login(county, "刘绩效", "secret-1")
    return county


def test_the_first_user_must_be_the_performance_section(county):
    with pytest.raises(RejectedError, match="第一个用户须为绩效科用户"):
        users.add_user(county, "张三", "主管部门", "213001", "secret-1")
    users.add_user(county, "刘绩效", "绩效科", None, "secret-1")
    assert users.has_users(county)
    with county.session() as s:
        stored = s.scalars(select(AppUser.password_hash)).one()
    assert "secret-1" not in stored and stored.startswith("scrypt$")  # salted hash, never the password


def test_scopes_are_checked_and_listed_with_their_names(admin):
    with pytest.raises(RejectedError, match="须指定范围：部门编码"):
        users.add_user(admin, "张三", "主管部门", "", "secret-1")
    with pytest.raises(RejectedError, match="没有编码为“999”的部门"):
        users.add_user(admin, "张三", "主管部门", "999", "secret-1")
    with pytest.raises(RejectedError, match="不需要指定范围"):
        users.add_user(admin, "领导", "只读", "213001", "secret-1")
    users.add_user(admin, "张三", "主管部门", "213001", "secret-1")
    users.add_user(admin, "王科长", "财政业务科室", "经建科", "secret-1")
    users.add_user(admin, "领导", "只读", None, "secret-1")
    with pytest.raises(RejectedError, match="已有名为“张三”的用户"):
        users.add_user(admin, "张三", "预算单位", "213001", "secret-1")
    listed = {(u.name, u.role, u.scope, u.scope_label) for u in users.list_users(admin)}
    assert listed == {("刘绩效", "绩效科", "", ""), ("张三", "主管部门", "213001", "钢城区城市管理局"),
                      ("王科长", "财政业务科室", "经建科", "经建科"), ("领导", "只读", "", "")}


def test_only_the_performance_section_manages_users(admin):
    users.add_user(admin, "张三", "主管部门", "213001", "secret-1")
    admin.actor = users.login(admin, "张三", "secret-1")
    with pytest.raises(RejectedError, match="只有绩效科用户可以管理用户"):
        users.add_user(admin, "李四", "预算单位", "213001", "secret-1")
    with pytest.raises(RejectedError, match="只有绩效科用户可以管理用户"):
        users.set_password(admin, "刘绩效", "hijacked")
    users.set_password(admin, "张三", "changed-1")  # one's own password
    assert users.login(admin, "张三", "changed-1").role == "主管部门"


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(admin):
    users.add_user(admin, "张三", "主管部门", "213001", "secret-1")
    for n in range(1, 5):
        with pytest.raises(RejectedError, match=f"再输错{5 - n}次账户将锁定15分钟"):
            users.login(admin, "张三", "wrong", now=NOW)
    with pytest.raises(RejectedError, match="账户已锁定15分钟，请于09:15后再试"):
        users.login(admin, "张三", "wrong", now=NOW)
    with pytest.raises(RejectedError, match="账户已锁定"):  # even the right password, while locked
        users.login(admin, "张三", "secret-1", now=NOW + timedelta(minutes=14))
    assert users.login(admin, "张三", "secret-1", now=NOW + timedelta(minutes=16)).name == "张三"
    for _ in range(5):
        with pytest.raises(RejectedError):
            users.login(admin, "张三", "wrong", now=NOW)
    users.set_password(admin, "张三", "reset-12")  # 绩效科 resets: unlocked at once
    actor = users.login(admin, "张三", "reset-12", now=NOW + timedelta(minutes=1))
    assert actor.scope.label == "钢城区城市管理局" and actor.title == "张三（主管部门：钢城区城市管理局）"
    with admin.session() as s:
        said = [a.summary for a in s.scalars(select(AuditLog).where(AuditLog.entity == "用户"))]
    assert any("锁定15分钟" in line for line in said) and any("重置了用户“张三”的密码" in line for line in said)


def test_an_unknown_name_and_a_short_password_are_refused_in_sentences(admin):
    with pytest.raises(RejectedError, match="用户名或密码不正确"):
        users.login(admin, "无此人", "secret-1")
    with pytest.raises(RejectedError, match="密码至少6位"):
        users.add_user(admin, "张三", "主管部门", "213001", "123")


def test_a_database_opened_read_only_still_lets_a_user_log_in(admin, db_path):
    from app.services.workspace import Workspace

    users.add_user(admin, "张三", "主管部门", "213001", "secret-1")
    with pytest.raises(RejectedError):
        users.login(admin, "张三", "wrong", now=NOW)  # one wrong try counted on the writable database
    beside = Workspace.open(db_path, read_only=True)
    try:
        with pytest.raises(RejectedError, match="用户名或密码不正确"):
            users.login(beside, "张三", "wrong", now=NOW)  # refused, nothing written
        assert users.login(beside, "张三", "secret-1", now=NOW).role == "主管部门"
    finally:
        beside.close()
