"""Command line for administrators and tests (the GUI is the main way in). Help and messages are
Chinese; exit 0 on success, 2 when refused (an import with bad cells, a missing or wrong login, a
step the user's role or scope may not take — nothing written), 1 on any other problem.

Once a database has users, every command runs as the --user it names (app.cli_login)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable

from app.cli_login import PASSWORD_VARIABLE
from app.cli_support import date_arg, db_path, db_shown, existing_db, month_arg, open_workspace, with_workspace, year_arg
from app.cli_exchange import add_exchange_command
from app.cli_help import add_help_command
from app.cli_todo import add_todo_command
from app.cli_users import add_user_command
from app.errors import is_expected, user_sentence
from app.logs import log
from app.rules.validation import RejectedError
from app.services.regions import WHOLE as WHOLE_COUNTY
from app.stages import FileKind, all_stages, file_kinds

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

USER_HELP = (f"由哪个用户办理：数据库已建立用户时必填，密码取自环境变量 {PASSWORD_VARIABLE}，未设置时在终端输入")


def _administrator_only(ws, doing: str) -> None:
    """A whole-database command (a backup holds every record; the demo replaces them): once the
    database has users, a 绩效科 user's alone."""
    from app.rules.roles import PERFORMANCE
    if ws.actor.logged_in and ws.actor.role != PERFORMANCE:
        raise RejectedError(f"{doing}涉及整个数据库，须由绩效科用户办理；您的角色是{ws.actor.role}。")


def cmd_demo(args) -> int:
    from app.services.demo import DemoRefused, load_demo, load_demo_data
    from app.services.demo_townships import kept_files
    folder = Path(args.township_dir) if args.township_dir else None
    ws = open_workspace(args, create=True, doing="载入演示数据")
    try:
        _administrator_only(ws, "载入演示数据")
        counts = load_demo(ws, force=args.force, township_dir=folder, townships=not args.county_only)
    except DemoRefused as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        ws.close()
    towns = f"；{counts['townships']}个乡镇的数据以数据包上报导入" if counts.get("townships") else ""
    print(f"已载入演示县数据：区划{counts.get('regions', 0)}个，部门/单位{counts.get('departments', 0)}个，"
          f"项目{counts.get('projects', 0)}个，重点评价{counts.get('key_evaluations', 0)}个{towns}。数据库：{db_shown(args.db)}")
    if folder is not None:
        print("乡镇数据库及其上报数据包：" + "、".join(str(p) for p in kept_files(folder, load_demo_data())))
    return 0


def cmd_new(args) -> int:
    """An empty database with its 本级区划 — what the window's 新建空白数据库 does."""
    import re

    from app.services.base_data import save_region
    path = db_path(args.db)
    if isinstance(path, Path) and path.exists():
        print(f"数据库文件“{path}”已存在，未作任何改动。要在已有数据库上工作，请直接用 --db 指定它。", file=sys.stderr)
        return 2
    code, name = args.region_code.strip(), args.region_name.strip()
    parent = (args.parent or "").strip()
    if parent and not re.fullmatch(r"\d{6}", parent):
        print(f"上级区划代码应为6位数字（县级），如429005，实际为“{parent}”。", file=sys.stderr)
        return 2
    if parent and not (re.fullmatch(r"\d{9}", code) and code.startswith(parent)):
        print(f"乡镇的区划代码应为以上级县代码{parent}开头的9位数字，如{parent}101，实际为“{code}”。", file=sys.stderr)
        return 2
    if not parent and not re.fullmatch(r"\d{6}", code):
        print(f"本级区划代码应为6位数字，如370117，实际为“{code}”（新建乡镇的数据库时请用 --parent 填所属县的代码）。",
              file=sys.stderr)
        return 2
    if not name:
        print("请用 --region-name 填写本级区划名称，如钢城区。", file=sys.stderr)
        return 2
    ws = open_workspace(args, create=True, doing="新建数据库")
    try:
        if not isinstance(path, Path) and not ws.is_empty():  # a server database: refused once it holds data
            print(f"服务器数据库“{db_shown(args.db)}”里已有数据，未作任何改动。要在已有数据库上工作，请直接用 --db 指定它。",
                  file=sys.stderr)
            return 2
        if parent:  # a township: its county (named by its code until the county's key file is registered)
            save_region(ws, {"code": parent, "name": parent, "level": "县级"})
            save_region(ws, {"code": code, "name": name, "level": "乡镇"}, parent_code=parent)
        else:
            save_region(ws, {"code": code, "name": name, "level": "县级"})
        ws.set_setting("home_region", code)
    finally:
        ws.close()
    print(f"已新建数据库，本级区划：[{code}]{name}。数据库：{db_shown(args.db)}")
    return 0


def _kinds(what: str) -> dict[str, FileKind]:
    """The registry's kinds that can do `what` (template / do_import / do_export / do_review)."""
    return {name: kind for name, kind in file_kinds().items() if getattr(kind, what) is not None}


def _kind_help(kinds: dict[str, FileKind]) -> str:
    return "；".join(kind.help for kind in kinds.values())


def cmd_template(args) -> int:
    file_kinds()[args.kind].template(args.out)
    print(f"已生成导入模板：{args.out}")
    return 0


def cmd_import(args) -> int:
    from app.io.xlsx import write_problems
    ws = open_workspace(args, doing="导入")
    try:
        sentence = file_kinds()[args.kind].do_import(ws, args)
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


def cmd_export(args) -> int:
    kind = file_kinds()[args.kind]
    if kind.by_year and args.year is None:
        print(f"导出{kind.label}需要 --year 年度，如 --year 2023。", file=sys.stderr)
        return 2
    if args.format not in kind.formats:
        print(f"{kind.label}只能导出为{'、'.join(kind.formats)}，请用 --format {kind.formats[0]}。", file=sys.stderr)
        return 2
    args.whole = args.region == WHOLE_COUNTY
    if args.whole:  # 全县: every 区划 — what a list gives without --region; the year's report tells 本级 then
        args.region = None
    if args.region and not kind.by_region:
        print(f"导出{kind.label}不能按区划筛选，请去掉 --region。", file=sys.stderr)
        return 2

    def work(ws) -> str:
        place = _region_label(ws, args.region) if args.region else ("全县" if args.whole else "")
        count = kind.do_export(ws, args)
        return f"已导出{f'{args.year}年度' if kind.by_year else ''}{place}{kind.label}{count}个：{args.out}"
    return with_workspace(args, work, write=False)


def _region_label(ws, code: str) -> str:
    """The 区划 an export is narrowed to, as its title names it; an unknown code is refused naming
    the known ones."""
    from app.services.regions import choices

    known = choices(ws)
    codes = [known.home_code, *dict(known.townships)]
    if code not in codes:
        listed = "、".join(f"{c}（{known.label_of(c)}）" for c in codes)
        raise RejectedError(f"区划代码“{code}”不是本数据库中的区划，请改用：{listed}。")
    return known.label_of(code)


def cmd_review(args) -> int:
    return with_workspace(args, lambda ws: file_kinds()[args.kind].do_review(ws, args), write=False)


def cmd_backup(args) -> int:
    from app.services.maintenance import backup_to

    def work(ws) -> str:
        _administrator_only(ws, "备份")
        return f"已备份到：{backup_to(ws, Path(args.out))}"
    return with_workspace(args, work, write=False)


def cmd_check(args) -> int:
    if args.kind:  # a stage's consistency check over a year, written to a workbook
        if args.year is None or not args.out:
            print("检查一个年度需要 --year 年度 和 --out 文件.xlsx，如 --year 2022 --out 检查结果.xlsx。", file=sys.stderr)
            return 2
        return with_workspace(args, lambda ws: file_kinds()[args.kind].do_check(ws, args), write=False)
    from app.services.maintenance import check_database
    result = check_database(existing_db(args))
    print(result.sentence())
    return 0 if result.ok else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="perfdesk", description="预算绩效管理（perfdesk）。不带子命令时打开主窗口。")
    parser.add_argument("--db", metavar="路径", help="数据库文件，或共享数据库地址 postgresql://用户名@服务器:5432/数据库名"
                                                   "（密码请用环境变量 PGPASSWORD 或 ~/.pgpass 文件提供，不要写在地址里："
                                                   "命令行上的密码别人能看到；默认在用户数据文件夹，也可用环境变量 PERFDESK_DB 指定）")
    parser.add_argument("--user", metavar="用户名", help=USER_HELP)
    sub = parser.add_subparsers(dest="command", metavar="子命令", title="子命令")

    def options(p: argparse.ArgumentParser) -> None:
        """Every command's own --db and --user (given before or after the command name alike)."""
        p.add_argument("--db", metavar="路径", default=argparse.SUPPRESS, help="数据库文件或 postgresql:// 共享数据库地址")
        p.add_argument("--user", metavar="用户名", default=argparse.SUPPRESS, help=USER_HELP)

    def add(name: str, help_text: str, func: Callable | None) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        options(p)
        if func is not None:
            p.set_defaults(func=func)
        return p

    p = add("demo", "建立一个载入演示县数据（五份2023年报告）的数据库", cmd_demo)
    p.add_argument("--force", action="store_true", help="数据库已有数据时也清空后载入")
    towns = p.add_mutually_exclusive_group()
    towns.add_argument("--township-dir", metavar="文件夹",
                       help="同时在该文件夹留下青石镇的数据库（与演示县已互相登记公钥）和它的上报数据包，用来试一试县乡数据交换")
    towns.add_argument("--county-only", action="store_true", help="只载入示范县本级的数据，不含三个乡镇上报的数据（较快）")

    p = add("new", "新建一个空白数据库（从本级区划开始；文件已存在时不改动它）", cmd_new)
    p.add_argument("--region-code", required=True, metavar="区划代码", help="本级区划的6位代码，如370117")
    p.add_argument("--region-name", required=True, metavar="名称", help="本级区划名称，如钢城区")
    p.add_argument("--parent", metavar="上级区划代码", help="新建乡镇的数据库时填所属县的区划代码，如429005")

    templates, imports, exports, reviews, checks = (_kinds(w) for w in ("template", "do_import", "do_export", "do_review",
                                                                        "do_check"))
    p = add("template", "生成导入模板", cmd_template)
    p.add_argument("kind", choices=list(templates), metavar="类别", help=_kind_help(templates))
    p.add_argument("--out", required=True, metavar="文件.xlsx", help="模板保存位置")

    p = add("import", "从Excel导入（全部正确才导入，否则一条不导入并列出错误单元格）", cmd_import)
    p.add_argument("kind", choices=list(imports), metavar="类别", help=_kind_help(imports))
    p.add_argument("file", metavar="文件.xlsx", help="要导入的Excel文件")
    p.add_argument("--year", type=year_arg, metavar="年度", help="导入监控数据时：批次的年度")
    p.add_argument("--month", type=month_arg, metavar="月份", help="导入监控数据时：批次的截至月份")
    p.add_argument("--report", metavar="错误清单.xlsx", help="导入失败时把错误清单另存为Excel")

    p = add("export", "导出为Excel或PDF（targets 导出绩效目标审核汇总表）", cmd_export)
    p.add_argument("kind", choices=list(exports), metavar="类别", help=_kind_help(exports))
    p.add_argument("--year", type=year_arg, metavar="年度", help="如2023（导出指标库时不需要）")
    p.add_argument("--month", type=month_arg, metavar="月份", help="导出监控汇总时：批次的截至月份")
    p.add_argument("--at", type=date_arg, metavar="日期", help="统计日期，如2023-10-16：整改台账的逾期天数计至这一天（不填为今天）")
    p.add_argument("--format", choices=["xlsx", "pdf", "docx"], default="xlsx", metavar="格式",
                   help="xlsx 或 pdf（summary 年度工作情况说明还可以是 docx）")
    p.add_argument("--region", metavar="区划代码", help="只导出一个区划（本级或某个乡镇）的数据，如370117101"
                   f"；不填或写“{WHOLE_COUNTY}”为全部区划（年度工作情况说明 summary 不填为本级）。可用于： {' '.join(n for n, k in exports.items() if k.by_region)}")
    p.add_argument("--out", required=True, metavar="文件", help="保存位置")
    p.add_argument("--no-charts", action="store_true", help="summary：不附统计图（默认附绩效目标、运行监控、绩效自评、整改四张图，与说明同一范围和口径）")

    p = add("review", "对一个年度的全部绩效目标运行自动检查，每个问题一行写入Excel", cmd_review)
    p.add_argument("kind", choices=list(reviews), metavar="类别", help=_kind_help(reviews))
    p.add_argument("--year", type=year_arg, required=True, metavar="年度", help="如2023")
    p.add_argument("--out", required=True, metavar="文件.xlsx", help="检查结果保存位置")

    for stage in all_stages():  # a stage's own commands (e.g. monitor open)
        for adder in stage.commands:
            adder(add)

    add_user_command(add, options)
    add_exchange_command(add, options)
    add_todo_command(add)
    add_help_command(add)

    p = add("backup", "把数据库在线备份到一个文件（已建立用户的数据库：须由绩效科用户办理）", cmd_backup)
    p.add_argument("--out", required=True, metavar="文件", help="备份文件保存位置")

    p = add("check", "检查数据库完整性和结构版本；带类别时检查一个年度的表格（如绩效自评表的一致性），每个问题一行写入Excel",
            cmd_check)
    p.add_argument("kind", nargs="?", choices=list(checks), metavar="类别",
                   help=_kind_help(checks) + "（不填：检查数据库完整性）")
    p.add_argument("--year", type=year_arg, metavar="年度", help="带类别时：要检查的年度，如2022")
    p.add_argument("--out", metavar="文件.xlsx", help="带类别时：检查结果保存位置")
    for action in (parser, *sub.choices.values()):
        action._positionals.title = "位置参数"
        action._optionals.title = "选项"
    return parser


def run(argv: list[str] | None = None, chart_painter: Callable | None = None) -> int:
    """Runs one subcommand; returns None-equivalent (-1) when no subcommand was given (GUI).
    `chart_painter(ws, year, region) → [ChartImage]`: the year's charts as pictures, handed in by the
    composition root (app/__main__.py) for `export summary`; without it the report has no charts."""
    args = build_parser().parse_args(argv)
    if args.command is None:
        return -1
    args.chart_painter = chart_painter
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
