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


def db_path(path: str | None) -> Path:
    return Path(path) if path else default_db_path()


def open_workspace(args):
    from app.services.workspace import Workspace

    return Workspace.open(db_path(args.db))


def with_workspace(args, work: Callable) -> int:
    """Open the database, do the work (it returns the sentence to print), close it; a refused
    change prints its sentence and exits 2."""
    ws = open_workspace(args)
    try:
        sentence = work(ws)
    except RejectedError as exc:
        print(exc.summary, file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(sentence)
    return 0
