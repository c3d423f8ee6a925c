"""`user add | list | passwd`: the logins of a database from the command line. The first user is
a 绩效科 user and needs no --user; after that a 绩效科 --user adds users and resets passwords, and
anyone changes their own. Passwords are read from standard input (app.cli_login.new_password)."""

from __future__ import annotations

import argparse
from typing import Callable

from app.cli_support import CommandGroup, with_workspace
from app.rules import roles as R

SCOPE_HELP = ("范围：主管部门填部门编码，预算单位填单位编码，财政业务科室填归口科室名称，乡镇财政所填乡镇区划代码，"
              "第三方机构填统一社会信用代码；绩效科和只读用户查看全县，不填")


def _add(args) -> int:
    from app.cli_login import new_password
    from app.services import users

    def work(ws) -> str:
        row = users.add_user(ws, args.name, args.role, args.scope, new_password(f"用户“{args.name}”"))
        where = f"，范围：{row.scope_label or row.scope}" if row.scope else ""
        return f"已添加用户“{row.name}”（{row.role}{where}）。"
    return with_workspace(args, work, doing="添加用户")


def _list(args) -> int:
    from app.services import users

    def work(ws) -> str:
        rows = users.list_users(ws)
        if not rows:
            return "这个数据库还没有用户，打开时不需要登录。要建立第一个用户：user add 用户名 --role 绩效科"
        lines = [f"共{len(rows)}个用户：", "用户名\t角色\t范围"]
        for row in rows:
            scope = f"{row.scope}（{row.scope_label}）" if row.scope_label and row.scope_label != row.scope else (
                row.scope or "全县")
            locked = f"\t已锁定至{row.locked_until:%m月%d日 %H:%M}" if row.locked_until else ""
            lines.append(f"{row.name}\t{row.role}\t{scope}{locked}")
        return "\n".join(lines)
    return with_workspace(args, work, write=False)


def _passwd(args) -> int:
    from app.cli_login import new_password
    from app.services import users

    def work(ws) -> str:
        own = ws.actor.name == args.name
        users.set_password(ws, args.name, new_password("您" if own else f"用户“{args.name}”"))
        return "已修改您的密码。" if own else f"已重置用户“{args.name}”的密码（账户如被锁定，已同时解除）。"
    return with_workspace(args, work, doing="修改密码")


def add_user_command(add: Callable[..., argparse.ArgumentParser],
                     options: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `user` command and its three sub-commands; `options` gives each the global --db / --user."""
    one = CommandGroup(add, options, "user", "管理登录用户：添加用户、列出用户、修改或重置密码").one
    q = one("add", "添加用户（第一个用户须为绩效科用户；之后由绩效科用户添加）。新密码从标准输入读取：管道输入一行，"
                   "在终端则输入两次确认", _add)
    q.add_argument("name", metavar="用户名", help="登录用的用户名，如张三")
    q.add_argument("--role", required=True, choices=list(R.ROLES), metavar="角色", help="、".join(R.ROLES))
    q.add_argument("--scope", metavar="范围", help=SCOPE_HELP)
    one("list", "列出用户：用户名、角色和范围（不显示密码）", _list)
    q = one("passwd", "修改自己的密码，或由绩效科用户重置他人的密码（同时解除锁定）。新密码从标准输入读取", _passwd)
    q.add_argument("name", metavar="用户名", help="要修改密码的用户")
