"""绩效自评: each project's and department's 自评表, the year's 汇总表, the consistency check and
the 真实性核查 draw."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.self_eval_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.self_eval_import import import_file

    return import_file(ws, args.file)


def _export(ws, args) -> int:
    from app.io.self_eval_reports import render_summary
    from app.services.self_eval_year import summary

    return render_summary(summary(ws, args.year, region=getattr(args, "region", None)), args.format, args.out)


def _check(ws, args) -> str:
    from app.io.self_eval_reports import render_findings
    from app.services.self_eval_year import check_year

    findings = check_year(ws, args.year)
    render_findings(findings, args.out)
    said = f"发现{len(findings)}处问题" if findings else "未发现问题"
    return f"已检查{args.year}年度绩效自评表，{said}：{args.out}"


def _verify(ws, args) -> str:
    from decimal import Decimal

    from app.io.self_eval_reports import render_draw
    from app.services.verification import draw

    view = draw(ws, args.year, count=args.count, percent=Decimal(args.percent) if args.percent else None,
                seed=args.seed, by_department=args.by_department)
    render_draw(view, args.out)
    return (f"已从{view.year}年度{view.population}份自评表中抽取{len(view.rows)}份（随机种子：{view.seed}），"
            f"抽样清单：{args.out}")


def _verify_command(add) -> None:
    from app.cli_support import with_workspace, year_arg

    p = add("verify", "真实性核查：从已提交的绩效自评表中随机抽取项目（随机种子相同则抽样相同）",
            lambda args: with_workspace(args, lambda ws: _verify(ws, args)))
    p.add_argument("action", choices=["draw"], metavar="操作", help="draw：抽取核查项目")
    p.add_argument("--year", type=year_arg, required=True, metavar="年度", help="自评表的年度，如2022")
    p.add_argument("--count", type=int, metavar="数量", help="抽取份数，如20")
    p.add_argument("--percent", metavar="比例", help="按比例抽取（百分数），如10")
    p.add_argument("--seed", metavar="种子", help="随机种子（不填则新生成一个并记下）")
    p.add_argument("--by-department", action="store_true", help="按主管部门分布抽取")
    p.add_argument("--out", required=True, metavar="文件.xlsx", help="抽样清单保存位置")


STAGE = Stage(
    key="self_eval", title="绩效自评", page="ui.pages.self_eval_page:SelfEvalPage",
    refresh_on=frozenset({"self_eval", "targets", "projects", "monitoring", "base_data"}),
    kinds=(FileKind("selfeval", "绩效自评表", "selfeval：绩效自评", _template, _import, _export, do_check=_check,
                    by_region=True),),
    commands=(_verify_command,),
    selftest=(("显示绩效自评并打印自评表", "ui.checks.self_eval:selftest_page"),),
    screenshots=("ui.checks.self_eval:screenshots",),
)
