"""Who runs a command: once a database has users, every command names one with --user and gives its
password (the environment variable PERFDESK_PASSWORD, or typed at a terminal); the login makes the
workspace's actor, so the services refuse what that user's role and scope may not do. A database
without users asks nothing: the computer's user acts, as on a single PC.

Passwords for `user add` / `user passwd` come from standard input: one line from a pipe, or typed
twice at a terminal."""

from __future__ import annotations

import getpass
import os
import sys

from app.rules.validation import RejectedError

PASSWORD_VARIABLE = "PERFDESK_PASSWORD"


def log_in(ws, args) -> None:
    """Sets ws.actor to the --user's login when the database has users; refused (RejectedError,
    exit 2) without --user, with a wrong password, or with --user on a database that has none."""
    from app.services import users

    name = (getattr(args, "user", None) or "").strip()
    if not users.has_users(ws):
        if name:
            raise RejectedError("这个数据库还没有建立用户，不需要 --user。请去掉 --user；"
                                "要建立第一个用户，请用 user add 用户名 --role 绩效科。")
        return
    if not name:
        raise RejectedError(f"这个数据库已建立用户，请用 --user 用户名 说明由谁办理（密码放在环境变量 {PASSWORD_VARIABLE} 中，"
                            "或在终端按提示输入）。")
    ws.actor = users.login(ws, name, _acting_password(name))


def _acting_password(name: str) -> str:
    given = os.environ.get(PASSWORD_VARIABLE)
    if given is not None:
        return given
    if not _at_terminal():
        raise RejectedError(f"请在环境变量 {PASSWORD_VARIABLE} 中提供用户“{name}”的密码，或在终端运行命令以便输入密码。")
    return _ask(f"用户“{name}”的密码：")


def new_password(whose: str) -> str:
    """A new password for `whose`: typed twice at a terminal, or one line from a pipe."""
    if _at_terminal():
        first = _ask(f"请输入{whose}的新密码：")
        if first != _ask("请再输入一次："):
            raise RejectedError("两次输入的密码不一致，未作任何改动。请重新办理。")
        return first
    try:
        line = sys.stdin.readline() if sys.stdin is not None else ""
    except (OSError, ValueError):
        line = ""
    password = line.rstrip("\r\n")
    if not password:
        raise RejectedError(f"请从标准输入提供{whose}的新密码（一行），或在终端运行命令按提示输入。")
    return password


def _at_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (OSError, ValueError):
        return False


def _ask(prompt: str) -> str:
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise RejectedError("没有输入密码，未作任何改动。") from None
