"""项目库: the year's projects (base of every stage)."""

from __future__ import annotations

from app.stages.descriptor import FileKind, Stage


def _template(path: str) -> None:
    from app.io.projects_io import write_template

    write_template(path)


def _import(ws, args) -> str:
    from app.services.project_import import import_file

    return import_file(ws, args.file).sentence()


def _export(ws, args) -> int:
    from app.services.projects import export_projects

    return export_projects(ws, args.year, args.format, args.out, region=getattr(args, "region", None))


STAGE = Stage(
    key="projects", title="项目库", page="ui.pages.projects_page:ProjectsPage",
    refresh_on=frozenset({"projects", "base_data", "exante"}),
    kinds=(FileKind("projects", "项目", "projects：项目清单", _template, _import, _export, by_region=True),),
    selftest=(("导出Excel并读回", "ui.checks.projects:selftest_xlsx"), ("导出PDF并检查字体", "ui.checks.projects:selftest_pdf")),
    screenshots=("ui.checks.projects:screenshots",), page_lazy=False,
)
