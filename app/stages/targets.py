"""绩效目标: 项目支出 and 部门整体支出 targets, their check, review and approval."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.targets_import import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.targets import import_file

    return import_file(ws, args.file)


def _export(ws, args) -> int:
    from app.services.targets import export_summary

    return export_summary(ws, args.year, args.format, args.out, region=getattr(args, "region", None))


def _review(ws, args) -> str:
    from app.services.targets import export_review

    return f"已检查{args.year}年度绩效目标，结果{export_review(ws, args.year, args.out)}行：{args.out}"


STAGE = Stage(
    key="targets", title="绩效目标", page="ui.pages.targets_page:TargetsPage",
    refresh_on=frozenset({"targets", "projects", "base_data", "exante"}),
    kinds=(FileKind("targets", "绩效目标", "targets：绩效目标", _template, _import, _export, _review, by_region=True),),
    screenshots=("ui.checks.targets:screenshots",),
)
