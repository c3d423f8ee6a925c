"""What the command line and the stages' own commands (app.stages) share: argument types with
Chinese messages, and opening the database around one piece of work."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from app.paths import default_db_path
from app.rules.validation import RejectedError


def year_arg(text: str) -> int:
    from app.rules.fields import FieldInvalid, year

    try:
        return year(text)
    except FieldInvalid as exc:
        raise argparse.ArgumentTypeError(f"年度{exc.expected}") from exc


def month_arg(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 12:
        raise argparse.ArgumentTypeError("月份应为1到12之间的整数，如8")
    return int(text)


def date_arg(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError("日期应写成年-月-日，如2023-09-15") from exc


def db_path(path: str | None) -> Path | str:
    """The --db database (else PERFDESK_DB, else the default file): a file path, or a server URL
    (postgresql://用户名:密码@服务器:端口/数据库名) as typed."""
    import os

    given = path or os.environ.get("PERFDESK_DB") or ""
    if "://" in given:
        return given.strip()
    return Path(path) if path else default_db_path()


def db_shown(path: str | None) -> str:
    """The --db database named in a message: a URL never shows its password."""
    from db.engine import shown

    return shown(db_path(path))


MISSING_DB = "找不到数据库文件“{path}”。请检查路径；要新建数据库，请用 new 或 demo 命令。"
IN_USE = "数据库正在被 {user}（{host}）使用，请关闭程序后再{doing}。"


def existing_db(args) -> Path | str:
    """The --db file, which must exist: only `new` and `demo` create one (a typo must not
    silently make a new, empty database and work in it). Refused: RejectedError (exit 2). A server
    URL is passed on (the server says whether the database is there)."""
    path = db_path(args.db)
    if isinstance(path, Path) and not path.is_file():
        raise RejectedError(MISSING_DB.format(path=path))
    return path


def open_workspace(args, *, write: bool = True, create: bool = False, doing: str = "操作"):
    """The database of --db. It must exist unless `create` (new, demo). A command that writes takes
    the file's instance lock: while the window (or another import) has the file, it is refused
    with a sentence naming who has it ("…请关闭程序后再<doing>。"). Once the database has users,
    the --user logs in here (app.cli_login): refused, the database is closed untouched."""
    from app.cli_login import log_in
    from app.services.workspace import Workspace
    from db.errors import DatabaseInUse

    path = db_path(args.db) if create else existing_db(args)
    try:
        ws = Workspace.open(path, exclusive=write)
    except DatabaseInUse as exc:
        raise RejectedError(IN_USE.format(user=exc.user, host=exc.host, doing=doing)) from exc
    try:
        log_in(ws, args)
    except BaseException:
        ws.close()
        raise
    return ws


def with_workspace(args, work: Callable, *, write: bool = True, doing: str = "操作") -> int:
    """Open the database, do the work (it returns the sentence to print), close it; a refused
    change prints its sentence and exits 2. `write=False` for commands that only read (exports,
    backups): they run beside the window."""
    ws = open_workspace(args, write=write, doing=doing)
    try:
        sentence = work(ws)
    except RejectedError as exc:
        print(exc.summary, file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(sentence)
    return 0


class CommandGroup:
    """A command with sub-commands (`user add | list | passwd`, `exchange key | trust | …`): each
    sub-command gets the global --db / --user (`options`), its function and Chinese section titles."""

    def __init__(self, add: Callable[..., argparse.ArgumentParser],
                 options: Callable[[argparse.ArgumentParser], None], name: str, help_text: str):
        self.parser = add(name, help_text, None)
        self.sub = self.parser.add_subparsers(dest=f"{name}_command", metavar="操作", title="操作", required=True)
        self.options = options
        _chinese_titles(self.parser)

    def one(self, name: str, help_text: str, func: Callable) -> argparse.ArgumentParser:
        q = self.sub.add_parser(name, help=help_text, description=help_text)
        self.options(q)
        q.set_defaults(func=func)
        _chinese_titles(q)
        return q


def _chinese_titles(parser: argparse.ArgumentParser) -> None:
    parser._positionals.title = "位置参数"
    parser._optionals.title = "选项"
