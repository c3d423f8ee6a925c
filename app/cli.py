"""Command line for administrators and tests (the GUI is the main way in). Help and messages are
Chinese; exit 0 on success, 2 when an import was refused, 1 on any other problem."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
import sys
from pathlib import Path
from typing import Callable

from app.errors import is_expected, user_sentence
from app.logs import log
from app.paths import default_db_path
from app.rules.validation import RejectedError

_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "expected one argument": "需要一个参数值",
    "invalid %(type)s value: %(value)r": "无效的%(type)s值：%(value)r",
}


def _zh(text: str) -> str:
    return _ARGPARSE_ZH.get(text, text)


argparse._ = _zh  # argparse looks its strings up through this name at call time


def _year(text: str) -> int:
    from app.rules.fields import FieldInvalid, year

    try:
        return year(text)
    except FieldInvalid as exc:
        raise argparse.ArgumentTypeError(f"年度{exc.expected}") from exc


def _month(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 12:
        raise argparse.ArgumentTypeError("月份应为1到12之间的整数，如8")
    return int(text)


def _date(text: str):
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise argparse.ArgumentTypeError("日期应写成年-月-日，如2023-09-15") from exc


def _db(path: str | None) -> Path:
    return Path(path) if path else default_db_path()


def _open(args):
    from app.services.workspace import Workspace
    return Workspace.open(_db(args.db))


def cmd_demo(args) -> int:
    from app.services.demo import DemoRefused, load_demo
    ws = _open(args)
    try:
        counts = load_demo(ws, force=args.force)
    except DemoRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        ws.close()
    print(f"已载入演示县数据：区划{counts.get('regions', 0)}个，部门/单位{counts.get('departments', 0)}个，"
          f"项目{counts.get('projects', 0)}个，重点评价{counts.get('key_evaluations', 0)}个。数据库：{_db(args.db)}")
    return 0


@dataclass(frozen=True)
class IoKind:
    """What `template`, `import` and `export` do for one kind of data: the module holding
    write_template, and how to import a file and export (returning a sentence / a count)."""

    label: str
    module: str
    do_import: Callable
    do_export: Callable
    by_year: bool = True


def _import_projects(ws, args):
    from app.io.projects_import import import_projects
    return import_projects(ws, args.file).sentence()


def _import_targets(ws, args):
    from app.io.targets_import import import_targets
    return import_targets(ws, args.file)


def _import_library(ws, args):
    from app.io.library_io import import_library
    return import_library(ws, args.file)


def _round(ws, args) -> int:
    from app.services.monitoring import find_round
    if args.year is None or args.month is None:
        raise RejectedError("监控数据需要指明批次：--year 年度 --month 截至月份，如 --year 2023 --month 8。")
    return find_round(ws, args.year, args.month).id


def _import_monitoring(ws, args):
    from app.io.monitoring_import import import_monitoring
    return import_monitoring(ws, _round(ws, args), args.file)


def _export_monitoring(ws, args):
    from app.io.monitoring_reports import export_summary
    return export_summary(ws, _round(ws, args), args.format, args.out)


def _export_projects(ws, args):
    from app.io.projects_io import export_projects
    return export_projects(ws, args.year, args.format, args.out)


def _export_targets(ws, args):
    from app.io.targets_io import export_summary
    return export_summary(ws, args.year, args.format, args.out)


def _export_library(ws, args):
    from app.io.library_io import export_library
    if args.format != "xlsx":
        raise RejectedError("指标库只导出为Excel（xlsx），请用 --format xlsx。")
    return export_library(ws, args.out)


KINDS = {"projects": IoKind("项目", "app.io.projects_io", _import_projects, _export_projects),
         "targets": IoKind("绩效目标", "app.io.targets_import", _import_targets, _export_targets),
         "library": IoKind("指标库指标", "app.io.library_io", _import_library, _export_library, by_year=False),
         "monitoring": IoKind("监控项目", "app.io.monitoring_import", _import_monitoring, _export_monitoring)}
KIND_HELP = "projects：项目清单；targets：绩效目标；library：指标库；monitoring：运行监控"


def cmd_template(args) -> int:
    import importlib

    importlib.import_module(KINDS[args.kind].module).write_template(args.out)
    print(f"已生成导入模板：{args.out}")
    return 0


def cmd_import(args) -> int:
    from app.io.xlsx import write_problems
    ws = _open(args)
    try:
        sentence = KINDS[args.kind].do_import(ws, args)
    except RejectedError as exc:
        print(exc.summary, file=sys.stderr)
        for cell in exc.cells:
            print(cell.message(), file=sys.stderr)
        if args.report and exc.cells:
            write_problems(args.report, exc.cells)
            print(f"错误清单已保存：{args.report}", file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(sentence)
    return 0


def _with_workspace(args, work: Callable) -> int:
    """Open the database, do the work (it returns the sentence to print), close it; a refused
    change prints its sentence and exits 2."""
    ws = _open(args)
    try:
        sentence = work(ws)
    except RejectedError as exc:
        print(exc.summary, file=sys.stderr)
        return 2
    finally:
        ws.close()
    print(sentence)
    return 0


def cmd_export(args) -> int:
    kind = KINDS[args.kind]
    if kind.by_year and args.year is None:
        print(f"导出{kind.label}需要 --year 年度，如 --year 2023。", file=sys.stderr)
        return 2
    return _with_workspace(args, lambda ws: f"已导出{f'{args.year}年度' if kind.by_year else ''}{kind.label}"
                                            f"{kind.do_export(ws, args)}个：{args.out}")


def cmd_review(args) -> int:
    from app.io.targets_io import write_review
    return _with_workspace(args, lambda ws: f"已检查{args.year}年度绩效目标，结果{write_review(ws, args.year, args.out)}行："
                                            f"{args.out}")


def cmd_monitor(args) -> int:
    from app.services.monitoring import list_rounds, open_round

    def work(ws) -> str:
        round_id = open_round(ws, args.year, args.month, args.name, args.deadline)
        found = next(r for r in list_rounds(ws, args.year) if r.id == round_id)
        return f"已开启监控批次：{found.title}，项目{found.records}个。"

    return _with_workspace(args, work)


def cmd_backup(args) -> int:
    from app.services.maintenance import backup_to
    return _with_workspace(args, lambda ws: f"已备份到：{backup_to(ws, Path(args.out))}")


def cmd_check(args) -> int:
    from app.services.maintenance import check_database
    result = check_database(_db(args.db))
    print(result.sentence())
    return 0 if result.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfdesk", description="预算绩效管理（perfdesk）。不带子命令时打开主窗口。")
    parser.add_argument("--db", metavar="路径", help="数据库文件（默认在用户数据文件夹，也可用环境变量 PERFDESK_DB 指定）")
    sub = parser.add_subparsers(dest="command", metavar="子命令", title="子命令")

    def add(name: str, help_text: str, func: Callable) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("--db", metavar="路径", default=argparse.SUPPRESS, help="数据库文件")
        p.set_defaults(func=func)
        return p

    p = add("demo", "建立一个载入演示县数据（五份2023年报告）的数据库", cmd_demo)
    p.add_argument("--force", action="store_true", help="数据库已有数据时也清空后载入")

    p = add("template", "生成导入模板", cmd_template)
    p.add_argument("kind", choices=list(KINDS), metavar="类别", help=KIND_HELP)
    p.add_argument("--out", required=True, metavar="文件.xlsx", help="模板保存位置")

    p = add("import", "从Excel导入（全部正确才导入，否则一条不导入并列出错误单元格）", cmd_import)
    p.add_argument("kind", choices=list(KINDS), metavar="类别", help=KIND_HELP)
    p.add_argument("file", metavar="文件.xlsx", help="要导入的Excel文件")
    p.add_argument("--year", type=_year, metavar="年度", help="导入监控数据时：批次的年度")
    p.add_argument("--month", type=_month, metavar="月份", help="导入监控数据时：批次的截至月份")
    p.add_argument("--report", metavar="错误清单.xlsx", help="导入失败时把错误清单另存为Excel")

    p = add("export", "导出为Excel或PDF（targets 导出绩效目标审核汇总表）", cmd_export)
    p.add_argument("kind", choices=list(KINDS), metavar="类别", help=KIND_HELP)
    p.add_argument("--year", type=_year, metavar="年度", help="如2023（导出指标库时不需要）")
    p.add_argument("--month", type=_month, metavar="月份", help="导出监控汇总时：批次的截至月份")
    p.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx", metavar="格式", help="xlsx 或 pdf")
    p.add_argument("--out", required=True, metavar="文件", help="保存位置")

    p = add("review", "对一个年度的全部绩效目标运行自动检查，每个问题一行写入Excel", cmd_review)
    p.add_argument("kind", choices=["targets"], metavar="类别", help="targets：绩效目标")
    p.add_argument("--year", type=_year, required=True, metavar="年度", help="如2023")
    p.add_argument("--out", required=True, metavar="文件.xlsx", help="检查结果保存位置")

    p = add("monitor", "运行监控：开启监控批次", cmd_monitor)
    p.add_argument("action", choices=["open"], metavar="操作", help="open：开启一个监控批次")
    p.add_argument("--year", type=_year, required=True, metavar="年度", help="如2023")
    p.add_argument("--month", type=_month, required=True, metavar="月份", help="截至月份，1到12")
    p.add_argument("--name", default="", metavar="名称", help="批次名称，如 1-8月（默认按截至月份命名）")
    p.add_argument("--deadline", type=_date, metavar="日期", help="报送截止日期，如 2023-09-15")

    p = add("backup", "把数据库在线备份到一个文件", cmd_backup)
    p.add_argument("--out", required=True, metavar="文件", help="备份文件保存位置")

    add("check", "检查数据库完整性和结构版本", cmd_check)
    for action in (parser, *sub.choices.values()):
        action._positionals.title = "位置参数"
        action._optionals.title = "选项"
    return parser


def run(argv: list[str] | None = None) -> int:
    """Runs one subcommand; returns None-equivalent (-1) when no subcommand was given (GUI)."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        return -1
    try:
        return args.func(args)
    except RejectedError as exc:
        print(exc.summary, file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - every failure becomes a sentence; details to the log
        if not is_expected(exc):
            log.exception("command %s failed", args.command)
        print(user_sentence(exc), file=sys.stderr)
    return 1
