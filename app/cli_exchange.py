"""`exchange key | trust | export | import | conflicts`: this database's public key file; registering
the key of a township (in the county's database) or of the county (in a township's); a signed
package to the county or a township; merging one (`--dry-run`: the counts, nothing written; exit 0
when merged — conflicts left waiting —, 2 when refused); the conflicts waiting, as xlsx."""

from __future__ import annotations

import argparse
from typing import Callable

from app.cli_support import CommandGroup, with_workspace


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


def _export(args) -> int:
    from app.services import exchange

    return with_workspace(args, lambda ws: exchange.export_package(ws, args.to, args.year, args.out).sentence,
                          write=True, doing="导出数据包")


def _import(args) -> int:
    from app.services import exchange

    return with_workspace(args, lambda ws: exchange.import_package(ws, args.file, dry_run=args.dry_run).sentence,
                          doing="导入数据包")  # a dry run merges and rolls back: writable


def _conflicts(args) -> int:
    from app.io.exchange_io import render_conflicts
    from app.services import exchange

    def work(ws) -> str:
        count = render_conflicts(exchange.conflicts(ws), args.out)
        return f"共{count}处冲突等待处理：{args.out}" if count else f"没有等待处理的冲突：{args.out}"
    return with_workspace(args, work, write=False)


def add_exchange_command(add: Callable[..., argparse.ArgumentParser],
                         options: Callable[[argparse.ArgumentParser], None]) -> None:
    """The `exchange` command; `options` gives each sub-command the global --db / --user."""
    one = CommandGroup(add, options, "exchange", "县乡数据交换：公钥、数据包的导出与导入、冲突清单").one
    q = one("key", "导出本数据库的公钥文件（交给县或乡镇登记，每个数据库登记一次）", _key)
    q.add_argument("--out", required=True, metavar="文件", help="公钥文件，如 熊口镇.pdkey")
    q = one("trust", "登记对方的公钥文件：县登记本县乡镇的，乡镇登记上级县的", _trust)
    q.add_argument("file", metavar="公钥文件", help="对方导出的公钥文件（.pdkey）")
    q = one("export", "导出数据包：乡镇导出给上级县（上报），县导出给本县某乡镇（下发）", _export)
    q.add_argument("--to", required=True, metavar="区划代码", help="接收方的区划代码")
    q.add_argument("--year", required=True, type=int, action="append", metavar="年度", help="交换的年度，可写多次")
    q.add_argument("--out", required=True, metavar="文件", help="数据包文件，如 艾山街道-2023-20231015.pdx")
    q = one("import", "导入数据包（先核对签名；有冲突的记录保留本地值，等待处理）", _import)
    q.add_argument("file", metavar="数据包", help="对方导出的数据包（.pdx）")
    q.add_argument("--dry-run", action="store_true", help="只显示将新增、更新、无变化和冲突的数量，不写入")
    q = one("conflicts", "列出等待处理的冲突（每个冲突字段一行）", _conflicts)
    q.add_argument("--out", required=True, metavar="文件", help="Excel 文件")
