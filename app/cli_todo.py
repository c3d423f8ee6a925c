"""`todo [--user U] [--at YYYY-MM-DD] --db P`: what waits on the user (the 工作台's lines), one line per
item — 事项, 数量或对象, 期限, and 逾期N天 where it is overdue — tab-separated; exit 0."""

from __future__ import annotations

import argparse
from typing import Callable

from app.cli_support import date_arg, with_workspace


def _todo(args) -> int:
    from app.services.todo import todo

    def work(ws) -> str:
        lines = todo(ws, ws.actor, args.at)
        if not lines:
            return "没有待办事项。"
        return "\n".join("\t".join(cell for cell in line.cells() if cell) for line in lines)
    return with_workspace(args, work, write=False)


def add_todo_command(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("todo", "列出待办事项（工作台）：待提交、待审核、待批复的记录，监控报送，整改到期与逾期等，每项一行", _todo)
    p.add_argument("--at", type=date_arg, metavar="日期", help="按哪一天计算期限和逾期天数，如2023-11-01（不填为今天）")
