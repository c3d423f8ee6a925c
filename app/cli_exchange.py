"""`exchange key | trust`: this database's public key file, and registering the key of a township
(in the county's database) or of the county (in a township's). Packages follow in a later step."""

from __future__ import annotations

import argparse
from typing import Callable

from app.cli_support import with_workspace


def _key(args) -> int:
    from app.services import exchange_keys

    def work(ws) -> str:
        key = exchange_keys.write_own(ws, args.out)
        return (f"已导出[{key.region_code}]{key.region_name}的公钥（指纹{key.fingerprint}）：{args.out}。"
                "请把这个文件交给对方登记（exchange trust）。")
    return with_workspace(args, work, doing="导出公钥")


def _trust(args) -> int:
    from app.services import exchange_keys

    def work(ws) -> str:
        row = exchange_keys.trust(ws, args.file)
        return f"已登记[{row.region_code}]{row.region_name}的公钥（指纹{row.fingerprint}），今后可导入它签名的数据包。"
    return with_workspace(args, work, doing="登记公钥")


def add_exchange_command(add: Callable[..., argparse.ArgumentParser],
                         options: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `exchange` command; `options` gives each sub-command the global --db / --user."""
    p = add("exchange", "县乡数据交换：导出本库公钥、登记对方公钥", None)
    sub = p.add_subparsers(dest="exchange_command", metavar="操作", title="操作", required=True)

    def one(name: str, help_text: str, func) -> argparse.ArgumentParser:
        q = sub.add_parser(name, help=help_text, description=help_text)
        options(q)
        q.set_defaults(func=func)
        return q

    q = one("key", "导出本数据库的公钥文件（交给县或乡镇登记，每个数据库登记一次）", _key)
    q.add_argument("--out", required=True, metavar="文件", help="公钥文件，如 熊口镇.pdkey")
    q = one("trust", "登记对方的公钥文件：县登记本县乡镇的，乡镇登记上级县的", _trust)
    q.add_argument("file", metavar="公钥文件", help="对方导出的公钥文件（.pdkey）")
    for parser in (p, *sub.choices.values()):
        parser._positionals.title = "位置参数"
        parser._optionals.title = "选项"
