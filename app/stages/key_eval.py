"""重点评价: evaluations of projects, departments, policies and townships on weighted scoring trees,
the year's 附件 tables, the 报告摘要, and the check over printed reports."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.key_eval_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.key_eval_import import import_file

    return import_file(ws, args.file)


def _export(ws, args) -> int:
    from app.services.key_eval_year import export_year

    return export_year(ws, args.year, args.format, args.out, region=getattr(args, "region", None))


def _check(ws, args) -> str:
    from app.io.key_eval_reports import render_findings
    from app.services.key_eval_year import check_year

    findings = check_year(ws, args.year)
    render_findings(findings, args.out)
    said = f"发现{len(findings)}处问题" if findings else "未发现问题"
    return f"已检查{args.year}年度重点评价，{said}：{args.out}"


STAGE = Stage(
    key="key_eval", title="重点评价", page="ui.pages.key_eval_page:KeyEvalPage",
    refresh_on=frozenset({"key_eval", "projects", "base_data", "agencies", "rectification"}),
    kinds=(FileKind("evaluations", "重点评价", "evaluations：重点评价", _template, _import, _export, do_check=_check,
                    by_region=True),),
    screenshots=("ui.checks.key_eval:screenshots",),
)
