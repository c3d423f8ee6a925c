"""运行监控 (双监控): rounds, records, lights, the summary."""

from __future__ import annotations

from app.rules.validation import RejectedError
from app.stages.descriptor import FileKind, Stage


def _round(ws, args) -> int:
    from app.services.monitoring import find_round

    if getattr(args, "year", None) is None or getattr(args, "month", None) is None:
        raise RejectedError("监控数据需要指明批次：--year 年度 --month 截至月份，如 --year 2023 --month 8。")
    return find_round(ws, args.year, args.month).id


def _template(path: str) -> None:
    from app.io.monitoring_import import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.monitoring_import import import_file

    return import_file(ws, _round(ws, args), args.file)


def _export(ws, args) -> int:
    from app.io.monitoring_reports import render_summary
    from app.services.monitoring import round_view

    return render_summary(round_view(ws, _round(ws, args), region=getattr(args, "region", None)), args.format, args.out)


def _open(ws, args) -> str:
    from app.services.monitoring import list_rounds, open_round

    round_id = open_round(ws, args.year, args.month, args.name, args.deadline)
    found = next(r for r in list_rounds(ws, args.year) if r.id == round_id)
    return f"已开启监控批次：{found.title}，项目{found.records}个。"


def _refresh(ws, args) -> str:
    from app.services.monitoring import find_round
    from app.services.monitoring_refresh import refresh_round

    found = find_round(ws, args.year, args.month)
    return f"{found.title}：{refresh_round(ws, found.id).sentence}"


def _monitor(ws, args) -> str:
    return _refresh(ws, args) if args.action == "refresh" else _open(ws, args)


def _monitor_command(add) -> None:
    from app.cli_support import date_arg, month_arg, with_workspace, year_arg

    p = add("monitor", "运行监控：开启或刷新监控批次", lambda args: with_workspace(args, lambda ws: _monitor(ws, args)))
    p.add_argument("action", choices=["open", "refresh"], metavar="操作",
                   help="open：开启一个监控批次；refresh：刷新批次（新增的项目、调整的预算、后批复的绩效目标进入未提交的监控表）")
    p.add_argument("--year", type=year_arg, required=True, metavar="年度", help="如2023")
    p.add_argument("--month", type=month_arg, required=True, metavar="月份", help="截至月份，1到12")
    p.add_argument("--name", default="", metavar="名称", help="批次名称，如 1-8月（默认按截至月份命名）")
    p.add_argument("--deadline", type=date_arg, metavar="日期", help="报送截止日期，如 2023-09-15")


STAGE = Stage(
    key="monitoring", title="运行监控", page="ui.pages.monitoring_page:MonitoringPage",
    refresh_on=frozenset({"monitoring", "targets", "projects", "base_data"}),
    kinds=(FileKind("monitoring", "监控项目", "monitoring：运行监控", _template, _import, _export, by_region=True),),
    commands=(_monitor_command,),
    selftest=(("显示运行监控和图表", "ui.checks.monitoring:selftest_page"),),
    screenshots=("ui.checks.monitoring:screenshots",),
)
