"""事前绩效评估: the year's assessments (five dimensions, 部门自评估 beside 审核评估, conclusion and 调减),
the projects the pack's trigger says need one, the year's 汇总表 and each assessment's report."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.exante_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.exante_import import import_file

    return import_file(ws, args.file)


def _export(ws, args) -> int:
    from app.services.exante_year import export_summary

    return export_summary(ws, args.year, args.format, args.out, region=getattr(args, "region", None))


STAGE = Stage(
    key="exante", title="事前绩效评估", page="ui.pages.exante_page:ExAntePage",
    refresh_on=frozenset({"exante", "projects", "base_data"}),
    kinds=(FileKind("exante", "事前评估", "exante：事前绩效评估", _template, _import, _export, by_year=True,
                    by_region=True),),
    selftest=(("显示事前绩效评估并打印评估报告", "ui.checks.exante:selftest_page"),),
    screenshots=("ui.checks.exante:screenshots",),
)
